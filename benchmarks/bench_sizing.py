"""Lambda sizing from measurements: peak /tmp and seconds per film minute of motion, music and compose.

Renders the example through the local cloud, then runs each stage again on its own (its artifacts
deleted first) with a watcher sampling the bytes under its temporary directory. From the figures
it prints the longest film each function's timeout and ephemeral storage admit, beside the longest
film intake accepts (analysis/limits.py MAX_FILM_SECONDS) and the sizing in the topology.

Motion runs once per scene (a Map iteration), so its limits bound the longest *scene*; music and
compose run once per film.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "the_lighthouse_keeper.fountain"
MB = 1024 * 1024
# The figures the infrastructure tests check the topology's timeouts and /tmp against (--record rewrites it).
MEASURED = REPO / "benchmarks" / "sizing_measured.json"


class TmpWatcher:
    """Peak bytes under a directory, sampled every few milliseconds while a stage runs."""

    def __init__(self, root: Path, interval: float = 0.01):
        self.root, self.interval, self.peak = root, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _size(self) -> int:
        total = 0
        for dirpath, _dirs, files in os.walk(self.root):
            for name in files:
                try:
                    total += os.lstat(os.path.join(dirpath, name)).st_size
                except OSError:
                    pass
        return total

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._size())
            time.sleep(self.interval)

    def __enter__(self) -> "TmpWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._size())


def _measured(fn, tmp_root: Path) -> tuple[float, int]:
    """(seconds, peak /tmp bytes) of one call, with tempfile pointed at a fresh watched directory."""
    tmp_root.mkdir(parents=True, exist_ok=True)
    saved = tempfile.tempdir
    tempfile.tempdir = str(tmp_root)
    try:
        with TmpWatcher(tmp_root) as watcher:
            t0 = time.perf_counter()
            fn()
            seconds = time.perf_counter() - t0
    finally:
        tempfile.tempdir = saved
    return seconds, watcher.peak


def measure(script: Path = EXAMPLE) -> dict:
    from filmstudio.localcloud import LocalCloud
    from filmstudio.localcloud.render import render_locally
    from filmstudio.pipeline.stages import StageContext, compose_stage, run_media_task
    from filmstudio.storage.keys import generated_key

    with LocalCloud() as cloud, tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        result = render_locally(script.read_bytes(), script.name, work_dir / "out", cloud=cloud)
        job = result.job
        if job.status.value != "SUCCEEDED":
            raise SystemExit(f"render failed: {job.error}")
        ctx = StageContext()
        manifest_key = generated_key(job.user_id, job.project_id, job.job_id, "manifest.json")
        manifest = ctx.manifest(manifest_key)
        plan = ctx.plan(manifest)
        s3, bucket = ctx.artifacts.s3, ctx.artifacts.bucket

        from filmstudio.db.records import JobRecord

        def forget(keys) -> None:
            # The stage's artifacts go, and the finished job is reopened so the stage agrees to run again.
            for key in keys:
                s3.delete_object(Bucket=bucket, Key=key)
            JobRecord.get(job.job_id).update(actions=[JobRecord.status.set("RUNNING")])

        event = {"job_id": job.job_id, "manifest_key": manifest_key, "tier": manifest.tier}
        figures: dict[str, dict] = {}

        motion_seconds, motion_peak, longest_scene = 0.0, 0, 0.0
        for scene in plan.scenes:
            forget(manifest.clips[shot.id] for shot in scene.shots)
            seconds, peak = _measured(lambda: run_media_task(ctx, {**event, "stage": "motion", "scene_id": scene.id}),
                                      work_dir / f"tmp-motion-{scene.id}")
            motion_seconds += seconds
            motion_peak = max(motion_peak, peak)
            longest_scene = max(longest_scene, scene.duration)
        figures["motion"] = {"seconds": motion_seconds, "peak_tmp": motion_peak, "per": "scene",
                             "peak_per_minute": motion_peak / (longest_scene / 60)}

        forget(manifest.music.values())
        seconds, peak = _measured(lambda: run_media_task(ctx, {**event, "stage": "music"}), work_dir / "tmp-music")
        figures["music"] = {"seconds": seconds, "peak_tmp": peak, "per": "film"}

        outputs = manifest.compose_prefix + "outputs.json"
        forget([outputs])
        seconds, peak = _measured(lambda: compose_stage(ctx, job.job_id, manifest_key), work_dir / "tmp-compose")
        figures["compose"] = {"seconds": seconds, "peak_tmp": peak, "per": "film"}

    minutes = job.duration / 60
    for name, fig in figures.items():
        fig["seconds_per_minute"] = fig["seconds"] / minutes
        fig.setdefault("peak_per_minute", fig["peak_tmp"] / minutes)
    return {"film_seconds": job.duration, "longest_scene_seconds": longest_scene, "stages": figures}


def admitted_minutes(spec, fig: dict) -> tuple[float, float]:
    """(minutes of film its timeout admits, minutes its /tmp admits), with the fixed start-up left out."""
    by_time = spec.timeout_s / fig["seconds_per_minute"] if fig["seconds_per_minute"] else float("inf")
    by_tmp = spec.ephemeral_mb * MB / fig["peak_per_minute"] if fig["peak_per_minute"] else float("inf")
    return by_time, by_tmp


def run(script: Path = EXAMPLE) -> dict:
    from filmstudio import topology
    from filmstudio.analysis.limits import MAX_FILM_SECONDS, MAX_SCENE_SECONDS

    figures = measure(script)
    print(f"\n== sizing: {script.name}, {figures['film_seconds']:.1f} s of film "
          f"(longest scene {figures['longest_scene_seconds']:.1f} s), each stage re-run alone")
    print(f"{'function':<9}{'per':>6}{'s/film min':>12}{'peak /tmp':>11}{'MB/film min':>13}"
          f"{'memory':>8}{'/tmp':>7}{'timeout':>9}{'admits min (time, /tmp)':>26}")
    for name, fig in figures["stages"].items():
        spec = topology.function(name)
        by_time, by_tmp = admitted_minutes(spec, fig)
        print(f"{name:<9}{fig['per']:>6}{fig['seconds_per_minute']:12.1f}{fig['peak_tmp'] / MB:9.1f}MB"
              f"{fig['peak_per_minute'] / MB:13.1f}{spec.memory_mb:8d}{spec.ephemeral_mb:7d}{spec.timeout_s:8d}s"
              f"{by_time:14.1f}{by_tmp:12.1f}")
    print(f"longest film intake accepts: {MAX_FILM_SECONDS / 60:.0f} min (analysis/limits.py MAX_FILM_SECONDS), "
          f"longest scene {MAX_SCENE_SECONDS / 60:.0f} min (MAX_SCENE_SECONDS)")
    if "--record" in sys.argv:
        record = {name: {"per": fig["per"], "seconds_per_film_minute": round(fig["seconds_per_minute"], 1),
                         "tmp_mb_per_film_minute": round(fig["peak_per_minute"] / MB, 1)}
                  for name, fig in figures["stages"].items()}
        MEASURED.write_text(json.dumps({"script": script.name, "machine": platform.node() or "this machine",
                                        "stages": record}, indent=2) + "\n")
        print(f"recorded in {MEASURED.relative_to(REPO)}")
    return figures


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    run(Path(args[0]) if args else EXAMPLE)
