"""Module, Parameter and the containers: registration, names and order, state_dict and its
errors, modes, conversion, hooks, repr, each checked against PyTorch where it is installed."""
import copy
from collections import OrderedDict

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn

from ._util import copy_weights, assert_close


def _net(nn_, T):
    """One model exercising every container and a buffer of each kind, built from either library."""
    class Block(nn_.Module):
        def __init__(self, width):
            super().__init__()
            self.fc = nn_.Linear(width, width)
            self.act = nn_.ReLU()
            self.register_buffer("running", T.zeros(width))
            self.register_buffer("scratch", T.ones(2), persistent=False)

        def forward(self, x):
            return self.act(self.fc(x)) + self.running

    class Net(nn_.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn_.Parameter(T.ones(1))
            self.stem = nn_.Sequential(nn_.Flatten(), nn_.Linear(6, 4), nn_.Tanh())
            self.blocks = nn_.ModuleList([Block(4) for _ in range(3)] + [nn_.Identity()])
            self.heads = nn_.ModuleDict({"cls": nn_.Linear(4, 3), "reg": nn_.Sequential(nn_.Linear(4, 1))})
            self.drop = nn_.Dropout(0.1)
            self.loss = nn_.CrossEntropyLoss(weight=T.ones(3))

        def forward(self, x):
            h = self.stem(x)
            for block in self.blocks:
                h = block(h)
            return self.heads["cls"](self.drop(h)) * self.scale

    return Net()


def test_nested_repr_equals_torch(torch):
    assert repr(_net(nn, og)) == repr(_net(torch.nn, torch))
    seq = nn.Sequential(nn.Linear(784, 512), nn.ReLU())
    assert repr(seq) == "Sequential(\n  (0): Linear(in_features=784, out_features=512, bias=True)\n  (1): ReLU()\n)"
    assert repr(nn.ModuleList()) == repr(torch.nn.ModuleList()) == "ModuleList()"
    assert repr(nn.Sequential()) == repr(torch.nn.Sequential())


def test_names_and_order_equal_torch(torch):
    m, tm = _net(nn, og), _net(torch.nn, torch)
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in tm.named_parameters()]
    assert [n for n, _ in m.named_buffers()] == [n for n, _ in tm.named_buffers()]
    assert [n for n, _ in m.named_modules()] == [n for n, _ in tm.named_modules()]
    assert [n for n, _ in m.named_children()] == [n for n, _ in tm.named_children()]
    assert list(m.state_dict()) == list(tm.state_dict())
    assert [p.shape for p in m.parameters()] == [tuple(p.shape) for p in tm.parameters()]
    assert [n for n, _ in m.named_parameters(recurse=False)] == ["scale"]
    assert [n for n, _ in m.stem.named_parameters(prefix="stem")] == ["stem.1.weight", "stem.1.bias"]
    assert len(list(m.modules())) == len(list(tm.modules()))
    assert all(isinstance(p, nn.Parameter) for p in m.parameters())


def test_forward_and_backward_of_whole_net_match_torch(torch):
    m, tm = _net(nn, og).eval(), _net(torch.nn, torch).eval()
    copy_weights(m, tm)
    x = np.random.default_rng(0).standard_normal((5, 2, 3)).astype(np.float32)
    y = np.array([0, 2, 1, 1, 0])
    lo = m.loss(m(og.tensor(x)), og.tensor(y))
    lt = tm.loss(tm(torch.tensor(x)), torch.tensor(y))
    assert_close(lo, lt)
    lo.backward()
    lt.backward()
    for (n, p), (tn, tp) in zip(m.named_parameters(), tm.named_parameters()):
        assert n == tn
        assert_close(p.grad, tp.grad)


def test_shared_parameters_and_modules_counted_once(torch):
    def build(nn_):
        shared = nn_.Linear(2, 2)
        m = nn_.Sequential(shared, nn_.ReLU(), shared)
        m.extra = shared
        return m
    m, tm = build(nn), build(torch.nn)
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in tm.named_parameters()] == ["0.weight", "0.bias"]
    assert [n for n, _ in m.named_parameters(remove_duplicate=False)] == \
        [n for n, _ in tm.named_parameters(remove_duplicate=False)]
    assert [n for n, _ in m.named_modules()] == [n for n, _ in tm.named_modules()]
    assert list(m.state_dict()) == list(tm.state_dict())
    assert len(list(m.children())) == len(list(tm.children())) == 2


