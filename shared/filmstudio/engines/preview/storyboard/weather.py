"""Weather over the picture: rain and snow as overlays motion can scroll, fog as a veil, a lightning bolt.

Indoors, weather is seen only through the window: the overlays are masked to it.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw


def kinds(weather: list[str]) -> set[str]:
    words = " ".join(weather).lower()
    out = set()
    if "rain" in words or "storm" in words:
        out.add("rain")
    if "storm" in words or "lightning" in words or "thunder" in words:
        out.add("lightning")
    if "snow" in words:
        out.add("snow")
    if "fog" in words or "mist" in words or "haze" in words:
        out.add("fog")
    return out


def precipitation(size: tuple[int, int], what: set[str], r: np.random.Generator, frame_height: int) -> Image.Image | None:
    """An RGBA tile of falling rain and/or snow; its height is a whole number of cycles to scroll."""
    if not what & {"rain", "snow"}:
        return None
    w, h = size
    tile = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(tile)
    density = w * h / (1280 * 720)
    if "rain" in what:
        ln = frame_height * 0.05
        n = int(420 * density)
        for x, y in zip(r.random(n) * w, r.random(n) * h):
            d.line([(x, y), (x - ln * 0.25, y + ln)], fill=(190, 200, 220, 170), width=max(1, frame_height // 500))
    if "snow" in what:
        n = int(260 * density)
        rr = max(1.5, frame_height / 220)
        for x, y in zip(r.random(n) * w, r.random(n) * h):
            d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=(250, 250, 255, 230))
    return tile


def fog(img: Image.Image) -> Image.Image:
    arr = np.asarray(img).astype(np.float32)
    rows = np.linspace(0.35, 0.75, arr.shape[0], dtype=np.float32)[:, None, None]
    arr = arr * (1 - rows) + 200.0 * rows
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def bolt(size: tuple[int, int], r: np.random.Generator) -> Image.Image:
    w, h = size
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    x = w * (0.3 + 0.4 * r.random())
    pts = [(x, 0.0)]
    y = 0.0
    while y < h * 0.5:
        y += h * 0.06
        x += w * (r.random() - 0.5) * 0.06
        pts.append((x, y))
    ImageDraw.Draw(layer).line(pts, fill=(255, 255, 230, 255), width=max(2, h // 160))
    return layer


def masked(overlay: Image.Image, box: tuple[int, int, int, int] | None) -> Image.Image:
    """The overlay kept only inside box (an interior's window); everywhere when box is None."""
    if box is None:
        return overlay
    out = Image.new("RGBA", overlay.size, (0, 0, 0, 0))
    region = overlay.crop(box)
    out.paste(region, box[:2])
    return out
