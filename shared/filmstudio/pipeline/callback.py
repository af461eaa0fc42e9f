"""GPU completion: a SageMaker asynchronous inference notification -> the waiting task.

SageMaker publishes {"inferenceId", "invocationStatus", "responseParameters":
{"outputLocation"}, "failureReason"} to the endpoint's success or error SNS topic;
the submit side stored the task token under the inference id.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pynamodb.exceptions import DoesNotExist

from filmstudio.db.base import bind_tables
from filmstudio.db.records import GpuTaskRecord
from filmstudio.pipeline.completion import report_failure, report_success

log = logging.getLogger(__name__)


def handle_notification(record: dict[str, Any]) -> dict[str, Any]:
    bind_tables()
    message = json.loads(record["Sns"]["Message"])
    inference_id = message.get("inferenceId", "")
    try:
        task = GpuTaskRecord.get(inference_id)
    except DoesNotExist:
        # Not ours (or already completed and expired): nothing waits on it.
        log.warning("no waiting task for inference %s", inference_id)
        return {"inference_id": inference_id, "reported": None}
    if message.get("invocationStatus") == "Completed":
        output = message.get("responseParameters", {}).get("outputLocation", "")
        report_success(task.task_token, {"stage": task.stage, "output": output})
        outcome = "success"
    else:
        reason = message.get("failureReason") or "the endpoint reported a failure"
        report_failure(task.task_token, task.stage, reason, permanent=True)
        outcome = "failure"
    task.delete()
    return {"inference_id": inference_id, "reported": outcome}


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
