"""The studio engines on tiny random weights: shapes, durations, seeds, and the character reference."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from filmstudio.engines.base import MotionEngine, MusicEngine, SpeechEngine, StoryboardEngine
from filmstudio.engines.preview.audio import read_wav
from filmstudio.engines.registry import get_engine


def test_studio_engines_implement_the_preview_protocols():
    assert isinstance(get_engine("storyboard", "studio"), StoryboardEngine)
    assert isinstance(get_engine("motion", "studio"), MotionEngine)
    assert isinstance(get_engine("speech", "studio"), SpeechEngine)
    assert isinstance(get_engine("music", "studio"), MusicEngine)


def test_engine_version_names_the_model_directory(studio_env, tmp_path, monkeypatch):
    engine = get_engine("storyboard", "studio")
    with_tiny = engine.version
    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(tmp_path))
    assert engine.version != with_tiny  # other weights can never reuse these artifacts


def _first_shot_with_character(plan):
    for scene in plan.scenes:
        for shot in scene.shots:
            if shot.characters:
                return scene, shot
    raise AssertionError("the example has no shot with a character")


def test_key_frame_is_the_plan_size_and_repeats_for_a_seed(studio_env, lighthouse_plan, tmp_path):
    engine = get_engine("storyboard", "studio")
    scene, shot = _first_shot_with_character(lighthouse_plan)
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    engine.render_panel(lighthouse_plan, scene, shot, a)
    engine.render_panel(lighthouse_plan, scene, shot, b)
    with Image.open(a) as im:
        assert im.size == (lighthouse_plan.width, lighthouse_plan.height)
        pixels_a = np.asarray(im.convert("RGB"))
    with Image.open(b) as im:
        assert np.array_equal(pixels_a, np.asarray(im.convert("RGB")))
    # The reference portrait was made once and cached for the next shot of that character.
    assert len(list((tmp_path / "cache" / "references").glob(f"{shot.characters[0]}-*.png"))) == 1


def test_a_different_seed_gives_a_different_key_frame(studio_env):
    engine = get_engine("storyboard", "studio")
    one = np.asarray(engine.key_frame("a lighthouse at dusk", "", 1, None))
    two = np.asarray(engine.key_frame("a lighthouse at dusk", "", 2, None))
    assert one.shape == two.shape and not np.array_equal(one, two)


def test_a_character_reference_changes_the_key_frame(studio_env, lighthouse_plan):
    engine = get_engine("storyboard", "studio")
    scene, shot = _first_shot_with_character(lighthouse_plan)
    character = lighthouse_plan.character(shot.characters[0])
    reference = engine.reference(lighthouse_plan, character, scene)
    without = np.asarray(engine.key_frame("an old keeper on the cliff", "", 7, None)).astype(int)
    with_ref = np.asarray(engine.key_frame("an old keeper on the cliff", "", 7, reference)).astype(int)
    again = np.asarray(engine.key_frame("an old keeper on the cliff", "", 7, reference)).astype(int)
    assert np.abs(with_ref - without).mean() > 1.0  # the same seed and prompt, steered by the portrait
    assert np.array_equal(with_ref, again)
    other = lighthouse_plan.characters[-1] if lighthouse_plan.characters[-1].id != character.id else None
    if other is not None:
        other_ref = engine.reference(lighthouse_plan, other, scene)
        by_other = np.asarray(engine.key_frame("an old keeper on the cliff", "", 7, other_ref)).astype(int)
        assert not np.array_equal(by_other, with_ref)


def test_motion_clip_is_the_shot_duration_at_plan_fps(studio_env, lighthouse_plan, tmp_path):
    import av

    scene, shot = _first_shot_with_character(lighthouse_plan)
    panel = tmp_path / "panel.png"
    Image.new("RGB", (lighthouse_plan.width, lighthouse_plan.height), (90, 120, 160)).save(panel)
    out = tmp_path / "clip.mp4"
    get_engine("motion", "studio").render_clip(lighthouse_plan, scene, shot, panel, out)
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        frames = sum(1 for _ in c.decode(v))
        assert (v.width, v.height) == (lighthouse_plan.width, lighthouse_plan.height)
        assert v.codec_context.name == "h264"
        assert not c.streams.audio
    assert frames == round(shot.duration * lighthouse_plan.fps)


def test_motion_frames_repeat_for_a_seed(studio_env, lighthouse_plan):
    engine = get_engine("motion", "studio")
    scene, shot = _first_shot_with_character(lighthouse_plan)
    panel = Image.new("RGB", (64, 32), (200, 80, 40))
    a = engine.frames(lighthouse_plan, scene, shot, panel, seed=3)
    b = engine.frames(lighthouse_plan, scene, shot, panel, seed=3)
    c = engine.frames(lighthouse_plan, scene, shot, panel, seed=4)
    assert a.shape == (9, 32, 64, 3)  # the tiny model's 8k+1 frames at its resolution
    np.testing.assert_allclose(a, b, atol=1e-5)
    assert not np.allclose(a, c)


def test_music_cue_is_exactly_the_scene_48k_stereo_and_seeded(studio_env, lighthouse_plan, tmp_path):
    engine = get_engine("music", "studio")
    scene = lighthouse_plan.scenes[0]
    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    engine.render_cue(lighthouse_plan, scene, a)
    engine.render_cue(lighthouse_plan, scene, b)
    x, rate = read_wav(a)
    y, _ = read_wav(b)
    assert rate == 48_000 and x.ndim == 2 and x.shape[1] == 2
    assert x.shape[0] == round(scene.duration * 48_000)
    assert np.array_equal(x, y)
    assert float(np.sqrt(np.mean(x**2))) > 0.01  # audible, not silence


def test_music_prompt_follows_mood_and_culture(lighthouse_plan):
    from filmstudio.studio.prompts import music_prompt

    scene = lighthouse_plan.scenes[0].model_copy(deep=True)
    scene.cultural_context.region = "south_india"
    assert "veena" in music_prompt(scene) and scene.mood.label in music_prompt(scene)


def test_speech_without_parler_falls_back_to_espeak_and_says_why(studio_env, lighthouse_plan, tmp_path):
    engine = get_engine("speech", "studio")
    line = lighthouse_plan.lines()[0]
    reason = engine.fallback_reason(line)
    assert reason and reason.startswith("eSpeak NG")
    seconds = engine.synthesize(lighthouse_plan, line, tmp_path / "line.wav")
    x, rate = read_wav(tmp_path / "line.wav")
    assert seconds == pytest.approx(len(x) / rate, abs=0.01) and seconds > 0.3
    untouched = line.model_copy(update={"language": "fr"})
    assert "does not speak 'fr'" in engine.fallback_reason(untouched)


def test_voice_description_is_one_per_character(lighthouse_plan):
    from filmstudio.studio.prompts import voice_description

    c = lighthouse_plan.characters[0]
    assert voice_description(c) == voice_description(c.model_copy())
    assert "speaker" in voice_description(c)


def test_concurrent_shots_of_one_character_make_its_portrait_once(studio_env, lighthouse_plan, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from filmstudio.studio.engines import StudioStoryboard

    engine = StudioStoryboard(reference_cache=tmp_path / "own")
    made = []
    original = engine.key_frame

    def counting(prompt, *args, **kwargs):
        made.append(prompt)
        return original(prompt, *args, **kwargs)

    engine.key_frame = counting
    character = lighthouse_plan.characters[0]
    with ThreadPoolExecutor(4) as pool:
        portraits = list(pool.map(lambda _: engine.reference(lighthouse_plan, character), range(4)))
    assert len(made) == 1
    assert all(np.array_equal(np.asarray(p), np.asarray(portraits[0])) for p in portraits)
    assert len(list((tmp_path / "own" / "references").iterdir())) == 1  # no temporary files left
