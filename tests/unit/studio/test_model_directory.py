"""The model directory: verify per model, refusals that name the model and the command, the CLI."""

from __future__ import annotations

import shutil

import pytest

from filmstudio.cli import main
from filmstudio.errors import BadInputError
from filmstudio.studio.modeldir import MODELS, require_studio_models, verify


def test_verify_says_present_missing_and_size(tiny_models, tmp_path):
    statuses = {s.spec.name: s for s in verify(tiny_models)}
    assert set(statuses) == {m.name for m in MODELS}
    assert all(statuses[n].present and statuses[n].size > 10_000 for n in ("storyboard", "ip_adapter", "motion",
                                                                           "music"))
    assert not statuses["speech"].present and not statuses["speech"].spec.required
    partial = tmp_path / "models"
    shutil.copytree(tiny_models, partial)
    shutil.rmtree(partial / "motion")
    by_name = {s.spec.name: s for s in verify(partial)}
    assert not by_name["motion"].present and by_name["music"].present


def test_a_missing_model_is_refused_naming_it_and_the_pull_command(tiny_models, tmp_path):
    partial = tmp_path / "models"
    shutil.copytree(tiny_models, partial)
    shutil.rmtree(partial / "music")
    with pytest.raises(BadInputError) as err:
        require_studio_models(partial)
    assert err.value.code == "STUDIO_MODELS_MISSING"
    assert "'music'" in err.value.message and "filmstudio models pull music" in err.value.message
    assert require_studio_models(partial, stages=("storyboard", "motion")) == partial  # the visual image's view


def test_models_verify_exit_codes(tiny_models, tmp_path, capsys):
    assert main(["models", "verify", "--dir", str(tiny_models)]) == 0
    out = capsys.readouterr().out
    assert "present" in out and "missing (optional)" in out and "MB" in out
    assert main(["models", "verify", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "filmstudio models pull storyboard ip_adapter motion music" in err[0]
    assert main(["models", "list"]) == 0
    assert "Apache-2.0" in capsys.readouterr().out


def test_models_pull_refuses_an_unknown_name(tmp_path, capsys):
    assert main(["models", "pull", "musicgen", "--dir", str(tmp_path)]) == 2
    assert "[UNKNOWN_MODEL]" in capsys.readouterr().err


def test_render_studio_without_models_stops_first_with_one_line(tmp_path, monkeypatch, capsys):
    from sample_scripts import ONE_SCENE

    script = tmp_path / "s.fountain"
    script.write_text(ONE_SCENE, encoding="utf-8")
    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(tmp_path / "nothing"))
    assert main(["render", str(script), "--tier", "studio", "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "'storyboard'" in err[0] and "filmstudio models pull storyboard" in err[0]
    assert not (tmp_path / "out").exists()


def test_intake_accepts_studio_only_where_the_models_verify(tiny_models, tmp_path, monkeypatch):
    from sample_scripts import ONE_SCENE

    from filmstudio.pipeline.intake import validate_script

    monkeypatch.delenv("FILMSTUDIO_MODEL_DIR", raising=False)
    with pytest.raises(BadInputError) as err:
        validate_script(ONE_SCENE.encode(), "s.fountain", None, "studio")
    assert err.value.code == "STUDIO_MODELS_MISSING" and "FILMSTUDIO_MODEL_DIR" in err.value.message
    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(tiny_models))
    _, plan = validate_script(ONE_SCENE.encode(), "s.fountain", None, "studio")
    assert plan.scenes


def test_a_speech_folder_without_its_description_tokenizer_is_refused_with_the_pull_command(tmp_path):
    """Indic Parler-TTS cannot read a voice description without flan-t5-large's tokenizer: a directory
    holding the one but not the other would leave the voice endpoint failing to load, so verify and
    intake name the missing folder instead."""
    from filmstudio.errors import BadInputError
    from filmstudio.studio.modeldir import require_studio_models, verify

    (tmp_path / "speech").mkdir()
    status = {s.spec.name: s for s in verify(tmp_path)}
    assert not status["speech/description_tokenizer"].needed  # no speech model: nothing to pair it with
    (tmp_path / "speech" / "config.json").write_text("{}")
    status = {s.spec.name: s for s in verify(tmp_path)}
    assert status["speech/description_tokenizer"].needed and not status["speech/description_tokenizer"].present
    with pytest.raises(BadInputError) as refused:
        require_studio_models(tmp_path, stages=("speech",))
    assert "filmstudio models pull speech/description_tokenizer" in refused.value.message
