"""Access tokens (RS256 JWTs, 15 minutes) and refresh token values.

`verify_access_token` is the one verification both the API Gateway authorizer and the
API (when no authorizer ran: `filmstudio serve`, tests) use. It pins the algorithm to
RS256 (so `alg: none` and HS256-with-the-public-key tricks fail), requires exp, iat,
iss, aud and sub, and checks issuer and audience.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

from filmstudio.auth.keys import key_set
from filmstudio.errors import FilmStudioError
from filmstudio.settings import Settings, get_settings

ACCESS_TOKEN_SECONDS = 15 * 60
REFRESH_TOKEN_SECONDS = 7 * 24 * 3600
ROLES = ("free", "pro", "admin")
# The most expensive render tier each role may ask for.
ROLE_TIERS = {"free": "preview", "pro": "studio", "admin": "studio"}


class AuthError(FilmStudioError):
    code = "UNAUTHORIZED"
    http_status = 401


class ForbiddenError(FilmStudioError):
    code = "FORBIDDEN"
    http_status = 403


@dataclass(frozen=True)
class Principal:
    """Who is calling: what the authorizer passes on and what every route checks ownership against."""

    user_id: str
    role: str
    tier: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def issue_access_token(user_id: str, role: str, settings: Settings | None = None, *,
                       now: float | None = None, lifetime: int = ACCESS_TOKEN_SECONDS) -> str:
    import jwt

    settings = settings or get_settings()
    kid, key = key_set(settings).signing_key()
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": settings.jwt_issuer, "aud": settings.jwt_audience, "sub": user_id,
        "iat": issued, "nbf": issued, "exp": issued + lifetime, "jti": uuid.uuid4().hex,
        "role": role, "tier": ROLE_TIERS.get(role, "preview"), "typ": "access",
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def verify_access_token(token: str, settings: Settings | None = None) -> Principal:
    """The caller's principal, or AuthError for anything not a valid, current access token of ours."""
    import jwt

    settings = settings or get_settings()
    if not token or len(token) > 4096:
        raise AuthError("missing or malformed access token", code="INVALID_TOKEN")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise AuthError("malformed access token", code="INVALID_TOKEN") from None
    if header.get("alg") != "RS256":
        raise AuthError("access token must be signed with RS256", code="INVALID_TOKEN")
    key = key_set(settings).public_key(str(header.get("kid", "")))
    if key is None:
        raise AuthError("access token signed with an unknown key", code="INVALID_TOKEN")
    try:
        claims = jwt.decode(
            token, key, algorithms=["RS256"], audience=settings.jwt_audience, issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]}, leeway=5,
        )
    except jwt.ExpiredSignatureError:
        raise AuthError("access token expired", code="TOKEN_EXPIRED") from None
    except jwt.PyJWTError as exc:
        raise AuthError(f"invalid access token: {exc}", code="INVALID_TOKEN") from None
    if claims.get("typ") != "access" or claims.get("role") not in ROLES:
        raise AuthError("not an access token", code="INVALID_TOKEN")
    return Principal(user_id=str(claims["sub"]), role=claims["role"], tier=ROLE_TIERS[claims["role"]])


def new_refresh_token() -> str:
    return secrets.token_urlsafe(48)


def hash_refresh_token(value: str) -> str:
    """Refresh tokens are 384 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
