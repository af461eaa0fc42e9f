"""The work manifest: every artifact a job needs, keyed by the hash of what it is made from.

The plan stage writes it once; each media task and compose read it to know which
cache keys to fill or reuse. Editing one scene's dialogue changes only the hashes
that depend on that scene, so only that scene's work (and compose) re-renders.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from filmstudio.engines.registry import get_engine
from filmstudio.models.plan import Plan, Scene, Shot
from filmstudio.pipeline.versions import engine_version
from filmstudio.storage.artifacts import artifact_key, digest

MEDIA_EXT = {"storyboard": ".png", "motion": ".mp4", "speech": ".wav", "music": ".wav"}


class Manifest(BaseModel):
    job_id: str
    user_id: str
    project_id: str
    tier: str
    plan_key: str
    final_prefix: str
    engines: dict[str, str]  # stage -> engine name@version+source hash
    panels: dict[str, str] = Field(default_factory=dict)  # shot id -> key
    clips: dict[str, str] = Field(default_factory=dict)  # shot id -> key
    speech: dict[str, str] = Field(default_factory=dict)  # line id -> key
    music: dict[str, str] = Field(default_factory=dict)  # scene id -> key
    compose_prefix: str = ""  # cache/compose/{hash}/ holds the film and its companions
    burn_subtitles: bool = False
    bulk: bool = False  # studio tier: every GPU request goes to AWS Batch (a bulk render), not the endpoints


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


def build_manifest(plan: Plan, plan_key: str, *, job_id: str, user_id: str, project_id: str, tier: str,
                   final_prefix: str, burn_subtitles: bool = False, bulk: bool = False) -> Manifest:
    engines = {stage: engine_version(get_engine(stage, tier))
               for stage in ("storyboard", "motion", "speech", "music", "compose")}
    m = Manifest(job_id=job_id, user_id=user_id, project_id=project_id, tier=tier, plan_key=plan_key,
                 final_prefix=final_prefix, engines=engines, burn_subtitles=burn_subtitles, bulk=bulk)
    for scene in plan.scenes:
        scene_ctx = _scene_context(plan, scene)
        for shot in scene.shots:
            panel_inputs = {"scene": scene_ctx, "shot": _shot_visual(plan, shot)}
            m.panels[shot.id] = artifact_key("storyboard", engines["storyboard"], panel_inputs, ".png")
            clip_inputs = {"panel": m.panels[shot.id], "camera": shot.camera, "framing": shot.framing,
                           "duration": round(shot.duration, 3), "transition_in": shot.transition_in,
                           "fps": plan.fps, "frame": [plan.width, plan.height],
                           # Mouths move with the lines' syllables; the first shot carries the title card.
                           "speech": [[ln.text, ln.character_id, ln.est_duration] for ln in scene.lines
                                      if ln.id in shot.line_ids],
                           "index": shot.index,
                           "title": plan.title if shot is plan.scenes[0].shots[0] else None}
            m.clips[shot.id] = artifact_key("motion", engines["motion"], clip_inputs, ".mp4")
        for line in scene.lines:
            speaker = plan.character(line.character_id) if _has(plan, line.character_id) else None
            speech_inputs = {"line": line.model_dump(exclude={"id", "scene_id", "est_duration"}),
                             "voice": speaker.voice.model_dump() if speaker else None}
            m.speech[line.id] = artifact_key("speech", engines["speech"], speech_inputs, ".wav")
        music_inputs = {"scene": scene.model_dump(include={"index", "mood", "cultural_context", "setting",
                                                           "time_of_day", "weather", "sound_cues", "duration"}),
                        "language": plan.language.language}
        m.music[scene.id] = artifact_key("music", engines["music"], music_inputs, ".wav")
    compose_inputs = {"plan": plan_key, "panels": m.panels, "clips": m.clips, "speech": m.speech, "music": m.music,
                      "burn_subtitles": burn_subtitles}
    m.compose_prefix = f"cache/compose/{digest('compose', engines['compose'], compose_inputs)}/"
    return m
