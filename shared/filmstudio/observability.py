"""Powertools logging for every handler: structured logs with the job id as correlation id.

Handlers wrap themselves with `handler(...)`, which sets the job id as the correlation id and
the job and stage as log keys for the call, and clears them after. Errors pass through it
unchanged: Lambda reports an exception's class name as its error type, so a typed error
(`StageFailedError`, `BadInputError`) is what the state machine's Retry/Catch match on.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Callable

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "filmstudio")

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "filmstudio"))
METRICS_NAMESPACE = "FilmStudio"


def stage_metrics(stage: str, tier: str, seconds: float, rendered: int, reused: int) -> None:
    """One task's figures as CloudWatch EMF (the dashboard's stage widgets read these).

    Powertools' single_metric prints even when POWERTOOLS_METRICS_DISABLED is set; the local
    cloud sets it so EMF lines do not land on the CLI's stdout, so honour it here."""
    if is_metrics_disabled():
        return
    with single_metric(name="StageSeconds", unit=MetricUnit.Seconds, value=seconds,
                       namespace=METRICS_NAMESPACE) as metric:
        metric.add_dimension(name="stage", value=stage)
        metric.add_dimension(name="tier", value=tier)
    for name, value in (("ArtifactsRendered", rendered), ("ArtifactsReused", reused)):
        with single_metric(name=name, unit=MetricUnit.Count, value=value, namespace=METRICS_NAMESPACE) as metric:
            metric.add_dimension(name="stage", value=stage)


def gpu_metrics(stage: str, gpu_seconds: float) -> None:
    """Device seconds one GPU request reported (EMF `GpuSeconds` by `Stage`): what the studio tier costs."""
    if is_metrics_disabled():
        return
    with single_metric(name="GpuSeconds", unit=MetricUnit.Seconds, value=gpu_seconds,
                       namespace=METRICS_NAMESPACE) as metric:
        metric.add_dimension(name="Stage", value=stage)


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
