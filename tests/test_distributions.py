"""torch.distributions: seeded samples, densities, entropies, KL and gradients equal PyTorch's bit for
bit (the same recipes on the same generator), plus PyTorch's validation errors and reprs."""
import math

import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.distributions import (Bernoulli, Categorical, Exponential, Independent, Normal, OneHotCategorical,
                                     OneHotCategoricalStraightThrough, Uniform, constraints, kl_divergence)


def _bits(values):
    return [(v.detach().numpy().dtype, v.detach().numpy().tobytes()) if hasattr(v, "detach") else v for v in values]


def _same_as_torch(recipe):
    torch = pytest.importorskip("torch")
    ours, theirs = recipe(og), recipe(torch)
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(_bits(ours), _bits(theirs))):
        assert a == b, (i, ours[i], theirs[i])


def _categorical(T):
    D = T.distributions
    T.manual_seed(7)
    logits = T.tensor([[0.5, -1.0, 2.0], [0.1, 0.2, 0.3]], requires_grad=True)
    c = D.Categorical(logits=logits)
    a = c.sample()
    out = [a, c.sample((4,)), c.sample((2, 3)), c.log_prob(a), c.entropy(), c.probs, c.logits, c.mode,
           c.enumerate_support(), c.perplexity()]
    probs = T.tensor([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]], requires_grad=True)
    c2 = D.Categorical(probs=probs * 2)  # unnormalized: Categorical divides by the sum
    a2 = c2.sample((5,))
    lp = c2.log_prob(a2)
    (-(lp * T.arange(5.0).unsqueeze(1)).sum()).backward()
    out += [a2, lp, c2.entropy(), c2.logits, probs.grad, c2.expand((4, 2)).sample()]
    out.append(D.kl_divergence(c2, D.Categorical(logits=T.tensor([0.0, 0.0, 1.0]))))
    return out


def _normal(T):
    D = T.distributions
    T.manual_seed(3)
    loc = T.tensor([0.5, -1.0, 3.0], requires_grad=True)
    scale = T.tensor([1.5, 0.3, 20.0], requires_grad=True)
    n = D.Normal(loc, scale)
    s = n.sample((4,))
    r = n.rsample((2,))
    lp = n.log_prob(s)
    (lp.sum() + (r * r).sum() + n.entropy().sum()).backward()
    out = [s, r, lp, n.entropy(), n.cdf(s), n.mean, n.stddev, n.variance, loc.grad, scale.grad]
    out += [D.Normal(0.0, 1.0).sample((5,)), D.Normal(T.zeros(2, 1), 2.0).rsample((3,)),
            D.Normal(loc, scale).expand((2, 3)).sample()]
    out.append(D.kl_divergence(n, D.Normal(T.tensor(0.0), T.tensor(1.0))))
    return out


def _bernoulli(T):
    D = T.distributions
    T.manual_seed(11)
    p = T.tensor([0.2, 0.7, 0.5, 0.0, 1.0], requires_grad=True)
    b = D.Bernoulli(probs=p)
    x = b.sample((3,))
    lp = b.log_prob(x)
    lp.sum().backward()
    out = [x, lp, b.entropy(), b.logits, b.mode, b.variance, p.grad, b.enumerate_support()]
    lg = T.tensor([0.3, -2.0, 1.0], requires_grad=True)
    b2 = D.Bernoulli(logits=lg)
    x2 = b2.sample()
    (b2.log_prob(x2) * T.tensor([1.0, -1.0, 2.0])).sum().backward()
    out += [x2, b2.probs, lg.grad, D.Bernoulli(0.3).sample((4,))]
    out.append(D.kl_divergence(D.Bernoulli(probs=T.tensor([0.2, 0.7, 0.5])), b2))
    return out


def _uniform_exponential(T):
    D = T.distributions
    T.manual_seed(5)
    low = T.tensor([0.0, 1.0], requires_grad=True)
    high = T.tensor([2.0, 5.0], requires_grad=True)
    u = D.Uniform(low, high)
    x = u.rsample((3,))
    x.sum().backward()
    out = [x, u.log_prob(x), D.Uniform(low, high, validate_args=False).log_prob(T.tensor([3.0, 2.0])), u.entropy(), u.cdf(x), u.icdf(T.tensor([0.25, 0.5])),
           u.mean, u.stddev, u.variance, low.grad, high.grad, D.Uniform(-1.0, 1.0).sample((4,))]
    rate = T.tensor([0.5, 2.0], requires_grad=True)
    e = D.Exponential(rate)
    y = e.rsample((3,))
    (y.sum() + e.log_prob(y.detach()).sum()).backward()
    out += [y, e.log_prob(y), e.entropy(), e.cdf(y), e.icdf(T.tensor([0.1, 0.9])), e.mean, e.variance, rate.grad,
            D.kl_divergence(e, D.Exponential(T.tensor([1.0, 1.0]))),
            D.kl_divergence(u, D.Uniform(T.tensor([-1.0, 0.0]), T.tensor([3.0, 6.0])))]
    return out


