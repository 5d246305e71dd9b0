"""The exported training step is standard ONNX that trains without onnxgraft: a short loop with
onnxruntime alone, wiring each step's state outputs back to its inputs through the
`onnxgraft.state` metadata, reproduces the compiled steps."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import onnx
import pytest

import onnxgraft as og
from tests.capture import workloads as W

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The whole training loop a user of another language writes: no onnxgraft anywhere.
ORT_ONLY_LOOP = textwrap.dedent("""
    import json, sys
    import numpy as np, onnx, onnxruntime as ort
    from onnx import numpy_helper

    path, data, steps, out = sys.argv[1], np.load(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    state_map = json.loads(sess.get_modelmeta().custom_metadata_map["onnxgraft.state"])
    model = onnx.load(path)
    state = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer if i.name in state_map}
    names = [o.name for o in sess.get_outputs()]
    losses = []
    for _ in range(steps):
        outs = dict(zip(names, sess.run(None, {"x": data["x"], "y": data["y"], **state})))
        losses.append(float(outs[names[0]]))
        state = {inp: outs[o] for inp, o in state_map.items()}
    assert not any(m.startswith("onnxgraft") for m in sys.modules), "the loop imported onnxgraft"
    np.savez(out, losses=np.array(losses), **state)
""")


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(extra)
    return env


def _compiled(workload="mlp", optimizer="adam", warm=3):
    run = W.WORKLOADS[workload](og, optimizer)
    step = og.compile(run.step)
    for _ in range(warm):
        step(*run.data)
    return run, step


@pytest.mark.parametrize("optimizer", ["momentum", "adamw"])
def test_exported_file_trains_with_onnxruntime_alone(tmp_path, optimizer):
    run, step = _compiled(optimizer=optimizer)
    path = step.export(tmp_path / "train_step.onnx")
    x, y = (t.numpy() for t in run.data)
    np.savez(tmp_path / "data.npz", x=x, y=y)
    n = 5
    script = tmp_path / "loop.py"
    script.write_text(ORT_ONLY_LOOP)
    # run from an empty folder without PYTHONPATH: onnxgraft is not importable from the repo
    subprocess.run([sys.executable, str(script), str(path), str(tmp_path / "data.npz"), str(n),
                    str(tmp_path / "out.npz")], check=True, cwd=tmp_path, env=_clean_env(),
                   timeout=120)
    got = np.load(tmp_path / "out.npz")

    losses = [step(*run.data).item() for _ in range(n)]
    np.testing.assert_allclose(got["losses"], losses, rtol=1e-6)
    for name, p in run.params:
        np.testing.assert_allclose(got[name], p.detach().numpy(), rtol=1e-6, atol=1e-7, err_msg=name)
    keys = {"momentum": ["momentum_buffer"], "adamw": ["step", "exp_avg", "exp_avg_sq"]}[optimizer]
    for name, p in run.params:
        for key in keys:
            np.testing.assert_allclose(got[f"{name}.{key}"], run.optimizer.state[p][key].numpy(),
                                       rtol=1e-6, atol=1e-7, err_msg=f"{name}.{key}")


def _static(vi):
    dims = vi.type.tensor_type.shape.dim
    return vi.type.tensor_type.HasField("shape") and all(d.HasField("dim_value") for d in dims)


@pytest.mark.parametrize("workload,optimizer", [("mlp", "adamw"), ("seed_linear", "nesterov_wd")])
def test_exported_training_model_is_standard_onnx(tmp_path, workload, optimizer):
    run, step = _compiled(workload, optimizer)
    model = onnx.load(step.export(tmp_path / "step.onnx"))
    onnx.checker.check_model(model, full_check=True)
    assert len(model.training_info) == 0
    assert {o.domain for o in model.opset_import} <= {"", "ai.onnx"}
    assert {n.domain for n in model.graph.node} <= {"", "ai.onnx"}

    meta = {p.key: p.value for p in model.metadata_props}
    state = json.loads(meta["onnxgraft.state"])
    inputs = [i.name for i in model.graph.input]
    initializers = {i.name for i in model.graph.initializer}
    outputs = [o.name for o in model.graph.output]
    # every state tensor: an initializer that is also a graph input; its new value an output
    assert set(state) <= initializers and set(state) <= set(inputs)
    n_params = len(run.params)
    n_slots = {"adamw": 3, "nesterov_wd": 1}[optimizer]
    assert len(state) == n_params * (1 + n_slots)
    assert inputs[:2] == ["x", "y"]
    # outputs: what the step returns (the loss) first, then the new state in the state map's order
    assert outputs == ["loss"] + list(state.values())
    assert all(v == f"{k}.new" for k, v in state.items())
    assert {name for name, _ in run.params} <= set(state)

    # static shapes on every input, output and intermediate value
    assert all(_static(v) for v in list(model.graph.input) + list(model.graph.output))
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    assert all(_static(v) for v in inferred.graph.value_info)
    assert "dim_param" not in str(model.graph)


def test_compiled_model_property_is_the_captured_step():
    run, step = _compiled("mlp", "sgd", warm=2)
    onnx.checker.check_model(step.model, full_check=True)
    assert [o.name for o in step.model.graph.output][0] == "loss"
    assert len(step.graph) > 0 and step.graph.meta["output_names"][0] == "loss"


def _export_bytes(tmp_path, tag):
    _, step = _compiled("mlp", "adamw", warm=3)
    return Path(step.export(tmp_path / f"{tag}.onnx")).read_bytes()


def test_export_is_deterministic_within_a_process(tmp_path):
    assert _export_bytes(tmp_path, "a") == _export_bytes(tmp_path, "b")


EXPORT_SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    import onnxgraft as og
    from tests.capture import workloads as W
    run = W.WORKLOADS["mlp"](og, "adamw")
    step = og.compile(run.step)
    for _ in range(3):
        step(*run.data)
    step.export(sys.argv[2])
""")


