"""The op registry: every op declared once, with its eager kernel, shape/dtype rule and VJP.

An entry is plain data plus three pure functions:
- `eager(*arrays, **attrs)` computes with numpy (a tuple for multi-output ops);
- `infer(*metas, **attrs)` maps input (shape, dtype) pairs to a list of output metas and raises
  `ShapeError` in the user's terms when the inputs do not fit;
- `vjp(g, out, *inputs, **attrs)` returns one gradient (or None) per input, written only with the
  op methods of `OpMixin`, so it runs on eager Tensors, records itself under create_graph=True and
  appends backward nodes to an `ir.Graph`. A slot may hold a zero-argument callable instead of a
  value: it is called only when that input needs a gradient (PyTorch's `needs_input_grad`).

`saves` lists what the VJP reads, as input indices and "out": PyTorch's version-counter check and
its "backward a second time" error apply only to values really saved.
"""


class ShapeError(ValueError):
    """Inputs of an op do not fit together; the message names the op and the shapes."""


class NoGradientError(RuntimeError):
    """An op on the path to the loss has no derivative rule."""


class OpDef:
    __slots__ = ("name", "eager", "infer", "vjp", "saves", "saves_out", "n_outputs",
                 "differentiable", "grad_name", "family")

    def __init__(self, name, eager, infer, vjp, saves, n_outputs, differentiable, grad_name, family):
        self.name = name
        self.eager = eager
        self.infer = infer
        self.vjp = vjp
        self.saves = tuple(i for i in saves if i != "out")
        self.saves_out = "out" in saves
        self.n_outputs = n_outputs
        self.differentiable = differentiable
        self.grad_name = grad_name or f"{name}Backward0"
        self.family = family

    def __repr__(self):
        return f"<op {self.name}>"


REGISTRY = {}


def defop(name, *, eager, infer, vjp=None, saves=(), n_outputs=1, differentiable=True,
          grad_name=None, family=""):
    """Declare an op. `differentiable=False` marks ops whose outputs carry no gradient
    (comparisons, ArgMax); `vjp=None` on a differentiable op raises NoGradientError in backward."""
    if name in REGISTRY:
        raise ValueError(f"op {name} is declared twice")
    REGISTRY[name] = OpDef(name, eager, infer, vjp, saves, n_outputs, differentiable, grad_name, family)
    return REGISTRY[name]


def get(name):
    try:
        return REGISTRY[name]
    except KeyError:
        raise NotImplementedError(f"onnxgraft has no op named {name!r}; "
                                  f"known ops: {', '.join(sorted(REGISTRY))}") from None
