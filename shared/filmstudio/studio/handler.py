"""The SageMaker inference functions every GPU container shares: model_fn, input_fn, predict_fn, output_fn.

Each family's `gpu_containers/<family>/inference.py` binds these to the stages it
serves. predict_fn reads the request's keys from S3, runs the same engine the local
pipeline runs, writes the output key, and answers with what it wrote: keys, never
payloads. Bad requests raise `RequestError`, which the server turns into a 4xx with
a machine-readable code.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from filmstudio.studio.contract import FAMILY, StudioRequest, StudioResponse

JSON = "application/json"


class RequestError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class StudioModel:
    """What model_fn returns: the loaded pipelines of one family, by stage."""

    family: str
    root: Path
    stages: tuple[str, ...]
    device: str
    model_ids: dict[str, str]


def model_fn(model_dir: str | Path, family: str) -> StudioModel:
    """Load the family's pipelines onto the device (what /ping waits for)."""
    from filmstudio.studio.device import pick_device
    from filmstudio.studio.loading import get_loaded

    import os

    root = Path(model_dir)
    # The engines find their models through the environment, as they do in the local pipeline.
    os.environ["FILMSTUDIO_MODEL_DIR"] = str(root)
    stages = tuple(stage for stage, fam in FAMILY.items() if fam == family)
    device = pick_device()
    ids: dict[str, str] = {}
    for stage in stages:
        if stage == "speech":
            # Parler-TTS where this environment can run it (the voice image); else eSpeak NG stands in per line.
            ids.update(_engine("speech").load())
            continue
        ids.update(get_loaded(stage, root, device).model_ids)
    return StudioModel(family, root, stages, device, ids)


def input_fn(body: bytes, content_type: str | None) -> StudioRequest:
    if (content_type or JSON).split(";")[0].strip() != JSON:
        raise RequestError(415, "UNSUPPORTED_CONTENT_TYPE", f"send {JSON}, not {content_type}")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestError(400, "INVALID_JSON", f"the request body is not JSON: {exc}") from None
    try:
        return StudioRequest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "request"
        raise RequestError(400, "INVALID_REQUEST", f"{where}: {first.get('msg')}") from None


def _engine(stage: str):
    from filmstudio.engines.registry import get_engine

    return get_engine(stage, "studio")


def predict_fn(request: StudioRequest, model: StudioModel) -> StudioResponse:
    from filmstudio.models.plan import Plan
    from filmstudio.settings import Settings
    from filmstudio.storage.artifacts import ArtifactStore

    if request.stage not in model.stages:
        raise RequestError(400, "WRONG_FAMILY", f"the {model.family} container does not serve {request.stage}; "
                                                f"send it to the {FAMILY[request.stage]} family")
    store = ArtifactStore(Settings(bucket=request.bucket))
    try:
        plan = Plan.model_validate(store.get_json(request.inputs.plan))
    except Exception as exc:  # a missing key or a plan that is not one: the caller's mistake
        raise RequestError(400, "BAD_INPUT_KEY", f"inputs.plan {request.inputs.plan!r}: {exc}") from None
    plan = _with_parameters(plan, request)
    engine = _engine(request.stage)
    t0 = time.monotonic()
    fallback = None
    with tempfile.TemporaryDirectory(prefix="filmstudio-gpu-") as tmp:
        out = Path(tmp) / ("out" + {"storyboard": ".png", "motion": ".mp4"}.get(request.stage, ".wav"))
        duration = _render(request, plan, engine, store, Path(tmp), out)
        if request.stage == "speech":
            line = _line(plan, request.line_id)
            fallback = engine.fallback_reason(line)
        content_type = {"storyboard": "image/png", "motion": "video/mp4"}.get(request.stage, "audio/wav")
        metadata = {"duration": f"{duration:.4f}"} if duration is not None else {}
        store.put_file(request.output_key, out, content_type, metadata=metadata)
    gpu_seconds = time.monotonic() - t0
    return StudioResponse(stage=request.stage, job_id=request.job_id, output_key=request.output_key,
                          duration=duration, gpu_seconds=round(gpu_seconds, 4), device=model.device,
                          model_ids=model.model_ids, engine=f"{engine.name}@{engine.version}", fallback=fallback)