def test_export_is_deterministic_across_processes(tmp_path):
    paths = []
    for seed in ("1", "2"):  # different hash seeds: no set or dict-order dependence
        path = tmp_path / f"p{seed}.onnx"
        subprocess.run([sys.executable, "-c", EXPORT_SCRIPT, REPO, str(path)], check=True,
                       cwd=tmp_path, env=_clean_env(PYTHONHASHSEED=seed), timeout=120)
        paths.append(path)
    first, second = (p.read_bytes() for p in paths)
    assert first == second
    assert first == _export_bytes(tmp_path, "here")


def test_resident_mode_exports_the_current_state(tmp_path):
    """The CUDA code path (state in OrtValues, host copies made lazily) exports the same file."""
    from onnxgraft.runtime.compiled import CompiledStep
    files = []
    for resident in (False, True):
        run = W.mlp(og, "adamw")
        step = CompiledStep(run.step, _resident=resident)
        for _ in range(4):
            step(*run.data)
        files.append(Path(step.export(tmp_path / f"r{resident}.onnx")).read_bytes())
    assert files[0] == files[1]


def test_step_returning_several_tensors(tmp_path):
    def build():
        run = W.mlp(og, "momentum", batch=4)
        model, opt, loss_fn = run.module, run.optimizer, og.nn.CrossEntropyLoss()

        def step(x, y):
            opt.zero_grad()
            logits = model(x)
            loss = loss_fn(logits, y)
            loss.backward()
            opt.step()
            return loss, logits.detach(), None
        run.step = step
        return run

    eager, compiled = build(), build()
    step = og.compile(compiled.step)
    for _ in range(3):
        got, want = step(*compiled.data), eager.step(*eager.data)
        assert isinstance(got, tuple) and len(got) == 3 and got[2] is None
        for a, b in zip(got[:2], want[:2]):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
    model = onnx.load(step.export(tmp_path / "two.onnx"))
    names = [o.name for o in model.graph.output]
    assert names[:2] == ["loss", "output_1"] and all(n.endswith(".new") for n in names[2:])