def _one_hot_independent(T):
    D = T.distributions
    T.manual_seed(13)
    oh = D.OneHotCategorical(probs=T.tensor([0.1, 0.6, 0.3]))
    x = oh.sample((4,))
    out = [x, oh.log_prob(x), oh.entropy(), oh.mean, oh.variance, oh.mode, oh.enumerate_support()]
    logits = T.tensor([0.2, -0.4, 1.1], requires_grad=True)
    st = D.OneHotCategoricalStraightThrough(logits=logits)
    z = st.rsample()
    (z * T.tensor([1.0, 2.0, 3.0])).sum().backward()
    out += [z, logits.grad]
    loc = T.tensor([[0.0, 1.0, 2.0], [-1.0, 0.5, 0.0]], requires_grad=True)
    ind = D.Independent(D.Normal(loc, T.ones(2, 3)), 1)
    y = ind.rsample((2,))
    lp = ind.log_prob(y.detach())
    lp.sum().backward()
    out += [y, lp, ind.entropy(), ind.mean, ind.variance, loc.grad,
            D.kl_divergence(ind, D.Independent(D.Normal(T.zeros(2, 3), 2 * T.ones(2, 3)), 1))]
    return out


@pytest.mark.parametrize("recipe", [_categorical, _normal, _bernoulli, _uniform_exponential, _one_hot_independent],
                         ids=lambda f: f.__name__.strip("_"))
def test_matches_torch_bit_for_bit(recipe):
    _same_as_torch(recipe)


def _reprs(T):
    D = T.distributions
    return [repr(D.Normal(0.0, 1.0)), repr(D.Normal(T.zeros(2), T.ones(2))),
            repr(D.Categorical(logits=T.zeros(3))), repr(D.Bernoulli(probs=T.tensor([0.5]))),
            repr(D.Uniform(0.0, 2.0)), repr(D.Exponential(T.tensor([1.0, 2.0]))),
            repr(D.Independent(D.Normal(T.zeros(2, 3), T.ones(2, 3)), 2)),
            repr(D.OneHotCategorical(probs=T.tensor([0.5, 0.5]))),
            str(D.Independent(D.Normal(T.zeros(2, 3), T.ones(2, 3)), 1).event_shape),
            str(D.Categorical(logits=T.zeros(4, 3)).batch_shape),
            repr(D.Categorical(logits=T.zeros(3)).support), repr(D.constraints.positive),
            repr(D.constraints.real_vector), repr(D.constraints.simplex), repr(D.Uniform(0.0, 1.0).support),
            D.Normal.has_rsample, D.Categorical.has_rsample, D.Categorical.has_enumerate_support]


def test_reprs_and_shapes_match_torch():
    torch = pytest.importorskip("torch")
    assert _reprs(og) == _reprs(torch)


def _errors(T):
    D = T.distributions
    bad = [lambda: D.Normal(T.tensor([0.0]), T.tensor([-1.0])),
           lambda: D.Categorical(probs=T.tensor([0.5, 0.5]), logits=T.tensor([0.0, 0.0])),
           lambda: D.Categorical(),
           lambda: D.Categorical(probs=T.tensor(0.5)),
           lambda: D.Categorical(logits=T.tensor([[0.5, 0.5]]) * -1).log_prob(T.tensor([[3]])),
           lambda: D.Categorical(probs=T.tensor([0.5, -0.5])),
           lambda: D.Normal(0.0, 1.0).log_prob(1.0),
           lambda: D.Normal(T.zeros(3), 1.0).log_prob(T.zeros(2)),
           lambda: D.Categorical(logits=T.zeros(3)).log_prob(T.tensor(5)),
           lambda: D.Bernoulli(probs=T.tensor([1.5])),
           lambda: D.Bernoulli(probs=T.tensor([0.5])).log_prob(T.tensor([0.5])),
           lambda: D.Uniform(T.tensor([1.0]), T.tensor([0.0])),
           lambda: D.Exponential(T.tensor([0.0])),
           lambda: D.Independent(D.Normal(T.zeros(2), T.ones(2)), 2),
           lambda: D.OneHotCategorical(probs=T.tensor([0.5, 0.5])).log_prob(T.tensor([1.0, 1.0])),
           lambda: D.Normal("a", 1.0)]
    messages = []
    for fn in bad:
        try:
            fn()
            messages.append(None)
        except ValueError as e:
            messages.append(("ValueError", str(e).replace("torch.", "").replace("onnxgraft.", "")))
    return messages


