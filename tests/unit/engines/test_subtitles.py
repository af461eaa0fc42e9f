"""Subtitles by the Netflix Timed Text Style Guide: the cue builder, and every corpus script's SRT and VTT."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmstudio.engines.preview import subtitles as S
from filmstudio.engines.preview.text import grapheme_len, graphemes, strip_bidi

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SCRIPTS = sorted(p for p in [*CORPUS.glob("*.txt"), *CORPUS.glob("*.fountain"), *(CORPUS / "heldout").glob("*.*")]
                 if p.suffix in (".txt", ".fountain"))


# --- graphemes and bidi ---------------------------------------------------------------

@pytest.mark.parametrize("text, count", [
    ("क्षत्रिय", 3),  # conjuncts are one letter each: क्ष, त्रि, य
    ("नमस्ते", 3),
    ("স্ত্রী", 1),  # a three-consonant Bengali conjunct with its vowel sign
    ("రాత్రంతా", 3),
    ("படகைத்", 4),  # Tamil: a consonant with pulli is its own letter
    ("க்ஷ", 1),  # ... except in the ligature KSSA
    ("e\u0301", 1),
    ("👍🏽", 1),
])
def test_graphemes_count_what_a_reader_sees(text, count):
    assert len(graphemes(text)) == count
    assert "".join(graphemes(text)) == text


def test_bidirectional_controls_are_stripped():
    evil = "\u202eabc\u202c \u2066x\u2069\u200e\u200f\u061cy"
    assert strip_bidi(evil) == "abc xy"
    assert S.layout(evil, "en") == [("abc xy",)]


# --- layout ------------------------------------------------------------------------------

def test_short_lines_stay_on_one_line_and_long_ones_break_at_natural_points():
    assert S.layout("Where were you all night?", "en") == [("Where were you all night?",)]
    (cue,) = S.layout("I waited for you by the harbour, but the boat never came back.", "en")
    assert cue == ("I waited for you by the harbour,", "but the boat never came back.")
    (cue,) = S.layout("She lifted the lantern above her head and looked out at the sea.", "en")
    assert not cue[0].endswith((" the", " a")), cue


def test_a_line_never_ends_on_an_article():
    text = "We walked for hours along a the narrow road until we found an old house"
    for cue in S.layout(text * 3, "en"):
        for line in cue[:-1]:
            assert not S.ends_on_article(line, "en"), cue


def test_a_ten_thousand_character_line_becomes_many_cues_that_each_keep_the_rules():
    text = ("The storm came in from the west and the boats ran for the harbour, " * 150)[:10_000]
    speech = 600.0
    cues = S.build_cues([S.Spoken(0.5, speech, text, "en")], 0.5 + S.line_span(text, "en", speech, 24) + 1, 24)
    assert len(cues) > 100
    assert S.check(cues, 24, "en") == []
    # Timed against the speech: the cue holding the middle of the text is shown mid-speech.
    shown = "".join(" ".join(c.lines) + " " for c in cues)
    assert shown.split() == text.split()
    mid = next(c for c in cues if c.start >= 0.5 + speech / 2 - 10)
    assert abs(mid.start - (0.5 + speech / 2)) < 10


def test_an_unspaced_run_longer_than_a_line_is_cut_at_grapheme_boundaries():
    text = "क्ष" * 100
    cues = S.layout(text, "hi")
    assert all(grapheme_len(ln) <= S.MAX_LINE for c in cues for ln in c)
    assert "".join("".join(c) for c in cues) == text


def test_fast_speech_holds_cues_for_reading_and_the_line_span_makes_room():
    text = "I told you the lighthouse lamp must burn all night, every night, whatever the weather."
    span = S.line_span(text, "en", 1.5, 24)
    assert span >= (len(text) - 1) / 20  # the timeline gives the line this long (the line break is no character)
    cues = S.build_cues([S.Spoken(0.0, 1.5, text, "en"), S.Spoken(span + 0.25, 0.3, "Yes.", "en")], 60, 24)
    assert S.check(cues, 24, "en") == []
    assert cues[-1].end - cues[-1].start >= S.MIN_DURATION


def test_spanish_reads_at_17_characters_a_second():
    text = "No sé dónde está la barca, pero mañana la buscaremos juntos."
    assert S.line_span(text, "es", 1.0, 24, S.reading_speed("es")) >= (grapheme_len(text) - 1) / 17 > 3.4
    assert S.reading_speed("en") == 20


def test_the_check_catches_each_rule():
    fps = 24
    bad = [
        S.Cue(0.0, 0.5, ("Too short.",)),  # min_duration
        S.Cue(0.52, 8.0, ("x" * 43,)),  # gap before it; line_length; max_duration
        S.Cue(8.2, 9.0, ("one", "two", "three")),  # line_count
        S.Cue(9.5, 10.5, ("We saw the", "boat come in from the sea at last, slowly")),  # line_break; reading_speed
        S.Cue(11.0, 12.0, ("\u202eabc",)),  # bidi
    ]
    rules = {(v.cue, v.rule) for v in S.check(bad, fps, "en")}
    assert {(1, "min_duration"), (1, "gap"), (2, "line_length"), (2, "max_duration"), (3, "line_count"),
            (4, "line_break"), (4, "reading_speed"), (5, "bidi")} <= rules


def test_srt_and_vtt_round_trip_with_escapes(tmp_path):
    cues = [S.Cue(1.0, 2.5, ("Fish & chips <now>",)), S.Cue(3.0, 4.0, ("a", "b"))]
    S.write_srt(cues, tmp_path / "a.srt")
    S.write_vtt(cues, tmp_path / "a.vtt")
    assert "&amp;" in (tmp_path / "a.vtt").read_text() and "&lt;now&gt;" in (tmp_path / "a.vtt").read_text()
    assert S.read(tmp_path / "a.srt") == cues == S.read(tmp_path / "a.vtt")


# --- the corpus: the SRT and VTT every corpus script's film would carry ------------------

def _corpus_plans():
    from filmstudio.analysis import analyze
    from filmstudio.planning import make_plan
    from filmstudio.script_input import decode_script

    for path in SCRIPTS:
        yield path, make_plan(analyze(decode_script(path.read_bytes(), path.name)))


@pytest.fixture(scope="module")
def corpus_plans():
    return list(_corpus_plans())


@pytest.mark.parametrize("pace", [1.0, 0.5], ids=["planned-pace", "twice-as-fast"])
def test_every_corpus_script_subtitles_keep_every_rule(corpus_plans, tmp_path, pace):
    """The compose timeline and cue builder on each corpus plan, with speech of the planned
    length and of half of it (fast voices are the hard case for reading speed); the files are
    written and read back, and measured."""
    from filmstudio.engines.base import ComposeInputs
    from filmstudio.engines.preview.compose import build_timeline, subtitle_cues

    assert len(corpus_plans) >= 70
    report = {}
    cue_count = 0
    for path, plan in corpus_plans:
        speech = {ln.id: (tmp_path / f"{ln.id}.wav", max(0.3, ln.est_duration * pace)) for ln in plan.lines()}
        timeline = build_timeline(plan, ComposeInputs(clips={}, panels={}, speech=speech, music={}))
        film_end = sum(ts.total for ts in timeline) / plan.fps
        cues = subtitle_cues(plan, timeline, film_end)
        assert cues or not plan.lines(), path.name
        S.write_srt(cues, tmp_path / "film.srt")
        S.write_vtt(cues, tmp_path / "film.vtt")
        for kind in ("srt", "vtt"):
            written = S.read(tmp_path / f"film.{kind}")
            assert len(written) == len(cues)
            problems = S.check(written, plan.fps, plan.language.language)
            if problems:
                report[f"{path.name} ({kind})"] = problems[:3]
        # Every word spoken is subtitled, in order.
        assert " ".join(" ".join(c.lines) for c in cues).split() == \
            " ".join(S.clean(ln.text) for ln in plan.lines() if S.clean(ln.text)).split(), path.name
        cue_count += len(cues)
    assert cue_count > 400
    assert report == {}


def test_the_writing_systems_intake_admits_are_the_ones_the_fonts_draw():
    from filmstudio.analysis.limits import DRAWABLE_WRITING_SYSTEMS
    from filmstudio.analysis.language.writing_systems import _RANGES
    from filmstudio.engines.preview import fonts

    covered = set()
    for lo, hi, name in _RANGES:
        letters = [c for c in range(lo, hi + 1) if chr(c).isalpha()]
        best = max(sum(c in fonts.cmap(fonts.family_path(f)) for c in letters) / len(letters)
                   for f in fonts.installed_families())
        if best >= 0.85:
            covered.add(name)
    assert DRAWABLE_WRITING_SYSTEMS <= covered
    assert "Arabic" not in covered and "Han" not in covered


def test_drawn_text_never_keeps_bidi_controls():
    from filmstudio.engines.preview import fonts
    from filmstudio.engines.preview.text import BIDI_CONTROLS

    drawn = "".join(r.text for r in fonts.runs("The \u202egreat\u202c \u2067storm\u2069 has passed\u200f."))
    assert drawn == "The great storm has passed." and not set(drawn) & BIDI_CONTROLS
