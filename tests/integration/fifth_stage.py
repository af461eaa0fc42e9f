"""A throwaway fifth media stage, added the way docs/architecture.md "Add a stage" says.

`still`: a JPEG still from the middle of every shot's clip, one task per scene, after motion.
Run by test_add_a_media_stage.py in a fresh interpreter, so that the row is in the table
before anything derives from it, exactly as if it were written in media_stages.py: `main`
adds the row, writes the stage's one-line handler file, renders a script in the local cloud
and prints what it finds as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Protocol, runtime_checkable

NAME = "still"


@runtime_checkable
class StillEngine(Protocol):  # step 1: the interface (engines/base.py for a real stage)
    name: str
    version: str

    def render_still(self, clip_path: Path, seconds: float, out_path: Path) -> None:
        """A JPEG of the clip's frame at `seconds`."""


class PreviewStill:  # step 2: the engine
    name = "preview-still"
    version = "1"

    def render_still(self, clip_path: Path, seconds: float, out_path: Path) -> None:
        from filmstudio.engines.preview import ffmpeg

        ffmpeg.run(["-ss", f"{seconds:.3f}", "-i", str(clip_path), "-frames:v", "1", "-q:v", "4", str(out_path)],
                   stage=NAME)


def still_keys(plan, m, version: str) -> dict[str, str]:  # step 3: what its artifacts are made from
    from filmstudio.storage.artifacts import artifact_key

    return {shot.id: artifact_key(NAME, version, {"clip": m.clips[shot.id]}, ".jpg") for shot in plan.shots()}


def still_task(ctx, manifest, plan, scene_id: str, clock) -> None:  # step 3: one task's work
    from filmstudio.engines.registry import get_engine
    from filmstudio.pipeline.stages import render_missing

    engine = get_engine(NAME, manifest.tier)
    for shot in plan.scene(scene_id).shots:
        def render(out: Path, tmp: Path, shot=shot) -> None:
            clip = ctx.artifacts.download(manifest.clips[shot.id], tmp / "clip.mp4")
            engine.render_still(clip, shot.duration / 2, out)
        render_missing(ctx, clock, manifest.keys(NAME)[shot.id], render)


def add_the_row() -> None:  # step 4: the row
    from filmstudio import media_stages

    media_stages.STAGES = (*media_stages.STAGES, media_stages.MediaStage(
        NAME, "scene", f"{__name__}:StillEngine", {"preview": f"{__name__}:PreviewStill"},
        task=f"{__name__}:still_task", keys=f"{__name__}:still_keys", ext=".jpg", content_type="image/jpeg",
        manifest_field="stills", description="A still from the middle of each shot", weight=2, memory_mb=1024,
        timeout_s=300))


def write_the_handler(root: Path) -> None:  # step 5: functions/still/handler.py, one line
    import functions

    folder = root / "functions" / NAME
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "handler.py").write_text(
        f'from filmstudio.pipeline.media_handler import media_handler\n\nhandler = media_handler("{NAME}")\n')
    functions.__path__.append(str(root / "functions"))


def main(work: str) -> None:
    add_the_row()
    write_the_handler(Path(work))

    from filmstudio import aws, topology
    from filmstudio.localcloud import LocalCloud
    from filmstudio.models.plan import Plan
    from filmstudio.localcloud.render import render_locally
    from filmstudio.pipeline.stages import StageContext
    from filmstudio.storage.keys import generated_key
    from sample_scripts import ONE_SCENE

    with LocalCloud() as cloud:
        result = render_locally(ONE_SCENE.encode(), "two_cups.fountain", Path(work) / "out", cloud=cloud)
        job = result.job
        ctx = StageContext()
        manifest = ctx.manifest(generated_key(job.user_id, job.project_id, job.job_id, "manifest.json"))
        plan = Plan.model_validate_json((Path(work) / "out" / "plan.json").read_text())
        stills = {shot_id: ctx.artifacts.get_bytes(key)[:3].hex() if ctx.artifacts.exists(key) else None
                  for shot_id, key in manifest.keys(NAME).items()}
        history = aws.client("stepfunctions").get_execution_history(executionArn=job.execution_arn,
                                                                     maxResults=1000)["events"]
        entered = [e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e]
        print(json.dumps({
            "status": job.status.value,
            "error": job.error.model_dump() if job.error else None,
            "timings": {name: t.model_dump() for name, t in job.timings.items()},
            "shots": [shot.id for shot in plan.shots()],
            "stills": stills,
            "entered": entered,
            "functions": [spec.name for spec in topology.FUNCTIONS],
            "film": (Path(work) / "out" / "film.mp4").stat().st_size if (Path(work) / "out" / "film.mp4").exists() else 0,
        }))


if __name__ == "__main__":
    import fifth_stage  # by its module name, so the row's "module:attribute" references resolve to it

    fifth_stage.main(sys.argv[1])
