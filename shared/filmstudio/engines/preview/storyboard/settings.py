"""The set: where a scene takes place, drawn as land, water and buildings (or walls, floor and a window).

The place comes from the shared vocabulary (`Scene.setting` as the analysis found
it, else the words of the location and heading), so a "bank" is the same place for
the analysis and for the picture. Every place has its own drawing, not only its own
palette. A set reports where things go: the ground line the characters stand on,
the horizon, the water band (if any), and indoors the window and the table top.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import ImageDraw

from filmstudio.models.plan import Scene
from filmstudio.vocabulary import setting_in

from .canvas import Color, View, mix, shade
from .sky import Light

EXTERIORS = ("river", "sea", "desert", "forest", "temple", "church", "mosque", "station", "office", "hospital",
             "school", "market", "mountain", "field", "street", "village", "city", "open")
INTERIORS = ("room", "kitchen", "office", "hospital", "school", "temple", "church", "mosque", "station", "market")
_INDOOR_ONLY = ("room", "kitchen")


@dataclass
class SetInfo:
    interior: bool
    ground: float  # world y the characters stand on
    horizon: float
    water: tuple[float, float] | None = None  # world y band of water
    window: tuple[float, float, float, float] | None = None  # interior: the hole onto the sky
    table: tuple[float, float, float] | None = None  # interior: x0, x1, y of the table top


def place_of(scene: Scene) -> tuple[str, bool]:
    """(place, interior) for the scene."""
    place = scene.setting or setting_in(scene.location, scene.heading)
    interior = bool(scene.interior) or (scene.interior is None and place in _INDOOR_ONLY)
    if place is None:
        place = "room" if interior else "open"
    if interior and place not in INTERIORS:
        place = "room"
    if not interior and place not in EXTERIORS:
        place = "village" if place in _INDOOR_ONLY else "open"
    return place, interior


def hills(d: ImageDraw.ImageDraw, view: View, base: float, amp: float, color: Color, r: np.random.Generator) -> None:
    xs = np.linspace(-0.4, 1.4, 60)
    ph = r.random() * 6.28
    ys = base - amp * (0.6 + 0.4 * np.sin(xs * 7 + ph)) * (0.7 + 0.3 * np.sin(xs * 17 + 2 * ph))
    d.polygon(view.poly([(-0.4, 1.5), *zip(xs, ys), (1.4, 1.5)]), fill=color)


def tree(d: ImageDraw.ImageDraw, view: View, x: float, ground: float, h: float, leaf: Color) -> None:
    d.rectangle(view.lbox(x, ground, -h * 0.05, -h * 0.45, h * 0.05, 0), fill=(92, 64, 40))
    d.ellipse(view.circle(x, ground - h * 0.7, h * 0.32), fill=leaf)
    d.ellipse(view.circle(x - h * 0.15, ground - h * 0.55, h * 0.22), fill=shade(leaf, 0.85))


def _band(d, view: View, y0: float, y1: float, color: Color) -> None:
    d.rectangle(view.box(-0.5, y0, 1.5, y1), fill=color)


def _buildings(d, view: View, light: Light, r, base: float, lo: float, hi: float, palette: tuple[Color, Color],
               step: float = 0.005) -> None:
    xs = -0.4
    while xs < 1.4:
        w = 0.08 + 0.08 * r.random()
        h = lo + (hi - lo) * r.random()
        col = mix(palette[0], palette[1], float(r.random()))
        d.rectangle(view.box(xs, base - h, xs + w, base + 0.02), fill=col)
        for wy in np.arange(base - h + 0.03, base - 0.02, 0.06):
            for wx in np.arange(xs + 0.015, xs + w - 0.02, 0.035):
                win = view.box(wx, wy, wx + 0.018, wy + 0.03)
                if light.lamps_lit and r.random() < 0.6:
                    view.emissive.append(("rectangle", win, (255, 214, 120)))
                else:
                    d.rectangle(win, fill=shade(col, 0.6))
        xs += w + step


def exterior(d: ImageDraw.ImageDraw, view: View, place: str, light: Light, r: np.random.Generator) -> SetInfo:
    horizon, ground = 0.55, 0.86
    info = SetInfo(False, ground, horizon)
    if place == "river":
        hills(d, view, horizon, 0.08, (88, 130, 92), r)
        _band(d, view, horizon, 0.78, (60, 120, 170))
        info.water = (horizon, 0.78)
        _band(d, view, 0.78, 1.5, (170, 150, 110))  # the ghat steps
        for i in range(4):
            y = 0.78 + i * 0.05
            d.line(view.poly([(-0.5, y), (1.5, y)]), fill=(140, 122, 90), width=view.w(0.005))
    elif place == "sea":
        _band(d, view, horizon, 0.74, (40, 100, 160))
        info.water = (horizon, 0.74)
        _band(d, view, 0.74, 1.5, (226, 204, 150))
        d.polygon(view.poly([(-0.5, 0.74), (1.5, 0.74), (1.5, 0.76), (-0.5, 0.77)]), fill=(240, 240, 230))  # surf
    elif place == "desert":
        for k, col in enumerate([(222, 178, 110), (210, 160, 92), (232, 190, 120)]):
            hills(d, view, horizon + 0.05 + 0.12 * k, 0.07, col, r)
        info.ground = 0.88
    elif place == "forest":
        hills(d, view, horizon, 0.06, (60, 110, 70), r)
        _band(d, view, horizon + 0.02, 1.5, (74, 122, 64))
        for x in np.sort(r.random(22) * 1.8 - 0.4):
            tree(d, view, float(x), horizon + 0.08 + 0.05 * r.random(), 0.3 + 0.1 * r.random(),
                 (40, 100 + int(40 * r.random()), 50))
    elif place in ("temple", "church", "mosque", "school", "hospital", "office"):
        # A forecourt before the building; the building itself is the landmark subject.
        hills(d, view, horizon, 0.05, (110, 140, 100), r)
        _band(d, view, horizon, 1.5, (196, 170, 130) if place in ("temple", "mosque") else (170, 170, 160))
        for i in range(3):
            d.rectangle(view.box(0.2 - i * 0.03, horizon + 0.02 + i * 0.03, 0.8 + i * 0.03, horizon + 0.05 + i * 0.03),
                        fill=shade((196, 170, 130), 0.9 - 0.05 * i))
    elif place in ("street", "market"):
        _buildings(d, view, light, r, horizon + 0.1, 0.18, 0.48, ((150, 120, 110), (200, 190, 170)))
        _band(d, view, horizon + 0.12, 1.5, (90, 90, 96) if place == "street" else (160, 140, 110))
        if place == "street":
            for x in np.arange(-0.4, 1.4, 0.12):
                d.rectangle(view.box(x, 0.92, x + 0.06, 0.93), fill=(230, 220, 150))
        _band(d, view, horizon + 0.12, horizon + 0.16, (150, 146, 140))
    elif place == "city":
        _buildings(d, view, light, r, horizon + 0.05, 0.3, 0.5, ((90, 100, 120), (140, 150, 170)), step=0.0)
        _buildings(d, view, light, r, horizon + 0.12, 0.12, 0.3, ((150, 130, 120), (190, 180, 170)))
        _band(d, view, horizon + 0.14, 1.5, (100, 100, 104))
    elif place == "station":
        _band(d, view, horizon, 1.5, (150, 140, 130))
        _band(d, view, horizon - 0.02, horizon + 0.06, (90, 80, 80))  # tracks bed
        for x in np.arange(-0.4, 1.4, 0.04):
            d.line(view.poly([(x, horizon - 0.01), (x, horizon + 0.05)]), fill=(70, 50, 40), width=view.w(0.006))
        _band(d, view, 0.1, 0.14, (110, 60, 50))  # canopy
        for x in (-0.3, 0.1, 0.5, 0.9, 1.3):
            d.rectangle(view.box(x - 0.008, 0.14, x + 0.008, horizon + 0.08), fill=(80, 70, 70))
        _band(d, view, horizon + 0.08, horizon + 0.1, (230, 200, 60))  # the edge line
    elif place == "mountain":
        hills(d, view, horizon - 0.05, 0.3, (110, 120, 150), r)
        hills(d, view, horizon + 0.05, 0.18, (80, 120, 90), r)
        _band(d, view, horizon + 0.12, 1.5, (92, 140, 80))
    elif place == "field":
        hills(d, view, horizon, 0.04, (120, 150, 100), r)
        _band(d, view, horizon + 0.02, 1.5, (170, 160, 70))
        for k in range(12):
            y = horizon + 0.03 + (k / 12) ** 1.4 * 0.4
            d.line(view.poly([(-0.5, y), (1.5, y)]), fill=(120, 130, 50), width=view.w(0.002 + 0.006 * k / 12))
    elif place == "village":
        hills(d, view, horizon, 0.05, (110, 150, 90), r)
        _band(d, view, horizon + 0.02, 1.5, (150, 170, 80))
        for k in range(5):
            hx = -0.28 + 0.36 * k + 0.05 * r.random()
            d.rectangle(view.box(hx, horizon - 0.06, hx + 0.12, horizon + 0.06), fill=(200, 170, 130))
            d.polygon(view.poly([(hx - 0.02, horizon - 0.06), (hx + 0.14, horizon - 0.06), (hx + 0.06, horizon - 0.16)]),
                      fill=(150, 110, 60))
            door = view.box(hx + 0.045, horizon, hx + 0.075, horizon + 0.06)
            if light.lamps_lit:
                view.emissive.append(("rectangle", door, (255, 190, 100)))
            else:
                d.rectangle(door, fill=(90, 60, 40))
    else:  # open land
        hills(d, view, horizon, 0.08, (100, 140, 100), r)
        _band(d, view, horizon + 0.03, 1.5, (120, 160, 90))
    return info


_WALLS: dict[str, Color] = {
    "room": (196, 170, 140), "kitchen": (214, 196, 160), "office": (200, 204, 200), "hospital": (226, 232, 232),
    "school": (210, 200, 160), "temple": (170, 120, 80), "church": (200, 190, 176), "mosque": (230, 220, 196),
    "station": (180, 180, 170), "market": (190, 150, 110),
}


def interior(d: ImageDraw.ImageDraw, view: View, place: str, light: Light, r: np.random.Generator) -> SetInfo:
    """Walls and floor with a hole where the window is: the sky shows only through it."""
    wall = _WALLS.get(place, _WALLS["room"])
    floor_y = 0.72
    win = (0.6, 0.15, 0.85, 0.5)
    if place in ("church", "mosque"):
        win = (0.42, 0.1, 0.58, 0.5)
    d.rectangle(view.box(-0.5, -0.5, 1.5, floor_y), fill=wall)
    d.rectangle(view.box(-0.5, floor_y, 1.5, 1.5), fill=shade(wall, 0.7))
    d.line(view.poly([(-0.5, floor_y), (1.5, floor_y)]), fill=shade(wall, 0.5), width=view.w(0.006))
    info = SetInfo(True, 0.88, 0.6, window=win)
    frame = shade(wall, 0.45)
    x0, y0, x1, y1 = win
    if place in ("church", "mosque"):
        # an arched window: the arch is the top of the hole
        d.rectangle(view.box(x0 - 0.02, y0 - 0.02, x1 + 0.02, y1 + 0.02), fill=frame)
        d.rectangle(view.box(x0, y0 + 0.08, x1, y1), fill=(0, 0, 0, 0))
        d.pieslice(view.box(x0, y0, x1, y0 + 0.16), 180, 360, fill=(0, 0, 0, 0))
        for x in (0.15, 0.3, 0.7, 0.85):
            d.rectangle(view.box(x - 0.02, 0.05, x + 0.02, floor_y), fill=shade(wall, 0.8))
            d.pieslice(view.box(x - 0.075, 0.0, x + 0.075, 0.12), 180, 360, fill=shade(wall, 0.8))
        if place == "church":
            for k in range(3):
                y = 0.78 + 0.06 * k
                d.rectangle(view.box(0.05, y, 0.35, y + 0.025), fill=(110, 70, 45))
                d.rectangle(view.box(0.65, y, 0.95, y + 0.025), fill=(110, 70, 45))
        else:
            d.rectangle(view.box(-0.5, 0.8, 1.5, 1.5), fill=(150, 40, 50))  # the carpet
            for x in np.arange(-0.5, 1.5, 0.1):
                d.line(view.poly([(x, 0.8), (x, 1.5)]), fill=(120, 30, 40), width=view.w(0.004))
        return info
    d.rectangle(view.box(x0 - 0.015, y0 - 0.015, x1 + 0.015, y1 + 0.015), fill=frame)
    d.rectangle(view.box(x0, y0, x1, y1), fill=(0, 0, 0, 0))
    d.line(view.poly([((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)]), fill=frame, width=view.w(0.008))
    if place == "temple":
        for x in (0.1, 0.3, 0.9):
            d.rectangle(view.box(x - 0.025, 0.05, x + 0.025, 0.75), fill=(150, 96, 60))
        d.rectangle(view.box(0.4, 0.4, 0.52, 0.72), fill=(120, 70, 40))  # the shrine niche
        view.emissive.append(("ellipse", view.circle(0.46, 0.62, 0.02), (255, 190, 80)))
        return info
    if place == "school":
        d.rectangle(view.box(0.08, 0.18, 0.5, 0.45), fill=(40, 70, 50))  # the blackboard
        d.rectangle(view.box(0.08, 0.45, 0.5, 0.47), fill=(120, 80, 50))
        for k in range(4):
            d.line(view.poly([(0.12, 0.24 + 0.05 * k), (0.3 + 0.03 * k, 0.24 + 0.05 * k)]), fill=(220, 220, 210),
                   width=view.w(0.003))
        return info
    if place == "hospital":
        d.rectangle(view.box(0.05, 0.05, 0.07, 0.75), fill=(170, 180, 180))  # the curtain rail
        d.polygon(view.poly([(0.07, 0.07), (0.3, 0.07), (0.26, 0.74), (0.07, 0.74)]), fill=(150, 200, 200))
        return info
    if place == "kitchen":
        d.rectangle(view.box(0.0, 0.2, 0.45, 0.23), fill=(120, 80, 50))  # a shelf with pots
        for k in range(4):
            d.ellipse(view.ellipse(0.06 + 0.1 * k, 0.17, 0.03, 0.03), fill=(150, 110, 70) if k % 2 else (170, 170, 175))
        d.rectangle(view.box(0.0, 0.6, 0.45, 0.72), fill=(150, 120, 90))  # the counter
        info.table = (0.02, 0.43, 0.6)
        return info
    if place == "station":
        d.rectangle(view.box(0.05, 0.2, 0.45, 0.35), fill=(30, 40, 50))  # the departures board
        for k in range(3):
            d.line(view.poly([(0.08, 0.24 + 0.04 * k), (0.4, 0.24 + 0.04 * k)]), fill=(250, 200, 60), width=view.w(0.004))
        return info
    if place == "office":
        d.rectangle(view.box(0.05, 0.3, 0.18, 0.72), fill=(120, 125, 130))  # filing cabinet
        for k in range(3):
            d.line(view.poly([(0.05, 0.44 + 0.14 * k), (0.18, 0.44 + 0.14 * k)]), fill=(80, 85, 90), width=view.w(0.004))
        return info
    # a room (and a market stall's back room): a door; the table comes with the subjects
    d.rectangle(view.box(0.08, 0.25, 0.2, 0.72), fill=(120, 80, 50))
    d.ellipse(view.circle(0.18, 0.5, 0.006), fill=(220, 190, 90))
    return info