def _with_parameters(plan, request: StudioRequest):
    p = request.parameters
    if p.width and p.height:
        plan = plan.model_copy(update={"width": p.width, "height": p.height})
    return plan


def _line(plan, line_id: str):
    for line in plan.lines():
        if line.id == line_id:
            return line
    raise RequestError(400, "UNKNOWN_ID", f"line {line_id!r} is not in the plan")


def _shot(plan, scene_id: str, shot_id: str):
    scene = _scene(plan, scene_id)
    for shot in scene.shots:
        if shot.id == shot_id:
            return scene, shot
    raise RequestError(400, "UNKNOWN_ID", f"shot {shot_id!r} is not in scene {scene_id!r}")


def _scene(plan, scene_id: str):
    try:
        return plan.scene(scene_id)
    except KeyError:
        raise RequestError(400, "UNKNOWN_ID", f"scene {scene_id!r} is not in the plan") from None


def _references(request: StudioRequest, store, tmp: Path) -> dict:
    from PIL import Image

    portraits = {}
    for character_id, key in request.inputs.references.items():
        try:
            path = store.download(key, tmp / f"ref-{len(portraits)}.png")
            with Image.open(path) as im:
                portraits[character_id] = im.convert("RGB")
        except Exception as exc:
            raise RequestError(400, "BAD_INPUT_KEY", f"inputs.references[{character_id!r}] {key!r}: {exc}") from None
    return portraits


def _render(request: StudioRequest, plan, engine, store, tmp: Path, out: Path) -> float | None:
    from filmstudio.engines.preview.ffmpeg import media_duration

    p = request.parameters
    tuning = {"seed": p.seed, "steps": p.steps}
    if request.stage == "storyboard":
        scene, shot = _shot(plan, request.scene_id, request.shot_id)
        engine.render_panel(plan, scene, shot, out, references=_references(request, store, tmp), **tuning)
        return None
    if request.stage == "motion":
        scene, shot = _shot(plan, request.scene_id, request.shot_id)
        if p.duration:
            shot = shot.model_copy(update={"duration": p.duration})
        try:
            panel = store.download(request.inputs.panel, tmp / "panel.png")
        except Exception as exc:
            raise RequestError(400, "BAD_INPUT_KEY", f"inputs.panel {request.inputs.panel!r}: {exc}") from None
        engine.render_clip(plan, scene, shot, panel, out, **tuning)
        return media_duration(out)
    if request.stage == "music":
        scene = _scene(plan, request.scene_id)
        if p.duration:
            scene = scene.model_copy(update={"duration": p.duration})
        engine.render_cue(plan, scene, out, **tuning)
        return media_duration(out)
    line = _line(plan, request.line_id)
    return float(engine.synthesize(plan, line, out, seed=p.seed))


def output_fn(response: StudioResponse, accept: str | None) -> tuple[bytes, str]:
    if accept and accept not in ("*/*", JSON) and not accept.startswith(JSON):
        raise RequestError(406, "UNSUPPORTED_ACCEPT", f"answers are {JSON}, not {accept}")
    return response.model_dump_json().encode("utf-8"), JSON


def error_body(exc: RequestError) -> dict[str, Any]:
    return {"error": {"code": exc.code, "message": exc.message}}


def contract_for(family: str):
    """(model_fn, input_fn, predict_fn, output_fn) of one family, with SageMaker's signatures:
    each gpu_containers/<family>/inference.py is these four and nothing else."""
    if family not in set(FAMILY.values()):
        raise ValueError(f"unknown GPU family {family!r}; known: {sorted(set(FAMILY.values()))}")

    def family_model_fn(model_dir):
        """Put this family's pipelines on the device; /ping answers 200 only after this returns."""
        return model_fn(model_dir, family)

    return family_model_fn, input_fn, predict_fn, output_fn