def test_state_dict_tensors_are_detached_and_share_memory():
    m = nn.Linear(3, 2)
    sd = m.state_dict()
    assert isinstance(sd, OrderedDict) and list(sd) == ["weight", "bias"]
    w = sd["weight"]
    assert not w.requires_grad and w.grad_fn is None and not isinstance(w, nn.Parameter)
    with og.no_grad():
        m.weight.add_(1.0)
    np.testing.assert_array_equal(w.numpy(), m.weight.detach().numpy())
    assert sd._metadata[""] == {"version": 1}
    kept = m.state_dict(keep_vars=True)
    assert kept["weight"] is m.weight


def test_load_state_dict_copies_in_place(torch):
    src, dst = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)), \
        nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    params_before = list(dst.parameters())
    versions = [p._version for p in params_before]
    result = dst.load_state_dict(src.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert all(a is b for a, b in zip(params_before, dst.parameters()))  # optimizers keep working
    assert all(p._version > v for p, v in zip(dst.parameters(), versions))
    for a, b in zip(src.parameters(), dst.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
        assert a._data is not b._data
    assert dst[0].weight.requires_grad and dst[0].weight.is_leaf
    # a float64 checkpoint is cast into the float32 parameters, as PyTorch does
    dst.load_state_dict({k: v.double() for k, v in src.state_dict().items()})
    assert dst[0].weight.dtype == og.float32


def _load_error(module, state, **kw):
    with pytest.raises(Exception) as info:
        module.load_state_dict(state, **kw)
    return type(info.value), str(info.value)


def test_load_state_dict_errors_match_torch(torch):
    m = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    tm = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    sd = m.state_dict()
    tsd = tm.state_dict()

    def broken(state, ones):
        state = OrderedDict(state)
        del state["0.bias"]
        state["foo"] = ones(1)
        state["2.weight"] = ones(5, 3)
        state["1.bar.baz"] = ones(1)
        return state
    before = [p.detach().numpy().copy() for p in m.parameters()]
    ours = _load_error(m, broken(sd, og.ones))
    assert ours == _load_error(tm, broken(tsd, torch.ones))
    assert "Missing key(s) in state_dict: \"0.bias\". \n\tUnexpected key(s)" in ours[1]
    # all checks run before any copy: a failed load leaves the module as it was
    for p, b in zip(m.parameters(), before):
        np.testing.assert_array_equal(p.detach().numpy(), b)

    assert _load_error(m, {**sd, "0.bias": [1.0, 2.0, 3.0]}) == _load_error(tm, {**tsd, "0.bias": [1.0, 2.0, 3.0]})
    assert _load_error(m, [1]) == _load_error(tm, [1])
    # strict=False still reports size mismatches, and returns the key lists otherwise
    small = {k: v for k, v in sd.items() if k != "0.bias"}
    res, tres = m.load_state_dict(dict(small, extra=og.ones(1)), strict=False), \
        tm.load_state_dict(dict({k: v for k, v in tsd.items() if k != "0.bias"}, extra=torch.ones(1)), strict=False)
    assert res == tres and repr(res) == repr(tres)
    assert _load_error(m, dict(sd, **{"2.weight": og.ones(1)}), strict=False) == \
        _load_error(tm, dict(tsd, **{"2.weight": torch.ones(1)}), strict=False)


def test_load_state_dict_assign():
    m = nn.Linear(2, 2)
    new_w = og.ones(2, 2)
    m.load_state_dict({"weight": new_w, "bias": og.zeros(2)}, assign=True)
    assert isinstance(m.weight, nn.Parameter) and m.weight.requires_grad
    assert m.weight._data is new_w._data


def test_buffers_and_registration_errors_match_torch(torch):
    def build(nn_, T):
        class M(nn_.Module):
            def __init__(self):
                super().__init__()
                self.register_buffer("rm", T.zeros(3))
                self.register_buffer("tmp", T.zeros(2), persistent=False)
                self.l = nn_.Linear(2, 2)
                self.p = nn_.Parameter(T.ones(1))
        return M()
    m, tm = build(nn, og), build(torch.nn, torch)
    assert list(m.state_dict()) == list(tm.state_dict()) == ["p", "rm", "l.weight", "l.bias"]
    assert [n for n, _ in m.named_buffers()] == ["rm", "tmp"]
    cases = [
        lambda mod, T, nn_: setattr(mod, "l", 3),
        lambda mod, T, nn_: setattr(mod, "p", T.ones(1)),
        lambda mod, T, nn_: setattr(mod, "rm", 3),
        lambda mod, T, nn_: mod.register_buffer("p", T.ones(1)),
        lambda mod, T, nn_: mod.register_parameter("rm", nn_.Parameter(T.ones(1))),
        lambda mod, T, nn_: mod.register_parameter("q", T.ones(1)),
        lambda mod, T, nn_: mod.register_buffer("a.b", T.ones(1)),
        lambda mod, T, nn_: mod.register_buffer("", T.ones(1)),
        lambda mod, T, nn_: mod.add_module("x.y", nn_.ReLU()),
        lambda mod, T, nn_: mod.add_module("z", 3),
        lambda mod, T, nn_: mod.register_buffer("z", 3),
        lambda mod, T, nn_: mod.nothere,
        lambda mod, T, nn_: nn_.Module()(1),
        lambda mod, T, nn_: mod.train(1),
    ]
    for case in cases:
        with pytest.raises(Exception) as theirs:
            case(tm, torch, torch.nn)
        with pytest.raises(Exception) as ours:
            case(m, og, nn)
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))

    # assigning a plain tensor to a buffer name replaces the buffer; None keeps the slot
    m.rm = og.ones(3)
    assert m.state_dict()["rm"].numpy().tolist() == [1.0, 1.0, 1.0]
    m.register_buffer("nb", None)
    m.register_parameter("np_", None)
    assert "nb" not in m.state_dict() and m.nb is None and m.np_ is None
    del m.rm
    del m.l
    assert list(m.state_dict()) == ["p"]
    assert not hasattr(m, "rm")


