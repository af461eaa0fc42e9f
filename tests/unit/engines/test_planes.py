"""Frames composed as yuv420p planes are the frames RGBA compositing would give, converted as ffmpeg converts."""

import subprocess

import numpy as np
import pytest
from PIL import Image

from filmstudio.engines.preview import ffmpeg
from filmstudio.engines.preview.planes import Frame, Painter, Planes, Sprite, yuv_of

W, H = 160, 96


def _background() -> Image.Image:
    """Flat colour blocks: every chroma sample inside a block has one right answer."""
    rng = np.random.default_rng(7)
    blocks = rng.integers(0, 256, (H // 16, W // 16, 3)).astype(np.uint8)
    return Image.fromarray(np.kron(blocks, np.ones((16, 16, 1), np.uint8)), "RGB")


def _sprite() -> Image.Image:
    """Opaque red with a hard edge on odd columns and rows, a half-transparent green, and an opaque
    ground below transparent rows (what a sprite's rectangles copy instead of blending)."""
    a = np.zeros((61, 75, 4), np.uint8)
    a[3:30, 5:40] = (220, 30, 40, 255)
    a[11:26, 45:70] = (30, 200, 60, 128)
    a[41:, :] = (120, 90, 60, 255)
    return Image.fromarray(a, "RGBA")


def _planes_array(p: Planes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return tuple(np.asarray(im, dtype=np.int16) for im in (p.y, p.u, p.v))  # type: ignore[return-value]


def test_the_conversion_is_ffmpegs_bt709_limited_range():
    img = _background()
    raw = subprocess.run(
        [ffmpeg.ffmpeg_exe(), "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}", "-i", "-",
         "-vf", ffmpeg.TO_YUV, "-f", "rawvideo", "-"], input=img.tobytes(), capture_output=True, check=True).stdout
    y = np.frombuffer(raw[: W * H], np.uint8).reshape(H, W).astype(np.int16)
    u = np.frombuffer(raw[W * H: W * H * 5 // 4], np.uint8).reshape(H // 2, W // 2).astype(np.int16)
    v = np.frombuffer(raw[W * H * 5 // 4:], np.uint8).reshape(H // 2, W // 2).astype(np.int16)
    ours_y, ours_u, ours_v = _planes_array(Planes.of(img))
    assert np.abs(ours_y - y).max() <= 1
    inner = (slice(2, None, 8), slice(2, None, 8))  # away from block edges, where resampling filters differ
    assert np.abs(ours_u[inner] - u[inner]).max() <= 1
    assert np.abs(ours_v[inner] - v[inner]).max() <= 1


@pytest.mark.parametrize("x,y", [(20, 10), (21, 10), (20, 11), (21, 11), (-3, -5)])
def test_a_sprite_pasted_at_any_offset_equals_compositing_first(x, y):
    bg, fg = _background(), _sprite()
    want = bg.convert("RGBA")
    want.alpha_composite(fg, (max(0, x), max(0, y)), (max(0, -x), max(0, -y)))
    frame = Frame(W, H)
    frame.paste(Planes.of(bg), (0, 0))
    frame.paste(Sprite(fg), (x, y))
    got, ref = _planes_array(frame), _planes_array(Planes.of(want))
    assert np.abs(got[0] - ref[0]).max() <= 1
    # chroma too, edges included: a sprite's colour a pixel off its luma would miss here by tens
    assert np.abs(got[1] - ref[1]).max() <= 2 and np.abs(got[2] - ref[2]).max() <= 2


def test_transparent_pixels_lend_no_colour_to_an_edge():
    # fully transparent white next to opaque red: the edge's chroma is red's, not pink
    a = np.zeros((8, 8, 4), np.uint8)
    a[:, :] = (255, 255, 255, 0)
    a[:, 3:] = (220, 30, 40, 255)
    p = Planes.of(Image.fromarray(a, "RGBA"))
    _, u, v = _planes_array(p)
    red = yuv_of((220, 30, 40))
    assert abs(int(u[0, 1]) - red[1]) <= 1 and abs(int(v[0, 1]) - red[2]) <= 1
    assert 100 < np.asarray(p.a2)[0, 1] < 160  # half the block is covered


def test_painted_shapes_take_the_colour_on_every_plane():
    frame = Frame(W, H)
    Painter(frame).ellipse((40, 20, 80, 60), fill=(30, 200, 60))
    y, u, v = _planes_array(frame)
    assert (y[40, 60], u[20, 30], v[20, 30]) == yuv_of((30, 200, 60))
    assert y[5, 5] == 0  # outside it, untouched


@pytest.mark.parametrize("box", [(-20.6, 30, -1.6, 50), (30, -12.2, 50, -1.6), (-9.5, -9.5, -1.5, -1.5)])
def test_a_shape_off_the_frame_leaves_no_colour_on_its_edge(box):
    # an eye just past the top or left edge: nothing of it is in the frame, not even its colour
    frame = Frame(W, H)
    Painter(frame).ellipse(box, fill=(220, 30, 40))
    assert not np.asarray(frame.y).any()
    assert not np.asarray(frame.u).any() and not np.asarray(frame.v).any()


def _static_shot(plan_factory, **kw):
    from filmstudio.engines.preview.motion import PreviewMotion

    characters = kw.pop("characters", None)
    plan = plan_factory(shots=1, cameras=["static"], **kw)
    scene, shot = plan.scenes[0], plan.scenes[0].shots[0]
    if characters is not None:
        shot.characters = characters
    return PreviewMotion().composer(plan, scene, shot), PreviewMotion().composer(plan, scene, shot)


@pytest.mark.parametrize("kw", [
    dict(width=480, height=270, fps=24, framings=["close"], shot_duration=6.0, characters=["meera"]),  # talks, blinks
    dict(width=642, height=362, fps=24, framings=["medium"], shot_duration=3.0),  # sides not multiples of 4
    dict(width=320, height=180, fps=12, framings=["wide"], setting="river", shot_duration=3.0),  # glints on water
    dict(width=480, height=270, fps=24, framings=["medium"], interior=True, weather=["rain", "lightning"],
         shot_duration=4.0),
])
def test_a_held_shot_repaints_only_what_moved_and_leaves_no_trace(plan_factory, kw):
    """Frames built by repainting the boxes that changed are the frames a full repaint gives, on all planes."""
    incremental, whole = _static_shot(plan_factory, **kw)
    for n in range(incremental.frames):
        a = bytes(incremental.frame_bytes(n))
        whole.dirty = None  # repaint everything from the still
        assert a == bytes(whole.frame_bytes(n)), f"frame {n} differs from a full repaint"


def test_a_frame_is_one_yuv420p_buffer_in_plane_order():
    frame = Frame(W, H)
    frame.paste(Planes.of(Image.new("RGB", (W, H), (30, 200, 60))), (0, 0))
    data = bytes(frame.bytes())
    assert len(data) == W * H * 3 // 2
    yv, uv, vv = yuv_of((30, 200, 60))
    assert set(data[: W * H]) == {yv} and set(data[W * H: W * H * 5 // 4]) == {uv} and set(data[W * H * 5 // 4:]) == {vv}
    with pytest.raises(ValueError):
        Frame(W + 1, H)


def _paste_whole(frame: Frame, sprite: Sprite, xy: tuple[int, int]) -> None:
    """The sprite blended whole through its masks, as before it was cut into rectangles."""
    x, y = xy
    p = sprite._converted.planes((x % 2, y % 2))
    frame.y.paste(p.y, (x, y), p.a)
    frame.u.paste(p.u, (x // 2, y // 2), p.a2)
    frame.v.paste(p.v, (x // 2, y // 2), p.a2)


def _wide_sprite() -> Image.Image:
    """A layer as the set draws them: wide transparent sky with a few soft shapes, an opaque block,
    a hard edge on odd rows and columns, and an opaque ground to the bottom."""
    a = np.zeros((150, 1400, 4), np.uint8)
    a[20:45, 13:901] = (220, 30, 40, 255)
    a[50:71, 7:295] = (30, 200, 60, 128)
    a[50:71, 1030:1033] = (30, 60, 200, 255)  # too narrow to repay a paste of its own
    a[90:, :] = (120, 90, 60, 255)
    a[89, ::3] = (10, 10, 10, 90)  # a soft horizon
    return Image.fromarray(a, "RGBA")


@pytest.mark.parametrize("x,y", [(-40, 7), (-41, 8), (-40, -3), (-41, -5), (3, 2)])
def test_a_sprite_cut_into_rectangles_pastes_exactly_as_the_whole_sprite_blended(x, y):
    sprite = _wide_sprite()
    bg = _background().resize((1280, 140))
    cut, whole = Frame(1280, 140), Frame(1280, 140)
    for f in (cut, whole):
        f.paste(Planes.of(bg), (0, 0))
    cut.paste(Sprite(sprite), (x, y))
    _paste_whole(whole, Sprite(sprite), (x, y))
    assert bytes(cut.bytes()) == bytes(whole.bytes())
    pieces = Sprite(sprite).pieces(x, y)
    blended = sum(p.size[0] * p.size[1] for p, _, _ in pieces if p.a is not None)
    assert blended < 0.6 * sprite.width * sprite.height  # most of it is skipped or copied, not blended


def test_what_an_opaque_ground_hides_is_not_pasted_and_the_frame_is_unchanged():
    ground, sky = Sprite(_wide_sprite()), Sprite(_background().resize((1400, 150)))
    at = (-10, -4)
    row = ground.covers_from(*at, 1280, 140)
    assert row is not None and 84 <= row <= 90  # the ground's first opaque row, on the frame
    assert ground.covers_from(5, -4, 1280, 140) is None  # leaves a strip on the left uncovered
    culled, full = Frame(1280, 140), Frame(1280, 140)
    culled.paste(sky, (-6, -2), row)
    full.paste(sky, (-6, -2))
    for f in (culled, full):
        f.paste(ground, at)
    assert bytes(culled.bytes()) == bytes(full.bytes())
    assert sum(p.size[1] for p, _, _ in sky.pieces_above(-6, -2, row)) < 0.8 * 150


@pytest.mark.parametrize("camera", ["pan_right", "tilt_up"])
def test_a_pan_that_leaves_hidden_rows_unpainted_gives_the_frames_of_a_full_repaint(plan_factory, monkeypatch, camera):
    from filmstudio.engines.preview.motion import PreviewMotion

    plan = plan_factory(shots=1, cameras=[camera], width=480, height=270, fps=12, framings=["wide"], setting="river",
                        shot_duration=2.0)
    scene, shot = plan.scenes[0], plan.scenes[0].shots[0]
    culled = PreviewMotion().composer(plan, scene, shot)
    frames = [bytes(culled.frame_bytes(n)) for n in range(culled.frames)]
    assert any(culled.sprites[la.name].covers_from(la.x - culled.mx, la.y - culled.my, culled.W, culled.H) is not None
               for la in culled.rest)  # the premise: something in this shot hides what is behind it
    monkeypatch.setattr(Sprite, "covers_from", lambda self, *a: None)
    full = PreviewMotion().composer(plan, scene, shot)
    for n, want in enumerate(frames):
        assert bytes(full.frame_bytes(n)) == want, f"frame {n} differs from a full repaint"
