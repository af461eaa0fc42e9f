"""Bad input and limits: typed errors with machine-readable codes."""

from __future__ import annotations

import pytest

from filmstudio.analysis import MAX_SCENES, MAX_SCRIPT_CHARS, analyze
from testkit.generate import screenplay
from filmstudio.errors import BadInputError


def test_script_too_large():
    with pytest.raises(BadInputError) as err:
        analyze("a" * (MAX_SCRIPT_CHARS + 1))
    assert err.value.code == "SCRIPT_TOO_LARGE" and err.value.http_status == 413
    assert err.value.details["max_characters"] == MAX_SCRIPT_CHARS


def test_just_under_the_size_limit_is_fine():
    text = screenplay(3)
    analyze(text + " " * (MAX_SCRIPT_CHARS - len(text)))


def test_too_many_scenes():
    with pytest.raises(BadInputError) as err:
        analyze(screenplay(MAX_SCENES + 1))
    assert err.value.code == "TOO_MANY_SCENES" and err.value.http_status == 422
    assert len(analyze(screenplay(MAX_SCENES)).scenes) == MAX_SCENES


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t\n  ", "/* all of it cut */", "[[ just a note ]]\n\n", "Title: Nothing\nAuthor: Nobody\n"],
)
def test_empty_script(text):
    with pytest.raises(BadInputError) as err:
        analyze(text)
    assert err.value.code == "EMPTY_SCRIPT" and 400 <= err.value.http_status < 500


# --- limits that keep the largest admitted script renderable ---------------------------

def test_the_largest_script_the_limits_admit_fits_step_functions_history():
    from filmstudio.analysis import limits

    # The ASL's own count: 42 events, 14 a scene (storyboard and motion), 8 a line (speech).
    assert limits.history_events(0, 0) == 42
    assert limits.history_events(1, 0) - 42 == 14 and limits.history_events(0, 1) - 42 == 8
    assert limits.history_events(200, 3200) == 28_442  # what the old limits admitted: over the quota
    at_limit = limits.history_events(limits.MAX_SCENES, limits.MAX_LINES)
    assert at_limit <= limits.HISTORY_EVENT_BUDGET * limits.HISTORY_EVENT_QUOTA < limits.HISTORY_EVENT_QUOTA


def test_too_many_lines_is_refused_naming_the_limit():
    from filmstudio.analysis.limits import MAX_LINES

    scene = "INT. ROOM - DAY\n\nAnna waits.\n\n" + "".join(f"ANNA\nHi {j}.\n\nTOM\nYes.\n\n" for j in range(7))
    with pytest.raises(BadInputError) as err:
        analyze(scene * (MAX_LINES // 14 + 1))
    assert err.value.code == "TOO_MANY_LINES" and err.value.http_status == 422
    assert err.value.details["max_lines"] == MAX_LINES and str(MAX_LINES) in err.value.message


def test_a_film_longer_than_the_limit_is_refused_at_plan_time():
    from filmstudio.analysis.limits import MAX_FILM_MINUTES
    from filmstudio.planning import make_plan

    with pytest.raises(BadInputError) as err:
        make_plan(analyze(screenplay(MAX_SCENES)))
    assert err.value.code == "FILM_TOO_LONG" and err.value.http_status == 422
    assert f"{MAX_FILM_MINUTES} minutes" in err.value.message
    assert make_plan(analyze(screenplay(60))).duration <= MAX_FILM_MINUTES * 60


ARABIC_SCRIPT = ("INT. المنزل - ليل\n\nتجلس ليلى قرب النافذة وتنتظر.\n\nليلى\nأين كنت طوال الليل؟\n\n"
                 "عمر\nكنت أبحث عن القارب في الميناء.\n\n")


def test_a_script_in_a_writing_system_we_cannot_draw_is_refused_naming_it(tmp_path, capsys):
    from filmstudio.cli import main
    from filmstudio.pipeline.intake import validate_script

    with pytest.raises(BadInputError) as err:
        validate_script(ARABIC_SCRIPT.encode(), "layla.fountain", None, "preview")
    assert err.value.code == "UNSUPPORTED_LANGUAGE" and err.value.http_status == 422
    assert err.value.details["writing_system"] == "Arabic" and "Arabic" in err.value.message

    script = tmp_path / "layla.fountain"
    script.write_text(ARABIC_SCRIPT, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(script), "--out", str(out), "--quiet"]) == 2
    line = capsys.readouterr().err.strip().splitlines()
    assert len(line) == 1 and "UNSUPPORTED_LANGUAGE" in line[0] and "Arabic" in line[0]
    assert not out.exists()


def test_dialogue_in_an_undrawable_script_is_refused_but_a_few_letters_in_the_action_are_not():
    from filmstudio.analysis.limits import check_writing_systems

    english = "INT. KITCHEN - DAY\n\nAnna reads a letter. " * 20
    check_writing_systems(english + "The sign says 北京.", ["Where were you?"])
    with pytest.raises(BadInputError) as err:
        check_writing_systems(english + "\n\nANNA\n你好\n", ["Where were you?", "你好"])
    assert err.value.details["writing_system"] == "Han"
