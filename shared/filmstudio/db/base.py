"""What every table model shares: binding to the configured table names at run time.

PynamoDB reads `Meta.table_name` when a request is made, so the models are declared
with a placeholder and bound to the environment's names by `bind_tables()`; that keeps
the environment out of import time (DESIGN §6).
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import TypeVar

import pynamodb.connection.base as pynamodb_connection
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from filmstudio import aws
from filmstudio.aws import botocore_session
from filmstudio.errors import NotFoundError
from filmstudio.settings import Settings, get_settings

# model class -> the Settings attribute that names its table
_REGISTRY: dict[type[Model], str] = {}
_bound: tuple | None = None
_lock = threading.Lock()

# Each PynamoDB connection makes its own botocore session, which parses the DynamoDB
# service model again (~0.3 s each); share one loader so that happens once per process.
pynamodb_connection.get_session = botocore_session


def table(settings_attr: str):
    """Class decorator: register a model with the Settings field that names its table."""

    def register(cls: type[Model]) -> type[Model]:
        _REGISTRY[cls] = settings_attr
        return cls

    return register


def table_models() -> dict[type[Model], str]:
    return dict(_REGISTRY)


def bind_tables(settings: Settings | None = None) -> None:
    """Point every model at the table names and region in `settings` (idempotent, cheap)."""
    global _bound
    settings = settings or get_settings()
    key = (id(settings), settings.region, *(getattr(settings, a) for a in _REGISTRY.values()))
    if _bound == key:
        return
    with _lock:
        for model, attr in _REGISTRY.items():
            model.Meta.table_name = getattr(settings, attr)
            model.Meta.region = settings.region
            # A fresh connection per binding: the region may have changed.
            model._connection = None
        _bound = key


def unbind_tables() -> None:
    global _bound
    _bound = None


aws.on_reset(unbind_tables)


M = TypeVar("M", bound=Model)

# What a record written before an attribute existed (or by hand) reads as: never a 500.
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def first_time(*values: datetime | None) -> datetime:
    """The first of `values` that is set, else the epoch: for timestamps a record may lack."""
    return next((v for v in values if v is not None), EPOCH)


def get_owned(model: type[M], key: str, user_id: str, *, what: str) -> M:
    """The record under `key` if `user_id` owns it. Another user's record answers exactly as a
    missing one does (NotFoundError, `<WHAT>_NOT_FOUND`), so ids cannot be probed."""
    try:
        rec = model.get(key, consistent_read=True)
    except DoesNotExist:
        rec = None
    if rec is None or rec.user_id != user_id:
        raise NotFoundError(f"{what} {key} not found", code=f"{what.upper()}_NOT_FOUND")
    return rec
