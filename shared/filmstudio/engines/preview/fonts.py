"""Fonts from PyPI (fontpkg-noto-*) and text that shapes correctly in Indian scripts.

Text is split into runs, each drawn with a font whose character map covers it:
the run's own script picks the family first (Devanagari, Bengali, Tamil, Telugu),
neighbouring Latin punctuation and digits stay in the current run so shaping is
not broken mid-word, and anything left over falls to Noto Sans. Runs are laid out
with Pillow's raqm engine (HarfBuzz + FriBiDi), which is what turns a Devanagari
consonant cluster or a Tamil vowel sign into the right glyphs; without raqm the
letters would be drawn in code-point order, readable to no one.
"""

from __future__ import annotations

import functools
import logging
import struct
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageDraw, ImageFont, features

from .text import strip_bidi

log = logging.getLogger(__name__)

# Families in order of preference per script. Bengali: there is no
# fontpkg-noto-sans-bengali on PyPI; Hind Siliguri (fontpkg-hind-siliguri) is a
# Bengali-script family with full conjunct coverage.
SCRIPT_FAMILIES: dict[str, tuple[str, ...]] = {
    "Devanagari": ("noto-sans-devanagari",),
    "Bengali": ("noto-sans-bengali", "hind-siliguri"),
    "Tamil": ("noto-sans-tamil",),
    "Telugu": ("noto-sans-telugu",),
    "Latin": ("noto-sans",),
}
FALLBACK_FAMILY = "noto-sans"

# Code-point ranges of the scripts we ship fonts for; everything else is "Common"
# (Latin, digits, punctuation) and joins whatever run it sits in.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0900, 0x097F, "Devanagari"),
    (0xA8E0, 0xA8FF, "Devanagari"),
    (0x1CD0, 0x1CFF, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x11FC0, 0x11FFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
)
# Danda and double danda live in the Devanagari block but end sentences in Bengali too.
_SHARED_INDIC = {0x0964, 0x0965}


def script_of(ch: str) -> str:
    cp = ord(ch)
    if cp in _SHARED_INDIC:
        return "Common"
    for lo, hi, name in _SCRIPT_RANGES:
        if lo <= cp <= hi:
            return name
    return "Common"


