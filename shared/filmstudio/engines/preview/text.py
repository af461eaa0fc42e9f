"""Text as a viewer reads it: grapheme clusters, and no invisible direction controls.

Subtitle rules count characters as they are seen, not as code points: "क्षि" is one
character to a Hindi reader but four code points. `graphemes` implements the parts of
UAX #29 extended grapheme clusters that occur in our scripts (a base with its combining
marks, ZWJ/ZWNJ, variation selectors, emoji modifiers and ZWJ sequences, CR LF), plus the
Indic conjunct rule of Unicode 15.1 (GB9c: a consonant, a virama, and the next consonant
of the same script are one cluster), written here because Python 3.11's unicodedata is
Unicode 14. Tamil is left out of GB9c, as Unicode leaves it out: a Tamil consonant with
pulli is read and drawn as its own letter, except in the two ligatures க்ஷ and ஸ்ரீ.

Bidirectional controls (embeddings, overrides, isolates, marks) draw nothing and can
reorder what is drawn (the "Trojan Source" trick); nothing we render keeps them.
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"]
)
_BIDI_RE = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")

_ZWJ, _ZWNJ = "\u200d", "\u200c"
_TAMIL = (0x0B80, 0x0BFF)
# Tamil's two conjuncts drawn as one letter: KSSA and SHRI (without its vowel sign).
_TAMIL_LIGATURES = {("\u0b95", "\u0bb7"), ("\u0bb8", "\u0bb0")}


def strip_bidi(text: str) -> str:
    return _BIDI_RE.sub("", text)


def _block(ch: str) -> int:
    return ord(ch) >> 7  # the Indic blocks are 128 code points each


def _extends(ch: str) -> bool:
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch in (_ZWJ, _ZWNJ)
        or 0xFE00 <= cp <= 0xFE0F
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
    )


def _is_virama(ch: str) -> bool:
    return unicodedata.combining(ch) == 9


def graphemes(text: str) -> list[str]:
    """The text's user-perceived characters, in order."""
    out: list[str] = []
    cur = ""
    base = ""  # the cluster's last consonant, for the conjunct rule
    prev = ""
    for ch in text:
        join = False
        if cur:
            if prev == "\r" and ch == "\n":
                join = True
            elif prev in ("\r", "\n"):
                join = False
            elif _extends(ch):
                join = True
            elif prev == _ZWJ and unicodedata.category(ch) == "So":
                join = True
            elif _is_virama(prev) and unicodedata.category(ch) == "Lo" and base and _block(ch) == _block(base):
                if _TAMIL[0] <= ord(ch) <= _TAMIL[1]:
                    join = (base, ch) in _TAMIL_LIGATURES
                else:
                    join = True
        if join:
            cur += ch
        else:
            if cur:
                out.append(cur)
            cur = ch
        if unicodedata.category(ch) == "Lo":
            base = ch
        elif not _extends(ch):
            base = ""
        prev = ch
    if cur:
        out.append(cur)
    return out


def grapheme_len(text: str) -> int:
    if text.isascii():
        # ASCII has no combining marks; CR LF is the one pair (never inside a subtitle line).
        return len(text) - text.count("\r\n")
    return len(graphemes(text))
