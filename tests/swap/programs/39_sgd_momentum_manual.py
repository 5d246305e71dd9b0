import torch

# compare torch.optim.SGD with momentum against the manual update rule
params = torch.tensor([1.0, -2.0], requires_grad=True)
opt = torch.optim.SGD([params], lr=0.1, momentum=0.9)
manual = torch.tensor([1.0, -2.0])
buf = torch.zeros(2)
for step in range(5):
    opt.zero_grad()
    loss = (params ** 2).sum()
    loss.backward()
    opt.step()
    g = 2 * manual
    buf = g if step == 0 else 0.9 * buf + g
    manual = manual - 0.1 * buf
    print(step, params.data, manual, torch.allclose(params.data, manual))
state = opt.state[params]
print(list(state.keys()))
print(state['momentum_buffer'])
adam = torch.optim.Adam([params], lr=0.01)
(params ** 2).sum().backward()
adam.step()
print(sorted(adam.state[params].keys()))
print(adam.state[params]['step'])
print(adam.state[params]['exp_avg'])
