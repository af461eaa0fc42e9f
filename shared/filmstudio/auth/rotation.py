"""Scheduled rotation of the JWT key ring (the `rotate_keys` function, on an EventBridge schedule).

A rotation adds a key pair and never replaces the ring: Secrets Manager's own rotation writes a
whole new secret value, which would drop the keys that live tokens name. The new key signs from
one key-cache lifetime on (`keys.CACHE_SECONDS`), so every container has read its public half
before a token names it; until then the previous key goes on signing. A key is dropped once the
key that replaced it has been signing for longer than any token the API issues lives
(`KEY_RETENTION_SECONDS`: the refresh lifetime, 7 days, far above the 15-minute access tokens,
the only tokens signed with these keys), so no token that verified before a rotation stops
verifying because of it. The cursor key is kept as it is.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from filmstudio.auth.keys import CACHE_SECONDS, FIRST_KEY_VERSION, _new_key, _usable, _with_first_key, reset_key_cache
from filmstudio.auth.tokens import ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS
from filmstudio.settings import Settings, get_settings

log = logging.getLogger(__name__)

KEY_RETENTION_SECONDS = max(REFRESH_TOKEN_SECONDS, ACCESS_TOKEN_SECONDS + CACHE_SECONDS)


def _activation(key: dict[str, Any]) -> float:
    return float(key.get("activates_at") or 0)


def rotated(doc: dict[str, Any], now: float) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """The document with a new key (signing from now + CACHE_SECONDS) and without the keys whose
    successor has signed for longer than KEY_RETENTION_SECONDS; the new key and the dropped kids."""
    new = {**_new_key(), "created_at": int(now), "activates_at": int(now + CACHE_SECONDS)}
    ordered = sorted(doc.get("keys", []), key=_activation)  # stable: untimed keys keep their order
    kept, dropped = [], []
    for index, key in enumerate(ordered):
        successor = ordered[index + 1] if index + 1 < len(ordered) else new
        # A successor without a time (written by hand before rotation existed) says nothing of when
        # this key stopped signing: such a key is kept.
        if _activation(successor) > 0 and _activation(successor) + KEY_RETENTION_SECONDS <= now:
            dropped.append(key["kid"])
        else:
            kept.append(key)
    return {**doc, "active_kid": new["kid"], "keys": kept + [new]}, new, dropped


def rotate_key_ring(settings: Settings | None = None, *, now: float | None = None) -> dict[str, Any]:
    """Add a key to the ring in Secrets Manager and drop expired ones; what it did, without secrets."""
    from filmstudio.aws import client

    settings = settings or get_settings()
    now = time.time() if now is None else now
    sm = client("secretsmanager", settings)
    current = sm.get_secret_value(SecretId=settings.jwt_secret_name)
    doc = json.loads(current["SecretString"])
    if not _usable(doc):
        # Nothing has signed yet: write the first key the way the API's first run does (same version id,
        # so the two racing write one key between them).
        doc, token, dropped = _with_first_key(doc), FIRST_KEY_VERSION, []
        new = doc["keys"][0]
    else:
        doc, new, dropped = rotated(doc, now)
        # One rotation per secret version: a second run racing from the same version writes nothing.
        token = f"filmstudio-rotation-{current['VersionId']}"[:64]
    try:
        sm.put_secret_value(SecretId=settings.jwt_secret_name, SecretString=json.dumps(doc),
                            ClientRequestToken=token)
    except sm.exceptions.ResourceExistsException:
        log.info("the key ring was rotated from this version already")
        return {"rotated": False, "reason": "already rotated from this version"}
    reset_key_cache()
    log.info("rotated the key ring", extra={"added": new["kid"], "dropped": dropped})
    return {"rotated": True, "added": new["kid"], "signs_from": new.get("activates_at"), "dropped": dropped,
            "keys": [k["kid"] for k in doc["keys"]]}
