"""A job's Step Functions execution: its ARN (the execution is named after the job) and stopping it.

Stopping is best effort by design. A cancel has already committed (CANCELLED and refunded)
when it stops the execution, and every stage refuses to run for a job that is not RUNNING,
so an execution that cannot be stopped renders and charges nothing more; it must never turn
a cancel that won into an error.
"""

from __future__ import annotations

import logging

from filmstudio.models.job import Job
from filmstudio.settings import Settings, get_settings

log = logging.getLogger(__name__)


def execution_arn(job_id: str, settings: Settings | None = None) -> str | None:
    """The ARN the job's execution has (or will have): intake names it after the job."""
    machine = (settings or get_settings()).state_machine_arn or ""
    if ":stateMachine:" not in machine:
        return None
    return machine.replace(":stateMachine:", ":execution:", 1) + ":" + job_id


def stop_execution(job: Job, settings: Settings | None = None) -> bool:
    """Stop the job's execution if it is running. True if a stop was sent."""
    from filmstudio.workflow import Workflow

    arn = job.execution_arn or execution_arn(job.job_id, settings)
    if not arn:
        return False
    try:
        # False when not started yet: intake stops it once it sees the job CANCELLED
        return Workflow(settings).stop(arn, error="Cancelled", cause="cancelled by the user")
    except Exception:  # noqa: BLE001  (see the module docstring)
        log.warning("could not stop the execution of cancelled job %s", job.job_id, exc_info=True)
        return False
