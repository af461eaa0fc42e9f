"""Reporting a waiting task's outcome to Step Functions.

Shared by the preview tier's media functions and the GPU callback Lambda, so both
tiers complete tasks the same way. Failures carry {"stage", "reason"} as the cause,
which the fail path turns into the job's error.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any, Callable

from filmstudio.errors import BadInputError, IllegalTransitionError, StageFailedError
from filmstudio.settings import Settings, get_settings
from filmstudio.workflow import Workflow

log = logging.getLogger(__name__)

PERMANENT_ERROR = "StageFailed"  # the state machine does not retry these
TRANSIENT_ERROR = "StageTransientError"


# The task is over (it timed out, or its execution ended): nothing sent on its token can land.
TOKEN_GONE = frozenset({"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"})
REPORT_ATTEMPTS = 6


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    return (response or {}).get("Error", {}).get("Code", "") if isinstance(response, dict) else ""


class TaskGone(Exception):
    """The task's token no longer takes reports (`code` is one of TOKEN_GONE)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _send(call: Callable[[], Any], *, attempts: int = REPORT_ATTEMPTS, first_delay: float = 0.2) -> None:
    """Send one report, retrying a transient failure (throttling, a busy endpoint) with backoff;
    a token that is gone raises TaskGone at once, since no retry can make it land."""
    delay = first_delay
    for attempt in range(attempts):
        try:
            call()
            return
        except Exception as exc:  # noqa: BLE001  (botocore's errors do not share a narrower base)
            code = error_code(exc)
            if code in TOKEN_GONE:
                raise TaskGone(code) from exc
            if attempt == attempts - 1:
                raise
            log.warning("task report failed (%s); retrying in %.1f s", code or type(exc).__name__, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def report_success(token: str, output: dict[str, Any], settings: Settings | None = None) -> None:
    workflow = Workflow(settings)
    _send(lambda: workflow.task_success(token, output))


def report_failure(token: str, stage: str, reason: str, *, permanent: bool, settings: Settings | None = None) -> None:
    cause = json.dumps({"stage": stage, "reason": reason[:4000]}, ensure_ascii=True)
    workflow = Workflow(settings)
    _send(lambda: workflow.task_failure(token, error=PERMANENT_ERROR if permanent else TRANSIENT_ERROR, cause=cause))


def heartbeat(token: str, settings: Settings | None = None) -> None:
    """One heartbeat on a waiting task's token (TaskGone when the token no longer takes them)."""
    try:
        Workflow(settings).heartbeat(token)
    except Exception as exc:  # noqa: BLE001
        if error_code(exc) in TOKEN_GONE:
            raise TaskGone(error_code(exc)) from exc
        raise


class Heartbeat:
    """Sends task heartbeats on a timer thread while a task works, however slowly the work
    itself progresses, so HeartbeatSeconds can stay short. A failed heartbeat is retried with
    backoff (a busy machine or a throttled API is no reason to let the task time out); it
    stops only when the token is gone (`lost` then names why)."""

    def __init__(self, token: str, every_s: float | None = None, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.token = token
        self.every_s = every_s if every_s is not None else self.settings.task_heartbeat_s
        self.lost: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="task-heartbeat")

    def _run(self) -> None:
        workflow = Workflow(self.settings)
        wait = self.every_s
        while not self._stop.wait(wait):
            try:
                workflow.heartbeat(self.token)
                wait = self.every_s
            except Exception as exc:  # noqa: BLE001
                code = error_code(exc)
                if code in TOKEN_GONE:
                    self.lost = code
                    log.warning("task token is gone (%s); heartbeats stop", code)
                    return
                # Sooner than the next beat, so one lost beat does not cost the task's HeartbeatSeconds.
                wait = min(self.every_s, 0.25 if wait >= self.every_s else wait * 2)
                log.warning("heartbeat failed (%s); retrying in %.2f s", code or type(exc).__name__, wait)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()


def _note_timeout(stage: str, event: dict[str, Any] | None, code: str, settings: Settings | None) -> None:
    """The job record says which task timed out: Step Functions retries it once (film.asl.json)."""
    if not event or not event.get("job_id"):
        return
    try:
        from filmstudio.jobs.store import JobStore

        JobStore(settings).note_retry(event["job_id"], stage, str(event.get("scene_id") or event.get("line_id") or ""),
                                      f"{code}: the task's token expired before it reported; Step Functions retries "
                                      "a timed-out media task once")
    except Exception:  # noqa: BLE001  (the note must not turn a finished task into a failed one)
        log.warning("could not note the timeout on the job", exc_info=True)


def _job_pulse(event: dict[str, Any] | None, settings: Settings | None):
    """While a media task works, the job's `updated_at` moves: a long shot is progress, not a stall,
    to whoever waits on the job (jobs/watch.py), as compose's own pulse is."""
    import contextlib

    job_id = (event or {}).get("job_id")
    if not job_id:
        return contextlib.nullcontext()
    from filmstudio.jobs.store import JobStore
    from filmstudio.jobs.watch import JobPulse

    return JobPulse(lambda: JobStore(settings).touch(job_id))


def run_and_report(stage: str, token: str, work: Callable[[], dict[str, Any]],
                   settings: Settings | None = None, event: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run a task's work with heartbeats and report its outcome on the token. `event` (the
    task's input) names the job and the scene or line when a timed-out task is noted."""
    heartbeat = Heartbeat(token, settings=settings)
    try:
        try:
            with heartbeat, _job_pulse(event, settings):
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
    except TaskGone as gone:
        # The work (if it finished) is in the content-addressed cache: the retry reuses it.
        log.warning("stage %s: the task timed out before it reported (%s)", stage, gone.code)
        _note_timeout(stage, event, gone.code, settings)
        return {"reported": "timed-out", "code": gone.code}
