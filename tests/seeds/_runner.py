"""Run many standalone scripts in one interpreter and report what each printed.

Usage: python _runner.py torch|onnxgraft < scripts.json > outputs.json
where scripts.json is {name: source}. Every source starts with `import torch` (or imports from
`torch.*`); for `onnxgraft` those imports are rewritten to `import onnxgraft as torch` and
`onnxgraft.*`, so the same text runs on both libraries. One interpreter per library keeps the
suite fast (importing torch costs about a second); each script still gets fresh globals, and the
grad mode is reset between scripts so one script cannot leak state into the next.
"""
import contextlib
import io
import json
import re
import sys


def to_onnxgraft(source):
    """The same script with its torch imports pointed at onnxgraft."""
    source = re.sub(r"^(\s*)import torch\s*$", r"\1import onnxgraft as torch", source, flags=re.M)
    source = re.sub(r"^(\s*)import torch\.(\w+) as", r"\1import onnxgraft.\2 as", source, flags=re.M)
    source = re.sub(r"^(\s*)from torch(\.\w+)* import", lambda m: m.group(0).replace("torch", "onnxgraft", 1),
                    source, flags=re.M)
    return source


def main():
    lib = sys.argv[1]
    scripts = json.load(sys.stdin)
    if lib == "onnxgraft":
        import onnxgraft as module
    else:
        import torch as module
    results = {}
    for name, source in scripts.items():
        if lib == "onnxgraft":
            source = to_onnxgraft(source)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                exec(compile(source, f"<seed {name}>", "exec"), {"__name__": "__main__"})
            except BaseException as exc:  # noqa: BLE001  (reported, then compared like any output)
                print(f"UNCAUGHT {type(exc).__name__}: {exc}")
        module.set_grad_enabled(True)
        results[name] = buf.getvalue()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
