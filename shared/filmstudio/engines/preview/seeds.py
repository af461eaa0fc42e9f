"""Stable seeds: Python's hash() is salted per process, so artifacts would differ run to run."""

from __future__ import annotations

import hashlib

import numpy as np


def stable_seed(*parts: object) -> int:
    h = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode("utf-8"), digest_size=8)
    return int.from_bytes(h.digest(), "big")


def rng(*parts: object) -> np.random.Generator:
    return np.random.default_rng(stable_seed(*parts))
