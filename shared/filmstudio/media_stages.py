"""THE table of media stages: everything else about a media stage is derived from its row.

From `STAGES` come the stage's Lambda function (`topology.FUNCTIONS`, its memory, timeout and
/tmp), the gpu_submit function's invoke list and stage-function map, the task state in the
state machine (`topology.FILM_STATE_MACHINE.template()` writes one per row into the Map of its
unit), the engine registry (`engines/registry.py`), the job's stage names and progress weights
(`models/job.py`), the manifest's artifact keys (`pipeline/manifest.py`), and the dispatch of
a task to its code (`pipeline/stages.py` `run_media_task`). docs/architecture.md, "Add a stage",
lists the steps.

This module imports nothing of the package: the CDK app reads it through the topology, and
the heavy parts (engines, task code, key builders) are named here as "module:attribute"
strings that are imported only where they run.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from typing import Any, Literal

# What one task of a stage covers, and so where its state sits in film.asl.json's Render:
# "scene": a state in the Scenes map (one task per scene; a scene's stages run in table order),
# "line": a state in the Lines map (one task per dialogue line, in table order),
# "film": a branch of its own in the Render parallel (one task for the whole film).
Unit = Literal["scene", "line", "film"]
UNITS: tuple[Unit, ...] = ("scene", "line", "film")
# The stages around the media stages (models/job.py STAGES); a media stage cannot take their names.
RESERVED = frozenset({"analyze", "plan", "render", "compose", "publish", "fail"})
# The task event's field naming the unit's item (none for the whole film).
ITEM_FIELD: dict[str, str | None] = {"scene": "scene_id", "line": "line_id", "film": None}


@dataclass(frozen=True)
class MediaStage:
    name: str  # the stage, its Lambda function (functions/<name>/handler.py) and its job timing
    unit: Unit
    interface: str  # "module:Protocol" in engines/base.py that every tier's engine implements
    engines: dict[str, str]  # tier -> "module:Class"
    task: str  # "module:function"(ctx, manifest, plan, item, clock): render one task's missing artifacts
    keys: str  # "module:function"(plan, manifest, engine_version) -> {item id: artifact key}
    ext: str  # the artifact's file extension
    content_type: str
    manifest_field: str  # the manifest's name for this stage's keys (also part of compose's cache key)
    description: str
    weight: float  # the stage's share of a job's progress (models/job.py STAGE_WEIGHTS)
    memory_mb: int = 2048
    timeout_s: int = 600  # the Lambda's; the task state's own limits are below
    ephemeral_mb: int = 512
    heartbeat_s: int = 120
    task_timeout_s: int = 3600  # a studio request may wait for a cold start from zero, then a shared backlog
    # Units of one task rendered side by side (pipeline.stages.side_by_side). Motion's are ffmpeg
    # processes, and a Lambda of 3008 MB has two vCPUs: two clips at once keep both busy, so a
    # long scene is not left to one core while the other scenes' tasks have finished.
    workers: int = 1
    # "module:function"(manifest, plan, item) -> [pipeline.gpu_requests.Wanted]: the GPU requests
    # of one studio task. None: the stage has no studio GPU path (its studio tasks fail naming it).
    gpu_requests: str | None = None

    @property
    def state(self) -> str:
        """Its task state's name in the state machine."""
        return "".join(part.capitalize() for part in self.name.split("_"))

    @property
    def item_field(self) -> str | None:
        return ITEM_FIELD[self.unit]


def resolve(ref: str) -> Any:
    """The object a "module:attribute" reference names."""
    module, attr = ref.split(":")
    return getattr(importlib.import_module(module), attr)


_PREVIEW = "filmstudio.engines.preview"
_STAGES = "filmstudio.pipeline.stages"
_KEYS = "filmstudio.pipeline.manifest"
_GPU = "filmstudio.pipeline.gpu_requests"

# Table order is pipeline order: a stage may read the artifacts of the stages above it
# (motion reads storyboard's panels), and scene stages run one after another in each scene.
STAGES: tuple[MediaStage, ...] = (
    MediaStage("storyboard", "scene", "filmstudio.engines.base:StoryboardEngine",
               {"preview": f"{_PREVIEW}.storyboard:PreviewStoryboard",
                "studio": "filmstudio.studio.engines:StudioStoryboard"},
               task=f"{_STAGES}:storyboard_task", keys=f"{_KEYS}:panel_keys", ext=".png",
               content_type="image/png", manifest_field="panels", description="Key frame per shot for one scene",
               weight=20, memory_mb=3008,
               gpu_requests=f"{_GPU}:storyboard_requests"),
    MediaStage("motion", "scene", "filmstudio.engines.base:MotionEngine",
               {"preview": f"{_PREVIEW}.motion:PreviewMotion", "studio": "filmstudio.studio.engines:StudioMotion"},
               task=f"{_STAGES}:motion_task", keys=f"{_KEYS}:clip_keys", ext=".mp4", content_type="video/mp4",
               manifest_field="clips", description="Moving clip per shot for one scene",
               weight=30, memory_mb=3008, timeout_s=900, ephemeral_mb=1024, workers=2,
               gpu_requests=f"{_GPU}:motion_requests"),
    MediaStage("speech", "line", "filmstudio.engines.base:SpeechEngine",
               {"preview": f"{_PREVIEW}.speech:PreviewSpeech", "studio": "filmstudio.studio.speech:StudioSpeech"},
               task=f"{_STAGES}:speech_task", keys=f"{_KEYS}:speech_keys", ext=".wav", content_type="audio/wav",
               manifest_field="speech", description="One audio file per dialogue line", weight=15,
               gpu_requests=f"{_GPU}:speech_requests"),
    MediaStage("music", "film", "filmstudio.engines.base:MusicEngine",
               {"preview": f"{_PREVIEW}.music:PreviewMusic", "studio": "filmstudio.studio.engines:StudioMusic"},
               task=f"{_STAGES}:music_task", keys=f"{_KEYS}:music_keys", ext=".wav", content_type="audio/wav",
               manifest_field="music", description="A score cue per scene", weight=5,
               gpu_requests=f"{_GPU}:music_requests"),
)


