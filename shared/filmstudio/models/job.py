"""Jobs, projects and assets as the API and the CLI see them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from filmstudio import media_stages


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})

# The only status changes the pipeline may make; anything else is refused.
ALLOWED_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.RUNNING: frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}

# The stages in pipeline order, with the share of the work each stands for (progress %): the
# media stages and their weights are the rows of filmstudio/media_stages.py.
STAGES: tuple[str, ...] = ("analyze", "plan", *media_stages.names(), "compose", "publish")
STAGE_WEIGHTS: dict[str, float] = {
    "analyze": 3, "plan": 2, **{row.name: row.weight for row in media_stages.STAGES}, "compose": 22, "publish": 3,
}


class StageSpan(BaseModel):
    """One task of a stage (a Map iteration runs one per scene)."""

    start: float
    end: float
    rendered: int = 0  # artifacts produced by this task
    reused: int = 0  # artifacts found in the content-addressed cache


class StageTiming(BaseModel):
    stage: str
    tasks: int
    wall_seconds: float  # first start to last end
    busy_seconds: float  # sum over tasks (exceeds wall time when tasks ran concurrently)
    rendered: int
    reused: int

    @classmethod
    def from_spans(cls, stage: str, spans: list[StageSpan]) -> "StageTiming":
        return cls(
            stage=stage,
            tasks=len(spans),
            wall_seconds=round(max(s.end for s in spans) - min(s.start for s in spans), 4),
            busy_seconds=round(sum(s.end - s.start for s in spans), 4),
            rendered=sum(s.rendered for s in spans),
            reused=sum(s.reused for s in spans),
        )


class JobError(BaseModel):
    stage: str
    reason: str
    error_type: str = ""


class TaskRetry(BaseModel):
    """A media task whose task token timed out (no heartbeat in time, or past its timeout):
    Step Functions runs it once more before the job fails."""

    stage: str
    item: str = ""  # the scene or line id
    reason: str
    at: datetime


class Credits(BaseModel):
    estimate: int = 0
    reserved: int = 0
    settled: int = 0
    refunded: int = 0


class Job(BaseModel):
    job_id: str
    project_id: str
    user_id: str
    status: JobStatus = JobStatus.QUEUED
    stage: str | None = None
    progress: float = 0.0  # percent
    tier: str = "preview"
    language: str | None = None
    title: str = ""
    script_key: str = ""  # the raw script in S3
    source: str | None = None  # "s3://bucket/key#version" for uploads, "api", "cli"
    execution_arn: str | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    timings: dict[str, StageTiming] = Field(default_factory=dict)
    error: JobError | None = None
    outputs: dict[str, str] = Field(default_factory=dict)  # name -> S3 key
    duration: float | None = None  # the film's, seconds
    credits: Credits = Field(default_factory=Credits)
    retries: list[TaskRetry] = Field(default_factory=list)
    # What the job should say about how it was made, by topic: e.g. "speech:ta" -> the
    # studio tier spoke Tamil lines with eSpeak NG, and why.
    notes: dict[str, str] = Field(default_factory=dict)
    # Studio tier: e.g. "waiting for GPU capacity" while its GPU requests wait in a backlog.
    stage_detail: str | None = None
    gpu_seconds: dict[str, float] = Field(default_factory=dict)  # stage -> device seconds reported
    version: int = 0

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


class Project(BaseModel):
    project_id: str
    user_id: str
    name: str
    description: str = ""
    language: str | None = None
    created_at: datetime
    updated_at: datetime


class AssetStatus(StrEnum):
    PENDING = "PENDING"
    READY = "READY"
    REJECTED = "REJECTED"


class Asset(BaseModel):
    asset_id: str
    project_id: str
    user_id: str
    kind: str  # "script" | "image" | "audio"
    filename: str
    content_type: str
    key: str  # S3 key under the user's raw/ prefix
    size: int | None = None
    status: AssetStatus = AssetStatus.PENDING
    reason: str | None = None  # why it was rejected
    created_at: datetime
    updated_at: datetime
