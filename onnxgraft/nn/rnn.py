"""Recurrent layers: RNNCell, LSTMCell, GRUCell and the multi-layer RNN, LSTM, GRU.

Semantics are PyTorch's (constructor arguments and checks, parameter names and shapes, gate
order, outputs and their shapes, batch_first, unbatched inputs, error messages, repr). The
recurrences are written in ordinary differentiable Tensor ops (F.linear, sigmoid, tanh, chunk,
stack, cat) in a Python loop over time steps, so gradients, higher-order gradients, capture
(`onnxgraft.compile` unrolls the loop: the sequence length is part of the input signature) and
ONNX export need nothing special. The input projections of all time steps are computed as one
matrix product per layer and direction; only the recurrent product runs per step.

Not supported: PackedSequence inputs (torch.nn.utils.rnn.pack_padded_sequence) and LSTM
projections (proj_size > 0). Dropout between layers is eager-only in training mode, as F.dropout.
Default initialization is PyTorch's U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) for every
parameter, with PyTorch's numbers for the same seed.
"""
import math
import numbers
import warnings

from ..frontend import dtype as dt
from ..frontend.factories import empty, zeros
from ..frontend.functions import stack
from ..frontend.tensor import Tensor, _check_device, cat
from . import functional as F
from . import init
from .module import Module, Parameter

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


# -- one time step of each cell kind (gi: the input projection x W_ih^T + b_ih, already computed) --------
def _rnn_tanh_step(gi, h, w_hh, b_hh):
    # h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
    return (gi + F.linear(h, w_hh, b_hh)).tanh()


def _rnn_relu_step(gi, h, w_hh, b_hh):
    # h' = relu(W_ih x + b_ih + W_hh h + b_hh)
    return (gi + F.linear(h, w_hh, b_hh)).relu()


