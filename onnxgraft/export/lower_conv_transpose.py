"""ONNX lowerings of the ops in ir/ops/conv_transpose.py (Conv, ConvTranspose) and ir/ops/gamma.py.

Conv and ConvTranspose are ONNX's own operators with the same attributes; they are written as they
are, with kernel_shape made explicit. onnxruntime implements both for float32 (and float16) only,
so a float64 node is refused with the dtype named rather than written into a model that no
onnxruntime session can load. ONNX has no lgamma, digamma or polygamma operator: those nodes
are refused naming the op (the frontend already refuses them under capture).
"""
from .onnx import ExportError, lowering

# float64 conv1d/conv2d are captured composed (nn/functional.py); a float64 Conv node comes from the
# gradient of a float64 conv_transpose
_TORCH_NAME = {"Conv": "convolution (conv1d/conv2d or the gradient of conv_transpose)",
               "ConvTranspose": "conv_transpose"}


@lowering("Conv", "ConvTranspose")
def _conv(w, d, ins, outs, metas):
    op, dtype = d["op"], metas[0][1]
    if dtype not in ("float32", "float16"):
        raise ExportError(f"to_model: {_TORCH_NAME[op]} (node {d['name']!r}) on {dtype} tensors: onnxruntime's "
                          f"{op} runs on float32 and float16 only; convert the model and data with .float()")
    attrs = {k: v for k, v in d["attrs"].items() if k not in ("kernel_shape", "auto_pad", "output_shape")}
    w.add(op, ins, outs, d["name"], kernel_shape=tuple(metas[1][0][2:]), **attrs)


@lowering("Lgamma", "Digamma", "Polygamma")
def _gamma(w, d, ins, outs, metas):
    name = {"Lgamma": "lgamma", "Digamma": "digamma", "Polygamma": "polygamma"}[d["op"]]
    raise ExportError(f"to_model: torch.{name} (node {d['name']!r}) has no operator in standard ONNX; keep it "
                      f"outside the exported or compiled step")
