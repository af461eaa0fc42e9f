"""Request dependencies: who is calling, and the stores the routes use.

Behind API Gateway the Lambda authorizer has verified the access token already and
passes `user_id`, `role` and `tier` in `requestContext.authorizer`; Mangum hands us the
event as `scope["aws.event"]`. Anywhere else (`filmstudio serve`, tests) the Bearer
token is verified here, with the same code the authorizer runs.
"""

from __future__ import annotations

from fastapi import Depends, Request

from filmstudio.errors import FilmStudioError

# The dependencies are coroutines on purpose: none of them blocks (token verification is a
# few hundred microseconds of CPU, the stores are cheap objects), and FastAPI runs a plain
# `def` dependency in a worker thread, a hand-off per dependency per request that costs
# more than the work itself. The routes stay plain functions: they do the blocking I/O.


def _authorizer_context(request: Request) -> dict | None:
    event = request.scope.get("aws.event")
    if not isinstance(event, dict):
        return None
    ctx = (event.get("requestContext") or {}).get("authorizer") or None
    if isinstance(ctx, dict) and isinstance(ctx.get("lambda"), dict):  # HTTP API (payload v2) nests it
        ctx = ctx["lambda"]
    return ctx if isinstance(ctx, dict) and ctx.get("user_id") else None


async def current_principal(request: Request):
    from filmstudio.auth.tokens import ROLE_TIERS, AuthError, Principal, verify_access_token

    ctx = _authorizer_context(request)
    if ctx is not None:
        role = str(ctx.get("role", ""))
        if role not in ROLE_TIERS:
            raise AuthError("authorizer context without a known role", code="INVALID_TOKEN")
        return Principal(user_id=str(ctx["user_id"]), role=role, tier=ROLE_TIERS[role])
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("a Bearer access token is required", code="UNAUTHORIZED")
    return verify_access_token(token.strip())


async def admin_principal(principal=Depends(current_principal)):
    from filmstudio.auth.tokens import ForbiddenError

    if not principal.is_admin:
        raise ForbiddenError("this needs the admin role", code="FORBIDDEN")
    return principal


async def projects():
    from filmstudio.projects import ProjectStore

    return ProjectStore()


async def assets():
    from filmstudio.assets import AssetStore

    return AssetStore()


async def jobs():
    from filmstudio.jobs.store import JobStore

    return JobStore()


async def credits():
    from filmstudio.credits import CreditStore

    return CreditStore()


async def users():
    from filmstudio.auth.users import UserStore

    return UserStore()


async def refresh_tokens():
    from filmstudio.auth.refresh import RefreshTokenStore

    return RefreshTokenStore()


__all__ = ["FilmStudioError", "current_principal", "admin_principal", "projects", "assets", "jobs", "credits",
           "users", "refresh_tokens"]
