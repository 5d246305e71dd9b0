import torch
import torch.nn as nn

# RNN, RNNCell, LSTMCell and GRUCell: values, grad_fns, gradients, reprs and error messages


def set_weights(model):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape))


x = torch.linspace(-1.0, 1.0, 12).reshape(2, 6) * 2

for cell in [nn.RNNCell(6, 3), nn.RNNCell(6, 3, nonlinearity="relu"), nn.GRUCell(6, 3), nn.RNNCell(6, 3, bias=False)]:
    set_weights(cell)
    h = cell(x)
    print(cell, h)
    h = cell(x, h)
    h.pow(2).sum().backward()
    print(cell.weight_ih.grad.sum(0), cell.weight_hh.grad.round(decimals=3))

lstm_cell = nn.LSTMCell(6, 3)
set_weights(lstm_cell)
print(lstm_cell)
h, c = lstm_cell(x)
print(h)
print(c)
hx = (h, c)
for t in range(3):
    hx = lstm_cell(x * (t + 1) / 3, hx)
(hx[0].sum() + hx[1].sum()).backward()
print(lstm_cell.bias_ih.grad.round(decimals=3))
print(lstm_cell(x[0])[0].shape)  # unbatched

rnn = nn.RNN(6, 3, num_layers=2, nonlinearity="relu", bidirectional=True)
set_weights(rnn)
print(rnn)
seq = torch.stack([x, -x, x * 0.5, x.flip(1)])
out, h_n = rnn(seq)
print(out.shape, h_n.shape)
print(out.detach())
print(h_n.detach())
out.sum().backward()
print(rnn.weight_ih_l1_reverse.grad)

tanh_rnn = nn.RNN(6, 4, 1, "tanh", False)
set_weights(tanh_rnn)
print(tanh_rnn, [name for name, _ in tanh_rnn.named_parameters()])
print(tanh_rnn(seq, torch.ones(1, 2, 4))[1].detach())

for make in [lambda: nn.LSTM(6, 3)(seq[..., :4]),
             lambda: nn.GRU(6, 3)(seq, torch.zeros(2, 2, 3)),
             lambda: nn.RNN(6, 3)(seq, torch.zeros(1, 3)),
             lambda: nn.LSTM(6, 3)(seq, (torch.zeros(1, 2, 3), torch.zeros(1, 2, 4))),
             lambda: nn.GRU(6, 3)(torch.zeros(6)),
             lambda: nn.GRUCell(6, 3)(x[:, :5]),
             lambda: nn.LSTMCell(6, 3)(x, (torch.zeros(2, 3), torch.zeros(3, 3))),
             lambda: nn.RNN(6, 3, nonlinearity="gelu"),
             lambda: nn.GRU(6, 3, proj_size=1),
             lambda: nn.LSTM(6, 3, dropout=2)]:
    try:
        make()
    except Exception as e:
        print(type(e).__name__ + ":", e)
