"""Registry ops for frontend/tensor_combine.py (see registry.py for the contract)."""
