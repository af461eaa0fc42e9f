"""Where the studio engines run: cuda, then mps, then cpu; fp16 on a GPU, fp32 on the CPU."""

from __future__ import annotations

import os


def pick_device() -> str:
    import torch

    forced = os.environ.get("FILMSTUDIO_STUDIO_DEVICE")
    if forced:
        return forced
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def dtype_for(device: str):
    import torch

    # CPU kernels for fp16 convolutions are slow or missing; the GPUs this targets have fp16 tensor cores.
    return torch.float16 if device in ("cuda", "mps") else torch.float32


def generator(device: str, seed: int):
    """A seeded generator on the device the pipeline samples on (mps samples on the CPU)."""
    import torch

    return torch.Generator(device="cpu" if device == "mps" else device).manual_seed(int(seed) % (2**63))


def peak_memory_bytes(device: str) -> int:
    import torch

    return int(torch.cuda.max_memory_allocated()) if device == "cuda" else 0
