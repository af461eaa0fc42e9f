"""Reporting a waiting task's outcome to Step Functions.

Shared by the preview tier's media functions and the GPU callback Lambda, so both
tiers complete tasks the same way. Failures carry {"stage", "reason"} as the cause,
which the fail path turns into the job's error.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, Callable

from filmstudio.aws import client
from filmstudio.errors import BadInputError, IllegalTransitionError, StageFailedError
from filmstudio.settings import Settings, get_settings

log = logging.getLogger(__name__)

PERMANENT_ERROR = "StageFailed"  # the state machine does not retry these
TRANSIENT_ERROR = "StageTransientError"


def report_success(token: str, output: dict[str, Any], settings: Settings | None = None) -> None:
    client("stepfunctions", settings).send_task_success(taskToken=token, output=json.dumps(output))


def report_failure(token: str, stage: str, reason: str, *, permanent: bool, settings: Settings | None = None) -> None:
    cause = json.dumps({"stage": stage, "reason": reason[:4000]}, ensure_ascii=True)
    client("stepfunctions", settings).send_task_failure(
        taskToken=token, error=PERMANENT_ERROR if permanent else TRANSIENT_ERROR, cause=cause)


class Heartbeat:
    """Sends task heartbeats while a long task runs, so HeartbeatSeconds can stay short."""

    def __init__(self, token: str, every_s: float = 20.0, settings: Settings | None = None):
        self.token, self.every_s, self.settings = token, every_s, settings or get_settings()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="task-heartbeat")

    def _run(self) -> None:
        sfn = client("stepfunctions", self.settings)
        while not self._stop.wait(self.every_s):
            try:
                sfn.send_task_heartbeat(taskToken=self.token)
            except Exception:  # the task may have ended meanwhile; that is not our failure
                log.warning("heartbeat failed", exc_info=True)
                return

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()


def run_and_report(stage: str, token: str, work: Callable[[], dict[str, Any]],
                   settings: Settings | None = None) -> dict[str, Any]:
    """Run a task's work with heartbeats and report its outcome on the token."""
    try:
        with Heartbeat(token, settings=settings):
            output = work()
    except (StageFailedError, BadInputError, IllegalTransitionError) as exc:
        log.error("stage %s failed permanently: %s", stage, exc)
        report_failure(token, stage, getattr(exc, "reason", str(exc)), permanent=True, settings=settings)
        return {"reported": "failure"}
    except Exception as exc:
        log.exception("stage %s failed", stage)
        report_failure(token, stage, f"{type(exc).__name__}: {exc}", permanent=False, settings=settings)
        return {"reported": "failure"}
    report_success(token, output, settings=settings)
    return {"reported": "success", **output}
