"""The logic behind each stage's Lambda: read keys, do the work, write keys (DESIGN §2).

Every function takes the event's fields and returns what Step Functions carries on:
keys, never payloads.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path
from typing import Any

from filmstudio import media_stages
from filmstudio.engines.base import ClipFormat, ComposeInputs, ComposeOptions, check_clip
from filmstudio.engines.registry import get_engine
from filmstudio.errors import IllegalTransitionError, StageFailedError
from filmstudio.jobs.store import JobStore, StageClock
from filmstudio.jobs.watch import JobPulse
from filmstudio.models.job import JobError, JobStatus
from filmstudio.models.plan import Plan, ScriptAnalysis
from filmstudio.pipeline import analysis_cache
from filmstudio.pipeline.manifest import Manifest, build_manifest
from filmstudio.planning import make_plan
from filmstudio.settings import Settings, get_settings
from filmstudio.storage.artifacts import ArtifactStore
from filmstudio.storage.keys import final_key, generated_key

log = logging.getLogger(__name__)

# Published next to the film; the CLI and the API list exactly these.
FINAL_FILES = {
    "film": ("film.mp4", "video/mp4"),
    "srt": ("film.srt", "application/x-subrip"),
    "vtt": ("film.vtt", "text/vtt"),
    "thumbnail": ("thumbnail.jpg", "image/jpeg"),
    "contact_sheet": ("contact_sheet.png", "image/png"),
    "qc": ("qc.json", "application/json"),
}


class StageContext:
    """The stores a stage works with; built per invocation, clients made on first use."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.jobs = JobStore(self.settings)
        self.artifacts = ArtifactStore(self.settings)

    def manifest(self, key: str) -> Manifest:
        return Manifest.model_validate(self.artifacts.get_json(key))

    def plan(self, manifest: Manifest) -> Plan:
        return Plan.model_validate(self.artifacts.get_json(manifest.plan_key))


# -- analyze and plan ---------------------------------------------------------------------

def analyze_stage(ctx: StageContext, job_id: str, script_key: str, language: str | None) -> dict[str, Any]:
    ctx.jobs.start_stage(job_id, "analyze")
    with StageClock(ctx.jobs, job_id, "analyze") as clock:
        text = ctx.artifacts.get_bytes(script_key).decode("utf-8")
        key = analysis_cache.analysis_key(text, language)
        # Intake stored this job's analysis under the same content key: normally a reuse.
        if ctx.artifacts.exists(key):
            clock.count(reused=1)
        else:
            ctx.artifacts.put_json(key, analysis_cache.analyze_here(text, language, key))
            clock.count(rendered=1)
    return {"analysis_key": key}


def plan_stage(ctx: StageContext, job_id: str, analysis_key: str, tier: str,
               options: dict[str, Any] | None = None) -> dict[str, Any]:
    ctx.jobs.start_stage(job_id, "plan")
    job = ctx.jobs.get(job_id)
    with StageClock(ctx.jobs, job_id, "plan") as clock:
        plan_key = analysis_cache.plan_key(analysis_key)
        if ctx.artifacts.exists(plan_key):
            plan = Plan.model_validate(ctx.artifacts.get_json(plan_key))
            clock.count(reused=1)
        else:
            plan = make_plan(ScriptAnalysis.model_validate(ctx.artifacts.get_json(analysis_key)))
            ctx.artifacts.put_json(plan_key, plan)
            clock.count(rendered=1)
        manifest = build_manifest(plan, plan_key, job_id=job_id, user_id=job.user_id, project_id=job.project_id,
                                  tier=tier, final_prefix=final_key(job.user_id, job.project_id, job_id, ""),
                                  burn_subtitles=bool((options or {}).get("burn_subtitles")),
                                  bulk=bool((options or {}).get("bulk")))
        manifest_key = generated_key(job.user_id, job.project_id, job_id, "manifest.json")
        ctx.artifacts.put_json(manifest_key, manifest)
        ctx.jobs.set_fields(job_id, title=plan.title, language=plan.language.language, duration=plan.duration)
    return {
        "manifest_key": manifest_key,
        "scenes": [s.id for s in plan.scenes],
        "lines": [line.id for line in plan.lines()],
    }


# -- media tasks (dispatched by tier, reported through a task token) -----------------------

