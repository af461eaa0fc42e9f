"""The CLI as a user meets it: exit codes, one readable line for bad input, nothing left behind."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from filmstudio.cli import main
from filmstudio.script_input import MAX_SCRIPT_BYTES
from probe import kinds, probe

BAD_INPUTS = {
    "empty.txt": (b"", "EMPTY_SCRIPT"),
    "blank.txt": (b"  \n\t\n   \n", "EMPTY_SCRIPT"),
    "random.txt": (bytes((i * 197 + 13) % 256 for i in range(4096)), "NOT_TEXT"),
    "archive.txt": (b"PK\x03\x04\x14\x00\x00\x00" + b"x" * 200, "NOT_TEXT"),
    "picture.fountain": (b"\x89PNG\r\n\x1a\n" + bytes(200), "NOT_TEXT"),
    "huge.txt": (b"INT. ROOM - DAY\n\n" + b"Words. " * (MAX_SCRIPT_BYTES // 7 + 10), "SCRIPT_TOO_LARGE"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line_and_writes_nothing(name, tmp_path, capsys):
    data, code = BAD_INPUTS[name]
    script = tmp_path / name
    script.write_bytes(data)
    out = tmp_path / "out"
    assert main(["render", str(script), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and code in err[0] and err[0].startswith("filmstudio: error:")
    assert not out.exists()


def test_too_many_scenes_is_refused(tmp_path, capsys):
    scenes = "".join(f"INT. ROOM {i} - DAY\n\nA lamp.\n\n" for i in range(2000))
    script = tmp_path / "long.fountain"
    script.write_text(scenes)
    assert main(["render", str(script), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "TOO_MANY_SCENES" in err or "SCRIPT_TOO_LARGE" in err
    assert not (tmp_path / "out").exists()


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["render", str(tmp_path / "nope.txt"), "--quiet"]) == 2
    assert "no such script file" in capsys.readouterr().err


def test_control_characters_never_reach_the_terminal(tmp_path):
    script = tmp_path / "ctrl.txt"
    script.write_bytes(b"\x1b]0;pwned\x07\x1b[2J")
    proc = subprocess.run([sys.executable, "-m", "filmstudio", "analyze", str(script)], capture_output=True)
    assert proc.returncode == 2
    assert b"\x1b" not in proc.stderr + proc.stdout


def test_analyze_prints_a_table_and_json(tmp_path, short_screenplay, capsys):
    script = tmp_path / "two_cups.fountain"
    script.write_bytes(short_screenplay)
    assert main(["analyze", str(script)]) == 0
    table = capsys.readouterr().out
    assert "ASHA" in table and "VIKRAM" in table
    assert main(["analyze", str(script), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert len(plan["scenes"]) == 2


@pytest.mark.slow
@pytest.mark.xdist_group("render")
def test_render_writes_every_promised_file(tmp_path, short_screenplay):
    script = tmp_path / "two_cups.fountain"
    script.write_bytes(short_screenplay)
    out = tmp_path / "film"
    # From another directory: the handlers must come from the installed project, not the cwd.
    proc = subprocess.run([sys.executable, "-m", "filmstudio", "render", str(script), "--out", str(out)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("film.mp4", "film.srt", "film.vtt", "contact_sheet.png", "thumbnail.jpg", "plan.json", "job.json"):
        assert (out / name).is_file(), name
    assert list((out / "storyboard").glob("*.png"))
    assert kinds(probe(out / "film.mp4")) >= {"video", "audio", "subtitle"}
    named = [line.split()[2] for line in proc.stderr.splitlines() if line.startswith("[")]
    stages = [n for n in named if n not in ("queued", "running")]  # status lines before the first stage
    assert len(stages) == len(set(stages)), named  # each stage named once
    assert stages[:2] == ["analyze", "plan"] and stages[-2:] == ["compose", "publish"], named
    assert set(stages[2:-2]) == {"storyboard", "motion", "speech", "music"}, named
    assert not proc.stdout.count("{")  # no metric or log JSON on the user's terminal
