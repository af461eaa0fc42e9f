"""Studio-tier dispatch decisions that need no cloud: endpoint or Batch, intake's refusal, the time left."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from filmstudio import topology


def test_long_media_and_bulk_renders_go_to_batch_the_rest_to_the_endpoint():
    from filmstudio.pipeline.gpu_dispatch import backend_for

    over = topology.gpu_family("motion").batch_over_s
    assert backend_for("storyboard", 0.0, bulk=False) == "endpoint"
    assert backend_for("motion", over, bulk=False) == "endpoint"
    assert backend_for("motion", over + 0.5, bulk=False) == "batch"
    assert backend_for("music", 5.0, bulk=True) == "batch"


def test_studio_is_refused_without_models_and_accepted_where_the_gpu_stack_holds_the_weights(monkeypatch):
    from filmstudio.errors import BadInputError
    from filmstudio.pipeline.intake import check_tier
    from filmstudio.settings import reset_settings

    monkeypatch.delenv("FILMSTUDIO_MODEL_DIR", raising=False)
    monkeypatch.delenv("FILMSTUDIO_STUDIO_WEIGHTS", raising=False)
    reset_settings()
    with pytest.raises(BadInputError) as refused:
        check_tier("studio")
    assert refused.value.code == "STUDIO_MODELS_MISSING"
    monkeypatch.setenv("FILMSTUDIO_STUDIO_WEIGHTS", "s3")
    reset_settings()
    try:
        check_tier("studio")  # no exception: the endpoints and Batch queue serve it
    finally:
        monkeypatch.delenv("FILMSTUDIO_STUDIO_WEIGHTS")
        reset_settings()


def test_the_time_left_includes_a_cold_start_while_waiting_for_gpu_capacity():
    from filmstudio.api.routes.jobs import eta_seconds
    from filmstudio.models.job import Job, JobStatus
    from filmstudio.pipeline.gpu_dispatch import GPU_COLD_START_S, WAITING_FOR_GPU

    now = datetime.now(timezone.utc)
    job = Job(job_id="j", project_id="p", user_id="u", status=JobStatus.RUNNING, tier="studio", progress=50.0,
              created_at=now, updated_at=now, started_at=now - timedelta(seconds=100))
    running = eta_seconds(job)
    assert running == pytest.approx(100, abs=2)
    waiting = eta_seconds(job.model_copy(update={"stage_detail": WAITING_FOR_GPU}))
    assert waiting == pytest.approx(running + GPU_COLD_START_S, abs=2)


def test_job_cost_shows_gpu_seconds_per_stage_and_the_credits():
    from filmstudio.models.job import Credits, Job, JobStatus
    from filmstudio.pipeline.accounting import GPU_DOLLARS_PER_SECOND, job_cost

    now = datetime.now(timezone.utc)
    job = Job(job_id="j", project_id="p", user_id="u", status=JobStatus.SUCCEEDED, tier="studio", created_at=now,
              updated_at=now, gpu_seconds={"motion": 30.0, "storyboard": 6.0},
              credits=Credits(estimate=20, reserved=20, settled=2, refunded=18))
    cost = job_cost(job)
    assert cost["credits"] == 2 and cost["gpu_seconds"] == {"motion": 30.0, "storyboard": 6.0}
    assert cost["gpu_seconds_total"] == 36.0
    assert cost["gpu_dollars"] == pytest.approx(36 * GPU_DOLLARS_PER_SECOND)