def render_missing(ctx: StageContext, clock: StageClock, key: str, render, metadata=None) -> None:
    """Render into a temp file and upload, unless the content-addressed key already exists.
    The file's extension and content type are the stage's row's (media_stages.py)."""
    row = media_stages.stage(clock.stage)
    ext, content_type = row.ext, row.content_type
    if ctx.artifacts.exists(key):
        clock.count(reused=1)
        return
    if clock.rendered and ctx.jobs.get(clock.job_id).terminal:
        # Cancelled (or failed elsewhere) while this task works through its shots: stop rendering
        # for a film nobody will get. Checked between renders, not before the first: the stage
        # checked the job when it started.
        raise IllegalTransitionError(f"job {clock.job_id} ended; stage {clock.stage} stops")
    with tempfile.TemporaryDirectory(prefix="filmstudio-") as tmp:
        out = Path(tmp) / f"out{ext}"
        meta = render(out, Path(tmp)) or {}
        if not out.exists() or out.stat().st_size == 0:
            raise StageFailedError(clock.stage, f"the engine wrote no output for {key}")
        # job-id: which job made it, so the API can tell a director which scenes were reused.
        ctx.artifacts.put_file(key, out, content_type, metadata={**(metadata or {}), **meta, "job-id": clock.job_id})
    clock.count(rendered=1)


def side_by_side(clock: StageClock, items, render_one) -> None:
    """render_one(item) for every item, on as many threads as the stage's row allows (`workers`).

    The first failure stops what has not started and is raised once the running ones end,
    so a task never reports success with a unit missing, nor leaves a thread writing behind it.
    """
    items = list(items)
    workers = min(media_stages.stage(clock.stage).workers, len(items))
    if workers <= 1:
        for item in items:
            render_one(item)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers, thread_name_prefix=f"{clock.stage}-unit") as pool:
        # raised in the block: leaving it waits for the running ones first
        _raise_first_failure([pool.submit(render_one, item) for item in items])


def _raise_first_failure(futures: list) -> None:
    """Wait for the futures in the order they end; at the first that failed, cancel those not
    started and raise its exception (the failure reported is the one that happened first)."""
    from concurrent.futures import as_completed

    for f in as_completed(futures):
        if not f.cancelled() and f.exception() is not None:
            for other in futures:
                other.cancel()
            raise f.exception()


# Each media stage's task (media_stages.py names them): one scene's, one line's or the film's artifacts.

def storyboard_task(ctx: StageContext, manifest: Manifest, plan: Plan, scene_id: str, clock: StageClock) -> None:
    engine = get_engine("storyboard", manifest.tier)
    scene = plan.scene(scene_id)
    for shot in scene.shots:
        render_missing(ctx, clock, manifest.panels[shot.id],
                       lambda out, tmp, shot=shot: engine.render_panel(plan, scene, shot, out))


def motion_task(ctx: StageContext, manifest: Manifest, plan: Plan, scene_id: str, clock: StageClock) -> None:
    engine = get_engine("motion", manifest.tier)
    scene = plan.scene(scene_id)

    def clip(shot) -> None:
        def render(out: Path, tmp: Path) -> None:
            panel = ctx.artifacts.download(manifest.panels[shot.id], tmp / "panel.png")
            engine.render_clip(plan, scene, shot, panel, out)
            if out.exists():  # checked before it is stored: a cached clip is one compose can join
                check_clip(out, ClipFormat.for_shot(plan, shot), f"the {engine.name} clip for shot {shot.id}")
        render_missing(ctx, clock, manifest.clips[shot.id], render)

    # Longest first: the task ends when its last clip does, so that one had better be short.
    side_by_side(clock, sorted(scene.shots, key=lambda shot: -shot.duration), clip)


def speech_task(ctx: StageContext, manifest: Manifest, plan: Plan, line_id: str, clock: StageClock) -> None:
    engine = get_engine("speech", manifest.tier)
    line = next(line for line in plan.lines() if line.id == line_id)
    fallback = getattr(engine, "fallback_reason", None)
    why = fallback(line) if fallback else None
    if why:  # the studio tier speaking with eSpeak NG says so on the job, per language
        ctx.jobs.note(manifest.job_id, f"speech:{line.language}", why)

    def render(out: Path, tmp: Path) -> dict[str, str]:
        seconds = engine.synthesize(plan, line, out)
        return {"duration": f"{seconds:.4f}"}
    render_missing(ctx, clock, manifest.speech[line_id], render)


def music_task(ctx: StageContext, manifest: Manifest, plan: Plan, item: None, clock: StageClock) -> None:
    engine = get_engine("music", manifest.tier)
    for scene in plan.scenes:
        render_missing(ctx, clock, manifest.music[scene.id],
                       lambda out, tmp, scene=scene: engine.render_cue(plan, scene, out))