def _lstm_step(gi, state, w_hh, b_hh):
    # gates in PyTorch's order i, f, g, o; c' = f c + i g; h' = o tanh(c')
    h, c = state
    i, f, g, o = (gi + F.linear(h, w_hh, b_hh)).chunk(4, 1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c.tanh(), c


def _gru_step(gi, h, w_hh, b_hh):
    # gates r, z, n; n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h' = (1 - z) n + z h = n + z (h - n)
    i_r, i_z, i_n = gi.chunk(3, 1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, 1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return n + z * (h - n)


_STEPS = {"RNN_TANH": _rnn_tanh_step, "RNN_RELU": _rnn_relu_step, "LSTM": _lstm_step, "GRU": _gru_step}


class RNNBase(Module):
    """The multi-layer recurrent network shared by RNN, LSTM and GRU (mode "RNN_TANH", "RNN_RELU",
    "LSTM" or "GRU"). Input (L, N, H_in), or (N, L, H_in) with batch_first, or unbatched (L, H_in).
    PackedSequence inputs are not supported."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if device is not None:
            _check_device(device)
        dtype = dt.to_dtype(dtype) or dt.float32
        # the checks and their order are PyTorch's
        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=3)
        if not isinstance(bias, bool):
            raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(f"batch_first should be of type bool, got: {type(batch_first).__name__}")
        if not isinstance(input_size, int):
            raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if proj_size > 0:
            raise NotImplementedError("onnxgraft's LSTM does not support projections (proj_size > 0) yet; "
                                      "use proj_size=0 and an nn.Linear on the output instead")
        gate_size = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}.get(mode)
        if gate_size is None:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        gate_size *= hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 0 else hidden_size * num_directions
                suffix = "_reverse" if direction == 1 else ""
                shapes = [("weight_ih", (gate_size, layer_input_size)), ("weight_hh", (gate_size, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                names = []
                for stem, shape in shapes:
                    name = f"{stem}_l{layer}{suffix}"
                    setattr(self, name, Parameter(empty(shape, dtype=dtype)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        # looked up by name on every use, so replaced or reloaded parameters are always the current ones
        return [getattr(self, name, None) for name in self._flat_weights_names]

    @property
    def all_weights(self):
        """The parameters per layer and direction: [[weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0], ...]."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self):
        """A no-op kept for PyTorch compatibility (it packs cuDNN weights there)."""

    def reset_parameters(self):
        """Every parameter ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    # -- checks (PyTorch's messages) -------------------------------------------------------------------
    def check_input(self, input, batch_sizes=None):
        w = self._flat_weights[0]
        if input.dtype != w.dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({w.dtype}). Convert "
                             f"input: input.to({w.dtype}), or convert model: model.to({input.dtype})")
        if input.dim() != 3:
            raise RuntimeError(f"input must have 3 dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.size(-1)}")

    def get_expected_hidden_size(self, input, batch_sizes=None):
        mini_batch = input.size(0) if self.batch_first else input.size(1)
        return (self.num_layers * (2 if self.bidirectional else 1), mini_batch, self.hidden_size)

    def check_hidden_size(self, hx, expected_hidden_size, msg="Expected hidden size {}, got {}"):
        if tuple(hx.size()) != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input, hidden, batch_sizes=None):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # -- the computation -------------------------------------------------------------------------------
    def _check_not_packed(self, input):
        if not isinstance(input, Tensor):
            raise TypeError(f"{type(self).__name__}: expected a Tensor input, got {type(input).__name__} "
                            "(PackedSequence inputs are not supported by onnxgraft; pad the batch instead)")

    def _run(self, input, hx):
        """input: (L, N, H_in) or (N, L, H_in) with batch_first; hx: (layers * directions, N, H), or a
        (h, c) pair for LSTM. Returns (output, h_n) or (output, (h_n, c_n))."""
        step = _STEPS[self.mode]
        lstm = self.mode == "LSTM"
        num_directions = 2 if self.bidirectional else 1
        layer_input = input.transpose(0, 1) if self.batch_first else input  # time-major from here on
        seq_len = layer_input.shape[0]
        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(num_directions):
                k = layer * num_directions + direction
                w_ih, w_hh, b_ih, b_hh = (self._flat_weight(i) for i in self._layer_slots(k))
                # the input projection of every time step at once: one (L*N, H_in) x (H_in, G) product
                gi = F.linear(layer_input, w_ih, b_ih).unbind(0)
                state = (hx[0][k], hx[1][k]) if lstm else hx[k]
                outs = [None] * seq_len
                order = range(seq_len - 1, -1, -1) if direction == 1 else range(seq_len)
                for t in order:
                    state = step(gi[t], state, w_hh, b_hh)
                    outs[t] = state[0] if lstm else state
                outputs.append(stack(outs, 0))
                h_n.append(state[0] if lstm else state)
                if lstm:
                    c_n.append(state[1])
            layer_input = outputs[0] if num_directions == 1 else cat(outputs, 2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        # grad_fn names of PyTorch's kernels: RNN/GRU transpose their output back in place
        # (TransposeBackward1), LSTM out of place; a float32 unidirectional LSTM runs oneDNN's
        # layer kernel, whose output is MkldnnRnnLayerBackward0
        if self.batch_first:
            output = layer_input.transpose(0, 1)._renamed("TransposeBackward0" if lstm else "TransposeBackward1")
        elif lstm and num_directions == 1 and layer_input.dtype == dt.float32:
            output = layer_input._renamed("MkldnnRnnLayerBackward0")
        else:
            output = layer_input
        h_n = stack(h_n, 0)
        return (output, (h_n, stack(c_n, 0))) if lstm else (output, h_n)

    def _layer_slots(self, k):
        # indices of (w_ih, w_hh, b_ih, b_hh) of layer-direction k in _flat_weights; None for missing biases
        per = 4 if self.bias else 2
        base = k * per
        return (base, base + 1, base + 2, base + 3) if self.bias else (base, base + 1, None, None)

    def _flat_weight(self, i):
        return None if i is None else getattr(self, self._flat_weights_names[i])

    def _zeros_state(self, input, batch):
        return zeros((self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size),
                     dtype=input.dtype)


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu with
    nonlinearity="relu"), stacked num_layers deep, optionally bidirectional.

    `RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False,
    dropout=0.0, bidirectional=False)`. forward(input, hx=None) -> (output, h_n), with output
    (L, N, D*H) (batch_first: (N, L, D*H)) and h_n (D*num_layers, N, H); unbatched (L, H_in) input
    gives (L, D*H) and (D*num_layers, H). PackedSequence inputs are not supported.
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        self._check_not_packed(input)
        if input.dim() not in (2, 3):
            raise ValueError(f"RNN: Expected input to be 2D or 3D, got {input.dim()}D tensor instead")
        return _forward_single_state(self, input, hx)


class GRU(RNNBase):
    """Gated recurrent unit, PyTorch's formulation (gates r, z, n):
    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z = sigmoid(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h.

    Arguments, shapes and outputs as `RNN` (without nonlinearity). PackedSequence inputs are not
    supported.
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        self._check_not_packed(input)
        if input.dim() not in (2, 3):
            raise ValueError(f"GRU: Expected input to be 2D or 3D, got {input.dim()}D instead")
        return _forward_single_state(self, input, hx)


def _forward_single_state(module, input, hx):
    # RNN and GRU: one state tensor; unbatched inputs get a batch dim of 1 and lose it at the end
    is_batched = input.dim() == 3
    batch_dim = 0 if module.batch_first else 1
    if not is_batched:
        input = input.unsqueeze(batch_dim)
        if hx is not None:
            if hx.dim() != 2:
                raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor")
            hx = hx.unsqueeze(1)
    elif hx is not None and hx.dim() != 3:
        raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
    if hx is None:
        hx = module._zeros_state(input, input.size(0) if module.batch_first else input.size(1))
    module.check_forward_args(input, hx)
    output, hidden = module._run(input, hx)
    if not is_batched:
        output = output.squeeze(batch_dim)
        hidden = hidden.squeeze(1)
    return output, hidden


class LSTM(RNNBase):
    """Long short-term memory, PyTorch's formulation (gates i, f, g, o in the rows of the weights):
    i = sigmoid(.), f = sigmoid(.), g = tanh(.), o = sigmoid(.) of x W_ih^T + b_ih + h W_hh^T + b_hh,
    c' = f * c + i * g, h' = o * tanh(c').

    `LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
    bidirectional=False, proj_size=0)`. forward(input, (h_0, c_0)=None) -> (output, (h_n, c_n)).
    proj_size > 0 and PackedSequence inputs are not supported.
    """

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input, batch_sizes=None):
        mini_batch = input.size(0) if self.batch_first else input.size(1)
        return (self.num_layers * (2 if self.bidirectional else 1), mini_batch, self.hidden_size)

    def check_forward_args(self, input, hidden, batch_sizes=None):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def forward(self, input, hx=None):
        self._check_not_packed(input)
        if input.dim() not in (2, 3):
            raise ValueError(f"LSTM: Expected input to be 2D or 3D, got {input.dim()}D instead")
        is_batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not is_batched:
            input = input.unsqueeze(batch_dim)
        if hx is None:
            h0 = self._zeros_state(input, input.size(0) if self.batch_first else input.size(1))
            hx = (h0, h0)
        else:
            if is_batched:
                if hx[0].dim() != 3 or hx[1].dim() != 3:
                    raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D but got "
                                       f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
            else:
                if hx[0].dim() != 2 or hx[1].dim() != 2:
                    raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D but got "
                                       f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
                hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        self.check_forward_args(input, hx)
        output, (h_n, c_n) = self._run(input, hx)
        if not is_batched:
            output = output.squeeze(batch_dim)
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return output, (h_n, c_n)


# -- cells ------------------------------------------------------------------------------------------------
class RNNCellBase(Module):
    """Parameters and checks shared by the cells: weight_ih (chunks*H, H_in), weight_hh (chunks*H, H),
    bias_ih and bias_hh (chunks*H) unless bias=False."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        if device is not None:
            _check_device(device)
        dtype = dt.to_dtype(dtype) or dt.float32
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), dtype=dtype))
        self.weight_hh = Parameter(empty((num_chunks * hidden_size, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self):
        """Every parameter ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _prepare(self, input, hx, name):
        """PyTorch's dimension checks; adds the batch dim to unbatched inputs. Returns (input, hx list,
        is_batched) with hx None for a zero initial state."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None:
            states = list(hx) if isinstance(hx, (tuple, list)) else [hx]
            for idx, value in enumerate(states):
                if value.dim() not in (1, 2):
                    what = f"hx[{idx}]" if isinstance(hx, (tuple, list)) else "hidden"
                    raise ValueError(f"{name}: Expected {what} to be 1D or 2D, got {value.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if hx is None:
            z = zeros((input.size(0), self.hidden_size), dtype=input.dtype)
            states = [z] * (2 if name == "LSTMCell" else 1)
        elif not is_batched:
            states = [s.unsqueeze(0) for s in states]
        # the checks of ATen's check_rnn_cell_forward_input / _hidden, in their order
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} expected {self.input_size}")
        for i, s in enumerate(states):
            if input.size(0) != s.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{i} batch size "
                                   f"{s.size(0)}")
            if s.size(1) != self.hidden_size:
                raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got {s.size(1)}, expected "
                                   f"{self.hidden_size}")
        return input, states, is_batched


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu). Input (N, H_in) or (H_in), hx (N, H) or (H)."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        input, (h,), is_batched = self._prepare(input, hx, "RNNCell")
        if self.nonlinearity == "tanh":
            step = _rnn_tanh_step
        elif self.nonlinearity == "relu":
            step = _rnn_relu_step
        else:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        ret = step(F.linear(input, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: returns (h', c') for input (N, H_in) or (H_in) and hx = (h, c) (or None: zeros)."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        input, (h, c), is_batched = self._prepare(input, hx, "LSTMCell")
        h, c = _lstm_step(F.linear(input, self.weight_ih, self.bias_ih), (h, c), self.weight_hh, self.bias_hh)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step (gates r, z, n as in `GRU`): returns h' for input (N, H_in) or (H_in)."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        input, (h,), is_batched = self._prepare(input, hx, "GRUCell")
        ret = _gru_step(F.linear(input, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)
