"""A panel as layers: sky, far, background, water, midground, characters.

Each layer is an RGBA image of the canvas (the framed window plus a margin on every
side, for the camera to move into) with a depth: how far it moves when the camera
pans (sky 0.08 ... characters 1.0), which is what makes a move a 2.5-D parallax.
A layer is tinted by the scene's light and then gets its emissive parts (lamps,
windows, sun and moon) untinted. The key frame is the layers flattened; motion
moves them apart, animates faces, water and weather, and encodes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from filmstudio.models.plan import Character, Plan, Scene, Shot
from filmstudio.vocabulary import KINDS, subjects_in

from ..seeds import rng
from . import sky as skies
from .canvas import View, shade
from .drawings import DRAWINGS, WOOD
from .figures import Face, age_group_of, draw_figure, figure_height, head_radius
from .placement import Placement, plan_placements
from .settings import SetInfo, exterior, interior, place_of

DEPTHS = {"sky": 0.08, "far": 0.25, "background": 0.5, "water": 0.6, "midground": 0.8, "characters": 1.0}
ZOOM = {"wide": 1.0, "medium": 1.55, "close": 2.7}


@dataclass
class Layer:
    name: str
    image: Image.Image  # RGBA, cropped to what it holds
    x: int  # where the crop sits in the canvas
    y: int
    depth: float


@dataclass
class LayerSet:
    canvas: tuple[int, int]
    margin: tuple[int, int]
    window: tuple[int, int]  # the framed window's size
    layers: list[Layer]
    faces: list[Face]
    subjects: list[str]  # the named subjects drawn in frame
    sky: list[str]  # sun, moon, stars, glow: what the sky shows
    place: str
    interior: bool
    weather: list[str]
    water: tuple[int, int] | None  # canvas pixel rows of open water (exteriors)
    window_box: tuple[int, int, int, int] | None  # interiors: the window in canvas pixels
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)
    extras: dict = field(default_factory=dict)

    def layer(self, name: str) -> Layer | None:
        return next((la for la in self.layers if la.name == name), None)


def cast_of(plan: Plan, shot: Shot) -> list[Character]:
    out = []
    for cid in shot.characters:
        try:
            c = plan.character(cid)
        except KeyError:
            continue
        if not c.is_narrator:
            out.append(c)
    return out


def positions(n: int) -> list[float]:
    if n == 0:
        return []
    if n == 1:
        return [0.5]
    span = min(0.6, 0.18 * (n - 1))
    return [0.5 - span / 2 + span * i / (n - 1) for i in range(n)]


def focus(framing: str, cast: list[Character], xs: list[float], ground: float) -> tuple[float, float, float]:
    z = ZOOM.get(framing, 1.0)
    if not cast or z == 1.0:
        return z, 0.5, 0.5
    if framing == "close":
        c, x = cast[0], xs[0]
        fx, fy = x, ground - figure_height(c) + head_radius(c) + 0.07  # head and shoulders, eyes in the upper third
    else:
        fx = sum(xs) / len(xs)
        fy = ground - max(figure_height(c) for c in cast) * 0.55
    half_w, half_h = 0.5 / z, 0.5 / z
    fx = min(max(fx, half_w), 1 - half_w)
    fy = min(max(fy, half_h), 1.0 - half_h + 0.1)
    return z, fx, fy


def shot_subjects(scene: Scene, shot: Shot) -> list[str]:
    return list(shot.subjects or scene.subjects)


def _tint(img: Image.Image, tint: tuple[float, float, float]) -> Image.Image:
    if tint == (1.0, 1.0, 1.0):
        return img
    # A lookup table per band: a C loop over the pixels, not a float copy of the canvas.
    lut = [min(255, int(round(v * k))) for k in tint for v in range(256)] + list(range(256))
    return img.point(lut)


def draw_emissive(img: Image.Image, view: View) -> None:
    d = ImageDraw.Draw(img)
    for kind, a, b in view.emissive:
        if kind == "ellipse":
            d.ellipse(a, fill=b)
        elif kind == "rectangle":
            d.rectangle(a, fill=b)
        elif kind == "polygon":
            d.polygon(a, fill=b)
    view.emissive.clear()


def _crate(d, view: View, x: float, base: float, h: float) -> float:
    d.rectangle(view.lbox(x, base, -h * 0.8, -h * 0.9, h * 0.8, 0), fill=WOOD)
    d.line(view.local(x, base, [(-h * 0.8, -h * 0.45), (h * 0.8, -h * 0.45)]), fill=shade(WOOD, 0.7),
           width=view.w(h * 0.05))
    return base - h * 0.9


def _headland(d, view: View, x: float, horizon: float, water_bottom: float) -> None:
    left = x - 0.16
    d.polygon(view.poly([(left - 0.1, water_bottom), (left, horizon + 0.02), (x - 0.05, horizon - 0.01),
                         (x + 0.1, horizon - 0.02), (1.6, horizon - 0.03), (1.6, water_bottom)]), fill=(70, 66, 70))
    d.polygon(view.poly([(x - 0.07, horizon), (1.6, horizon - 0.02), (1.6, horizon + 0.02), (x, horizon + 0.02)]),
              fill=(90, 120, 80))


def build(plan: Plan, scene: Scene, shot: Shot, width: int, height: int, margin: tuple[int, int] = (0, 0),
          focus_on: tuple[float, float] | None = None) -> LayerSet:
    mx, my = margin
    cw, ch = width + 2 * mx, height + 2 * my
    light = skies.light_for(scene)
    place, is_inside = place_of(scene)
    if is_inside and min(light.tint) < 0.6:
        # A room after dark is lit by its lamps: warm and dim, not the moonlight outside the window.
        light = dataclasses.replace(light, tint=(0.6, 0.52, 0.42))
    cast = cast_of(plan, shot)
    xs = positions(len(cast))
    ground = 0.88 if is_inside else 0.86
    z, fx, fy = focus(shot.framing, cast, xs, ground)
    if focus_on is not None:  # a close-up of a thing ("Close on the flame")
        half = 0.5 / z
        fx, fy = min(max(focus_on[0], half), 1 - half), min(max(focus_on[1], half), 1.0 - half + 0.1)
    set_rng = rng("set", scene.id, place)

    def view(zoom: float = z) -> View:
        return View(width, height, zoom, fx, fy, mx, my)

    layers: dict[str, Image.Image] = {}

    class _Draws(dict):
        """A layer's canvas is made when something is first drawn on it: most shots leave some empty."""

        def __missing__(self, name: str) -> ImageDraw.ImageDraw:
            layers[name] = Image.new("RGBA", (cw, ch), (0, 0, 0, 0))
            self[name] = ImageDraw.Draw(layers[name])
            return self[name]

    draws = _Draws()
    views = {n: view() for n in DEPTHS}

    # the set, first: it says where things go
    if is_inside:
        info = interior(draws["background"], views["background"], place, light, set_rng)
    else:
        info = exterior(draws["background"], views["background"], place, light, set_rng)

    # the sky (seen only through the window indoors: the wall layer has a hole there)
    sv = View(width, height, min(z, 1.15), fx, fy, mx, my)
    layers["sky"] = skies.gradient(sv, (cw, ch), light, info.horizon if not is_inside else 0.55)
    anchor = None
    if info.window:
        x0, y0, x1, y1 = info.window
        anchor = ((x0 + x1) / 2, y0 + 0.1)
        sv = view()  # the window frames the sky at the room's zoom
    sky_bodies = skies.bodies(sv, light, info.window[3] if info.window else info.horizon, set_rng, anchor)
    draw_emissive(layers["sky"], sv)

    # the characters
    faces: list[Face] = []
    for c, x in zip(cast, xs):
        faces.append(draw_figure(draws["characters"], views["characters"], c, x, info.ground, scene))

    # the subjects
    subjects = shot_subjects(scene, shot)
    inside = set(subjects_in(f"{scene.location}. {scene.heading}")) if is_inside else set()
    own = set(subjects) - set(subjects_in(". ".join([scene.location, *scene.action])))
    places = plan_placements(subjects, info, place, xs, [f.hand for f in faces], inside, own)
    if focus_on is None and not cast and shot.framing != "wide":
        things = [p for p in places if p.layer != "window" and KINDS.get(p.subject) not in ("landscape", None)]
        things.sort(key=lambda p: p.subject not in own)
        if things:
            p = things[0]
            return build(plan, scene, shot, width, height, margin, focus_on=(p.x, p.base - p.h * 0.6))
    drawn: list[str] = []
    boxes: dict[str, tuple[int, int, int, int]] = {}
    window_scene = [p for p in places if p.layer == "window" and p.subject != "window"]
    for p in places:
        if p.layer == "window":
            if p.subject == "window" and info.window:
                drawn.append("window")
            continue
        d, v = draws[p.layer], views[p.layer]
        if p.subject == "lighthouse" and info.water and not is_inside:
            _headland(d, v, p.x, info.horizon, info.water[1])
            p.base = info.horizon - 0.02
        base = _crate(d, v, p.x, p.base, p.h) if p.crate else p.base
        if p.subject == "river" and info.water is None:
            d.rectangle(v.box(-0.5, info.horizon + 0.03, 1.5, info.horizon + 0.1), fill=(70, 130, 180))
            info.water = (info.horizon + 0.03, info.horizon + 0.1)
        elif p.subject in ("river", "field") and p.layer == "background":
            if p.subject == "field" and place != "field":
                for k in range(6):
                    y = info.horizon + 0.06 + 0.035 * k
                    d.line(v.poly([(-0.5, y), (1.5, y)]), fill=(150, 150, 60), width=v.w(0.003 + 0.002 * k))
        elif p.subject == "harbour":
            w = info.water or (info.horizon, info.horizon + 0.15)
            DRAWINGS["harbour"](d, v, 0.55, w[0] + 0.6 * (w[1] - w[0]), p.h, light)
        elif p.subject == "bridge":
            w = info.water or (info.horizon, info.horizon + 0.1)
            DRAWINGS["bridge"](d, v, 0.5, w[0] + 0.5 * (w[1] - w[0]), p.h, light)
        elif p.subject == "mountain":
            DRAWINGS["mountain"](d, v, 0.3, info.horizon + 0.02, p.h, light)
            DRAWINGS["mountain"](d, v, 0.78, info.horizon + 0.02, p.h * 0.7, light)
        else:
            DRAWINGS[p.subject](d, v, p.x, base, p.h, light)
        if _in_frame(v, p, width, height, mx, my):
            drawn.append(p.subject)
            boxes.setdefault(p.subject, _box(v, p, info))
    if window_scene and info.window:
        drawn += _through_window(layers["sky"], view(), info.window, window_scene, light)

    # light: tint what is lit, then draw what glows
    out_layers: list[Layer] = []
    for name, depth in DEPTHS.items():
        if name not in layers:
            if not views[name].emissive:
                continue
            draws[name]  # only glowing things on it: it still needs a canvas
        img = layers[name]
        if name != "sky":
            img = _tint(img, light.tint)
            draw_emissive(img, views[name])
        box = img.getbbox() if name != "sky" else (0, 0, cw, ch)
        if box is None:
            continue
        out_layers.append(Layer(name, img.crop(box) if name != "sky" else img, box[0], box[1], depth))

    v = views["background"]
    water = None
    if info.water and not is_inside:
        water = (int(max(0, v.y(info.water[0]))), int(min(ch, v.y(info.water[1]))))
    wbox = None
    if info.window:
        wbox = tuple(int(round(a)) for a in v.box(*info.window))
    return LayerSet((cw, ch), margin, (width, height), out_layers, faces, list(dict.fromkeys(drawn)), sky_bodies,
                    place, is_inside, list(scene.weather), water, wbox, light.tint,  # type: ignore[arg-type]
                    {"boxes": boxes})


