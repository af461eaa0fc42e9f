"""GET /v1/me and /v1/me/credits: the caller's account and credit ledger."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from filmstudio.api import cursor, deps
from filmstudio.api.routes.auth import user_view
from filmstudio.api.schemas import CreditsResponse, LedgerEntryView, UserView, errors

router = APIRouter(prefix="/v1/me", tags=["me"])


@router.get("", response_model=UserView, responses=errors(401, 404))
def me(principal=Depends(deps.current_principal), users=Depends(deps.users)):
    return user_view(users.get(principal.user_id))


@router.get("/credits", response_model=CreditsResponse, responses=errors(400, 401, 404, 422))
def my_credits(principal=Depends(deps.current_principal), credits=Depends(deps.credits),
               limit: int = Query(50, ge=1, le=200), cursor_: str | None = Query(None, alias="cursor", max_length=2048)):
    after = cursor.decode(cursor_, user_id=principal.user_id, scope="ledger")
    balance = credits.balance(principal.user_id)
    entries, last = credits.ledger(principal.user_id, limit=limit, after=after)
    return CreditsResponse(
        available=balance.available, held=balance.held, active_jobs=balance.active_jobs,
        ledger=[LedgerEntryView(**e.__dict__) for e in entries],
        next_cursor=cursor.encode(last, user_id=principal.user_id, scope="ledger"),
    )
