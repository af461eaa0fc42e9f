"""boto3 clients, made on demand (never at import time) and reused.

Clients are thread-safe and expensive to build (botocore parses its service models
for each new session), so one client per service and region is kept per process; the
local cloud resets them when it starts and stops.
"""

from __future__ import annotations

import threading

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

from filmstudio.settings import Settings, get_settings

_lock = threading.RLock()
_session: boto3.session.Session | None = None
_clients: dict[tuple[str, str], object] = {}
_loader: botocore.loaders.Loader | None = None
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=32)


def shared_loader() -> botocore.loaders.Loader:
    """One botocore data loader, so service models are parsed once per process."""
    global _loader
    with _lock:
        if _loader is None:
            _loader = botocore.loaders.create_loader()
        return _loader


def botocore_session() -> botocore.session.Session:
    sess = botocore.session.get_session()
    sess.register_component("data_loader", shared_loader())
    return sess


def session() -> boto3.session.Session:
    global _session
    with _lock:
        if _session is None:
            _session = boto3.session.Session(botocore_session=botocore_session())
        return _session


def client(service: str, settings: Settings | None = None):
    settings = settings or get_settings()
    key = (service, settings.region)
    with _lock:  # creating clients on a shared session is not thread-safe; using them is
        if key not in _clients:
            _clients[key] = session().client(service, region_name=settings.region, config=_CONFIG)
        return _clients[key]


def reset() -> None:
    global _session
    with _lock:
        _session = None
        _clients.clear()
