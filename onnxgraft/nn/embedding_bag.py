"""nn.EmbeddingBag and F.embedding_bag: per bag, the sum / mean / max of looked-up embedding rows.

Composed of existing ops (embedding, where, add, maximum, div), so autograd, capture and export
need nothing new. The values reproduce PyTorch's CPU kernel (fbgemm EmbeddingSpMDM and its
fallbacks): a bag's rows are accumulated one after another from zero (not by a tree sum), a mean
divides that sum by the bag's row count, and per-sample weights enter as a fused multiply-add
(a float32 product is exact in float64: add there, round once to float32).
"""
import numpy as np

from ..frontend import dtype as dt
from ..frontend.grad_mode import STATE, no_grad
from ..frontend.factories import empty
from ..frontend.tensor import _wrap, maximum as _maximum, where as _where
from . import init
from .module import Module, Parameter

__all__ = ["EmbeddingBag", "embedding_bag"]


def _bags(input, offsets, include_last_offset, padding_idx, per_sample_weights):
    """(ids, keep, psw): ids a (bags, longest) index tensor, keep None (every entry belongs to its
    bag) or a bool tensor of the entries that do (inside the bag, not padding_idx), psw
    per_sample_weights laid out like ids. A 2-D input needs no index values (so it records into a
    graph); offsets do (a bag's length is data)."""
    psw = per_sample_weights
    if psw is not None and tuple(psw.shape) != tuple(input.shape):
        raise ValueError(f"embedding_bag: If per_sample_weights ({tuple(psw.shape)}) is not None, then it "
                         f"must have the same shape as the input ({tuple(input.shape)})")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch "
                             f"of fixed length sequences. However, found offsets of type {type(offsets)}")
        keep = None if padding_idx is None else input != padding_idx
        return input, keep, psw
    if input.dim() != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.dim() != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    if STATE.tracer is not None:
        from ..frontend.trace import CaptureError
        raise CaptureError("embedding_bag with offsets depends on the offset values; record a 2-D input "
                           "(fixed-size bags) instead")
    starts = [int(o) for o in offsets._data]
    n = input.shape[0]
    if starts and starts[0] != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
                           f"from position 0. However, got {starts[0]}")
    if include_last_offset:
        starts, ends = starts[:-1], starts[1:]
    else:
        ends = starts[1:] + [n]
    longest = max([e - s for s, e in zip(starts, ends)] + [0])
    gather = np.zeros((len(starts), longest), np.int64)
    valid = np.zeros((len(starts), longest), bool)
    for b, (s, e) in enumerate(zip(starts, ends)):
        gather[b, :max(e - s, 0)] = np.arange(s, e)
        valid[b, :max(e - s, 0)] = True
    ids_np = input._data[gather] if n else np.zeros(gather.shape, np.int64)
    if padding_idx is not None:
        valid &= ids_np != padding_idx
    ids = _wrap(np.where(valid, ids_np, 0).astype(np.int64))
    if psw is not None:  # lay the weights out like ids (entries outside a bag are masked off)
        psw = psw[_wrap(gather)] if n else psw.new_zeros(gather.shape)
    return ids, _wrap(valid), psw


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    """torch.nn.functional.embedding_bag: one output row per bag of indices, the `mode`
    ("sum" | "mean" | "max") of its embedding rows. A 2-D `input` is a batch of fixed-size bags;
    a 1-D `input` is cut into bags at `offsets`. Entries equal to `padding_idx` are left out of
    their bag; an empty bag gives a zero row. Gradients are PyTorch's: a mean bag passes
    grad * (1 / bag size) to its rows, a max bag passes it to the first row holding the max."""
    from .functional import embedding
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature "
                                  "request on GitHub.")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if padding_idx is not None and padding_idx < 0:
        padding_idx = weight.shape[0] + padding_idx
    ids, keep, psw = _bags(input, offsets, include_last_offset, padding_idx, per_sample_weights)
    # the lookup checks the index range and applies max_norm; entries outside a bag look up a real
    # row and are then dropped by `where`, so they pass no gradient
    rows = embedding(ids, weight, None, max_norm, norm_type, scale_grad_by_freq)
    bags, longest = ids.shape
    dim = weight.shape[1]
    if longest == 0:
        out = weight.new_zeros((bags, dim))
        return (out + weight.sum() * 0)._renamed("EmbeddingBagBackward0") if weight.requires_grad else out
    if mode == "max":
        # PyTorch's kernel keeps the first row holding the max (a strict `>`): gather at argmax
        # routes the whole gradient there, where max-with-ties would share it
        masked = rows if keep is None else _where(keep.unsqueeze(-1), rows, float("-inf"))
        first = masked.argmax(1, keepdim=True)
        out = masked.gather(1, first).squeeze(1)
        if keep is not None:
            out = _where(keep.sum(1, keepdim=True) > 0, out, 0.0)
        return out._renamed("EmbeddingBagBackward0")
    acc = None
    for j in range(longest):
        # a bag's rows are added one after another, as PyTorch's kernel does (not a tree sum)
        term = rows[:, j]
        if psw is not None:
            # PyTorch's kernel fuses the weight multiply into the add (one rounding): a float32
            # product is exact in float64, so add there and round once
            new = (term.double() * psw[:, j:j + 1].double() + (0.0 if acc is None else acc.double()))
            new = new.to(weight.dtype)
        else:
            # the kernel's accumulator starts at +0.0, so a -0.0 row gives +0.0
            new = term + 0.0 if acc is None else acc + term
        if keep is not None:
            new = _where(keep[:, j:j + 1], new, 0.0 if acc is None else acc)
        acc = new
    if mode == "mean":
        count = (longest if keep is None else keep.sum(1, keepdim=True).clamp(min=1))
        count = count if isinstance(count, int) else count.to(weight.dtype)
        value = acc / count
        if STATE.tracer is None and STATE.grad_enabled and acc.requires_grad:
            # forward: PyTorch divides by the bag size; backward: it scales the bag's gradient by
            # the reciprocal rounded to float32. `value + (scaled - scaled)` is `value` exactly and
            # differentiates as `scaled`.
            recip = (1.0 / count) if isinstance(count, int) else (1.0 / count.double())
            scaled = acc * (recip.to(weight.dtype) if not isinstance(recip, float) else
                            _wrap(np.asarray(recip, weight._data.dtype)))
            value = value.detach() + (scaled - scaled.detach())
        acc = value
    if acc.grad_fn is None and STATE.grad_enabled and (weight.requires_grad or
                                                       (psw is not None and psw.requires_grad)):
        acc = acc + 0  # the result hangs on the graph even when no entry was kept
    return acc._renamed("EmbeddingBagBackward0")


