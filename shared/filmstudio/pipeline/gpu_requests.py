"""What one studio media task asks the GPU for: a request per artifact it needs.

Each media stage's row (`media_stages.py`, `gpu_requests`) names its function here;
`gpu_dispatch` adds what every request carries (stage, engine version, job, bucket), drops
the artifacts already in the cache and sends the rest. A stage without one has no studio
GPU path: its studio tasks fail naming it (docs/architecture.md, "Add a stage").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from filmstudio.errors import StageFailedError
from filmstudio.studio.contract import Inputs, Parameters


@dataclass(frozen=True)
class Wanted:
    """One artifact: the request's own fields (ids, inputs, output key, parameters), and how
    much media it is (the Batch-or-endpoint choice) and the job note its fallback goes under."""

    fields: dict[str, Any]
    media_seconds: float = 0.0
    note_topic: str | None = None
    parameters: Parameters = field(default_factory=Parameters)


def storyboard_requests(manifest, plan, scene_id: str) -> list[Wanted]:
    scene = plan.scene(scene_id)
    return [Wanted({"scene_id": scene.id, "shot_id": shot.id, "inputs": Inputs(plan=manifest.plan_key),
                    "output_key": manifest.panels[shot.id]}) for shot in scene.shots]


def motion_requests(manifest, plan, scene_id: str) -> list[Wanted]:
    scene = plan.scene(scene_id)
    return [Wanted({"scene_id": scene.id, "shot_id": shot.id,
                    "inputs": Inputs(plan=manifest.plan_key, panel=manifest.panels[shot.id]),
                    "output_key": manifest.clips[shot.id]}, shot.duration,
                   parameters=Parameters(duration=shot.duration)) for shot in scene.shots]


def speech_requests(manifest, plan, line_id: str) -> list[Wanted]:
    line = next((ln for ln in plan.lines() if ln.id == line_id), None)
    if line is None:
        raise StageFailedError("speech", f"line {line_id!r} is not in the plan")
    return [Wanted({"line_id": line.id, "inputs": Inputs(plan=manifest.plan_key),
                    "output_key": manifest.speech[line.id]}, float(line.est_duration or 0.0),
                   note_topic=f"speech:{line.language}")]


def music_requests(manifest, plan, _item: None) -> list[Wanted]:
    return [Wanted({"scene_id": scene.id, "inputs": Inputs(plan=manifest.plan_key),
                    "output_key": manifest.music[scene.id]}, scene.duration,
                   parameters=Parameters(duration=scene.duration)) for scene in plan.scenes]
