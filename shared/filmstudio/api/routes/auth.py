"""POST /v1/auth/register, /login, /refresh, /logout."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from filmstudio.api import deps
from filmstudio.api.schemas import (
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    RegisterResponse,
    Tokens,
    UserView,
    errors,
)

router = APIRouter(prefix="/v1/auth", tags=["auth"])


def user_view(user) -> UserView:
    from filmstudio.auth.tokens import ROLE_TIERS

    return UserView(user_id=user.user_id, email=user.email, name=user.name or "", role=user.role,
                    tier=ROLE_TIERS.get(user.role, "preview"), created_at=user.created_at)


def _tokens(user_id: str, role: str, refresh_token: str) -> Tokens:
    from filmstudio.auth.tokens import ACCESS_TOKEN_SECONDS, issue_access_token

    return Tokens(access_token=issue_access_token(user_id, role), refresh_token=refresh_token,
                  expires_in=ACCESS_TOKEN_SECONDS)


@router.post("/register", status_code=201, response_model=RegisterResponse, responses=errors(400, 409, 413, 422))
def register(body: RegisterRequest, users=Depends(deps.users), refresh=Depends(deps.refresh_tokens)):
    user = users.register(body.email, body.password, body.name)
    return RegisterResponse(user=user_view(user), tokens=_tokens(user.user_id, user.role, refresh.issue(user.user_id)))


@router.post("/login", response_model=Tokens, responses=errors(400, 401, 413, 422, 429))
def login(body: LoginRequest, users=Depends(deps.users), refresh=Depends(deps.refresh_tokens)):
    user = users.authenticate(body.email, body.password)
    return _tokens(user.user_id, user.role, refresh.issue(user.user_id))


@router.post("/refresh", response_model=Tokens, responses=errors(400, 401, 413, 422))
def refresh_tokens(body: RefreshRequest, users=Depends(deps.users), refresh=Depends(deps.refresh_tokens)):
    from filmstudio.auth.tokens import AuthError
    from filmstudio.errors import NotFoundError

    user_id, next_token = refresh.rotate(body.refresh_token)
    try:
        user = users.get(user_id)  # the role is read afresh: a changed role takes effect here
    except NotFoundError:
        raise AuthError("the account no longer exists", code="INVALID_REFRESH_TOKEN") from None
    return _tokens(user.user_id, user.role, next_token)


@router.post("/logout", status_code=204, responses=errors(400, 413, 422))
def logout(body: RefreshRequest, refresh=Depends(deps.refresh_tokens)):
    refresh.revoke(body.refresh_token)
    return Response(status_code=204)
