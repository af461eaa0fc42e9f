"""Billing follows what renders: the estimate comes from the plan's durations, the charge from the
film's, and a line's planned duration is the time its speech will take.

For every script in the corpus the film's length is measured as compose measures it: each line
spoken by the preview voice, then the plan's timeline stretched wherever speech runs past its
shot (compose's own `build_timeline`). The estimate reserved at intake must cover at least 0.9
of what that film costs, or a script could be written to render far more than it pays for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SCRIPTS = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".fountain"))


def _plan(text: str):
    from filmstudio.analysis import analyze
    from filmstudio.planning import make_plan

    return make_plan(analyze(text))


def rendered_seconds(plan, tmp: Path) -> float:
    from filmstudio.engines.base import ComposeInputs
    from filmstudio.engines.preview.compose import build_timeline
    from filmstudio.engines.registry import get_engine

    voice = get_engine("speech", "preview")
    speech = {}
    for line in plan.lines():
        path = tmp / f"{line.id}.wav"
        speech[line.id] = (path, voice.synthesize(plan, line, path))
    timeline = build_timeline(plan, ComposeInputs(clips={}, panels={}, speech=speech, music={}))
    return sum(ts.total for ts in timeline) / plan.fps


def test_the_corpus_is_all_here():
    assert len(SCRIPTS) >= 70


def test_on_every_corpus_script_the_estimate_covers_what_the_film_costs(tmp_path):
    from filmstudio.pipeline.accounting import cost, estimate
    from filmstudio.script_input import decode_script

    short = []
    for path in SCRIPTS:
        plan = _plan(decode_script(path.read_bytes(), path.name))
        seconds = rendered_seconds(plan, tmp_path)
        planned, charged = estimate(plan, "preview"), cost(seconds, "preview")
        if planned < 0.9 * charged:
            short.append(f"{path.name}: estimate {planned}, the {seconds:.1f} s film costs {charged}")
    assert not short, short


def test_a_long_line_is_planned_for_as_long_as_it_is_spoken(tmp_path):
    """Numbers and long words take time to say; the plan gives them that time."""
    script = "INT. OFFICE - DAY\n\nRAVI\nThe code is 4815162342 and the word is Supercalifragilisticexpialidocious.\n"
    plan = _plan(script)
    (line,) = plan.lines()
    from filmstudio.engines.registry import get_engine

    spoken = get_engine("speech", "preview").synthesize(plan, line, tmp_path / "l.wav")
    assert line.est_duration >= 0.9 * spoken


@pytest.mark.parametrize("line", ["a" * 10_000, "Ha" * 400, "9" * 400])
def test_a_line_too_long_to_speak_in_one_breath_is_refused_with_its_own_code(line):
    from filmstudio.errors import BadInputError

    with pytest.raises(BadInputError) as err:
        _plan(f"INT. ROOM - NIGHT\n\nASHA\n{line}\n")
    assert err.value.code == "LINE_TOO_LONG" and err.value.http_status == 422
    assert err.value.details["seconds"] > err.value.details["max_seconds"]
