"""Writing systems from Unicode ranges.

The writing system is the cheapest and surest language signal we have: Tamil
letters mean Tamil, whatever a statistical model thinks of a three-word line.
"""

from __future__ import annotations

import re
from collections import Counter

# (first, last, name). Only letters count; digits and punctuation are shared.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0xA8E0, 0xA8FF, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0x3130, 0x318F, "Hangul"),
    (0x3040, 0x309F, "Hiragana"),
    (0x30A0, 0x30FF, "Katakana"),
    (0x31F0, 0x31FF, "Katakana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xF900, 0xFAFF, "Han"),
)

# Scripts used by exactly one language we support: the script decides.
SCRIPT_LANGUAGE: dict[str, str] = {
    "Tamil": "ta",
    "Telugu": "te",
    "Bengali": "bn",
    "Gurmukhi": "pa",
    "Gujarati": "gu",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Oriya": "or",
    "Sinhala": "si",
    "Thai": "th",
    "Hangul": "ko",
    "Hebrew": "he",
    "Greek": "el",
    "Georgian": "ka",
    "Armenian": "hy",
}

# The Brahmic scripts share one layout (inherited from ISCII): the same offset
# in each block is the same sound, which transliteration and syllable counting use.
INDIC_BLOCKS: dict[str, int] = {
    "Devanagari": 0x0900,
    "Bengali": 0x0980,
    "Gurmukhi": 0x0A00,
    "Gujarati": 0x0A80,
    "Oriya": 0x0B00,
    "Tamil": 0x0B80,
    "Telugu": 0x0C00,
    "Kannada": 0x0C80,
    "Malayalam": 0x0D00,
}


def _build_table() -> dict[int, str]:
    # A flat lookup for the BMP blocks we know, built once: per-character
    # bisection would dominate the analysis time of long scripts.
    table: dict[int, str] = {}
    for first, last, name in _RANGES:
        for cp in range(first, last + 1):
            table.setdefault(cp, name)
    # The danda and double danda sit in the Devanagari block but end sentences
    # in Bengali, Gurmukhi and others too: punctuation, not a letter.
    for cp in (0x0964, 0x0965):
        table.pop(cp, None)
    for cp in list(table):
        if 0x0966 <= cp <= 0x096F:  # Devanagari digits
            table.pop(cp)
    return table


_TABLE = _build_table()


def char_writing_system(ch: str) -> str | None:
    cp = ord(ch)
    name = _TABLE.get(cp)
    if name == "Latin" and not ch.isalpha():
        return None
    if name is None:
        return None
    # Combining marks (matras, viramas) belong to their block and count as letters.
    return name


_PLAIN_LATIN = re.compile(r"[\x00-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf]*")


def writing_system_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    if _PLAIN_LATIN.fullmatch(text):
        # The common case (English, Spanish...) without a per-character loop.
        letters = sum(1 for ch in text if ch.isalpha())
        if letters:
            counts["Latin"] = letters
        return counts
    get = _TABLE.get
    for ch in text:
        name = get(ord(ch))
        if name is not None and (name != "Latin" or ch.isalpha()):
            counts[name] += 1
    # Japanese mixes kana and Han; report it as one system so that a line of
    # kanji with a little kana is not called Chinese.
    kana = counts.pop("Hiragana", 0) + counts.pop("Katakana", 0)
    if kana:
        counts["Japanese"] = kana + counts.pop("Han", 0)
    return counts


def dominant_writing_system(text: str) -> tuple[str, float]:
    """The writing system of most letters in `text` and its share of the letters."""
    counts = writing_system_counts(text)
    total = sum(counts.values())
    if not total:
        return "Latin", 0.0
    name, n = counts.most_common(1)[0]
    return name, n / total
