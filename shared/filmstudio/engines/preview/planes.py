"""Pictures as BT.709 limited-range YUV 4:2:0 planes: the form x264 encodes.

Motion composes its frames in this form instead of RGBA, for two reasons measured on a
720p film: ffmpeg then converts nothing (its RGBA to yuv420p conversion cost 2-3 ms a
frame, a third of the x264 encode itself), and a frame is 1.5 bytes a pixel instead of
4, so every paste moves under half the bytes. A layer is converted once
per shot; a frame is then pastes of planes and a few drawn shapes.

Alpha compositing commutes with the colour matrix (it is affine and the weights sum
to one), so blending planes gives the frame blending RGBA would, converted. Chroma is
blended at half resolution with the layer's alpha averaged over each 2x2 block, and
its colour averaged with alpha weights (premultiplied), so a transparent pixel's
colour never bleeds into an edge. A chroma sample covers two pixels each way, so what
is pasted at an odd offset needs its chroma computed for that offset: otherwise its
colour sits a pixel off its luma, a fringe one sees along every horizon. `Sprite`
keeps chroma per offset parity for what moves; `Planes.of(img, parity)` makes one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

KR, KB = 0.2126, 0.0722
KG = 1.0 - KR - KB
_Y = (219 / 255 * KR, 219 / 255 * KG, 219 / 255 * KB)
_CB = tuple(224 / 255 / (2 * (1 - KB)) * k for k in (-KR, -KG, 1 - KB))
_CR = tuple(224 / 255 / (2 * (1 - KR)) * k for k in (1 - KR, -KG, -KB))
Y_MATRIX = (*_Y, 16.0)  # Pillow's matrix conversion rounds to the nearest level
CB_MATRIX = (*_CB, 128.0)
CR_MATRIX = (*_CR, 128.0)


def yuv_of(rgb) -> tuple[int, int, int]:
    """One colour's (Y, Cb, Cr)."""
    r, g, b = (float(c) for c in rgb[:3])
    return tuple(int(round(m[0] * r + m[1] * g + m[2] * b + m[3])) for m in (Y_MATRIX, CB_MATRIX, CR_MATRIX))  # type: ignore[return-value]


