"""boto3 clients, made on demand (never at import time) and shared per thread-safe session."""

from __future__ import annotations

import threading

import boto3
from botocore.config import Config

from filmstudio.settings import Settings, get_settings

_lock = threading.Lock()
_session: boto3.session.Session | None = None
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=32)


def session() -> boto3.session.Session:
    global _session
    with _lock:
        if _session is None:
            _session = boto3.session.Session()
        return _session


def client(service: str, settings: Settings | None = None):
    settings = settings or get_settings()
    # Creating clients is not thread-safe on a shared session; clients themselves are.
    with _lock:
        sess = _session or boto3.session.Session()
        return sess.client(service, region_name=settings.region, config=_CONFIG)


def reset() -> None:
    global _session
    with _lock:
        _session = None
