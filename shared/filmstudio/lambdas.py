"""The Lambdas adapter: invoking the project's own functions (the analyze function's
preflight for intake; the media tasks' asynchronous hand-off)."""

from __future__ import annotations

import json
from typing import Any

from filmstudio import aws
from filmstudio.settings import Settings, get_settings


class Lambdas:
    """Takes an optional boto3 Lambda client, else the process's (`filmstudio.aws`)."""

    def __init__(self, settings: Settings | None = None, client=None):
        self.settings = settings or get_settings()
        self._client = client

    client = aws.ClientAttribute("lambda")

    def invoke(self, function: str, payload: Any) -> tuple[Any, bool]:
        """Run `function` and wait: (its JSON answer, whether it failed with an unhandled error)."""
        response = self.client.invoke(FunctionName=function, InvocationType="RequestResponse",
                                      Payload=json.dumps(payload).encode("utf-8"))
        return json.loads(response["Payload"].read() or b"null"), bool(response.get("FunctionError"))

    def invoke_async(self, function: str, payload: Any) -> None:
        """Queue an asynchronous invocation (Lambda retries it and sends a failure to its destination)."""
        self.client.invoke(FunctionName=function, InvocationType="Event", Payload=json.dumps(payload).encode("utf-8"))
