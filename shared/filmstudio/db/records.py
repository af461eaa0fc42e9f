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

    task_id = UnicodeAttribute(hash_key=True)  # the endpoint's inference id or the Batch job id
    task_token = UnicodeAttribute()
    job_id = UnicodeAttribute()
    stage = UnicodeAttribute()
    output_key = UnicodeAttribute(default="")
    expires_at = TTLAttribute(null=True)
