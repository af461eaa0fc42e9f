"""Music cues: exact length, 48 kHz stereo, mood and culture audible, deterministic."""

import numpy as np
import pytest

from filmstudio.engines.preview.audio import read_wav
from filmstudio.engines.preview.music import PreviewMusic, raga_for
from filmstudio.models.plan import Mood

MU = PreviewMusic()


def _cue(plan, tmp_path, name="cue.wav", scene_index=0):
    out = tmp_path / name
    MU.render_cue(plan, plan.scenes[scene_index], out)
    return read_wav(out)


@pytest.mark.parametrize("duration", [1.0, 3.37, 7.5])
def test_cue_is_exactly_the_scene_long_48k_stereo(plan_factory, tmp_path, duration):
    plan = plan_factory(shots=1, shot_duration=duration)
    x, rate = _cue(plan, tmp_path)
    assert rate == 48000 and x.shape == (round(duration * 48000), 2)
    assert np.sqrt(np.mean(x**2)) > 0.02


def test_film_opens_and_closes_with_a_fade(plan_factory, tmp_path):
    x, rate = _cue(plan_factory(shots=3, shot_duration=3.0), tmp_path)
    def rms(a):
        return float(np.sqrt(np.mean(a**2)))
    middle = rms(x[len(x) // 2 - rate // 4 : len(x) // 2 + rate // 4])
    assert rms(x[: rate // 10]) < 0.3 * middle
    assert rms(x[-rate // 10 :]) < 0.3 * middle


def _spectrum_flux(x, rate):
    mono = x.mean(axis=1)
    n = 4096
    frames = np.array([np.abs(np.fft.rfft(mono[i : i + n] * np.hanning(n))) for i in range(0, len(mono) - n, n)])
    return frames


def test_an_indian_context_changes_the_score(plan_factory, tmp_path):
    """Same mood, same scene: the drone-and-raga score must not sound like the pad score."""
    mood = Mood(label="calm", valence=0.2, energy=-0.2)
    indian = _spectrum_flux(*_cue(plan_factory(region="south_india", mood=mood, shots=3, shot_duration=3.0), tmp_path, "in.wav"))
    other = _spectrum_flux(*_cue(plan_factory(region="latin_america", mood=mood, shots=3, shot_duration=3.0), tmp_path, "out.wav"))
    a, b = indian.mean(axis=0)[:600], other.mean(axis=0)[:600]  # up to ~7 kHz
    assert np.corrcoef(a, b)[0, 1] < 0.7


def test_mood_chooses_the_raga():
    from filmstudio.models.plan import Scene

    assert raga_for(Scene(id="a", index=0, mood=Mood(label="grief", valence=-0.8))) == "bhairavi"
    assert raga_for(Scene(id="b", index=0, mood=Mood(label="festive", valence=0.8, energy=0.6))) == "bilawal"
    assert raga_for(Scene(id="c", index=0, mood=Mood(label="", valence=-0.6, energy=0.7))) == "todi"


def test_energetic_scenes_are_faster_and_busier(plan_factory, tmp_path):
    calm, _ = _cue(plan_factory(mood=Mood(valence=0.3, energy=-0.8), shots=2, shot_duration=3.0), tmp_path, "calm.wav")
    busy, _ = _cue(plan_factory(mood=Mood(valence=0.3, energy=0.9), shots=2, shot_duration=3.0), tmp_path, "busy.wav")
    def onsets(x):
        env = np.abs(x.mean(axis=1))
        blocks = env[: len(env) // 480 * 480].reshape(-1, 480).max(axis=1)
        return int((np.diff(blocks) > 0.02).sum())
    assert onsets(busy) > 1.5 * onsets(calm)


def test_same_scene_same_bytes(plan_factory, tmp_path):
    plan = plan_factory(region="north_india")
    a = tmp_path / "a.wav"
    b = tmp_path / "b.wav"
    MU.render_cue(plan, plan.scenes[0], a)
    MU.render_cue(plan, plan.scenes[0], b)
    assert a.read_bytes() == b.read_bytes()
