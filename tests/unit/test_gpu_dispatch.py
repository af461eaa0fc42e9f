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


def test_each_stage_s_row_shapes_its_gpu_requests_and_a_stage_without_them_fails_by_name(monkeypatch):
    import dataclasses

    from filmstudio import media_stages
    from filmstudio.errors import StageFailedError
    from filmstudio.pipeline import gpu_dispatch
    from filmstudio.pipeline.manifest import build_manifest
    from testkit.plans import SceneSpec, build_plan

    plan = build_plan([SceneSpec(lines=("One.", "Two.")), SceneSpec(lines=("Three.",))], shots=3, shot_duration=2.5)
    manifest = build_manifest(plan, "plans/p.json", job_id="j", user_id="u", project_id="p", tier="studio",
                              final_prefix="final/")
    scene = plan.scenes[0]
    motion = gpu_dispatch._units("motion", {"scene_id": scene.id}, manifest, plan, "bucket")
    assert [u.request.shot_id for u in motion] == [s.id for s in scene.shots]
    assert all(u.request.parameters.duration == 2.5 and u.media_seconds == 2.5 for u in motion)
    assert all(u.request.inputs.panel == manifest.panels[u.request.shot_id] for u in motion)
    line = plan.lines()[0]
    (speech,) = gpu_dispatch._units("speech", {"line_id": line.id}, manifest, plan, "bucket")
    assert speech.request.output_key == manifest.speech[line.id] and speech.note_topic == f"speech:{line.language}"
    music = gpu_dispatch._units("music", {}, manifest, plan, "bucket")
    assert [u.request.scene_id for u in music] == [s.id for s in plan.scenes]
    assert media_stages.tasks_in(plan, "scene") == 2 and media_stages.tasks_in(plan, "line") == len(plan.lines()) > 1

    bare = dataclasses.replace(media_stages.stage("music"), gpu_requests=None)
    monkeypatch.setattr(media_stages, "stage", lambda name: bare)
    with pytest.raises(StageFailedError, match="'music' has no studio GPU requests"):
        gpu_dispatch._units("music", {}, manifest, plan, "bucket")
