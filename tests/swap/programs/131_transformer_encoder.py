import math
import warnings

import torch
import torch.nn as nn


def fill_(module, scale):
    # deterministic, varied weights (the same on every machine)
    with torch.no_grad():
        for i, p in enumerate(module.parameters()):
            p.copy_(torch.sin(torch.arange(p.numel()) * 0.7 + i).reshape(p.shape) * scale)


# a tiny sequence regressor in the style of the "language modeling with nn.Transformer" tutorial
class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=16):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class TinyTransformer(nn.Module):
    def __init__(self, d_model=8, nhead=2, d_hid=16, nlayers=2):
        super().__init__()
        self.embed = nn.Linear(3, d_model)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, nlayers)
        self.head = nn.Linear(d_model, 1)

    def forward(self, src, src_mask=None):
        h = self.encoder(self.pos(self.embed(src)), src_mask)
        return self.head(h)


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model = TinyTransformer()
print([str(w.message) for w in caught])
print(model)
print(sum(p.numel() for p in model.parameters()))
fill_(model, 0.3)

src = torch.linspace(-1.0, 1.0, 30).reshape(5, 2, 3)  # (seq, batch, features)
target = src.sum(-1, keepdim=True).cumsum(0) * 0.1
mask = nn.Transformer.generate_square_subsequent_mask(5)
print(mask)
out = model(src, mask)
print(out.squeeze(-1))
print(out.shape, out.grad_fn.name())

optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for step in range(5):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(src, mask), target)
    loss.backward()
    optimizer.step()
    print("step %d loss %.5f" % (step, loss.item()))
print(model.encoder.layers[0].linear1.bias.grad)

# batch_first, padding mask, eval mode
layer = nn.TransformerEncoderLayer(d_model=4, nhead=2, dim_feedforward=8, dropout=0.0, batch_first=True,
                                   activation="gelu")
enc = nn.TransformerEncoder(layer, num_layers=1, norm=nn.LayerNorm(4))
fill_(enc, 0.5)
x = torch.linspace(-2.0, 2.0, 24).reshape(2, 3, 4)
pad = torch.tensor([[False, False, True], [False, False, False]])
print(enc(x, src_key_padding_mask=pad))
enc.eval()
with torch.no_grad():
    print(enc(x, src_key_padding_mask=pad))
    print(enc(x))

# the full encoder-decoder
tr = nn.Transformer(d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8,
                    dropout=0.0)
fill_(tr, 0.4)
src = torch.linspace(-1.0, 1.0, 24).reshape(3, 2, 4)
tgt = torch.linspace(1.0, -1.0, 16).reshape(2, 2, 4)
y = tr(src, tgt, tgt_mask=tr.generate_square_subsequent_mask(2))
print(y)
print(tr.decoder.layers[0])
try:
    tr(src, tgt[:, :1])
except RuntimeError as e:
    print("RuntimeError:", e)