def test_assign_before_init_errors(torch):
    for nn_, T in ((nn, og), (torch.nn, torch)):
        class N(nn_.Module):
            def __init__(self):
                self.w = nn_.Parameter(T.ones(1))

        class K(nn_.Module):
            def __init__(self):
                self.w = nn_.Linear(1, 1)
        with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
            N()
        with pytest.raises(AttributeError, match=r"cannot assign module before Module.__init__\(\) call"):
            K()


def test_reassigning_changes_kind(torch):
    for nn_, T in ((nn, og), (torch.nn, torch)):
        m = nn_.Module()
        m.x = nn_.Parameter(T.ones(1))
        with pytest.raises(TypeError, match="as parameter 'x'"):
            m.x = nn_.Linear(1, 1)  # a parameter slot takes only a Parameter or None
        m.x = None
        assert m.x is None and "x" in m._parameters
        m.y = 3
        assert m.y == 3 and "y" in m.__dict__
        m.y = nn_.Parameter(T.ones(2))  # a plain attribute is taken over by a Parameter
        assert "y" not in m.__dict__ and m.y.shape == (2,)
        m.z = nn_.ReLU()
        del m.z
        m.z = nn_.Parameter(T.ones(1))
        assert "y" in dir(m) and "z" in dir(m)


def test_train_eval_propagate():
    m = _net(nn, og)
    assert m.training and all(mod.training for mod in m.modules())
    assert m.eval() is m
    assert not any(mod.training for mod in m.modules())
    m.train()
    assert all(mod.training for mod in m.modules())
    m.blocks.train(False)
    assert m.training and not m.blocks[0].fc.training


