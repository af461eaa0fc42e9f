"""Prose as text: paragraphs, a title line, quotes and dialogue dashes, narration pieces.

Dialogue is whatever the language's quoting convention marks: "…", “…”, «…»,
»…«, „…“, 「…」, 『…』, ‘…’, or a paragraph that opens with a dialogue dash
(Spanish, French, Portuguese...), whose segments alternate speech and narration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmstudio.analysis.parsers.markup import SENTENCE_BREAK, squash
from filmstudio.analysis.language.speech_timing import estimate_duration

# Quote pairs of the world's conventions; „…“ before “…” so German quotes pair correctly.
QUOTES = re.compile(
    r"„(?P<q1>[^“”]+)[“”]|“(?P<q2>[^”]+)”|\"(?P<q3>[^\"]+)\"|«\s*(?P<q4>[^»]+?)\s*»|»(?P<q5>[^«]+)«|"
    r"「(?P<q6>[^」]+)」|『(?P<q7>[^』]+)』|(?:(?<=^)|(?<=\s))‘(?P<q8>[^’]+(?:’\w[^’]*)*)’(?!\w)"
)
DASH_START = re.compile(r"^\s*(?:—|–|―|--)\s*")
DASH_SPLIT = re.compile(r"\s*(?:—|―|–|--)\s*")
SEPARATOR = re.compile(r"^\s*(?:\*\s*){3,}$|^\s*(?:-\s*){3,}$|^\s*#\s*$|^\s*(?:~\s*){3,}$|^\s*§\s*$")
SENTENCE_END = re.compile(r"[.!?।…]|[\"“”«»「」]")
SENTENCES = SENTENCE_BREAK

# Stepping in or out at the head of a paragraph ("Inside, old Mrs. Bello...", "Dentro, el novio...").
PLACE_SHIFT = re.compile(
    r"^(?:inside|outside|indoors|outdoors|dentro|fuera|adentro|afuera|dedans|dehors|dentro|fora|drinnen|draußen|"
    r"अंदर|बाहर|भीतर|உள்ளே|வெளியே|లోపల|బయట|ভিতরে|বাইরে)(?=[\s,])",
    re.I,
)

# Explicit changes of time at the head of a paragraph, beyond the time-of-day words.
TIME_SHIFT = re.compile(
    r"^(?:(?:\S+\s+){1,2}(?:later|después|plus tard|depois|später|dopo|बाद|கழித்து|తర్వాత|পরে)(?=[\s,.]|$)|the next (?:day|morning|evening|night)|next (?:day|morning)|later|later that|years later|months later|"
    r"weeks later|days later|hours later|meanwhile|that (?:night|evening|morning|afternoon)|the following|"
    r"al día siguiente|más tarde|esa noche|aquella noche|esa mañana|años después|mientras tanto|"
    r"le lendemain|plus tard|ce soir-là|no dia seguinte|mais tarde|am nächsten|später|il giorno dopo|più tardi|"
    r"अगले दिन|अगली सुबह|उस रात|कुछ दिन बाद|बाद में|सालों बाद|"
    r"மறுநாள்|அன்று இரவு|சில நாட்கள் கழித்து|பிறகு|"
    r"మరుసటి రోజు|ఆ రాత్రి|కొన్ని రోజుల తర్వాత|"
    r"পরের দিন|সেই রাতে|কিছুদিন পর|পরে)",
    re.I,
)


@dataclass
class Segment:
    kind: str  # "speech" or "narration"
    text: str


def split_paragraphs(text: str) -> list[str]:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 and blocks[0].count("\n") >= 2:
        # No blank lines at all: one paragraph per line.
        blocks = [b.strip() for b in blocks[0].split("\n") if b.strip()]
    return [squash(b) if not SEPARATOR.match(b) else "***" for b in blocks]


def is_title_line(paragraph: str) -> bool:
    return (len(paragraph) <= 80 and len(paragraph.split()) <= 10 and not SENTENCE_END.search(paragraph)
            and not DASH_START.match(paragraph) and not paragraph.endswith(","))


def segments(paragraph: str) -> list[Segment]:
    """The paragraph as alternating narration and speech."""
    if DASH_START.match(paragraph):
        parts = DASH_SPLIT.split(DASH_START.sub("", paragraph, count=1))
        out = []
        for k, part in enumerate(parts):
            out.append(Segment("speech" if k % 2 == 0 else "narration", part))
        return [s for s in out if s.text.strip(" .,;:")]
    out = []
    pos = 0
    for m in QUOTES.finditer(paragraph):
        quoted = next(g for g in m.groups() if g is not None)
        if m.start() > pos:
            out.append(Segment("narration", paragraph[pos:m.start()]))
        out.append(Segment("speech", quoted))
        pos = m.end()
    if pos < len(paragraph):
        out.append(Segment("narration", paragraph[pos:]))
    return [s for s in out if s.text.strip(" .,;:")]


NARRATION_CHUNK_SECONDS = 6.5
CLAUSES = re.compile(r"(?<=[,;，、])\s*")


def narration_chunks(paragraph: str, language: str = "en") -> list[str]:
    """A narrated paragraph in pieces of a sentence or two (a long sentence at its commas),
    each short enough to fit a watchable shot."""
    pieces: list[str] = []
    for sentence in (s.strip() for s in SENTENCES.split(paragraph)):
        if not sentence:
            continue
        if estimate_duration(sentence, language) > NARRATION_CHUNK_SECONDS:
            pieces += [c.strip() for c in CLAUSES.split(sentence) if c.strip()]
        else:
            pieces.append(sentence)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}".strip()
        if current and estimate_duration(candidate, language) > NARRATION_CHUNK_SECONDS:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks
