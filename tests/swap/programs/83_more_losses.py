import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

logp = torch.tensor([[-1.2, -0.7, -1.6], [-0.4, -2.0, -1.5]], requires_grad=True)
p = torch.tensor([[0.2, 0.5, 0.3], [0.7, 0.1, 0.2]])
for red in ["batchmean", "sum", "none"]:
    loss = nn.KLDivLoss(reduction=red)(logp, p)
    print("kl", red, loss)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("kl mean", F.kl_div(logp, p))
    print(len(caught), "warning:", str(caught[0].message)[:60])
print("kl log_target", F.kl_div(logp, p.log(), reduction="batchmean", log_target=True))
logp.grad = None
F.kl_div(logp, p, reduction="batchmean").backward()
print(logp.grad)

a = torch.tensor([0.5, 2.0, -1.0, 1.0], requires_grad=True)
b = torch.tensor([1.0, 1.0, 0.0, 1.0])
y = torch.tensor([1.0, -1.0, 1.0, -1.0])
for red in ["mean", "sum", "none"]:
    print("ranking", red, nn.MarginRankingLoss(margin=0.2, reduction=red)(a, b, y))
    print("softmargin", red, nn.SoftMarginLoss(reduction=red)(a, y))
a.grad = None
F.margin_ranking_loss(a, b, y, margin=0.5).backward()
print(a.grad)
a.grad = None
F.soft_margin_loss(a, y).backward()
print(a.grad)

u = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 1.0], [3.0, 0.5, -2.0]], requires_grad=True)
v = torch.tensor([[1.0, 1.5, 1.0], [1.0, 1.0, 1.0], [-3.0, -0.5, 2.0]])
t = torch.tensor([1.0, -1.0, -1.0])
print("cosemb", nn.CosineEmbeddingLoss(margin=0.1)(u, v, t), F.cosine_embedding_loss(u, v, t, reduction="none"))
F.cosine_embedding_loss(u, v, t).backward()
print(u.grad)

labels = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
u.grad = None
mlsm = nn.MultiLabelSoftMarginLoss(weight=torch.tensor([1.0, 2.0, 0.5]))(u, labels)
mlsm.backward()
print("mlsm", mlsm, u.grad)

rates = torch.tensor([[0.5, -0.2, 1.0], [0.1, 0.3, -1.0]], requires_grad=True)
counts = torch.tensor([[1.0, 0.0, 3.0], [2.0, 1.0, 0.0]])
print("poisson", nn.PoissonNLLLoss()(rates, counts), nn.PoissonNLLLoss(full=True, reduction="sum")(rates, counts))
print("poisson rate", F.poisson_nll_loss(rates.exp(), counts, log_input=False, full=True, reduction="none"))
F.poisson_nll_loss(rates, counts).backward()
print(rates.grad)

mu = torch.tensor([[0.5, 1.0], [2.0, -1.0], [0.0, 0.2]], requires_grad=True)
target = torch.tensor([[0.0, 1.5], [2.5, -1.0], [0.1, 0.2]])
var = torch.tensor([[0.5, 1.0], [2.0, 0.25], [1.0, 1e-9]], requires_grad=True)
gl = nn.GaussianNLLLoss()(mu, target, var)
gl.backward()
print("gauss", gl, mu.grad, var.grad)
print("gauss full", F.gaussian_nll_loss(mu, target, torch.tensor([1.0, 2.0, 0.5]), full=True, reduction="sum"))

anchor = torch.tensor([[0.0, 1.0], [1.0, 1.0], [2.0, -1.0]], requires_grad=True)
pos = torch.tensor([[0.1, 0.9], [1.5, 1.0], [2.0, 0.0]])
neg = torch.tensor([[0.0, 1.6], [1.0, 1.2], [0.5, -1.0]])
for kw in [{}, {"margin": 0.5, "p": 1}, {"swap": True}]:
    anchor.grad = None
    tl = nn.TripletMarginLoss(**kw)(anchor, pos, neg)
    tl.backward()
    print("triplet", kw, tl, anchor.grad)

scores = torch.tensor([[0.1, 0.2, 0.4, 0.8], [0.9, 0.1, 0.3, 0.2]], requires_grad=True)
cls = torch.tensor([3, 1])
for kw in [{}, {"p": 2, "margin": 0.5}, {"weight": torch.tensor([1.0, 2.0, 0.5, 1.5])}]:
    scores.grad = None
    ml = nn.MultiMarginLoss(**kw)(scores, cls)
    ml.backward()
    print("multimargin", ml, scores.grad)
print(F.multi_margin_loss(scores, cls, reduction="none"))

logits = torch.tensor([[1.0, -0.5, 0.2], [0.3, 2.0, -1.0]], requires_grad=True)
print("ce smooth", F.cross_entropy(logits, torch.tensor([0, 1]), label_smoothing=0.1))
print("ce probs", F.cross_entropy(logits, torch.tensor([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5]]), label_smoothing=0.2))
bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 1.0, 0.5]))
pw = bce(logits, torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]))
pw.backward()
print("bce pos_weight", pw, logits.grad)

for bad in [lambda: F.kl_div(logp, p, reduction="avg"), lambda: F.gaussian_nll_loss(mu, target, torch.ones(4)),
            lambda: F.triplet_margin_loss(anchor, pos, neg, margin=-1.0),
            lambda: F.multi_margin_loss(scores, cls, p=3)]:
    try:
        bad()
    except (ValueError, RuntimeError) as e:
        print(type(e).__name__ + ":", e)
