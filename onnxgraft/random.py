"""torch.random: the default generator and its state (PyTorch's numbers; see frontend/random.py)."""
import contextlib

from .frontend.random import (Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed,
                              set_rng_state)

__all__ = ["Generator", "default_generator", "fork_rng", "get_rng_state", "initial_seed", "manual_seed", "seed",
           "set_rng_state"]


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices", device_type="cuda"):
    """Run the block with the default generator's state saved and restored afterwards."""
    if not enabled:
        yield
        return
    saved = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(saved)
