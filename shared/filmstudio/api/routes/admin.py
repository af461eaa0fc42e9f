"""Admin-only account operations (OWASP API5: a free or pro caller gets 403)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from filmstudio.api import deps
from filmstudio.api.routes.auth import user_view
from filmstudio.api.schemas import GrantRequest, RoleRequest, UserView, errors

router = APIRouter(prefix="/v1/admin", tags=["admin"])
UserId = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


@router.post("/users/{user_id}/credits", responses=errors(400, 401, 403, 404, 413, 422))
def grant(body: GrantRequest, user_id: str = UserId, admin=Depends(deps.admin_principal),
          credits=Depends(deps.credits)):
    balance = credits.grant(user_id, body.amount, note=body.note or f"granted by {admin.user_id}")
    return {"user_id": user_id, "available": balance.available, "held": balance.held}


@router.put("/users/{user_id}/role", response_model=UserView, responses=errors(400, 401, 403, 404, 413, 422))
def set_role(body: RoleRequest, user_id: str = UserId, admin=Depends(deps.admin_principal),
             users=Depends(deps.users)):
    users.set_role(user_id, body.role)
    return user_view(users.get(user_id))
