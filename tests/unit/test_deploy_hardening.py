"""Hardening of issue 8 that no other test pins: a media task's heartbeat outlives a failed beat, stage
failures are not retried, and nothing in the state machine waits without a limit."""

from __future__ import annotations

import json
import threading
import time

from botocore.exceptions import ClientError

from filmstudio import aws, topology
from filmstudio.pipeline import completion


def _error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "SendTaskHeartbeat")


def test_a_heartbeat_survives_a_failed_beat_and_stops_only_when_the_token_is_gone(monkeypatch):
    outcomes = [_error("ThrottlingException"), None, _error("ServiceUnavailable"), None, _error("TaskTimedOut")]
    beats: list[float] = []
    done = threading.Event()

    class StepFunctions:
        def send_task_heartbeat(self, taskToken):
            beats.append(time.monotonic())
            outcome = outcomes[len(beats) - 1] if len(beats) <= len(outcomes) else None
            if len(beats) >= len(outcomes):
                done.set()
            if outcome is not None:
                raise outcome

    with aws.replaced("stepfunctions", StepFunctions()), completion.Heartbeat("token-1", every_s=0.6) as heartbeat:
        assert done.wait(10), f"only {len(beats)} beats"
        heartbeat._thread.join(5)
    assert not heartbeat._thread.is_alive(), "heartbeats stop once the token is gone"
    assert heartbeat.lost == "TaskTimedOut" and len(beats) == 5
    # A failed beat is retried sooner than the next regular beat would be.
    assert beats[1] - beats[0] < 0.5 and beats[3] - beats[2] < 0.5
    assert beats[2] - beats[1] >= 0.5  # after a good beat, the regular pace again


def _tasks(states):
    for name, state in states.items():
        if state["Type"] == "Task":
            yield name, state
        for branch in state.get("Branches", []):
            yield from _tasks(branch["States"])
        if "ItemProcessor" in state:
            yield from _tasks(state["ItemProcessor"]["States"])


def test_stage_failures_are_not_retried_and_the_execution_and_record_failure_have_time_limits():
    sm = topology.FILM_STATE_MACHINE
    definition = json.loads(sm.definition(sm.substitutions(lambda name: f"arn:fn:{name}")))
    assert 0 < definition["TimeoutSeconds"] <= 24 * 3600
    for name, state in _tasks(definition["States"]):
        if name == "RecordFailure":
            assert 0 < state["TimeoutSeconds"] <= 300
            continue
        # Step Functions uses the first retrier whose ErrorEquals matches.
        first = next(r for r in state["Retry"] if "StageFailedError" in r["ErrorEquals"]
                     or "States.ALL" in r["ErrorEquals"])
        assert "StageFailedError" in first["ErrorEquals"] and first["MaxAttempts"] == 0, name
