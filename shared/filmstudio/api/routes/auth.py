"""POST /v1/auth/register, /login, /refresh, /logout.

Two transports for the refresh token. By default it is in the JSON body, as the CLI and
`ApiClient` use it. A browser sends `X-Refresh-Transport: cookie`: the token then travels
only in an httpOnly, Secure, SameSite=Strict cookie scoped to /v1/auth, and the body's
`refresh_token` is null, so script running in the page can never read it (docs/web.md).
"""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Request, Response

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
REFRESH_COOKIE = "filmstudio_refresh"
COOKIE_TRANSPORT_HEADER = "x-refresh-transport"


def _wants_cookie(request: Request) -> bool:
    return request.headers.get(COOKIE_TRANSPORT_HEADER, "").strip().lower() == "cookie"


def _deliver(request: Request, response: Response, tokens: Tokens) -> Tokens:
    """Put the refresh token in the cookie instead of the body when the caller asked for that."""
    from filmstudio.auth.tokens import REFRESH_TOKEN_SECONDS

    if not _wants_cookie(request):
        return tokens
    response.set_cookie(REFRESH_COOKIE, tokens.refresh_token, max_age=REFRESH_TOKEN_SECONDS, path="/v1/auth",
                        secure=True, httponly=True, samesite="strict")
    return tokens.model_copy(update={"refresh_token": None})


def _presented(request: Request, body: RefreshRequest | None) -> str:
    """The refresh token from the body, or from the cookie for a caller using the cookie transport.
    The cookie counts only with the header too: a custom header cannot be sent cross-site without CORS."""
    from filmstudio.auth.tokens import AuthError

    if body is not None:
        return body.refresh_token
    token = request.cookies.get(REFRESH_COOKIE, "") if _wants_cookie(request) else ""
    if not token or len(token) > 512:
        raise AuthError("no refresh token: send refresh_token, or the cookie with X-Refresh-Transport: cookie",
                        code="INVALID_REFRESH_TOKEN")
    return token


def user_view(user) -> UserView:
    from filmstudio.auth.tokens import ROLE_TIERS

    return UserView(user_id=user.user_id, email=user.email, name=user.name or "", role=user.role,
                    tier=ROLE_TIERS.get(user.role, "preview"), created_at=user.created_at)


def _tokens(user_id: str, role: str, refresh_token: str) -> Tokens:
    from filmstudio.auth.tokens import ACCESS_TOKEN_SECONDS, issue_access_token

    return Tokens(access_token=issue_access_token(user_id, role), refresh_token=refresh_token,
                  expires_in=ACCESS_TOKEN_SECONDS)


@router.post("/register", status_code=201, response_model=RegisterResponse, responses=errors(400, 409, 413, 422))
def register(body: RegisterRequest, request: Request, response: Response, users=Depends(deps.users),
             refresh=Depends(deps.refresh_tokens)):
    user = users.register(body.email, body.password, body.name)
    tokens = _tokens(user.user_id, user.role, refresh.issue(user.user_id))
    return RegisterResponse(user=user_view(user), tokens=_deliver(request, response, tokens))


@router.post("/login", response_model=Tokens, responses=errors(400, 401, 413, 422, 429))
def login(body: LoginRequest, request: Request, response: Response, users=Depends(deps.users),
          refresh=Depends(deps.refresh_tokens)):
    user = users.authenticate(body.email, body.password)
    return _deliver(request, response, _tokens(user.user_id, user.role, refresh.issue(user.user_id)))


@router.post("/refresh", response_model=Tokens, responses=errors(400, 401, 413, 422))
def refresh_tokens(request: Request, response: Response, body: RefreshRequest | None = Body(None),
                   users=Depends(deps.users), refresh=Depends(deps.refresh_tokens)):
    from filmstudio.auth.tokens import AuthError
    from filmstudio.errors import NotFoundError

    user_id, next_token = refresh.rotate(_presented(request, body))
    try:
        user = users.get(user_id)  # the role is read afresh: a changed role takes effect here
    except NotFoundError:
        raise AuthError("the account no longer exists", code="INVALID_REFRESH_TOKEN") from None
    return _deliver(request, response, _tokens(user.user_id, user.role, next_token))


@router.post("/logout", status_code=204, responses=errors(400, 401, 413, 422))
def logout(request: Request, body: RefreshRequest | None = Body(None), refresh=Depends(deps.refresh_tokens)):
    refresh.revoke(_presented(request, body))
    done = Response(status_code=204)
    if _wants_cookie(request):
        done.delete_cookie(REFRESH_COOKIE, path="/v1/auth", secure=True, httponly=True, samesite="strict")
    return done
