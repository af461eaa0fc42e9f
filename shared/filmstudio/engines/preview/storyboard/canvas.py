"""Colours and the view: world coordinates (x 0..1 across, y 0..1 down the picture) to pixels."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
class View:
    """A zoom about a focus point, drawn into a canvas whose framed window starts at (ox, oy).

    width/height are the framed window's pixels (they set the scale); a motion canvas is
    larger than its window by a margin on every side, so a camera move has picture to
    reveal.
    """

    width: int
    height: int
    zoom: float
    fx: float
    fy: float
    ox: float = 0.0
    oy: float = 0.0
    emissive: list = field(default_factory=list)  # drawn after the light tint

    def x(self, wx: float) -> float:
        return self.ox + self.width / 2 + (wx - self.fx) * self.width * self.zoom

    def y(self, wy: float) -> float:
        return self.oy + self.height / 2 + (wy - self.fy) * self.height * self.zoom

    def s(self, size: float) -> float:
        return size * self.height * self.zoom

    def w(self, size: float) -> int:
        """A line width in pixels for a world size, at least one pixel."""
        return max(1, int(round(self.s(size))))

    def pt(self, wx: float, wy: float) -> tuple[float, float]:
        return self.x(wx), self.y(wy)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        a, b, c, d = self.x(x0), self.y(y0), self.x(x1), self.y(y1)
        return min(a, c), min(b, d), max(a, c), max(b, d)

    def circle(self, cx: float, cy: float, r: float) -> tuple[float, float, float, float]:
        rr = self.s(r)
        return self.x(cx) - rr, self.y(cy) - rr, self.x(cx) + rr, self.y(cy) + rr

    def ellipse(self, cx: float, cy: float, rx: float, ry: float) -> tuple[float, float, float, float]:
        """rx and ry both in picture heights, so a shape keeps its proportions at any aspect."""
        return self.x(cx) - self.s(rx), self.y(cy) - self.s(ry), self.x(cx) + self.s(rx), self.y(cy) + self.s(ry)

    def poly(self, pts) -> list[tuple[float, float]]:
        return [self.pt(a, b) for a, b in pts]

    def local(self, cx: float, base: float, pts) -> list[tuple[float, float]]:
        """Points given in picture heights around (cx, base): shapes that keep their proportions."""
        return [(self.x(cx) + self.s(a), self.y(base) + self.s(b)) for a, b in pts]

    def lbox(self, cx: float, base: float, x0: float, y0: float, x1: float, y1: float):
        """A box in picture heights around (cx, base)."""
        X, Y = self.x(cx), self.y(base)
        a, b, c, d = X + self.s(x0), Y + self.s(y0), X + self.s(x1), Y + self.s(y1)
        return min(a, c), min(b, d), max(a, c), max(b, d)
