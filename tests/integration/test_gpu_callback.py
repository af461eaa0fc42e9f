"""The GPU callback against the local cloud's tables and bucket: a task of several GPU requests completes
once, when the last answers; a duplicate success completes nothing; an unknown id is logged and dropped;
an error names the stage and the reason the container wrote; the keeper heartbeats waiting tasks."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

import pytest

import functions.gpu_callback.handler as callback_handler
from filmstudio.pipeline import callback


@pytest.fixture
def reports(monkeypatch):
    sent: list[tuple] = []
    monkeypatch.setattr(callback, "report_success", lambda token, output: sent.append(("success", token, output)))
    monkeypatch.setattr(callback, "report_failure",
                        lambda token, stage, reason, *, permanent: sent.append(("failure", token, stage, reason)))
    return sent


def _job(job_id: str):
    from filmstudio.jobs.store import JobStore
    from filmstudio.models.job import Job, JobStatus

    now = datetime.now(timezone.utc)
    JobStore().create(Job(job_id=job_id, project_id="p", user_id="u", status=JobStatus.RUNNING, tier="studio",
                          created_at=now, updated_at=now))


def _task(job_id: str, stage: str, ids: list[str], token: str = "token-1") -> None:
    from filmstudio.jobs.gpu_tasks import GpuRequest, GpuTaskStore

    GpuTaskStore().put(token, job_id, stage, [GpuRequest(task_id=i, stage=stage, job_id=job_id,
                                                         output_key=f"cache/{stage}/{i}.png", backend="endpoint")
                                              for i in ids])


def _answer(s3, bucket: str, job_id: str, stage: str, inference_id: str, gpu_seconds: float) -> dict:
    """What the endpoint leaves behind for one request: the output, its response, the notification."""
    from filmstudio.studio.contract import StudioResponse

    key = f"cache/{stage}/{inference_id}.png"
    s3.put_object(Bucket=bucket, Key=key, Body=b"png")
    response = StudioResponse(stage=stage, job_id=job_id, output_key=key, gpu_seconds=gpu_seconds, device="cuda",
                              model_ids={}, engine="studio-storyboard@1")
    where = f"gpu/outputs/visual/{inference_id}.out"
    s3.put_object(Bucket=bucket, Key=where, Body=response.model_dump_json().encode())
    message = {"invocationStatus": "Completed", "inferenceId": inference_id, "eventSource": "aws:sagemaker",
               "responseParameters": {"contentType": "application/json", "outputLocation": f"s3://{bucket}/{where}"}}
    return {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(message)}}]}


def test_a_task_completes_once_when_its_last_request_answers_and_a_duplicate_changes_nothing(cloud, reports):
    from filmstudio import aws
    from filmstudio.jobs.store import JobStore
    from filmstudio.settings import get_settings

    s3, bucket = aws.client("s3"), get_settings().bucket
    _job("j1")
    _task("j1", "storyboard", ["r1", "r2"])
    first = _answer(s3, bucket, "j1", "storyboard", "r1", 2.5)
    assert callback_handler.handler(first, None)[0]["reported"] is None  # r2 is still out
    assert callback_handler.handler(first, None)[0]["reported"] == "duplicate"
    assert reports == []
    assert callback_handler.handler(_answer(s3, bucket, "j1", "storyboard", "r2", 1.5), None)[0]["reported"] == "success"
    assert callback_handler.handler(first, None)[0]["reported"] == "duplicate"  # late, after the task completed
    assert [r[:2] for r in reports] == [("success", "token-1")]
    job = JobStore().get("j1")
    assert job.gpu_seconds == {"storyboard": 4.0}  # counted once each, the duplicate not at all
    assert job.timings["storyboard"].rendered == 2


def test_an_unknown_inference_is_logged_and_dropped(cloud, reports, caplog):
    from filmstudio import aws
    from filmstudio.settings import get_settings

    notice = _answer(aws.client("s3"), get_settings().bucket, "nobody", "storyboard", "not-ours", 1.0)
    with caplog.at_level(logging.WARNING, logger="filmstudio.pipeline.callback"):
        assert callback_handler.handler(notice, None) == [{"task_id": "not-ours", "reported": None}]
    assert reports == [] and "not-ours" in caplog.text


def test_an_error_notification_fails_the_task_with_the_containers_reason(cloud, reports):
    from filmstudio import aws
    from filmstudio.settings import get_settings

    s3, bucket = aws.client("s3"), get_settings().bucket
    _job("j2")
    _task("j2", "motion", ["m1", "m2"], token="token-2")
    s3.put_object(Bucket=bucket, Key="gpu/failures/visual/m1-error.out",
                  Body=json.dumps({"error": {"code": "BAD_INPUT_KEY", "message": "inputs.panel 'x': gone"}}).encode())
    message = {"invocationStatus": "Failed", "inferenceId": "m1", "failureReason": "ClientError: (400) from model",
               "responseParameters": {"failureLocation": f"s3://{bucket}/gpu/failures/visual/m1-error.out"}}
    record = {"Records": [{"Sns": {"Message": json.dumps(message)}}]}
    assert callback_handler.handler(record, None)[0]["reported"] == "failure"
    assert callback_handler.handler(record, None)[0]["reported"] == "duplicate"
    assert reports == [("failure", "token-2", "motion", "inputs.panel 'x': gone [BAD_INPUT_KEY]")]
    # The other request answering later completes nothing: its task has already failed.
    assert callback_handler.handler(_answer(s3, bucket, "j2", "motion", "m2", 1.0), None)[0]["reported"] is None
    assert len(reports) == 1


def test_a_success_without_its_output_object_fails_the_task(cloud, reports):
    from filmstudio import aws
    from filmstudio.settings import get_settings

    s3, bucket = aws.client("s3"), get_settings().bucket
    _job("j3")
    _task("j3", "storyboard", ["s1"], token="token-3")
    notice = _answer(s3, bucket, "j3", "storyboard", "s1", 1.0)
    s3.delete_object(Bucket=bucket, Key="cache/storyboard/s1.png")
    assert callback_handler.handler(notice, None)[0]["reported"] == "failure"
    assert reports[0][:3] == ("failure", "token-3", "storyboard") and "cache/storyboard/s1.png" in reports[0][3]


def test_a_batch_job_state_change_completes_its_request(cloud, reports):
    from filmstudio import aws
    from filmstudio.jobs.gpu_tasks import GpuTaskStore
    from filmstudio.settings import get_settings
    from filmstudio.studio.contract import StudioResponse

    s3, bucket = aws.client("s3"), get_settings().bucket
    _job("j4")
    _task("j4", "music", ["b1"], token="token-4")
    GpuTaskStore().set_batch_job_id("b1", "batch-id-1")
    s3.put_object(Bucket=bucket, Key="cache/music/b1.png", Body=b"wav")
    response = StudioResponse(stage="music", job_id="j4", output_key="cache/music/b1.png", gpu_seconds=7.0,
                              device="cuda", model_ids={}, engine="studio-music@1")
    s3.put_object(Bucket=bucket, Key="cache/music/b1.png.response.json", Body=response.model_dump_json().encode())
    event = {"source": "aws.batch", "detail-type": "Batch Job State Change",
             "detail": {"jobName": "b1", "jobId": "someone-elses", "status": "SUCCEEDED"}}
    assert callback_handler.handler(event, None)["reported"] is None  # same name, not our job id
    event["detail"]["jobId"] = "batch-id-1"
    assert callback_handler.handler(event, None)["reported"] == "success"
    assert [r[:2] for r in reports] == [("success", "token-4")]


def test_a_failed_batch_job_is_reported_with_the_container_s_own_reason(cloud, reports):
    import json

    from filmstudio import aws
    from filmstudio.jobs.gpu_tasks import GpuTaskStore
    from filmstudio.settings import get_settings

    s3, bucket = aws.client("s3"), get_settings().bucket
    _job("j6")
    _task("j6", "motion", ["f1", "f2"], token="token-6")
    GpuTaskStore().set_batch_job_id("f1", "batch-id-6")
    GpuTaskStore().set_batch_job_id("f2", "batch-id-7")
    # What studio/container.py run_batch writes beside the output when the model fails.
    s3.put_object(Bucket=bucket, Key="cache/motion/f1.png.error.json",
                  Body=json.dumps({"request_id": "f1",
                                   "error": {"code": "OutOfMemoryError", "message": "CUDA out of memory"}}).encode())
    event = {"source": "aws.batch", "detail-type": "Batch Job State Change",
             "detail": {"jobName": "f1", "jobId": "batch-id-6", "status": "FAILED",
                        "statusReason": "Essential container in task exited", "container": {"exitCode": 1}}}
    assert callback_handler.handler(event, None)["reported"] == "failure"
    reason = reports[0][3]
    assert reason.startswith("CUDA out of memory [OutOfMemoryError]") and "exit code 1" in reason

    # A job that died before it could say why (the instance reclaimed): Batch's reason alone.
    _task("j6", "music", ["f3"], token="token-7")
    GpuTaskStore().set_batch_job_id("f3", "batch-id-8")
    event["detail"].update(jobName="f3", jobId="batch-id-8", statusReason="Host EC2 terminated",
                           container={"exitCode": 137})
    assert callback_handler.handler(event, None)["reported"] == "failure"
    assert reports[1][3] == "Host EC2 terminated; exit code 137"

    # Another job's request for the same content failed earlier and left its record at that key:
    # this job's failure (which left none) is not reported with that old reason.
    _task("j6", "motion", ["f4"], token="token-8")
    GpuTaskStore().set_batch_job_id("f4", "batch-id-9")
    s3.put_object(Bucket=bucket, Key="cache/motion/f4.png.error.json",
                  Body=json.dumps({"request_id": "someone-elses", "error": {"code": "Old", "message": "old"}}).encode())
    event["detail"].update(jobName="f4", jobId="batch-id-9")
    assert callback_handler.handler(event, None)["reported"] == "failure"
    assert reports[2][3] == "Host EC2 terminated; exit code 137"


def test_the_keeper_heartbeats_waiting_tasks_and_forgets_gone_ones(cloud, monkeypatch):
    from filmstudio.jobs.gpu_tasks import GpuTaskStore

    _job("j5")
    _task("j5", "storyboard", ["k1"], token="not-a-live-token")
    # moto knows no such token: the keeper closes the task instead of beating it forever.
    answer = callback_handler.handler({"source": "aws.events", "detail-type": "Scheduled Event"}, None)
    assert answer == {"heartbeats": 0, "gone": 1}
    assert GpuTaskStore().waiting_tokens() == []