def test_zero_grad_and_requires_grad():
    m = nn.Linear(3, 2)
    m(og.randn(4, 3)).sum().backward()
    grad = m.weight.grad
    m.zero_grad(set_to_none=False)
    assert m.weight.grad is grad and float(grad.abs().sum()) == 0.0
    m.zero_grad()
    assert m.weight.grad is None and m.bias.grad is None
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())
    assert m(og.randn(1, 3)).grad_fn is None
    m.requires_grad_()
    assert all(p.requires_grad for p in m.parameters())


def test_to_double_keeps_parameter_identity(torch):
    m = nn.Sequential(nn.Linear(3, 2), nn.CrossEntropyLoss(weight=og.ones(2)))
    m.register_buffer("steps", og.tensor(5))
    m[0](og.randn(4, 3)).sum().backward()
    w = m[0].weight
    assert m.double() is m
    assert m[0].weight is w and isinstance(w, nn.Parameter) and w.requires_grad and w.is_leaf
    assert w.dtype == og.float64 and w.grad.dtype == og.float64
    assert m[1].weight.dtype == og.float64 and m.steps.dtype == og.int64  # integer buffers stay
    m.to(og.float32)
    assert w.dtype == og.float32 and m[0].bias.dtype == og.float32
    m.to("cpu")
    m.to(og.zeros(1, dtype=og.float64))
    assert w.dtype == og.float64
    m.float()
    assert w.dtype == og.float32
    y = m[0](og.randn(1, 3))
    assert y.dtype == og.float32
    with pytest.raises(TypeError) as ours:
        m.to(og.int64)
    with pytest.raises(TypeError) as theirs:
        torch.nn.Module().to(torch.int64)
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(RuntimeError, match="cuda"):
        m.to("cuda")


def test_apply_order_and_init():
    m = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Linear(2, 1)))
    seen = []
    assert m.apply(lambda mod: seen.append(type(mod).__name__)) is m
    assert seen == ["Linear", "ReLU", "Linear", "Sequential", "Sequential"]

    def init_weights(mod):
        if isinstance(mod, nn.Linear):
            nn.init.ones_(mod.weight)
    m.apply(init_weights)
    assert float(m[1][1].weight.detach().sum()) == 2.0


def test_forward_hooks():
    m = nn.Linear(2, 2)
    calls = []
    pre = m.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    post = m.register_forward_hook(lambda mod, args, out: calls.append(out.shape) or out + 1)
    y = m(og.randn(3, 2))
    np.testing.assert_allclose(y.detach().numpy(), (m.bias.detach().numpy() + 1)[None].repeat(3, 0), rtol=1e-6)
    assert calls == [(3, 2)]
    pre.remove()
    post.remove()
    x = og.randn(3, 2)
    np.testing.assert_allclose(m(x).detach().numpy(), nn.functional.linear(x, m.weight, m.bias).detach().numpy())
    kw = m.register_forward_pre_hook(lambda mod, args, kwargs: ((args[0] * 2,), kwargs), with_kwargs=True)
    np.testing.assert_allclose(m(x).detach().numpy(),
                               nn.functional.linear(x * 2, m.weight, m.bias).detach().numpy())
    kw.remove()


def test_module_without_forward_and_get_submodule(torch):
    with pytest.raises(NotImplementedError) as ours:
        nn.Module()(og.ones(1))
    with pytest.raises(NotImplementedError) as theirs:
        torch.nn.Module()(torch.ones(1))
    assert str(ours.value) == str(theirs.value)
    m = _net(nn, og)
    assert m.get_submodule("heads.reg.0") is m.heads["reg"][0]
    assert m.get_parameter("stem.1.weight") is m.stem[1].weight
    assert m.get_buffer("blocks.0.running") is m.blocks[0].running
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        m.get_submodule("stem.nope")


