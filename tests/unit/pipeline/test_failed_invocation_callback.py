"""A media stage whose asynchronous invocation died (Lambda's on-failure destination) fails its task at once."""

from __future__ import annotations

import functions.gpu_callback.handler as callback_handler
from filmstudio.pipeline import callback


def _destination_record(payload: dict, condition: str = "RetriesExhausted") -> dict:
    return {"version": "1.0", "timestamp": "2026-12-01T00:00:00.000Z",
            "requestContext": {"requestId": "r1", "functionArn": "arn:aws:lambda:us-east-1:1:function:f:$LATEST",
                               "condition": condition, "approximateInvokeCount": 1},
            "requestPayload": payload,
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "responsePayload": {"errorType": "Sandbox.Timedout", "errorMessage": "Task timed out after 900.00 seconds"}}


def test_a_lost_invocation_fails_its_task_as_transient(monkeypatch):
    sent = []
    monkeypatch.setattr(callback, "report_failure",
                        lambda token, stage, reason, *, permanent: sent.append((token, stage, reason, permanent)))
    answer = callback_handler.handler(
        _destination_record({"stage": "motion", "job_id": "j1", "task_token": "tok-1", "scene_id": "s2"}), None)
    assert answer == {"reported": "failure", "stage": "motion", "condition": "RetriesExhausted"}
    ((token, stage, reason, permanent),) = sent
    assert (token, stage, permanent) == ("tok-1", "motion", False)  # the state machine's Retry decides
    assert "Task timed out after 900.00 seconds" in reason and "RetriesExhausted" in reason


def test_a_record_without_a_task_token_reports_nothing(monkeypatch):
    monkeypatch.setattr(callback, "report_failure", lambda *a, **k: (_ for _ in ()).throw(AssertionError("sent")))
    assert callback_handler.handler(_destination_record({"stage": "music"}, "EventAgeExceeded"), None) == {
        "reported": None}
