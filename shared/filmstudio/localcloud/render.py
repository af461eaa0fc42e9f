"""A whole render on this machine: the local cloud, intake, the state machine, the outputs.

The CLI, `make demo`, the benchmarks and the end-to-end tests all render through here,
so each of them exercises the same path as AWS: ASL, handlers, DynamoDB, S3.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from filmstudio.localcloud import LocalCloud
from filmstudio.models.job import Job, JobStatus
from filmstudio.pipeline.intake import start_job, validate_script
from filmstudio.storage.artifacts import ArtifactStore
from filmstudio.storage.keys import safe_filename

LOCAL_USER = "local"


@dataclass
class RenderResult:
    job: Job
    out_dir: Path
    wall_seconds: float
    history_events: int


def project_id_for(filename: str) -> str:
    stem = safe_filename(Path(filename).stem).replace(".", "-")[:48] or "script"
    return stem if stem[0].isalnum() else f"p{stem}"


def render_locally(data: bytes, filename: str, out_dir: Path, *, tier: str = "preview", language: str | None = None,
                   progress: Callable[[Job], None] | None = None, burn_subtitles: bool = False,
                   cloud: LocalCloud | None = None, data_dir: Path | None = None) -> RenderResult:
    """`data_dir`: keep the content-addressed artifacts there, so a later render in another
    process reuses what did not change (None: nothing outlives this render)."""
    # Refuse bad input before anything starts or any folder is made.
    validate_script(data, filename, language, tier)
    if cloud is None:
        with LocalCloud(data_dir=data_dir, data_scope="cache") as fresh:
            return render_locally(data, filename, out_dir, tier=tier, language=language, progress=progress,
                                  burn_subtitles=burn_subtitles, cloud=fresh)
    t0 = time.monotonic()
    job = start_job(user_id=LOCAL_USER, project_id=project_id_for(filename), data=data, filename=filename, tier=tier,
                    language=language, source="cli", burn_subtitles=burn_subtitles)
    job = cloud.wait(job.job_id, on_progress=progress)
    wall = time.monotonic() - t0
    if progress and hasattr(progress, "done"):
        progress.done()
    events = cloud.history_event_count(job.execution_arn) if job.execution_arn else 0
    out_dir.mkdir(parents=True, exist_ok=True)
    if job.status == JobStatus.SUCCEEDED:
        download_outputs(job, out_dir)
    record = json.loads(job.model_dump_json())
    from filmstudio.pipeline.accounting import job_cost

    record["cost"] = job_cost(job)
    record["wall_seconds"] = round(wall, 3)
    record["history_events"] = events
    (out_dir / "job.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return RenderResult(job=job, out_dir=out_dir, wall_seconds=wall, history_events=events)


def download_outputs(job: Job, out_dir: Path) -> None:
    artifacts = ArtifactStore()
    prefix = job.outputs["film"].rsplit("/", 1)[0] + "/"
    storyboard = out_dir / "storyboard"
    if storyboard.exists():
        shutil.rmtree(storyboard)  # panels of an earlier render of another script must not linger
    for key in artifacts.keys(prefix):
        artifacts.download(key, out_dir / key[len(prefix):])