def test_sequential_container(torch):
    layers = [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)]
    s = nn.Sequential(*layers)
    assert len(s) == 3 and list(s) == layers and s[-1] is layers[2]
    sub = s[1:]
    assert isinstance(sub, nn.Sequential) and list(sub._modules) == ["1", "2"]
    with pytest.raises(IndexError, match="index 3 is out of range"):
        s[3]
    del s[0]
    assert list(s._modules) == ["0", "1"] and s[0] is layers[1]
    s.append(nn.Sigmoid())
    s.insert(0, nn.Tanh())
    assert [type(x).__name__ for x in s] == ["Tanh", "ReLU", "Linear", "Sigmoid"]
    s[0] = nn.Identity()
    assert isinstance(s[0], nn.Identity)
    named = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
    tnamed = torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(2, 2)), ("act", torch.nn.ReLU())]))
    assert repr(named) == repr(tnamed) and named[0] is named.fc
    both = named + nn.Sequential(nn.Tanh())
    assert len(both) == 3 and list(both._modules) == ["0", "1", "2"]
    assert s.pop(0).__class__ is nn.Identity and len(s) == 3


def test_modulelist_and_moduledict(torch):
    ml = nn.ModuleList([nn.Linear(1, 1)])
    ml.append(nn.ReLU())
    ml.extend([nn.Tanh(), nn.Tanh()])
    ml.insert(1, nn.Sigmoid())
    assert [type(x).__name__ for x in ml] == ["Linear", "Sigmoid", "ReLU", "Tanh", "Tanh"]
    tml = torch.nn.ModuleList([torch.nn.Linear(1, 1), torch.nn.Sigmoid(), torch.nn.ReLU(), torch.nn.Tanh(),
                               torch.nn.Tanh()])
    assert repr(ml) == repr(tml)
    assert isinstance(ml[1:3], nn.ModuleList) and len(ml[1:3]) == 2 and ml[-1] is ml[4]
    del ml[1]
    assert list(ml._modules) == ["0", "1", "2", "3"]
    ml += [nn.ReLU()]
    assert len(ml) == 5 and [n for n, _ in ml.named_parameters()] == ["0.weight", "0.bias"]
    with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable"):
        ml.extend(nn.ReLU)
    with pytest.raises(NotImplementedError):
        ml(og.ones(1))

    md = nn.ModuleDict({"b": nn.Linear(1, 2), "a": nn.ReLU()})
    tmd = torch.nn.ModuleDict({"b": torch.nn.Linear(1, 2), "a": torch.nn.ReLU()})
    assert repr(md) == repr(tmd) and list(md) == ["b", "a"] and "a" in md and len(md) == 2
    md["c"] = nn.Tanh()
    md.update([("d", nn.Sigmoid())])
    assert list(md.keys()) == ["b", "a", "c", "d"]
    assert md.pop("a").__class__ is nn.ReLU and "a" not in md
    assert [n for n, _ in md.named_parameters()] == ["b.weight", "b.bias"]
    with pytest.raises(ValueError, match="ModuleDict update sequence element #0 has length 3; 2 is required"):
        md.update([("x", nn.ReLU(), 1)])
    md.clear()
    assert len(md) == 0


def test_parameter_semantics(torch):
    t = og.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    assert isinstance(p, og.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf and p._data is t._data  # shares t's data
    assert repr(p) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))
    assert str(p) == repr(p)
    assert repr(nn.Parameter(t, requires_grad=False)) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0]),
                                                                                   requires_grad=False))
    assert repr(nn.Parameter()) == repr(torch.nn.Parameter())
    assert type(p * 2) is og.Tensor and type(p.detach()) is og.Tensor
    with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
        nn.Parameter(og.tensor([1, 2]))
    p.attribute = "parameters may carry attributes"  # a Parameter has a __dict__ (Tensor uses slots)
    assert p.attribute.startswith("parameters")


def test_deepcopy_of_a_module():
    m = nn.Sequential(nn.Linear(2, 2), nn.CrossEntropyLoss(weight=og.ones(2)))
    m[0](og.randn(1, 2)).sum().backward()
    c = copy.deepcopy(m)
    assert isinstance(c[0].weight, nn.Parameter) and c[0].weight is not m[0].weight
    assert c[0].weight.requires_grad and c[0].weight.grad is None
    np.testing.assert_array_equal(c[0].weight.detach().numpy(), m[0].weight.detach().numpy())
    with og.no_grad():
        c[0].weight.add_(1.0)
    assert not np.array_equal(c[0].weight.detach().numpy(), m[0].weight.detach().numpy())
    assert c[1].weight is not m[1].weight
