"""Characters as figures that differ by silhouette, hair and clothing.

Everything comes from the character bible and the analysis: height and head size
by age group, build and skin and hair from the bible seed (the same figure in every
shot), clothing from `Character.attire` (else from gender and the scene's region),
hair by gender. An unknown gender is a neutral figure: a knee-length tunic over
trousers, hair to the jaw, neither a skirt nor a beard. Each figure reports where
its face is, so motion can open the mouth and close the eyes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageDraw

from filmstudio.models.plan import Character, Scene

from ..seeds import rng
from .canvas import Color, View, hex_rgb, shade

_HEIGHTS = {"child": 0.3, "teen": 0.42, "adult": 0.48, "elder": 0.45}
_SKINS = [(234, 192, 160), (205, 150, 110), (170, 116, 80), (140, 92, 62), (112, 72, 48)]
_HAIRS = [(30, 22, 18), (60, 40, 25), (20, 20, 20), (90, 60, 30)]
ATTIRES = ("sari", "kurta", "dhoti", "school_uniform", "uniform", "apron", "fisherman", "suit", "shirt_trousers",
           "dress", "robe", "tunic")


def age_group_of(c: Character) -> str:
    if c.age_group:
        return c.age_group
    if c.age is not None:
        return "child" if c.age < 13 else "teen" if c.age < 20 else "elder" if c.age >= 60 else "adult"
    return c.voice.age_group or "adult"


def figure_height(c: Character) -> float:
    return _HEIGHTS[age_group_of(c)]


def head_radius(c: Character) -> float:
    return figure_height(c) * (0.13 if age_group_of(c) == "child" else 0.1)


def attire_of(c: Character, scene: Scene | None = None) -> str:
    for a in c.attire:
        if a in ATTIRES:
            return a
    region = (scene.cultural_context.region or "") if scene else ""
    indian = "india" in region
    if c.gender == "female":
        return "sari" if indian and age_group_of(c) in ("adult", "elder") else "dress"
    if c.gender == "male":
        return "kurta" if indian and age_group_of(c) in ("adult", "elder") else "shirt_trousers"
    return "tunic"


@dataclass
class Face:
    """Where a figure's face is, in canvas pixels."""

    character_id: str
    cx: float
    cy: float
    r: float  # head radius
    mouth: tuple[float, float, float]  # centre x, centre y, half width
    eyes: list[tuple[float, float, float]]  # centre x, centre y, radius
    skin: Color
    hand: tuple[float, float]  # world coordinates of the right hand