def _in_frame(v: View, p: Placement, width: int, height: int, mx: int, my: int) -> bool:
    if p.subject in ("river", "field", "harbour", "bridge", "mountain"):
        return True  # they span the set
    x0, y0, x1, y1 = v.lbox(p.x, p.base, -p.h * 0.8, -p.h, p.h * 0.8, 0)
    return x1 > mx and x0 < mx + width and y1 > my and y0 < my + height


def _box(v: View, p: Placement, info: SetInfo) -> tuple[int, int, int, int]:
    """Roughly where a placed subject is, in canvas pixels (the headland is the lighthouse's)."""
    if p.subject in ("river", "field", "harbour", "bridge", "mountain"):
        return 0, int(v.y(info.horizon - p.h)), int(v.x(1.5)), int(v.y(info.horizon + 0.25))
    x0, y0, x1, y1 = v.lbox(p.x, p.base, -p.h * 1.0, -p.h * 1.1, p.h * 1.0, p.h * 0.05)
    if p.subject == "lighthouse" and info.water and not info.interior:
        x0, x1, y1 = min(x0, v.x(p.x - 0.3)), v.x(1.6), max(y1, v.y(info.water[1]))
    return int(x0), int(y0), int(x1), int(y1)


def _through_window(sky: Image.Image, v: View, window, placed: list[Placement], light) -> list[str]:
    """A strip of the outdoors in the window: sea or land, and what the script names out there."""
    x0, y0, x1, y1 = window
    horizon = y1 - 0.3 * (y1 - y0)
    scene = Image.new("RGBA", sky.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(scene)
    watery = any(KINDS.get(p.subject) == "water" or p.subject in ("lighthouse", "harbour") for p in placed)
    d.rectangle(v.box(x0, horizon, x1, y1), fill=(40, 100, 160) if watery else (90, 130, 80))
    drawn = []
    for k, p in enumerate(placed):
        x = x0 + (x1 - x0) * (0.25 + 0.5 * (k % 3) / 2)
        base = horizon + (0.03 if KINDS.get(p.subject) == "water" else 0.0)
        if KINDS.get(p.subject) == "sky":
            base = y0 + 0.1
        DRAWINGS[p.subject](d, v, x, base, p.h, light)
        drawn.append(p.subject)
    scene = _tint(scene, light.tint)
    draw_emissive(scene, v)
    mask = Image.new("L", sky.size, 0)
    ImageDraw.Draw(mask).rectangle(v.box(x0, y0, x1, y1), fill=255)
    alpha = Image.fromarray(np.minimum(np.asarray(scene)[..., 3], np.asarray(mask)))
    sky.paste(scene, (0, 0), alpha)
    return drawn


def flatten(ls: LayerSet) -> Image.Image:
    """The layers composited in place: the key frame's picture (the whole canvas)."""
    sky = ls.layers[0].image.copy()
    for la in ls.layers[1:]:
        sky.alpha_composite(la.image, (la.x, la.y))
    return sky.convert("RGB")


__all__ = ["DEPTHS", "Layer", "LayerSet", "SetInfo", "age_group_of", "build", "cast_of", "flatten", "focus",
           "positions", "shot_subjects"]
