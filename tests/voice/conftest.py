"""The voice family's tests, in its own environment: `make voice-env` builds .cache/envs/voice from
gpu_containers/voice/requirements*.txt (torch 2.13.0's CPU wheel first, parler-tts 0.2.3,
transformers 4.46.1, the vendored DAC network), and `make test` runs this folder with its python.
The project's own run ignores this folder (pyproject's addopts): transformers 5 cannot import parler_tts.

One tiny random-weight Indic Parler-TTS per session, written by the `tiny_speech` command into a
temporary model directory and loaded through the real code (StudioSpeech._load, the voice
container's model_fn).
"""

from __future__ import annotations

from importlib.util import find_spec

import pytest

if find_spec("parler_tts") is None:
    raise pytest.UsageError("tests/voice run in the voice family's environment: "
                            "make voice-env && .cache/envs/voice/bin/python -m pytest tests/voice")


@pytest.fixture(scope="session")
def voice_models(tmp_path_factory):
    from filmstudio.studio.tiny_speech import main

    root = tmp_path_factory.mktemp("voice-models")
    assert main([str(root)]) == 0
    return root


@pytest.fixture
def voice_env(voice_models, monkeypatch):
    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(voice_models))
    monkeypatch.setenv("FILMSTUDIO_STUDIO_DEVICE", "cpu")
    return voice_models


@pytest.fixture(scope="session")
def plan():
    """Two Hindi scenes (Meera speaks in both, Arjun in the first) and one French scene, which
    Indic Parler-TTS does not speak."""
    from testkit.plans import SceneSpec, build_plan

    return build_plan([SceneSpec(language="hi"), SceneSpec(language="hi"), SceneSpec(language="fr")],
                      language="hi")


@pytest.fixture
def engine(voice_env):
    from filmstudio.engines.registry import get_engine

    return get_engine("speech", "studio")


@pytest.fixture
def heard(engine, monkeypatch):
    """What the model was given on each generate call: (description, text), decoded back from the ids."""
    model, tokenizer, description_tokenizer, _ = engine._load()
    calls: list[tuple[str, str]] = []
    real = model.generate

    def generate(**kwargs):
        calls.append((description_tokenizer.decode(kwargs["input_ids"][0], skip_special_tokens=True),
                      tokenizer.decode(kwargs["prompt_input_ids"][0], skip_special_tokens=True)))
        return real(**kwargs)

    monkeypatch.setattr(model, "generate", generate)
    return calls
