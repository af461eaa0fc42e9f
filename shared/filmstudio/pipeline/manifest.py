"""The work manifest: every artifact a job needs, keyed by the hash of what it is made from.

The plan stage writes it once; each media task and compose read it to know which
cache keys to fill or reuse. Editing one scene's dialogue changes only the hashes
that depend on that scene, so only that scene's work (and compose) re-renders.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from filmstudio import media_stages
from filmstudio.engines.registry import get_engine, stages
from filmstudio.models.plan import Plan, Scene, Shot
from filmstudio.pipeline.versions import engine_version
from filmstudio.storage.artifacts import artifact_key, digest


class Manifest(BaseModel):
    job_id: str
    user_id: str
    project_id: str
    tier: str
    plan_key: str
    final_prefix: str
    engines: dict[str, str]  # stage -> engine name@version+source hash
    # media stage -> item id -> key (storyboard and motion by shot id, speech by line id, music by scene id)
    artifacts: dict[str, dict[str, str]] = Field(default_factory=dict)
    compose_prefix: str = ""  # cache/compose/{hash}/ holds the film and its companions
    burn_subtitles: bool = False
    bulk: bool = False  # studio tier: every GPU request goes to AWS Batch (a bulk render), not the endpoints

    @model_validator(mode="before")
    @classmethod
    def _one_field_per_stage(cls, data: Any) -> Any:
        # Manifests written before the table of media stages (a kept data directory, a job's page)
        # held each stage's keys in a field of its own, named as the row's manifest_field.
        if isinstance(data, dict) and "artifacts" not in data:
            fields = {row.manifest_field: row.name for row in media_stages.STAGES}
            data = {**data, "artifacts": {stage: data[f] for f, stage in fields.items() if f in data}}
        return data

    def keys(self, stage: str) -> dict[str, str]:
        return self.artifacts.setdefault(stage, {})

    @property
    def panels(self) -> dict[str, str]:
        return self.keys("storyboard")

    @property
    def clips(self) -> dict[str, str]:
        return self.keys("motion")

    @property
    def speech(self) -> dict[str, str]:
        return self.keys("speech")

    @property
    def music(self) -> dict[str, str]:
        return self.keys("music")


def _scene_context(plan: Plan, scene: Scene) -> dict[str, Any]:
    """What a picture of this scene depends on: the scene without its dialogue and timing."""
    ctx = scene.model_dump(exclude={"lines", "shots", "start", "duration"})
    ctx["bible"] = [plan.character(cid).model_dump() for cid in scene.characters if _has(plan, cid)]
    ctx["frame"] = [plan.width, plan.height]
    return ctx


def _has(plan: Plan, cid: str) -> bool:
    return any(c.id == cid for c in plan.characters)


def _shot_visual(plan: Plan, shot: Shot) -> dict[str, Any]:
    data = shot.model_dump(exclude={"start", "duration", "line_ids", "transition_in"})
    data["bible"] = [plan.character(cid).model_dump() for cid in shot.characters if _has(plan, cid)]
    return data


def _ext(stage: str) -> str:
    return media_stages.stage(stage).ext


# -- each media stage's keys: exactly the inputs its engine reads (media_stages.py names these) --

def panel_keys(plan: Plan, m: Manifest, version: str) -> dict[str, str]:
    keys = {}
    for scene in plan.scenes:
        scene_ctx = _scene_context(plan, scene)
        for shot in scene.shots:
            panel_inputs = {"scene": scene_ctx, "shot": _shot_visual(plan, shot)}
            keys[shot.id] = artifact_key("storyboard", version, panel_inputs, _ext("storyboard"))
    return keys


def clip_keys(plan: Plan, m: Manifest, version: str) -> dict[str, str]:
    keys = {}
    for scene in plan.scenes:
        for shot in scene.shots:
            clip_inputs = {"panel": m.panels[shot.id], "camera": shot.camera, "framing": shot.framing,
                           "duration": round(shot.duration, 3), "transition_in": shot.transition_in,
                           "fps": plan.fps, "frame": [plan.width, plan.height],
                           # Mouths move with the lines' syllables; the first shot carries the title card.
                           "speech": [[ln.text, ln.character_id, ln.est_duration] for ln in scene.lines
                                      if ln.id in shot.line_ids],
                           "index": shot.index,
                           "title": plan.title if shot is plan.scenes[0].shots[0] else None}
            keys[shot.id] = artifact_key("motion", version, clip_inputs, _ext("motion"))
    return keys


def speech_keys(plan: Plan, m: Manifest, version: str) -> dict[str, str]:
    keys = {}
    for line in plan.lines():
        speaker = plan.character(line.character_id) if _has(plan, line.character_id) else None
        speech_inputs = {"line": line.model_dump(exclude={"id", "scene_id", "est_duration"}),
                         "voice": speaker.voice.model_dump() if speaker else None}
        keys[line.id] = artifact_key("speech", version, speech_inputs, _ext("speech"))
    return keys


def music_keys(plan: Plan, m: Manifest, version: str) -> dict[str, str]:
    keys = {}
    for scene in plan.scenes:
        music_inputs = {"scene": scene.model_dump(include={"index", "mood", "cultural_context", "setting",
                                                           "time_of_day", "weather", "sound_cues", "duration"}),
                        "language": plan.language.language}
        keys[scene.id] = artifact_key("music", version, music_inputs, _ext("music"))
    return keys


def build_manifest(plan: Plan, plan_key: str, *, job_id: str, user_id: str, project_id: str, tier: str,
                   final_prefix: str, burn_subtitles: bool = False, bulk: bool = False) -> Manifest:
    engines = {stage: engine_version(get_engine(stage, tier)) for stage in stages()}
    m = Manifest(job_id=job_id, user_id=user_id, project_id=project_id, tier=tier, plan_key=plan_key,
                 final_prefix=final_prefix, engines=engines, burn_subtitles=burn_subtitles, bulk=bulk)
    # In table order: a stage's keys may name the keys of a stage above it (a clip, its panel's).
    for row in media_stages.STAGES:
        m.artifacts[row.name] = media_stages.resolve(row.keys)(plan, m, engines[row.name])
    # The four first stages keep the names they had in this key, so existing films stay cached.
    compose_inputs = {"plan": plan_key, **{row.manifest_field: m.keys(row.name) for row in media_stages.STAGES},
                      "burn_subtitles": burn_subtitles}
    m.compose_prefix = f"cache/compose/{digest('compose', engines['compose'], compose_inputs)}/"
    return m
