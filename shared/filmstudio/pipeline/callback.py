"""GPU completion: a SageMaker asynchronous inference notification or a Batch job state change -> the waiting task.

SageMaker publishes to the endpoint's success or error SNS topic {"inferenceId",
"invocationStatus": "Completed" | "Failed", "requestParameters": {"inputLocation", ...},
"responseParameters": {"outputLocation" | "failureLocation", "contentType"}, "failureReason"};
EventBridge delivers Batch's "Batch Job State Change" events {"detail": {"jobName",
"jobId", "status", "statusReason", "container": {"exitCode", "reason"}}}. The submit side
(`gpu_dispatch`) named each request (inference id, Batch job name) and stored its task
token in `gpu_tasks`. A request is marked done once (a conditional write), so a duplicate
or late notice changes nothing; an unknown id is logged and dropped. A scheduled event
heartbeats every task still waiting (`keep_waiting_tasks`).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from filmstudio.jobs.gpu_tasks import DONE, FAILED, GpuTask, GpuTaskStore
from filmstudio.pipeline.completion import TaskGone, error_code, heartbeat, report_failure, report_success
from filmstudio.settings import get_settings
from filmstudio.storage.artifacts import ArtifactStore
from filmstudio.studio.contract import FAILURE_SUFFIX, RESPONSE_SUFFIX

log = logging.getLogger(__name__)


def _object_key(uri: str) -> str | None:
    """The key of an s3:// location in the media bucket (the only bucket the GPU side writes)."""
    if not uri.startswith("s3://") or "/" not in uri[5:]:
        return None
    bucket, key = uri[5:].split("/", 1)
    return key if bucket == get_settings().bucket else None


def _read_s3(uri: str) -> bytes | None:
    key = _object_key(uri)
    if key is None:
        log.warning("not a location in the media bucket: %r", uri)
        return None
    try:
        return ArtifactStore().get_bytes(key)
    except Exception as exc:  # noqa: BLE001  (a missing or unreadable object is what the caller reports)
        log.warning("could not read %s: %s", uri, error_code(exc) or exc)
        return None


def _output_exists(key: str) -> bool:
    return ArtifactStore().exists(key)


def _response(body: bytes | None):
    from filmstudio.studio.contract import StudioResponse

    if body is None:
        return None
    try:
        return StudioResponse.model_validate_json(body)
    except ValueError as exc:
        log.warning("the GPU response is not a StudioResponse: %s", exc)
        return None


def _succeeded(task: GpuTask, response_body: bytes | None, where: str) -> dict[str, Any]:
    from filmstudio.jobs.store import JobStore
    from filmstudio.observability import gpu_metrics

    response = _response(response_body)
    if response is None:
        return _failed(task, f"the {task.stage} GPU request reported success but its response at {where} "
                             "is missing or unreadable")
    if response.output_key != task.output_key or not _output_exists(task.output_key):
        return _failed(task, f"the {task.stage} GPU request reported success but wrote no {task.output_key}")
    if not GpuTaskStore().mark(task.task_id, DONE, gpu_seconds=response.gpu_seconds):
        log.info("GPU request %s was already %s: duplicate notice dropped", task.task_id, task.status)
        return {"task_id": task.task_id, "reported": "duplicate"}
    jobs = JobStore()
    jobs.add_gpu_seconds(task.job_id, task.stage, response.gpu_seconds)
    gpu_metrics(task.stage, response.gpu_seconds)
    if response.fallback and task.note_topic:  # e.g. a language Parler-TTS lacks, spoken by eSpeak NG
        jobs.note(task.job_id, task.note_topic, response.fallback)
    store = GpuTaskStore()
    if store.finish_request(task.parent) > 0:
        return {"task_id": task.task_id, "reported": None, "gpu_seconds": response.gpu_seconds}
    if not store.close_task(task.parent, DONE):
        return {"task_id": task.task_id, "reported": "duplicate"}
    row = store.task_row(task.parent)
    rendered = int(row.requests or 0) if row is not None else None
    _record_span(task, row)
    _report(lambda: report_success(task.task_token, {"stage": task.stage, "rendered": rendered}), task)
    return {"task_id": task.task_id, "reported": "success", "gpu_seconds": response.gpu_seconds}


