"""Clips: the right length, size and codec, and a camera that visibly moves the right way."""

import numpy as np
import pytest

from filmstudio.engines.preview.motion import PreviewMotion
from filmstudio.engines.preview.storyboard import PreviewStoryboard


def _clip(plan, tmp_path, camera, duration=1.5):
    scene = plan.scenes[0]
    shot = scene.shots[0]
    shot.camera = camera
    shot.duration = duration
    panel = tmp_path / "panel.png"
    PreviewStoryboard().render_panel(plan, scene, shot, panel)
    out = tmp_path / f"{camera}.mp4"
    PreviewMotion().render_clip(plan, scene, shot, panel, out)
    return out


def _gray(frame):
    return frame.astype(np.float32).mean(axis=2)


def _shift(a, b):
    """(dy, dx) that moves a onto b, by phase correlation."""
    fa, fb = np.fft.fft2(a - a.mean()), np.fft.fft2(b - b.mean())
    r = fb * np.conj(fa)
    corr = np.fft.ifft2(r / (np.abs(r) + 1e-9)).real
    dy, dx = np.unravel_index(np.argmax(corr), corr.shape)
    h, w = a.shape
    return (dy - h if dy > h // 2 else dy), (dx - w if dx > w // 2 else dx)


@pytest.mark.parametrize("duration,fps", [(1.5, 12), (1.37, 24), (0.5, 25)])
def test_clip_is_h264_yuv420p_with_exactly_the_shots_frames(plan_factory, tmp_path, media, duration, fps):
    plan = plan_factory(fps=fps)
    info = media.stream_info(_clip(plan, tmp_path, "push_in", duration))["video"]
    assert info["codec"] == "h264" and info["pix_fmt"] == "yuv420p"
    assert (info["width"], info["height"]) == (plan.width, plan.height)
    assert info["fps"] == fps
    assert info["frames"] == round(duration * fps)
    assert "audio" not in media.stream_info(_clip(plan, tmp_path, "static", duration))


@pytest.mark.parametrize("camera,axis,sign", [("pan_right", 1, -1), ("pan_left", 1, 1), ("tilt_up", 0, 1), ("tilt_down", 0, -1)])
def test_pans_and_tilts_move_the_picture_the_right_way(plan_factory, tmp_path, media, camera, axis, sign):
    plan = plan_factory(width=320, height=180, fps=12)
    clip = _clip(plan, tmp_path, camera, 2.0)
    first, last = _gray(media.frame_at(clip, 0.0)), _gray(media.frame_at(clip, 1.9))
    moved = _shift(first, last)[axis]
    # panning right slides the scenery left across the screen, tilting up slides it down
    assert moved * sign >= 3, moved


def test_push_in_enlarges_the_picture_and_static_barely_moves(plan_factory, tmp_path, media):
    plan = plan_factory(width=320, height=180, fps=12, framings=["wide"])
    push = _clip(plan, tmp_path, "push_in", 2.0)
    still = _clip(plan, tmp_path, "static", 2.0)
    def change(c):
        return np.abs(_gray(media.frame_at(c, 0.0)) - _gray(media.frame_at(c, 1.9))).mean()
    assert change(push) > 2 * change(still)
    # a bright, saturated character colour covers more of the last frame than the first
    colour = np.array([0xC0, 0x39, 0x2B], dtype=np.float32)
    def share(frame):
        return (np.abs(frame.astype(np.float32) - colour).sum(axis=2) < 60).mean()
    assert share(media.frame_at(push, 1.9)) > 1.15 * share(media.frame_at(push, 0.0))
