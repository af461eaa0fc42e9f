"""Procedural illustrated storyboard panels.

A panel is a small flat-shaded illustration: the place (setting, interior or
exterior), the light (time of day: sky gradient, sun, moon, stars, a global tint),
the weather, and every character of the shot as a figure in the bible's colours,
framed by the shot's camera cue, above a caption strip that carries the action line
in the script's own language.

The world is laid out in scene coordinates (x 0..1 across, y 0..1 down the picture
area); the framing is a zoom about a focus point, applied when mapping to pixels,
so a close-up is drawn at full resolution instead of cropped and enlarged. Every
random choice comes from a seed derived from the scene id (the set stays the same
from shot to shot) or the character's bible seed, so the same plan gives the same
bytes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, PngImagePlugin

from filmstudio.models.plan import Character, Plan, Scene, Shot

from . import fonts
from .seeds import rng

CAPTION_FRACTION = 0.14  # of the panel height, at the bottom
# PNG text keys the motion engine and the tests read back.
META_CAPTION_TOP = "filmstudio:caption_top"
META_TEXT_RUNS = "filmstudio:text_runs"

Color = tuple[int, int, int]


def hex_rgb(value: str, default: Color = (180, 60, 60)) -> Color:
    v = value.strip().lstrip("#")
    if len(v) == 3:
        v = "".join(c * 2 for c in v)
    try:
        return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)
    except (ValueError, IndexError):
        return default


def mix(a: Color, b: Color, t: float) -> Color:
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))  # type: ignore[return-value]


def shade(c: Color, k: float) -> Color:
    return tuple(max(0, min(255, int(round(v * k)))) for v in c)  # type: ignore[return-value]


# --- light ------------------------------------------------------------------


@dataclass(frozen=True)
class Light:
    sky_top: Color
    sky_horizon: Color
    tint: tuple[float, float, float]  # multiplies the lit scene (characters, ground, set)
    sun: Color | None  # None: no sun in the sky
    sun_height: float  # 0 at the horizon, 1 at the top of the sky
    moon: bool
    stars: bool
    lamps_lit: bool


LIGHTS: dict[str, Light] = {
    "DAY": Light((84, 150, 226), (190, 222, 245), (1.0, 1.0, 1.0), (255, 244, 200), 0.8, False, False, False),
    "MORNING": Light((110, 170, 230), (250, 222, 180), (1.0, 0.97, 0.92), (255, 236, 170), 0.45, False, False, False),
    "DAWN": Light((70, 84, 150), (250, 170, 120), (0.85, 0.75, 0.78), (255, 190, 120), 0.06, False, False, False),
    "DUSK": Light((48, 46, 110), (240, 120, 80), (0.8, 0.62, 0.6), (255, 140, 70), 0.04, False, True, True),
    "EVENING": Light((60, 70, 140), (236, 150, 100), (0.88, 0.74, 0.68), (255, 160, 90), 0.15, False, False, True),
    "NIGHT": Light((6, 10, 30), (24, 36, 74), (0.32, 0.36, 0.52), None, 0.0, True, True, True),
}


def light_for(scene: Scene) -> Light:
    tod = scene.time_of_day or "DAY"
    if tod == "CONTINUOUS":
        tod = "DAY"
    return LIGHTS.get(tod, LIGHTS["DAY"])


# --- places -----------------------------------------------------------------

_PLACE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("station", ("station", "platform", "railway", "train")),
    ("temple", ("temple", "mandir", "kovil", "gudi", "church", "mosque", "shrine", "मंदिर", "கோவில்", "గుడి", "মন্দির")),
    ("river", ("river", "ghat", "ganga", "ganges", "bank", "lake", "canal", "boat", "नदी", "घाट", "ஆறு", "నది", "নদী")),
    ("sea", ("sea", "beach", "ocean", "shore", "coast", "harbour", "harbor", "port", "समुद्र", "கடல்", "సముద్ర", "সমুদ্র")),
    ("desert", ("desert", "dune", "sand", "रेगिस्तान")),
    ("forest", ("forest", "jungle", "wood", "garden", "park", "grove", "जंगल", "காடு", "అడవి", "বন")),
    ("street", ("street", "city", "road", "market", "bazaar", "town", "lane", "alley", "square", "सड़क", "बाज़ार", "தெரு", "వీధి", "রাস্তা")),
    ("mountain", ("mountain", "hill", "valley", "peak", "पहाड़")),
    ("village", ("village", "field", "farm", "गाँव", "கிராமம்", "గ్రామ", "গ্রাম")),
    ("room", ("room", "house", "home", "kitchen", "office", "apartment", "hall", "classroom", "bedroom", "कमरा", "घर", "வீடு", "ఇల్లు", "ঘর")),
)


def place_of(scene: Scene) -> str:
    text = " ".join(filter(None, [scene.setting or "", scene.location, scene.heading])).lower()
    for place, words in _PLACE_WORDS:
        if any(w in text for w in words):
            if scene.interior and place not in ("temple", "station", "room"):
                return "room"
            return place
    return "room" if scene.interior else "open"


# --- the canvas: world coordinates to pixels ---------------------------------


@dataclass
class View:
    width: int  # pixels of the picture area
    height: int
    zoom: float
    fx: float  # focus, world coordinates
    fy: float
    emissive: list = field(default_factory=list)  # drawn after the light tint

    def x(self, wx: float) -> float:
        return self.width / 2 + (wx - self.fx) * self.width * self.zoom

    def y(self, wy: float) -> float:
        return self.height / 2 + (wy - self.fy) * self.height * self.zoom

    def s(self, size: float) -> float:
        return size * self.height * self.zoom

    def pt(self, wx: float, wy: float) -> tuple[float, float]:
        return self.x(wx), self.y(wy)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return self.x(x0), self.y(y0), self.x(x1), self.y(y1)

    def circle(self, cx: float, cy: float, r: float) -> tuple[float, float, float, float]:
        rr = self.s(r)
        return self.x(cx) - rr, self.y(cy) - rr, self.x(cx) + rr, self.y(cy) + rr

    def poly(self, pts) -> list[tuple[float, float]]:
        return [self.pt(a, b) for a, b in pts]


def _sky(view: View, light: Light, horizon: float) -> np.ndarray:
    rows = np.arange(view.height, dtype=np.float32)
    wy = view.fy + (rows - view.height / 2) / (view.height * view.zoom)
    t = np.clip(wy / max(horizon, 1e-3), 0.0, 1.0) ** 1.3
    top = np.array(light.sky_top, dtype=np.float32)
    hor = np.array(light.sky_horizon, dtype=np.float32)
    col = top[None, :] * (1 - t[:, None]) + hor[None, :] * t[:, None]
    return np.broadcast_to(col[:, None, :], (view.height, view.width, 3)).astype(np.uint8)


def _sun_moon(d: ImageDraw.ImageDraw, view: View, light: Light, horizon: float, r: np.random.Generator) -> None:
    # Sky bodies are at infinity: a close-up must not blow the sun up to fill the frame.
    sky = View(view.width, view.height, min(view.zoom, 1.15), view.fx, view.fy)
    sky.emissive = view.emissive
    view = sky
    if light.stars:
        pts = r.random((90, 2))
        for px, py in pts:
            wy = py * horizon * 0.85
            size = 0.002 + 0.002 * (px * 7 % 1)
            view.emissive.append(("ellipse", view.circle(px, wy, size), (255, 255, 235)))
    if light.moon:
        view.emissive.append(("ellipse", view.circle(0.78, 0.16, 0.05), (245, 243, 220)))
        view.emissive.append(("ellipse", view.circle(0.80, 0.15, 0.045), light.sky_top))  # crescent
    if light.sun:
        sy = horizon - light.sun_height * horizon * 0.85
        glow = mix(light.sun, light.sky_horizon, 0.5)
        view.emissive.append(("ellipse", view.circle(0.25, sy, 0.11), glow))
        view.emissive.append(("ellipse", view.circle(0.25, sy, 0.07), light.sun))


def _hills(d: ImageDraw.ImageDraw, view: View, base: float, amp: float, color: Color, r: np.random.Generator) -> None:
    xs = np.linspace(-0.1, 1.1, 40)
    ph = r.random() * 6.28
    ys = base - amp * (0.6 + 0.4 * np.sin(xs * 7 + ph)) * (0.7 + 0.3 * np.sin(xs * 17 + 2 * ph))
    d.polygon(view.poly([(-0.1, 1.2), *zip(xs, ys), (1.1, 1.2)]), fill=color)


def _tree(d: ImageDraw.ImageDraw, view: View, x: float, ground: float, h: float, leaf: Color) -> None:
    d.rectangle(view.box(x - h * 0.05, ground - h * 0.45, x + h * 0.05, ground), fill=(92, 64, 40))
    d.ellipse(view.circle(x, ground - h * 0.7, h * 0.32), fill=leaf)
    d.ellipse(view.circle(x - h * 0.15, ground - h * 0.55, h * 0.22), fill=shade(leaf, 0.85))


def _exterior(d: ImageDraw.ImageDraw, view: View, place: str, light: Light, r: np.random.Generator) -> float:
    """Draw the set; return the world y of the ground line the characters stand on."""
    ground = 0.86
    horizon = 0.55
    if place == "river":
        _hills(d, view, horizon, 0.08, (88, 130, 92), r)
        d.rectangle(view.box(-1, horizon, 2, 0.78), fill=(60, 120, 170))
        for i in range(14):
            y = horizon + 0.02 + (i / 14) * 0.2
            x = r.random()
            d.line(view.poly([(x - 0.05, y), (x + 0.05, y)]), fill=(150, 200, 230), width=max(1, int(view.s(0.004))))
        d.rectangle(view.box(-1, 0.78, 2, 2), fill=(170, 150, 110))  # the ghat steps
        for i in range(4):
            y = 0.78 + i * 0.05
            d.line(view.poly([(-1, y), (2, y)]), fill=(140, 122, 90), width=max(1, int(view.s(0.005))))
        # a boat on the water
        bx = 0.15 + 0.7 * r.random()
        d.polygon(view.poly([(bx - 0.08, 0.66), (bx + 0.08, 0.66), (bx + 0.06, 0.69), (bx - 0.06, 0.69)]), fill=(110, 70, 40))
    elif place == "sea":
        d.rectangle(view.box(-1, horizon, 2, 0.74), fill=(40, 100, 160))
        for i in range(18):
            y = horizon + 0.02 + (i / 18) * 0.17
            x = r.random()
            d.arc(view.box(x - 0.03, y - 0.01, x + 0.03, y + 0.01), 200, 340, fill=(200, 230, 245), width=max(1, int(view.s(0.004))))
        d.rectangle(view.box(-1, 0.74, 2, 2), fill=(226, 204, 150))
    elif place == "desert":
        for k, col in enumerate([(222, 178, 110), (210, 160, 92), (232, 190, 120)]):
            _hills(d, view, horizon + 0.05 + 0.12 * k, 0.07, col, r)
        ground = 0.88
    elif place == "forest":
        _hills(d, view, horizon, 0.06, (60, 110, 70), r)
        d.rectangle(view.box(-1, horizon + 0.02, 2, 2), fill=(74, 122, 64))
        xs = np.sort(r.random(16) * 1.2 - 0.1)
        for x in xs:
            _tree(d, view, float(x), horizon + 0.08 + 0.05 * r.random(), 0.3 + 0.1 * r.random(), (40, 100 + int(40 * r.random()), 50))
        for x in (0.05, 0.95):
            _tree(d, view, x, 0.9, 0.7, (30, 90, 42))
    elif place == "temple":
        d.rectangle(view.box(-1, horizon, 2, 2), fill=(196, 170, 130))
        # a gopuram: stacked tiers narrowing upward
        cx, base, w = 0.5, horizon + 0.05, 0.36
        for tier in range(6):
            y0 = base - tier * 0.075
            ww = w * (1 - tier * 0.13)
            d.rectangle(view.box(cx - ww / 2, y0 - 0.075, cx + ww / 2, y0), fill=mix((200, 120, 70), (240, 190, 120), tier / 6))
            d.line(view.poly([(cx - ww / 2, y0), (cx + ww / 2, y0)]), fill=(130, 70, 40), width=max(1, int(view.s(0.004))))
        d.polygon(view.poly([(cx - 0.05, base - 0.45), (cx + 0.05, base - 0.45), (cx, base - 0.53)]), fill=(230, 170, 60))
        d.rectangle(view.box(cx - 0.05, base - 0.12, cx + 0.05, base), fill=(60, 36, 24))  # the door
        for i in range(3):
            d.rectangle(view.box(0.2 - i * 0.02, base + i * 0.03, 0.8 + i * 0.02, base + (i + 1) * 0.03), fill=shade((196, 170, 130), 0.9 - 0.05 * i))
        view.emissive.append(("ellipse", view.circle(cx - 0.08, base - 0.03, 0.012), (255, 200, 90)))
        view.emissive.append(("ellipse", view.circle(cx + 0.08, base - 0.03, 0.012), (255, 200, 90)))
    elif place == "street":
        xs = 0.0
        while xs < 1.05:
            w = 0.08 + 0.08 * r.random()
            h = 0.18 + 0.3 * r.random()
            col = mix((150, 120, 110), (200, 190, 170), float(r.random()))
            d.rectangle(view.box(xs, horizon + 0.1 - h, xs + w, horizon + 0.12), fill=col)
            for wy in np.arange(horizon + 0.1 - h + 0.03, horizon + 0.08, 0.06):
                for wx in np.arange(xs + 0.015, xs + w - 0.02, 0.035):
                    lit = light.lamps_lit and r.random() < 0.6
                    win = view.box(wx, wy, wx + 0.018, wy + 0.03)
                    if lit:
                        view.emissive.append(("rectangle", win, (255, 214, 120)))
                    else:
                        d.rectangle(win, fill=shade(col, 0.6))
            xs += w + 0.005
        d.rectangle(view.box(-1, horizon + 0.12, 2, 2), fill=(90, 90, 96))
        for x in np.arange(-0.05, 1.1, 0.12):
            d.rectangle(view.box(x, 0.92, x + 0.06, 0.93), fill=(230, 220, 150))
        d.rectangle(view.box(-1, horizon + 0.12, 2, horizon + 0.16), fill=(150, 146, 140))
    elif place == "station":
        d.rectangle(view.box(-1, horizon, 2, 2), fill=(150, 140, 130))
        d.rectangle(view.box(-1, horizon - 0.02, 2, horizon + 0.06), fill=(90, 80, 80))  # tracks bed
        for x in np.arange(-0.05, 1.1, 0.04):
            d.line(view.poly([(x, horizon - 0.01), (x, horizon + 0.05)]), fill=(70, 50, 40), width=max(1, int(view.s(0.006))))
        d.rectangle(view.box(0.05, horizon - 0.22, 0.75, horizon), fill=(40, 90, 150))  # a train car
        for wx in np.arange(0.08, 0.72, 0.09):
            box = view.box(wx, horizon - 0.18, wx + 0.06, horizon - 0.1)
            if light.lamps_lit:
                view.emissive.append(("rectangle", box, (255, 220, 140)))
            else:
                d.rectangle(box, fill=(170, 200, 220))
        d.rectangle(view.box(-1, 0.1, 2, 0.14), fill=(110, 60, 50))  # canopy
        for x in (0.1, 0.5, 0.9):
            d.rectangle(view.box(x - 0.008, 0.14, x + 0.008, horizon + 0.08), fill=(80, 70, 70))
        d.rectangle(view.box(-1, horizon + 0.08, 2, horizon + 0.1), fill=(230, 200, 60))  # the edge line
    elif place == "mountain":
        _hills(d, view, horizon - 0.05, 0.3, (110, 120, 150), r)
        _hills(d, view, horizon + 0.05, 0.18, (80, 120, 90), r)
        d.rectangle(view.box(-1, horizon + 0.12, 2, 2), fill=(92, 140, 80))
    elif place == "village":
        _hills(d, view, horizon, 0.05, (110, 150, 90), r)
        d.rectangle(view.box(-1, horizon + 0.02, 2, 2), fill=(150, 170, 80))
        for k in range(3):
            hx = 0.12 + 0.3 * k + 0.05 * r.random()
            d.rectangle(view.box(hx, horizon - 0.06, hx + 0.12, horizon + 0.06), fill=(200, 170, 130))
            d.polygon(view.poly([(hx - 0.02, horizon - 0.06), (hx + 0.14, horizon - 0.06), (hx + 0.06, horizon - 0.16)]), fill=(150, 110, 60))
            door = view.box(hx + 0.045, horizon, hx + 0.075, horizon + 0.06)
            if light.lamps_lit:
                view.emissive.append(("rectangle", door, (255, 190, 100)))
            else:
                d.rectangle(door, fill=(90, 60, 40))
    else:  # open land
        _hills(d, view, horizon, 0.08, (100, 140, 100), r)
        d.rectangle(view.box(-1, horizon + 0.03, 2, 2), fill=(120, 160, 90))
    return ground


def _interior(d: ImageDraw.ImageDraw, view: View, place: str, light: Light, r: np.random.Generator, sky: Image.Image) -> float:
    wall = (196, 170, 140) if place != "temple" else (170, 120, 80)
    if place == "station":
        wall = (180, 180, 170)
    d.rectangle(view.box(-1, -1, 2, 0.72), fill=wall)
    d.rectangle(view.box(-1, 0.72, 2, 2), fill=shade(wall, 0.7))
    d.line(view.poly([(-1, 0.72), (2, 0.72)]), fill=shade(wall, 0.5), width=max(1, int(view.s(0.006))))
    # a window onto the sky, so the time of day reads indoors too
    win = [int(round(v)) for v in view.box(0.6, 0.15, 0.85, 0.5)]
    if win[2] > win[0] and win[3] > win[1]:
        crop = sky.crop((0, 0, sky.width, sky.height)).resize((max(1, win[2] - win[0]), max(1, win[3] - win[1])))
        view.emissive.append(("image", (win[0], win[1]), crop))
        view.emissive.append(("frame", tuple(win), shade(wall, 0.45)))
    if place == "temple":
        for x in (0.1, 0.3, 0.7, 0.9):
            d.rectangle(view.box(x - 0.025, 0.05, x + 0.025, 0.75), fill=(150, 96, 60))
        view.emissive.append(("ellipse", view.circle(0.5, 0.62, 0.02), (255, 190, 80)))
    else:
        d.rectangle(view.box(0.1, 0.25, 0.22, 0.72), fill=(120, 80, 50))  # a door
        d.rectangle(view.box(0.35, 0.62, 0.55, 0.65), fill=(110, 70, 45))  # a table
        for x in (0.37, 0.53):
            d.rectangle(view.box(x - 0.006, 0.65, x + 0.006, 0.78), fill=(100, 64, 40))
        lamp = view.circle(0.45, 0.585, 0.025)
        view.emissive.append(("ellipse", lamp, (255, 210, 120) if light.lamps_lit else (220, 200, 160)))
    return 0.88


def _weather(img: Image.Image, view: View, scene: Scene, r: np.random.Generator) -> Image.Image:
    words = " ".join(scene.weather).lower()
    if not words:
        return img
    if "fog" in words or "mist" in words or "haze" in words:
        arr = np.asarray(img).astype(np.float32)
        rows = np.linspace(0.35, 0.75, arr.shape[0], dtype=np.float32)[:, None, None]
        arr = arr * (1 - rows) + 200.0 * rows
        img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    if "rain" in words or "storm" in words:
        n = 500
        xs, ys = r.random(n) * img.width, r.random(n) * img.height
        ln = img.height * 0.05
        for x, y in zip(xs, ys):
            d.line([(x, y), (x - ln * 0.25, y + ln)], fill=(180, 190, 210), width=max(1, img.height // 500))
    if "storm" in words or "lightning" in words or "thunder" in words:
        x = img.width * (0.3 + 0.4 * r.random())
        pts = [(x, 0.0)]
        y = 0.0
        while y < img.height * 0.5:
            y += img.height * 0.06
            x += img.width * (r.random() - 0.5) * 0.06
            pts.append((x, y))
        d.line(pts, fill=(255, 255, 230), width=max(2, img.height // 160))
    if "snow" in words:
        for x, y in zip(r.random(300) * img.width, r.random(300) * img.height):
            rr = max(1, img.height // 300)
            d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=(250, 250, 255))
    return img


# --- characters ---------------------------------------------------------------

_HEIGHTS = {"child": 0.3, "teen": 0.42, "adult": 0.48, "elder": 0.45}


def age_group_of(c: Character) -> str:
    if c.age_group:
        return c.age_group
    if c.age is not None:
        return "child" if c.age < 13 else "teen" if c.age < 20 else "elder" if c.age >= 60 else "adult"
    return c.voice.age_group or "adult"


def figure_height(c: Character) -> float:
    return _HEIGHTS[age_group_of(c)]


_SKINS = [(234, 192, 160), (205, 150, 110), (170, 116, 80), (140, 92, 62), (112, 72, 48)]


def _figure(d: ImageDraw.ImageDraw, view: View, c: Character, x: float, ground: float) -> None:
    r = rng("character", c.id, c.seed)
    palette = [hex_rgb(p) for p in c.palette] or [tuple(int(v) for v in r.integers(40, 220, 3))]
    main = palette[0]
    second = palette[1] if len(palette) > 1 else shade(main, 0.6)
    skin = _SKINS[int(r.integers(0, len(_SKINS)))]
    age = age_group_of(c)
    hair = (200, 200, 205) if age == "elder" else [(30, 22, 18), (60, 40, 25), (20, 20, 20)][int(r.integers(0, 3))]
    h = figure_height(c)
    head_r = h * (0.13 if age == "child" else 0.1)
    top = ground - h
    hy = top + head_r
    neck = hy + head_r
    hip = neck + h * 0.38
    sh = h * 0.16  # half shoulder width
    female = c.gender == "female"
    w = max(1, int(view.s(h * 0.05)))
    # legs
    if female:
        d.polygon(view.poly([(x - sh * 0.8, neck + h * 0.05), (x + sh * 0.8, neck + h * 0.05), (x + sh * 1.3, ground), (x - sh * 1.3, ground)]), fill=second)
        d.line(view.poly([(x - sh * 1.3, ground - h * 0.02), (x + sh * 1.3, ground - h * 0.02)]), fill=shade(main, 0.7), width=w)
    else:
        d.line(view.poly([(x - sh * 0.4, hip), (x - sh * 0.5, ground)]), fill=second, width=int(view.s(h * 0.09)) or 1)
        d.line(view.poly([(x + sh * 0.4, hip), (x + sh * 0.5, ground)]), fill=second, width=int(view.s(h * 0.09)) or 1)
    # torso
    d.polygon(view.poly([(x - sh, neck), (x + sh, neck), (x + sh * 0.75, hip), (x - sh * 0.75, hip)]), fill=main)
    # arms
    for side in (-1, 1):
        d.line(view.poly([(x + side * sh * 0.95, neck + h * 0.02), (x + side * sh * 1.25, hip - h * 0.02)]), fill=main, width=int(view.s(h * 0.06)) or 1)
        d.ellipse(view.circle(x + side * sh * 1.25, hip, h * 0.03), fill=skin)
    if age == "elder":  # a walking stick
        d.line(view.poly([(x + sh * 1.35, hip), (x + sh * 1.6, ground)]), fill=(110, 80, 50), width=w)
    # head and hair
    if female:
        # long hair falling behind the head to the shoulders
        d.ellipse(view.box(x - head_r * 1.15, hy - head_r * 1.05, x + head_r * 1.15, neck + h * 0.1), fill=hair)
    d.ellipse(view.circle(x, hy, head_r), fill=skin)
    d.chord(view.box(x - head_r * 1.05, hy - head_r * 1.1, x + head_r * 1.05, hy + head_r * 0.4), 180, 360, fill=hair)
    # a face: readable in close-ups, a couple of pixels in a wide shot
    ex = head_r * 0.38
    for side in (-1, 1):
        d.ellipse(view.circle(x + side * ex, hy + head_r * 0.1, head_r * 0.1), fill=(30, 25, 25))
    d.arc(view.box(x - head_r * 0.35, hy + head_r * 0.2, x + head_r * 0.35, hy + head_r * 0.6), 20, 160, fill=(120, 50, 50), width=max(1, int(view.s(head_r * 0.08))))
    if female and len(palette) > 2:
        d.ellipse(view.circle(x, hy - head_r * 0.35, head_r * 0.08), fill=palette[2])  # bindi


def _cast(plan: Plan, scene: Scene, shot: Shot) -> list[Character]:
    out = []
    for cid in shot.characters:
        try:
            c = plan.character(cid)
        except KeyError:
            continue
        if not c.is_narrator:
            out.append(c)
    return out


def _positions(n: int) -> list[float]:
    if n == 0:
        return []
    if n == 1:
        return [0.5]
    span = min(0.6, 0.18 * (n - 1))
    return [0.5 - span / 2 + span * i / (n - 1) for i in range(n)]


# --- the panel ------------------------------------------------------------------

ZOOM = {"wide": 1.0, "medium": 1.55, "close": 2.7}


def _focus(framing: str, cast: list[Character], xs: list[float], ground: float) -> tuple[float, float, float]:
    z = ZOOM.get(framing, 1.0)
    if not cast or z == 1.0:
        return z, 0.5, 0.5
    if framing == "close":
        c, x = cast[0], xs[0]
        h = figure_height(c)
        head_r = h * (0.13 if age_group_of(c) == "child" else 0.1)
        fx, fy = x, ground - h + head_r + 0.07  # head and shoulders, eyes in the upper third
    else:
        fx = sum(xs) / len(xs)
        fy = ground - max(figure_height(c) for c in cast) * 0.55
    half_w, half_h = 0.5 / z, 0.5 / z
    fx = min(max(fx, half_w), 1 - half_w)
    fy = min(max(fy, half_h), 1.0 - half_h + 0.1)
    return z, fx, fy


def caption_text(scene: Scene, shot: Shot) -> str:
    if shot.description.strip():
        return shot.description.strip()
    if scene.action:
        return scene.action[0].strip()
    return scene.heading.strip()


def _tint(img: Image.Image, tint: tuple[float, float, float]) -> Image.Image:
    if tint == (1.0, 1.0, 1.0):
        return img
    arr = np.asarray(img).astype(np.float32) * np.array(tint, dtype=np.float32)
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def _draw_emissive(img: Image.Image, view: View) -> None:
    d = ImageDraw.Draw(img)
    for kind, a, b in view.emissive:
        if kind == "ellipse":
            d.ellipse(a, fill=b)
        elif kind == "rectangle":
            d.rectangle(a, fill=b)
        elif kind == "image":
            img.paste(b, a)
        elif kind == "frame":
            d.rectangle(a, outline=b, width=max(2, img.height // 120))


def draw_caption(img: Image.Image, top: int, text: str) -> list[fonts.Run]:
    """The caption strip under the picture; returns the text runs drawn (font per run)."""
    d = ImageDraw.Draw(img)
    d.rectangle((0, top, img.width, img.height), fill=(18, 18, 24))
    strip = img.height - top
    size = max(8, int(strip * 0.3))
    margin = int(img.width * 0.03)
    lines = fonts.wrap(text, size, img.width - 2 * margin)
    if len(lines) > 2:
        size = max(8, int(strip * 0.22))
        lines = fonts.wrap(text, size, img.width - 2 * margin)[:3]
    line_h = size * 1.45
    y = top + (strip - line_h * len(lines)) / 2
    drawn: list[fonts.Run] = []
    for line in lines:
        w = fonts.text_width(line, size)
        drawn += fonts.draw_text(d, ((img.width - w) / 2, y), line, size, fill=(240, 240, 235))
        y += line_h
    return drawn


class PreviewStoryboard:
    """Procedural panels; see the module docstring."""

    name = "preview-storyboard"
    version = "1.0.0"

    def render_panel(self, plan: Plan, scene: Scene, shot: Shot, out_path: Path) -> None:
        img, runs, caption_top = self.draw(plan, scene, shot)
        info = PngImagePlugin.PngInfo()
        info.add_text(META_CAPTION_TOP, str(caption_top))
        info.add_text(META_TEXT_RUNS, json.dumps([[r.text, r.path.name] for r in runs], ensure_ascii=False))
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        img.save(out_path, format="PNG", pnginfo=info, compress_level=1)

    def draw(self, plan: Plan, scene: Scene, shot: Shot) -> tuple[Image.Image, list[fonts.Run], int]:
        W, H = plan.width, plan.height
        caption_top = H - int(round(H * CAPTION_FRACTION))
        light = light_for(scene)
        place = place_of(scene)
        interior = place == "room" or bool(scene.interior)
        cast = _cast(plan, scene, shot)
        xs = _positions(len(cast))
        ground = 0.88 if interior else 0.86
        z, fx, fy = _focus(shot.framing, cast, xs, ground)
        view = View(W, caption_top, z, fx, fy)
        set_rng = rng("set", scene.id, place)

        sky_arr = _sky(view, light, 0.55 if not interior else 0.6)
        img = Image.fromarray(np.ascontiguousarray(sky_arr))
        d = ImageDraw.Draw(img)
        if interior:
            sky_view = View(W // 4, caption_top // 4, 1.0, 0.5, 0.5)
            sky_img = Image.fromarray(np.ascontiguousarray(_sky(sky_view, light, 0.55)))
            sd = ImageDraw.Draw(sky_img)
            _sun_moon(sd, sky_view, light, 0.55, set_rng)
            _draw_emissive(sky_img, sky_view)
            ground = _interior(d, view, place, light, set_rng, sky_img)
        else:
            _sun_moon(d, view, light, 0.55, set_rng)
            ground = _exterior(d, view, place, light, set_rng)
        img = _tint(img, light.tint)
        _draw_emissive(img, view)
        if cast:
            # Characters stand in front of lamps and windows, and take the scene's light.
            layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
            ld = ImageDraw.Draw(layer)
            for c, x in zip(cast, xs):
                _figure(ld, view, c, x, ground)
            if light.tint != (1.0, 1.0, 1.0):
                arr = np.asarray(layer).astype(np.float32)
                arr[..., :3] *= np.array(light.tint, dtype=np.float32)
                layer = Image.fromarray(arr.clip(0, 255).astype(np.uint8), "RGBA")
            img.paste(layer, (0, 0), layer)
        img = _weather(img, view, scene, rng("weather", scene.id, shot.id))
        panel = Image.new("RGB", (W, H))
        panel.paste(img, (0, 0))
        runs = draw_caption(panel, caption_top, caption_text(scene, shot))
        return panel, runs, caption_top


def contact_sheet(plan: Plan, panels: dict[str, Path], out_path: Path, columns: int = 4) -> Path:
    """All panels in film order on one sheet, each labelled with its shot id."""
    shots = [s for s in plan.shots() if s.id in panels]
    n = max(1, len(shots))
    cols = min(columns, n)
    rows = math.ceil(n / cols)
    tw = 320
    th = int(round(tw * plan.height / plan.width))
    pad, label = 12, 22
    sheet = Image.new("RGB", (pad + cols * (tw + pad), pad + rows * (th + label + pad)), (32, 32, 36))
    d = ImageDraw.Draw(sheet)
    for i, shot in enumerate(shots):
        with Image.open(panels[shot.id]) as p:
            thumb = p.convert("RGB").resize((tw, th), Image.Resampling.BILINEAR)
        x = pad + (i % cols) * (tw + pad)
        y = pad + (i // cols) * (th + label + pad)
        sheet.paste(thumb, (x, y + label))
        fonts.draw_text(d, (x, y + 2), f"{shot.id}  {shot.framing}  {shot.duration:.1f}s", 13, fill=(220, 220, 220))
    out_path = Path(out_path)
    sheet.save(out_path, format="PNG", compress_level=6)
    return out_path
