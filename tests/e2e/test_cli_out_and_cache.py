"""`filmstudio render`: an --out that cannot be a folder is refused before any work, and the
content-addressed artifacts live in the data directory, so a later render (another process,
another local cloud) reuses what did not change."""

from __future__ import annotations

import json

import pytest

from sample_scripts import ONE_SCENE


@pytest.mark.parametrize("where", ["out", "out/film"])
def test_out_naming_an_existing_file_exits_2_in_one_line_before_any_work(tmp_path, capsys, where):
    from filmstudio.cli import main

    script = tmp_path / "s.fountain"
    script.write_text(ONE_SCENE, encoding="utf-8")
    (tmp_path / "out").write_bytes(b"my thesis, not a folder")
    data = tmp_path / "data"
    assert main(["render", str(script), "--out", str(tmp_path / where), "--data", str(data), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "OUT_NOT_A_FOLDER" in err[0] and "existing file" in err[0]
    assert (tmp_path / "out").read_bytes() == b"my thesis, not a folder"
    assert not data.exists()  # refused before a local cloud (or its store) was made


TWO_SCENES = ONE_SCENE + """
EXT. BALCONY - NIGHT

Stars over the city. They sit side by side.

ASHA
Next time, call me.
"""


@pytest.mark.slow
def test_a_second_render_reuses_the_first_ones_artifacts_from_the_data_directory(tmp_path, capsys):
    from filmstudio.cli import main

    data = tmp_path / "data"

    def render(text: str, name: str) -> dict:
        script = tmp_path / f"{name}.fountain"
        script.write_text(text, encoding="utf-8")
        out = tmp_path / name
        assert main(["render", str(script), "--out", str(out), "--data", str(data), "--quiet"]) == 0, \
            capsys.readouterr().err
        return json.loads((out / "job.json").read_text(encoding="utf-8"))["timings"]

    def total(timings, what):
        # Analyze and Plan always reuse what intake analysed and stored for this job (one analysis per
        # job), so they say nothing about the data directory: count the work the render itself does.
        return sum(t[what] for stage, t in timings.items() if stage not in ("analyze", "plan"))

    first = render(TWO_SCENES, "first")
    assert total(first, "reused") == 0
    # The same script again, in a new local cloud: every artifact comes from the data directory.
    again = render(TWO_SCENES, "again")
    assert total(again, "rendered") == 0 and total(again, "reused") == total(first, "rendered")
    # One line of the second scene edited: that line's speech and what depends on it re-render;
    # the other lines and the first scene's panels come from the data directory.
    edited = render(TWO_SCENES.replace("Next time, call me.", "Next time, take a taxi."), "edited")
    assert edited["speech"]["rendered"] == 1 and edited["speech"]["reused"] == first["speech"]["rendered"] - 1
    assert 0 < edited["storyboard"]["reused"] < first["storyboard"]["rendered"] + 1
    assert edited["compose"]["rendered"] == 1
    assert total(edited, "rendered") < total(first, "rendered")
