import torch
import torch.nn as nn
from torch.optim.lr_scheduler import StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR, ReduceLROnPlateau

X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
y = torch.tensor([[2.5], [4.5], [6.5], [8.5]])


def setup():
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(0.5)
        model.bias.fill_(0.0)
    return model, torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.5)


criterion = nn.MSELoss()
for label, make in [("StepLR", lambda o: StepLR(o, step_size=3, gamma=0.5)),
                    ("MultiStepLR", lambda o: MultiStepLR(o, milestones=[2, 5], gamma=0.1)),
                    ("ExponentialLR", lambda o: ExponentialLR(o, gamma=0.9)),
                    ("CosineAnnealingLR", lambda o: CosineAnnealingLR(o, T_max=6)),
                    ("LambdaLR", lambda o: LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch))]:
    model, optimizer = setup()
    scheduler = make(optimizer)
    print(label)
    for epoch in range(7):
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        scheduler.step()
        print(f"  epoch {epoch}: loss={loss.item():.5f} lr={scheduler.get_last_lr()[0]:.6f}",
              optimizer.param_groups[0]["lr"] == scheduler.get_last_lr()[0])
    print("  last_epoch", scheduler.last_epoch, "w", round(model.weight.item(), 5))

# ReduceLROnPlateau steps with the validation loss
model, optimizer = setup()
scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=1)
val_losses = [1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.76, 0.77]
for epoch, val in enumerate(val_losses):
    scheduler.step(val)
    print(epoch, val, optimizer.param_groups[0]["lr"], scheduler.num_bad_epochs, scheduler.best)
print(scheduler.get_last_lr())
sd = StepLR(setup()[1], step_size=2).state_dict()
print(sorted(sd.keys()))
print(sd["step_size"], sd["gamma"], sd["base_lrs"], sd["last_epoch"])
