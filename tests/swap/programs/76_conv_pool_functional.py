import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.arange(32, dtype=torch.float32).reshape(1, 2, 4, 4).requires_grad_()
w = torch.tensor([[[[1.0, 0.0], [0.0, -1.0]], [[0.5, 0.5], [0.5, 0.5]]]])
b = torch.tensor([0.25])
y = F.conv2d(x, w, b)
print(y, y.shape)
print(F.conv2d(x, w, stride=2, padding=1))
print(F.conv2d(x, w, dilation=2))
print(F.conv2d(x, w.repeat(2, 1, 1, 1)[:, :1], groups=2))
print(F.conv2d(x, w, padding="same").shape, F.conv2d(x, w, padding="valid").shape)
y.sum().backward()
print(x.grad)

img = torch.tensor([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 8.0, 1.0], [0.0, 2.0, 6.0, 7.0], [9.0, 1.0, 3.0, 2.0]]]],
                   requires_grad=True)
mp = F.max_pool2d(img, 2)
print(mp, mp.grad_fn)
mp.sum().backward()
print(img.grad)
img.grad = None
out, idx = F.max_pool2d(img, 3, stride=1, padding=1, return_indices=True)
print(out)
print(idx)
print(F.max_pool2d(img, 3, stride=2, ceil_mode=True))
ap = F.avg_pool2d(img, 2)
print(ap, ap.grad_fn)
print(F.avg_pool2d(img, 3, stride=2, padding=1))
print(F.avg_pool2d(img, 3, stride=2, padding=1, count_include_pad=False))
print(F.avg_pool2d(img, 3, stride=2, padding=1, ceil_mode=True))
print(F.adaptive_avg_pool2d(img, (2, 3)))
print(F.adaptive_avg_pool2d(img, 1))
F.avg_pool2d(img, 3, stride=2, padding=1, count_include_pad=False).sum().backward()
print(img.grad)

print(nn.Conv2d(3, 8, 3), nn.Conv2d(3, 8, (3, 5), stride=2, padding=1, bias=False))
print(nn.Conv2d(4, 4, 3, padding="same", dilation=2, groups=2))
print(nn.MaxPool2d(2), nn.MaxPool2d(3, stride=2, padding=1), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d((1, 1)))
conv = nn.Conv2d(2, 3, 2)
print(conv.weight.shape, conv.bias.shape, conv.kernel_size, conv.stride, conv.padding)
with torch.no_grad():
    conv.weight.fill_(0.1)
    conv.bias.fill_(-1.0)
print(conv(x[0]).shape)
print(conv(x))

for bad in [lambda: conv(torch.zeros(1, 3, 4, 4)), lambda: conv(torch.zeros(1, 2, 1, 1)),
            lambda: conv(torch.zeros(2, 2)), lambda: F.max_pool2d(img, 2, padding=2),
            lambda: F.avg_pool2d(img, 5), lambda: nn.Conv2d(3, 4, 3, groups=2)]:
    try:
        bad()
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
