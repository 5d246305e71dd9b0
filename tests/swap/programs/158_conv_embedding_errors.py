# Errors from the first CNN / embedding model: channel counts, missing batch dims, kernels
# larger than the input, float indices into an Embedding, and the fixes.
import torch
import torch.nn as nn


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


conv = nn.Conv2d(3, 4, kernel_size=3)
gray = torch.ones(2, 1, 8, 8)
show("1 channel into Conv2d(3, ...)", lambda: conv(gray))
show("channels last", lambda: conv(torch.ones(2, 8, 8, 3)))
show("permute to channels first", lambda: conv(torch.ones(2, 8, 8, 3).permute(0, 3, 1, 2)).shape)
show("no batch dim", lambda: conv(torch.ones(3, 8, 8)).shape)
show("2-D input", lambda: conv(torch.ones(8, 8)))
show("5-D input", lambda: conv(torch.ones(1, 1, 3, 8, 8)))
show("kernel too large", lambda: conv(torch.ones(1, 3, 2, 2)))
show("padding='same'", lambda: nn.Conv2d(3, 4, 3, padding="same")(torch.ones(1, 3, 5, 5)).shape)
show("padding='same' stride 2", lambda: nn.Conv2d(3, 4, 3, padding="same", stride=2))
show("padding='valid'", lambda: nn.Conv2d(3, 4, 3, padding="valid")(torch.ones(1, 3, 5, 5)).shape)
show("groups not dividing", lambda: nn.Conv2d(3, 4, 3, groups=2))
show("conv double input", lambda: conv(torch.ones(1, 3, 8, 8, dtype=torch.float64)))
show("conv int input", lambda: conv(torch.ones(1, 3, 8, 8, dtype=torch.long)))
show("Conv1d 2-D unbatched", lambda: nn.Conv1d(2, 3, 2)(torch.ones(2, 5)).shape)
show("Conv1d wrong channels", lambda: nn.Conv1d(2, 3, 2)(torch.ones(4, 5, 2)))
show("MaxPool too small", lambda: nn.MaxPool2d(2)(torch.ones(1, 1, 1, 1)))
show("MaxPool pad too big", lambda: nn.MaxPool2d(2, padding=2)(torch.ones(1, 1, 4, 4)))
show("BatchNorm2d channels", lambda: nn.BatchNorm2d(3)(torch.ones(2, 4, 2, 2)))
show("BatchNorm1d batch 1", lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)))
show("BatchNorm1d 4-D", lambda: nn.BatchNorm1d(3)(torch.ones(2, 3, 2, 2)))
show("flatten then Linear", lambda: nn.Linear(4 * 6 * 6, 2)(conv(torch.ones(2, 3, 8, 8)).flatten(1)).shape)
show("flatten wrong size", lambda: nn.Linear(4 * 8 * 8, 2)(conv(torch.ones(2, 3, 8, 8)).flatten(1)))

emb = nn.Embedding(5, 2)
with torch.no_grad():
    emb.weight.copy_(torch.arange(10.0).reshape(5, 2))
show("float indices", lambda: emb(torch.tensor([1.0, 2.0])))
show("long indices", lambda: emb(torch.tensor([1.0, 2.0]).long()))
show("index 5 of 5", lambda: emb(torch.tensor([1, 5])))
show("negative index", lambda: emb(torch.tensor([-1])))
show("padding_idx out of range", lambda: nn.Embedding(5, 2, padding_idx=5))
show("padding_idx=0 row", lambda: nn.Embedding(3, 2, padding_idx=0).weight[0])
show("int32 indices", lambda: emb(torch.tensor([[0, 4]], dtype=torch.int32)))
show("F.embedding float", lambda: nn.functional.embedding(torch.tensor([0.0]), emb.weight))
show("one_hot float", lambda: nn.functional.one_hot(torch.tensor([0.0, 1.0])))
show("one_hot negative", lambda: nn.functional.one_hot(torch.tensor([-1, 1])))