def test_errors_match_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = _errors(og), _errors(torch)
    for a, b in zip(ours, theirs):
        assert a == b
    assert all(m is not None for m in ours)


def test_validate_args_off_and_kl_not_registered():
    n = Normal(og.tensor([0.0]), og.tensor([-1.0]), validate_args=False)  # no check when disabled
    assert n.scale.item() == -1.0
    with pytest.raises(NotImplementedError, match="No KL\\(p \\|\\| q\\) is implemented for p type Normal and "
                                                  "q type Bernoulli"):
        kl_divergence(Normal(0.0, 1.0), Bernoulli(probs=0.5))


def test_lazy_import_and_module_paths():
    assert og.distributions.Normal is Normal
    import onnxgraft.distributions as D
    assert D.Categorical is Categorical and D.constraints is constraints
    from onnxgraft.distributions.normal import Normal as N2
    assert N2 is Normal


def test_reinforce_gradient_against_finite_differences():
    # the score-function gradient of sum(log_prob(a) * r) w.r.t. logits, without torch
    logits0 = np.array([[0.3, -0.2, 1.1], [2.0, 0.0, -1.0]], np.float64)
    actions = og.tensor([2, 0])
    reward = og.tensor([1.5, -0.5], dtype=og.float64)

    def objective(values):
        return (Categorical(logits=og.tensor(values)).log_prob(actions) * reward).sum().item()

    logits = og.tensor(logits0, requires_grad=True)
    (Categorical(logits=logits).log_prob(actions) * reward).sum().backward()
    numeric = np.zeros_like(logits0)
    for idx in np.ndindex(*logits0.shape):
        step = np.zeros_like(logits0)
        step[idx] = 1e-6
        numeric[idx] = (objective(logits0 + step) - objective(logits0 - step)) / 2e-6
    np.testing.assert_allclose(logits.grad.numpy(), numeric, rtol=1e-6, atol=1e-8)


def test_normal_rsample_gradient_and_statistics():
    og.manual_seed(0)
    loc = og.tensor([1.0, -2.0], requires_grad=True)
    scale = og.tensor([0.5, 3.0], requires_grad=True)
    x = Normal(loc, scale).rsample((20000,))
    x.mean().backward()
    # d mean(loc + eps*scale) / d loc = 0.5 (up to float32 accumulation of 20000 terms of 1/40000)
    np.testing.assert_allclose(loc.grad.numpy(), [0.5, 0.5], rtol=1e-3)
    np.testing.assert_allclose(x.detach().mean(0).numpy(), [1.0, -2.0], atol=0.1)
    np.testing.assert_allclose(x.detach().std(0).numpy(), [0.5, 3.0], rtol=0.05)
    assert x.shape == (20000, 2)
    assert Normal(0.0, 1.0).log_prob(og.tensor(0.0)).item() == pytest.approx(-0.5 * math.log(2 * math.pi))


def test_nn_init_sparse_matches_torch():
    torch = pytest.importorskip("torch")

    def run(T):
        T.manual_seed(4)
        w = T.empty(6, 5)
        T.nn.init.sparse_(w, 0.34)
        w2 = T.empty(3, 4)
        T.nn.init.sparse_(w2, 0.5, std=1.0, generator=T.Generator().manual_seed(9))
        return [w, w2, T.randn(2)]  # the default generator advanced the same way

    assert _bits(run(og)) == _bits(run(torch))
    assert (run(og)[0] == 0).sum(0).tolist() == [3] * 5   # ceil(0.34 * 6) zeros per column
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        og.nn.init.sparse_(og.empty(3), 0.1)