def run_media_task(ctx: StageContext, event: dict[str, Any]) -> dict[str, Any]:
    stage = event["stage"]
    try:
        row = media_stages.stage(stage)
    except KeyError:
        raise StageFailedError(str(stage), f"unknown media stage {stage!r}") from None
    job_id = event["job_id"]
    ctx.jobs.start_stage(job_id, stage)
    manifest = ctx.manifest(event["manifest_key"])
    plan = ctx.plan(manifest)
    # A scene's (or line's) share of the stage's progress.
    total = media_stages.tasks_in(plan, row.unit)
    item = event[row.item_field] if row.item_field else None
    with StageClock(ctx.jobs, job_id, stage, of_total=total, tier=manifest.tier) as clock:
        media_stages.resolve(row.task)(ctx, manifest, plan, item, clock)
    return {"stage": stage, "rendered": clock.rendered, "reused": clock.reused}


# -- compose, publish, fail ----------------------------------------------------------------

def compose_stage(ctx: StageContext, job_id: str, manifest_key: str) -> dict[str, Any]:
    ctx.jobs.start_stage(job_id, "compose")
    manifest = ctx.manifest(manifest_key)
    outputs_key = manifest.compose_prefix + "outputs.json"
    with StageClock(ctx.jobs, job_id, "compose") as clock:
        if ctx.artifacts.exists(outputs_key):
            clock.count(reused=1)
            return {"outputs_key": outputs_key}
        plan = ctx.plan(manifest)
        composer = get_engine("compose", manifest.tier)
        with tempfile.TemporaryDirectory(prefix="filmstudio-compose-") as tmp:
            root = Path(tmp)
            inputs = _compose_inputs(ctx, manifest, plan, root)
            # One long task: its pulse shows a waiting client that the render still moves.
            with JobPulse(lambda: ctx.jobs.set_fields(job_id)):
                result = composer.compose(plan, inputs, root / "out",
                                          ComposeOptions(burn_subtitles=manifest.burn_subtitles))
            report = quality_control(plan, result, inputs)
            qc_path = root / "out" / "qc.json"
            qc_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            if not report["passed"]:
                # Kept for whoever looks into the failure; the film itself is not published.
                ctx.artifacts.put_file(manifest.compose_prefix + "qc.json", qc_path, "application/json")
                from filmstudio.qc import failure_reason

                raise StageFailedError("compose", failure_reason(report))
            outputs: dict[str, Any] = {"duration": result.duration, "qc_passed": True}
            for name, (filename, content_type) in FINAL_FILES.items():
                path = qc_path if name == "qc" else getattr(result, name)
                outputs[name] = ctx.artifacts.put_file(manifest.compose_prefix + filename, path, content_type)
        ctx.artifacts.put_json(outputs_key, outputs)
        clock.count(rendered=1)
    return {"outputs_key": outputs_key}


def _compose_inputs(ctx: StageContext, manifest: Manifest, plan: Plan, root: Path) -> ComposeInputs:
    """Every clip, panel, line and cue the film needs, fetched side by side: one request each,
    and on AWS each is a round trip, so a long film's hundreds of objects would queue."""
    from concurrent.futures import ThreadPoolExecutor

    def speech(line_id: str) -> tuple[Path, float]:
        key = manifest.speech[line_id]
        path = ctx.artifacts.download(key, root / "speech" / f"{line_id}.wav")
        return path, float(ctx.artifacts.get_metadata(key)["duration"])

    with ThreadPoolExecutor(8, thread_name_prefix="compose-fetch") as pool:
        clips = {s.id: pool.submit(ctx.artifacts.download, manifest.clips[s.id], root / "clips" / f"{s.id}.mp4")
                 for s in plan.shots()}
        panels = {s.id: pool.submit(ctx.artifacts.download, manifest.panels[s.id], root / "panels" / f"{s.id}.png")
                  for s in plan.shots()}
        lines = {ln.id: pool.submit(speech, ln.id) for ln in plan.lines()}
        music = {sc.id: pool.submit(ctx.artifacts.download, manifest.music[sc.id], root / "music" / f"{sc.id}.wav")
                 for sc in plan.scenes}
        # a missing input fails compose now, not after every other fetch
        _raise_first_failure([*clips.values(), *panels.values(), *lines.values(), *music.values()])
        return ComposeInputs(clips={k: f.result() for k, f in clips.items()},
                             panels={k: f.result() for k, f in panels.items()},
                             speech={k: f.result() for k, f in lines.items()},
                             music={k: f.result() for k, f in music.items()})


