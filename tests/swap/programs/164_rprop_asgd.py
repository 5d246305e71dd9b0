# Rprop and ASGD training a tiny regression model; ASGD's averaged weights from its state
import torch

torch.set_printoptions(precision=4)

x = torch.linspace(-1, 1, 10).reshape(5, 2)
target = x[:, :1] * 0.5 - x[:, 1:] * 2.0 + 0.25


def make_params():
    w = torch.tensor([[0.3], [-0.1]], requires_grad=True)
    b = torch.tensor([0.0], requires_grad=True)
    return w, b


w, b = make_params()
opt = torch.optim.Rprop([w, b], lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 1.0))
print(opt)
for step in range(60):
    opt.zero_grad()
    loss = ((x @ w + b - target) ** 2).mean()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print("rprop", step, round(loss.item(), 6))
print(w, b)
state = opt.state[w]
print(list(state), state["step"], state["step_size"].flatten())

w, b = make_params()
opt = torch.optim.ASGD([w, b], lr=0.1, lambd=1e-3, t0=20, weight_decay=0.01)
print(opt)
for step in range(60):
    opt.zero_grad()
    loss = ((x @ w + b - target) ** 2).mean()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print("asgd", step, round(loss.item(), 6))
state = opt.state[w]
print(list(state), state["step"], state["eta"], state["mu"])
print("weights", w.detach().flatten())
print("averaged", state["ax"].flatten())

# the averaged weights evaluate like this (a common ASGD pattern: swap them in for evaluation)
with torch.no_grad():
    avg_loss = ((x @ opt.state[w]["ax"] + opt.state[b]["ax"] - target) ** 2).mean()
print("avg loss", round(avg_loss.item(), 6))
sd = opt.state_dict()
print(sorted(sd["state"]), sd["param_groups"][0]["t0"], sd["param_groups"][0]["params"])

# maximize=True climbs: Rprop on -f
p = torch.tensor([2.0, -3.0], requires_grad=True)
opt = torch.optim.Rprop([p], lr=0.1, maximize=True)
for _ in range(15):
    opt.zero_grad()
    (-(p ** 2).sum()).backward()
    opt.step()
print(p)
