"""The studio tier's submit side: one media task -> GPU requests on a SageMaker async endpoint or AWS Batch.

A task (a scene's key frames or clips, a line's speech, the film's cues) needs one
artifact per shot, line or scene; each one not already in the content-addressed cache
becomes a `StudioRequest` written under GPU_REQUESTS_PREFIX. The task token and the
requests are recorded in `gpu_tasks` first (a fast worker may answer before the send
returns), then each request goes to its family's endpoint (`invoke_endpoint_async`, the
request object as InputLocation, our id as InferenceId) or, for media longer than the
family's `batch_over_s` or a job that asked for bulk rendering, to the GPU Batch queue
(`submit_job`, our id as the job name). `pipeline/callback.py` completes the task.

Waiting: an endpoint scaled to zero takes minutes to wake. Nothing in the container can
heartbeat a request still in the backlog, so the callback function's schedule (the GPU
task keeper, `callback.keep_waiting_tasks`) heartbeats every waiting token, and the job's
stage detail says "waiting for GPU capacity" until a result arrives.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from filmstudio import media_stages, topology
from filmstudio.errors import IllegalTransitionError, StageFailedError
from filmstudio.gpu_backends import GpuBackends
from filmstudio.jobs.gpu_tasks import GpuRequest, GpuTaskStore
from filmstudio.jobs.store import JobStore
from filmstudio.pipeline.completion import report_failure, report_success
from filmstudio.settings import Settings, get_settings
from filmstudio.storage.artifacts import ArtifactStore
from filmstudio.studio.contract import StudioRequest

log = logging.getLogger(__name__)

WAITING_FOR_GPU = "waiting for GPU capacity"
# What a wait for an endpoint at zero instances adds to a job's time left: an instance
# starting, the image pulled and the weights copied to its disk (docs/deploy.md).
GPU_COLD_START_S = 480.0


@dataclass(frozen=True)
class Unit:
    """One artifact a task needs: the request that makes it, and how much media it is."""

    request: StudioRequest
    media_seconds: float
    note_topic: str | None = None


def _units(stage: str, event: dict[str, Any], manifest, plan, bucket: str) -> list[Unit]:
    """The requests of one task, from its stage's row (`gpu_requests`); one per distinct output key."""
    try:
        row = media_stages.stage(stage)
    except KeyError:
        raise StageFailedError(stage, f"unknown media stage {stage!r}") from None
    if row.gpu_requests is None:
        raise StageFailedError(stage, f"media stage {stage!r} has no studio GPU requests (its row's gpu_requests)")
    base = {"stage": stage, "engine_version": manifest.engines.get(stage, stage), "job_id": manifest.job_id,
            "bucket": bucket}
    item = event[row.item_field] if row.item_field else None
    units = [Unit(StudioRequest(**base, **w.fields, parameters=w.parameters), w.media_seconds, w.note_topic)
             for w in media_stages.resolve(row.gpu_requests)(manifest, plan, item)]
    # Two shots drawn from the same content share a key: one request makes it for both.
    seen: set[str] = set()
    return [u for u in units if not (u.request.output_key in seen or seen.add(u.request.output_key))]


def backend_for(stage: str, media_seconds: float, bulk: bool) -> str:
    family = topology.gpu_family(stage)
    return "batch" if bulk or media_seconds > family.batch_over_s else "endpoint"


def request_key(job_id: str, task_id: str) -> str:
    return f"{topology.GPU_REQUESTS_PREFIX}{job_id}/{task_id}.json"


def _send(settings: Settings, stage: str, backend: str, bucket: str, job_id: str, task_id: str,
          store: GpuTaskStore) -> None:
    family = topology.gpu_family(stage)
    uri = f"s3://{bucket}/{request_key(job_id, task_id)}"
    gpu = GpuBackends(settings)
    if backend == "endpoint":
        gpu.invoke_endpoint_async(family.endpoint_name, uri, task_id, family.invocation_timeout_s)
        return
    # The job definition's command is `--request Ref::request` after the image's entrypoint (which
    # copies the weights, then runs studio/container.py): one request per job.
    store.set_batch_job_id(task_id, gpu.submit_job(task_id, topology.GPU_QUEUE, family.job_definition_name,
                                                   {"request": uri}))


def submit_to_gpu(event: dict[str, Any], settings: Settings | None = None) -> dict[str, Any]:
    """Dispatch one studio-tier media task; the GPU callback reports it on the token."""
    from filmstudio.models.plan import Plan
    from filmstudio.pipeline.manifest import Manifest

    settings = settings or get_settings()
    stage, token, job_id = event["stage"], event["task_token"], event["job_id"]
    jobs, artifacts = JobStore(settings), ArtifactStore(settings)
    try:
        jobs.start_stage(job_id, stage)
    except IllegalTransitionError as exc:  # cancelled or failed meanwhile: nothing to render for
        report_failure(token, stage, str(exc), permanent=True, settings=settings)
        return {"dispatched": stage, "tier": "studio", "reported": "failure"}
    manifest = Manifest.model_validate(artifacts.get_json(event["manifest_key"]))
    plan = Plan.model_validate(artifacts.get_json(manifest.plan_key))
    units = _units(stage, event, manifest, plan, artifacts.bucket)
    missing = [u for u in units if not artifacts.exists(u.request.output_key)]
    total = media_stages.tasks_in(plan, media_stages.stage(stage).unit)
    if not missing:
        now = time.time()
        jobs.record_span(job_id, stage, now, now, reused=len(units), of_total=total)
        report_success(token, {"stage": stage, "rendered": 0, "reused": len(units)}, settings=settings)
        return {"dispatched": stage, "tier": "studio", "requests": 0, "reused": len(units)}

    bulk = bool(getattr(manifest, "bulk", False))
    store = GpuTaskStore(settings)
    requests = [GpuRequest(task_id=uuid.uuid4().hex, stage=stage, job_id=job_id, output_key=u.request.output_key,
                           backend=backend_for(stage, u.media_seconds, bulk), note_topic=u.note_topic)
                for u in missing]
    for req, unit in zip(requests, missing):
        artifacts.put_bytes(request_key(job_id, req.task_id), unit.request.model_dump_json().encode("utf-8"),
                            "application/json")
    parent = store.put(token, job_id, stage, requests, reused=len(units) - len(missing), of_total=total)
    jobs.set_fields(job_id, stage_detail=WAITING_FOR_GPU)
    try:
        for req in requests:
            _send(settings, stage, req.backend, artifacts.bucket, job_id, req.task_id, store)
    except Exception as exc:
        # What was sent may still answer: the task's row is closed, so those answers complete nothing.
        store.close_task(parent, "FAILED")
        log.exception("stage %s: a GPU request could not be sent", stage)
        raise StageFailedError(stage, f"the GPU request could not be sent: {type(exc).__name__}: {exc}") from exc
    return {"dispatched": stage, "tier": "studio", "requests": len(requests),
            "backends": sorted({r.backend for r in requests})}
