# "Learning PyTorch with Examples": custom nn.Module and dynamic control flow
import random
import torch

torch.manual_seed(42)


class TwoLayerNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super(TwoLayerNet, self).__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        h_relu = self.linear1(x).clamp(min=0)
        y_pred = self.linear2(h_relu)
        return y_pred


class DynamicNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super(DynamicNet, self).__init__()
        self.input_linear = torch.nn.Linear(D_in, H)
        self.middle_linear = torch.nn.Linear(H, H)
        self.output_linear = torch.nn.Linear(H, D_out)

    def forward(self, x, reps):
        h_relu = self.input_linear(x).clamp(min=0)
        for _ in range(reps):
            h_relu = self.middle_linear(h_relu).clamp(min=0)
        return self.output_linear(h_relu)


random.seed(0)
N, D_in, H, D_out = 16, 12, 16, 3
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)

model = TwoLayerNet(D_in, H, D_out)
print(model)
criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
for t in range(8):
    y_pred = model(x)
    loss = criterion(y_pred, y)
    if t % 2 == 1:
        print(t, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(model.linear2.bias.grad)

dyn = DynamicNet(D_in, H, D_out)
opt = torch.optim.SGD(dyn.parameters(), lr=1e-4, momentum=0.9)
for t in range(6):
    reps = random.randint(0, 3)
    y_pred = dyn(x, reps)
    loss = criterion(y_pred, y)
    print(t, reps, loss.item(), y_pred.grad_fn.name())
    opt.zero_grad()
    loss.backward()
    opt.step()
print(sum(p.numel() for p in dyn.parameters()))
print(dyn.middle_linear.weight[:2, :4])
