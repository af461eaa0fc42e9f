"""Long films: peak memory and render time per film minute at 5, 20 and 60 scenes.

Each film is a generated screenplay (`testkit.generate.screenplay`: four lines a scene),
rendered through the whole local pipeline in a fresh process, so each peak is that film's
own: the process's maximum resident set (the state machine, the handlers, moto's S3 and
DynamoDB, compose), and its CPU time with its ffmpeg children's (wall time on a shared
machine says little). Step Functions history events are printed beside the count the ASL
predicts (`analysis.limits.history_events`). Targets: peak <= 1.5 GB and
render time per film minute roughly constant. Each film's QC line is printed too, and a
sample of the corpus (one script per writing system) is rendered for its QC lines.

    python benchmarks/bench_long.py [SCENES ...] [--corpus]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

SIZES = (5, 20, 60)
PEAK_TARGET_MB = 1536

_CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
from testkit.generate import screenplay
from filmstudio.localcloud.render import render_locally

what = sys.argv[1]
if what.isdigit():
    data, name = screenplay(int(what), title=f"Long {what}").encode(), f"long_{what}.fountain"
else:
    data, name = Path(what).read_bytes(), Path(what).name
with tempfile.TemporaryDirectory(prefix="bench-long-") as tmp:
    t0 = time.perf_counter()
    result = render_locally(data, name, Path(tmp) / "out")
    wall = time.perf_counter() - t0
    qc_path = Path(tmp) / "out" / "qc.json"
    qc = json.loads(qc_path.read_text()) if qc_path.exists() else None
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
job = result.job
print(json.dumps({
    "status": job.status.value, "error": job.error.model_dump() if job.error else None,
    "film_seconds": job.duration or 0.0, "wall_seconds": wall, "history_events": result.history_events,
    "peak_rss_mb": own.ru_maxrss / 1024,
    "cpu_seconds": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
    "compose": job.timings["compose"].wall_seconds if "compose" in job.timings else None,
    "qc": qc,
}))
"""


CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
# One corpus script per writing system, rendered for their QC lines.
CORPUS_SAMPLE = ("en_lighthouse.fountain", "hi_kite.txt", "ta_fisher.txt", "te_festival.txt", "bn_boat.txt",
                 "es_faro.txt")


def render_one(scenes: int | str) -> dict:
    # From the repository root, where the child finds testkit.
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(scenes)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, cwd=CORPUS.parents[1])
    if proc.returncode != 0:
        raise SystemExit(f"{scenes}-scene render crashed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(sizes: tuple[int, ...] = SIZES, corpus: bool = True) -> dict:
    from filmstudio.qc import summary_line

    print("\n== long films: generated screenplays through the local pipeline, one process each")
    from filmstudio.analysis.limits import history_events

    print(f"{'scenes':>6}{'film min':>10}{'render s':>10}{'s/film min':>12}{'CPU s/film min':>15}{'peak MB':>9}"
          f"{'events':>8}{'(ASL)':>7}  status")
    rows = {}
    for n in sizes:
        t0 = time.perf_counter()
        r = render_one(n)
        minutes = r["film_seconds"] / 60 if r["film_seconds"] else float("nan")
        per_min = r["wall_seconds"] / minutes if r["film_seconds"] else float("nan")
        cpu_min = r["cpu_seconds"] / minutes if r["film_seconds"] else float("nan")
        print(f"{n:6d}{minutes:10.2f}{r['wall_seconds']:10.1f}{per_min:12.1f}{cpu_min:15.1f}{r['peak_rss_mb']:9.0f}"
              f"{r['history_events']:8d}{history_events(n, 4 * n):7d}  {r['status']}"
              + (f" ({r['error']['stage']}: {r['error']['reason'][:120]})" if r["error"] else ""))
        if r["qc"]:
            print(f"{'':6}  {summary_line(r['qc'])}")
        rows[n] = {**r, "seconds_per_film_minute": per_min, "cpu_seconds_per_film_minute": cpu_min,
                   "bench_seconds": time.perf_counter() - t0}
    peaks = [r["peak_rss_mb"] for r in rows.values()]
    print(f"peak memory {max(peaks):.0f} MB (target <= {PEAK_TARGET_MB} MB); render time per film minute "
          + ", ".join(f"{n} scenes {r['seconds_per_film_minute']:.1f} s ({r['cpu_seconds_per_film_minute']:.1f} CPU s)"
                      for n, r in rows.items())
          + f"  (1-min load average now {os.getloadavg()[0]:.1f})")
    films = {n: {k: v for k, v in r.items() if k != "qc"} for n, r in rows.items()}
    if not corpus:
        return {"films": films}
    print("corpus sample (QC of each film):")
    passed = {}
    for name in CORPUS_SAMPLE:
        r = render_one(str(CORPUS / name))
        passed[name] = r["qc"]["passed"] if r["qc"] else False
        line = summary_line(r["qc"]) if r["qc"] else f"{r['status']}: {r['error']}"
        print(f"  {name:<24} {r['film_seconds']:6.1f} s film  {line}")
    print(f"corpus sample: {sum(passed.values())}/{len(passed)} pass QC")
    return {"films": films, "corpus_qc": passed}


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--corpus"]
    run(tuple(int(a) for a in args) or SIZES, corpus="--corpus" in sys.argv or not args)