class EmbeddingBag(Module):
    """Sums, averages or takes the max of bags of embeddings without building the (bags, length,
    dim) tensor in user code; weight initialized N(0, 1) with the `padding_idx` row zeroed."""

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                 mode="mean", sparse=False, _weight=None, include_last_offset=False, padding_idx=None,
                 device=None, dtype=None):
        super().__init__()
        dtype = dt.to_dtype(dtype) or dt.float32
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        if padding_idx is not None:
            if padding_idx > 0:
                assert padding_idx < self.num_embeddings, "padding_idx must be within num_embeddings"
            elif padding_idx < 0:
                assert padding_idx >= -self.num_embeddings, "padding_idx must be within num_embeddings"
                padding_idx = self.num_embeddings + padding_idx
        self.padding_idx = padding_idx
        if _weight is None:
            self.weight = Parameter(empty((num_embeddings, embedding_dim), dtype=dtype))
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight)
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input, offsets=None, per_sample_weights=None):
        return embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                             self.mode, self.sparse, per_sample_weights, self.include_last_offset,
                             self.padding_idx)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += ", scale_grad_by_freq=True"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                        mode="mean", sparse=False, include_last_offset=False, padding_idx=None):
        """An EmbeddingBag holding `embeddings` (a 2-D tensor) as its weight."""
        assert embeddings.dim() == 2, "Embeddings parameter is expected to be 2-dimensional"
        rows, cols = embeddings.shape
        bag = cls(rows, cols, max_norm, norm_type, scale_grad_by_freq, mode, sparse, embeddings,
                  include_last_offset, padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
