# Char-level RNN/GRU step: one-hot inputs with F.one_hot, CrossEntropyLoss over the sequence
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
text = "hello world, hello rnn"
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
print(len(chars), chars[:5])
ids = torch.tensor([stoi[c] for c in text])
print(ids)
x_ids, y_ids = ids[:-1].unsqueeze(0), ids[1:].unsqueeze(0)
x = F.one_hot(x_ids, num_classes=len(chars)).float()
print(x.shape, x.dtype, x[0, :2])


class CharModel(nn.Module):
    def __init__(self, cell, hidden=32):
        super().__init__()
        self.rnn = cell(len(chars), hidden, batch_first=True)
        self.head = nn.Linear(hidden, len(chars))

    def forward(self, x, h=None):
        out, h = self.rnn(x, h)
        return self.head(out), h


for cell in (nn.RNN, nn.GRU):
    torch.manual_seed(11)
    model = CharModel(cell)
    print(model)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    criterion = nn.CrossEntropyLoss()
    for step in range(12):
        logits, h = model(x)
        loss = criterion(logits.view(-1, len(chars)), y_ids.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        # rounded: nn.RNN's tanh is MKL's vsTanh and Adam's sqrt MKL's vsSqrt in PyTorch (last-ulp
        # differences on ~1% of elements), so losses drift in the last digits
        if step % 4 == 0:
            print(cell.__name__, step, f"{loss.item():.4f}")
    print("h:", h.shape, h.grad_fn.name(), "logits:", logits.shape)
    with torch.no_grad():
        logits, _ = model(x)
        pred = logits.argmax(-1)[0]
        print("pred:", "".join(chars[i] for i in pred.tolist()))
        print("acc:", (pred == y_ids[0]).float().mean().item())
try:
    F.one_hot(torch.tensor([0, 5]), num_classes=3)
except RuntimeError as e:
    print("RuntimeError:", e)
print(F.one_hot(torch.tensor([2, 0, 1])))
