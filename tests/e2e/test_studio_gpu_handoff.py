"""The studio tier through the local cloud's GPU hand-off, with tiny random-weight models.

gpu_submit writes StudioRequests and calls invoke_endpoint_async (or batch.submit_job); the
local cloud's worker runs the container's model_fn/input_fn/predict_fn/output_fn, writes the
answer where the endpoint's AsyncInferenceConfig says and publishes SageMaker's notification
to the family's SNS topic (or Batch's state change on EventBridge), which reaches gpu_callback,
which completes the task. Credits are reserved from estimated GPU-seconds and settled on the
GPU-seconds the containers reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("diffusers")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("studio")]

GPU_STAGES = {"storyboard", "motion", "speech", "music"}
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "the_lighthouse_keeper.fountain"


@pytest.fixture(scope="module")
def script() -> bytes:
    return EXAMPLE.read_bytes()


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    from filmstudio.studio.tiny import write_tiny_model_dir

    return write_tiny_model_dir(tmp_path_factory.mktemp("studio-models"))


HEARTBEAT_S = 4  # the media tasks' HeartbeatSeconds here: requests wait in the one worker's queue for longer
# (the storyboard's key frames take 7-9 s on one CPU worker; at 8 s the margin was too thin to rely on)


@pytest.fixture
def studio(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(tiny_models))
    monkeypatch.setenv("FILMSTUDIO_STUDIO_CACHE", str(tmp_path / "cache"))
    # The keeper's schedule beats every waiting task twice a second; one GPU worker, as on a one-GPU
    # endpoint, so requests wait in its backlog past HeartbeatSeconds and live only by the keeper.
    monkeypatch.setenv("FILMSTUDIO_TASK_HEARTBEAT_S", "0.5")
    from filmstudio.localcloud import LocalCloud

    with LocalCloud(gpu_workers=1, task_timing={"heartbeat_s": HEARTBEAT_S}) as cloud:
        yield cloud


def _render(cloud, script: bytes, *, bulk: bool = False, credits: int = 10_000, filename: str = "film.fountain",
            email: str | None = None):
    from filmstudio.auth.users import UserStore
    from filmstudio.credits import CreditStore
    from filmstudio.db.accounts import UserRecord
    from filmstudio.pipeline.intake import start_job

    user = UserStore().register(email or f"director-{bulk}@example.com", "a long enough password")
    UserRecord(user_id=user.user_id).update(actions=[UserRecord.credits_available.set(credits)])
    job = start_job(user_id=user.user_id, project_id="p1", data=script, filename=filename, tier="studio",
                    bulk=bulk, reserve=lambda job_id, user_id, n: CreditStore().reserve(job_id, user_id, n),
                    release=lambda job_id, user_id, n: CreditStore().release(job_id, user_id, n))
    seen: set[str | None] = set()
    done = cloud.wait(job.job_id, timeout=900, on_progress=lambda j: seen.add(j.stage_detail))
    return user.user_id, done, seen


def _execution_status(job) -> str:
    from filmstudio import aws

    return aws.client("stepfunctions").describe_execution(executionArn=job.execution_arn)["status"]


def _history_types(job) -> set[str]:
    from filmstudio import aws

    pages = aws.client("stepfunctions").get_paginator("get_execution_history").paginate(executionArn=job.execution_arn)
    return {event["type"] for page in pages for event in page["events"]}


def _assert_settled_from_gpu_seconds(user_id, job):
    from filmstudio.credits import CreditStore
    from filmstudio.pipeline.accounting import gpu_cost, job_cost

    assert set(job.gpu_seconds) == GPU_STAGES and all(s > 0 for s in job.gpu_seconds.values()), job.gpu_seconds
    charged = min(job.credits.reserved, gpu_cost(sum(job.gpu_seconds.values())))
    assert job.credits.settled == charged and job.credits.refunded == job.credits.reserved - charged
    assert CreditStore().balance(user_id).available == 10_000 - charged
    cost = job_cost(job)
    assert cost["credits"] == charged and cost["gpu_seconds"].keys() == GPU_STAGES


def test_a_studio_film_renders_through_the_async_endpoints_and_is_charged_its_gpu_seconds(studio, script):
    from filmstudio.jobs.gpu_tasks import GpuTaskStore

    user_id, job, details = _render(studio, script)
    assert job.status.value == "SUCCEEDED", job.error
    assert _execution_status(job) == "SUCCEEDED"
    # While its requests sat in the endpoint's queue the job said so; once answered, no longer.
    assert "waiting for GPU capacity" in details and job.stage_detail is None
    # Scenes' key frames waited behind one another on the one worker for longer than HeartbeatSeconds:
    # only the keeper's heartbeats kept those tasks alive.
    assert job.timings["storyboard"].wall_seconds > HEARTBEAT_S
    assert "TaskTimedOut" not in _history_types(job)
    _assert_settled_from_gpu_seconds(user_id, job)
    handled = studio.gpu.handled
    assert handled and {h["backend"] for h in handled} == {"endpoint"}
    assert {h["family"] for h in handled} == {"visual", "voice", "music"}
    assert all(h["status"] == "Completed" for h in handled)
    assert GpuTaskStore().waiting_tokens() == []
    # Every speech line was spoken by eSpeak NG (no Parler-TTS in the tiny directory), and the job says so.
    assert job.notes and all(v.startswith("eSpeak NG") for v in job.notes.values())


def test_a_bulk_render_goes_through_batch(studio, script):
    user_id, job, _ = _render(studio, script, bulk=True)
    assert job.status.value == "SUCCEEDED", job.error
    _assert_settled_from_gpu_seconds(user_id, job)
    assert {h["backend"] for h in studio.gpu.handled} == {"batch"}
    assert all(h["status"] == "SUCCEEDED" for h in studio.gpu.handled)

    # The same film again: every artifact is cached, so each task reports from inside its own submit
    # (before the state machine has armed its heartbeat timer) and no GPU request is made.
    requests_before = len(studio.gpu.handled)
    _, again, _ = _render(studio, script, bulk=True, email="again@example.com", filename="again.fountain")
    assert again.status.value == "SUCCEEDED", again.error
    assert _execution_status(again) == "SUCCEEDED"
    assert len(studio.gpu.handled) == requests_before
    assert not any(again.gpu_seconds.values())


def test_an_endpoint_error_fails_the_job_naming_stage_and_reason_and_refunds(studio, short_screenplay, monkeypatch):
    from filmstudio.credits import CreditStore
    from filmstudio.studio import handler

    real = handler.predict_fn

    def out_of_memory(request, model):
        if request.stage == "music":
            raise RuntimeError("CUDA out of memory: tried to allocate 2.00 GiB")
        return real(request, model)

    monkeypatch.setattr(handler, "predict_fn", out_of_memory)
    user_id, job, _ = _render(studio, short_screenplay)
    assert job.status.value == "FAILED"
    assert job.error.stage == "music" and "CUDA out of memory" in job.error.reason
    assert job.credits.refunded == job.credits.reserved > 0 and job.credits.settled == 0
    assert CreditStore().balance(user_id).available == 10_000
    assert any(h["status"] == "Failed" for h in studio.gpu.handled)
