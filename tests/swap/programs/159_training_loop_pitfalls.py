# Training-loop questions: gradients that accumulate without zero_grad, a running loss that
# keeps the whole graph alive, torch.max's return value, eval under no_grad, and item().
import torch
import torch.nn as nn


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


def make_model():
    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.5, -0.25]]))
        model.bias.fill_(0.1)
    return model


x = torch.tensor([[1.0, 2.0], [3.0, 1.0], [0.0, -1.0]])
y = torch.tensor([[1.0], [2.0], [0.5]])

model = make_model()
for step in range(3):               # no zero_grad: the gradients add up
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    print(step, model.weight.grad)

model = make_model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
running = 0
for step in range(3):
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
    running += loss                 # keeps a graph: use loss.item()
print(running, type(running).__name__, running.requires_grad)
running = 0.0
for step in range(2):
    loss = ((model(x) - y) ** 2).mean()
    running += loss.item()
print(round(running, 4), type(running).__name__)
print(model.weight.grad is None, opt.state_dict()["param_groups"][0]["lr"])
opt.zero_grad(set_to_none=False)
print(model.weight.grad)
opt.zero_grad()
print(model.weight.grad)

scores = torch.tensor([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1]])
result = torch.max(scores, dim=1)
print(result)
print(type(result).__name__, result.values, result.indices)
values, predicted = torch.max(scores, 1)
print(predicted, (predicted == torch.tensor([1, 1])).sum().item())
show("max(dim).argmax attr", lambda: result.argmax())
show("max without dim unpack", lambda: tuple(torch.max(scores)))
show("accuracy int division", lambda: (predicted == torch.tensor([1, 1])).sum() / 2)
show("accuracy .float().mean()", lambda: (predicted == torch.tensor([1, 1])).float().mean())
show("mean of bool", lambda: (predicted == torch.tensor([1, 1])).mean())
show("mean of long", lambda: predicted.mean())

model.eval()
with torch.no_grad():
    out = model(x)
print(out.requires_grad, out.grad_fn, model.training)
show("backward in no_grad output", lambda: out.sum().backward())
show("item of loss", lambda: round(((out - y) ** 2).mean().item(), 4))
show("step before backward", lambda: (opt.step(), model.weight.grad)[1])
show("loss.backward() twice in loop", lambda: [((model(x) - y) ** 2).mean().backward() for _ in range(2)] and None)
