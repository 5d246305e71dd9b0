"""onnxgraft.save(net) / onnxgraft.load(path, weights_only=False): whole modules, as the
tutorials' `torch.save(net, 'net.pkl')` writes them, and PyTorch's refusal with weights_only=True."""
import pickle

import numpy as np

import pytest

import onnxgraft as og
from onnxgraft import nn


class TwoHeads(nn.Module):
    """Module-level, so loading finds it again by import path."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 3)
        self.bn = nn.BatchNorm1d(3)
        self.head = self.fc  # a shared submodule
        self.scale = 2

    def forward(self, x):
        return self.bn(self.head(x)).relu() * self.scale


def _fixed(net):
    with og.no_grad():
        net.fc.weight.copy_(og.tensor([[1.0, -1.0], [0.5, 2.0], [-0.25, 0.75]]))
        net.fc.bias.copy_(og.tensor([0.1, -0.2, 0.3]))
    return net


def test_whole_module_round_trip(tmp_path):
    net = _fixed(TwoHeads()).eval()
    path = tmp_path / "net.pkl"
    og.save(net, path)
    back = og.load(path, weights_only=False)
    assert type(back) is TwoHeads and not back.training and back.scale == 2
    assert back.head is back.fc and back.fc.weight is back.head.weight  # sharing kept
    assert isinstance(back.fc.weight, nn.Parameter) and back.fc.weight.requires_grad
    x = og.tensor([[1.0, 2.0], [-1.0, 0.5]])
    assert og.equal(back(x), net(x))
    assert list(back.state_dict()) == list(net.state_dict())
    # the loaded module trains: gradients reach its parameters
    back.train()
    back(x).sum().backward()
    assert back.fc.weight.grad is not None


def test_sequential_round_trip_and_default_refusal(tmp_path):
    net = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    path = tmp_path / "seq.pkl"
    og.save(net, path)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        og.load(path)
    back = og.load(path, weights_only=False)
    assert repr(back) == repr(net)
    x = og.tensor([[0.5], [-2.0]])
    assert og.equal(back(x), net(x))


def test_modules_with_hooks_or_local_classes_are_refused(tmp_path):
    net = nn.Linear(2, 2)
    net.register_forward_hook(lambda m, i, o: None)
    with pytest.raises(TypeError, match="builtins.function"):
        og.save(net, tmp_path / "h.pkl")

    class Local(nn.Module):
        pass

    with pytest.raises(TypeError, match="defined inside a function"):
        og.save(Local(), tmp_path / "l.pkl")
    assert not (tmp_path / "h.pkl").exists() and not (tmp_path / "l.pkl").exists()


def test_matches_pytorch_round_trip(tmp_path):
    torch = pytest.importorskip("torch")
    tnet = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.Tanh())
    onet = nn.Sequential(nn.Linear(1, 2), nn.Tanh())
    with torch.no_grad():
        tnet[0].weight.copy_(torch.tensor([[0.3], [-0.7]]))
    onet.load_state_dict({k: og.tensor(v.detach().numpy()) for k, v in tnet.state_dict().items()})
    og.save(onet, tmp_path / "o.pkl")
    back = og.load(tmp_path / "o.pkl", weights_only=False)
    x = [[0.5], [1.5]]
    expected = tnet(torch.tensor(x)).detach().numpy()
    assert np.allclose(back(og.tensor(x)).detach().numpy(), expected, atol=1e-6)
