"""Render the English screenplay example through the whole local pipeline and time it.

Prints render wall time / film duration (target: <= 0.35 on a 2-core machine of our
own) and a per-stage breakdown from the job record: wall time (first start to
last end, so concurrent tasks overlap), busy time summed over tasks, and task count.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "the_lighthouse_keeper.fountain"


def run(script: Path = EXAMPLE) -> dict:
    from filmstudio.localcloud import LocalCloud
    from filmstudio.localcloud.render import render_locally

    t0 = time.perf_counter()
    with LocalCloud() as cloud:
        startup = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            result = render_locally(script.read_bytes(), script.name, Path(tmp) / "out", cloud=cloud)
            # A second render of the unchanged script: everything comes from the cache.
            again = render_locally(script.read_bytes(), script.name, Path(tmp) / "again", cloud=cloud)
    job = result.job
    if job.status.value != "SUCCEEDED":
        raise SystemExit(f"render failed: {job.error}")
    ratio = result.wall_seconds / job.duration
    print(f"\n== pipeline: {script.name} through the local cloud (state machine, handlers, moto)")
    print(f"local cloud start-up          {startup:6.2f} s")
    print(f"film duration                 {job.duration:6.2f} s")
    print(f"render wall time              {result.wall_seconds:6.2f} s")
    print(f"render time / film duration   {ratio:6.2f}   (target <= 0.35; 1-min load average {os.getloadavg()[0]:.1f})")
    print(f"cached re-render              {again.wall_seconds:6.2f} s   ({again.wall_seconds / job.duration:.2f} x film)")
    print(f"step functions history events {result.history_events}")
    print(f"{'stage':<11}{'wall s':>8}{'busy s':>8}{'tasks':>7}{'made':>6}{'reused':>7}")
    for stage, t in job.timings.items():
        print(f"{stage:<11}{t.wall_seconds:8.2f}{t.busy_seconds:8.2f}{t.tasks:7d}{t.rendered:6d}{t.reused:7d}")
    return {"ratio": ratio, "wall_seconds": result.wall_seconds, "film_seconds": job.duration,
            "cached_wall_seconds": again.wall_seconds,
            "stages": {s: t.model_dump() for s, t in job.timings.items()}}


if __name__ == "__main__":
    run(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLE)