def chroma_box(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The chroma pixels a luma box touches."""
    x0, y0, x1, y1 = box
    return x0 // 2, y0 // 2, -(-x1 // 2), -(-y1 // 2)


def even_box(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The box grown to even edges, so its luma and chroma cover the same picture."""
    x0, y0, x1, y1 = box
    return x0 - x0 % 2, y0 - y0 % 2, x1 + x1 % 2, y1 + y1 % 2


@dataclass
class Planes:
    """A picture as 'L' images: luma and alpha at full size, chroma and its alpha at half."""

    y: Image.Image
    u: Image.Image
    v: Image.Image
    a: Image.Image | None = None  # None: opaque
    a2: Image.Image | None = None

    @property
    def size(self) -> tuple[int, int]:
        return self.y.size

    @classmethod
    def of(cls, img: Image.Image, parity: tuple[int, int] = (0, 0)) -> Planes:
        """An RGB or RGBA image's planes, with chroma for pasting at an offset of that parity
        (an RGBA image with no transparent pixel comes out opaque)."""
        return _Converted(img).planes(parity)

    def crop(self, box: tuple[int, int, int, int]) -> Planes:
        """A box of planes made for even offsets (a box with an odd corner shifts its chroma a pixel)."""
        return self.cut(box, chroma_box(box))

    def cut(self, box: tuple[int, int, int, int], cbox: tuple[int, int, int, int], masks: bool = True) -> Planes:
        """Luma and alpha in `box`, chroma in `cbox` (which the caller aligns); without masks, an opaque copy."""
        return Planes(self.y.crop(box), self.u.crop(cbox), self.v.crop(cbox),
                      self.a.crop(box) if masks and self.a is not None else None,
                      self.a2.crop(cbox) if masks and self.a2 is not None else None)

    def opaque(self) -> Planes:
        return Planes(self.y, self.u, self.v)

    def rgb(self) -> Image.Image:
        """The planes as an RGB image (for looking at a frame; the encoder never needs it)."""
        w, h = self.size
        y = np.asarray(self.y, dtype=np.float32) - 16.0
        u = np.asarray(self.u, dtype=np.float32).repeat(2, 0).repeat(2, 1)[:h, :w] - 128.0
        v = np.asarray(self.v, dtype=np.float32).repeat(2, 0).repeat(2, 1)[:h, :w] - 128.0
        yl = y * 255 / 219
        r = yl + v * 255 / 224 * 2 * (1 - KR)
        b = yl + u * 255 / 224 * 2 * (1 - KB)
        g = (yl - KR * r - KB * b) / KG
        out = np.clip(np.stack([r, g, b], axis=2) + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(out, "RGB")


class _Converted:
    """An image's luma and alpha, made once, and its chroma for any offset parity."""

    def __init__(self, img: Image.Image):
        if img.mode not in ("RGB", "RGBA"):
            img = img.convert("RGBA")
        self.img = img
        alpha = img.getchannel("A") if img.mode == "RGBA" else None
        self.alpha = None if alpha is None or alpha.getextrema()[0] == 255 else alpha
        self.rgb = img.convert("RGB") if img.mode == "RGBA" else img
        self.y = self.rgb.convert("L", Y_MATRIX)
        self._premultiplied: Image.Image | None = None

    def planes(self, parity: tuple[int, int]) -> Planes:
        px, py = parity
        w, h = self.img.size
        pw, ph = w + px, h + py
        pw, ph = pw + pw % 2, ph + ph % 2
        if self.alpha is None and (pw, ph) == (w, h):
            small = self.rgb.reduce(2)
            a2 = None
        else:
            # Box-average premultiplied colour, then divide the alpha out again. Padding is
            # transparent, so a chroma sample half outside the image covers half its area.
            if self._premultiplied is None:
                self._premultiplied = self.img.convert("RGBA").convert("RGBa")
            src = self._premultiplied
            if (pw, ph) != (w, h):
                padded = Image.new("RGBa", (pw, ph), (0, 0, 0, 0))
                padded.paste(src, (px, py))
                src = padded
            quarter = src.reduce(2).convert("RGBA")
            small = quarter.convert("RGB")
            a2 = quarter.getchannel("A")
        return Planes(self.y, small.convert("L", CB_MATRIX), small.convert("L", CR_MATRIX), self.alpha, a2)


# What a paste costs, measured with Pillow 13 on a 720p frame: a blend through a mask about
# 0.8 ns a luma pixel (its chroma included), a plain copy next to nothing, and every paste of
# three planes some 7 us of calls. So a sprite is cut into rectangles: what is transparent is
# skipped, what is opaque copied, and only the rest blended; a gap or an opaque run too small
# to repay its own paste stays inside the blended rectangle around it.
_PASTE_NS = 7000.0
_BLEND_NS = 0.8
_BAND = 16  # chroma rows (32 luma rows) per band of rectangles
_SKIP, _BLEND, _COPY = 0, 1, 2


def _runs(kinds: np.ndarray) -> list[list[int]]:
    """[kind, start, end] runs of equal values."""
    edges = np.flatnonzero(np.diff(kinds)) + 1
    starts = [0, *edges.tolist()]
    ends = [*edges.tolist(), len(kinds)]
    return [[int(kinds[a]), a, b] for a, b in zip(starts, ends)]


def _plan_band(kinds: np.ndarray, luma_rows: int) -> list[list[int]]:
    """The [kind, start, end] chroma-column spans to paste for one band (skipped spans left out)."""
    runs = _runs(kinds)
    while runs and runs[0][0] == _SKIP:
        runs.pop(0)
    while runs and runs[-1][0] == _SKIP:
        runs.pop()
    worth = _PASTE_NS / (_BLEND_NS * 2 * luma_rows)  # chroma columns a separate paste must save
    for run in runs:
        if run[0] != _BLEND and run[2] - run[1] < worth:
            run[0] = _BLEND
    merged: list[list[int]] = []
    for run in runs:
        if merged and merged[-1][0] == run[0]:
            merged[-1][2] = run[2]
        else:
            merged.append(run)
    return [r for r in merged if r[0] != _SKIP]


def _bands(kinds: np.ndarray) -> list[tuple[int, int]]:
    """Row bands of at most _BAND chroma rows, also cut wherever rows turn all transparent, all
    opaque or neither (the edge columns aside: a sprite at an odd offset has a half-covered
    chroma column each side, which the column runs take care of), so that a soft horizon
    or the half-covered last row of an odd offset is a thin band of its own."""
    inner = kinds[:, 1:-1] if kinds.shape[1] > 2 else kinds
    state = np.where((inner == _SKIP).all(axis=1), _SKIP, np.where((inner == _COPY).all(axis=1), _COPY, _BLEND))
    bands = []
    for _, a, b in _runs(state):
        bands += [(j, min(b, j + _BAND)) for j in range(a, b, _BAND)]
    return bands


def _cut(whole: Planes, kind: int, cbox: tuple[int, int, int, int], parity: tuple[int, int]) -> tuple[Planes, int, int]:
    """A chroma-aligned rectangle of planes and where its luma starts in the sprite."""
    px, py = parity
    w, h = whole.size
    i0, j0, i1, j1 = cbox
    box = (max(0, 2 * i0 - px), max(0, 2 * j0 - py), min(w, 2 * i1 - px), min(h, 2 * j1 - py))
    return whole.cut(box, cbox, masks=kind == _BLEND), box[0], box[1]


class Sprite:
    """An image to paste at any offset: its luma once, its chroma made per offset parity on
    first use, and cut into rectangles to skip, copy or blend (see _PASTE_NS)."""

    def __init__(self, img: Image.Image):
        self.img = img if img.mode in ("RGB", "RGBA") else img.convert("RGBA")
        self._converted = _Converted(self.img)
        # the first of the rows below the last one with a transparent pixel: most of a ground or a wall
        alpha = self._converted.alpha
        self.opaque_from = 0
        if alpha is not None:
            see_through = np.flatnonzero(np.asarray(alpha).min(axis=1) < 255)
            self.opaque_from = int(see_through[-1]) + 1 if see_through.size else 0
        self._pieces: dict[tuple[int, int], list[tuple[Planes, int, int]]] = {}
        self._solid: dict[tuple[int, int], tuple[int, bool]] = {}
        self._tops: dict[tuple[int, int, int], list[tuple[Planes, int, int]]] = {}

    @property
    def size(self) -> tuple[int, int]:
        return self.img.size

    def pieces(self, x: int, y: int) -> list[tuple[Planes, int, int]]:
        """(planes, dx, dy) to paste at (x + dx, y + dy) for a top-left corner at (x, y)."""
        parity = (x % 2, y % 2)
        if parity not in self._pieces:
            whole = self._converted.planes(parity)
            self._pieces[parity] = self._tiles(whole, parity)
            # The first luma row whose chroma rows are all opaque to the bottom, and whether a
            # chroma sample there hangs half over the sprite's edge (padding for an odd offset).
            k = -(-(self.opaque_from + parity[1]) // 2)
            edge = whole.a2 is not None and k < whole.a2.height and \
                whole.a2.crop((0, k, whole.a2.width, whole.a2.height)).getextrema()[0] < 255
            self._solid[parity] = (2 * k - parity[1], edge)
        return self._pieces[parity]

    @staticmethod
    def _tiles(whole: Planes, parity: tuple[int, int]) -> list[tuple[Planes, int, int]]:
        if whole.a is None:
            return [(whole, 0, 0)]
        px, py = parity
        w, h = whole.size
        cw, ch = whole.u.size
        alpha = np.zeros((2 * ch, 2 * cw), np.uint8)  # padding is transparent
        alpha[py:py + h, px:px + w] = np.asarray(whole.a)
        quads = (alpha[0::2, 0::2], alpha[0::2, 1::2], alpha[1::2, 0::2], alpha[1::2, 1::2])
        lo = np.minimum(np.minimum(quads[0], quads[1]), np.minimum(quads[2], quads[3]))
        hi = np.maximum(np.maximum(quads[0], quads[1]), np.maximum(quads[2], quads[3]))
        kinds = np.where(hi == 0, _SKIP, np.where(lo == 255, _COPY, _BLEND)).astype(np.int8)
        rects: list[list[int]] = []  # kind, i0, j0, i1, j1 in chroma samples
        open_: dict[tuple[int, int, int], list[int]] = {}  # rectangles the previous band may extend
        for j0, j1 in _bands(kinds):
            band = kinds[j0:j1]
            cols = np.where(band.max(axis=0) == _SKIP, _SKIP, np.where(band.min(axis=0) == _COPY, _COPY, _BLEND))
            now: dict[tuple[int, int, int], list[int]] = {}
            for kind, i0, i1 in _plan_band(cols, 2 * (j1 - j0)):
                rect = open_.get((kind, i0, i1))
                if rect is not None and rect[4] == j0:
                    rect[4] = j1  # the same span as the band above: one taller rectangle
                else:
                    rect = [kind, i0, j0, i1, j1]
                    rects.append(rect)
                now[(kind, i0, i1)] = rect
            open_ = now
        return [_cut(whole, kind, (i0, j0, i1, j1), parity) for kind, i0, j0, i1, j1 in rects]

    def covers_from(self, x: int, y: int, width: int, height: int) -> int | None:
        """The first row of a width x height frame from which this sprite, pasted at (x, y),
        replaces every luma and chroma sample down to the frame's bottom (an even row); None
        when something under it would still show there."""
        self.pieces(x, y)
        solid_from, edge = self._solid[(x % 2, y % 2)]
        w, h = self.size
        if solid_from >= h or x > 0 or x + w < width or y + h < height:
            return None
        # A chroma sample half over the sprite's edge is blended: it must lie outside the frame.
        if edge and (x > -2 or x + w < width + 2 or y + h < height + 2):
            return None
        return max(0, y + solid_from)

    def pieces_above(self, x: int, y: int, row: int) -> list[tuple[Planes, int, int]]:
        """`pieces(x, y)` cut to what lands above frame row `row` (and a little below it: the
        cut is rounded so that a moving sprite reuses a few cuts rather than making one a frame)."""
        h = self.size[1]
        keep = -(-(row - y) // 16) * 16
        if keep >= h:
            return self.pieces(x, y)
        if keep <= 0:
            return []
        key = (x % 2, y % 2, keep)
        if key not in self._tops:
            if len(self._tops) >= 32:
                self._tops.clear()
            self._tops[key] = [(_top_rows(p, keep - dy), dx, dy) for p, dx, dy in self.pieces(x, y) if keep > dy]
        return self._tops[key]


def _top_rows(p: Planes, rows: int) -> Planes:
    """The first `rows` luma rows of planes, with every chroma row they touch."""
    if rows >= p.size[1]:
        return p
    # one chroma row more than half: a piece whose first row is a chroma sample's second needs it
    return p.cut((0, 0, p.size[0], rows), (0, 0, p.u.width, min(p.u.height, -(-rows // 2) + 1)))


class Frame(Planes):
    """A frame's planes over one contiguous yuv420p buffer: what the encoder reads."""

    def __init__(self, width: int, height: int):
        if width % 2 or height % 2:
            raise ValueError(f"yuv420p needs even sides, not {width}x{height}")
        self.width, self.height = width, height
        luma, chroma = width * height, (width // 2) * (height // 2)
        self.buffer = np.zeros(luma + 2 * chroma, np.uint8)
        views = (self.buffer[:luma], self.buffer[luma:luma + chroma], self.buffer[luma + chroma:])
        sizes = ((width, height), (width // 2, height // 2), (width // 2, height // 2))
        # Pillow draws straight into numpy's memory (mode L rows are the buffer's rows), so
        # nothing is copied between composing a frame and writing it.
        images = []
        for view, size in zip(views, sizes):
            im = Image.frombuffer("L", size, view, "raw", "L", 0, 1)
            im.readonly = 0
            images.append(im)
        self.shared = self._writes_through(images[0], views[0])
        super().__init__(*images)

    @staticmethod
    def _writes_through(im: Image.Image, view: np.ndarray) -> bool:
        im.putpixel((0, 0), 77)
        shared = int(view[0]) == 77
        im.putpixel((0, 0), 0)
        return shared

    def paste(self, p: Planes | Sprite, xy: tuple[int, int], above: int | None = None) -> None:
        """Luma at xy and chroma at the sample that holds xy; a Sprite brings chroma for xy's parity.

        `above`: only the frame's rows above it need this sprite (something opaque is pasted
        over the rest next), so the rest may be left out."""
        x, y = xy
        if isinstance(p, Sprite):
            for piece, dx, dy in (p.pieces(x, y) if above is None else p.pieces_above(x, y, above)):
                self.paste(piece, (x + dx, y + dy))
            return
        # Pillow's cores directly: Image.paste's argument checks cost more than a small paste
        # itself, and a frame makes some sixty pastes. Every plane is mode L and loaded, and the
        # core clips a box that runs off the frame as Image.paste would.
        w, h = p.y.size
        cw, ch = p.u.size
        i, j = x // 2, y // 2
        if p.a is None:
            self.y.im.paste(p.y.im, (x, y, x + w, y + h))
        else:
            self.y.im.paste(p.y.im, (x, y, x + w, y + h), p.a.im)
        if p.a2 is None:
            self.u.im.paste(p.u.im, (i, j, i + cw, j + ch))
            self.v.im.paste(p.v.im, (i, j, i + cw, j + ch))
        else:
            self.u.im.paste(p.u.im, (i, j, i + cw, j + ch), p.a2.im)
            self.v.im.paste(p.v.im, (i, j, i + cw, j + ch), p.a2.im)

    def bytes(self) -> memoryview | bytes:
        if self.shared:
            return memoryview(self.buffer).cast("B")
        return b"".join(im.tobytes() for im in (self.y, self.u, self.v))


class Painter:
    """ImageDraw's ellipse and line, drawn on a frame's three planes in one colour."""

    def __init__(self, frame: Frame):
        self.luma, self.cb, self.cr = ImageDraw.Draw(frame.y), ImageDraw.Draw(frame.u), ImageDraw.Draw(frame.v)

    @staticmethod
    def _half(coords) -> tuple[int, ...]:
        # Floor, then halve: Pillow cuts floats toward zero, which would put the chroma of a
        # shape just above or left of the frame on its first row or column.
        return tuple(math.floor(c) >> 1 for c in coords)

    def ellipse(self, box, fill) -> None:
        y, u, v = yuv_of(fill)
        self.luma.ellipse(box, fill=y)
        half = self._half(box)
        self.cb.ellipse(half, fill=u)
        self.cr.ellipse(half, fill=v)

    def line(self, xy, fill, width: int = 1) -> None:
        y, u, v = yuv_of(fill)
        self.luma.line(xy, fill=y, width=width)
        half = self._half(xy)
        w2 = max(1, round(width / 2))
        self.cb.line(half, fill=u, width=w2)
        self.cr.line(half, fill=v, width=w2)
