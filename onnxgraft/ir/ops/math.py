"""Registry ops for frontend/tensor_math.py (see registry.py for the contract)."""
