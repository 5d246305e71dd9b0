"""Registry ops for frontend/tensor_scatter.py (see registry.py for the contract)."""
