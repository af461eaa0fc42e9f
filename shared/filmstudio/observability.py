"""Powertools logging for every handler: structured logs with the job id as correlation id.

Handlers wrap themselves with `handler(...)`, which also turns our typed errors into
Lambda errors whose type Step Functions' Retry/Catch can match on.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Callable

from aws_lambda_powertools import Logger

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "filmstudio")

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "filmstudio"))


def handler(fn: Callable[[dict, Any], Any]) -> Callable[[dict, Any], Any]:
    @functools.wraps(fn)
    def wrapper(event: dict, context: Any) -> Any:
        job_id = event.get("job_id") if isinstance(event, dict) else None
        logger.set_correlation_id(job_id)
        if job_id:
            logger.append_keys(job_id=job_id, stage=event.get("stage"))
        try:
            return fn(event, context)
        finally:
            logger.remove_keys(["job_id", "stage"])
            logger.set_correlation_id(None)

    return wrapper
