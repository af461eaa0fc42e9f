"""PNGs written by our encoder read back, pixel for pixel and text for text, in Pillow and in ffmpeg."""

import io
import subprocess

import numpy as np
import pytest
from PIL import Image

from filmstudio.engines.preview import ffmpeg
from filmstudio.engines.preview.pngfile import png_bytes, save_png


def _picture(mode: str, size=(97, 61)) -> Image.Image:
    """Flat blocks, a gradient and noise: rows that repeat, rows that change, bytes that wrap in the filter."""
    w, h = size
    rng = np.random.default_rng(3)
    bands = {"L": 1, "RGB": 3, "RGBA": 4}[mode]
    a = np.zeros((h, w, bands), np.uint8)
    a[: h // 2] = rng.integers(0, 256, (1, 1, bands))
    a[h // 2:, : w // 2] = (np.arange(w // 2, dtype=np.uint8) * 5)[None, :, None]
    a[h // 2:, w // 2:] = rng.integers(0, 256, (h - h // 2, w - w // 2, bands))
    return Image.fromarray(a[:, :, 0] if mode == "L" else a, mode)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA"])
@pytest.mark.parametrize("level", [0, 1, 6])
def test_pixels_read_back_exactly(mode, level):
    img = _picture(mode)
    back = Image.open(io.BytesIO(png_bytes(img, level=level)))
    back.load()  # Pillow checks every chunk's CRC as it reads
    assert back.mode == mode and back.size == img.size
    assert np.array_equal(np.asarray(back), np.asarray(img))


def test_ffmpeg_decodes_the_same_pixels(tmp_path):
    img = _picture("RGB", (64, 40))
    save_png(img, tmp_path / "p.png")
    raw = subprocess.run([ffmpeg.ffmpeg_exe(), "-v", "error", "-i", str(tmp_path / "p.png"), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    assert raw == img.tobytes()


def test_text_reads_back_in_any_script():
    text = {"caption_top": "612", "runs": '[["दादी और पोता", "NotoSansDevanagari.ttf"]]', "sky": "moon,stars"}
    back = Image.open(io.BytesIO(png_bytes(_picture("RGB"), text)))
    back.load()
    assert back.text == text


def test_other_modes_are_converted_keeping_transparency():
    pal = _picture("RGB").convert("P")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png_bytes(pal)))), np.asarray(pal.convert("RGB")))
    clear = Image.new("LA", (8, 8), (100, 0))
    back = Image.open(io.BytesIO(png_bytes(clear)))
    assert back.mode == "RGBA" and back.getextrema()[3] == (0, 0)


def test_a_panel_is_no_bigger_than_pillows(plan_factory, tmp_path):
    from filmstudio.engines.preview.storyboard import PreviewStoryboard

    plan = plan_factory()
    scene, shot = plan.scenes[0], plan.scenes[0].shots[0]
    PreviewStoryboard().render_panel(plan, scene, shot, tmp_path / "ours.png")
    with Image.open(tmp_path / "ours.png") as im:
        im.load()
        buf = io.BytesIO()
        im.save(buf, format="PNG", compress_level=1)
    assert (tmp_path / "ours.png").stat().st_size <= 1.1 * len(buf.getvalue())


@pytest.mark.parametrize("key,value", [("", "x"), ("k" * 80, "x"), ("a\0b", "x"), ("key", "a\0b")])
def test_text_png_cannot_hold_is_refused(key, value):
    with pytest.raises(ValueError, match="keyword"):
        png_bytes(_picture("L"), {key: value})


def test_an_empty_image_is_refused():
    with pytest.raises(ValueError, match="at least one pixel"):
        png_bytes(Image.new("RGB", (0, 5)))
