"""Procedural illustrated storyboard panels, drawn as layers.

A panel is a small flat-shaded illustration: the place (`settings`: each place its
own drawing, interior or exterior), the light (`sky`: time of day, sun, moon, stars,
a tint), the subjects the script names (`drawings`, placed by `placement`: the
lighthouse on the headland, the boat on the water, the lamp on the table), the
characters (`figures`: silhouette, hair and clothing from the bible and the
analysis), the weather (`weather`), framed by the shot's camera cue, above a caption
strip that carries the action line in the script's own language.

The picture is built as layers (`layers`) with a depth each, so motion can move
them apart; the key frame is the layers flattened. The world is laid out in scene
coordinates (x 0..1 across, y 0..1 down the picture area); the framing is a zoom
about a focus point, applied when mapping to pixels, so a close-up is drawn at full
resolution instead of cropped and enlarged. Every random choice comes from a seed
derived from the scene id (the set stays the same from shot to shot) or the
character's bible seed, so the same plan gives the same bytes.

What the renderer drew is written into the PNG: `filmstudio:subjects`, JSON
{"named": the shot's subjects, "drawn": the subjects in frame} (vocabulary ids; read
with `panel_subjects` / `drawn_subjects`), and `filmstudio:sky` (sun, moon, stars,
glow, comma-separated).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from PIL import Image, ImageDraw

from filmstudio.models.plan import Plan, Scene, Shot

from .. import fonts
from ..pngfile import save_png
from ..seeds import rng
from . import layers as layering
from . import weather
from .canvas import Color, View, hex_rgb, mix, shade
from .figures import age_group_of, attire_of, figure_height
from .layers import LayerSet, build, flatten
from .settings import place_of
from .sky import LIGHTS, Light, light_for

CAPTION_FRACTION = 0.14  # of the panel height, at the bottom
# PNG text keys the motion engine, compose's QC and the tests read back.
META_CAPTION_TOP = "filmstudio:caption_top"
META_TEXT_RUNS = "filmstudio:text_runs"
META_SUBJECTS = "filmstudio:subjects"
META_SKY = "filmstudio:sky"

__all__ = ["CAPTION_FRACTION", "Color", "LIGHTS", "Light", "META_CAPTION_TOP", "META_SKY", "META_SUBJECTS",
           "META_TEXT_RUNS", "PreviewStoryboard", "View", "age_group_of", "attire_of", "caption_text",
           "contact_sheet", "draw_caption", "drawn_subjects", "panel_subjects", "figure_height", "hex_rgb", "light_for", "mix",
           "place_of", "shade"]


def caption_text(scene: Scene, shot: Shot) -> str:
    if shot.description.strip():
        return shot.description.strip()
    if scene.action:
        return scene.action[0].strip()
    return scene.heading.strip()


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


def panel_subjects(panel: Path) -> dict[str, list[str]]:
    """{"named": what the shot names, "drawn": what the rendered panel shows in frame} (its PNG text chunk)."""
    with Image.open(panel) as im:
        value = im.info.get(META_SUBJECTS)
    return json.loads(value) if value else {"named": [], "drawn": []}


def drawn_subjects(panel: Path) -> list[str]:
    """The subjects a rendered panel shows in frame."""
    return panel_subjects(panel)["drawn"]


def with_weather(img: Image.Image, ls: LayerSet, seed_parts: tuple) -> Image.Image:
    """The static weather of a key frame (motion animates the same overlays)."""
    what = weather.kinds(ls.weather)
    if not what:
        return img
    r = rng("weather", *seed_parts)
    box = ls.window_box if ls.interior else None
    if ls.interior and box is None:
        return img
    if "fog" in what and not ls.interior:
        img = weather.fog(img)
    rgba = img.convert("RGBA")
    tile = weather.precipitation(rgba.size, what, r, ls.window[1])
    if tile is not None:
        rgba.alpha_composite(weather.masked(tile, box))
    if "lightning" in what:
        rgba.alpha_composite(weather.masked(weather.bolt(rgba.size, r), box))
    return rgba.convert("RGB")


class PreviewStoryboard:
    """Procedural panels; see the module docstring."""

    name = "preview-storyboard"
    version = "2.0.0"

    def layers(self, plan: Plan, scene: Scene, shot: Shot, width: int, height: int,
               margin: tuple[int, int] = (0, 0)) -> LayerSet:
        """The shot's picture as layers for a window of width x height plus a margin (motion's input)."""
        return build(plan, scene, shot, width, height, margin)

    def render_panel(self, plan: Plan, scene: Scene, shot: Shot, out_path: Path) -> None:
        img, runs, caption_top, ls = self.draw(plan, scene, shot)
        info = {
            META_CAPTION_TOP: str(caption_top),
            META_TEXT_RUNS: json.dumps([[r.text, r.path.name] for r in runs], ensure_ascii=False),
            META_SUBJECTS: json.dumps({"named": layering.shot_subjects(scene, shot), "drawn": ls.subjects}),
            META_SKY: ",".join(ls.sky),
        }
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        save_png(img, out_path, info, level=1)

    def draw(self, plan: Plan, scene: Scene, shot: Shot) -> tuple[Image.Image, list[fonts.Run], int, LayerSet]:
        W, H = plan.width, plan.height
        caption_top = H - int(round(H * CAPTION_FRACTION))
        ls = build(plan, scene, shot, W, caption_top)
        picture = with_weather(flatten(ls), ls, (scene.id, shot.id))
        panel = Image.new("RGB", (W, H))
        panel.paste(picture, (0, 0))
        runs = draw_caption(panel, caption_top, caption_text(scene, shot))
        return panel, runs, caption_top, ls


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
            # reduced by whole factors first (a box average), then resampled the rest of the way
            thumb = p.convert("RGB").resize((tw, th), Image.Resampling.BILINEAR, reducing_gap=2.0)
        x = pad + (i % cols) * (tw + pad)
        y = pad + (i // cols) * (th + label + pad)
        sheet.paste(thumb, (x, y + label))
        fonts.draw_text(d, (x, y + 2), f"{shot.id}  {shot.framing}  {shot.duration:.1f}s", 13, fill=(220, 220, 220))
    out_path = Path(out_path)
    save_png(sheet, out_path, level=6)
    return out_path


_ = layering  # the layers module is part of this package's API (motion imports it)