def quality_control(plan: Plan, result, inputs: ComposeInputs) -> dict[str, Any]:
    """qc.json's content for a composed film (filmstudio.qc), from the files themselves."""
    from filmstudio import qc  # numpy, fonts: only the media functions ship them
    from filmstudio.engines.preview import fonts

    placed = result.extra.get("line_starts")
    return qc.measure(plan, film=result.film, srt=result.srt, vtt=result.vtt, panels=inputs.panels,
                      placed_lines=list(placed) if placed is not None else [ln.id for ln in plan.lines()],
                      subtitle_family=str(result.extra.get("subtitle_family") or fonts.FALLBACK_FAMILY),
                      encoded_audio=result.extra.get("encoded_audio"))


def publish_stage(ctx: StageContext, job_id: str, outputs_key: str) -> dict[str, Any]:
    from filmstudio.pipeline import accounting

    ctx.jobs.start_stage(job_id, "publish")
    job = ctx.jobs.get(job_id)
    with StageClock(ctx.jobs, job_id, "publish"):
        produced = ctx.artifacts.get_json(outputs_key)
        manifest = ctx.manifest(generated_key(job.user_id, job.project_id, job_id, "manifest.json"))
        outputs: dict[str, str] = {}
        for name, (filename, _) in FINAL_FILES.items():
            outputs[name] = ctx.artifacts.copy(produced[name], final_key(job.user_id, job.project_id, job_id, filename))
        outputs["plan"] = ctx.artifacts.copy(manifest.plan_key,
                                             final_key(job.user_id, job.project_id, job_id, "plan.json"))
        for shot_id, key in manifest.panels.items():
            ctx.artifacts.copy(key, final_key(job.user_id, job.project_id, job_id, f"storyboard/{shot_id}.png"))
        outputs["storyboard"] = final_key(job.user_id, job.project_id, job_id, "storyboard/")
    # The charge and SUCCEEDED are one transaction: a cancel that got in first leaves the job
    # CANCELLED and refunded, and this publish charges nothing.
    try:
        duration = float(produced["duration"])
        accounting.finish(job, JobStatus.SUCCEEDED, charged=accounting.charge(job, duration), outputs=outputs,
                          duration=duration)
    except IllegalTransitionError:
        # A retried publish finds it SUCCEEDED; a cancel that won finds it CANCELLED, and the
        # copies made for a film nobody will be given are removed.
        status = ctx.jobs.get(job_id).status
        if status != JobStatus.SUCCEEDED:
            ctx.artifacts.delete_prefix(final_key(job.user_id, job.project_id, job_id, ""))
        return {"status": status.value}
    return {"status": JobStatus.SUCCEEDED.value}


def _reason(error: dict[str, Any] | None) -> tuple[str | None, str, str]:
    """(stage named by the error, reason, error type) from a Catch's {Error, Cause}."""
    error = error or {}
    etype = str(error.get("Error", "") or "")
    cause = error.get("Cause", "")
    stage = None
    reason = str(cause or etype or "unknown error")
    try:
        parsed = json.loads(cause) if isinstance(cause, str) and cause.startswith("{") else cause
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        # our own failure shape {"stage", "reason"}, or Lambda's {"errorMessage", "errorType"}
        stage = parsed.get("stage")
        reason = str(parsed.get("reason") or parsed.get("errorMessage") or reason)
        etype = str(parsed.get("errorType") or etype)
    if etype in ("States.HeartbeatTimeout", "States.Timeout"):
        reason = f"{etype}: the task stopped reporting in time"
    return stage, reason, etype


def fail_stage(ctx: StageContext, job_id: str, stage: str, error: dict[str, Any] | None) -> dict[str, Any]:
    from filmstudio.pipeline import accounting

    named_stage, reason, etype = _reason(error)
    job = ctx.jobs.get(job_id)
    if job.terminal:
        return {"status": job.status.value}
    # The parallel render names its branch only through our own failure shape.
    failed = named_stage or (job.stage if stage == "render" and job.stage else stage)
    error = JobError(stage=failed, reason=reason[:2000], error_type=etype)
    try:
        job = accounting.finish(job, JobStatus.FAILED, error=error.model_dump(), stage=failed)
    except IllegalTransitionError:
        return {"status": ctx.jobs.get(job_id).status.value}  # cancelled or finished meanwhile
    return {"status": job.status.value, "stage": failed}
