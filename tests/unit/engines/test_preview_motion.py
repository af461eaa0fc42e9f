"""Clips: the right length, size and codec, and a camera that visibly moves the right way."""

import numpy as np
import pytest

from filmstudio.engines.base import ClipFormat
from filmstudio.engines.preview.ffmpeg import clip_facts
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
    clip = _clip(plan, tmp_path, "push_in", duration)
    # exactly the format compose joins by stream copy (what the motion task checks)
    assert ClipFormat.for_shot(plan, plan.scenes[0].shots[0]).problems(clip_facts(clip)) == []
    info = media.stream_info(clip)["video"]
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


# --- layers, faces and weather (issue 14) ------------------------------------------------

def _centroid_x(frame, colour, tol=45.0):
    mask = np.abs(frame.astype(np.float32) - np.array(colour, dtype=np.float32)).sum(axis=2) < tol
    assert mask.sum() > 20, "colour not found"
    return float(np.nonzero(mask)[1].mean())


def test_a_pan_moves_the_foreground_further_than_the_background(plan_factory, tmp_path, media):
    plan = plan_factory(width=480, height=270, fps=12, framings=["wide"])
    scene = plan.scenes[0]
    shot = scene.shots[0]
    shot.characters = ["arjun"]
    shot.subjects = ["mosque"]  # a green dome on the far bank
    clip = _clip(plan, tmp_path, "pan_right", 2.5)
    first, last = media.frame_at(clip, 0.0), media.frame_at(clip, 2.4)
    dome = (90, 150, 140)
    arjun = plan.character("arjun").palette[0]
    from filmstudio.engines.preview.storyboard import hex_rgb

    bg = _centroid_x(last, dome) - _centroid_x(first, dome)
    fg = _centroid_x(last, hex_rgb(arjun)) - _centroid_x(first, hex_rgb(arjun))
    assert bg < -4 and fg < -4  # panning right: everything slides left...
    assert abs(fg) > 1.5 * abs(bg)  # ...and the near figure twice as far as the far bank


def _mouth_changes(comp, cid, frames):
    """Change of the mouth region between consecutive frames, following the face as the camera drifts."""
    crops = []
    for n in frames:
        frame = comp.rgb(n)
        x, y, w = comp.mouths[cid]
        x, y, w = round(x), round(y), round(w)
        # below the eyes (a blink is not speech): from just above the lips to the chin
        crops.append(np.asarray(frame.crop((x - 2 * w, y - w, x + 2 * w, y + 2 * w)), dtype=np.float32))
    return [float(np.abs(a - b).mean()) for a, b in zip(crops, crops[1:])]


def test_a_speaking_mouth_moves_with_the_speech_and_rests_in_silence(plan_factory):
    from filmstudio.engines.preview.motion import PreviewMotion

    plan = plan_factory(width=480, height=270, fps=12, shots=1, framings=["close"], cameras=["static"],
                        shot_duration=5.0)
    scene = plan.scenes[0]
    shot = scene.shots[0]
    shot.characters = ["meera"]
    comp = PreviewMotion().composer(plan, scene, shot)
    (talk,) = comp.talk
    assert talk.character_id == "meera" and talk.end < shot.duration - 1.0
    speaking = range(int(talk.start * plan.fps) + 1, int(talk.end * plan.fps) - 1)
    silent = range(int(talk.end * plan.fps) + 2, comp.frames)
    moving = _mouth_changes(comp, "meera", speaking)
    still = _mouth_changes(comp, "meera", silent)
    assert np.mean(moving) > 4 * np.mean(still) + 1
    assert sum(c > 1 for c in moving) >= len(moving) // 3  # it opens and closes, not once


def test_characters_blink(plan_factory):
    from filmstudio.engines.preview import animation
    from filmstudio.engines.preview.motion import PreviewMotion

    plan = plan_factory(width=480, height=270, fps=24, shots=1, framings=["close"], cameras=["static"],
                        shot_duration=6.0)
    comp = PreviewMotion().composer(plan, plan.scenes[0], plan.scenes[0].shots[0])
    face = next(iter(comp.faces.values()))
    closed = [n for n in range(comp.frames) if animation.blink_closed(face, n / plan.fps)]
    assert closed and len(closed) < comp.frames * 0.1
    ex, ey, er = face.eyes[0]
    box = (int(ex - er) - comp.mx, int(ey - er) - comp.my, int(ex + er) + 1 - comp.mx, int(ey + er) + 1 - comp.my)
    shut = np.asarray(comp.rgb(closed[0]).crop(box), dtype=np.float32).mean()
    opened = np.asarray(comp.rgb(closed[-1] + 4).crop(box), dtype=np.float32).mean()
    assert shut > opened + 20  # an eyelid the colour of skin covers the dark eye


def test_rain_falls_and_water_moves_under_a_still_camera(plan_factory):
    from filmstudio.engines.preview.motion import PreviewMotion

    def change(**kw):
        plan = plan_factory(width=320, height=180, fps=12, shots=1, cameras=["static"], framings=["wide"], **kw)
        shot = plan.scenes[0].shots[0]
        shot.characters = []
        comp = PreviewMotion().composer(plan, plan.scenes[0], shot)
        a = np.asarray(comp.rgb(3), dtype=np.float32)
        b = np.asarray(comp.rgb(4), dtype=np.float32)
        return np.abs(a - b).mean(axis=2)

    dry_desert = change(setting="desert")
    rain = change(setting="desert", weather=["rain"])
    river = change(setting="river")
    assert (rain > 20).mean() > 10 * (dry_desert > 20).mean() + 0.002
    rows = (river > 20).any(axis=1).nonzero()[0]
    assert rows.size and rows.min() > 180 * 0.5  # what moved is the water, below the horizon


def test_the_title_card_stays_whole_through_a_push_in(plan_factory, tmp_path, media):
    plan = plan_factory(width=480, height=270, fps=12, shots=1, cameras=["push_in"], shot_duration=3.0)
    plan.title = "The Lighthouse Keeper"
    clip = _clip(plan, tmp_path, "push_in", 3.0)
    top = slice(0, int(270 * 0.32))
    early = media.frame_at(clip, 1.0).astype(np.float32)[top]
    late = media.frame_at(clip, 2.0).astype(np.float32)[top]
    bright_early = (early.min(axis=2) > 225)
    bright_late = (late.min(axis=2) > 225)
    assert bright_early.sum() > 150  # the white title letters
    # the same letters at the same place while the picture under them zooms
    assert (bright_early & bright_late).sum() > 0.8 * bright_early.sum()
