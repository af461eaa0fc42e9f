"""The process's AWS state in one place: its boto3 clients, made on demand (never at
import time) and reused, and the one `reset()` that forgets every per-process cache.

Clients are thread-safe and expensive to build (botocore parses its service models
for each new session), so one client per service and region is kept per process. Stores
and adapters (docs/architecture.md, "Stores and adapters") take an optional client and
otherwise ask here; nothing else makes clients. A test replaces a service's client with
`replaced(service, fake)`.

Other modules keep caches tied to the AWS world they read (settings, table bindings, the
signing keys, verified tokens); each registers its clear function with `on_reset`, so the
local cloud and tests, which swap that world, call `reset()` alone.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Callable, Iterator

from filmstudio.settings import Settings, get_settings

if TYPE_CHECKING:  # the SDK is imported on first use: the API's and authorizer's cold starts stay lean
    import boto3
    import botocore.loaders
    import botocore.session

_lock = threading.RLock()
_session: boto3.session.Session | None = None
_clients: dict[tuple[str, str], object] = {}
_loader: botocore.loaders.Loader | None = None
_replacements: dict[str, object] = {}
_resets: list[Callable[[], None]] = []


def _config():
    from botocore.config import Config

    return Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=32)


def shared_loader() -> botocore.loaders.Loader:
    """One botocore data loader, so service models are parsed once per process."""
    global _loader
    import botocore.loaders

    with _lock:
        if _loader is None:
            _loader = botocore.loaders.create_loader()
        return _loader


def botocore_session() -> botocore.session.Session:
    import botocore.session

    sess = botocore.session.get_session()
    sess.register_component("data_loader", shared_loader())
    return sess


def session() -> boto3.session.Session:
    global _session
    import boto3.session

    with _lock:
        if _session is None:
            _session = boto3.session.Session(botocore_session=botocore_session())
        return _session


def client(service: str, settings: Settings | None = None):
    replacement = _replacements.get(service)
    if replacement is not None:
        return replacement
    settings = settings or get_settings()
    key = (service, settings.region)
    with _lock:  # creating clients on a shared session is not thread-safe; using them is
        if key not in _clients:
            _clients[key] = session().client(service, region_name=settings.region, config=_config())
        return _clients[key]


class ClientAttribute:
    """A store's or adapter's boto3 client as an attribute (`s3 = aws.ClientAttribute("s3")`): the
    client its constructor was given (kept as `_<attribute>`), else the process's `client(service,
    self.settings)`, made on first use, so constructing a store never builds a client."""

    def __init__(self, service: str):
        self.service = service
        self.slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = getattr(obj, self.slot, None)
        if value is None:
            value = client(self.service, obj.settings)
            setattr(obj, self.slot, value)
        return value


@contextlib.contextmanager
def replaced(service: str, fake: object) -> Iterator[object]:
    """Within the block, every store and adapter of this process gets `fake` for `service`."""
    with _lock:
        before = _replacements.get(service)
        _replacements[service] = fake
    try:
        yield fake
    finally:
        with _lock:
            if before is None:
                _replacements.pop(service, None)
            else:
                _replacements[service] = before


def on_reset(clear: Callable[[], None]) -> Callable[[], None]:
    """Register a module's cache-clearing function with `reset()` (once; usable as a decorator)."""
    with _lock:
        if clear not in _resets:
            _resets.append(clear)
    return clear


def reset() -> None:
    """Forget every per-process cache: settings, clients, and what modules registered (table
    bindings, signing keys, verified tokens). Called when the AWS world changes underneath."""
    global _session
    from filmstudio.settings import reset_settings

    reset_settings()
    with _lock:
        _session = None
        _clients.clear()
        clears = list(_resets)
    for clear in clears:
        clear()


def transfer_config(part_size: int):
    """boto3's managed-transfer settings for uploads in parts of `part_size` bytes."""
    from boto3.s3.transfer import TransferConfig

    return TransferConfig(multipart_threshold=part_size, multipart_chunksize=part_size)
