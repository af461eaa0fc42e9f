"""`make soak`: a 40-scene film rendered while another process keeps every core busy.

The shipped timings (HeartbeatSeconds 120, a beat every 20 s, one retry of a timed-out
media task); reports success, wall time, and any task that timed out and was retried.
Not part of `make test` or `make bench`: it takes minutes. Exit 1 if the film fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCENES = 40
PLACES = ["INT. KITCHEN", "EXT. HARBOUR", "INT. TRAIN", "EXT. MARKET", "INT. LIBRARY", "EXT. ROOFTOP",
          "INT. WORKSHOP", "EXT. FOREST ROAD"]
TIMES = ["MORNING", "DAY", "EVENING", "NIGHT"]
LINES = [("ASHA", "We have to leave before the tide turns."), ("VIKRAM", "Then help me carry the nets."),
         ("ASHA", "Did you hear that? Someone is on the stairs."), ("VIKRAM", "It is only the wind, again."),
         ("MEERA", "I kept the letter you never sent."), ("ASHA", "Read it to me, slowly.")]
# Each spinner stops when the soak that started it is gone, or after LOAD_LIMIT_S: an interrupted
# soak leaves no load behind.
LOAD_LIMIT_S = 3600
BURN = ("import multiprocessing as m, os, sys, time\n"
        "def spin(parent, until):\n"
        "    while os.getppid() == parent and time.monotonic() < until:\n"
        "        for _ in range(100000): pass\n"
        "if __name__ == '__main__':\n"
        "    until = time.monotonic() + float(sys.argv[2])\n"
        "    ps = [m.Process(target=spin, args=(os.getpid(), until), daemon=True) for _ in range(int(sys.argv[1]))]\n"
        "    [p.start() for p in ps]; [p.join() for p in ps]\n")


def script(scenes: int = SCENES) -> str:
    parts = ["Title: The Long Soak\n"]
    for i in range(scenes):
        place, when = PLACES[i % len(PLACES)], TIMES[(i // 2) % len(TIMES)]
        a, b = LINES[i % len(LINES)], LINES[(i + 1) % len(LINES)]
        parts.append(f"\n{place} - {when}\n\nScene {i + 1}. Rain taps on the glass; a lamp flickers.\n\n"
                     f"{a[0]}\n{a[1]}\n\n{b[0]}\n{b[1]}\n")
    return "".join(parts)


def run() -> int:
    from filmstudio.localcloud.render import render_locally

    cores = max(2, os.cpu_count() or 2)
    load = subprocess.Popen([sys.executable, "-c", BURN, str(cores), str(LOAD_LIMIT_S)], start_new_session=True)
    try:
        with tempfile.TemporaryDirectory(prefix="filmstudio-soak-") as tmp:
            t0 = time.monotonic()
            result = render_locally(script().encode(), "soak.fountain", Path(tmp) / "out")
            wall = time.monotonic() - t0
            loaded = load.poll() is None
    finally:
        os.killpg(load.pid, signal.SIGKILL)
        load.wait()
    job = result.job
    report = {"scenes": SCENES, "status": job.status.value, "wall_seconds": round(wall, 1),
              "film_seconds": job.duration, "load_processes": cores, "load_held": loaded,
              "retried_tasks": [r.model_dump(mode="json") for r in job.retries],
              "error": job.error.model_dump() if job.error else None,
              "stages": {k: {"wall": v.wall_seconds, "tasks": v.tasks} for k, v in job.timings.items()}}
    print(json.dumps(report, indent=2))
    return 0 if job.status.value == "SUCCEEDED" and loaded else 1


if __name__ == "__main__":
    sys.exit(run())
