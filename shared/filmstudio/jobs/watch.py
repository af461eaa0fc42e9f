"""Waiting for a render: as long as it progresses, and not a moment once it has stalled.

A long film takes as long as it takes, so the CLI and the API client set no overall limit.
What they watch is the job record moving: its status, stage, progress or `updated_at`
(every finished task records a span; compose, one long task, touches the record every
`PULSE_SECONDS` while it works, through `JobPulse`). A job whose record has not moved
for `stall_seconds` is reported as stalled, naming the stage it stopped in.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any, Callable, Hashable

from filmstudio.errors import FilmStudioError

log = logging.getLogger(__name__)

# Ten minutes without a sign of life: several times longer than any one task of the preview
# tier reports nothing (compose pulses every 30 s; a scene's panels and clips take seconds).
STALL_SECONDS = float(os.environ.get("FILMSTUDIO_STALL_SECONDS", "600"))
PULSE_SECONDS = 30.0


class RenderFailedError(FilmStudioError):
    """The render ended or stopped without a finished film; `stage` is where."""

    code = "RENDER_FAILED"

    def __init__(self, stage: str | None, reason: str, *, code: str | None = None):
        super().__init__(f"{stage or 'render'}: {reason}", code=code)
        self.stage = stage
        self.reason = reason


class RenderStalledError(RenderFailedError):
    code = "RENDER_STALLED"


class ProgressWatch:
    """Remembers when the job last moved; `check` raises once it has not for `stall_seconds`."""

    def __init__(self, stall_seconds: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.stall_seconds = STALL_SECONDS if stall_seconds is None else stall_seconds
        self.clock = clock
        self.last: Hashable = None
        self.moved_at = clock()

    def check(self, signature: Hashable, stage: str | None) -> None:
        now = self.clock()
        if signature != self.last:
            self.last, self.moved_at = signature, now
            return
        idle = now - self.moved_at
        if idle >= self.stall_seconds:
            raise RenderStalledError(stage, f"stalled: no progress for {_span(idle)} (the limit is {_span(self.stall_seconds)})")


def _span(seconds: float) -> str:
    return f"{seconds / 60:.1f} minutes" if seconds >= 120 else f"{seconds:.1f} s"


def job_signature(job: Any) -> Hashable:
    """What changes whenever a render progresses, for a Job or the API's job JSON."""
    if isinstance(job, dict):
        return (job.get("status"), job.get("stage"), job.get("progress"), job.get("updated_at"))
    return (job.status, job.stage, job.progress, job.updated_at)


class JobPulse:
    """Touches the job's `updated_at` every few seconds while one long task works."""

    def __init__(self, touch: Callable[[], None], every_s: float = PULSE_SECONDS):
        self.touch, self.every_s = touch, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="job-pulse")

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.touch()
            except Exception:  # a pulse that cannot be written is not the task's failure
                log.warning("job pulse failed", exc_info=True)

    def __enter__(self) -> "JobPulse":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
