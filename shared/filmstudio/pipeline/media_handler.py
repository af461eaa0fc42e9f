"""The Lambda handler of every media stage: `handler = media_handler("motion")`.

gpu_submit invokes a stage's function asynchronously with the task token; the handler runs
the stage's task (`stages.run_media_task`, which finds the stage's row in media_stages.py) and
reports through the token. The function runs its own stage whatever the event says.
"""

from __future__ import annotations

from typing import Any, Callable

from filmstudio import media_stages
from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.completion import run_and_report
from filmstudio.pipeline.stages import StageContext, run_media_task


def media_handler(stage: str) -> Callable[[dict, Any], Any]:
    media_stages.stage(stage)  # a handler for a stage the table lacks fails at import, not per event

    @lambda_handler
    def handler(event: dict, context: Any) -> Any:
        task = {**event, "stage": stage}
        return run_and_report(stage, event["task_token"], lambda: run_media_task(StageContext(), task), event=task)

    handler.__qualname__ = handler.__name__ = f"{stage}_handler"
    return handler
