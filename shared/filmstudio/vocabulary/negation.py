"""Words that take back what a clause names: "The storm has passed", "no longer afraid", "sin lluvia".

A clause (text between sentence or clause punctuation and a few conjunctions) that
holds one of these words does not assert the weather or the mood it names. For a
drawable subject the test is narrower: only a negation *before* the noun removes it
("without a boat", "no lamp"), since "the boat passed" still shows a boat.
"""

from __future__ import annotations

import re

from filmstudio.vocabulary.matcher import LexiconMatcher

# Negates the clause, wherever it stands (many languages put it after the noun).
CLAUSE_NEGATION = LexiconMatcher({"not": [
    # en
    "has passed", "have passed", "had passed", "passed over", "is over", "was over", "are over", "no longer", "no more",
    "stopped", "has stopped", "had stopped", "stops", "without", "ended", "has ended", "cleared", "has cleared",
    "died down", "dies down", "subsided", "has subsided", "eased off", "let up", "not", "never", "no", "isn't",
    "wasn't", "aren't", "don't", "doesn't", "didn't", "gone", "after the", "free of",
    # hi (Devanagari and romanized)
    "थम गया", "थम गई", "थम गयी", "थमा", "थम चुका", "थम चुकी", "रुक गया", "रुक गई", "रुक गयी", "रुक चुकी",
    "बंद हो गया", "बंद हो गई", "बीत गया", "बीत गई", "बीत चुका", "बीत चुकी", "गुज़र गया", "गुजर गया", "गुज़र गई",
    "गुजर गई", "ख़त्म", "खत्म", "समाप्त", "नहीं", "न$", "बिना", "अब नहीं", "के बाद", "निकल गया", "चला गया",
    "tham gaya", "tham gayi", "ruk gaya", "ruk gayi", "ruk gai", "beet gaya", "guzar gaya", "khatam", "khatm",
    "nahi", "nahin", "nahin", "bina", "ab nahi",
    # ta
    "ஓய்ந்த", "நின்ற", "நின்றுவிட்ட", "கடந்த", "கடந்துவிட்ட", "முடிந்த", "முடிந்துவிட்ட", "இல்லாம", "இல்லை",
    "இன்றி", "பிறகு", "ஓய்ந்துவிட்ட", "தணிந்த",
    # te
    "ఆగిపోయ", "ఆగింది", "ఆగిన", "తగ్గింది", "తగ్గిపోయ", "దాటిపోయ", "ముగిసి", "ముగిసింది", "లేకుండా", "లేదు",
    "ఇక లేదు", "తర్వాత", "వెలిసింది", "వెలిసిన", "ఆగలేదు",
    # bn
    "থেমে গেছে", "থেমে গেল", "থেমেছে", "থামল", "থামলো", "কেটে গেছে", "কেটে গেল", "শেষ হয়েছে", "শেষ হল",
    "ছাড়া", "নেই", "না$", "পরে", "আর নেই", "চলে গেছে",
    # es
    "ha pasado", "había pasado", "pasó", "ya no", "sin", "paró", "ha parado", "dejó de", "ha dejado de",
    "terminó", "ha terminado", "se fue", "se ha ido", "no", "nunca", "después de la", "después del", "cesó",
    "ha cesado", "amainó", "ha amainado", "escampó",
]})

# Negates the noun right after it.
BEFORE_NOUN = LexiconMatcher({"not": [
    "without", "no", "without a", "without any", "not a", "no longer", "sin", "ningún", "ninguna", "बिना",
    "bina", "কোনো", "ছাড়া",
]})

_CLAUSES = re.compile(
    r"[.!?;:।॥\n]+|,\s+|\s+(?:but|and|while|yet|then|pero|y|mientras|लेकिन|मगर|पर|और|lekin|magar|aur|"
    r"ஆனால்|మరియు|కానీ|কিন্তু|এবং|আর)\s+",
    re.IGNORECASE)


def clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause) pieces of the text, in order."""
    out, start = [], 0
    for m in _CLAUSES.finditer(text):
        if m.start() > start:
            out.append((start, text[start:m.start()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def affirmed(text: str) -> str:
    """The text with every negated clause blanked out (offsets kept)."""
    hits = [pos for pos, _, _ in CLAUSE_NEGATION.finditer(text)]
    if not hits:
        return text  # most text negates nothing: one scan, no clause split
    kept = list(text)
    for offset, clause in clauses(text):
        end = offset + len(clause)
        if any(offset <= h < end for h in hits) and CLAUSE_NEGATION.first(clause) is not None:
            kept[offset:end] = " " * len(clause)
    return "".join(kept)


def negated_before(clause: str, position: int, *, window: int = 24) -> bool:
    """Whether a negation word stands just before `position` in the clause."""
    head = clause[max(0, position - window):position]
    return any(start + len(word) >= len(head) - 12 for start, _, word in BEFORE_NOUN.finditer(head))
