# torch.nn.functional examples in the style of the functional API docs.
import torch
import torch.nn.functional as F

x = torch.tensor([[-2.0, -0.5, 0.0, 0.5, 2.0]])
print(F.relu(x), F.relu6(x * 4), F.leaky_relu(x, 0.2), F.elu(x), F.selu(x))
print(F.gelu(x), F.gelu(x, approximate="tanh"), F.silu(x), F.softplus(x), F.mish(x))
print(F.hardtanh(x, -1.0, 1.0), F.hardsigmoid(x), F.hardswish(x), F.softsign(x), F.tanhshrink(x))
print(F.threshold(x, 0.1, 20.0), F.logsigmoid(x), F.celu(x, alpha=2.0), F.hardshrink(x, 0.5), F.softshrink(x, 0.5))
logits = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [-1.0, 0.0, 5.0]])
print(F.softmax(logits, dim=1), F.log_softmax(logits, dim=1), F.softmin(logits, dim=0))
target = torch.tensor([2, 0, 1])
print(F.cross_entropy(logits, target), F.cross_entropy(logits, target, reduction="none"))
print(F.cross_entropy(logits, target, label_smoothing=0.1), F.nll_loss(F.log_softmax(logits, 1), target))
print(F.cross_entropy(logits, target, weight=torch.tensor([1.0, 2.0, 0.5])))
print(F.cross_entropy(logits, torch.tensor([2, -100, 1]), ignore_index=-100))
probs = torch.tensor([[0.1, 0.9], [0.8, 0.2]])
print(F.binary_cross_entropy(probs, torch.tensor([[0.0, 1.0], [1.0, 0.0]])))
print(F.mse_loss(probs, torch.zeros(2, 2)), F.l1_loss(probs, torch.ones(2, 2), reduction="sum"))
print(F.smooth_l1_loss(torch.tensor([0.0, 2.0, 0.3]), torch.zeros(3)), F.huber_loss(torch.tensor([0.0, 2.0, 0.3]), torch.zeros(3), delta=0.5))
print(F.kl_div(F.log_softmax(logits, 1), F.softmax(logits.flip(1), 1), reduction="batchmean"))
print(F.one_hot(torch.tensor([0, 2, 1]), num_classes=4), F.one_hot(torch.arange(0, 5) % 3))
print(F.normalize(torch.tensor([[3.0, 4.0], [0.0, 0.0]]), dim=1), F.normalize(torch.tensor([1.0, 1.0]), p=1, dim=0))
print(F.cosine_similarity(torch.tensor([[1.0, 0.0], [1.0, 1.0]]), torch.tensor([[0.0, 1.0], [2.0, 2.0]])))
print(F.pairwise_distance(torch.tensor([[0.0, 0.0]]), torch.tensor([[3.0, 4.0]])))
t4d = torch.arange(16.0).view(1, 1, 4, 4)
print(F.pad(t4d, (1, 1)).shape, F.pad(torch.arange(3.0), (2, 1), value=-1.0))
print(F.pad(torch.arange(6.0).view(1, 2, 3), (1, 1), mode="reflect"), F.pad(torch.arange(6.0).view(1, 2, 3), (2, 0), mode="replicate"))
print(F.max_pool2d(t4d, 2), F.avg_pool2d(t4d, 2, stride=1).shape, F.adaptive_avg_pool2d(t4d, 1))
print(F.interpolate(torch.tensor([[[1.0, 2.0, 3.0]]]), scale_factor=2, mode="nearest"))
print(F.interpolate(torch.tensor([[[1.0, 2.0, 3.0]]]), size=5, mode="linear", align_corners=True))
img = torch.arange(1, 5, dtype=torch.float32).view(1, 1, 2, 2)
print(F.interpolate(img, scale_factor=2, mode="bilinear"), F.interpolate(img, size=(3, 3), mode="nearest"))
print(torch.nn.Upsample(scale_factor=2), torch.nn.UpsamplingBilinear2d(scale_factor=2)(img))
print(F.pad(img, (1, 1, 1, 1), mode="reflect"), F.pad(img, (0, 1, 1, 0), mode="replicate").shape)
w = torch.tensor([[[[1.0, 0.0], [0.0, -1.0]]]])
print(F.conv2d(t4d, w), F.conv2d(t4d, w, padding=1, stride=2))
print(F.linear(torch.tensor([[1.0, 2.0]]), torch.tensor([[0.5, -0.5], [1.0, 1.0], [0.0, 2.0]]), torch.tensor([0.1, 0.2, 0.3])))
print(F.embedding(torch.tensor([[0, 2], [1, 1]]), torch.tensor([[0.0, 0.1], [1.0, 1.1], [2.0, 2.1]])))
print(F.glu(torch.tensor([[1.0, 2.0, 0.0, -1.0]])), F.dropout(x, p=0.5, training=False))
for bad in (lambda: F.interpolate(img, scale_factor=2, mode="linear"), lambda: F.interpolate(img), lambda: F.pad(img, (2, 2), mode="reflect")):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
try:
    F.cross_entropy(logits, torch.tensor([3, 0, 1]))
except Exception as e:
    print(type(e).__name__, e)
try:
    F.softmax(logits, dim=2)
except Exception as e:
    print(type(e).__name__, e)
try:
    F.one_hot(torch.tensor([0.0, 1.0]))
except Exception as e:
    print(type(e).__name__, e)
try:
    F.mse_loss(torch.zeros(2, 3), torch.zeros(3, 2))
except Exception as e:
    print(type(e).__name__, e)