def _record_span(task: GpuTask, row) -> None:
    from filmstudio.jobs.store import JobStore

    if row is None:
        return
    try:
        JobStore().record_span(task.job_id, task.stage, float(row.created_at or time.time()), time.time(),
                               rendered=int(row.requests or 0), reused=int(row.reused or 0),
                               of_total=int(row.of_total or 1))
    except Exception:  # noqa: BLE001  (timing must not turn a finished task into a failed one)
        log.warning("could not record the %s span of job %s", task.stage, task.job_id, exc_info=True)


def _failed(task: GpuTask, reason: str) -> dict[str, Any]:
    store = GpuTaskStore()
    if not store.mark(task.task_id, FAILED):
        return {"task_id": task.task_id, "reported": "duplicate"}
    if not store.close_task(task.parent, FAILED):
        return {"task_id": task.task_id, "reported": None}  # another request already failed the task
    log.error("GPU request %s (%s of job %s) failed: %s", task.task_id, task.stage, task.job_id, reason)
    _report(lambda: report_failure(task.task_token, task.stage, reason, permanent=True), task)
    return {"task_id": task.task_id, "reported": "failure", "reason": reason[:500]}


def _report(send, task: GpuTask) -> None:
    try:
        send()
    except TaskGone as gone:  # the task timed out or its execution ended: nothing waits any more
        log.warning("task of GPU request %s is gone (%s)", task.task_id, gone.code)


def _unknown(kind: str, ident: str) -> dict[str, Any]:
    log.warning("no waiting task for %s %r: dropped", kind, ident)
    return {"task_id": ident, "reported": None}


def handle_notification(record: dict[str, Any]) -> dict[str, Any]:
    """One SNS record from an endpoint's success or error topic."""
    try:
        message = json.loads(record["Sns"]["Message"])
    except (KeyError, TypeError, ValueError):
        log.warning("not a SageMaker asynchronous inference notification: %s", str(record)[:500])
        return {"task_id": None, "reported": None}
    inference_id = str(message.get("inferenceId") or "")
    task = GpuTaskStore().get(inference_id) if inference_id else None
    if task is None:
        return _unknown("inference", inference_id)
    params = message.get("responseParameters") or {}
    if message.get("invocationStatus") == "Completed":
        where = params.get("outputLocation", "")
        return _succeeded(task, _read_s3(where) if where else None, where or "(no outputLocation)")
    where = params.get("failureLocation", "")
    detail = (_read_s3(where) or b"").decode("utf-8", "replace").strip() if where else ""
    reason = _failure_text(detail) or message.get("failureReason") or "the endpoint reported a failure"
    return _failed(task, reason)


def _failure_text(body: str) -> str:
    """The container's error answer ({"error": {"code", "message"}}) as one line, or the text as it is."""
    try:
        error = json.loads(body).get("error") if body.startswith("{") else None
    except ValueError:
        error = None
    if isinstance(error, dict) and error.get("message"):
        return f"{error['message']} [{error.get('code', '')}]"
    return body[:2000]


def is_batch_event(event: Any) -> bool:
    return isinstance(event, dict) and event.get("source") == "aws.batch" and \
        event.get("detail-type") == "Batch Job State Change"


