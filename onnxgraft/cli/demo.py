"""`onnxgraft demo`: the main job on data the package ships.

Trains a 10-50-1 network on the diabetes data (442 patients, 10 features) with PyTorch-style code,
once eagerly and once compiled into a single ONNX training step, checks that both reach the same
weights, exports the step to a standard .onnx file, trains a few more steps from that file with
nothing but onnxruntime, and times eager against compiled (and PyTorch, if installed)."""
import json
import time

import numpy as np

import onnxgraft as og
from onnxgraft import nn, optim
from onnxgraft.benchmark import interleaved_medians
from onnxgraft.datasets import load_diabetes


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(50, 1)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(x)))


def _setup(seed=0, lr=0.02):
    og.manual_seed(seed)
    model = Net()
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.MSELoss()

    def train_step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return model, opt, train_step


def train_with_onnxruntime_only(path, x, y, steps):
    """The loop any language can run: feed the data and the state, feed each new state back."""
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.log_severity_level = 3  # initializers that are also inputs are the point: no warning
    sess = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    meta = sess.get_modelmeta().custom_metadata_map
    state_map = json.loads(meta["onnxgraft.state"])            # {state input: state output}
    import onnx
    from onnx import numpy_helper
    model = onnx.load(path)
    state = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer if i.name in state_map}
    out_names = [o.name for o in sess.get_outputs()]
    losses = []
    for _ in range(steps):
        outs = dict(zip(out_names, sess.run(None, {"x": x, "y": y, **state})))
        losses.append(float(outs[out_names[0]]))
        state = {inp: outs[out] for inp, out in state_map.items()}
    return losses, state


def run_demo(epochs=300, steps=200, export="diabetes_train_step.onnx", device="cpu"):
    X, y = load_diabetes(standardize=True, standardize_target=True)
    X = np.ascontiguousarray(X * len(X) ** 0.5)
    x_t, y_t = og.from_numpy(X), og.from_numpy(y)
    print(f"diabetes data: {X.shape[0]} patients x {X.shape[1]} features, standardized target")

    eager_model, _, eager_step = _setup()
    model, opt, step = _setup()
    compiled = og.compile(step, device=device)
    t0 = time.perf_counter()
    first = compiled(x_t, y_t)
    print(f"step 1 (captured, differentiated, exported, session opened in "
          f"{time.perf_counter() - t0:.2f} s): loss {first.item():.4f}")
    eager_step(x_t, y_t)
    for epoch in range(2, epochs + 1):
        loss = compiled(x_t, y_t)
        eager_loss = eager_step(x_t, y_t)
        if epoch % max(1, epochs // 6) == 0 or epoch == epochs:
            print(f"step {epoch:4d}: compiled loss {loss.item():.4f}   eager loss {eager_loss.item():.4f}")
    diff = max(float(np.max(np.abs(a.detach().numpy() - b.detach().numpy())))
               for a, b in zip(model.parameters(), eager_model.parameters()))
    print(f"largest parameter difference, compiled vs eager after {epochs} steps: {diff:.2e}")

    compiled.export(export)
    print(f"exported the training step to {export} "
          f"({len(compiled.graph)} graph nodes; inspect it with `onnxgraft inspect {export}`)")
    losses, _ = train_with_onnxruntime_only(export, X, y, 5)
    more = [compiled(x_t, y_t).item() for _ in range(5)]
    print(f"5 more steps from the file with onnxruntime alone: {' '.join(f'{v:.4f}' for v in losses)}")
    print(f"the same 5 steps compiled in onnxgraft:            {' '.join(f'{v:.4f}' for v in more)}")

    print(f"timing {steps} steps each (interleaved medians)...")
    contenders = {"onnxgraft compiled": lambda: compiled(x_t, y_t),
                  "onnxgraft eager": lambda: eager_step(x_t, y_t)}
    try:
        import torch
        tm = torch.nn.Sequential(torch.nn.Linear(10, 50), torch.nn.ReLU(), torch.nn.Linear(50, 1))
        with torch.no_grad():
            for p, q in zip(tm.parameters(), model.parameters()):
                p.copy_(torch.from_numpy(q.detach().numpy().copy()))
        topt = torch.optim.SGD(tm.parameters(), lr=0.02, momentum=0.9)
        tx, ty = torch.from_numpy(X), torch.from_numpy(y)
        tloss = torch.nn.MSELoss()

        def torch_step():
            topt.zero_grad()
            loss = tloss(tm(tx), ty)
            loss.backward()
            topt.step()
        contenders["pytorch eager"] = torch_step
    except ImportError:
        pass
    med = interleaved_medians(contenders, steps, warmup=5)
    base = med.get("pytorch eager", med["onnxgraft eager"])
    base_name = "PyTorch eager" if "pytorch eager" in med else "onnxgraft eager"
    for k, v in med.items():
        print(f"  {k:<20} {v:8.3f} ms/step   {base / v:5.2f}x vs {base_name}")
    return 0
