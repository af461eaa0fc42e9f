"""Job intake: validate a script, create the job, start the state machine — or write nothing.

Used by the CLI, the API and the S3 trigger (`ingest.py`, which turns an uploaded object
into a call of `start_job`) alike. Validation (decoding, analysis
limits, the estimate) happens before the first write; if a later write fails, what
was written is removed again, so a refused or failed intake leaves no job, no object
and no credit change behind.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime, timezone
from typing import Callable

from filmstudio.analysis.language import normalize_hint
from filmstudio.analysis.limits import check_scene_durations, check_size, check_writing_systems
from filmstudio.errors import BadInputError, ConflictError
from filmstudio.jobs.store import JobStore
from filmstudio.models.job import Credits, Job, JobStatus
from filmstudio.pipeline import accounting
from filmstudio.pipeline import analysis_cache
from filmstudio.script_input import decode_script
from filmstudio.settings import Settings, get_settings
from filmstudio.storage.artifacts import ArtifactStore
from filmstudio.storage.keys import generated_key
from filmstudio.workflow import Workflow

log = logging.getLogger(__name__)

# reserve(job_id, user_id, credits) is called after validation and before any write;
# release(job_id, user_id, credits) undoes it if a later write fails.
Reserve = Callable[[str, str, int], None]


def new_job_id() -> str:
    return uuid.uuid4().hex[:20]


def job_id_for_object(bucket: str, key: str, version: str) -> str:
    """The same object version always maps to the same job (and execution name)."""
    return hashlib.sha256(f"s3://{bucket}/{key}#{version}".encode()).hexdigest()[:20]


def check_tier(tier: str) -> None:
    if tier not in accounting.TIER_RATES:
        raise BadInputError(f"unknown tier {tier!r}; choose one of {sorted(accounting.TIER_RATES)}",
                            code="INVALID_TIER")
    if tier == "studio":  # runs where its GPU stages are configured (docs/studio.md), else a named refusal
        if get_settings().studio_weights == "s3":
            return  # the gpu stack's endpoints and Batch queue serve it, with the weights in S3
        from filmstudio.studio.modeldir import require_studio_models
        require_studio_models()
    elif tier not in accounting.TIERS_AVAILABLE:
        raise BadInputError(f"the {tier} tier's GPU endpoints are not deployed here; use 'preview'",
                            code="TIER_UNAVAILABLE")


def validate_script(data: bytes, filename: str | None, language: str | None, tier: str):
    """(text, plan) or a BadInputError, before anything is written.

    The cheap checks run here, in any zip function: tier, encoding, size, the language code. The
    analysis (scene and line limits, the plan the estimate needs) is the one the Analyze state uses:
    it is stored under its content key, by the analyze function where one is configured."""
    check_tier(tier)
    text = decode_script(data, filename)
    check_size(text)
    normalize_hint(language)
    plan = analysis_cache.plan_for_intake(text, language)
    # What the functions' timeouts and /tmp admit (benchmarks/bench_sizing.py): refused now, not in compose.
    check_scene_durations({scene.id: scene.duration for scene in plan.scenes})
    # Before anything is written: a script the fonts cannot draw would render as empty boxes.
    check_writing_systems(text, [line.text for line in plan.lines()])
    return text, plan


def start_job(*, user_id: str, project_id: str, data: bytes, filename: str | None = None, tier: str = "preview",
              language: str | None = None, source: str = "api", job_id: str | None = None,
              reserve: Reserve | None = None, release: Reserve | None = None,
              burn_subtitles: bool = False, bulk: bool = False, settings: Settings | None = None) -> Job:
    settings = settings or get_settings()
    text, plan = validate_script(data, filename, language, tier)
    estimate = accounting.estimate(plan, tier)
    job_id = job_id or new_job_id()
    jobs = JobStore(settings)
    artifacts = ArtifactStore(settings)
    script_key = generated_key(user_id, project_id, job_id, "script.txt")
    now = datetime.now(timezone.utc)
    job = Job(job_id=job_id, project_id=project_id, user_id=user_id, status=JobStatus.QUEUED, tier=tier,
              language=language, title=plan.title, script_key=script_key, source=source, created_at=now,
              updated_at=now, duration=plan.duration, credits=Credits(estimate=estimate))

    reserved = 0
    if reserve:
        reserve(job_id, user_id, estimate)  # raises (402) before anything is written
        reserved = estimate
        job.credits.reserved = estimate
    written: list[str] = []
    try:
        job = jobs.create(job)  # ConflictError if this job id exists: that job is not ours to undo
        written.append("job")
        artifacts.put_bytes(script_key, text.encode("utf-8"), "text/plain; charset=utf-8")
        written.append("script")
        arn = Workflow(settings).start(job_id, {"job_id": job_id, "script_key": script_key, "tier": tier,
                                                "language": language, "options": {"burn_subtitles": burn_subtitles,
                                                                             "bulk": bulk}})
        jobs.set_fields(job_id, execution_arn=arn)
        started = jobs.get(job_id)
        if started.status == JobStatus.CANCELLED:
            # Cancelled between the job's creation and its execution's start: the cancel found
            # no execution to stop, so it is stopped here (its stages would refuse to run anyway).
            from filmstudio.pipeline.execution import stop_execution

            stop_execution(started, settings)
        return started
    except Exception as exc:
        if not isinstance(exc, ConflictError):
            log.exception("intake of job %s failed after %s; undoing", job_id, written)
        if "script" in written:
            artifacts.delete(script_key)
        if "job" in written:
            jobs.delete(job_id)
        if reserved and release:
            release(job_id, user_id, reserved)
        raise
