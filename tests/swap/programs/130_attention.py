import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# scaled dot-product attention by hand and with F.scaled_dot_product_attention
q = torch.linspace(-1.0, 1.0, 24).reshape(1, 2, 3, 4)
k = torch.linspace(0.5, -0.5, 32).reshape(1, 2, 4, 4)
v = torch.linspace(-2.0, 2.0, 16).reshape(1, 2, 4, 2)
q.requires_grad_(True)
scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
manual = torch.softmax(scores, dim=-1) @ v
out = F.scaled_dot_product_attention(q, k, v)
print(out)
print(torch.allclose(manual, out, atol=1e-6), out.shape)
causal = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(causal[0, 1])
keep = torch.tensor([[True, False, True, True], [True, True, False, False], [False, False, False, True]])
print(F.scaled_dot_product_attention(q, k, v, attn_mask=keep)[0, 0])
bias = torch.tensor([[0.0, -1.0, float("-inf"), 0.5]])
print(F.scaled_dot_product_attention(q, k, v, attn_mask=bias, scale=0.25)[0, 0])
out.sum().backward()
print(q.grad[0, 0])
for bad in [lambda: F.scaled_dot_product_attention(q, k[..., :3], v),
            lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=bias[0])]:
    try:
        bad()
    except (RuntimeError, IndexError) as e:
        print(type(e).__name__ + ":", e)

# multi-head attention with deterministic weights
torch.manual_seed(0)
mha = nn.MultiheadAttention(embed_dim=4, num_heads=2, dropout=0.0)
print(mha)
for name, p in mha.named_parameters():
    print(name, tuple(p.shape))
with torch.no_grad():
    for p in mha.parameters():
        p.copy_(torch.linspace(-0.3, 0.3, p.numel()).reshape(p.shape))
x = torch.linspace(-1.0, 1.0, 24).reshape(3, 2, 4)  # (L, N, E)
attn_out, attn_w = mha(x, x, x)
print(attn_out)
print(attn_w)
print(attn_out.shape, attn_w.shape, attn_out.grad_fn.name(), attn_w.grad_fn.name())
_, per_head = mha(x, x, x, average_attn_weights=False)
print(per_head.shape, per_head[1, 0])
mask = nn.Transformer.generate_square_subsequent_mask(3)
print(mask)
out_c, w_c = mha(x, x, x, attn_mask=mask)
print(w_c[0])
pad = torch.tensor([[False, False, True], [False, False, False]])
out_p, w_p = mha(x, x, x, key_padding_mask=pad)
print(w_p[0].round(decimals=4))
out_n, w_n = mha(x, x, x, key_padding_mask=pad, need_weights=False)
print(w_n, torch.allclose(out_n, out_p, atol=1e-6))
loss = attn_out.pow(2).mean()
loss.backward()
print((mha.in_proj_weight.grad[:4] * 1e3).round(decimals=3))
print(mha.in_proj_weight.grad[8:])
print(mha.out_proj.bias.grad)

# batch_first cross attention with different key/value sizes
cross = nn.MultiheadAttention(4, 2, batch_first=True, kdim=3, vdim=5)
print([(n, tuple(p.shape)) for n, p in cross.named_parameters()])
with torch.no_grad():
    for p in cross.parameters():
        p.copy_(torch.linspace(-0.3, 0.3, p.numel()).reshape(p.shape))
query = torch.linspace(-1, 1, 16).reshape(2, 2, 4)
key = torch.linspace(1, -1, 18).reshape(2, 3, 3)
value = torch.linspace(0, 1, 30).reshape(2, 3, 5)
o, w = cross(query, key, value)
print(o)
print(w)
for bad in [lambda: mha(x, x[:2], x), lambda: nn.MultiheadAttention(5, 2),
            lambda: mha(x, x, x, attn_mask=torch.zeros(2, 3))]:
    try:
        bad()
    except (AssertionError, RuntimeError) as e:
        print(type(e).__name__ + ":", e)
