"""Done means (issue 9): a fifth media stage added through the table alone renders through the local cloud."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("render")]


def test_a_fifth_stage_from_one_table_row_renders_with_its_spans_state_and_artifacts(tmp_path):
    # A fresh interpreter: the row is in the table before anything derives from it.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, str(HERE / "fifth_stage.py"), str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = json.loads(proc.stdout.strip().splitlines()[-1])

    assert found["status"] == "SUCCEEDED", found["error"]
    assert found["film"] > 1000
    assert "still" in found["functions"]
    # Its task state ran once per scene, after motion's, inside the Scenes map.
    entered = found["entered"]
    assert entered.count("Still") == 1  # ONE_SCENE: one scene
    assert entered.index("Still") > entered.index("Motion")
    # Its span: one task, a still per shot, each a JPEG in the bucket.
    still = found["timings"]["still"]
    assert still["tasks"] == 1 and still["rendered"] == len(found["shots"]) >= 1
    assert set(found["stills"]) == set(found["shots"])
    assert all(magic == "ffd8ff" for magic in found["stills"].values()), found["stills"]
    assert set(found["timings"]) >= {"analyze", "plan", "storyboard", "motion", "speech", "music", "compose", "publish"}