def draw_figure(d: ImageDraw.ImageDraw, view: View, c: Character, x: float, ground: float,
                scene: Scene | None = None) -> Face:
    r = rng("character", c.id, c.seed)
    palette = [hex_rgb(p) for p in c.palette] or [tuple(int(v) for v in r.integers(40, 220, 3))]
    main = palette[0]
    second = palette[1] if len(palette) > 1 else shade(main, 0.6)
    accent = palette[2] if len(palette) > 2 else shade(main, 1.3)
    skin = _SKINS[int(r.integers(0, len(_SKINS)))]
    age = age_group_of(c)
    hair = (200, 200, 205) if age == "elder" else _HAIRS[int(r.integers(0, len(_HAIRS)))]
    build = 0.86 + 0.28 * float(r.random())  # slim to broad, fixed per character
    style = int(r.integers(0, 3))
    attire = attire_of(c, scene)
    h = figure_height(c)
    head_r = head_radius(c)
    top = ground - h
    if age == "elder":
        top += h * 0.03  # a slight stoop
    hy = top + head_r
    neck = hy + head_r
    hip = neck + h * 0.36
    ax = view.height / view.width  # world x is wider than world y: shapes are measured in heights
    hx = head_r * ax
    sh = h * 0.13 * build * ax
    w = view.w(h * 0.05)
    limb = view.w(h * 0.085)
    P = view.poly

    # long hair falls behind the shoulders: drawn first, the body covers its middle
    female = c.gender == "female"
    if female and style != 1:  # long hair (style 1 wears a bun)
        d.ellipse(view.box(x - hx * 1.2, hy - head_r * 1.05, x + hx * 1.2, neck + h * (0.16 if style else 0.11)),
                  fill=hair)
    elif c.gender is None:  # to the jaw
        d.ellipse(view.box(x - hx * 1.14, hy - head_r * 1.08, x + hx * 1.14, hy + head_r * 1.0), fill=hair)
    # legs and lower garment
    long_skirt = attire in ("sari", "robe")
    if long_skirt:
        d.polygon(P([(x - sh * 0.8, hip - h * 0.05), (x + sh * 0.8, hip - h * 0.05), (x + sh * 1.35, ground),
                     (x - sh * 1.35, ground)]), fill=second)
        d.line(P([(x - sh * 1.35, ground - h * 0.02), (x + sh * 1.35, ground - h * 0.02)]), fill=shade(accent, 0.8), width=w)
    elif attire == "dress":
        d.polygon(P([(x - sh * 0.8, hip - h * 0.08), (x + sh * 0.8, hip - h * 0.08), (x + sh * 1.3, hip + h * 0.26),
                     (x - sh * 1.3, hip + h * 0.26)]), fill=main)
        for side in (-1, 1):
            d.line(P([(x + side * sh * 0.4, hip + h * 0.2), (x + side * sh * 0.45, ground)]), fill=skin, width=limb // 2 or 1)
    elif attire == "dhoti":
        d.polygon(P([(x - sh * 0.85, hip), (x + sh * 0.85, hip), (x + sh * 0.75, ground - h * 0.1),
                     (x - sh * 0.75, ground - h * 0.1)]), fill=(238, 234, 222))
        for side in (-1, 1):
            d.line(P([(x + side * sh * 0.35, ground - h * 0.12), (x + side * sh * 0.4, ground)]), fill=skin, width=limb)
    else:
        legs = {"school_uniform": (40, 50, 90), "uniform": (44, 52, 70), "suit": shade(main, 0.45), "fisherman": (70, 80, 110),
                "kurta": (236, 232, 220), "tunic": shade(second, 0.8)}.get(attire, second)
        bottom = ground - (h * 0.08 if attire == "fisherman" else 0)  # rolled-up trousers
        for side in (-1, 1):
            d.line(P([(x + side * sh * 0.4, hip), (x + side * sh * 0.5, bottom)]), fill=legs, width=limb)
            if attire == "fisherman":
                d.line(P([(x + side * sh * 0.5, bottom), (x + side * sh * 0.5, ground)]), fill=skin, width=limb)
        if attire == "school_uniform" and c.gender == "female":
            d.polygon(P([(x - sh * 0.85, hip - h * 0.02), (x + sh * 0.85, hip - h * 0.02), (x + sh * 1.1, hip + h * 0.18),
                         (x - sh * 1.1, hip + h * 0.18)]), fill=(40, 50, 90))
    # torso
    torso = {"school_uniform": (240, 240, 236), "uniform": (60, 72, 96), "apron": main, "suit": shade(main, 0.45),
             "fisherman": (200, 180, 120), "dhoti": skin if age == "elder" else (238, 234, 222)}.get(attire, main)
    tunic_low = {"kurta": hip + h * 0.2, "tunic": hip + h * 0.14, "robe": hip}.get(attire, hip)
    widen = 0.95 if attire in ("kurta", "tunic") else 0.75
    d.polygon(P([(x - sh, neck), (x + sh, neck), (x + sh * widen, tunic_low), (x - sh * widen, tunic_low)]), fill=torso)
    if attire == "sari":  # the pallu across the body and over the shoulder
        d.polygon(P([(x + sh, neck), (x + sh * 0.2, neck), (x - sh * 0.75, hip), (x - sh * 0.2, hip)]), fill=second)
        d.line(P([(x + sh * 0.2, neck), (x - sh * 0.75, hip)]), fill=accent, width=w)
    elif attire == "school_uniform":
        d.polygon(P([(x - sh * 0.12, neck), (x + sh * 0.12, neck), (x, neck + h * 0.2)]), fill=(150, 30, 40))  # tie
    elif attire == "suit":
        d.polygon(P([(x - sh * 0.3, neck), (x + sh * 0.3, neck), (x, neck + h * 0.18)]), fill=(240, 240, 236))
        d.line(P([(x, neck + h * 0.02), (x, neck + h * 0.2)]), fill=shade(main, 0.8), width=w)
    elif attire == "uniform":  # a belt and a shoulder badge: a guard's, a nurse's, a conductor's
        d.line(P([(x - sh * 0.78, hip - h * 0.03), (x + sh * 0.78, hip - h * 0.03)]), fill=(30, 30, 30), width=w)
        d.ellipse(view.circle(x - sh * 0.55, neck + h * 0.07, h * 0.018), fill=(220, 190, 80))
    elif attire == "apron":
        d.rectangle(view.box(x - sh * 0.6, neck + h * 0.08, x + sh * 0.6, hip + h * 0.2), fill=(240, 236, 226))
    elif attire == "fisherman":
        d.rectangle(view.box(x - sh * 0.9, neck + h * 0.02, x + sh * 0.9, neck + h * 0.24), outline=(90, 70, 50), width=w)
    elif attire == "kurta":
        d.line(P([(x, neck), (x, neck + h * 0.12)]), fill=shade(main, 0.7), width=w)
    # arms
    sleeve = torso if attire not in ("dhoti",) else skin
    for side in (-1, 1):
        d.line(P([(x + side * sh * 0.95, neck + h * 0.02), (x + side * sh * 1.25, hip - h * 0.02)]), fill=sleeve,
               width=view.w(h * 0.06))
        d.ellipse(view.circle(x + side * sh * 1.25, hip, h * 0.03), fill=skin)
    if age == "elder":  # a walking stick
        d.line(P([(x - sh * 1.35, hip), (x - sh * 1.6, ground)]), fill=(110, 80, 50), width=w)
    # the head, hair on top (long hair was drawn first, behind the body)
    d.ellipse(view.circle(x, hy, head_r), fill=skin)
    bald = c.gender == "male" and age == "elder" and style == 0
    if bald:
        d.chord(view.box(x - hx * 1.04, hy - head_r * 0.6, x + hx * 1.04, hy + head_r * 0.5), 150, 210, fill=hair)
        d.chord(view.box(x - hx * 1.04, hy - head_r * 0.6, x + hx * 1.04, hy + head_r * 0.5), 330, 30, fill=hair)
    else:
        d.chord(view.box(x - hx * 1.05, hy - head_r * 1.1, x + hx * 1.05, hy + head_r * 0.4), 180, 360, fill=hair)
    if female and style == 1:
        d.ellipse(view.circle(x, hy - head_r * 1.05, head_r * 0.42), fill=hair)
    if attire == "fisherman":
        d.chord(view.box(x - hx * 1.2, hy - head_r * 1.35, x + hx * 1.2, hy + head_r * 0.1), 180, 360,
                fill=(230, 190, 60))
    if c.gender == "male" and age in ("adult", "elder") and style == 2:  # a beard
        d.chord(view.box(x - hx * 0.9, hy - head_r * 0.2, x + hx * 0.9, hy + head_r * 1.15), 0, 180, fill=hair)
    # the face: eyes and a closed mouth; motion opens and closes them
    ex = hx * 0.38
    eyes = []
    for side in (-1, 1):
        box = view.circle(x + side * ex, hy + head_r * 0.05, head_r * 0.11)
        d.ellipse(box, fill=(30, 25, 25))
        eyes.append(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, (box[2] - box[0]) / 2 * 1.5))
    mx, my, mw = view.x(x), view.y(hy + head_r * 0.5), view.s(head_r * 0.3)
    d.line([(mx - mw, my), (mx + mw, my)], fill=(120, 50, 50), width=view.w(head_r * 0.08))
    if female and c.palette and len(c.palette) > 2 and attire in ("sari", "kurta"):
        d.ellipse(view.circle(x, hy - head_r * 0.35, head_r * 0.08), fill=accent)  # bindi
    return Face(c.id, view.x(x), view.y(hy), view.s(head_r), (mx, my, mw), eyes, skin,
                (x + sh * 1.25, hip))
