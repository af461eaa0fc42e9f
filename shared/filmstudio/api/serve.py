"""`filmstudio serve`: the API app under uvicorn, inside the local cloud.

Jobs it accepts run through the local state machine exactly as `filmstudio render`
does; the same app runs on Lambda behind API Gateway (functions/api).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from typing import Callable, Iterator

# DynamoDB applies each write (and each transaction) atomically; moto's in-memory tables
# do not lock, so concurrent requests against them can interleave inside one write. The
# local server (and the API's concurrency tests) serialise moto's item operations, which
# gives moto the isolation DynamoDB itself guarantees; the conditions stay ours to get right.
_ATOMIC_OPERATIONS = ("put_item", "update_item", "delete_item", "get_item", "query", "scan", "batch_get_item",
                      "batch_write_item", "transact_write_items", "transact_get_items")


@contextlib.contextmanager
def atomic_moto_dynamodb() -> Iterator[None]:
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    saved = {name: getattr(DynamoDBBackend, name) for name in _ATOMIC_OPERATIONS}

    def locked(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with lock:
                return fn(*args, **kwargs)
        return wrapper

    for name, fn in saved.items():
        setattr(DynamoDBBackend, name, locked(fn))
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(DynamoDBBackend, name, fn)


def serve(host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info",
          on_ready: Callable[[object], None] | None = None) -> None:
    """Run the API on http://host:port until interrupted. `on_ready(server)` is called with the
    uvicorn server before it starts (set `server.should_exit = True` to stop it)."""
    import os

    import uvicorn

    from filmstudio.api.app import create_app
    from filmstudio.localcloud import LocalCloud

    # moto's S3 is not reachable over HTTP, so locally the API streams job outputs itself.
    os.environ["FILMSTUDIO_SERVE_MEDIA"] = "1"
    try:
        with LocalCloud(), atomic_moto_dynamodb():
            server = uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, log_level=log_level,
                                                   lifespan="off"))
            if on_ready:
                on_ready(server)
            server.run()
    finally:
        os.environ.pop("FILMSTUDIO_SERVE_MEDIA", None)
