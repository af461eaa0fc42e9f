"""Pictures as BT.709 limited-range YUV 4:2:0 planes: the form x264 encodes.

Motion composes its frames in this form instead of RGBA, for two reasons measured on a
720p film: ffmpeg then converts nothing (its RGBA to yuv420p conversion cost 2-3 ms a
frame, a third of the x264 encode itself), and a frame is 1.5 bytes a pixel instead of
4, so every paste and the pipe move under half the bytes. A layer is converted once
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
        cb = chroma_box(box)
        return Planes(self.y.crop(box), self.u.crop(cb), self.v.crop(cb),
                      self.a.crop(box) if self.a is not None else None,
                      self.a2.crop(cb) if self.a2 is not None else None)

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


class Sprite:
    """An image to paste at any offset: its luma once, its chroma made per offset parity on first use.

    `split` pastes the rows below the last one with a transparent pixel as a plain copy
    (most of a ground or a wall); only the rows above blend."""

    def __init__(self, img: Image.Image, split: bool = False):
        self.img = img if img.mode in ("RGB", "RGBA") else img.convert("RGBA")
        self._converted = _Converted(self.img)
        self.cut = self.img.height
        if split and self.img.mode == "RGBA":
            opaque = np.asarray(self.img.getchannel("A")).min(axis=1) == 255
            while self.cut > 0 and opaque[self.cut - 1]:
                self.cut -= 1
        self._pieces: dict[tuple[int, int], list[tuple[Planes, int]]] = {}

    @property
    def size(self) -> tuple[int, int]:
        return self.img.size

    def pieces(self, x: int, y: int) -> list[tuple[Planes, int]]:
        """(planes, rows down) to paste for a top-left corner at (x, y)."""
        parity = (x % 2, y % 2)
        if parity not in self._pieces:
            whole = self._converted.planes(parity)
            w, h = self.img.size
            k = -(-(self.cut + parity[1]) // 2)  # the first chroma row that is opaque throughout
            r = 2 * k - parity[1]
            if self.cut >= h or r >= h:
                out = [(whole, 0)]
            else:
                top = Planes(whole.y.crop((0, 0, w, r)), whole.u.crop((0, 0, whole.u.width, k)),
                             whole.v.crop((0, 0, whole.v.width, k)),
                             whole.a.crop((0, 0, w, r)) if whole.a is not None else None,
                             whole.a2.crop((0, 0, whole.a2.width, k)) if whole.a2 is not None else None)
                rest = (0, k, whole.u.width, whole.u.height)
                # opaque luma; chroma still masked where a sample hangs over the image's edge
                edge = whole.a2.crop(rest) if whole.a2 is not None else None
                solid = Planes(whole.y.crop((0, r, w, h)), whole.u.crop(rest), whole.v.crop(rest), None,
                               edge if edge is not None and edge.getextrema()[0] < 255 else None)
                out = ([(top, 0)] if r > 0 else []) + [(solid, r)]
            self._pieces[parity] = out
        return self._pieces[parity]


class Frame(Planes):
    """A frame's planes over one contiguous yuv420p buffer: what the pipe to ffmpeg reads."""

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

    def paste(self, p: Planes | Sprite, xy: tuple[int, int]) -> None:
        """Luma at xy and chroma at the sample that holds xy; a Sprite brings chroma for xy's parity."""
        x, y = xy
        if isinstance(p, Sprite):
            for piece, down in p.pieces(x, y):
                self.paste(piece, (x, y + down))
            return
        self.y.paste(p.y, (x, y), p.a)
        c = (x // 2, y // 2)
        self.u.paste(p.u, c, p.a2)
        self.v.paste(p.v, c, p.a2)

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
