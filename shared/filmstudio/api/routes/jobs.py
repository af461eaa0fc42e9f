"""Jobs: POST /v1/projects/{id}/jobs (202, Idempotency-Key), GET /v1/jobs/{id},
GET /v1/projects/{id}/jobs, POST /v1/jobs/{id}/cancel."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from filmstudio.api import cursor, deps
from filmstudio.api.routes.projects import ProjectId
from filmstudio.api.schemas import JobCreate, JobPage, JobView, errors
from filmstudio.errors import BadInputError, ConflictError, NotFoundError
from filmstudio.pipeline.accounting import job_cost

router = APIRouter(tags=["jobs"])
JobId = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
IDEMPOTENCY_SECONDS = 24 * 3600
OUTPUT_URL_SECONDS = 3600


def eta_seconds(job) -> float | None:
    """Time left, extrapolated from the time taken so far for the progress made so far; while
    the job's GPU requests wait for capacity, plus the time an endpoint takes to wake from zero."""
    if job.terminal:
        return 0.0
    waiting = 0.0
    if getattr(job, "stage_detail", None):
        from filmstudio.pipeline.gpu_dispatch import GPU_COLD_START_S, WAITING_FOR_GPU

        waiting = GPU_COLD_START_S if job.stage_detail == WAITING_FOR_GPU else 0.0
    if not job.started_at or job.progress <= 0:
        return waiting or None
    elapsed = (datetime.now(timezone.utc) - job.started_at).total_seconds()
    return round(max(0.0, elapsed * (100.0 - job.progress) / job.progress) + waiting, 1)


def _output_url(key: str, base_url: str | None) -> str:
    from filmstudio.storage.media_links import media_links

    return media_links().download_url(key, expires_s=OUTPUT_URL_SECONDS, base_url=base_url)


def view(job, with_urls: bool = True, base_url: str | None = None) -> JobView:
    outputs: dict[str, str] = {}
    if with_urls and job.status.value == "SUCCEEDED" and job.outputs:
        outputs = {name: _output_url(key, base_url)
                   for name, key in sorted(job.outputs.items()) if not key.endswith("/")}
    return JobView(
        job_id=job.job_id, project_id=job.project_id, status=job.status.value, stage=job.stage,
        progress=round(min(100.0, job.progress), 1), eta_seconds=eta_seconds(job), tier=job.tier,
        language=job.language, title=job.title, created_at=job.created_at, started_at=job.started_at,
        finished_at=job.finished_at, updated_at=job.updated_at, duration=job.duration,
        credits=job.credits.model_dump(), cost=job_cost(job), stage_detail=job.stage_detail,
        error={"stage": job.error.stage, "reason": job.error.reason, "code": job.error.error_type}
        if job.error else None, outputs=outputs,
    )


# -- idempotency ---------------------------------------------------------------------------

