"""The storyboard and motion options: FLUX.2 [klein] 4B (every character of the shot as a reference image)
and Wan 2.1 VACE 1.3B (the key frame as the clip's first frame), selected by the model directory's
studio.json, on tiny random weights loaded through the real loaders."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from filmstudio.engines.registry import get_engine
from filmstudio.errors import BadInputError
from filmstudio.studio.modeldir import SETTINGS_FILE, require_studio_models, verify


def _shot_with_cast(plan, at_least: int):
    for scene in plan.scenes:
        for shot in scene.shots:
            if len(shot.characters) >= at_least:
                return scene, shot
    raise AssertionError(f"the example has no shot with {at_least} characters")


def _pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def test_the_directory_selects_the_option_and_must_hold_its_folders(tiny_models, alt_models, tmp_path):
    default = {s.spec.name: s for s in verify(tiny_models)}
    assert default["storyboard"].needed and not default["flux2_klein"].needed
    assert "present (unused)" in default["flux2_klein"].line
    chosen = {s.spec.name: s for s in verify(alt_models)}
    assert chosen["flux2_klein"].needed and chosen["wan_vace"].needed
    assert not chosen["storyboard"].needed and not chosen["ip_adapter"].needed and not chosen["motion"].needed

    # Selecting FLUX.2 needs its folder, and no longer SDXL's.
    partial = tmp_path / "models"
    shutil.copytree(alt_models, partial, ignore=shutil.ignore_patterns("flux2_klein", "storyboard", "ip_adapter"))
    with pytest.raises(BadInputError) as err:
        require_studio_models(partial)
    assert err.value.code == "STUDIO_MODELS_MISSING"
    assert "'flux2_klein'" in err.value.message and "filmstudio models pull flux2_klein" in err.value.message
    assert require_studio_models(partial, stages=("motion", "music")) == partial

    (partial / SETTINGS_FILE).write_text(json.dumps({"storyboard": {"model": "flux2-dev"}}), encoding="utf-8")
    with pytest.raises(BadInputError) as err:
        require_studio_models(partial)
    assert err.value.code == "UNKNOWN_MODEL_OPTION" and "flux2-klein" in err.value.message
    (partial / SETTINGS_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(BadInputError) as err:
        require_studio_models(partial)
    assert err.value.code == "STUDIO_SETTINGS_INVALID"


def test_models_verify_names_the_selection_and_what_it_lacks(alt_models, tmp_path, capsys):
    from filmstudio.cli import main

    assert main(["models", "verify", "--dir", str(alt_models)]) == 0
    out = capsys.readouterr().out
    assert "storyboard model: flux2-klein" in out and "motion model: wan-vace" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / SETTINGS_FILE).write_text(json.dumps({"motion": {"model": "wan-vace"}}), encoding="utf-8")
    assert main(["models", "verify", "--dir", str(empty)]) == 2
    assert "filmstudio models pull storyboard ip_adapter wan_vace music" in capsys.readouterr().err


def test_flux_key_frame_is_the_plan_size_repeats_and_is_steered_by_the_cast(alt_env, lighthouse_plan, tmp_path):
    engine = get_engine("storyboard", "studio")
    assert engine.name == "studio-storyboard-flux2-klein" and engine.folders == ("flux2_klein",)
    scene, shot = _shot_with_cast(lighthouse_plan, 2)
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    engine.render_panel(lighthouse_plan, scene, shot, a)
    engine.render_panel(lighthouse_plan, scene, shot, b)
    assert _pixels(a).shape == (lighthouse_plan.height, lighthouse_plan.width, 3)
    assert np.array_equal(_pixels(a), _pixels(b))
    # Multi-reference: a portrait made once for every character in the shot, and all of them used.
    cached = list((tmp_path / "cache" / "references").glob("*.png"))
    assert sorted(p.name.split("-")[0] for p in cached) == sorted(shot.characters[:2])
    first, second = (lighthouse_plan.character(c) for c in shot.characters[:2])
    one = engine.reference(lighthouse_plan, first, scene)
    two = engine.reference(lighthouse_plan, second, scene)
    prompt = "an old keeper on the cliff"
    plain = np.asarray(engine.key_frame(prompt, "", 7, None)).astype(int)
    with_one = np.asarray(engine.key_frame(prompt, "", 7, one)).astype(int)
    with_both = np.asarray(engine.key_frame(prompt, "", 7, [one, two])).astype(int)
    assert np.abs(with_one - plain).mean() > 0.05  # the same seed and prompt, steered by the portrait
    assert not np.array_equal(with_both, with_one)  # the second character's portrait reaches it too
    assert np.array_equal(with_one, np.asarray(engine.key_frame(prompt, "", 7, one)).astype(int))


def test_wan_clip_is_the_shot_duration_at_plan_fps_from_the_key_frame(alt_env, lighthouse_plan, tmp_path):
    import av

    engine = get_engine("motion", "studio")
    assert engine.name == "studio-motion-wan-vace"
    scene, shot = _shot_with_cast(lighthouse_plan, 1)
    panel = Image.fromarray(np.random.default_rng(0).integers(0, 255, (32, 64, 3), dtype=np.uint8))
    frames = engine.frames(lighthouse_plan, scene, shot, panel, seed=3)
    assert frames.shape == (9, 32, 64, 3)  # the tiny settings' 4k+1 frames at their resolution
    assert np.array_equal(frames, engine.frames(lighthouse_plan, scene, shot, panel, seed=3))
    assert not np.allclose(frames, engine.frames(lighthouse_plan, scene, shot, panel, seed=4))
    # The key frame conditions the clip (weakly on random weights: the tiny VAE squashes pictures together).
    other = Image.fromarray(np.random.default_rng(1).integers(0, 255, (32, 64, 3), dtype=np.uint8))
    assert np.abs(frames - engine.frames(lighthouse_plan, scene, shot, other, seed=3)).mean() > 1e-5

    path, out = tmp_path / "panel.png", tmp_path / "clip.mp4"
    panel.save(path)
    shot = shot.model_copy(update={"duration": 1.25})  # a short shot: the x264 encode is most of the time
    engine.render_clip(lighthouse_plan, scene, shot, path, out)
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        count = sum(1 for _ in c.decode(v))
        assert (v.width, v.height) == (lighthouse_plan.width, lighthouse_plan.height)
        assert v.codec_context.name == "h264" and not c.streams.audio
    assert count == round(shot.duration * lighthouse_plan.fps)


def test_the_visual_container_answers_with_the_selected_models(alt_env, lighthouse_plan, monkeypatch):
    from moto_bucket import moto_bucket

    from filmstudio.studio.handler import input_fn, model_fn, predict_fn

    model = model_fn(alt_env, "visual")
    assert sorted(model.model_ids) == ["flux2_klein", "wan_vace"]
    scene, shot = _shot_with_cast(lighthouse_plan, 2)
    with moto_bucket(monkeypatch, "alt-bucket") as s3:
        s3.put_object(Bucket="alt-bucket", Key="plan.json", Body=lighthouse_plan.model_dump_json().encode())
        common = {"engine_version": "test", "job_id": "j1", "bucket": "alt-bucket", "scene_id": scene.id,
                  "shot_id": shot.id}
        key_frame = predict_fn(input_fn(json.dumps({**common, "stage": "storyboard", "inputs": {"plan": "plan.json"},
                                                    "output_key": "out/panel.png"}).encode(), "application/json"),
                               model)
        clip = predict_fn(input_fn(json.dumps({**common, "stage": "motion", "output_key": "out/clip.mp4",
                                               "inputs": {"plan": "plan.json", "panel": "out/panel.png"},
                                               "parameters": {"duration": 1.0}}).encode(), "application/json"),
                          model)
    assert key_frame.engine.startswith("studio-storyboard-flux2-klein@")
    assert clip.engine.startswith("studio-motion-wan-vace@") and clip.duration == pytest.approx(1.0, abs=0.05)
    assert key_frame.model_ids["flux2_klein"].startswith("flux2_klein@")
    versions = {stage: get_engine(stage, "studio").version for stage in ("storyboard", "motion")}
    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(alt_env.parent / "elsewhere"))
    assert all(get_engine(s, "studio").version != v for s, v in versions.items())  # never the SDXL/LTX cache


def test_a_plain_pull_fetches_only_what_the_selection_uses(alt_models, tiny_models):
    from filmstudio.studio.modeldir import pull_targets

    speech = ["speech", "speech/description_tokenizer"]  # Parler-TTS and its description tokenizer
    assert [s.name for s in pull_targets(None, tiny_models)] == ["storyboard", "ip_adapter", "motion", "music",
                                                                 *speech]
    assert [s.name for s in pull_targets(None, alt_models)] == ["flux2_klein", "wan_vace", "music", *speech]
    assert [s.name for s in pull_targets(["wan_vace"], tiny_models)] == ["wan_vace"]
    with pytest.raises(BadInputError) as err:
        pull_targets(["flux2_klein_9b"], tiny_models)
    assert err.value.code == "UNKNOWN_MODEL"


def test_push_leaves_out_the_options_the_directory_does_not_select(alt_models, tiny_models):
    from filmstudio.studio.models_push import plan_push

    def folders(root):
        pairs, skipped, unused = plan_push(root)
        return {key.split("/")[1] for _, key in pairs}, skipped, sorted(unused)

    pushed, skipped, unused = folders(alt_models)
    assert pushed == {"flux2_klein", "wan_vace", "music", "studio.json"} and skipped == []
    assert unused == ["ip_adapter", "motion", "storyboard"]
    pushed, _, unused = folders(tiny_models)
    assert pushed == {"storyboard", "ip_adapter", "motion", "music", "studio.json"}
    assert unused == ["flux2_klein", "wan_vace"]