def dominant_script(text: str) -> str:
    counts: dict[str, int] = {}
    for ch in text:
        s = script_of(ch)
        if s != "Common":
            counts[s] = counts.get(s, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else "Latin"


def has_raqm() -> bool:
    return bool(features.check("raqm"))


@functools.cache
def family_path(slug: str) -> Path | None:
    """The regular-weight file of an installed fontpkg family, or None."""
    import fontpkg

    try:
        return Path(fontpkg.path(slug, weight=400, nearest=True))
    except fontpkg.FontpkgError:
        return None


def installed_families() -> list[str]:
    wanted = {f for fams in SCRIPT_FAMILIES.values() for f in fams}
    return [f for f in sorted(wanted) if family_path(f) is not None]


@functools.cache
def cmap(path: Path) -> frozenset[int]:
    """Code points the font maps to a glyph (cmap formats 4 and 12)."""
    data = path.read_bytes()
    num_tables = struct.unpack_from(">H", data, 4)[0]
    cmap_off = None
    for i in range(num_tables):
        tag, _, off, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap_off = off
    if cmap_off is None:
        return frozenset()
    n = struct.unpack_from(">H", data, cmap_off + 2)[0]
    cps: set[int] = set()
    for i in range(n):
        platform, encoding, sub_off = struct.unpack_from(">HHI", data, cmap_off + 4 + 8 * i)
        if not ((platform == 3 and encoding in (1, 10)) or platform == 0):
            continue
        base = cmap_off + sub_off
        fmt = struct.unpack_from(">H", data, base)[0]
        if fmt == 4:
            seg_x2 = struct.unpack_from(">H", data, base + 6)[0]
            segs = seg_x2 // 2
            ends = struct.unpack_from(f">{segs}H", data, base + 14)
            starts = struct.unpack_from(f">{segs}H", data, base + 16 + seg_x2)
            deltas = struct.unpack_from(f">{segs}h", data, base + 16 + 2 * seg_x2)
            ro_pos = base + 16 + 3 * seg_x2
            offsets = struct.unpack_from(f">{segs}H", data, ro_pos)
            for s in range(segs):
                for cp in range(starts[s], ends[s] + 1):
                    if cp == 0xFFFF:
                        continue
                    if offsets[s] == 0:
                        gid = (cp + deltas[s]) & 0xFFFF
                    else:
                        gpos = ro_pos + 2 * s + offsets[s] + 2 * (cp - starts[s])
                        gid = struct.unpack_from(">H", data, gpos)[0]
                        if gid:
                            gid = (gid + deltas[s]) & 0xFFFF
                    if gid:
                        cps.add(cp)
        elif fmt == 12:
            ngroups = struct.unpack_from(">I", data, base + 12)[0]
            for g in range(ngroups):
                start, end, gid = struct.unpack_from(">III", data, base + 16 + 12 * g)
                for cp in range(start, end + 1):
                    if gid + (cp - start):
                        cps.add(cp)
    return frozenset(cps)


def _is_default_ignorable(ch: str) -> bool:
    # ZWJ/ZWNJ and friends steer Indic shaping but draw nothing.
    return unicodedata.category(ch) == "Cf"


def _covers(family: str, ch: str) -> bool:
    path = family_path(family)
    return path is not None and (ord(ch) in cmap(path) or _is_default_ignorable(ch))


@dataclass(frozen=True)
class Run:
    text: str
    family: str

    @property
    def path(self) -> Path:
        p = family_path(self.family)
        assert p is not None
        return p


_warned: set[str] = set()


def _family_for(ch: str, current: str | None) -> str:
    script = script_of(ch)
    candidates: list[str] = []
    if script != "Common":
        candidates.extend(SCRIPT_FAMILIES[script])
    elif current:
        candidates.append(current)
    candidates.append(FALLBACK_FAMILY)
    candidates.extend(f for fams in SCRIPT_FAMILIES.values() for f in fams)
    for fam in candidates:
        if _covers(fam, ch):
            return fam
    if script not in _warned:
        _warned.add(script)
        log.warning("no installed font covers %r (script %s); install its fontpkg family", ch, script)
    return current or FALLBACK_FAMILY


def runs(text: str) -> list[Run]:
    """Split text into runs of one font each; combining marks never start a new run.

    Bidirectional controls are dropped first: nothing drawn may be reordered by
    characters the reader cannot see.
    """
    text = strip_bidi(text)
    out: list[Run] = []
    current: str | None = None
    buf: list[str] = []
    for ch in text:
        if buf and current and (unicodedata.category(ch) in ("Mn", "Mc", "Cf")) and _covers(current, ch):
            buf.append(ch)
            continue
        fam = _family_for(ch, current)
        if fam != current and buf:
            out.append(Run("".join(buf), current or FALLBACK_FAMILY))
            buf = []
        current = fam
        buf.append(ch)
    if buf:
        out.append(Run("".join(buf), current or FALLBACK_FAMILY))
    return out


def _layout_engine() -> ImageFont.Layout:
    if has_raqm():
        return ImageFont.Layout.RAQM
    log.warning("Pillow was built without raqm: Indian scripts will not shape correctly")
    return ImageFont.Layout.BASIC


# FreeType faces are not safe to share between threads, and panels render on
# several threads at once: each thread gets its own font objects.
_local = threading.local()


def font(family: str, size: int, weight: int = 400) -> ImageFont.FreeTypeFont:
    cache: dict[tuple[str, int, int], ImageFont.FreeTypeFont] = getattr(_local, "fonts", None) or {}
    _local.fonts = cache
    key = (family, size, weight)
    if key not in cache:
        path = family_path(family) or family_path(FALLBACK_FAMILY)
        f = ImageFont.truetype(str(path), size, layout_engine=_layout_engine())
        try:
            axes = f.get_variation_axes()
        except OSError:
            axes = []  # a static font: the file is the weight
        if axes:
            names = [a["name"].decode("ascii", "replace") if isinstance(a["name"], bytes) else str(a["name"]) for a in axes]
            f.set_variation_by_axes(
                [float(weight) if n.strip().lower() in ("weight", "wght") else float(a["default"]) for n, a in zip(names, axes)]
            )
        cache[key] = f
    return cache[key]


def text_width(text: str, size: int, weight: int = 400) -> float:
    return sum(font(r.family, size, weight).getlength(r.text) for r in runs(text))


def draw_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill, weight: int = 400) -> list[Run]:
    """Draw one line of text starting at xy (left, top); return the runs drawn."""
    x, y = xy
    drawn = runs(text)
    for r in drawn:
        f = font(r.family, size, weight)
        draw.text((x, y), r.text, font=f, fill=fill)
        x += f.getlength(r.text)
    return drawn


def wrap(text: str, size: int, max_width: float, weight: int = 400) -> list[str]:
    """Greedy word wrap by measured width (shaped width, not character count)."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if cur and text_width(trial, size, weight) > max_width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


@functools.cache
def fonts_dir() -> Path:
    """A directory holding every installed family's file, for libass (`fontsdir=`)."""
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="filmstudio-fonts-"))
    for fam in installed_families():
        p = family_path(fam)
        if p is not None:
            (d / p.name).symlink_to(p)
    return d


def family_display_name(family: str) -> str:
    """The family name libass matches against (the font's own name, e.g. 'Noto Sans Tamil')."""
    import fontpkg

    return fontpkg.family(family).name
