"""The job table, behind a small store that enforces the status diagram.

Status changes are conditional writes: the record's `version` must be the one the
writer read (a stale writer loses with StaleWriteError) and the current status must
allow the change (SUCCEEDED -> RUNNING is refused with IllegalTransitionError).
Stage spans are appended atomically, without the version check, because concurrent
Map iterations report them and none of them changes the job's state.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any, Iterator

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from filmstudio.db.base import bind_tables, first_time, get_owned
from filmstudio.db.records import JobRecord
from filmstudio.errors import ConflictError, IllegalTransitionError, NotFoundError, StaleWriteError
from filmstudio.models.job import (
    ALLOWED_TRANSITIONS,
    STAGE_WEIGHTS,
    STAGES,
    TERMINAL,
    Credits,
    Job,
    JobError,
    JobStatus,
    StageSpan,
    StageTiming,
    TaskRetry,
)
from filmstudio.settings import Settings


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _conditional_failed(exc: Exception) -> bool:
    cause = getattr(exc, "cause_response_code", None)
    return cause == "ConditionalCheckFailedException"


def _timing(stage: str, value: Any) -> StageTiming | None:
    if isinstance(value, list):  # a record written before spans were aggregated
        return StageTiming.from_spans(stage, [StageSpan(**s) for s in value]) if value else None
    if not value or not int(value.get("tasks", 0)):
        return None
    return StageTiming(stage=stage, tasks=int(value["tasks"]),
                       wall_seconds=round(float(value["end"]) - float(value["start"]), 4),
                       busy_seconds=round(float(value["busy"]), 4),
                       rendered=int(value.get("rendered", 0)), reused=int(value.get("reused", 0)))


def to_job(rec: JobRecord) -> Job:
    spans = rec.spans.as_dict() if hasattr(rec.spans, "as_dict") else dict(rec.spans or {})
    timings = {stage: t for stage in STAGES if (t := _timing(stage, spans.get(stage))) is not None}
    as_dict = lambda m: (m.as_dict() if hasattr(m, "as_dict") else dict(m or {}))  # noqa: E731
    error = as_dict(rec.error) if rec.error else None
    return Job(
        job_id=rec.job_id,
        project_id=rec.project_id,
        user_id=rec.user_id,
        status=JobStatus(rec.status or JobStatus.FAILED.value),
        stage=rec.stage,
        # Retried tasks report their share again; the bar never passes 100 (99 until published).
        progress=min(float(rec.progress or 0), 100.0 if rec.status == JobStatus.SUCCEEDED.value else 99.0),
        tier=rec.tier or "preview",
        language=rec.language,
        title=rec.title or "",
        script_key=rec.script_key or "",
        source=rec.source,
        execution_arn=rec.execution_arn,
        created_at=first_time(rec.created_at, rec.updated_at),
        updated_at=first_time(rec.updated_at, rec.created_at),
        started_at=rec.started_at,
        finished_at=rec.finished_at,
        timings=timings,
        error=JobError(**error) if error else None,
        outputs={k: str(v) for k, v in as_dict(rec.outputs).items()},
        duration=float(rec.duration) if rec.duration is not None else None,
        credits=Credits(**{k: int(v) for k, v in as_dict(rec.credits).items()}),
        retries=[TaskRetry(**as_dict(r)) for r in (rec.retries or [])],
        version=int(rec.version or 0),
        notes={k: str(v) for k, v in as_dict(rec.notes).items()},
        stage_detail=getattr(rec, "stage_detail", None),
        gpu_seconds={k: float(v) for k, v in as_dict(getattr(rec, "gpu_seconds", None)).items()},
    )


class JobStore:
    def __init__(self, settings: Settings | None = None):
        bind_tables(settings)

    # -- create and read ---------------------------------------------------------------
    def create(self, job: Job) -> Job:
        rec = JobRecord(
            job_id=job.job_id,
            project_id=job.project_id,
            user_id=job.user_id,
            status=job.status.value,
            stage=job.stage,
            progress=job.progress,
            tier=job.tier,
            language=job.language,
            title=job.title,
            script_key=job.script_key,
            source=job.source,
            execution_arn=job.execution_arn,
            created_at=job.created_at,
            updated_at=job.updated_at,
            spans={},
            gpu_seconds={},
            notes={},
            outputs=dict(job.outputs),
            credits=job.credits.model_dump(),
            version=0,
        )
        try:
            rec.save(condition=JobRecord.job_id.does_not_exist())
        except PutError as exc:
            if _conditional_failed(exc):
                raise ConflictError(f"job {job.job_id} already exists", code="JOB_EXISTS") from None
            raise
        return to_job(rec)

    def _record(self, job_id: str) -> JobRecord:
        try:
            return JobRecord.get(job_id, consistent_read=True)
        except DoesNotExist:
            raise NotFoundError(f"job {job_id} not found") from None

    def get(self, job_id: str) -> Job:
        return to_job(self._record(job_id))

    def get_owned(self, job_id: str, user_id: str) -> Job:
        """The job if `user_id` owns it; another user's job is JOB_NOT_FOUND, as a missing one."""
        return to_job(get_owned(JobRecord, job_id, user_id, what="job"))

    def list_by_project(self, project_id: str, *, limit: int | None = None, newest_first: bool = True) -> Iterator[Job]:
        """Every job of the project (the first `limit` of them), newest first unless told otherwise."""
        for rec in JobRecord.by_project.query(project_id, scan_index_forward=not newest_first, limit=limit):
            yield to_job(rec)

    def page_by_project(self, project_id: str, user_id: str, *, limit: int = 20,
                        after: dict | None = None) -> tuple[list[Job], dict | None]:
        """One page of the project's jobs that `user_id` owns, newest first, and where the next begins."""
        result = JobRecord.by_project.query(project_id, scan_index_forward=False, limit=limit, last_evaluated_key=after)
        return [to_job(rec) for rec in result if rec.user_id == user_id], result.last_evaluated_key

    def delete(self, job_id: str) -> None:
        JobRecord(job_id=job_id).delete()

    # -- status ----------------------------------------------------------------------
    def transition(self, job_id: str, to: JobStatus, *, expected_version: int | None = None,
                   **fields: Any) -> Job:
        """Move the job to `to` if the diagram allows it and nobody wrote since `expected_version`.

        Without expected_version the current record is read first (the usual case for
        the pipeline's own handlers); with it, the caller's view must still be current.
        """
        rec = self._record(job_id)
        current = JobStatus(rec.status)
        if expected_version is not None and int(rec.version) != expected_version:
            raise StaleWriteError(f"job {job_id} changed since version {expected_version} (now {rec.version})")
        if to not in ALLOWED_TRANSITIONS[current]:
            raise IllegalTransitionError(f"job {job_id}: {current.value} -> {to.value} is not allowed")
        allowed_from = [s.value for s, targets in ALLOWED_TRANSITIONS.items() if to in targets]
        now = utcnow()
        actions = [
            JobRecord.status.set(to.value),
            JobRecord.updated_at.set(now),
            JobRecord.version.set(JobRecord.version + 1),
        ]
        if to == JobStatus.RUNNING:
            actions.append(JobRecord.started_at.set(now))
        if to in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED):
            actions.append(JobRecord.finished_at.set(now))
        if to == JobStatus.SUCCEEDED:
            actions.append(JobRecord.progress.set(100))
        for name, value in fields.items():
            actions.append(getattr(JobRecord, name).set(value))
        condition = (JobRecord.version == rec.version) & JobRecord.status.is_in(*allowed_from)
        try:
            rec.update(actions=actions, condition=condition)
        except UpdateError as exc:
            if not _conditional_failed(exc):
                raise
            fresh = self._record(job_id)
            if to not in ALLOWED_TRANSITIONS[JobStatus(fresh.status)]:
                raise IllegalTransitionError(
                    f"job {job_id}: {fresh.status} -> {to.value} is not allowed") from None
            raise StaleWriteError(f"job {job_id} was changed by another writer") from None
        return to_job(rec)

    def finish_in(self, tx, job_id: str, to: JobStatus, **fields: Any) -> None:
        """Add the move to a terminal status `to` to the transaction `tx`.

        The condition is on the status alone (not the version): progress writes from tasks
        still reporting must not make a cancel or a publish lose, and the status is what
        decides who wins. The caller puts this first in `tx` (cancellation reason 0)."""
        if to not in TERMINAL:
            raise ValueError(f"{to} is not a terminal status")
        allowed_from = [s.value for s, targets in ALLOWED_TRANSITIONS.items() if to in targets]
        now = utcnow()
        actions = [JobRecord.status.set(to.value), JobRecord.updated_at.set(now), JobRecord.finished_at.set(now),
                   JobRecord.version.set((JobRecord.version | 0) + 1)]
        if to == JobStatus.SUCCEEDED:
            actions.append(JobRecord.progress.set(100))
        actions += [getattr(JobRecord, name).set(value) for name, value in fields.items()]
        tx.update(JobRecord(job_id=job_id), actions=actions,
                  condition=JobRecord.job_id.exists() & JobRecord.status.is_in(*allowed_from))

    def fail(self, job_id: str, stage: str, reason: str, error_type: str = "") -> Job:
        err = JobError(stage=stage, reason=reason[:2000], error_type=error_type)
        for _ in range(5):
            try:
                return self.transition(job_id, JobStatus.FAILED, error=err.model_dump(), stage=stage)
            except StaleWriteError:
                continue  # a concurrent progress write; read again and retry
        raise StaleWriteError(f"job {job_id}: could not record the failure")

    # -- progress (no version check: concurrent tasks report these) ---------------------
    def start_stage(self, job_id: str, stage: str) -> None:
        """Mark the job RUNNING on its first stage and name the stage now in progress."""
        rec = self._record(job_id)
        if rec.status == JobStatus.QUEUED.value:
            try:
                self.transition(job_id, JobStatus.RUNNING, expected_version=int(rec.version))
            except (StaleWriteError, IllegalTransitionError):
                pass  # a concurrent first stage already did it, or the job was cancelled
        elif rec.status != JobStatus.RUNNING.value:
            raise IllegalTransitionError(f"job {job_id} is {rec.status}; stage {stage} will not run")
        try:
            JobRecord(job_id=job_id).update(
                actions=[JobRecord.stage.set(stage), JobRecord.updated_at.set(utcnow())],
                condition=JobRecord.status == JobStatus.RUNNING.value,
            )
        except UpdateError as exc:
            if _conditional_failed(exc):
                raise IllegalTransitionError(f"job {job_id} stopped running; stage {stage} will not run") from None
            raise

    def record_span(self, job_id: str, stage: str, start: float, end: float, *, rendered: int = 0,
                    reused: int = 0, of_total: int = 1) -> None:
        """Add one task's span to its stage's totals and advance progress by its share.

        A stage keeps {tasks, start, end, busy, rendered, reused}, not a list of spans, so
        the record stays the same small size however many scenes and lines the film has
        (a DynamoDB item may not pass 400 KB, and a list of 500 spans made every read slow).
        Counters are atomic increments; the earliest start and the latest end are kept by
        conditional writes, so concurrent Map iterations cannot lose one another's times.
        """
        share = STAGE_WEIGHTS.get(stage, 0) / max(of_total, 1)
        agg = JobRecord.spans[stage]
        actions = [
            agg["tasks"].set((agg["tasks"] | 0) + 1),
            agg["busy"].set((agg["busy"] | 0) + round(max(0.0, end - start), 4)),
            agg["rendered"].set((agg["rendered"] | 0) + rendered),
            agg["reused"].set((agg["reused"] | 0) + reused),
            agg["start"].set(agg["start"] | start),
            agg["end"].set(agg["end"] | end),
            JobRecord.progress.add(round(share, 3)),
            JobRecord.updated_at.set(utcnow()),
        ]
        rec = JobRecord(job_id=job_id)
        try:
            rec.update(actions=actions)
        except UpdateError as exc:
            if _conditional_failed(exc):
                raise
            # The stage's map does not exist yet (a nested path needs its parent): make it, once.
            try:
                JobRecord(job_id=job_id).update(actions=[agg.set(agg | {})])
            except UpdateError:
                JobRecord(job_id=job_id).update(actions=[JobRecord.spans.set(JobRecord.spans | {})])
                JobRecord(job_id=job_id).update(actions=[agg.set(agg | {})])
            rec = JobRecord(job_id=job_id)
            rec.update(actions=actions)
        stored = rec.spans.as_dict() if hasattr(rec.spans, "as_dict") else dict(rec.spans or {})
        mine = stored.get(stage) or {}
        for key, earlier, condition in (("start", start, agg["start"] > start), ("end", end, agg["end"] < end)):
            if (key == "start" and float(mine.get(key, start)) > start) or (key == "end" and float(mine.get(key, end)) < end):
                try:
                    JobRecord(job_id=job_id).update(actions=[agg[key].set(earlier)], condition=condition)
                except UpdateError as exc:
                    if not _conditional_failed(exc):
                        raise  # another task already stored an earlier start (or a later end)

    def note_retry(self, job_id: str, stage: str, item: str, reason: str) -> None:
        """Record that a media task timed out (Step Functions retries it once); no version
        check, as concurrent tasks write these."""
        entry = {"stage": stage, "item": item, "reason": reason[:500], "at": utcnow().isoformat()}
        JobRecord(job_id=job_id).update(actions=[
            JobRecord.retries.set((JobRecord.retries | []).append([entry])),
            JobRecord.updated_at.set(utcnow()),
        ])

    def note(self, job_id: str, topic: str, text: str) -> None:
        """Record one note on the job; concurrent tasks each set their own topic."""
        JobRecord(job_id=job_id).update(actions=[JobRecord.notes[topic].set(text)])

    def add_gpu_seconds(self, job_id: str, stage: str, seconds: float) -> None:
        """Add one GPU request's reported device seconds to its stage's total (an atomic add, as
        concurrent notifications report these) and clear the waiting detail: a result came back."""
        total = JobRecord.gpu_seconds[stage]
        actions = [total.set((total | 0) + round(float(seconds), 4)), JobRecord.stage_detail.remove(),
                   JobRecord.updated_at.set(utcnow())]
        try:
            JobRecord(job_id=job_id).update(actions=actions, condition=JobRecord.job_id.exists())
        except UpdateError as exc:
            if _conditional_failed(exc):
                raise
            # An item stored before gpu_seconds existed has no map to add into: make it, then add.
            JobRecord(job_id=job_id).update(actions=[JobRecord.gpu_seconds.set(JobRecord.gpu_seconds | {})])
            JobRecord(job_id=job_id).update(actions=actions)

    def unfinished(self) -> list[Job]:
        """Every job not yet SUCCEEDED, FAILED or CANCELLED (a scan: for recovery after a restart)."""
        return [to_job(rec) for rec in JobRecord.scan(consistent_read=True)
                if rec.status not in {s.value for s in TERMINAL}]

    def touch(self, job_id: str) -> None:
        """A sign of progress (`updated_at`) on an existing job; never creates a record."""
        JobRecord(job_id=job_id).update(actions=[JobRecord.updated_at.set(utcnow())],
                                        condition=JobRecord.job_id.exists())

    def set_fields(self, job_id: str, **fields: Any) -> None:
        actions = [getattr(JobRecord, k).set(v) for k, v in fields.items()]
        actions.append(JobRecord.updated_at.set(utcnow()))
        JobRecord(job_id=job_id).update(actions=actions)


class StageClock:
    """Times one stage task and records its span on exit (also on failure)."""

    def __init__(self, store: JobStore, job_id: str, stage: str, of_total: int = 1, tier: str = "preview"):
        self.store, self.job_id, self.stage, self.of_total, self.tier = store, job_id, stage, of_total, tier
        self.rendered = 0
        self.reused = 0
        self._count_lock = threading.Lock()  # a task may render its units on several threads

    def count(self, *, rendered: int = 0, reused: int = 0) -> None:
        with self._count_lock:
            self.rendered += rendered
            self.reused += reused

    def __enter__(self) -> "StageClock":
        self.start = time.time()
        return self

    def __exit__(self, *exc) -> None:
        from filmstudio.observability import stage_metrics

        end = time.time()
        self.store.record_span(self.job_id, self.stage, self.start, end, rendered=self.rendered,
                               reused=self.reused, of_total=self.of_total)
        stage_metrics(self.stage, self.tier, end - self.start, self.rendered, self.reused)
