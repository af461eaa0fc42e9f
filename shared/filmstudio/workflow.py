"""The Workflow adapter: the only way into Step Functions for the API and the pipeline.

It starts and stops a job's execution, describes one, and answers the task tokens the
state machine's waiting states hand out (success, failure, heartbeat). Retrying and the
meaning of errors stay with the callers (`pipeline/completion.py`, `pipeline/execution.py`):
this module only speaks the service's API, so a test or another engine can stand in for it.
"""

from __future__ import annotations

import json
from typing import Any

from filmstudio import aws
from filmstudio.settings import Settings, get_settings


class Workflow:
    """Executions of the film state machine and its task tokens; takes an optional boto3
    Step Functions client, else the process's (`filmstudio.aws`), made on first use."""

    def __init__(self, settings: Settings | None = None, sfn=None):
        self.settings = settings or get_settings()
        self._sfn = sfn

    sfn = aws.ClientAttribute("stepfunctions")

    # -- executions ----------------------------------------------------------------------

    def start(self, name: str, payload: dict[str, Any]) -> str:
        """Start an execution named `name` (a job's id) with `payload` as its input; its ARN."""
        response = self.sfn.start_execution(stateMachineArn=self.settings.state_machine_arn, name=name,
                                            input=json.dumps(payload))
        return response["executionArn"]

    def stop(self, arn: str, *, error: str, cause: str) -> bool:
        """Stop the execution; False if there is none under `arn` (not started yet)."""
        try:
            self.sfn.stop_execution(executionArn=arn, error=error, cause=cause)
        except self.sfn.exceptions.ExecutionDoesNotExist:
            return False
        return True

    def describe(self, arn: str) -> dict[str, Any]:
        """The execution's status, input and output as Step Functions reports them."""
        return self.sfn.describe_execution(executionArn=arn)

    # -- task tokens ---------------------------------------------------------------------

    def task_success(self, token: str, output: dict[str, Any]) -> None:
        self.sfn.send_task_success(taskToken=token, output=json.dumps(output))

    def task_failure(self, token: str, *, error: str, cause: str) -> None:
        self.sfn.send_task_failure(taskToken=token, error=error, cause=cause)

    def heartbeat(self, token: str) -> None:
        self.sfn.send_task_heartbeat(taskToken=token)
