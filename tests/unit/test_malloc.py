"""The arena cap: threads that allocate share two glibc heaps instead of getting one each."""

import ctypes
import os
import platform
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                                reason="mallopt(M_ARENA_MAX) is glibc's")

_CHILD = textwrap.dedent("""
    import ctypes, os, sys, tempfile, threading
    from filmstudio.malloc import limit_arenas
    capped = limit_arenas() if sys.argv[1] == "capped" else False
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    ready, hold = threading.Barrier(7), threading.Event()
    def work():
        libc.malloc(64 * 1024)  # a thread's first malloc is where glibc hands it an arena
        ready.wait(); hold.wait()
    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads: t.start()
    ready.wait()
    path = tempfile.mktemp()
    libc.fopen.restype = ctypes.c_void_p
    fp = libc.fopen(path.encode(), b"w")
    libc.malloc_info(0, ctypes.c_void_p(fp)); libc.fclose(ctypes.c_void_p(fp))
    hold.set()
    for t in threads: t.join()
    print(capped, open(path).read().count("<heap nr="))
    os.unlink(path)
""")


def _heaps(mode: str) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    out = subprocess.run([sys.executable, "-c", _CHILD, mode], capture_output=True, text=True, check=True,
                         env=env).stdout.split()
    return out[0], int(out[1])


def test_threads_share_two_heaps_once_capped():
    assert ctypes.CDLL(None).mallopt  # glibc
    capped, heaps = _heaps("capped")
    assert capped == "True" and heaps <= 2
    _, default = _heaps("default")
    assert default > 2  # what the cap prevents: a heap per thread


def test_an_operators_own_setting_is_left_alone(monkeypatch):
    from filmstudio.malloc import limit_arenas

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_arenas() is False
