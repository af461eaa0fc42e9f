"""GET /v1/jobs/{id}/scenes and /v1/jobs/{id}/panels/{shot}: a render seen scene by scene.

Read from the job's work manifest (written by the plan stage) and the content-addressed
artifacts it names: a shot's panel is drawn once its key exists, and a scene was
*reused* when every artifact it needs already existed, *rendered* when this job made at
least one of them. Who made an artifact is the `job-id` the media task stores in the
object's metadata (pipeline/stages.py), so the answer is exact, not inferred from times.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel

from filmstudio.api import deps
from filmstudio.api.routes.jobs import JobId
from filmstudio.api.schemas import errors
from filmstudio.errors import NotFoundError

router = APIRouter(tags=["jobs"])
ShotId = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
PANEL_URL_SECONDS = 900


class ShotView(BaseModel):
    shot_id: str
    index: int
    duration: float
    description: str
    panel: str | None  # the panel's URL once it is drawn


class SceneView(BaseModel):
    scene_id: str
    index: int
    heading: str
    duration: float
    # waiting (nothing made yet), rendering, rendered (this job made some of it), reused (all from cache),
    # incomplete (the job ended before the scene was finished)
    state: str
    artifacts: int
    rendered: int
    reused: int
    shots: list[ShotView]


class StageView(BaseModel):
    stage: str
    done: int  # tasks finished
    total: int | None  # tasks the stage has, once the plan is known
    rendered: int
    reused: int


class ScenesView(BaseModel):
    job_id: str
    status: str
    stage: str | None
    progress: float
    stages: list[StageView]
    scenes: list[SceneView]


def _stages(job, plan) -> list[StageView]:
    """Each stage's tasks done out of its total, from the job's stage spans: the media stages run
    side by side, so one 'current stage' cannot say how far each of them is."""
    from filmstudio import media_stages
    from filmstudio.models.job import STAGES

    # one task each (a media stage over the whole film too); the others' totals need the plan
    per_task = set(media_stages.names()) - {row.name for row in media_stages.of_unit("film")}
    totals: dict[str, int] = {name: 1 for name in STAGES if name not in per_task}
    if plan is not None:  # a media stage runs one task per item of its unit
        per_unit = {"scene": len(plan.scenes), "line": len(plan.lines()), "film": 1}
        totals |= {row.name: per_unit[row.unit] for row in media_stages.STAGES}
    out = []
    for name in STAGES:
        timing = job.timings.get(name)
        out.append(StageView(stage=name, done=timing.tasks if timing else 0, total=totals.get(name),
                             rendered=timing.rendered if timing else 0, reused=timing.reused if timing else 0))
    return out


def _view(job, plan, scenes) -> ScenesView:
    return ScenesView(job_id=job.job_id, status=job.status.value, stage=job.stage,
                      progress=round(min(100.0, job.progress), 1), stages=_stages(job, plan), scenes=scenes)


def _manifest_and_plan(job):
    from filmstudio.pipeline.manifest import Manifest
    from filmstudio.storage.artifacts import ArtifactStore
    from filmstudio.storage.keys import generated_key

    store = ArtifactStore()
    key = generated_key(job.user_id, job.project_id, job.job_id, "manifest.json")
    if not store.exists(key):
        return store, None, None
    from filmstudio.models.plan import Plan

    manifest = Manifest.model_validate(store.get_json(key))
    return store, manifest, Plan.model_validate(store.get_json(manifest.plan_key))


def _maker(store, key: str) -> str | None:
    """The job that made the artifact ('' for one made before makers were recorded), None if missing."""
    metadata = store.metadata_if_exists(key)
    return None if metadata is None else metadata.get("job-id", "")


def _scene_state(makers: list[str | None], job_id: str, terminal: bool) -> tuple[str, int, int]:
    present = [m for m in makers if m is not None]
    rendered = sum(1 for m in present if m == job_id)
    reused = len(present) - rendered
    if len(present) == len(makers):
        return ("rendered" if rendered else "reused"), rendered, reused
    if terminal:
        return "incomplete", rendered, reused
    return ("rendering" if present else "waiting"), rendered, reused


def _panel_url(base_url: str, job_id: str, shot_id: str) -> str:
    return f"{base_url.rstrip('/')}/v1/jobs/{job_id}/panels/{shot_id}"


@router.get("/v1/jobs/{job_id}/scenes", response_model=ScenesView, responses=errors(401, 404, 422))
def job_scenes(request: Request, job_id: str = JobId, principal=Depends(deps.current_principal),
               jobs=Depends(deps.jobs)):
    job = jobs.get_owned(job_id, principal.user_id)
    store, manifest, plan = _manifest_and_plan(job)
    if manifest is None:  # the plan stage has not run yet
        return _view(job, None, [])
    needs: dict[str, list[str]] = {}
    for scene in plan.scenes:
        needs[scene.id] = ([manifest.panels[s.id] for s in scene.shots] + [manifest.clips[s.id] for s in scene.shots]
                           + [manifest.speech[line.id] for line in scene.lines] + [manifest.music[scene.id]])
    keys = sorted({k for ks in needs.values() for k in ks})
    with ThreadPoolExecutor(max_workers=8) as pool:  # one HEAD per artifact; S3 answers them in parallel
        makers = dict(zip(keys, pool.map(lambda k: _maker(store, k), keys)))
    base = str(request.base_url)
    scenes = []
    for scene in plan.scenes:
        state, rendered, reused = _scene_state([makers[k] for k in needs[scene.id]], job_id, job.terminal)
        shots = [ShotView(shot_id=s.id, index=s.index, duration=s.duration, description=s.description,
                          panel=_panel_url(base, job_id, s.id) if makers[manifest.panels[s.id]] is not None else None)
                 for s in scene.shots]
        scenes.append(SceneView(scene_id=scene.id, index=scene.index, heading=scene.heading, duration=scene.duration,
                                state=state, artifacts=len(needs[scene.id]), rendered=rendered, reused=reused,
                                shots=shots))
    return _view(job, plan, scenes)


@router.get("/v1/jobs/{job_id}/panels/{shot_id}", status_code=307, response_class=Response,
            responses={307: {"description": "redirect to the panel's download URL"}, **errors(401, 404, 422)})
def panel(request: Request, job_id: str = JobId, shot_id: str = ShotId, principal=Depends(deps.current_principal),
          jobs=Depends(deps.jobs)):
    """One storyboard panel as soon as it is drawn: a redirect to a short-lived download URL."""
    from fastapi.responses import RedirectResponse

    from filmstudio.storage.media_links import media_links

    job = jobs.get_owned(job_id, principal.user_id)
    store, manifest, _ = _manifest_and_plan(job)
    key = manifest.panels.get(shot_id) if manifest else None
    if key is None or not store.exists(key):
        raise NotFoundError(f"job {job_id} has no drawn panel {shot_id!r}", code="PANEL_NOT_FOUND")
    url = media_links().download_url(key, expires_s=PANEL_URL_SECONDS, base_url=str(request.base_url))
    return RedirectResponse(url, status_code=307)
