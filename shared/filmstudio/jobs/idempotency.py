"""The idempotency table: a key claimed once, by the first request that brings it.

A claim is a conditional put, so of two concurrent requests with one key exactly one
wins; the loser reads what the winner recorded (its result and refs) and decides what
to answer. Records expire through the table's TTL. The API's Idempotency-Key and the
sign-up's e-mail claim (`auth/users.py`, inside its own transaction) use this table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from pynamodb.exceptions import DoesNotExist, PutError

from filmstudio.db.base import bind_tables
from filmstudio.db.records import IdempotencyRecord
from filmstudio.settings import Settings


@dataclass(frozen=True)
class Claim:
    """What the first request with a key recorded."""

    result: str
    refs: tuple[str, ...]

    def ref(self, kind: str) -> str:
        """The value of the `kind:value` ref, or ''."""
        return next((r.split(":", 1)[1] for r in self.refs if r.startswith(f"{kind}:")), "")


class IdempotencyStore:
    def __init__(self, settings: Settings | None = None):
        bind_tables(settings)

    def claim(self, key: str, result: str, refs: list[str], *, ttl_s: float) -> Claim | None:
        """Claim `key` for `result`; None if this call claimed it, else the existing claim."""
        expires_at = datetime.fromtimestamp(time.time() + ttl_s, timezone.utc)
        for _ in range(3):
            try:
                IdempotencyRecord(key=key, result=result, refs=list(refs), expires_at=expires_at).save(
                    condition=IdempotencyRecord.key.does_not_exist())
                return None
            except PutError as exc:
                if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                    raise
            try:
                existing = IdempotencyRecord.get(key, consistent_read=True)
            except DoesNotExist:
                continue  # released between our put and this read: claim it again
            return Claim(result=existing.result, refs=tuple(existing.refs or ()))
        raise RuntimeError(f"idempotency key {key!r} kept changing hands")

    def release(self, key: str, result: str) -> None:
        """Give up the claim, if it is still `result`'s (a failed first request frees its key)."""
        IdempotencyRecord(key=key).delete(condition=IdempotencyRecord.result == result)
