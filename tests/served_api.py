"""`filmstudio serve` on a free loopback port in a thread, for tests that talk to it over HTTP."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served_api() -> Iterator[str]:
    """The server's base URL while it runs; stopped (and the key cache forgotten) on exit."""
    from filmstudio.localcloud.serve import serve
    from filmstudio.auth.keys import reset_key_cache

    reset_key_cache()
    port = free_port()
    servers = []
    thread = threading.Thread(target=serve, kwargs={"port": port, "log_level": "warning",
                                                    "on_ready": servers.append}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not (servers and servers[0].started):
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        servers[0].should_exit = True
        thread.join(timeout=60)
        reset_key_cache()