def _poisson(T):
    T.manual_seed(21)
    r = T.tensor([[0.0, 0.5, 3.0, 9.99], [10.0, 25.0, 100.0, 1e4]])
    out = [T.poisson(r), T.poisson(r.double()), T.poisson(T.full((50,), 12.5)),
           T.poisson(r, generator=T.Generator().manual_seed(3)), T.randn(3)]
    p = T.distributions.Poisson(T.tensor([0.5, 4.0, 30.0]))
    x = p.sample((3,))
    out += [x, p.log_prob(x), p.mean, p.mode,
            T.distributions.kl_divergence(p, T.distributions.Poisson(T.tensor([1.0, 1.0, 25.0])))]
    # the exponential-family entropy (Bregman divergence through autograd.grad, create_graph)
    ef = T.distributions.ExponentialFamily.entropy
    out += [ef(T.distributions.Normal(T.tensor([0.5, 4.0]), T.tensor([1.5, 0.2]))),
            ef(T.distributions.Exponential(T.tensor([0.5, 3.0])))]
    rates = T.tensor([2.0, 5.0], requires_grad=True)
    s = T.poisson(rates)
    (s * 3).sum().backward()
    return out + [s, rates.grad]


def test_poisson_matches_torch_bit_for_bit():
    _same_as_torch(_poisson)


def test_poisson_errors_and_grad_fn():
    rates = og.tensor([2.0, 5.0], requires_grad=True)
    assert og.poisson(rates).grad_fn.name() == "PoissonBackward0"
    with pytest.raises(RuntimeError, match="invalid Poisson rate, expected rate to be non-negative"):
        og.poisson(og.tensor([1.0, -1.0]))
    og.manual_seed(0)
    draws = og.poisson(og.full((4000,), 3.0))
    assert abs(draws.mean().item() - 3.0) < 0.15 and draws.dtype == og.float32


def test_compiled_reinforce_step_matches_eager():
    # Categorical(logits=...) inside onnxgraft.compile: logsumexp exports as ONNX ReduceLogSumExp,
    # validation is skipped while recording (it needs values) and runs on eager calls
    og.manual_seed(1)
    lin = og.nn.Linear(4, 3)
    opt = og.optim.SGD(lin.parameters(), lr=0.1)

    def step(x, a, r):
        opt.zero_grad()
        d = Categorical(logits=lin(x))
        loss = -(d.log_prob(a) * r).sum() - 0.01 * d.entropy().sum()
        loss.backward()
        opt.step()
        return loss

    x, a, r = og.randn(5, 4), og.tensor([0, 2, 1, 1, 0]), og.tensor([1.0, -1.0, 0.5, 2.0, 0.0])
    w0, b0 = lin.weight.detach().clone(), lin.bias.detach().clone()
    compiled = og.compile(step)
    got = [compiled(x, a, r).item() for _ in range(3)]
    w_compiled = lin.weight.detach().clone()
    with og.no_grad():
        lin.weight.copy_(w0)
        lin.bias.copy_(b0)
    want = [step(x, a, r).item() for _ in range(3)]
    np.testing.assert_allclose(got, want, rtol=1e-6)
    np.testing.assert_allclose(w_compiled.numpy(), lin.weight.detach().numpy(), atol=1e-6)
    assert got[0] != got[2]   # the parameters moved between the calls


def _logsumexp(T):
    # logsumexp is one op whose backward is PyTorch's grad * exp(x - result) (ir/ops/logsumexp.py);
    # under 32 elements PyTorch's exp is correctly rounded, like onnxgraft's
    x = T.tensor([[0.3, -1.2, 2.5, 0.0], [4.0, 4.0, -3.0, 1.5], [-100.0, 0.2, 0.7, -0.1]], requires_grad=True)
    g = T.tensor([1.5, -0.25, 3.0])
    y = x.logsumexp(-1)
    y.backward(g)
    z = T.logsumexp(x, dim=(0, 1), keepdim=True)
    w = x.logsumexp(0, keepdim=True)
    inf_rows = T.tensor([[-float("inf"), -float("inf")], [float("inf"), 1.0]]).logsumexp(1)
    return [y, x.grad, z, w, inf_rows, T.tensor([1, 2, 3]).logsumexp(0)], [y.grad_fn.name(), z.grad_fn.name()]


def test_logsumexp_value_gradient_and_grad_fn_match_torch():
    torch = pytest.importorskip("torch")
    (ours, names), (theirs, their_names) = _logsumexp(og), _logsumexp(torch)
    assert names == their_names
    assert _bits(ours) == _bits(theirs)
