"""The `onnxgraft` command."""
