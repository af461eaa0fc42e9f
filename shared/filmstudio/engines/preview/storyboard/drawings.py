"""One small vector drawing per subject of the vocabulary.

Every drawing takes (draw, view, x, base, h, light): x and base are the world point
the subject stands on (bottom centre), h its height in picture heights. Shapes are
laid out in picture heights around that point (`View.local`), so a subject keeps
its proportions at any framing and aspect. Parts that emit light (a lamp's flame,
a lit window, the lighthouse lantern) go on the view's emissive list, drawn after
the scene's light tint.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import ImageDraw

from .canvas import View, shade
from .sky import Light

Draw = Callable[[ImageDraw.ImageDraw, View, float, float, float, Light], None]
DRAWINGS: dict[str, Draw] = {}

WOOD, DARK_WOOD, METAL, WHITE, RED = (130, 88, 52), (96, 62, 36), (120, 124, 130), (236, 234, 226), (178, 52, 44)
FLAME = (255, 206, 110)


def drawing(*ids: str):
    def register(fn: Draw) -> Draw:
        for i in ids:
            DRAWINGS[i] = fn
        return fn
    return register


def _p(d, v: View, x, b, h, pts, fill):
    d.polygon(v.local(x, b, [(px * h, py * h) for px, py in pts]), fill=fill)


def _r(d, v: View, x, b, h, x0, y0, x1, y1, fill):
    d.rectangle(v.lbox(x, b, x0 * h, y0 * h, x1 * h, y1 * h), fill=fill)


def _e(d, v: View, x, b, h, cx, cy, rx, ry, fill=None, outline=None, width=1):
    d.ellipse(v.lbox(x, b, (cx - rx) * h, (cy - ry) * h, (cx + rx) * h, (cy + ry) * h), fill=fill, outline=outline,
              width=width)


def _glow(v: View, x, b, h, cx, cy, r, lit: bool, color=FLAME, dim=(200, 190, 160)):
    v.emissive.append(("ellipse", v.lbox(x, b, (cx - r) * h, (cy - r) * h, (cx + r) * h, (cy + r) * h),
                       color if lit else dim))


def _line(d, v: View, x, b, h, pts, fill, width=0.02):
    d.line(v.local(x, b, [(px * h, py * h) for px, py in pts]), fill=fill, width=max(1, int(v.s(width * h))))


# --- landmarks --------------------------------------------------------------------

@drawing("lighthouse")
def lighthouse(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-0.14, 0), (0.14, 0), (0.08, -0.82), (-0.08, -0.82)], WHITE)
    for y0 in (-0.18, -0.5):
        _p(d, v, x, b, h, [(-0.13 + 0.02 * (y0 / -0.18), y0), (0.13 - 0.02 * (y0 / -0.18), y0),
                           (0.12 - 0.03 * (y0 / -0.18), y0 - 0.14), (-0.12 + 0.03 * (y0 / -0.18), y0 - 0.14)], RED)
    _r(d, v, x, b, h, -0.12, -0.85, 0.12, -0.82, (60, 60, 66))  # the gallery
    _r(d, v, x, b, h, -0.07, -0.97, 0.07, -0.85, (40, 44, 50))
    _p(d, v, x, b, h, [(-0.09, -0.97), (0.09, -0.97), (0, -1.05)], RED)
    _glow(v, x, b, h, 0, -0.91, 0.05, light.lamps_lit, (255, 240, 170), (250, 240, 200))
    if light.lamps_lit:  # the beam
        v.emissive.append(("polygon", v.local(x, b, [(0, -0.93 * h), (-0.9 * h, -1.0 * h), (-0.9 * h, -0.84 * h)]),
                           (255, 246, 200)))
    _r(d, v, x, b, h, -0.03, -0.12, 0.03, 0, DARK_WOOD)


@drawing("temple")
def temple(d, v, x, b, h, light):
    for tier in range(6):
        y0 = -tier * 0.15
        ww = 0.7 * (1 - tier * 0.13)
        col = (200 + 6 * tier, 120 + 12 * tier, 70 + 8 * tier)
        _r(d, v, x, b, h, -ww / 2, y0 - 0.15, ww / 2, y0, col)
        _line(d, v, x, b, h, [(-ww / 2, y0), (ww / 2, y0)], (130, 70, 40), 0.008)
    _p(d, v, x, b, h, [(-0.1, -0.9), (0.1, -0.9), (0, -1.0)], (230, 170, 60))
    _r(d, v, x, b, h, -0.08, -0.22, 0.08, 0, (60, 36, 24))
    _glow(v, x, b, h, -0.16, -0.06, 0.025, True, (255, 200, 90))
    _glow(v, x, b, h, 0.16, -0.06, 0.025, True, (255, 200, 90))


@drawing("mosque")
def mosque(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.45, -0.42, 0.45, 0, (236, 226, 206))
    _e(d, v, x, b, h, 0, -0.5, 0.26, 0.26, (236, 226, 206))
    _e(d, v, x, b, h, 0, -0.52, 0.2, 0.22, (90, 150, 140))
    _p(d, v, x, b, h, [(-0.01, -0.74), (0.01, -0.74), (0, -0.86)], (220, 180, 60))
    for side in (-1, 1):
        _r(d, v, x, b, h, side * 0.55 - 0.04, -0.95, side * 0.55 + 0.04, 0, (236, 226, 206))
        _p(d, v, x, b, h, [(side * 0.55 - 0.05, -0.95), (side * 0.55 + 0.05, -0.95), (side * 0.55, -1.05)],
           (90, 150, 140))
    _e(d, v, x, b, h, 0, -0.16, 0.08, 0.12, (70, 50, 40))
    _r(d, v, x, b, h, -0.08, -0.16, 0.08, 0, (70, 50, 40))


@drawing("church")
def church(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.35, -0.45, 0.35, 0, (214, 200, 180))
    _p(d, v, x, b, h, [(-0.4, -0.45), (0.4, -0.45), (0, -0.68)], (150, 70, 60))
    _r(d, v, x, b, h, -0.1, -0.9, 0.1, -0.45, (214, 200, 180))
    _p(d, v, x, b, h, [(-0.12, -0.9), (0.12, -0.9), (0, -1.0)], (150, 70, 60))
    _line(d, v, x, b, h, [(0, -1.0), (0, -1.1)], (60, 60, 60), 0.02)
    _line(d, v, x, b, h, [(-0.035, -1.07), (0.035, -1.07)], (60, 60, 60), 0.02)
    _e(d, v, x, b, h, 0, -0.72, 0.045, 0.045, (80, 70, 60))
    _r(d, v, x, b, h, -0.07, -0.22, 0.07, 0, (90, 56, 36))


def _house(d, v, x, b, h, light, wall=(214, 180, 140), roof=(160, 80, 60)):
    _r(d, v, x, b, h, -0.5, -0.6, 0.5, 0, wall)
    _p(d, v, x, b, h, [(-0.6, -0.6), (0.6, -0.6), (0, -1.0)], roof)
    _r(d, v, x, b, h, -0.1, -0.35, 0.1, 0, (100, 66, 40))
    for side in (-1, 1):
        box = v.lbox(x, b, (side * 0.3 - 0.1) * h, -0.45 * h, (side * 0.3 + 0.1) * h, -0.28 * h)
        if light.lamps_lit:
            v.emissive.append(("rectangle", box, (255, 210, 120)))
        else:
            d.rectangle(box, fill=(150, 190, 210))


@drawing("house")
def house(d, v, x, b, h, light):
    _house(d, v, x, b, h, light)


@drawing("hut")
def hut(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.45, -0.5, 0.45, 0, (180, 140, 90))
    _p(d, v, x, b, h, [(-0.62, -0.45), (0.62, -0.45), (0, -1.0)], (196, 170, 90))
    _r(d, v, x, b, h, -0.12, -0.38, 0.12, 0, (70, 46, 30))


@drawing("school")
def school(d, v, x, b, h, light):
    _house(d, v, x, b, h, light, wall=(220, 190, 110), roof=(150, 60, 50))
    _line(d, v, x, b, h, [(0.45, -1.0), (0.45, -1.5)], (80, 80, 80), 0.015)
    _r(d, v, x, b, h, 0.45, -1.5, 0.75, -1.32, (220, 120, 40))  # a flag: a school flies one


@drawing("hospital")
def hospital(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.55, -0.9, 0.55, 0, (236, 238, 236))
    for row in range(3):
        for col in (-0.35, 0.35):
            box = v.lbox(x, b, (col - 0.1) * h, (-0.8 + 0.25 * row) * h, (col + 0.1) * h, (-0.65 + 0.25 * row) * h)
            if light.lamps_lit:
                v.emissive.append(("rectangle", box, (255, 230, 160)))
            else:
                d.rectangle(box, fill=(150, 190, 210))
    _r(d, v, x, b, h, -0.05, -0.82, 0.05, -0.52, RED)
    _r(d, v, x, b, h, -0.15, -0.72, 0.15, -0.62, RED)
    _r(d, v, x, b, h, -0.12, -0.3, 0.12, 0, (120, 160, 190))


@drawing("tent")
def tent(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-0.8, 0), (0.8, 0), (0, -1.0)], (200, 120, 60))
    _p(d, v, x, b, h, [(-0.2, 0), (0.2, 0), (0, -0.55)], (90, 50, 30))


# --- landscape (drawn by the composer across the set; these are the pieces) --------

@drawing("mountain")
def mountain(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-1.3, 0), (1.3, 0), (0.1, -1.0), (-0.2, -0.8)], (110, 116, 140))
    _p(d, v, x, b, h, [(-0.02, -0.84), (0.1, -1.0), (0.28, -0.8), (0.12, -0.84)], (240, 240, 246))


@drawing("bridge")
def bridge(d, v, x, b, h, light):
    # across the whole water: a deck on piers, a railing
    _r(d, v, x, b, h, -12, -0.7, 12, -0.58, (120, 100, 84))
    for k in range(-12, 13):
        _r(d, v, x, b, h, k * 1.0 - 0.06, -0.58, k * 1.0 + 0.06, 0.1, (104, 86, 72))
    _line(d, v, x, b, h, [(-12, -0.9), (12, -0.9)], (90, 70, 60), 0.04)
    for k in range(-48, 49):
        _line(d, v, x, b, h, [(k * 0.25, -0.9), (k * 0.25, -0.7)], (90, 70, 60), 0.025)


@drawing("harbour")
def harbour(d, v, x, b, h, light):
    _r(d, v, x, b, h, -4.0, -0.16, 4.0, -0.06, (130, 96, 64))  # the pier along the water
    for k in range(17):
        _r(d, v, x, b, h, -3.95 + 0.5 * k, -0.08, -3.88 + 0.5 * k, 0.25, (90, 64, 44))
    for k in range(5):
        _r(d, v, x, b, h, -3.0 + 1.5 * k, -0.4, -2.93 + 1.5 * k, -0.16, (70, 50, 40))  # mooring posts


@drawing("river")
def river(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-6, -0.2), (6, -0.2), (6, 0.2), (-6, 0.2)], (70, 130, 180))


@drawing("field")
def field(d, v, x, b, h, light):
    for k in range(5):
        _line(d, v, x, b, h, [(-6, -0.8 + 0.2 * k), (6, -0.8 + 0.2 * k)], (150, 150, 60), 0.06)


# --- water ------------------------------------------------------------------------

@drawing("boat")
def boat(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-1.1, -0.5), (1.1, -0.5), (0.8, 0), (-0.8, 0)], (140, 80, 44))
    _r(d, v, x, b, h, -1.1, -0.58, 1.1, -0.5, (230, 220, 200))
    _line(d, v, x, b, h, [(0.1, -0.5), (0.1, -2.0)], (80, 60, 40), 0.08)
    _p(d, v, x, b, h, [(0.16, -1.9), (0.16, -0.65), (0.95, -0.65)], (240, 236, 220))


@drawing("ship")
def ship(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-1.5, -0.4), (1.6, -0.4), (1.3, 0), (-1.3, 0)], (60, 64, 80))
    _r(d, v, x, b, h, -0.8, -0.75, 0.5, -0.4, WHITE)
    _r(d, v, x, b, h, -0.2, -1.1, 0.1, -0.75, RED)
    for k in range(4):
        box = v.lbox(x, b, (-0.7 + 0.3 * k) * h, -0.66 * h, (-0.58 + 0.3 * k) * h, -0.52 * h)
        v.emissive.append(("rectangle", box, (255, 220, 140) if light.lamps_lit else (150, 180, 200)))


@drawing("fish")
def fish(d, v, x, b, h, light):
    for k, dx in enumerate((-0.9, 0.0, 0.9)):
        _e(d, v, x, b, h, dx, -0.4 - 0.2 * (k % 2), 0.45, 0.22, (150, 170, 180))
        _p(d, v, x, b, h, [(dx + 0.4, -0.4 - 0.2 * (k % 2)), (dx + 0.7, -0.65), (dx + 0.7, -0.15)], (130, 150, 160))


@drawing("net")
def net(d, v, x, b, h, light):
    for k in range(7):
        _line(d, v, x, b, h, [(-1 + k / 3, 0), (-0.6 + k / 3, -1)], (90, 80, 60), 0.03)
        _line(d, v, x, b, h, [(-0.6 + k / 3, 0), (-1 + k / 3, -1)], (90, 80, 60), 0.03)


# --- ground -----------------------------------------------------------------------

@drawing("tree")
def tree_(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.06, -0.5, 0.06, 0, (92, 64, 40))
    _e(d, v, x, b, h, 0, -0.72, 0.34, 0.3, (50, 120, 60))
    _e(d, v, x, b, h, -0.16, -0.58, 0.22, 0.18, (40, 104, 52))
    _e(d, v, x, b, h, 0.18, -0.6, 0.2, 0.17, (60, 130, 64))


@drawing("palm_tree")
def palm_tree(d, v, x, b, h, light):
    _line(d, v, x, b, h, [(0, 0), (0.05, -0.5), (0.12, -0.95)], (120, 90, 56), 0.06)
    for dx, dy in ((-0.45, -0.75), (0.55, -0.78), (-0.3, -1.08), (0.45, -1.1), (0.05, -1.15)):
        _p(d, v, x, b, h, [(0.12, -0.97), (dx, dy), (dx * 0.6 + 0.1, dy - 0.05)], (50, 130, 60))


@drawing("car")
def car(d, v, x, b, h, light):
    _r(d, v, x, b, h, -1.1, -0.6, 1.1, -0.18, (190, 50, 50))
    _p(d, v, x, b, h, [(-0.6, -0.6), (0.5, -0.6), (0.3, -1.0), (-0.4, -1.0)], (190, 50, 50))
    _p(d, v, x, b, h, [(-0.5, -0.62), (0.42, -0.62), (0.26, -0.92), (-0.34, -0.92)], (170, 210, 230))
    for side in (-0.65, 0.65):
        _e(d, v, x, b, h, side, -0.18, 0.2, 0.2, (30, 30, 30))
    _glow(v, x, b, h, 1.05, -0.45, 0.07, light.lamps_lit, (255, 240, 190), (240, 230, 200))


@drawing("bus")
def bus(d, v, x, b, h, light):
    _r(d, v, x, b, h, -1.4, -1.0, 1.4, -0.15, (220, 150, 40))
    for k in range(5):
        box = v.lbox(x, b, (-1.25 + 0.5 * k) * h, -0.88 * h, (-0.9 + 0.5 * k) * h, -0.55 * h)
        v.emissive.append(("rectangle", box, (255, 220, 140) if light.lamps_lit else (170, 210, 230)))
    for side in (-0.9, 0.9):
        _e(d, v, x, b, h, side, -0.15, 0.16, 0.16, (30, 30, 30))


@drawing("train")
def train(d, v, x, b, h, light):
    for car_ in range(3):
        cx = -2.6 + 1.75 * car_
        _r(d, v, x, b, h, cx - 0.8, -1.0, cx + 0.8, -0.15, (40, 90, 150) if car_ else (60, 60, 70))
        for k in range(3):
            box = v.lbox(x, b, (cx - 0.65 + 0.45 * k) * h, -0.85 * h, (cx - 0.4 + 0.45 * k) * h, -0.55 * h)
            v.emissive.append(("rectangle", box, (255, 220, 140) if light.lamps_lit else (170, 200, 220)))
        for side in (-0.5, 0.5):
            _e(d, v, x, b, h, cx + side, -0.12, 0.12, 0.12, (30, 30, 30))
    _r(d, v, x, b, h, -3.5, -0.03, 3.5, 0, (70, 60, 60))


@drawing("bicycle")
def bicycle(d, v, x, b, h, light):
    w = 0.06
    for side in (-0.5, 0.5):
        _e(d, v, x, b, h, side, -0.32, 0.32, 0.32, outline=(40, 40, 40), width=max(1, int(v.s(w * h))))
    _line(d, v, x, b, h, [(-0.5, -0.32), (-0.05, -0.32), (0.3, -0.75), (-0.25, -0.75), (-0.05, -0.32)], (180, 40, 40), w)
    _line(d, v, x, b, h, [(0.5, -0.32), (0.32, -0.9), (0.45, -0.95)], (40, 40, 40), w)
    _line(d, v, x, b, h, [(-0.3, -0.85), (-0.15, -0.85)], (40, 40, 40), 0.08)


@drawing("motorbike")
def motorbike(d, v, x, b, h, light):
    for side in (-0.55, 0.55):
        _e(d, v, x, b, h, side, -0.3, 0.3, 0.3, (30, 30, 34))
        _e(d, v, x, b, h, side, -0.3, 0.12, 0.12, METAL)
    _p(d, v, x, b, h, [(-0.45, -0.45), (0.35, -0.45), (0.45, -0.75), (-0.2, -0.8)], (150, 30, 36))
    _r(d, v, x, b, h, -0.5, -0.9, -0.05, -0.8, (40, 40, 40))  # the seat
    _line(d, v, x, b, h, [(0.55, -0.3), (0.4, -1.05), (0.6, -1.1)], (60, 60, 64), 0.06)
    _glow(v, x, b, h, 0.5, -0.85, 0.07, light.lamps_lit, (255, 240, 190), (230, 226, 200))


@drawing("cart")
def cart(d, v, x, b, h, light):
    _r(d, v, x, b, h, -1.0, -0.75, 0.6, -0.45, WOOD)
    _line(d, v, x, b, h, [(0.6, -0.6), (1.3, -0.55)], DARK_WOOD, 0.06)
    _e(d, v, x, b, h, -0.2, -0.4, 0.4, 0.4, outline=DARK_WOOD, width=max(1, int(v.s(0.08 * h))))


@drawing("rickshaw")
def rickshaw(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-0.9, -0.3), (0.8, -0.3), (0.8, -0.9), (0.2, -1.05), (-0.9, -1.05)], (40, 140, 80))
    _r(d, v, x, b, h, -0.9, -1.1, 0.4, -1.0, (240, 200, 40))
    for side in (-0.6, 0.6):
        _e(d, v, x, b, h, side, -0.18, 0.18, 0.18, (30, 30, 30))


@drawing("market_stall")
def market_stall(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.55, -0.45, 0.55, 0, WOOD)
    for k in range(6):
        _p(d, v, x, b, h, [(-0.6 + 0.2 * k, -1.0), (-0.4 + 0.2 * k, -1.0), (-0.4 + 0.2 * k, -0.85),
                           (-0.6 + 0.2 * k, -0.85)], RED if k % 2 else WHITE)
    for side in (-0.52, 0.52):
        _line(d, v, x, b, h, [(side, -0.85), (side, -0.45)], DARK_WOOD, 0.04)
    for k, col in enumerate(((230, 120, 40), (240, 200, 40), (120, 180, 60), (200, 60, 60))):
        _e(d, v, x, b, h, -0.36 + 0.24 * k, -0.5, 0.1, 0.07, col)


@drawing("well")
def well(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.5, -0.45, 0.5, 0, (150, 140, 130))
    _e(d, v, x, b, h, 0, -0.45, 0.5, 0.1, (60, 60, 70))
    for side in (-0.45, 0.45):
        _line(d, v, x, b, h, [(side, -0.45), (side, -1.0)], DARK_WOOD, 0.06)
    _line(d, v, x, b, h, [(-0.5, -1.0), (0.5, -1.0)], DARK_WOOD, 0.06)
    _line(d, v, x, b, h, [(0, -1.0), (0, -0.7)], (60, 50, 40), 0.02)
    _r(d, v, x, b, h, -0.08, -0.7, 0.08, -0.56, METAL)


@drawing("rock")
def rock(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-1.2, 0), (-0.9, -0.7), (-0.2, -1.0), (0.5, -0.8), (1.1, -0.3), (1.2, 0)], (70, 70, 78))
    _p(d, v, x, b, h, [(0.6, 0), (0.9, -0.5), (1.5, -0.6), (2.0, 0)], (56, 56, 64))


@drawing("fire")
def fire(d, v, x, b, h, light):
    _line(d, v, x, b, h, [(-0.6, 0), (0.6, -0.2)], DARK_WOOD, 0.12)
    _line(d, v, x, b, h, [(0.6, 0), (-0.6, -0.2)], DARK_WOOD, 0.12)
    v.emissive.append(("polygon", v.local(x, b, [(-0.5 * h, -0.1 * h), (0.5 * h, -0.1 * h), (0.2 * h, -0.7 * h),
                                                 (0, -1.0 * h), (-0.25 * h, -0.6 * h)]), (255, 140, 40)))
    v.emissive.append(("polygon", v.local(x, b, [(-0.25 * h, -0.1 * h), (0.25 * h, -0.1 * h), (0, -0.6 * h)]),
                       (255, 230, 120)))


@drawing("street_lamp")
def street_lamp(d, v, x, b, h, light):
    _line(d, v, x, b, h, [(0, 0), (0, -0.95), (0.15, -0.98)], (50, 50, 56), 0.03)
    _glow(v, x, b, h, 0.17, -0.93, 0.05, light.lamps_lit, (255, 230, 150), (220, 220, 200))


@drawing("bench")
def bench(d, v, x, b, h, light):
    _r(d, v, x, b, h, -1.0, -0.55, 1.0, -0.42, WOOD)
    _r(d, v, x, b, h, -1.0, -1.0, 1.0, -0.85, WOOD)
    for side in (-0.85, 0.85):
        _line(d, v, x, b, h, [(side, 0), (side, -1.0)], (60, 60, 60), 0.08)


@drawing("fence")
def fence(d, v, x, b, h, light):
    for k in range(9):
        _r(d, v, x, b, h, -2.0 + 0.5 * k, -1.0, -1.86 + 0.5 * k, 0, WOOD)
    for y in (-0.75, -0.3):
        _r(d, v, x, b, h, -2.0, y - 0.06, 2.14, y + 0.06, DARK_WOOD)


@drawing("flowers")
def flowers(d, v, x, b, h, light):
    for k in range(7):
        fx = -0.9 + 0.3 * k
        _line(d, v, x, b, h, [(fx, 0), (fx + 0.05, -0.6 - 0.1 * (k % 3))], (60, 130, 60), 0.06)
        _e(d, v, x, b, h, fx + 0.05, -0.65 - 0.1 * (k % 3), 0.14, 0.14,
           ((240, 160, 30), (230, 80, 120), (250, 240, 240))[k % 3])


def _beast(d, v, x, b, h, body, legs=0.45, neck=(0.7, -0.9), head=0.18, tail=True):
    _e(d, v, x, b, h, 0, -0.55 - legs * 0.2, 0.7, 0.28, body)
    for lx in (-0.5, -0.3, 0.35, 0.55):
        _line(d, v, x, b, h, [(lx, -0.5), (lx, 0)], shade(body, 0.8), 0.1)
    _line(d, v, x, b, h, [(0.5, -0.7), neck], body, 0.22)
    _e(d, v, x, b, h, neck[0] + 0.1, neck[1], head * 1.3, head, body)
    if tail:
        _line(d, v, x, b, h, [(-0.7, -0.7), (-0.85, -0.35)], shade(body, 0.7), 0.05)


@drawing("cow")
def cow(d, v, x, b, h, light):
    _beast(d, v, x, b, h, (236, 230, 220), neck=(0.75, -0.8))
    _line(d, v, x, b, h, [(0.75, -0.95), (0.7, -1.05)], (200, 190, 160), 0.05)
    _e(d, v, x, b, h, -0.1, -0.7, 0.2, 0.12, (90, 70, 60))


@drawing("dog")
def dog(d, v, x, b, h, light):
    _beast(d, v, x, b, h, (150, 110, 70), neck=(0.7, -1.0), head=0.22)
    _p(d, v, x, b, h, [(0.72, -1.18), (0.8, -1.35), (0.9, -1.15)], (110, 80, 50))


@drawing("cat")
def cat(d, v, x, b, h, light):
    _e(d, v, x, b, h, 0, -0.45, 0.5, 0.4, (90, 90, 96))
    _e(d, v, x, b, h, 0.4, -0.95, 0.25, 0.22, (90, 90, 96))
    for side in (0.28, 0.52):
        _p(d, v, x, b, h, [(side - 0.08, -1.1), (side + 0.08, -1.1), (side, -1.3)], (90, 90, 96))
    _line(d, v, x, b, h, [(-0.5, -0.3), (-0.8, -0.9)], (90, 90, 96), 0.08)


@drawing("horse")
def horse(d, v, x, b, h, light):
    _beast(d, v, x, b, h, (120, 80, 50), legs=0.6, neck=(0.8, -1.2), head=0.16)
    _line(d, v, x, b, h, [(0.6, -1.2), (0.4, -0.85)], (50, 30, 20), 0.06)


@drawing("goat")
def goat(d, v, x, b, h, light):
    _beast(d, v, x, b, h, (236, 236, 230), neck=(0.65, -1.0), head=0.2)
    _line(d, v, x, b, h, [(0.7, -1.15), (0.6, -1.35)], (120, 110, 100), 0.05)


@drawing("flag")
def flag(d, v, x, b, h, light):
    _line(d, v, x, b, h, [(0, 0), (0, -1.0)], (90, 90, 90), 0.02)
    _r(d, v, x, b, h, 0, -1.0, 0.45, -0.9, (240, 140, 40))
    _r(d, v, x, b, h, 0, -0.9, 0.45, -0.8, WHITE)
    _r(d, v, x, b, h, 0, -0.8, 0.45, -0.7, (40, 140, 60))


@drawing("bell")
def bell(d, v, x, b, h, light):
    # a bell in its frame, as harbours, temples and schools hang them
    for side in (-0.4, 0.4):
        _line(d, v, x, b, h, [(side, 0), (side, -1.0)], DARK_WOOD, 0.07)
    _line(d, v, x, b, h, [(-0.5, -1.0), (0.5, -1.0)], DARK_WOOD, 0.08)
    _p(d, v, x, b, h, [(-0.12, -0.95), (0.12, -0.95), (0.2, -0.65), (0.28, -0.58), (-0.28, -0.58), (-0.2, -0.65)],
       (200, 160, 60))
    _e(d, v, x, b, h, 0, -0.55, 0.05, 0.05, (150, 110, 40))


# --- things carried, and things on tables -------------------------------------------

@drawing("lamp")
def lamp(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.35, -0.12, 0.35, 0, METAL)
    _p(d, v, x, b, h, [(-0.3, -0.12), (0.3, -0.12), (0.22, -0.75), (-0.22, -0.75)], (210, 200, 170))
    _r(d, v, x, b, h, -0.3, -0.85, 0.3, -0.75, METAL)
    _line(d, v, x, b, h, [(-0.2, -0.85), (0, -1.0), (0.2, -0.85)], (90, 90, 96), 0.05)
    _glow(v, x, b, h, 0, -0.42, 0.2, True if light.lamps_lit else False)
    _glow(v, x, b, h, 0, -0.42, 0.1, True, (255, 240, 190))


@drawing("candle")
def candle(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.12, -0.7, 0.12, 0, (246, 240, 220))
    _glow(v, x, b, h, 0, -0.82, 0.1, True)


@drawing("umbrella")
def umbrella(d, v, x, b, h, light):
    d.pieslice(v.lbox(x, b, -0.6 * h, -1.0 * h, 0.6 * h, -0.4 * h), 180, 360, fill=(40, 60, 140))
    _line(d, v, x, b, h, [(0, -0.7), (0, 0), (0.1, 0.05)], (40, 40, 40), 0.04)


@drawing("book")
def book(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.5, -0.7, 0.5, 0, (40, 90, 140))
    _r(d, v, x, b, h, -0.42, -0.64, 0.42, -0.06, (240, 236, 220))
    _line(d, v, x, b, h, [(0, -0.64), (0, -0.06)], (40, 90, 140), 0.04)


@drawing("letter")
def letter(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.6, -0.7, 0.6, 0, (246, 240, 226))
    _line(d, v, x, b, h, [(-0.6, -0.7), (0, -0.3), (0.6, -0.7)], (170, 160, 140), 0.04)
    _r(d, v, x, b, h, 0.3, -0.62, 0.5, -0.45, RED)


@drawing("phone")
def phone(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.3, -1.0, 0.3, 0, (30, 30, 36))
    v.emissive.append(("rectangle", v.lbox(x, b, -0.24 * h, -0.9 * h, 0.24 * h, -0.12 * h), (150, 200, 240)))


@drawing("cup")
def cup(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-0.4, -0.9), (0.4, -0.9), (0.3, 0), (-0.3, 0)], (236, 236, 240))
    _e(d, v, x, b, h, 0.45, -0.5, 0.18, 0.22, outline=(236, 236, 240), width=max(1, int(v.s(0.08 * h))))
    _line(d, v, x, b, h, [(-0.1, -1.0), (0, -1.3), (-0.1, -1.6)], (220, 220, 220), 0.04)


@drawing("radio")
def radio(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.8, -0.8, 0.8, 0, (110, 70, 40))
    _e(d, v, x, b, h, -0.35, -0.4, 0.28, 0.28, (60, 50, 40))
    for k in range(3):
        _line(d, v, x, b, h, [(-0.6, -0.6 + 0.18 * k), (-0.1, -0.6 + 0.18 * k)], (140, 110, 80), 0.03)
    _r(d, v, x, b, h, 0.1, -0.65, 0.65, -0.45, (230, 210, 150))
    for k in range(2):
        _e(d, v, x, b, h, 0.25 + 0.25 * k, -0.22, 0.08, 0.08, (200, 190, 170))
    _line(d, v, x, b, h, [(0.5, -0.8), (0.9, -1.5)], (160, 160, 170), 0.03)
    _glow(v, x, b, h, 0.55, -0.75, 0.04, True, (255, 120, 80), (255, 120, 80))


@drawing("bottle")
def bottle(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.25, -0.65, 0.25, 0, (60, 130, 90))
    _r(d, v, x, b, h, -0.1, -1.0, 0.1, -0.65, (60, 130, 90))


@drawing("pot")
def pot(d, v, x, b, h, light):
    _e(d, v, x, b, h, 0, -0.45, 0.5, 0.45, (170, 90, 50))
    _r(d, v, x, b, h, -0.25, -1.0, 0.25, -0.82, (150, 80, 44))


@drawing("basket")
def basket(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(-0.7, -0.7), (0.7, -0.7), (0.5, 0), (-0.5, 0)], (190, 150, 80))
    for k in range(4):
        _line(d, v, x, b, h, [(-0.65 + 0.05 * k, -0.55 + 0.15 * k), (0.65 - 0.05 * k, -0.55 + 0.15 * k)],
              (150, 110, 60), 0.04)
    d.arc(v.lbox(x, b, -0.6 * h, -1.2 * h, 0.6 * h, -0.4 * h), 180, 360, fill=(150, 110, 60),
          width=max(1, int(v.s(0.06 * h))))


@drawing("plate")
def plate(d, v, x, b, h, light):
    _e(d, v, x, b, h, 0, -0.3, 1.0, 0.3, (210, 210, 214))
    _e(d, v, x, b, h, 0, -0.32, 0.7, 0.2, (230, 180, 90))


@drawing("television")
def television(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.9, -1.0, 0.9, -0.15, (40, 40, 44))
    v.emissive.append(("rectangle", v.lbox(x, b, -0.8 * h, -0.92 * h, 0.8 * h, -0.24 * h), (120, 170, 220)))
    _r(d, v, x, b, h, -0.3, -0.15, 0.3, 0, (40, 40, 44))


# --- on walls ---------------------------------------------------------------------

@drawing("clock")
def clock(d, v, x, b, h, light):
    _e(d, v, x, b, h, 0, -0.5, 0.5, 0.5, (90, 60, 40))
    _e(d, v, x, b, h, 0, -0.5, 0.42, 0.42, (246, 240, 226))
    _line(d, v, x, b, h, [(0, -0.5), (0, -0.82)], (30, 30, 30), 0.05)
    _line(d, v, x, b, h, [(0, -0.5), (0.22, -0.4)], (30, 30, 30), 0.05)


@drawing("mirror")
def mirror(d, v, x, b, h, light):
    _e(d, v, x, b, h, 0, -0.5, 0.36, 0.5, (150, 110, 60))
    _e(d, v, x, b, h, 0, -0.5, 0.3, 0.44, (200, 220, 230))
    _line(d, v, x, b, h, [(-0.15, -0.7), (0.05, -0.85)], (245, 250, 255), 0.05)


@drawing("picture")
def picture(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.6, -1.0, 0.6, 0, (120, 80, 40))
    _r(d, v, x, b, h, -0.5, -0.9, 0.5, -0.1, (200, 214, 220))
    _e(d, v, x, b, h, 0, -0.6, 0.16, 0.18, (200, 150, 120))
    _e(d, v, x, b, h, 0, -0.1, 0.3, 0.28, (90, 90, 120))


@drawing("window")
def window(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.5, -1.0, 0.5, 0, (110, 80, 50))
    box = v.lbox(x, b, -0.42 * h, -0.92 * h, 0.42 * h, -0.08 * h)
    v.emissive.append(("rectangle", box, (255, 214, 130) if light.lamps_lit else (170, 210, 235)))
    _line(d, v, x, b, h, [(0, -0.92), (0, -0.08)], (110, 80, 50), 0.05)


@drawing("door")
def door(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.3, -1.0, 0.3, 0, (120, 80, 50))
    _r(d, v, x, b, h, -0.22, -0.9, 0.22, -0.55, (104, 68, 42))
    _e(d, v, x, b, h, 0.2, -0.48, 0.03, 0.03, (220, 190, 90))


# --- furniture ----------------------------------------------------------------------

@drawing("table")
def table(d, v, x, b, h, light):
    _r(d, v, x, b, h, -1.1, -1.0, 1.1, -0.88, (110, 70, 45))
    for side in (-0.95, 0.95):
        _r(d, v, x, b, h, side - 0.06, -0.88, side + 0.06, 0, (100, 64, 40))


@drawing("desk")
def desk(d, v, x, b, h, light):
    _r(d, v, x, b, h, -1.0, -1.0, 1.0, -0.86, (140, 100, 60))
    _r(d, v, x, b, h, 0.3, -0.86, 0.95, 0, (126, 90, 54))
    for k in range(3):
        _line(d, v, x, b, h, [(0.35, -0.6 + 0.28 * k), (0.9, -0.6 + 0.28 * k)], (96, 66, 40), 0.03)
    _r(d, v, x, b, h, -0.95, -0.86, -0.85, 0, (126, 90, 54))


@drawing("chair")
def chair(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.35, -0.55, 0.35, -0.47, WOOD)
    _r(d, v, x, b, h, 0.27, -1.0, 0.35, -0.47, WOOD)
    for side in (-0.32, 0.3):
        _line(d, v, x, b, h, [(side, -0.47), (side, 0)], DARK_WOOD, 0.07)


@drawing("bed")
def bed(d, v, x, b, h, light):
    _r(d, v, x, b, h, -1.6, -0.55, 1.6, -0.2, (110, 70, 45))
    _r(d, v, x, b, h, -1.55, -0.75, 1.55, -0.5, (230, 226, 214))
    _e(d, v, x, b, h, -1.2, -0.8, 0.3, 0.12, (250, 248, 240))
    _r(d, v, x, b, h, -1.6, -1.0, -1.48, 0, (100, 64, 40))
    _r(d, v, x, b, h, 1.48, -0.7, 1.6, 0, (100, 64, 40))
    _p(d, v, x, b, h, [(-0.6, -0.75), (1.55, -0.75), (1.55, -0.45), (-0.6, -0.45)], (150, 60, 80))


@drawing("cupboard")
def cupboard(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.5, -1.0, 0.5, 0, (120, 80, 50))
    _line(d, v, x, b, h, [(0, -1.0), (0, 0)], (80, 50, 30), 0.02)
    for side in (-0.07, 0.07):
        _e(d, v, x, b, h, side, -0.5, 0.025, 0.025, (220, 190, 90))


@drawing("stove")
def stove(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.8, -0.7, 0.8, 0, (150, 90, 60))
    _e(d, v, x, b, h, 0, -0.3, 0.25, 0.2, (40, 30, 26))
    v.emissive.append(("ellipse", v.lbox(x, b, -0.18 * h, -0.45 * h, 0.18 * h, -0.15 * h), (255, 140, 50)))
    _e(d, v, x, b, h, 0, -0.82, 0.45, 0.14, (70, 70, 76))


@drawing("suitcase")
def suitcase(d, v, x, b, h, light):
    _r(d, v, x, b, h, -0.7, -0.85, 0.7, 0, (120, 70, 40))
    _r(d, v, x, b, h, -0.2, -1.0, 0.2, -0.85, (70, 40, 24))
    for side in (-0.4, 0.4):
        _line(d, v, x, b, h, [(side, -0.85), (side, 0)], (200, 170, 90), 0.05)


# --- in the sky -------------------------------------------------------------------

@drawing("kite")
def kite(d, v, x, b, h, light):
    _p(d, v, x, b, h, [(0, -1.0), (0.4, -0.55), (0, 0), (-0.4, -0.55)], (230, 60, 90))
    _line(d, v, x, b, h, [(0, -1.0), (0, 0)], (250, 220, 80), 0.03)
    _line(d, v, x, b, h, [(0, 0), (0.2, 0.5), (-0.1, 1.0), (0.3, 1.8)], (240, 240, 240), 0.02)


@drawing("bird")
def bird(d, v, x, b, h, light):
    for dx, dy in ((0, 0), (0.9, 0.3), (-0.7, 0.5)):
        d.arc(v.lbox(x, b, (dx - 0.5) * h, (dy - 0.3) * h, dx * h, (dy + 0.2) * h), 200, 340, fill=(40, 40, 50),
              width=max(1, int(v.s(0.08 * h))))
        d.arc(v.lbox(x, b, dx * h, (dy - 0.3) * h, (dx + 0.5) * h, (dy + 0.2) * h), 200, 340, fill=(40, 40, 50),
              width=max(1, int(v.s(0.08 * h))))


@drawing("airplane")
def airplane(d, v, x, b, h, light):
    _e(d, v, x, b, h, 0, -0.5, 1.0, 0.14, (230, 230, 236))
    _p(d, v, x, b, h, [(-0.1, -0.5), (0.3, -0.5), (-0.3, 0.2), (-0.5, 0.2)], (200, 200, 210))
    _p(d, v, x, b, h, [(-0.8, -0.55), (-0.65, -0.55), (-0.95, -0.95), (-1.05, -0.95)], (200, 200, 210))


@drawing("cloud")
def cloud(d, v, x, b, h, light):
    col = (240, 242, 246) if not light.stars else (70, 76, 100)
    for dx, dy, r in ((-0.6, -0.3, 0.35), (0, -0.5, 0.5), (0.6, -0.3, 0.38), (0.2, -0.2, 0.35)):
        _e(d, v, x, b, h, dx, dy, r * 1.3, r, col)
