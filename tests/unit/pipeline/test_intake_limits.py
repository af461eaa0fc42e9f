"""Intake refuses, before anything is written, what the deployed functions could not render, and
checks encoding, size and the language code without asking for an analysis (no lingua needed)."""

from __future__ import annotations

import pytest

from filmstudio.analysis import limits
from filmstudio.errors import BadInputError
from filmstudio.pipeline import analysis_cache, intake

WORDS = ("the lamp at the end of the pier flickers while the tide comes in slowly and the gulls "
         "circle over the harbour").split()


def _screenplay(scenes: int, lines_per_scene: int, words_per_line: int = 20) -> str:
    out = []
    for s in range(scenes):
        out.append(f"INT. ROOM {s + 1} - NIGHT\n\nA clock ticks.\n")
        for k in range(lines_per_scene):
            line = " ".join(WORDS[(k + i) % len(WORDS)] for i in range(words_per_line))
            out.append(f"{'ASHA' if k % 2 else 'VIKRAM'}\n{line.capitalize()}.\n")
    return "\n".join(out)


def _refusal(text: str) -> BadInputError:
    with pytest.raises(BadInputError) as err:
        intake.validate_script(text.encode(), "film.fountain", "en", "preview")
    return err.value


def test_a_scene_longer_than_one_motion_invocation_admits_is_refused():
    err = _refusal(_screenplay(scenes=1, lines_per_scene=60))
    assert err.code == "SCENE_TOO_LONG" and err.http_status == 422
    assert err.details["max_scene_seconds"] == limits.MAX_SCENE_SECONDS
    assert list(err.details["scenes"]) == ["s1"]


def test_a_film_longer_than_compose_admits_is_refused():
    err = _refusal(_screenplay(scenes=14, lines_per_scene=30))
    assert err.code == "FILM_TOO_LONG"
    assert err.details["seconds"] > limits.MAX_FILM_SECONDS == err.details["max_seconds"]


@pytest.mark.parametrize(("data", "language", "code"), [
    ("INT. A - DAY\n\nRain.\n".encode("utf-16"), None, None),  # decodes (BOM): passes the cheap checks
    (b"\x00\x01\x02\x03" * 64, None, "NOT_TEXT"),
    (("a" * (limits.MAX_SCRIPT_CHARS + 1)).encode(), None, "SCRIPT_TOO_LARGE"),
    (b"INT. A - DAY\n\nRain.\n", "xx", "UNSUPPORTED_LANGUAGE"),
])
def test_cheap_checks_refuse_before_any_analysis_is_asked_for(monkeypatch, data, language, code):
    asked = []
    monkeypatch.setattr(analysis_cache, "plan_for_intake", lambda text, lang: asked.append(text) or _stop())
    with pytest.raises(BadInputError) as err:
        intake.validate_script(data, "film.fountain", language, "preview")
    if code is None:
        assert err.value.code == "ASKED" and len(asked) == 1
    else:
        assert err.value.code == code and not asked


def _stop():
    raise BadInputError("the analysis was asked for", code="ASKED")
