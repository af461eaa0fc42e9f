"""How many heaps (arenas) glibc's malloc may keep for this process's threads.

A render is many threads: the local Lambda runtime's workers, motion's clips two at a
time, compose's eight fetches. glibc gives threads that contend for the heap arenas of
their own, up to eight per core, and memory freed in one arena serves only that arena
again. A 60-scene film rendered locally peaked at 1.14 GB with glibc's default and at
0.68 GB with two arenas (`benchmarks/bench_long.py`), at no measurable cost in time.

The media Lambda image sets `MALLOC_ARENA_MAX=2`, which glibc reads when a process
starts; a local render runs in a process already started, so it asks glibc directly.
"""

from __future__ import annotations

import ctypes
import os

ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap the arenas threads made from now on may get (glibc only). True if the cap was set;
    an operator's own MALLOC_ARENA_MAX, or a libc without mallopt (macOS, musl), leaves it."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(_M_ARENA_MAX, arenas) == 1