def handle_batch_event(event: dict[str, Any]) -> dict[str, Any]:
    detail = event.get("detail") or {}
    status, job_id, name = detail.get("status"), str(detail.get("jobId") or ""), detail.get("jobName")
    if status not in ("SUCCEEDED", "FAILED"):
        return {"task_id": name, "reported": None, "status": status}
    task = GpuTaskStore().get_by_batch_job(job_id, name)
    if task is None:
        return _unknown("Batch job", f"{name} ({job_id})")
    if status == "SUCCEEDED":
        # The Batch entry writes its response beside the output (studio/container.py run_batch).
        where = f"s3://{get_settings().bucket}/{task.output_key}{RESPONSE_SUFFIX}"
        return _succeeded(task, _read_s3(where), where)
    container = detail.get("container") or {}
    parts = [_batch_error(task.output_key, task.task_id), detail.get("statusReason"), container.get("reason"),
             f"exit code {container['exitCode']}" if container.get("exitCode") is not None else None]
    return _failed(task, "; ".join(str(p) for p in parts if p) or "the Batch job failed")


def _batch_error(output_key: str, task_id: str) -> str | None:
    """The container's own account of a failed Batch job (studio/container.py writes it beside the
    output), e.g. "CUDA out of memory [OutOfMemoryError]", which Batch's event does not carry.
    Only this request's: the key is content-addressed, so another job's failure may have left one."""
    if not ArtifactStore().exists(output_key + FAILURE_SUFFIX):
        return None
    raw = _read_s3(f"s3://{get_settings().bucket}/{output_key}{FAILURE_SUFFIX}")
    try:
        record = json.loads(raw or b"{}")
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("request_id") != task_id:
        return None
    error = record.get("error") or {}
    return f"{error.get('message', '')} [{error.get('code', 'error')}]".strip() if error else None


def is_schedule(event: Any) -> bool:
    return isinstance(event, dict) and event.get("detail-type") == "Scheduled Event"


def keep_waiting_tasks() -> dict[str, Any]:
    """Heartbeat every task whose GPU requests are still out. A request waiting in an endpoint's
    backlog for an instance to start (minutes, from zero) has nobody else to keep its task alive;
    a token that is gone is closed, so it is not beaten again."""
    store = GpuTaskStore()
    beaten = gone = 0
    for parent, token, _job in store.waiting_tokens():
        try:
            heartbeat(token)
            beaten += 1
        except TaskGone:
            store.close_task(parent, FAILED)
            gone += 1
        except Exception as exc:  # noqa: BLE001  (the next beat tries again)
            log.warning("heartbeat for %s failed: %s", parent, error_code(exc) or exc)
    return {"heartbeats": beaten, "gone": gone}


def is_failed_invocation(event: Any) -> bool:
    """An on-failure destination record of Lambda's asynchronous invocation (not an SNS batch)."""
    return isinstance(event, dict) and "requestPayload" in event and "requestContext" in event


def handle_failed_invocation(event: dict[str, Any]) -> dict[str, Any]:
    """A media stage's asynchronous invocation died without reporting (timeout, out of memory, a crash
    at import) or its event expired in the queue: fail its task now rather than at the heartbeat
    timeout. Transient, so the state machine's own Retry decides whether to run the stage again."""
    payload = event.get("requestPayload") or {}
    token, stage = payload.get("task_token"), str(payload.get("stage") or "unknown")
    if not token:
        log.warning("failed invocation without a task token: %s", str(payload)[:500])
        return {"reported": None}
    condition = (event.get("requestContext") or {}).get("condition", "Failed")
    response = event.get("responsePayload") or {}
    detail = response.get("errorMessage") or response.get("errorType") or "no response"
    report_failure(token, stage, f"the {stage} function did not finish ({condition}): {detail}"[:2000],
                   permanent=False)
    return {"reported": "failure", "stage": stage, "condition": condition}


def handle_event(event: Any) -> Any:
    """Whatever reaches gpu_callback: a media stage's failed asynchronous invocation (its on-failure
    destination), a Batch job state change (EventBridge), the GPU task keeper's schedule, or SNS
    records from a SageMaker asynchronous endpoint's success/error topics."""
    if is_failed_invocation(event):
        return handle_failed_invocation(event)
    if is_batch_event(event):
        return handle_batch_event(event)
    if is_schedule(event):
        return keep_waiting_tasks()
    return [handle_notification(record) for record in event.get("Records", [])]
