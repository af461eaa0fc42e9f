"""The light of the time of day: sky gradient, sun, moon and stars, lamps, a tint over the set."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from filmstudio.models.plan import Scene

from .canvas import Color, View, mix


@dataclass(frozen=True)
class Light:
    sky_top: Color
    sky_horizon: Color
    tint: tuple[float, float, float]  # multiplies the lit scene (characters, ground, set)
    sun: Color | None  # None: no sun in the sky
    sun_height: float  # 0 at the horizon, 1 at the top of the sky
    moon: bool
    stars: bool
    lamps_lit: bool
    glow: bool = False  # a band of warm light along the horizon (sun just below or at it)


LIGHTS: dict[str, Light] = {
    "DAY": Light((84, 150, 226), (190, 222, 245), (1.0, 1.0, 1.0), (255, 244, 200), 0.8, False, False, False),
    "MORNING": Light((110, 170, 230), (250, 222, 180), (1.0, 0.97, 0.92), (255, 236, 170), 0.45, False, False, False),
    "DAWN": Light((70, 84, 150), (250, 170, 120), (0.85, 0.75, 0.78), (255, 190, 120), 0.05, False, False, False, True),
    "DUSK": Light((48, 46, 110), (240, 120, 80), (0.8, 0.62, 0.6), (255, 140, 70), 0.03, False, True, True, True),
    "EVENING": Light((60, 70, 140), (236, 150, 100), (0.88, 0.74, 0.68), (255, 160, 90), 0.15, False, False, True, True),
    "NIGHT": Light((6, 10, 30), (24, 36, 74), (0.32, 0.36, 0.52), None, 0.0, True, True, True),
}


def light_for(scene: Scene) -> Light:
    tod = scene.time_of_day or "DAY"
    if tod == "CONTINUOUS":
        tod = "DAY"
    return LIGHTS.get(tod, LIGHTS["DAY"])


def gradient(view: View, canvas: tuple[int, int], light: Light, horizon: float) -> Image.Image:
    """The sky as an opaque RGBA image of the canvas size, darkest at the top."""
    cw, ch = canvas
    rows = np.arange(ch, dtype=np.float32)
    wy = view.fy + (rows - view.oy - view.height / 2) / (view.height * view.zoom)
    t = np.clip(wy / max(horizon, 1e-3), 0.0, 1.0) ** 1.3
    top = np.array(light.sky_top, dtype=np.float32)
    hor = np.array(light.sky_horizon, dtype=np.float32)
    col = top[None, :] * (1 - t[:, None]) + hor[None, :] * t[:, None]
    column = np.concatenate([col.round(), np.full((ch, 1), 255, np.float32)], axis=1).astype(np.uint8)
    # One pixel wide, stretched across in C: no canvas-sized array in numpy.
    return Image.fromarray(np.ascontiguousarray(column[:, None, :]), "RGBA").resize((cw, ch), Image.Resampling.NEAREST)


def bodies(view: View, light: Light, horizon: float, r: np.random.Generator,
           anchor: tuple[float, float] | None = None) -> list[str]:
    """Sun, moon and stars onto the view's emissive list; returns the names of what was drawn.

    Sky bodies are at infinity: the view used here is zoomed at most a little, so a
    close-up does not blow the sun up to fill the frame. `anchor` (an interior's
    window) is where the moon or a high sun is seen.
    """
    drawn: list[str] = []
    ax, ay = anchor or (0.78, 0.16)
    if light.glow:
        glow = mix(light.sun or light.sky_horizon, light.sky_horizon, 0.35)
        view.emissive.append(("ellipse", view.ellipse(ax if anchor else 0.25, horizon, 0.5, 0.06), glow))
        drawn.append("glow")
    if light.stars:
        pts = r.random((90, 2))
        for px, py in pts:
            size = 0.002 + 0.002 * (px * 7 % 1)
            view.emissive.append(("ellipse", view.circle(-0.2 + 1.4 * px, py * horizon * 0.8, size), (255, 255, 235)))
        drawn.append("stars")
    if light.moon:
        view.emissive.append(("ellipse", view.circle(ax, ay, 0.05), (245, 243, 220)))
        view.emissive.append(("ellipse", view.circle(ax + 0.02, ay - 0.01, 0.045), light.sky_top))  # crescent
        drawn.append("moon")
    if light.sun:
        sx = anchor[0] if anchor else 0.25
        sy = horizon - light.sun_height * horizon * 0.85
        if anchor and light.sun_height > 0.3:
            sy = ay + 0.02
        glow = mix(light.sun, light.sky_horizon, 0.5)
        view.emissive.append(("ellipse", view.circle(sx, sy, 0.11), glow))
        view.emissive.append(("ellipse", view.circle(sx, sy, 0.07), light.sun))
        drawn.append("sun")
    return drawn
