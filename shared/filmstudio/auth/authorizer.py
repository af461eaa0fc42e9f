"""The API Gateway Lambda authorizer: access token in, IAM policy and {user_id, role, tier} out.

Works as a TOKEN authorizer (identity source: the Authorization header) or a REQUEST
authorizer. API Gateway caches the answer per token for the authorizer's TTL and
applies a cached policy to every route, so the policy allows the whole API (stage,
any method, any path); per-resource ownership is the app's job (404 for others' data).
Anything short of a valid token raises `Exception("Unauthorized")`, which API Gateway
turns into a 401.

Verified tokens are also remembered in-process until they expire, so a warm authorizer
answers a repeated token (a cache miss at API Gateway, another stage) without the RSA work.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from typing import Any

from filmstudio.auth.tokens import AuthError, Principal, verify_access_token

CACHE_SIZE = 2048
_cache: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
_lock = threading.Lock()


class Unauthorized(Exception):
    """API Gateway answers 401 for an authorizer error whose message is exactly 'Unauthorized'."""

    def __init__(self) -> None:
        super().__init__("Unauthorized")


def _token(event: dict[str, Any]) -> str:
    if event.get("type") == "TOKEN" or "authorizationToken" in event:
        header = event.get("authorizationToken") or ""
    else:
        headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
        header = headers.get("authorization") or ""
    scheme, _, token = str(header).partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


def api_wildcard(method_arn: str) -> str:
    """arn:...:{api}/{stage}/{verb}/{path} -> arn:...:{api}/{stage}/*/* (every route of the stage)."""
    prefix, _, rest = method_arn.partition(":execute-api:")
    parts = rest.split("/")
    if not prefix or len(parts) < 2:
        raise Unauthorized()
    return f"{prefix}:execute-api:{parts[0]}/{parts[1]}/*/*"


def verify_cached(token: str, now: float | None = None) -> Principal:
    now = time.time() if now is None else now
    digest = hashlib.sha256(token.encode()).hexdigest()
    with _lock:
        hit = _cache.get(digest)
        if hit and hit[0] > now:
            _cache.move_to_end(digest)
            return hit[1]
    principal = verify_access_token(token)
    import jwt

    exp = float(jwt.decode(token, options={"verify_signature": False})["exp"])
    with _lock:
        _cache[digest] = (exp, principal)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return principal


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _register_reset() -> None:
    from filmstudio import aws

    aws.on_reset(clear_cache)  # a verified token is only good in the key ring's world


_register_reset()


def authorize(event: dict[str, Any]) -> dict[str, Any]:
    token = _token(event)
    try:
        principal = verify_cached(token)
    except AuthError:
        raise Unauthorized() from None
    return {
        "principalId": principal.user_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow",
                           "Resource": api_wildcard(str(event.get("methodArn", "")))}],
        },
        "context": {"user_id": principal.user_id, "role": principal.role, "tier": principal.tier},
    }
