"""The submit side of every media task (each row of filmstudio/media_stages.py), by tier.

preview: invoke the stage's own function asynchronously with the task token; it
reports through `completion`, the same code the GPU callback uses.
studio: GPU requests to the family's SageMaker asynchronous endpoint or the Batch queue
(`gpu_dispatch`); the GPU callback reports the task when they have all answered.
"""

from __future__ import annotations

from typing import Any

from filmstudio.errors import StageFailedError
from filmstudio.lambdas import Lambdas
from filmstudio.settings import Settings, get_settings
from filmstudio.topology import MEDIA_STAGES


def submit(event: dict[str, Any], settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or get_settings()
    stage, tier = event.get("stage"), event.get("tier", "preview")
    if stage not in MEDIA_STAGES:
        raise StageFailedError(str(stage), f"unknown media stage {stage!r}")
    if not event.get("task_token"):
        raise StageFailedError(stage, "no task token: the state machine must call this with .waitForTaskToken")
    if tier == "studio":
        from filmstudio.pipeline.gpu_dispatch import submit_to_gpu

        return submit_to_gpu(event, settings)
    if tier == "preview":
        function = settings.stage_functions.get(stage)
        if not function:
            raise StageFailedError(stage, f"no function configured for stage {stage!r}")
        Lambdas(settings).invoke_async(function, event)
        return {"dispatched": stage, "tier": tier, "function": function}
    raise StageFailedError(stage, f"tier {tier!r} has no GPU endpoint deployed for {stage}")
