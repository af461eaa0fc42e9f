"""Text clean-up shared by the parsers: notes, boneyard, emphasis."""

from __future__ import annotations

import re
import unicodedata

# A boneyard or note cannot contain its own opener: an unclosed "/*" or "[[" then costs
# one scan to the next opener instead of one to the end of the text (quadratic on junk).
_BONEYARD = re.compile(r"/\*(?:(?!/\*).)*?\*/", re.S)
_NOTE = re.compile(r"\[\[(?:(?!\[\[).)*?\]\]", re.S)
_NOTE_LINE = re.compile(r"^[ \t]*\[\[(?:(?!\[\[)[^\n])*?\]\][ \t]*\n", re.M)
# The span may not contain its own marker (nested emphasis unwraps over several passes),
# which keeps a paragraph full of unmatched stars linear rather than quadratic.
_EMPHASIS = re.compile(
    r"(?<!\\)(\*{1,3})(?=[^\s*])([^*\n]{1,400}?)(?<=[^\s\\])\1(?!\*)|(?<![\\\w])_(?=[^\s_])([^_\n]{1,400}?)(?<=[^\s\\])_(?!\w)"
)


def normalize(text: str) -> str:
    """NFC, Unix newlines, no BOM or tabs: every later regex can rely on that."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return text


def strip_comments(text: str) -> str:
    """Remove boneyard (/* */) and notes ([[ ]]); a note alone on its line leaves no blank behind."""
    text = _BONEYARD.sub("", text)
    text = _NOTE_LINE.sub("", text)
    return _NOTE.sub("", text)


def strip_emphasis(text: str) -> str:
    """Spoken text without *italic*, **bold**, _underline_ markers; escaped \\* stays a star."""
    previous = None
    while previous != text:
        previous = text
        text = _EMPHASIS.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(3), text)
    return text.replace("\\*", "*").replace("\\_", "_")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Sentence ends, but not after the abbreviations that precede names ("Mrs. Sharma").
_ABBREVIATIONS = "".join(f"(?<!\\b{a})" for a in ("Mr", "Mrs", "Ms", "Dr", "St", "Sr", "Sra", "Jr", "Prof", "Mt"))
SENTENCE_BREAK = re.compile(_ABBREVIATIONS + r"(?<=[.!?।…])\s+|(?<=[。！？])")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_BREAK.split(text) if s.strip()]
