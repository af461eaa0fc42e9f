"""`filmstudio render --tier studio` end to end on a tiny random-weight model directory.

The pictures and the music are noise (random weights); everything else is the real
studio tier: the model directory written by `python -m filmstudio.studio.tiny`, the
studio engines loaded from it, the local cloud, the state machine, compose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from probe import kinds, probe

pytest.importorskip("diffusers")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("studio")]

REPO = Path(__file__).resolve().parents[2]


def test_studio_render_of_the_example_has_every_stream_at_the_planned_length(tmp_path):
    models = tmp_path / "models"
    env = {**os.environ, "FILMSTUDIO_STUDIO_CACHE": str(tmp_path / "cache")}
    made = subprocess.run([sys.executable, "-m", "filmstudio.studio.tiny", str(models)], capture_output=True,
                          text=True, timeout=600, env=env)
    assert made.returncode == 0, made.stderr
    out = tmp_path / "film"
    proc = subprocess.run([sys.executable, "-m", "filmstudio", "render",
                           str(REPO / "examples" / "the_lighthouse_keeper.fountain"), "--tier", "studio",
                           "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=900, cwd=tmp_path,
                          env={**env, "FILMSTUDIO_MODEL_DIR": str(models)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    job = json.loads((out / "job.json").read_text(encoding="utf-8"))
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert job["status"] == "SUCCEEDED" and job["tier"] == "studio"
    info = probe(out / "film.mp4")
    assert kinds(info) >= {"video", "audio", "subtitle"}
    # The planned length, as the preview tier keeps it: compose holds a shot whose measured
    # speech runs past the plan's estimate, so the film may be a few frames longer.
    assert info["duration"] == pytest.approx(plan["duration"], abs=0.5)
    for stream in info["streams"]:
        if stream.kind in ("video", "audio") and stream.duration is not None:
            assert stream.duration == pytest.approx(job["duration"], abs=0.1), stream
    shots = [shot for scene in plan["scenes"] for shot in scene["shots"]]
    assert len(list((out / "storyboard").glob("*.png"))) == len(shots)
    # No Parler-TTS in this directory: every language's lines say they were spoken by eSpeak NG.
    languages = {line["language"] for scene in plan["scenes"] for line in scene["lines"]}
    assert {k.split(":")[1] for k in job["notes"]} == languages
    assert all(v.startswith("eSpeak NG") for v in job["notes"].values())
