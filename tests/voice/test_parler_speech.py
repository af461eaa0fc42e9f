"""StudioSpeech on Indic Parler-TTS (tiny random weights), under the pins the voice image ships."""

from __future__ import annotations

import numpy as np
import pytest

from filmstudio.engines.preview.audio import SAMPLE_RATE, read_wav
from filmstudio.studio import tiny_speech
from filmstudio.studio.prompts import voice_description

SHORTEST = tiny_speech.MIN_FRAMES / tiny_speech.FRAME_RATE
LONGEST = tiny_speech.MAX_FRAMES / tiny_speech.FRAME_RATE


def line_of(plan, line_id: str):
    return next(line for line in plan.lines() if line.id == line_id)


def speak(engine, plan, line, path, seed=None, rate=SAMPLE_RATE):
    """The line's samples, checked to be at the rate given and as long as synthesize says."""
    seconds = engine.synthesize(plan, line, path, seed=seed)
    samples, written = read_wav(path)
    assert written == rate and seconds == pytest.approx(len(samples) / rate, abs=1e-3)
    return samples


def test_this_environment_holds_exactly_the_pins_the_voice_image_ships():
    from importlib.metadata import version
    from importlib.util import find_spec
    from pathlib import Path

    import dac
    import torch

    folder = Path(__file__).resolve().parents[2] / "gpu_containers" / "voice"
    pins = {}
    for name in ("requirements.txt", "requirements-no-deps.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if "==" in line and not line.lstrip().startswith("#"):
                package, pinned = line.split("#")[0].strip().split("==")
                pins[package.split("[")[0]] = pinned
    assert {"parler-tts", "transformers", "tokenizers", "sentencepiece", "protobuf"} <= set(pins)
    assert {package: version(package) for package in pins} == pins
    assert torch.__version__ == "2.13.0+cpu"  # installed first, by exact version, as the image's base has it
    assert version("filmstudio-dac-nn") == "1.0.0" and dac.DAC.__module__ == "dac.model.dac"
    # Nothing of descript-audiotools' stack came in with parler-tts.
    assert find_spec("audiotools") is None and find_spec("torchaudio") is None


def test_a_hindi_line_is_spoken_by_parler_not_espeak(engine, plan, heard, tmp_path):
    line = line_of(plan, "s1-l1")
    assert line.language == "hi" and engine.fallback_reason(line) is None
    samples = speak(engine, plan, line, tmp_path / "line.wav", seed=7)
    assert heard == [(voice_description(plan.character("meera")), line.text)]
    # The tiny model's codes (20 to 30 frames of the 44.1 kHz codec), resampled to the film's rate.
    assert SHORTEST - 0.02 <= len(samples) / SAMPLE_RATE <= LONGEST + 0.02
    assert float(np.sqrt(np.mean(samples ** 2))) > 1e-4


def test_the_take_follows_the_seed_and_the_characters_description(engine, plan, tmp_path):
    line = line_of(plan, "s1-l1")
    first = speak(engine, plan, line, tmp_path / "a.wav", seed=7)
    again = speak(engine, plan, line, tmp_path / "b.wav", seed=7)
    other_seed = speak(engine, plan, line, tmp_path / "c.wav", seed=8)
    as_arjun = speak(engine, plan, line.model_copy(update={"character_id": "arjun"}), tmp_path / "d.wav", seed=7)
    assert np.array_equal(first, again)
    assert len(first) != len(other_seed) or not np.array_equal(first, other_seed)
    assert len(first) != len(as_arjun) or not np.array_equal(first, as_arjun)


def test_every_line_of_a_character_gets_that_characters_description(engine, plan, heard, tmp_path):
    for line_id in ("s1-l1", "s1-l2", "s2-l1"):
        speak(engine, plan, line_of(plan, line_id), tmp_path / f"{line_id}.wav")
    meera, arjun, meera_again = (description for description, _ in heard)
    assert meera == meera_again == voice_description(plan.character("meera"))
    assert arjun == voice_description(plan.character("arjun")) != meera
    assert [text for _, text in heard] == [line_of(plan, i).text for i in ("s1-l1", "s1-l2", "s2-l1")]


def test_a_language_parler_does_not_speak_falls_back_to_espeak_and_says_why(engine, plan, heard, tmp_path):
    line = line_of(plan, "s3-l1")
    assert line.language == "fr"
    assert engine.fallback_reason(line) == "eSpeak NG: Indic Parler-TTS does not speak 'fr'"
    samples = speak(engine, plan, line, tmp_path / "fr.wav", rate=22050)  # eSpeak NG's own rate
    assert heard == [] and len(samples) / 22050 > LONGEST  # eSpeak NG says the whole line
