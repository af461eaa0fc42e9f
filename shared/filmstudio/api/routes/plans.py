"""POST /v1/projects/{id}/plan: the plan and its price before any credit is spent.

The same validation and planning as job intake (`pipeline.intake.validate_script`), the
same estimate, and the caller's balance beside it; nothing is written, so a director can
paste, look and change the script as often as they like.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from filmstudio.api import deps
from filmstudio.api.routes.projects import ProjectId
from filmstudio.api.schemas import Language, Request, errors

router = APIRouter(tags=["jobs"])


class PlanRequest(Request):
    script: str = Field(min_length=1, description="the script's text")
    tier: Literal["preview", "studio"] = "preview"
    language: Language | None = Field(None, description="override the detected language")


class PlanEstimate(BaseModel):
    credits: int
    tier: str
    available: int
    affordable: bool


class PlanPreview(BaseModel):
    plan: dict = Field(description="the shooting plan (docs/plan-schema.md), exactly what a job would render")
    estimate: PlanEstimate


@router.post("/v1/projects/{project_id}/plan", response_model=PlanPreview,
             responses=errors(400, 401, 403, 404, 413, 422))
def preview_plan(body: PlanRequest, project_id: str = ProjectId, principal=Depends(deps.current_principal),
                 projects=Depends(deps.projects), credits=Depends(deps.credits)):
    # Imported here: planning pulls in script analysis, which the rest of the API never needs.
    from filmstudio.pipeline import accounting
    from filmstudio.pipeline.intake import validate_script

    from filmstudio.auth.tokens import ForbiddenError

    projects.get(principal.user_id, project_id)
    if body.tier == "studio" and principal.tier != "studio":  # the same refusal a job would get
        raise ForbiddenError(f"the {principal.role} plan renders in the preview tier only", code="TIER_NOT_ALLOWED")
    _, plan = validate_script(body.script.encode("utf-8"), "script.txt", body.language, body.tier)
    cost = accounting.estimate(plan, body.tier)
    available = credits.balance(principal.user_id).available
    return PlanPreview(plan=plan.model_dump(mode="json"),
                       estimate=PlanEstimate(credits=cost, tier=body.tier, available=available,
                                             affordable=available >= cost))
