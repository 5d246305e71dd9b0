# Loss-function target mistakes: float class labels, labels out of range, one-hot targets,
# wrong shapes, and MSELoss silently broadcasting (with its warning caught and printed).
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 1.5, 0.3], [-0.4, 0.2, 2.2], [1.0, 1.0, 1.0]])
ce = nn.CrossEntropyLoss()
show("float labels", lambda: ce(logits, torch.tensor([0.0, 1.0, 2.0, 1.0])))
show("long labels", lambda: ce(logits, torch.tensor([0.0, 1.0, 2.0, 1.0]).long()))
show("int32 labels", lambda: ce(logits, torch.tensor([0, 1, 2, 1], dtype=torch.int32)))
show("label 5", lambda: ce(logits, torch.tensor([0, 1, 5, 1])))
show("label -1", lambda: ce(logits, torch.tensor([0, -1, 2, 1])))
show("ignore_index=-1", lambda: nn.CrossEntropyLoss(ignore_index=-1)(logits, torch.tensor([0, -1, 2, 1])))
show("labels 1..3", lambda: ce(logits, torch.tensor([1, 2, 3, 1])))
show("labels 1..3 fixed", lambda: ce(logits, torch.tensor([1, 2, 3, 1]) - 1))
show("one-hot float", lambda: ce(logits, F.one_hot(torch.tensor([0, 1, 2, 1]), 3).float()))
show("one-hot long", lambda: ce(logits, F.one_hot(torch.tensor([0, 1, 2, 1]), 3)))
show("one_hot too few classes", lambda: F.one_hot(torch.tensor([0, 3]), 3))
show("(N, 1) labels", lambda: ce(logits, torch.tensor([[0], [1], [2], [1]])))
show("batch mismatch", lambda: ce(logits, torch.tensor([0, 1, 2])))
show("softmax'ed input", lambda: ce(logits.softmax(dim=1), torch.tensor([0, 1, 2, 1])))
show("nll_loss on logits", lambda: F.nll_loss(logits, torch.tensor([0, 1, 2, 1])))
show("nll_loss float target", lambda: F.nll_loss(logits.log_softmax(1), torch.tensor([0.0, 1.0, 2.0, 1.0])))
show("nll_loss oob", lambda: F.nll_loss(logits.log_softmax(1), torch.tensor([0, 1, 7, 1])))
show("1-D logits", lambda: ce(torch.tensor([2.0, 0.5, -1.0]), torch.tensor(0)))

probs = torch.tensor([0.9, 0.2, 0.7])
show("BCE long target", lambda: F.binary_cross_entropy(probs, torch.tensor([1, 0, 1])))
show("BCE float target", lambda: F.binary_cross_entropy(probs, torch.tensor([1.0, 0.0, 1.0])))
show("BCE >1 input", lambda: F.binary_cross_entropy(torch.tensor([1.5, 0.2]), torch.tensor([1.0, 0.0])))
show("BCE shape", lambda: F.binary_cross_entropy(probs.unsqueeze(1), torch.tensor([1.0, 0.0, 1.0])))
show("BCEWithLogits shape", lambda: F.binary_cross_entropy_with_logits(probs.unsqueeze(1), torch.tensor([1.0, 0.0, 1.0])))
show("BCEWithLogits long", lambda: F.binary_cross_entropy_with_logits(probs, torch.tensor([1, 0, 1])))

pred = torch.tensor([[0.5], [1.5], [2.5]])
target = torch.tensor([1.0, 2.0, 3.0])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    loss = F.l1_loss(pred, target)
print("l1 broadcast", loss, [f"{w.category.__name__}: {w.message}" for w in caught])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    loss = F.l1_loss(pred.squeeze(1), target)
print("l1 squeezed", loss, len(caught))
show("l1 long target", lambda: F.l1_loss(pred.squeeze(1), torch.tensor([1, 2, 3])))
show("smooth_l1 non-broadcastable", lambda: F.smooth_l1_loss(torch.ones(2, 3), torch.ones(3, 2)))