def tasks_in(plan: Any, unit: str) -> int:
    """How many tasks a stage over `unit` runs for this plan (its progress is counted out of it)."""
    return {"scene": len(plan.scenes), "line": len(plan.lines()), "film": 1}[unit]


def names() -> tuple[str, ...]:
    return tuple(stage.name for stage in STAGES)


def stage(name: str) -> MediaStage:
    for row in STAGES:
        if row.name == name:
            return row
    raise KeyError(name)


def of_unit(unit: str) -> tuple[MediaStage, ...]:
    return tuple(row for row in STAGES if row.unit == unit)


def check(rows: tuple[MediaStage, ...] = ()) -> None:
    """A table that cannot work is refused where it is read, not half-way through a render."""
    rows = rows or STAGES
    seen: set[str] = set()
    fields: set[str] = set()
    for row in rows:
        if row.unit not in UNITS:
            raise ValueError(f"media stage {row.name!r}: unit {row.unit!r} is not one of {UNITS}")
        if row.name in seen or row.manifest_field in fields:
            raise ValueError(f"media stage {row.name!r}: its name or manifest field {row.manifest_field!r} is taken")
        if row.name in RESERVED:
            raise ValueError(f"media stage {row.name!r}: the name is a pipeline stage's of its own")
        if not row.name.isidentifier() or not row.ext.startswith("."):
            raise ValueError(f"media stage {row.name!r}: the name must be an identifier, the ext start with '.'")
        seen.add(row.name)
        fields.add(row.manifest_field)


# -- the media stages' states in the state machine ---------------------------------------------

MARKER = "MediaStages"  # film.asl.json: where a unit's states (or, for "film", branches) go


def task_state(row: MediaStage, template: dict[str, Any]) -> dict[str, Any]:
    """One stage's task state: the shared template with the stage, its item and its limits."""
    state = json.loads(json.dumps(template))
    state["Comment"] = f"Dispatch {row.name} by tier and wait for its completion callback"
    payload = state["Parameters"]["Payload"]
    state["Parameters"]["Payload"] = {"stage": row.name, **payload}
    if row.item_field:
        payload = state["Parameters"]["Payload"]
        payload[f"{row.item_field}.$"] = f"$.{row.item_field}"
    state["HeartbeatSeconds"] = row.heartbeat_s
    state["TimeoutSeconds"] = row.task_timeout_s
    return state


def _chain(rows: tuple[MediaStage, ...], template: dict[str, Any]) -> dict[str, Any]:
    states: dict[str, Any] = {}
    for i, row in enumerate(rows):
        state = task_state(row, template)
        if i + 1 < len(rows):
            state["Next"] = rows[i + 1].state
        else:
            state["End"] = True
        states[row.state] = state
    return {"StartAt": rows[0].state, "States": states}


def expand(definition: dict[str, Any], template: dict[str, Any], rows: tuple[MediaStage, ...] = ()) -> dict[str, Any]:
    """The definition with every "MediaStages" marker replaced by the table's states for its unit.

    A unit with stages but no marker, a marker twice, a marker for an unknown unit, or a stage
    whose state name is already taken is a ValueError: the table and the ASL file must agree.
    A unit with no stage drops its Map's branch (the Map must then be its branch's only state).
    """
    rows = rows or STAGES
    check(rows)
    definition = json.loads(json.dumps(definition))
    template = {k: v for k, v in template.items() if k != "Comment"}
    placed: list[str] = []
    taken: set[str] = set()

    def for_unit(value: Any) -> tuple[MediaStage, ...]:
        if value not in UNITS:
            raise ValueError(f"film.asl.json: \"{MARKER}\": {value!r} is not a unit of media stages {UNITS}")
        if value in placed:
            raise ValueError(f"film.asl.json: \"{MARKER}\": {value!r} appears twice")
        placed.append(value)
        return tuple(row for row in rows if row.unit == value)

    def visit(states: dict[str, Any]) -> bool:
        """Expand the markers under these states; True when a Map among them lost all its stages."""
        taken.update(states)
        emptied = False
        for state in states.values():
            if "Branches" in state:
                branches = []
                for branch in state["Branches"]:
                    if set(branch) == {MARKER}:
                        branches += [_chain((row,), template) for row in for_unit(branch[MARKER])]
                    elif not visit(branch["States"]):
                        branches.append(branch)
                    elif len(branch["States"]) > 1:
                        raise ValueError("film.asl.json: a Map with no media stage left must be alone in its branch")
                state["Branches"] = branches
            processor = state.get("ItemProcessor")
            if processor is not None and MARKER in processor:
                here = for_unit(processor.pop(MARKER))
                if here:
                    processor.update(_chain(here, template))
                else:
                    emptied = True
            elif processor is not None:
                emptied = visit(processor.get("States", {})) or emptied
        return emptied

    visit(definition["States"])
    missing = sorted({row.unit for row in rows} - set(placed))
    if missing:
        raise ValueError(f"the state machine has no place for the media stages over {missing}: "
                         f"film.asl.json needs a \"{MARKER}\" marker for each unit with stages")
    clash = sorted(row.state for row in rows if row.state in taken)
    if clash:
        raise ValueError(f"media stage states {clash} clash with states of film.asl.json")
    return definition
