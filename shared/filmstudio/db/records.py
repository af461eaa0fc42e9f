"""PynamoDB models for the pipeline's tables: jobs, projects, assets, and ingest deduplication."""

from __future__ import annotations

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from filmstudio.db.base import table


class ProjectJobsIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-project"
        projection = AllProjection()

    project_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("jobs_table")
class JobRecord(Model):
    class Meta:
        table_name = "jobs"

    job_id = UnicodeAttribute(hash_key=True)
    project_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    status = UnicodeAttribute()
    stage = UnicodeAttribute(null=True)
    progress = NumberAttribute(default=0)
    tier = UnicodeAttribute(default="preview")
    language = UnicodeAttribute(null=True)
    title = UnicodeAttribute(default="")
    script_key = UnicodeAttribute(default="")
    source = UnicodeAttribute(null=True)
    execution_arn = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    started_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    # stage -> list of {start, end, rendered, reused}; appended to atomically by concurrent tasks
    spans = MapAttribute(default=dict)
    error = MapAttribute(null=True)
    outputs = MapAttribute(default=dict)
    duration = NumberAttribute(null=True)
    credits = MapAttribute(default=dict)
    # Media tasks that timed out and were retried: [{stage, item, reason, at}] (models.job.TaskRetry).
    retries = ListAttribute(default=list)
    notes = MapAttribute(default=dict)  # topic -> text (e.g. a stage's fallback engine and why)
    # Studio tier: what the job's stage is doing ("waiting for GPU capacity"), and the device
    # seconds the GPU containers reported per stage (what the job is charged for).
    stage_detail = UnicodeAttribute(null=True)
    gpu_seconds = MapAttribute(default=dict)
    # Optimistic lock for status transitions (a stale writer loses).
    version = NumberAttribute(default=0)
    by_project = ProjectJobsIndex()


class UserProjectsIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-user"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("projects_table")
class ProjectRecord(Model):
    class Meta:
        table_name = "projects"

    project_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    language = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    by_user = UserProjectsIndex()


class ProjectAssetsIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-project"
        projection = AllProjection()

    project_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("assets_table")
class AssetRecord(Model):
    class Meta:
        table_name = "assets"

    asset_id = UnicodeAttribute(hash_key=True)
    project_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    key = UnicodeAttribute()
    size = NumberAttribute(null=True)
    status = UnicodeAttribute(default="PENDING")
    reason = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    by_project = ProjectAssetsIndex()


@table("idempotency_table")
class IdempotencyRecord(Model):
    """One row per idempotent request (an API Idempotency-Key, an S3 object version)."""

    class Meta:
        table_name = "idempotency"

    key = UnicodeAttribute(hash_key=True)
    result = UnicodeAttribute(default="")  # e.g. the job id the first request created
    expires_at = TTLAttribute(null=True)  # the table's TTL attribute: old keys expire
    # kept for cleanup tools: which resource the key led to
    refs = ListAttribute(default=list)


@table("gpu_tasks_table")
class GpuTaskRecord(Model):
    """A Step Functions task token waiting on a GPU endpoint or Batch job (studio tier)."""

    class Meta:
        table_name = "gpu-tasks"

    task_id = UnicodeAttribute(hash_key=True)  # the endpoint's inference id or the Batch job's name
    task_token = UnicodeAttribute()
    job_id = UnicodeAttribute()
    stage = UnicodeAttribute()
    output_key = UnicodeAttribute(default="")
    expires_at = TTLAttribute(null=True)
    # One Step Functions task (a scene's shots, a film's cues) fans out into several GPU requests:
    # each request's row names its task's row ("task#..."), which counts the requests still out.
    kind = UnicodeAttribute(default="request")  # "request" | "task"
    parent = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="PENDING")  # PENDING -> DONE | FAILED, once (a conditional write)
    pending = NumberAttribute(null=True)  # task rows: requests not yet done
    backend = UnicodeAttribute(null=True)  # "endpoint" | "batch"
    batch_job_id = UnicodeAttribute(null=True)
    gpu_seconds = NumberAttribute(null=True)
    note_topic = UnicodeAttribute(null=True)  # where a fallback the container reports is noted on the job
    created_at = NumberAttribute(null=True)
    requests = NumberAttribute(null=True)  # task rows: how many GPU requests it sent
    reused = NumberAttribute(null=True)  # task rows: artifacts found in the cache (the span's counts)
    of_total = NumberAttribute(null=True)  # task rows: how many such tasks the stage has (progress share)
