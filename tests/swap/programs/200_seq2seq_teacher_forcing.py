# Tiny seq2seq (GRU encoder/decoder) on a generated reverse-the-sequence task, teacher forcing
import torch
import torch.nn as nn

torch.manual_seed(5)
V, H, T = 6, 16, 4  # token 0 = <sos>
src = torch.randint(1, V, (8, T))
tgt = src.flip(1)
print(src[:2], tgt[:2], sep="\n")


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, H)
        self.enc = nn.GRU(H, H, batch_first=True)
        self.dec = nn.GRU(H, H, batch_first=True)
        self.out = nn.Linear(H, V)

    def forward(self, src, tgt=None, teacher_forcing=True):
        _, h = self.enc(self.emb(src))
        inp = torch.zeros(src.size(0), 1, dtype=torch.long)
        outputs = []
        for t in range(T):
            o, h = self.dec(self.emb(inp), h)
            logits = self.out(o)
            outputs.append(logits)
            inp = tgt[:, t:t + 1] if teacher_forcing else logits.argmax(-1)
        return torch.cat(outputs, dim=1)


model = Seq2Seq()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(20):
    logits = model(src, tgt)
    loss = loss_fn(logits.reshape(-1, V), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    # rounded: Adam's exp_avg_sq.sqrt() is MKL's vsSqrt in PyTorch (an ulp off on ~0.7% of
    # elements), so later losses drift in the last digits (with SGD they match to the bit)
    if epoch % 5 == 0:
        print(f"epoch {epoch} loss {loss.item():.4f}")
print(logits.shape, logits.grad_fn.name())
model.eval()
with torch.no_grad():
    greedy = model(src, teacher_forcing=False).argmax(-1)
    print(greedy[:3])
    print("token acc:", (greedy == tgt).float().mean().item())
print(sum(p.numel() for p in model.parameters()))
