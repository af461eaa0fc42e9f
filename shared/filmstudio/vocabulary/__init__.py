"""The one vocabulary of the project: what the analysis reads and the storyboard draws.

- `places`: settings (river, temple, street...), times of day, weather (`SETTINGS`,
  `TIME_OF_DAY`, `WEATHER`), the tables `analysis.scene.lexicons` re-exports;
- `subjects`: the drawable subjects (lighthouse, boat, lamp...) and their words;
- `negation`: the words that take a clause back ("The storm has passed").

Nothing here imports the analysis or the engines, so both can import it.
"""

from __future__ import annotations

from filmstudio.vocabulary.negation import affirmed, clauses, negated_before
from filmstudio.vocabulary.places import SETTING_PRIORITY, SETTINGS, TIME_OF_DAY, WEATHER
from filmstudio.vocabulary.subjects import BY_ID, KINDS, SUBJECT_WORDS, SUBJECTS, Subject

__all__ = ["BY_ID", "KINDS", "SETTINGS", "SETTING_PRIORITY", "SUBJECTS", "SUBJECT_WORDS", "Subject", "TIME_OF_DAY",
           "WEATHER", "affirmed", "clauses", "negated_before", "setting_in", "subjects_in"]


def subjects_in(text: str) -> list[str]:
    """Subject ids the text names, in order of first mention; "without a boat" names no boat."""
    found: dict[str, None] = {}
    hits = list(SUBJECT_WORDS.finditer(text))
    if not hits:
        return []
    pieces = clauses(text)
    k = 0
    for pos, sid, _ in hits:
        while k + 1 < len(pieces) and pieces[k + 1][0] <= pos:
            k += 1
        offset, clause = pieces[k]
        if not negated_before(clause, pos - offset):
            found.setdefault(sid, None)
    return list(found)


def setting_in(*texts: str) -> str | None:
    """The most specific setting the first text that names one names."""
    for text in texts:
        found = SETTINGS.classes(text or "")
        if found:
            return min(found, key=SETTING_PRIORITY.index)
    return None
