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


@contextlib.contextmanager
def moto_s3_notifies_after_metadata() -> Iterator[None]:
    """S3 sends ObjectCreated once the object is complete, metadata and Content-Type included;
    moto sends it from inside its backend's put_object, before the PUT handler sets them. The
    S3 trigger then sees an asset upload without `x-amz-meta-asset-id`. Defer the notification
    to the end of the PUT request, as S3 behaves."""
    import moto.s3.models as s3_models
    import moto.s3.notifications as s3_notifications
    import moto.s3.responses as s3_responses

    pending = threading.local()
    backend_put = s3_models.S3Backend.put_object
    response_put = s3_responses.S3Response.put_object

    def put_object(backend, bucket_name, key_name, *args, **kwargs):
        deferred = getattr(pending, "events", None)
        if deferred is None or kwargs.get("disable_notification"):
            return backend_put(backend, bucket_name, key_name, *args, **kwargs)
        kwargs["disable_notification"] = True
        key = backend_put(backend, bucket_name, key_name, *args, **kwargs)
        deferred.append((backend, bucket_name, key))
        return key

    def put_request(response, *args, **kwargs):
        pending.events = []
        try:
            result = response_put(response, *args, **kwargs)
        finally:
            deferred, pending.events = pending.events, None
        for backend, bucket_name, key in deferred:
            s3_notifications.send_event(backend.account_id, s3_notifications.S3NotificationEvent.OBJECT_CREATED_PUT_EVENT,
                                        backend.get_bucket(bucket_name), key)
        return result

    s3_models.S3Backend.put_object = put_object
    s3_responses.S3Response.put_object = put_request
    try:
        yield
    finally:
        s3_models.S3Backend.put_object = backend_put
        s3_responses.S3Response.put_object = response_put


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
        with LocalCloud(), atomic_moto_dynamodb(), moto_s3_notifies_after_metadata():
            server = uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, log_level=log_level,
                                                   lifespan="off"))
            if on_ready:
                on_ready(server)
            server.run()
    finally:
        os.environ.pop("FILMSTUDIO_SERVE_MEDIA", None)
