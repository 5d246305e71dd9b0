# Stack Overflow: inspecting optimizer state, param_groups, changing lr, and state_dict contents.
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.5, -0.25]]))
    model.bias.fill_(0.125)
opt = torch.optim.Adam(model.parameters(), lr=0.1, betas=(0.9, 0.99))
print(opt)
print(len(opt.param_groups), sorted(opt.param_groups[0].keys()))
print(opt.param_groups[0]["lr"], opt.param_groups[0]["betas"], opt.param_groups[0]["weight_decay"])
print(opt.state, len(opt.state))
x = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
y = torch.tensor([[1.0], [0.0], [2.0]])
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 5), model.weight.data, model.bias.data)
st = opt.state[model.weight]
print(sorted(st.keys()), st["step"], st["exp_avg"], st["exp_avg_sq"])
sd = opt.state_dict()
print(sorted(sd.keys()), list(sd["state"].keys()), sd["param_groups"][0]["params"])
print(sd["state"][1]["exp_avg"], sd["param_groups"][0]["lr"])
for g in opt.param_groups:
    g["lr"] = 0.01
print(opt.param_groups[0]["lr"], opt.state_dict()["param_groups"][0]["lr"])
opt2 = torch.optim.Adam(model.parameters(), lr=0.5)
opt2.load_state_dict(sd)
print(opt2.param_groups[0]["lr"], opt2.state[model.bias]["step"], opt2.state[model.bias]["exp_avg"])
sgd = torch.optim.SGD([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.5}], lr=0.1, momentum=0.9)
print(sgd)
print([g["lr"] for g in sgd.param_groups], sgd.state_dict()["state"])
sgd.zero_grad()
nn.functional.mse_loss(model(x), y).backward()
sgd.step()
print(sgd.state[model.weight]["momentum_buffer"], sorted(sgd.state_dict()["state"].keys()))
sgd.zero_grad(set_to_none=False)
print(model.weight.grad, model.bias.grad)
sgd.zero_grad()
print(model.weight.grad)
extra = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
sgd.add_param_group({"params": extra, "lr": 0.05})
print(len(sgd.param_groups), sgd.param_groups[2]["momentum"], sgd.param_groups[2]["lr"])
try:
    sgd.add_param_group({"params": [model.bias]})
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.optim.SGD(model.parameters(), lr=-1)
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.optim.Adam([], lr=0.1)
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.optim.Adam(model.parameters(), betas=(1.0, 0.9))
except Exception as e:
    print(type(e).__name__, e)
