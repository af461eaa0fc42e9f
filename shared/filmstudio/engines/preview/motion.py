"""Shots that move: the storyboard's layers moved apart by the camera, faces, water and weather animated.

The preview motion engine redraws the shot's layers (sky, far, background, water,
midground, characters: `storyboard.layers`) from the plan at the output size, with a
margin for the camera to move into; the key frame PNG is those same layers
flattened (plus the caption strip, which is storyboard furniture and not part of
the shot). Each layer is converted once to yuv420p planes (`planes`); each frame is
composed from them in Python (Pillow pastes of planes, a millisecond or two) and handed
to x264 in this process (`encoder.ClipWriter`), which has nothing to convert and only encodes.

- Pans and tilts move every layer by its depth (characters 1.0, background 0.5, sky
  0.08): a 2.5-D parallax.
- Push-ins and pull-outs zoom the composed frame in ffmpeg (`zoompan`, one frame in,
  one out); `static` holds. Without a pan the layers keep their places: they are
  flattened once, and a frame repaints only what moved since the previous one.
- A speaking character's mouth opens with a syllable envelope of their line, every
  character blinks (`animation`), boats bob, light moves on water, rain and snow
  fall, lightning flickers.
- The film's title is a card over the first shot, laid over after the move in
  screen space, so no camera move crops it.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

from filmstudio.engines.base import frame_count, head_keyframe  # noqa: F401 - the clip format's, re-exported
from filmstudio.models.plan import Plan, Scene, Shot

from . import animation, ffmpeg, fonts
from .encoder import ClipWriter, Overlay
from .planes import Frame, Painter, Planes, Sprite, even_box
from .seeds import rng
from .storyboard import META_CAPTION_TOP, PreviewStoryboard  # noqa: F401 - META_CAPTION_TOP: part of the API
from .storyboard import weather as weathers
from .storyboard.layers import LayerSet

# pan/tilt: (direction of the camera, travel as a fraction of the frame); zoom: (zoom at start, at end)
MOVES: dict[str, tuple[str, tuple[float, float], float]] = {
    "pan_right": ("pan", (1.0, 0.0), 0.12),
    "pan_left": ("pan", (-1.0, 0.0), 0.12),
    "tilt_up": ("pan", (0.0, -1.0), 0.12),  # the camera looks up: the scene slides down the screen
    "tilt_down": ("pan", (0.0, 1.0), 0.12),
    "static": ("hold", (0.0, 0.0), 0.0),
    "push_in": ("zoom", (1.0, 1.16), 0.0),
    "pull_out": ("zoom", (1.16, 1.0), 0.0),
}
TITLE_FROM, TITLE_FADE, TITLE_MAX, TITLE_MIN_SHOT = 0.3, 0.4, 3.5, 2.4


def ease(u: float) -> float:
    return u * u * (3 - 2 * u)


def move_of(shot: Shot) -> tuple[str, tuple[float, float], float]:
    return MOVES.get(shot.camera, MOVES["static"])


def margins(shot: Shot, width: int, height: int) -> tuple[int, int]:
    kind, direction, travel = move_of(shot)
    if kind != "pan":
        return 0, 0
    return (math.ceil(abs(direction[0]) * travel * width / 2) + 2, math.ceil(abs(direction[1]) * travel * height / 2) + 2)


def zoom_filter(z0: float, z1: float, frames: int, width: int, height: int, fps: int) -> str:
    last = max(1, frames - 1)
    e = f"(in/{last})*(in/{last})*(3-2*(in/{last}))"
    return (f"zoompan=z='{z0}+({z1 - z0})*{e}':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)*0.45':d=1"
            f":s={width}x{height}:fps={fps}")


def title_card(plan: Plan) -> Image.Image | None:
    """The film's title, white on a soft dark band, as an RGBA picture of the frame width."""
    title = " ".join(plan.title.split())
    if not title:
        return None
    size = max(12, plan.height // 11)
    lines = fonts.wrap(title, size, plan.width * 0.8)[:2]
    line_h = int(size * 1.5)
    card = Image.new("RGBA", (plan.width, line_h * len(lines) + size), (0, 0, 0, 0))
    d = ImageDraw.Draw(card)
    d.rectangle((0, 0, card.width, card.height), fill=(10, 10, 16, 120))
    y = size / 2
    for line in lines:
        fonts.draw_text(d, ((plan.width - fonts.text_width(line, size)) / 2, y), line, size, fill=(250, 248, 240))
        y += line_h
    return card


def _clip_box(box, w: int, h: int) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    return max(0, x0), max(0, y0), min(w, x1), min(h, y1)


class Composer:
    """Composes the frames of one shot from its layers, as yuv420p planes (`planes`)."""

    def __init__(self, plan: Plan, scene: Scene, shot: Shot, ls: LayerSet):
        self.plan, self.scene, self.shot, self.ls = plan, scene, shot, ls
        self.fps = plan.fps
        self.frames = frame_count(shot.duration, plan.fps)
        self.kind, self.arg, self.travel = move_of(shot)
        self.W, self.H = ls.window
        self.mx, self.my = ls.margin
        sky = ls.layers[0].image
        self.rest = ls.layers[1:]
        # Without a pan (a hold, or a zoom ffmpeg makes) the layers keep their places:
        # flatten them once, and each frame repaints only what moved since the last one.
        self.fixed = self.kind != "pan"
        self.still: Planes | None = None
        self.sky: Sprite | None = None
        self.dirty: list[tuple[int, int, int, int]] | None = None  # None: repaint the whole frame
        if self.fixed:
            still = sky.copy()
            for la in self.rest:
                still.alpha_composite(la.image, (la.x, la.y))
            self.still = Planes.of(still.crop((self.mx, self.my, self.mx + self.W, self.my + self.H))).opaque()
            self.rest = []
        else:
            self.sky = Sprite(sky)
        # each layer pastes as rectangles skipped, copied or blended (planes.Sprite)
        self.sprites = {la.name: Sprite(la.image) for la in self.rest}
        self.image = Frame(self.W, self.H)
        self.painter = Painter(self.image)
        self.talk = animation.utterances(plan, scene, shot)
        self.faces = {f.character_id: f for f in ls.faces}
        self.mouths: dict[str, tuple[float, float, float]] = {}  # this frame's mouths: x, y, half width
        what = weathers.kinds(ls.weather)
        r = rng("weather", scene.id, shot.id)
        box = ls.window_box if ls.interior else None
        self.weather_box = box
        self.precip: Planes | None = None
        self.precip_rows = 0  # the tile's height, stacked twice in precip
        if "rain" in what or "snow" in what:
            size = (box[2] - box[0], box[3] - box[1]) if box else (self.W, self.H)
            if size[0] > 0 and size[1] > 0:
                tile = weathers.precipitation(size, what & {"rain", "snow"}, r, self.H)
                if tile:
                    self.precip_rows = tile.height - tile.height % 2
                    self.precip = Planes.of(animation.stacked(tile.crop((0, 0, tile.width, self.precip_rows))))
        self.fall = self.H * (1.6 if "rain" in what else 0.12)  # pixels a second
        self.flashes = animation.lightning_frames((scene.id, shot.id), self.frames, self.fps) \
            if "lightning" in what else set()
        self.bolt = Planes.of(weathers.bolt((self.W, self.H), r)) if self.flashes else None
        self.fog: Planes | None = None
        if "fog" in what and not ls.interior:
            veil = Image.new("RGBA", (self.W, self.H), (200, 200, 200, 0))
            alpha = Image.linear_gradient("L").resize((self.W, self.H)).point(lambda v: int(90 + 100 * v / 255))
            veil.putalpha(alpha)
            self.fog = Planes.of(veil)
        self.glints: Sprite | None = None
        if ls.water and ls.water[1] > ls.water[0]:
            self.glint_period = 160
            self.glints = Sprite(animation.glint_strip(ls.canvas[0], ls.water[1] - ls.water[0], self.glint_period,
                                                          (scene.id,)))

    def offset(self, depth: float, u: float) -> tuple[int, int]:
        if self.kind != "pan":
            return 0, 0
        c = self.travel * (ease(u) - 0.5)
        return int(round(-depth * c * self.arg[0] * self.W)), int(round(-depth * c * self.arg[1] * self.H))

    def frame(self, n: int) -> Frame:
        """Frame n (the composer's own buffer: `bytes(frame.bytes())` keeps it past the next call)."""
        t = n / self.fps
        u = n / max(1, self.frames - 1)
        frame = self.image
        if self.fixed:
            return self._fixed_frame(frame, n, t, u)
        assert self.sky is not None
        sx, sy = self.offset(self.ls.layers[0].depth, u)
        placed: list[tuple[Sprite, tuple[int, int]]] = [(self.sky, (sx - self.mx, sy - self.my))]
        moved: list[tuple[int, int]] = []
        for la in self.rest:
            ox, oy = self.offset(la.depth, u)
            if la.name == "water":
                oy += round(self.H * 0.004 * math.sin(2 * math.pi * t / 2.6))  # boats bob
            moved.append((ox, oy))
            placed.append((self.sprites[la.name], (la.x - self.mx + ox, la.y - self.my + oy)))
        # A layer that is opaque from some row down (a ground, a wall) hides every row below it of
        # the layers behind: those paste only what shows above it (the sky of an exterior is half hidden).
        above: list[int | None] = []
        hidden: int | None = None
        for sprite, (px, py) in reversed(placed):
            above.append(hidden)
            cover = sprite.covers_from(px, py, self.W, self.H)
            if cover is not None:
                hidden = cover if hidden is None else min(hidden, cover)
        above.reverse()
        frame.paste(self.sky, placed[0][1], above[0])
        cx, cy = self.offset(1.0, u)  # the characters' layer
        for la, (sprite, xy), (ox, oy), row in zip(self.rest, placed[1:], moved, above[1:]):
            frame.paste(sprite, xy, row)
            if la.name == "background" and self.glints is not None:
                drift = int(t * 14) % self.glint_period
                frame.paste(self.glints, (-self.glint_period + drift - self.mx + ox,
                                          self.ls.water[0] - self.my + oy))
            if la.name == "characters":
                cx, cy = ox, oy
        if self.faces:
            def at(px: float, py: float) -> tuple[float, float]:
                return px - self.mx + cx, py - self.my + cy

            self.mouths = {cid: (*at(f.mouth[0], f.mouth[1]), f.mouth[2]) for cid, f in self.faces.items()}
            for cid, face in self.faces.items():
                opening = max((s.amplitude(t) for s in self.talk if s.character_id == cid), default=0.0)
                animation.draw_face(self.painter, face, at, 1.0, opening, animation.blink_closed(face, t),
                                    self.ls.tint)
        self._weather(frame, n, t, u)
        return frame

    def rgb(self, n: int) -> Image.Image:
        """Frame n as an RGB image, to look at (the encoder takes the planes)."""
        return self.frame(n).rgb()

    def frame_bytes(self, n: int) -> bytes | memoryview:
        return self.frame(n).bytes()

    def _fixed_frame(self, frame: Frame, n: int, t: float, u: float) -> Frame:
        assert self.still is not None
        if self.dirty is None:
            frame.paste(self.still, (0, 0))
        else:
            for box in self.dirty:
                frame.paste(self.still.crop(box), box[:2])
        dirty: list[tuple[int, int, int, int]] = []
        W, H = self.W, self.H
        if self.glints is not None:
            drift = int(t * 14) % self.glint_period
            y0, y1 = self.ls.water
            frame.paste(self.glints, (-self.glint_period + drift - self.mx, y0 - self.my))
            dirty.append((0, max(0, y0 - self.my), W, min(H, y1 - self.my)))
        if self.faces:
            def at(px: float, py: float) -> tuple[float, float]:
                return px - self.mx, py - self.my

            self.mouths = {cid: (*at(f.mouth[0], f.mouth[1]), f.mouth[2]) for cid, f in self.faces.items()}
            for cid, face in self.faces.items():
                opening = max((s.amplitude(t) for s in self.talk if s.character_id == cid), default=0.0)
                animation.draw_face(self.painter, face, at, 1.0, opening, animation.blink_closed(face, t),
                                    self.ls.tint)
                mx, my, mw = self.mouths[cid]
                pad = 2 + int(mw * 1.2)
                dirty.append(_clip_box((mx - pad, my - pad, mx + pad, my + pad), W, H))
                for ex, ey, er in face.eyes:
                    x, y = at(ex, ey)
                    dirty.append(_clip_box((x - er - 2, y - er - 2, x + er + 2, y + er + 2), W, H))
        whole = self.precip is not None or self.fog is not None or n in self.flashes
        self._weather(frame, n, t, u)
        # Even edges: a repaint then restores a box's chroma along with its luma.
        self.dirty = None if whole else [even_box(b) for b in dirty if b[2] > b[0] and b[3] > b[1]]
        return frame

    def _weather(self, frame: Frame, n: int, t: float, u: float) -> None:
        box = self.weather_box
        bx, by = 0, 0
        if box:
            ox, oy = self.offset(0.5, u)  # the window is in the wall (background) layer
            bx, by = box[0] - self.mx + ox, box[1] - self.my + oy
        if self.precip is not None:
            h = self.precip_rows
            # Pasted at any offset, the drops' chroma can sit a pixel off their luma: they are
            # grey or white, so no colour shows (chroma per parity, as a Sprite keeps, is not worth it).
            fall = int(t * self.fall) % h
            sway = int(6 * math.sin(t * 1.3)) if self.fall < self.H else 0
            frame.paste(self.precip.crop((0, h - fall, self.precip.size[0], 2 * h - fall)), (bx + sway, by))
        if n in self.flashes and self.bolt is not None:
            if box:
                # indoors the flash shows only through the window, where it is this frame
                seen = _clip_box((bx, by, bx + box[2] - box[0], by + box[3] - box[1]), self.W, self.H)
                if seen[2] > seen[0] and seen[3] > seen[1]:
                    frame.paste(self.bolt.crop(seen), seen[:2])
            else:
                frame.paste(self.bolt, (0, 0))
        if self.fog is not None:
            frame.paste(self.fog, (0, 0))


class PreviewMotion:
    """Layered camera moves with animated faces, water and weather; see the module docstring."""

    name = "preview-motion"
    version = "2.0.0"

    def composer(self, plan: Plan, scene: Scene, shot: Shot) -> Composer:
        ls = PreviewStoryboard().layers(plan, scene, shot, plan.width, plan.height,
                                        margins(shot, plan.width, plan.height))
        return Composer(plan, scene, shot, ls)

    def render_clip(self, plan: Plan, scene: Scene, shot: Shot, panel_path: Path, out_path: Path) -> None:
        comp = self.composer(plan, scene, shot)
        frames = comp.frames
        W, H, fps = plan.width, plan.height, plan.fps
        chain = [ffmpeg.TAG_BT709]  # the frames are BT.709 yuv420p: nothing to convert
        if comp.kind == "zoom":
            chain.append(zoom_filter(*comp.arg, frames, W, H, fps))
        chain.append("setsar=1")
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with ClipWriter(out_path, W, H, fps, chain=chain, keyframes={0, head_keyframe(fps)},
                        overlay=self._title_overlay(plan, shot)) as clip:
            for n in range(frames):
                clip.write(comp.frame_bytes(n))

    @staticmethod
    def _title_overlay(plan: Plan, shot: Shot) -> Overlay | None:
        """The film's title over its first shot, when that shot holds it long enough to be read."""
        first = (bool(plan.scenes) and bool(plan.scenes[0].shots) and plan.scenes[0].shots[0].id == shot.id
                 and shot.duration >= TITLE_MIN_SHOT)
        card = title_card(plan) if first else None
        if card is None:
            return None
        end = min(TITLE_MAX, shot.duration - 0.2)
        return Overlay(card, ("format=yuva420p", f"fade=t=in:st={TITLE_FROM}:d={TITLE_FADE}:alpha=1",
                              f"fade=t=out:st={max(TITLE_FROM + TITLE_FADE, end - TITLE_FADE):.3f}:d={TITLE_FADE}:alpha=1"),
                       "x=0:y=(H-h)*0.1:eof_action=pass:format=yuv420")
