"""Where each named subject goes in a set: the composition of subjects with the place.

The lighthouse stands on a headland over the water, the boat floats on the water,
the lamp stands on the table (or is carried by the first character outdoors), a bird
flies in the sky; subjects of the outdoors named in an interior are seen through
the window. Every placement records its layer, so the camera can move the layers
apart (parallax), and its pixel box, so the renderer reports what is in frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from filmstudio.vocabulary import BY_ID, KINDS

from .settings import SetInfo

# Height of each subject in picture heights, as placed outdoors / indoors.
SIZE = {
    "lighthouse": 0.42, "temple": 0.38, "mosque": 0.32, "church": 0.34, "house": 0.2, "hut": 0.15, "school": 0.2,
    "hospital": 0.26, "tent": 0.12, "mountain": 0.36, "bridge": 0.12, "harbour": 0.07, "river": 0.05, "field": 0.06,
    "boat": 0.045, "ship": 0.07, "fish": 0.03, "net": 0.06, "tree": 0.32, "palm_tree": 0.34, "car": 0.09, "bus": 0.14,
    "train": 0.12, "bicycle": 0.08, "motorbike": 0.09, "cart": 0.09, "rickshaw": 0.1, "market_stall": 0.2, "well": 0.1, "rock": 0.06,
    "fire": 0.07, "street_lamp": 0.3, "bench": 0.06, "fence": 0.06, "flowers": 0.05, "cow": 0.1, "dog": 0.05,
    "cat": 0.035, "horse": 0.12, "goat": 0.06, "bird": 0.02, "kite": 0.06, "airplane": 0.03, "cloud": 0.06,
    "flag": 0.28, "bell": 0.16, "lamp": 0.08, "umbrella": 0.12, "book": 0.025, "letter": 0.02, "phone": 0.03,
    "cup": 0.025, "candle": 0.04, "radio": 0.05, "bottle": 0.04, "pot": 0.045, "basket": 0.035, "plate": 0.015,
    "television": 0.07, "clock": 0.08, "mirror": 0.12, "picture": 0.1, "window": 0.2, "door": 0.4, "table": 0.16,
    "desk": 0.13, "chair": 0.12, "bed": 0.16, "cupboard": 0.36, "stove": 0.1, "suitcase": 0.06,
}
HELD = {"lamp": 0.045, "umbrella": 0.12, "book": 0.03, "letter": 0.025, "phone": 0.03, "cup": 0.025, "candle": 0.03}
TALL_BUILDINGS = ("temple", "church", "mosque", "school", "hospital")
# Under the window, beside the characters (who stand around the middle).
TABLE = (0.71, 0.89, 0.6)
_WALL_SPOTS = {"clock": (0.36, 0.3), "picture": (0.27, 0.42), "mirror": (0.5, 0.44), "flag": (0.3, 0.24),
               "bell": (0.5, 0.2), "window": (0.72, 0.5), "door": (0.14, 0.72)}
_FLOOR_SPOTS = {"bed": (0.2, 0.84), "chair": (0.66, 0.86), "desk": (0.76, 0.84), "cupboard": (0.04, 0.74),
                "stove": (0.72, 0.8), "suitcase": (0.82, 0.86), "television": (0.84, 0.74)}


@dataclass
class Placement:
    subject: str
    layer: str  # far, background, water, midground, characters, window
    x: float
    base: float
    h: float
    crate: bool = False  # stands on a small box (a table thing outdoors)


def plan_placements(subjects: list[str], info: SetInfo, place: str, cast_xs: list[float],
                    hands: list[tuple[float, float]], inside: set[str], own: set[str] = frozenset()) -> list[Placement]:
    """Placements for the subjects, in drawing order.

    `inside`: subjects the interior is part of; `own`: subjects the shot's own words name
    (not the set's): a small thing among them is carried, so a close-up shows it.
    """
    out: list[Placement] = []
    ground_slots = [x for x in (0.12, 0.88, 0.3, 0.7, 0.03, 0.97, 0.42, 0.58)
                    if all(abs(x - cx) > 0.09 for cx in cast_xs)] or [0.03, 0.97]
    landmark_slots = [0.8, 0.22, 0.64, 0.38, 0.94, 0.06]
    water_slots = [0.36, 0.62, 0.18, 0.8]
    sky_slots = [(0.3, 0.2), (0.62, 0.14), (0.45, 0.3), (0.15, 0.12)]
    hand_slots = list(hands)
    window_slots = [0.7, 0.78, 0.64]
    table_x = 0.0

    def ground(sid: str, crate: bool = False, scale: float = 1.0) -> None:
        if ground_slots:
            out.append(Placement(sid, "midground", ground_slots.pop(0), 0.8, SIZE[sid] * scale, crate))

    wants = [s for s in subjects if s in own] + [s for s in subjects if s not in own]
    if not info.interior and place in TALL_BUILDINGS and place not in wants:
        wants.insert(0, place)  # the place is its building
    if not info.interior and any(s in ("harbour", "boat", "ship") for s in wants) and info.water is None:
        wants.insert(0, "river") if "river" not in wants else None
    for sid in wants:
        kind = KINDS.get(sid)
        if kind is None:
            continue
        if info.interior:
            if kind in ("handheld", "table"):
                if info.table is None:
                    info.table = TABLE
                    out.append(Placement("table", "midground", 0.8, 0.76, SIZE["table"]))
                x0, x1, y = info.table
                out.append(Placement(sid, "midground", min(x1 - 0.02, x0 + 0.03 + table_x), y, SIZE[sid]))
                table_x += 0.05
            elif sid == "table":
                if info.table is None:
                    info.table = TABLE
                    out.append(Placement("table", "midground", 0.8, 0.76, SIZE["table"]))
            elif sid == "window":
                out.append(Placement("window", "window", 0, 0, 0))  # the set's own window
            elif kind == "wall" or (BY_ID[sid].indoor and sid in _WALL_SPOTS):
                x, b = _WALL_SPOTS.get(sid, (0.3, 0.4))
                out.append(Placement(sid, "background", x, b, SIZE[sid] * (0.7 if sid == "door" else 1.0)))
            elif kind == "floor" or BY_ID[sid].indoor:
                x, b = _FLOOR_SPOTS.get(sid, (0.8, 0.86))
                out.append(Placement(sid, "midground", x, b, SIZE[sid]))
            elif sid not in inside and kind in ("landmark", "water", "landscape", "sky") and window_slots and info.window:
                out.append(Placement(sid, "window", window_slots.pop(0), 0, SIZE[sid] * 0.35))
            continue
        # outdoors
        if kind == "landscape":
            out.append(Placement(sid, "far" if sid == "mountain" else "background", 0.5, info.horizon, SIZE[sid]))
        elif kind == "landmark":
            if sid == place and sid in TALL_BUILDINGS:
                out.append(Placement(sid, "background", 0.5, info.horizon + 0.04, 0.5))
            elif landmark_slots:
                x = landmark_slots.pop(0)
                on_water = info.water is not None and info.water[0] <= info.horizon + 0.01
                h = SIZE[sid] * (1.0 if on_water or sid == "lighthouse" else 0.75)
                out.append(Placement(sid, "background", x, info.horizon + (0.0 if on_water else 0.02), h))
        elif kind == "water":
            if info.water and water_slots:
                w0, w1 = info.water
                depth = 0.3 if sid == "ship" else 0.55
                out.append(Placement(sid, "water", water_slots.pop(0), w0 + depth * (w1 - w0), SIZE[sid]))
            else:
                ground(sid)
        elif kind == "sky":
            if sky_slots:
                x, y = sky_slots.pop(0)
                out.append(Placement(sid, "far", x, y, SIZE[sid]))
        elif kind == "handheld":
            if hand_slots:
                hx, hy = hand_slots.pop(0)
                out.append(Placement(sid, "characters", hx, hy + HELD[sid] * 0.5, HELD[sid]))
            else:
                ground(sid, crate=True, scale=0.9)
        elif kind == "table":
            if sid in own and hand_slots:
                hx, hy = hand_slots.pop(0)
                out.append(Placement(sid, "characters", hx, hy + 0.02, min(SIZE[sid], 0.04)))
            else:
                ground(sid, crate=True)
        elif kind == "floor":
            ground(sid)
        elif kind == "wall":
            if sid in ("door", "window") and not any(p.subject in ("house", "hut", "school") for p in out):
                if landmark_slots:
                    out.append(Placement("house", "background", landmark_slots.pop(0), info.horizon + 0.02,
                                         SIZE["house"]))
        else:
            ground(sid)
    return out
