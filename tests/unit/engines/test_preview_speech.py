"""Voices: one WAV per line, its real duration, distinct voices, and no crash on an unknown language."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from filmstudio.engines.preview.audio import read_wav
from filmstudio.engines.preview.speech import PreviewSpeech
from filmstudio.models.plan import Line

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


def test_different_gender_and_age_sound_different(plan_factory, tmp_path, media):
    plan = plan_factory()
    plan.character("meera").voice.gender = "female"
    plan.character("arjun").voice.gender = "male"
    woman = media.median_f0(*read_wav(_say(plan, tmp_path, "meera")[0]))
    old_man = media.median_f0(*read_wav(_say(plan, tmp_path, "arjun")[0]))
    assert woman > 1.3 * old_man > 0
    # same gender, different age: a girl is higher than a woman
    plan.character("arjun").voice.gender = "female"
    plan.character("arjun").voice.age_group = "child"
    girl = media.median_f0(*read_wav(_say(plan, tmp_path, "arjun", name="girl")[0]))
    assert girl > 1.1 * woman


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
