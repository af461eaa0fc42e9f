"""The `gpu_tasks` table: which Step Functions task token waits on which GPU request.

A media task (a scene's shots, a film's cues) becomes one GPU request per artifact it
lacks. Each request has a row keyed by its id (the endpoint's inference id, or the Batch
job's name, both chosen by the submit side); the task has one row ("task#<hash of the
token>") holding the token and the number of requests still out. A request is marked done
by one conditional write, so a duplicate or late notification finds it done and changes
nothing; whoever brings the task's count to zero reports the task's success.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from pynamodb.exceptions import DoesNotExist, UpdateError

from filmstudio.db.base import bind_tables
from filmstudio.db.records import GpuTaskRecord
from filmstudio.settings import Settings

# Rows outlive any task (Step Functions' longest wait is the execution's 4 hours); TTL tidies them.
KEEP_SECONDS = 2 * 24 * 3600
PENDING, DONE, FAILED = "PENDING", "DONE", "FAILED"


@dataclass(frozen=True)
class GpuRequest:
    task_id: str
    stage: str
    job_id: str
    output_key: str
    backend: str
    note_topic: str | None = None


@dataclass(frozen=True)
class GpuTask:
    """What a notification needs to report: the request, and the task token it completes."""

    task_id: str
    parent: str
    task_token: str
    job_id: str
    stage: str
    output_key: str
    backend: str
    status: str
    note_topic: str | None
    batch_job_id: str | None


def task_row_id(token: str) -> str:
    return "task#" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:40]


def _conditional_failed(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def _expiry() -> datetime:
    return datetime.fromtimestamp(time.time() + KEEP_SECONDS, timezone.utc)


class GpuTaskStore:
    def __init__(self, settings: Settings | None = None):
        bind_tables(settings)

    def put(self, token: str, job_id: str, stage: str, requests: list[GpuRequest], *, reused: int = 0,
            of_total: int = 1) -> str:
        """Record a task and its requests before any request is sent (a fast worker may answer
        before the send returns). Returns the task row's id."""
        parent = task_row_id(token)
        now = time.time()
        GpuTaskRecord(task_id=parent, kind="task", task_token=token, job_id=job_id, stage=stage,
                      pending=len(requests), status=PENDING, created_at=now, expires_at=_expiry(),
                      requests=len(requests), reused=reused, of_total=of_total).save()
        for req in requests:
            GpuTaskRecord(task_id=req.task_id, kind="request", parent=parent, task_token=token, job_id=job_id,
                          stage=req.stage, output_key=req.output_key, backend=req.backend, status=PENDING,
                          note_topic=req.note_topic, created_at=now, expires_at=_expiry()).save()
        return parent

    def get(self, task_id: str) -> GpuTask | None:
        """A request by its inference id or Batch job name; None if unknown."""
        try:
            rec = GpuTaskRecord.get(task_id, consistent_read=True)
        except DoesNotExist:
            return None
        if rec.kind != "request":
            return None
        return GpuTask(task_id=rec.task_id, parent=rec.parent or "", task_token=rec.task_token, job_id=rec.job_id,
                       stage=rec.stage, output_key=rec.output_key, backend=rec.backend or "endpoint",
                       status=rec.status, note_topic=rec.note_topic, batch_job_id=rec.batch_job_id)

    def get_by_batch_job(self, batch_job_id: str, job_name: str | None = None) -> GpuTask | None:
        """A Batch job's request: by the job name we gave it (the row's id), checked against its id."""
        task = self.get(job_name) if job_name else None
        if task is not None and task.batch_job_id not in (None, batch_job_id):
            return None  # a job of the same name that is not the one we submitted
        return task

    def set_batch_job_id(self, task_id: str, batch_job_id: str) -> None:
        GpuTaskRecord(task_id=task_id).update(actions=[GpuTaskRecord.batch_job_id.set(batch_job_id)],
                                              condition=GpuTaskRecord.task_id.exists())

    def mark(self, task_id: str, status: str, gpu_seconds: float | None = None) -> bool:
        """PENDING -> DONE or FAILED, once. False: it was not pending (a duplicate or late notice)."""
        actions = [GpuTaskRecord.status.set(status)]
        if gpu_seconds is not None:
            actions.append(GpuTaskRecord.gpu_seconds.set(round(float(gpu_seconds), 4)))
        try:
            GpuTaskRecord(task_id=task_id).update(actions=actions, condition=GpuTaskRecord.status == PENDING)
        except UpdateError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def finish_request(self, parent: str) -> int:
        """One of the task's requests is done: the number still out (0 means the task is complete)."""
        rec = GpuTaskRecord(task_id=parent)
        rec.update(actions=[GpuTaskRecord.pending.add(-1)])
        return int(rec.pending)

    def close_task(self, parent: str, status: str) -> bool:
        """The task's own row, once: only the first to close it reports on its token."""
        return self.mark(parent, status)

    def task_row(self, parent: str) -> GpuTaskRecord | None:
        try:
            return GpuTaskRecord.get(parent, consistent_read=True)
        except DoesNotExist:
            return None

    def waiting_tokens(self) -> list[tuple[str, str, str]]:
        """(task row id, token, job id) of every task still waiting (a scan: the table holds only the
        GPU work in flight, which TTL keeps small)."""
        return [(rec.task_id, rec.task_token, rec.job_id)
                for rec in GpuTaskRecord.scan(GpuTaskRecord.kind == "task", consistent_read=True)
                if rec.status == PENDING]
