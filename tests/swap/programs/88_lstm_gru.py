import torch
import torch.nn as nn

# LSTM and GRU with deterministic weights: outputs, final states, gradients, reprs


def set_weights(model):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape))


x = torch.linspace(-1.0, 1.0, 2 * 3 * 4).reshape(3, 2, 4)  # (seq_len, batch, features)

lstm = nn.LSTM(4, 3, num_layers=2)
set_weights(lstm)
print(lstm)
print([(name, tuple(p.shape)) for name, p in lstm.named_parameters()])
out, (h_n, c_n) = lstm(x)
print(out.shape, h_n.shape, c_n.shape)
print(out.detach())
print(h_n.detach())
print(c_n.detach())
(out.sum() + (c_n * c_n).sum()).backward()
for name, p in lstm.named_parameters():
    print(name, p.grad.sum().item() != 0, p.grad.abs().sum().round(decimals=3).item())
print(lstm.weight_hh_l1.grad)

# bidirectional GRU, batch_first, with a given initial state
gru = nn.GRU(4, 3, batch_first=True, bidirectional=True)
set_weights(gru)
print(gru)
xb = x.transpose(0, 1).contiguous().requires_grad_()
h0 = torch.linspace(-0.3, 0.3, 2 * 2 * 3).reshape(2, 2, 3).requires_grad_()
out, h_n = gru(xb, h0)
print(out.shape, h_n.shape)
print(out.detach())
print(h_n.detach())
(out[:, -1] * torch.tensor([1.0, -1.0, 0.5, 2.0, 0.0, -0.5])).sum().backward()
print(xb.grad)
print(h0.grad)
print(gru.bias_hh_l0_reverse.grad)

# unbatched input, no bias
g2 = nn.GRU(4, 2, bias=False)
set_weights(g2)
out, h = g2(x[:, 0])
print(g2, out.shape, h.shape)
print(out.detach(), h.detach())

# the training loop of a tiny sequence regressor
torch.manual_seed(0)
model = nn.LSTM(4, 2, batch_first=True)
head = nn.Linear(2, 1)
set_weights(model)
set_weights(head)
params = list(model.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=0.05)
target = torch.tensor([[0.5], [-0.5], [0.25]])
xs = torch.linspace(-1.0, 1.0, 3 * 5 * 4).reshape(3, 5, 4)
for step in range(30):
    opt.zero_grad()
    out, _ = model(xs)
    loss = ((head(out[:, -1]) - target) ** 2).mean()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print("step %d loss %.5f" % (step, loss.item()))
print(head(model(xs)[0][:, -1]).detach().round(decimals=3))
