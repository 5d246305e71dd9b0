import torch
import torch.nn as nn
import torch.nn.functional as F


def det(module, scale=0.2):
    """Deterministic weights: a smooth pattern per parameter tensor."""
    with torch.no_grad():
        for i, (name, p) in enumerate(module.named_parameters()):
            p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.9 + i).reshape(p.shape) * scale)
    return module


img = torch.arange(2 * 3 * 6 * 6, dtype=torch.float32).reshape(2, 3, 6, 6) / 100

conv = det(nn.Conv2d(3, 4, kernel_size=3, stride=1, padding=1))
print(conv, conv.weight.shape, conv.bias.shape)
y = conv(img)
print(y.shape)
print(y[0, :, 0, :3])
print(torch.allclose(y, F.conv2d(img, conv.weight, conv.bias, padding=1)))

conv2 = det(nn.Conv2d(3, 2, kernel_size=(2, 3), stride=2, bias=False))
print(conv2, conv2.bias)
print(conv2(img).shape, conv2(img)[1, 1])

pool = nn.MaxPool2d(kernel_size=2, stride=2)
print(pool, pool(y).shape)
print(nn.AvgPool2d(3, stride=1, padding=1)(img[:, :1, :3, :3]))
print(nn.AdaptiveAvgPool2d((2, 3))(img).shape)
print(torch.equal(pool(y), F.max_pool2d(y, 2)))
print(nn.AdaptiveAvgPool1d(3), nn.AdaptiveAvgPool1d(3)(img[0, :, 0]), F.adaptive_avg_pool1d(img[:, 0], 1).shape)

bn = det(nn.BatchNorm2d(4))
print(bn)
z = bn(y)
print(z.shape, z.mean().item() != 0.0)
print(bn.running_mean, bn.running_var)
bn.eval()
print(bn(y)[0, 0, 0])

ln = det(nn.LayerNorm(6))
print(ln, ln.normalized_shape, ln.weight.shape)
print(ln(img[0, 0]))
ln2 = nn.LayerNorm([6, 6], elementwise_affine=False)
print(ln2, list(ln2.parameters()))
print(ln2(img)[1, 2, 0])
print(torch.allclose(ln(img), F.layer_norm(img, (6,), ln.weight, ln.bias)))

emb = det(nn.Embedding(10, 4, padding_idx=0))
print(emb)
tokens = torch.tensor([[1, 2, 0], [9, 9, 3]])
e = emb(tokens)
print(e.shape)
print(e)
print(emb.weight[0])
emb2 = nn.Embedding.from_pretrained(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
print(emb2, emb2.weight.requires_grad, emb2(torch.tensor([2, 0])))

lstm = det(nn.LSTM(input_size=3, hidden_size=2, num_layers=1, batch_first=True), scale=0.5)
print(lstm)
print([(n, tuple(p.shape)) for n, p in lstm.named_parameters()])
seq = torch.linspace(-1, 1, 2 * 4 * 3).reshape(2, 4, 3)
out, (h, c) = lstm(seq)
print(out.shape, h.shape, c.shape)
print(out)
print(h)
print(torch.allclose(out[:, -1], h[0]))
gru = det(nn.GRU(3, 2), scale=0.5)
o, hn = gru(seq.transpose(0, 1))
print(gru, o.shape, hn)
