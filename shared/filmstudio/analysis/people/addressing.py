"""What the way people are spoken to says about them.

"Grandma, the radio says a storm is coming!" tells us about the one spoken to,
not the speaker: the listener is a woman and a grandparent. The listener of a
line is the other person of the exchange: the next different speaker when
they answer, otherwise the one who spoke just before. A parenthetical
"(to herself)" tells about the speaker.
"""

from __future__ import annotations

import re

from filmstudio.analysis.people.cast import KIN_SUFFIXES, Cast, CastMember, hints_in
from filmstudio.analysis.draft import DraftLine, DraftScene

# The address word opens the line and is set off ("Grandma, …", "दादी! …", "Abuela: …") or
# closes it (", Grandma.", ", दादी?"). A Telugu or Tamil vocative adds a vowel (అమ్మమ్మా):
# hints_in reads the stem.
_OPENING = re.compile(r"^\s*[¡¿\"“]*\s*([^\s,!?.:;।]+(?:\s+[^\s,!?.:;।]+)?)\s*[,!?:;।]")
_CLOSING = re.compile(r"[,،]\s*([^\s,!?.:;।]+)\s*[.!?।…]*\s*[\"”]?\s*$")
_SELF = {"herself": "female", "himself": "male", "sí misma": "female", "sí mismo": "male"}


def _address_words(text: str, language: str | None) -> list[tuple[str | None, str | None, str]]:
    found = []
    for pattern in (_OPENING, _CLOSING):
        m = pattern.search(text)
        if not m:
            continue
        words = m.group(1).split()
        # "Grandma Rosa," or "सुधा अम्मा," address a person; "Mother's here!" does not.
        if len(words) == 2 and not (words[1][:1].isupper() or words[1] in KIN_SUFFIXES):
            continue
        found += [h for h in hints_in(" ".join(words), language) if h[0] or h[1]]
    return found


def _listener(lines: list[DraftLine], k: int, by_id: dict[str, CastMember], words: list[str]) -> CastMember | None:
    """Whom the line speaks to: someone the text already calls by the address word ("Her uncle
    MOHAN" is the one "Uncle, …" is said to); else the one who answers; else, when only two
    people talk in the scene, the other one."""
    speaker = lines[k].speaker
    present = [m for m in (by_id.get(i) for i in dict.fromkeys(ln.speaker for ln in lines))
               if m is not None and not m.is_narrator and m.id != speaker]
    called = [m for m in present if any(w.casefold() in m.hint_words for w in words)]
    if len(called) == 1:
        return called[0]
    if k + 1 < len(lines) and lines[k + 1].speaker != speaker:
        member = by_id.get(lines[k + 1].speaker)
        if member is not None and not member.is_narrator:
            return member
    return present[0] if len(present) == 1 else None


def hint_from_address(scenes: list[DraftScene], cast: Cast) -> None:
    """Gender and age of listeners from the words they are addressed with, and of speakers
    from "(to herself)"."""
    by_id = {m.id: m for m in cast.members()}
    for scene in scenes:
        lines = scene.lines
        for k, line in enumerate(lines):
            speaker = by_id.get(line.speaker)
            if speaker is None or speaker.is_narrator:
                continue
            paren = (line.parenthetical or "").casefold()
            for word, gender in _SELF.items():
                if re.search(rf"\b{word}\b", paren):
                    cast.vote_gender(speaker, gender)  # type: ignore[arg-type]
            words = _address_words(line.text, cast.language)
            if not words:
                continue
            listener = _listener(lines, k, by_id, [w for _, _, w in words])
            if listener is None or listener is speaker:
                continue
            for gender, age, word in words:
                key = f"addressed:{word.casefold()}"
                if key in listener.hint_words:
                    continue
                listener.hint_words.add(key)
                if gender:
                    listener.gender_votes[gender] += 1
                if age:
                    listener.age_votes[age] += 1
