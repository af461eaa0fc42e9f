"""ASCII slugs for names in any script.

The Brahmic scripts share one code-point layout, so one offset table
transliterates Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu,
Kannada and Malayalam well enough for an identifier ("राजू" -> "raju").
Scripts we cannot romanise get a short hash instead: ids must be stable and
ASCII, not pretty.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from filmstudio.analysis.language.writing_systems import INDIC_BLOCKS

_INDEPENDENT_VOWELS = {
    0x05: "a", 0x06: "a", 0x07: "i", 0x08: "i", 0x09: "u", 0x0A: "u", 0x0B: "ri",
    0x0C: "li", 0x0D: "e", 0x0E: "e", 0x0F: "e", 0x10: "ai", 0x11: "o", 0x12: "o", 0x13: "o", 0x14: "au",
}
_CONSONANTS = {
    0x15: "k", 0x16: "kh", 0x17: "g", 0x18: "gh", 0x19: "ng", 0x1A: "ch", 0x1B: "chh", 0x1C: "j",
    0x1D: "jh", 0x1E: "ny", 0x1F: "t", 0x20: "th", 0x21: "d", 0x22: "dh", 0x23: "n", 0x24: "t",
    0x25: "th", 0x26: "d", 0x27: "dh", 0x28: "n", 0x29: "n", 0x2A: "p", 0x2B: "ph", 0x2C: "b",
    0x2D: "bh", 0x2E: "m", 0x2F: "y", 0x30: "r", 0x31: "r", 0x32: "l", 0x33: "l", 0x34: "zh",
    0x35: "v", 0x36: "sh", 0x37: "sh", 0x38: "s", 0x39: "h", 0x58: "q", 0x59: "kh", 0x5A: "g",
    0x5B: "z", 0x5C: "r", 0x5D: "rh", 0x5E: "f", 0x5F: "y",
}
_VOWEL_SIGNS = {
    0x3E: "a", 0x3F: "i", 0x40: "i", 0x41: "u", 0x42: "u", 0x43: "ri", 0x44: "ri", 0x45: "e",
    0x46: "e", 0x47: "e", 0x48: "ai", 0x49: "o", 0x4A: "o", 0x4B: "o", 0x4C: "au", 0x57: "au",
}
_VIRAMA = 0x4D
_NASAL = {0x01: "n", 0x02: "n", 0x03: "h"}
_BLOCK_OF = {base + off: (name, off) for name, base in INDIC_BLOCKS.items() for off in range(0x80)}


def _indic_offset(ch: str) -> int | None:
    entry = _BLOCK_OF.get(ord(ch))
    return entry[1] if entry else None


# Hindi, Bengali, Punjabi and Gujarati speakers drop the inherent vowel at the
# end of a word ("मोहन" is "mohan", not "mohana"); the southern languages keep it.
_SCHWA_DELETING = {"Devanagari", "Bengali", "Gurmukhi", "Gujarati"}


def transliterate(text: str) -> str:
    """A rough Latin spelling of `text` (Indic scripts romanised, Latin accents dropped)."""
    out: list[str] = []
    pending_a = False  # a consonant is waiting for its inherent vowel
    letters_in_word = 0
    block = ""
    for ch in text:
        entry = _BLOCK_OF.get(ord(ch))
        off = entry[1] if entry else None
        if entry:
            block = entry[0]
            letters_in_word += 1
        if off is None:
            if pending_a and not (block in _SCHWA_DELETING and letters_in_word > 2):
                out.append("a")
            pending_a = False
            letters_in_word = 0
            out.append(ch)
            continue
        if off in _CONSONANTS:
            if pending_a:
                out.append("a")
            out.append(_CONSONANTS[off])
            pending_a = True
        elif off in _VOWEL_SIGNS:
            out.append(_VOWEL_SIGNS[off])
            pending_a = False
        elif off == _VIRAMA:
            pending_a = False
        elif off in _INDEPENDENT_VOWELS:
            if pending_a:
                out.append("a")
                pending_a = False
            out.append(_INDEPENDENT_VOWELS[off])
        elif off in _NASAL:
            if pending_a:
                out.append("a")
                pending_a = False
            out.append(_NASAL[off])
        # nukta, avagraha and the rest carry nothing an identifier needs
    if pending_a and not (block in _SCHWA_DELETING and letters_in_word > 2):
        out.append("a")
    latin = "".join(out)
    latin = unicodedata.normalize("NFKD", latin)
    return "".join(c for c in latin if not unicodedata.combining(c))


def slugify(name: str) -> str:
    """A stable, ASCII-safe identifier for a name in any script."""
    latin = transliterate(name)
    words = re.findall(r"[A-Za-z0-9]+", latin)
    slug = "-".join(w.lower() for w in words)
    ascii_share = len(re.sub(r"[^A-Za-z0-9]", "", latin)) / max(1, len(re.sub(r"\W", "", name)))
    if not slug or ascii_share < 0.5:
        digest = hashlib.sha1(name.strip().casefold().encode("utf-8")).hexdigest()[:8]
        return f"c-{digest}"
    return slug[:40].strip("-")