def _fingerprint(project_id: str, body: JobCreate) -> str:
    canonical = json.dumps([project_id, body.model_dump(mode="json")], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _claim(user_id: str, key: str, job_id: str, fingerprint: str):
    """Claim the Idempotency-Key for a new job; or return (existing job id, its fingerprint)."""
    from filmstudio.jobs.idempotency import IdempotencyStore

    if not (1 <= len(key) <= 200) or not key.isprintable():
        raise BadInputError("Idempotency-Key must be 1 to 200 printable characters", code="INVALID_IDEMPOTENCY_KEY",
                            http_status=400)
    existing = IdempotencyStore().claim(_record_key(user_id, key), job_id,
                                        [f"job:{job_id}", f"request:{fingerprint}"], ttl_s=IDEMPOTENCY_SECONDS)
    return None if existing is None else (existing.result, existing.ref("request"))


def _record_key(user_id: str, key: str) -> str:
    return f"api#{user_id}#{key}"


def _unclaim(user_id: str, key: str, job_id: str) -> None:
    from filmstudio.jobs.idempotency import IdempotencyStore

    try:
        IdempotencyStore().release(_record_key(user_id, key), job_id)
    except Exception:  # noqa: BLE001  (expiry removes it anyway; the original error matters more)
        pass


# -- routes --------------------------------------------------------------------------------

@router.post("/v1/projects/{project_id}/jobs", status_code=202, response_model=JobView,
             responses=errors(400, 401, 402, 403, 404, 409, 413, 422, 429))
def create(body: JobCreate, response: Response, project_id: str = ProjectId,
           idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
           principal=Depends(deps.current_principal), projects=Depends(deps.projects),
           jobs=Depends(deps.jobs), credits=Depends(deps.credits), assets=Depends(deps.assets)):
    from filmstudio.auth.tokens import ForbiddenError
    from filmstudio.credits import QUOTAS
    from filmstudio.pipeline.intake import new_job_id

    projects.get(principal.user_id, project_id)
    if body.tier == "studio" and principal.tier != "studio":
        raise ForbiddenError(f"the {principal.role} plan renders in the preview tier only", code="TIER_NOT_ALLOWED")
    job_id = new_job_id()
    if idempotency_key is not None:
        fingerprint = _fingerprint(project_id, body)
        prior = _claim(principal.user_id, idempotency_key, job_id, fingerprint)
        if prior is not None:
            prior_job, prior_fingerprint = prior
            if prior_fingerprint != fingerprint:
                raise BadInputError("this Idempotency-Key was used with a different request",
                                    code="IDEMPOTENCY_KEY_REUSED")
            try:
                job = jobs.get_owned(prior_job, principal.user_id)
            except NotFoundError:
                raise ConflictError("a request with this Idempotency-Key is still in progress",
                                    code="REQUEST_IN_PROGRESS") from None
            response.headers["Idempotent-Replayed"] = "true"
            response.headers["Location"] = f"/v1/jobs/{job.job_id}"
            return view(job)
    try:
        job = _start(body, project_id, job_id, principal, credits, assets, QUOTAS[principal.role])
    except BaseException:
        if idempotency_key is not None:
            _unclaim(principal.user_id, idempotency_key, job_id)
        raise
    response.headers["Location"] = f"/v1/jobs/{job.job_id}"
    return view(job, with_urls=False)


def _start(body: JobCreate, project_id: str, job_id: str, principal, credits, assets, quota):
    # Imported here: intake pulls in script analysis and planning, which the rest of the API never needs.
    from filmstudio.pipeline.intake import start_job

    credits.check_daily_quota(principal.user_id, quota)
    if body.asset_id is not None:
        asset = assets.get(principal.user_id, body.asset_id)
        if asset.project_id != project_id:
            raise NotFoundError(f"asset {body.asset_id} not found", code="ASSET_NOT_FOUND")
        if asset.kind != "script" or asset.status.value != "READY":
            raise ConflictError(f"asset {asset.asset_id} is a {asset.status.value} {asset.kind}; "
                                "a job needs a READY script", code="ASSET_NOT_READY")
        data, filename = assets.read(asset), asset.filename
    else:
        data, filename = body.script.encode("utf-8"), "script.txt"

    def reserve(jid: str, user_id: str, amount: int) -> None:
        credits.reserve(jid, user_id, amount, quota=quota)

    return start_job(user_id=principal.user_id, project_id=project_id, data=data, filename=filename, tier=body.tier,
                     language=body.language, source="api", job_id=job_id, reserve=reserve, release=credits.release,
                     burn_subtitles=body.burn_subtitles)


@router.get("/v1/jobs/{job_id}", response_model=JobView, responses=errors(401, 404, 422))
async def get(request: Request, job_id: str = JobId, principal=Depends(deps.current_principal), jobs=Depends(deps.jobs)):
    # A coroutine although it reads DynamoDB: clients poll this route, and one GetItem costs less
    # than FastAPI's hand-off of a plain function to a worker thread (on Lambda each invocation
    # is the loop's only request; under `filmstudio serve` a poll holds the loop for one read).
    return view(jobs.get_owned(job_id, principal.user_id), base_url=str(request.base_url))


@router.get("/v1/jobs/{job_id}/outputs/{name}", status_code=307, response_class=Response,
            responses={307: {"description": "redirect to the output's download URL"}, **errors(401, 404, 422)})
def output(request: Request, job_id: str = JobId, name: str = Path(pattern=r"^[a-z_]{1,32}$"),
           principal=Depends(deps.current_principal), jobs=Depends(deps.jobs)):
    """One output of a SUCCEEDED job: a redirect to a short-lived download URL (S3's, or the
    local server's under `filmstudio serve`)."""
    from fastapi.responses import RedirectResponse

    job = jobs.get_owned(job_id, principal.user_id)
    key = job.outputs.get(name) if job.status.value == "SUCCEEDED" else None
    if not key or key.endswith("/"):
        raise NotFoundError(f"job {job_id} has no output {name!r}", code="OUTPUT_NOT_FOUND")
    return RedirectResponse(_output_url(key, str(request.base_url)), status_code=307)


@router.get("/v1/projects/{project_id}/jobs", response_model=JobPage, responses=errors(400, 401, 404, 422))
def list_jobs(project_id: str = ProjectId, principal=Depends(deps.current_principal),
              projects=Depends(deps.projects), jobs=Depends(deps.jobs),
              limit: int = Query(20, ge=1, le=100),
              cursor_: str | None = Query(None, alias="cursor", max_length=2048)):
    projects.get(principal.user_id, project_id)
    scope = f"jobs:{project_id}"
    after = cursor.decode(cursor_, user_id=principal.user_id, scope=scope)
    page, last = jobs.page_by_project(project_id, principal.user_id, limit=limit, after=after)
    return JobPage(items=[view(job, with_urls=False) for job in page],
                   next_cursor=cursor.encode(last, user_id=principal.user_id, scope=scope))


@router.post("/v1/jobs/{job_id}/cancel", response_model=JobView, responses=errors(400, 401, 404, 409, 413, 422))
def cancel(job_id: str = JobId, principal=Depends(deps.current_principal), jobs=Depends(deps.jobs)):
    """Cancel wins or loses as one step: CANCELLED and the refund commit together, only while
    the job is open; a job that publish finished first answers 409 and keeps its film."""
    from filmstudio.errors import IllegalTransitionError
    from filmstudio.models.job import JobStatus
    from filmstudio.pipeline import accounting
    from filmstudio.pipeline.execution import stop_execution

    job = jobs.get_owned(job_id, principal.user_id)
    if job.terminal:
        raise ConflictError(f"job {job_id} is already {job.status.value}", code="JOB_FINISHED")
    try:
        job = accounting.finish(job, JobStatus.CANCELLED)
    except IllegalTransitionError:
        job = jobs.get(job_id)
        raise ConflictError(f"job {job_id} is already {job.status.value}", code="JOB_FINISHED") from None
    # After the commit, so nothing here can leave a cancelled job holding credits. An execution
    # not started yet is stopped by intake, which checks the job once it has started it.
    stop_execution(job)
    return view(jobs.get(job_id))
