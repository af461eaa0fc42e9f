"""What moves inside a shot besides the camera: mouths, eyes, water, rain and snow, lightning.

Speech renders in parallel with motion (the state machine runs the scene map and
the line map side by side), so the mouth cannot follow the WAV. It follows a
deterministic syllable envelope instead: each line is placed in the shot where
compose will place it (LEAD_IN after the shot starts, PAUSE between lines), lasting
its planned duration (the speaker's voice rate), and within it the mouth opens once
per syllable (`analysis.language.speech_timing.syllables`), wider on stressed-looking
syllables (seeded), closing between words. Eyes blink every 2.5-5 s, at a phase and
period fixed by the character's bible seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from filmstudio.analysis.language.speech_timing import syllables
from filmstudio.models.plan import Plan, Scene, Shot
from filmstudio.planning.shots import line_duration

from .seeds import rng, stable_seed
from .storyboard.figures import Face

BLINK_SECONDS = 0.13
MOUTH = (70, 24, 28)


@dataclass(frozen=True)
class Utterance:
    character_id: str
    start: float  # seconds into the shot
    end: float
    text: str
    syllables: int
    seed: int

    def amplitude(self, t: float) -> float:
        """How open the mouth is at t (0 closed .. 1 wide)."""
        if not self.start <= t < self.end:
            return 0.0
        u = (t - self.start) / (self.end - self.start)
        # A closed mouth between words: where this moment falls in the text.
        ch = self.text[min(len(self.text) - 1, int(u * len(self.text)))] if self.text else " "
        if ch in " ,.;:!?।—-…":
            return 0.05
        phase = u * self.syllables
        k = int(phase)
        accent = 0.55 + 0.45 * ((stable_seed(self.seed, k) % 1000) / 1000.0)
        return accent * math.sin(math.pi * (phase - k)) ** 0.7


def utterances(plan: Plan, scene: Scene, shot: Shot) -> list[Utterance]:
    from .compose import LEAD_IN, PAUSE  # compose imports motion, which imports this module

    by_id = {line.id: line for line in scene.lines}
    characters = {c.id: c for c in plan.characters}
    out = []
    t = LEAD_IN
    for lid in shot.line_ids:
        line = by_id.get(lid)
        if line is None:
            continue
        d = max(0.2, line_duration(line, characters))
        out.append(Utterance(line.character_id, t, t + d, line.text, max(1, syllables(line.text)),
                             stable_seed("mouth", line.id)))
        t += d + PAUSE
    return out


def blink_closed(face: Face, t: float) -> bool:
    s = stable_seed("blink", face.character_id)
    period = 2.5 + (s % 1000) / 400.0
    phase = ((s >> 12) % 1000) / 1000.0 * period
    return ((t + phase) % period) < BLINK_SECONDS


def _lit(c, tint) -> tuple[int, int, int]:
    return tuple(max(0, min(255, int(round(v * k)))) for v, k in zip(c, tint))  # type: ignore[return-value]


def draw_face(d, face: Face, at, scale: float, opening: float, closed: bool, tint) -> None:
    """The mouth (open by `opening`) and the eyelids, at the face's place this frame.

    `d` draws: an `ImageDraw.ImageDraw`, or the `planes.Painter` motion draws frames with
    (both take `ellipse(box, fill=rgb)` and `line(xy, fill=rgb, width=)`). `at(x, y)`
    maps the face's canvas pixels to this frame's pixels; `scale` is the layer's extra zoom.
    """
    if opening > 0.08:
        mx, my = at(face.mouth[0], face.mouth[1])
        mw = face.mouth[2] * scale * (0.75 + 0.2 * opening)
        mh = max(1.0, face.mouth[2] * scale * 0.9 * opening)
        d.ellipse((mx - mw, my - mh * 0.45, mx + mw, my + mh * 0.55), fill=_lit(MOUTH, tint))
    if closed:
        skin = _lit(face.skin, tint)
        lid = _lit((60, 40, 36), tint)
        for ex, ey, er in face.eyes:
            x, y = at(ex, ey)
            r = er * scale
            d.ellipse((x - r, y - r, x + r, y + r), fill=skin)
            d.line((x - r, y, x + r, y), fill=lid, width=max(1, int(r * 0.35)))


def glint_strip(width: int, height: int, period: int, seed: tuple) -> Image.Image:
    """Light on water: short strokes, horizontally periodic so it can scroll without a seam."""
    r = rng("water", *seed)
    tile = Image.new("RGBA", (period, max(1, height)), (0, 0, 0, 0))
    d = ImageDraw.Draw(tile)
    n = max(2, int(period * height / 2600))
    for x, y in zip(r.random(n) * period, r.random(n) * height):
        ln = 6 + 14 * (y / max(1, height))  # nearer strokes are longer
        d.line((x, y, x + ln, y), fill=(210, 235, 250, 150), width=max(1, int(1 + 2 * y / max(1, height))))
    strip = Image.new("RGBA", (width + 2 * period, max(1, height)), (0, 0, 0, 0))
    for k in range(0, strip.width, period):
        strip.paste(tile, (k, 0))
    return strip


def stacked(tile: Image.Image) -> Image.Image:
    """The tile twice, one above the other: any window of its height scrolls without a seam."""
    out = Image.new("RGBA", (tile.width, tile.height * 2), (0, 0, 0, 0))
    out.paste(tile, (0, 0))
    out.paste(tile, (0, tile.height))
    return out


def lightning_frames(seed: tuple, frames: int, fps: int) -> set[int]:
    """Frames a flash shows on: a double flicker every 2-4 s."""
    r = rng("lightning", *seed)
    out: set[int] = set()
    t = 0.4 + r.random() * 1.2
    while t * fps < frames:
        n = int(t * fps)
        out.update({n, n + 1, n + 3})
        t += 2.0 + 2.0 * r.random()
    return out


def fade_alpha(img: Image.Image, k: float) -> Image.Image:
    arr = np.asarray(img).copy()
    arr[..., 3] = (arr[..., 3].astype(np.float32) * k).astype(np.uint8)
    return Image.fromarray(arr, "RGBA")
