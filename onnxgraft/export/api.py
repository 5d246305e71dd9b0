"""`onnxgraft.onnx`: forward-only (inference) export of a module or function, and import.

    onnxgraft.onnx.export(model, (x,), "model.onnx")
"""
from ..frontend.grad_mode import no_grad
from ..frontend.tensor import Tensor
from ..frontend.trace import _module_param_names, capture, flatten_result
from ..passes import run_pipeline
from .onnx import to_model, save_model, from_model, OPSET  # noqa: F401


def export(model, args, f, *, input_names=None, output_names=None, opset_version=OPSET,
           keep_initializers_as_inputs=False):
    """Record `model(*args)` and write it as a standard ONNX inference model to `f` (a path).

    Parameters become initializers (also graph inputs with keep_initializers_as_inputs=True).
    Shapes are those of `args`: the model is exported for exactly these input shapes."""
    if isinstance(args, Tensor):
        args = (args,)
    args = tuple(args)
    names, _, _, _ = _module_param_names(model)
    with no_grad():
        tracer, result = capture(model, args, names, name=type(model).__name__)
    graph = tracer.finish(flatten_result(result), output_names)
    if input_names:
        for nid, name in zip(graph.inputs, input_names):
            graph.node(nid)["name"] = name
    if not keep_initializers_as_inputs:
        for nid in list(graph.params):
            graph.node(nid)["op"] = "Const"
            graph.params.remove(nid)
    graph = run_pipeline(graph)
    model_proto = to_model(graph, opset=opset_version)
    save_model(model_proto, f)
    return model_proto


def load(path):
    """Read an ONNX model into an onnxgraft `ir.Graph` (registry ops only)."""
    import onnx
    return from_model(onnx.load(path))
