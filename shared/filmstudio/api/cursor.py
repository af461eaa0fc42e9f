"""Opaque, tamper-proof pagination cursors.

A cursor is DynamoDB's LastEvaluatedKey plus the list it belongs to and the user it
was issued to, as base64url JSON signed with HMAC-SHA256 (the cursor key lives with
the JWT keys). A changed, forged or borrowed cursor is refused with INVALID_CURSOR,
so a cursor can never steer a query into another user's partition.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from filmstudio.errors import BadInputError


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key() -> bytes:
    from filmstudio.auth.keys import key_set

    return key_set().cursor_key


def encode(last_key: dict | None, *, user_id: str, scope: str) -> str | None:
    if not last_key:
        return None
    payload = _b64(json.dumps({"u": user_id, "s": scope, "k": last_key}, separators=(",", ":")).encode())
    sig = _b64(hmac.new(_key(), payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{sig}"


def decode(cursor: str | None, *, user_id: str, scope: str) -> dict | None:
    if not cursor:
        return None
    invalid = BadInputError("invalid pagination cursor", code="INVALID_CURSOR", http_status=400)
    try:
        payload, sig = cursor.split(".", 1)
        expected = _b64(hmac.new(_key(), payload.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(sig, expected):
            raise invalid
        doc = json.loads(_unb64(payload))
    except BadInputError:
        raise
    except Exception:
        raise invalid from None
    if doc.get("u") != user_id or doc.get("s") != scope or not isinstance(doc.get("k"), dict):
        raise invalid
    return doc["k"]
