"""Bad input and limits: typed errors with machine-readable codes."""

from __future__ import annotations

import pytest

from filmstudio.analysis import MAX_SCENES, MAX_SCRIPT_CHARS, analyze
from filmstudio.analysis.generate import screenplay
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
