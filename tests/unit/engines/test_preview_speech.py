"""Voices: one WAV per line, its real duration, distinct voices, and no crash on an unknown language."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from filmstudio.analysis import analyze
from filmstudio.engines.preview.audio import read_wav
from filmstudio.engines.preview.speech import PreviewSpeech
from filmstudio.models.plan import Line
from filmstudio.planning import make_plan
from filmstudio.planning.bible import with_bible

SP = PreviewSpeech()


def _say(plan, tmp_path, character_id, text="Good morning, where is the station?", language="en", name=None):
    line = Line(id=name or character_id, scene_id="s1", character_id=character_id, text=text, language=language)
    out = tmp_path / f"{line.id}.wav"
    return out, SP.synthesize(plan, line, out)


@pytest.mark.parametrize("language", ["en", "hi", "ta", "te", "bn", "es"])
def test_each_line_becomes_a_wav_whose_duration_is_returned(plan_factory, tmp_path, language):
    plan = plan_factory(language=language)
    line = plan.scenes[0].lines[0]
    out = tmp_path / "line.wav"
    duration = SP.synthesize(plan, line, out)
    x, rate = read_wav(out)
    assert x.ndim == 1 and rate > 0
    assert duration == pytest.approx(len(x) / rate, abs=1e-6)
    assert 0.4 < duration < 8
    assert abs(x).max() > 0.05


def _person(plan, cid, gender, age_group):
    c = plan.character(cid)
    c.gender, c.age_group = gender, age_group
    c.voice = with_bible(c).voice  # the bible decides the voice from gender and age
    return c


def test_different_gender_and_age_sound_different(plan_factory, tmp_path, media):
    plan = plan_factory()
    _person(plan, "meera", "female", "adult")
    _person(plan, "arjun", "male", "elder")
    woman = media.median_f0(*read_wav(_say(plan, tmp_path, "meera")[0]))
    old_man = media.median_f0(*read_wav(_say(plan, tmp_path, "arjun")[0]))
    assert woman > 1.3 * old_man > 0
    # same gender, different age: a girl is higher than a woman
    _person(plan, "arjun", "female", "child")
    girl = media.median_f0(*read_wav(_say(plan, tmp_path, "arjun", name="girl")[0]))
    assert girl > 1.1 * woman


def _f0s(plan, tmp_path, media, ids):
    return {cid: media.median_f0(*read_wav(_say(plan, tmp_path, cid, name=f"f0-{cid}")[0])) for cid in ids}


def test_a_boy_speaks_above_his_father(tmp_path, media):
    """The 12-year-old of the analysis is a child's voice, not a man's below his father's."""
    script = ("INT. HOUSE - DAY\n\nRAVI (40s) reads the paper. His son SAMEER (12) runs in.\n\n"
              "SAMEER\nDad, the radio says a storm is coming!\n\nRAVI\nThen we close the shutters early.\n")
    plan = make_plan(analyze(script))
    assert plan.character("sameer").age_group == "child" and plan.character("ravi").gender == "male"
    f0 = _f0s(plan, tmp_path, media, ["sameer", "ravi"])
    assert f0["sameer"] > 1.6 * f0["ravi"] > 0


def test_siblings_of_different_gender_get_different_voices(tmp_path, media):
    script = ("INT. KITCHEN - DAY\n\nANNA and her brother TOM argue over the last biscuit.\n\n"
              "ANNA\nIt's mine, I saw it first.\n\nTOM\nYou had three already.\n")
    plan = make_plan(analyze(script))
    anna, tom = plan.character("anna"), plan.character("tom")
    assert (anna.gender, tom.gender) == ("female", "male")
    assert (anna.voice.variant, anna.voice.pitch) != (tom.voice.variant, tom.voice.pitch)
    f0 = _f0s(plan, tmp_path, media, ["anna", "tom"])
    assert f0["anna"] > 1.4 * f0["tom"] > 0


def test_an_unknown_gender_gets_a_neutral_voice(plan_factory, tmp_path, media):
    """Neither a woman's voice nor a man's: between them, as the figure is drawn neither."""
    plan = plan_factory()
    _person(plan, "meera", "female", "adult")
    _person(plan, "arjun", "male", "adult")
    plan.characters.append(_person_like(plan, "brick"))
    brick = plan.character("brick")
    assert brick.gender is None and brick.voice.gender is None
    f0 = _f0s(plan, tmp_path, media, ["meera", "arjun", "brick"])
    assert 1.2 * f0["arjun"] < f0["brick"] < 0.85 * f0["meera"]


def _person_like(plan, cid):
    c = plan.character("meera").model_copy(deep=True)
    c.id, c.name, c.gender, c.age_group = cid, cid.title(), None, "adult"
    c.voice = with_bible(c).voice
    return c


def test_a_language_espeak_cannot_speak_falls_back_with_a_warning(plan_factory, tmp_path, caplog):
    plan = plan_factory()
    with caplog.at_level(logging.WARNING):
        out, duration = _say(plan, tmp_path, "meera", text="tlhIngan Hol", language="tlh")
    assert duration > 0.2 and out.exists()
    assert any("tlh" in r.getMessage() for r in caplog.records)


def test_prose_narration_without_a_character_uses_the_narrator(plan_factory, tmp_path):
    _, duration = _say(plan_factory(), tmp_path, "nobody-in-the-bible", text="Once upon a time.")
    assert duration > 0.3


def test_concurrent_synthesis_keeps_each_line_intact(plan_factory, tmp_path, media):
    """Shots render on several threads; eSpeak is not reentrant. No line may be cut, mixed or lost."""
    import numpy as np

    plan = plan_factory(language="hi", shots=4)
    lines = plan.scenes[0].lines
    seq = {ln.id: SP.synthesize(plan, ln, tmp_path / f"seq-{ln.id}.wav") for ln in lines}
    with ThreadPoolExecutor(4) as ex:
        par = dict(zip([ln.id for ln in lines], ex.map(lambda ln: SP.synthesize(plan, ln, tmp_path / f"par-{ln.id}.wav"), lines)))

    def envelope(path):
        x, rate = read_wav(path)
        hop = rate // 100
        return np.sqrt((x[: len(x) // hop * hop].reshape(-1, hop) ** 2).mean(axis=1))

    for ln in lines:
        assert par[ln.id] == pytest.approx(seq[ln.id], abs=0.02)
        a, b = envelope(tmp_path / f"seq-{ln.id}.wav"), envelope(tmp_path / f"par-{ln.id}.wav")
        n = min(len(a), len(b))
        assert np.corrcoef(a[:n], b[:n])[0, 1] > 0.9
