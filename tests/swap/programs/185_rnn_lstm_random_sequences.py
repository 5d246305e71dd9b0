# RNN and LSTM on random sequences: shapes, hidden states, a few training steps
import torch
import torch.nn as nn

torch.manual_seed(11)
rnn = nn.RNN(input_size=4, hidden_size=5, num_layers=1, batch_first=True)
x = torch.randn(3, 6, 4)
h0 = torch.zeros(1, 3, 5)
out, hn = rnn(x, h0)
print(out.shape, hn.shape, out.grad_fn.name())
print(hn[0])
print(torch.equal(out[:, -1], hn[0]))

lstm = nn.LSTM(4, 6)
seq = torch.randn(5, 2, 4)
hidden = (torch.randn(1, 2, 6), torch.randn(1, 2, 6))
out, (h, c) = lstm(seq, hidden)
print(out.shape, h.shape, c.shape)
print(h)
print(lstm.weight_ih_l0.shape, lstm.bias_hh_l0[:6])


class SeqClassifier(nn.Module):
    def __init__(self, n_in, n_hidden, n_classes):
        super().__init__()
        self.lstm = nn.LSTM(n_in, n_hidden, batch_first=True)
        self.head = nn.Linear(n_hidden, n_classes)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


model = SeqClassifier(4, 8, 4)
data = torch.randn(16, 7, 4)
target = torch.randint(0, 4, (16,))
print(target)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(5):
    opt.zero_grad()
    logits = model(data)
    loss = nn.functional.cross_entropy(logits, target)
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item():.6f}")
print(model.head.bias)
print(logits.argmax(1))
