"""Opt-in (--run-gpu): the studio engines on a CUDA GPU with the real weights of FILMSTUDIO_MODEL_DIR."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.gpu


@pytest.fixture
def real_models(monkeypatch, tmp_path):
    import torch

    from filmstudio.studio.modeldir import require_studio_models

    if not torch.cuda.is_available():
        pytest.fail("--run-gpu was given but no CUDA device is here")
    root = require_studio_models(os.environ.get("FILMSTUDIO_MODEL_DIR"))
    monkeypatch.setenv("FILMSTUDIO_STUDIO_CACHE", str(tmp_path / "cache"))
    return root


def test_real_key_frame_clip_and_cue_on_cuda(real_models, lighthouse_plan, tmp_path):
    from filmstudio.engines.preview.audio import read_wav
    from filmstudio.engines.registry import get_engine

    scene = lighthouse_plan.scenes[0]
    shot = scene.shots[0]
    get_engine("storyboard", "studio").render_panel(lighthouse_plan, scene, shot, tmp_path / "p.png")
    with Image.open(tmp_path / "p.png") as im:
        assert im.size == (lighthouse_plan.width, lighthouse_plan.height)
        assert np.asarray(im).std() > 5  # a picture, not a flat or NaN-black frame
    get_engine("motion", "studio").render_clip(lighthouse_plan, scene, shot, tmp_path / "p.png", tmp_path / "c.mp4")
    assert (tmp_path / "c.mp4").stat().st_size > 10_000
    get_engine("music", "studio").render_cue(lighthouse_plan, scene, tmp_path / "m.wav")
    x, rate = read_wav(tmp_path / "m.wav")
    assert rate == 48_000 and x.shape == (round(scene.duration * 48_000), 2)
