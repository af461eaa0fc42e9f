"""Request and response bodies. Requests ignore unknown fields on purpose: a client sending
`role`, `tier` (its account's) or `credits` gets nothing for it (OWASP API3, mass assignment)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{2,63}$")


def _email(value: str) -> str:
    value = value.strip()
    if not _EMAIL.match(value):
        raise ValueError("not a valid email address")
    return value


Email = Annotated[str, Field(max_length=320), AfterValidator(_email)]
Password = Annotated[str, Field(min_length=10, max_length=256)]


class Request(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


# -- auth ----------------------------------------------------------------------------------
class RegisterRequest(Request):
    email: Email
    password: Password
    name: str = Field("", max_length=200)


class LoginRequest(Request):
    email: Email
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(Request):
    refresh_token: str = Field(min_length=1, max_length=512)


class Tokens(BaseModel):
    access_token: str
    # null when the caller asked for the cookie transport (X-Refresh-Transport: cookie)
    refresh_token: str | None
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class UserView(BaseModel):
    user_id: str
    email: str
    name: str
    role: str
    tier: str
    created_at: datetime


class RegisterResponse(BaseModel):
    user: UserView
    tokens: Tokens


# -- projects ---------------------------------------------------------------------------------
Language = Annotated[str, Field(min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


class ProjectCreate(Request):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    language: Language | None = None


class ProjectUpdate(Request):
    # Absent means unchanged; null is refused (422) for the name and description, which every
    # project has, and clears the language (detected per script again).
    name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    description: str = Field(None, max_length=2000)  # type: ignore[assignment]
    language: Language | None = None


class ProjectView(BaseModel):
    project_id: str
    name: str
    description: str
    language: str | None
    created_at: datetime
    updated_at: datetime


class Page(BaseModel):
    next_cursor: str | None = None


class ProjectPage(Page):
    items: list[ProjectView]


# -- assets -----------------------------------------------------------------------------------
class AssetCreate(Request):
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=3, max_length=100)
    size: int = Field(gt=0, description="bytes; the upload must not exceed it")


class AssetView(BaseModel):
    asset_id: str
    project_id: str
    kind: str
    filename: str
    content_type: str
    size: int | None
    status: str
    reason: str | None
    created_at: datetime
    updated_at: datetime
    download_url: str | None = None


class PresignedPost(BaseModel):
    url: str
    fields: dict[str, str]
    expires_in: int
    max_bytes: int


class AssetCreated(BaseModel):
    asset: AssetView
    upload: PresignedPost


class AssetPage(Page):
    items: list[AssetView]


# -- jobs -------------------------------------------------------------------------------------
class JobCreate(Request):
    script: str | None = Field(None, min_length=1, description="the script's text")
    asset_id: str | None = Field(None, min_length=1, max_length=64, description="a READY script asset")
    tier: Literal["preview", "studio"] = "preview"
    language: Language | None = None
    burn_subtitles: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> "JobCreate":
        if (self.script is None) == (self.asset_id is None):
            raise ValueError("give exactly one of script and asset_id")
        return self


class JobErrorView(BaseModel):
    stage: str
    reason: str
    code: str = ""  # the error's type, e.g. StageFailedError or States.Timeout


class CreditsView(BaseModel):
    estimate: int
    reserved: int
    settled: int
    refunded: int


class JobCostView(BaseModel):
    credits: int = Field(description="charged once the job settled; until then the estimate")
    gpu_seconds: dict[str, float] = Field(default_factory=dict, description="studio tier: stage -> device seconds")
    gpu_seconds_total: float = 0.0
    gpu_dollars: float = Field(0.0, description="the GPU-seconds at the on-demand instance price")


class JobView(BaseModel):
    job_id: str
    project_id: str
    status: str
    stage: str | None
    progress: float
    eta_seconds: float | None
    tier: str
    language: str | None
    title: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime | None = Field(None, description="the last sign of progress: a client waits while it moves")
    duration: float | None
    credits: CreditsView
    cost: JobCostView | None = None
    stage_detail: str | None = Field(None, description="e.g. 'waiting for GPU capacity' (studio tier)")
    error: JobErrorView | None = None
    outputs: dict[str, str] = Field(default_factory=dict, description="name -> download URL, once SUCCEEDED")


class JobPage(Page):
    items: list[JobView]


# -- credits and admin ------------------------------------------------------------------------
class LedgerEntryView(BaseModel):
    entry_id: str
    kind: str
    amount: int
    held_change: int
    job_id: str | None
    note: str
    created_at: datetime


class CreditsResponse(BaseModel):
    available: int
    held: int
    active_jobs: int
    ledger: list[LedgerEntryView]
    next_cursor: str | None = None


class GrantRequest(Request):
    amount: int = Field(gt=0, le=1_000_000)
    note: str = Field("", max_length=200)


class RoleRequest(Request):
    role: Literal["free", "pro", "admin"]


# -- errors ---------------------------------------------------------------------------------
class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable, e.g. INSUFFICIENT_CREDITS")
    message: str
    details: Any = None


class ErrorEnvelope(BaseModel):
    """Every 4xx and 5xx answer has this body."""

    error: ErrorBody


_ERROR_MEANINGS = {
    400: "malformed request (Content-Length, cursor, Idempotency-Key)",
    401: "missing, invalid or expired credentials",
    402: "not enough credits",
    403: "the caller's role may not do this",
    404: "not found (or not the caller's)",
    409: "conflicts with the resource's state",
    413: "request body too large",
    415: "content type not accepted",
    422: "the request's fields are not valid",
    429: "rate or quota exceeded",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route's 4xx answers, each with the error envelope's schema."""
    return {code: {"model": ErrorEnvelope, "description": _ERROR_MEANINGS[code]} for code in codes}


# What any request with a body can meet in the middleware, and what any signed-in route can answer.
BODY_ERRORS = (400, 413, 422)
SIGNED_IN = (401, 422)


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
