"""Fountain-style screenplays: title page, sluglines, cues, dialogue, transitions.

Follows the Fountain rules that matter for a film: sluglines (INT., EXT.,
INT./EXT., I/E, EST., forced ".HEADING", scene numbers #12#), character cues
with extensions and dual-dialogue carets, parentheticals, transitions (TO:,
FADE OUT., forced ">"), centered text (>text<), sections, synopses and page
breaks ignored, notes and boneyard stripped before parsing.
"""

from __future__ import annotations

import re

from filmstudio.analysis.people.cast import HINTS, Cast, CastMember
from filmstudio.analysis.draft import DraftLine, DraftScene
from filmstudio.analysis.scene.lexicons import HEADING_TIMES
from filmstudio.analysis.parsers.markup import split_sentences, squash, strip_emphasis

SLUG = re.compile(r"^(?:INT\.?/EXT|EXT\.?/INT|INT|EXT|EST|I/E|E/I)[.\s]", re.I)
SCENE_NUMBER = re.compile(r"\s*#([\w.\-]+)#\s*$")
TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z ]{0,30}):\s*(.*)$")
KNOWN_TITLE_KEYS = {"title", "credit", "author", "authors", "source", "draft date", "date", "contact", "copyright",
                    "notes", "revision", "format"}
TRANSITION = re.compile(r"^(?:[A-Z0-9 .'’-]+ TO:|FADE (?:OUT|IN|TO BLACK)[.:]?|CUT TO BLACK\.?|FADE OUT\.?|"
                        r"FADE IN:?|THE END\.?|SMASH CUT:?|IRIS (?:IN|OUT)\.?)$")
EXTENSION = re.compile(r"\(([^)]*)\)")
CENTERED = re.compile(r"^>\s*(.*?)\s*<$")
# What a screenplay exported from a page layout carries that is not the story:
# page numbers, (MORE) at a page break, CONTINUED: at the top of the next page.
PAGE_FURNITURE = re.compile(r"^(?:\d{1,4}\.?|\(MORE\)|\(?CONTINUED:?\)?|\(CONT'D\)|CONT'D)$", re.I)


def looks_like_screenplay(lines: list[str]) -> bool:
    """Sluglines, or a title page, or several cue-and-dialogue blocks."""
    if any(SLUG.match(line.strip()) or _forced_heading(line.strip()) for line in lines):
        return True
    cues = sum(1 for i, line in enumerate(lines) if _is_cue(lines, i))
    has_title_page = bool(lines) and title_key(lines[0].strip()) is not None
    return cues >= 2 or (has_title_page and cues >= 1)


def _forced_heading(line: str) -> bool:
    return line.startswith(".") and len(line) > 1 and line[1] not in ". "


def title_key(line: str) -> str | None:
    m = TITLE_KEY.match(line)
    if m and m.group(1).strip().lower() in KNOWN_TITLE_KEYS:
        return m.group(1).strip()
    return None


def _cue_name(line: str) -> str | None:
    s = line.strip()
    if s.startswith("@"):
        return s[1:].strip() or None
    if s.startswith("!") or s.endswith("TO:") or s.startswith(">") or s.startswith("~"):
        return None
    bare = EXTENSION.sub("", s).replace("^", "").strip()
    if not bare or not any(c.isalpha() for c in bare) or len(bare) > 40:
        return None
    if _caseless(bare):
        # Devanagari, Tamil, Bengali... have no capitals: a name of a word or two, with no
        # punctuation, is the cue (the caller also requires a blank line before, speech after).
        if len(bare.split()) > 2 or re.search(r"[।.!?,:;\"“”]", bare):
            return None
        return s
    # Fountain cues are upper case.
    if bare != bare.upper() or not any(c.isupper() for c in bare):
        return None
    if SLUG.match(s) or TRANSITION.match(s) or bare.endswith((".", "!", "?")) or ":" in bare:
        return None  # "SUPER: TWO YEARS LATER" is a caption, not a speaker
    return s


def _caseless(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(not (c.isupper() or c.islower()) for c in letters)


def _is_cue(lines: list[str], i: int) -> bool:
    if _cue_name(lines[i]) is None:
        return False
    before_blank = i == 0 or not lines[i - 1].strip()
    after = lines[i + 1].strip() if i + 1 < len(lines) else ""
    return before_blank and bool(after)


def _parse_heading(text: str) -> tuple[str, str | None, bool | None, str, str | None]:
    number = None
    m = SCENE_NUMBER.search(text)
    if m:
        number = m.group(1)
        text = text[: m.start()]
    heading = text.lstrip(".").strip()
    interior: bool | None = None
    rest = heading
    prefix = re.match(r"^(INT\.?/EXT\.?|EXT\.?/INT\.?|I/E\.?|E/I\.?|INT\.?|EXT\.?|EST\.?)\s*", heading, re.I)
    if prefix:
        p = prefix.group(1).upper()
        if "/" not in p:
            interior = p.startswith("INT")
        rest = heading[prefix.end():]
    time_of_day = None
    parts = re.split(r"\s+[-–—]\s+", rest)
    if len(parts) > 1:
        tail = parts[-1].strip().upper().strip(".")
        if tail in HEADING_TIMES:
            time_of_day = HEADING_TIMES[tail]
            parts = parts[:-1]
        else:
            for word, tod in HEADING_TIMES.items():
                if re.search(rf"\b{re.escape(word)}\b", tail):
                    time_of_day = tod
                    parts = parts[:-1]
                    break
    location = " - ".join(p.strip() for p in parts).strip(" .")
    return heading, number, interior, location, time_of_day


def parse_screenplay(text: str, cast: Cast) -> tuple[str, dict[str, str], list[DraftScene]]:
    """(title, title page, scenes) from a Fountain-style screenplay."""
    lines = text.split("\n")
    title_page, start = _parse_title_page(lines)
    lines = lines[start:]
    scenes: list[DraftScene] = []
    scene = DraftScene()
    pending_transition: str | None = None
    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        s = raw.strip()
        if not s or s == "===" or s.startswith("=") or s.startswith("#") or PAGE_FURNITURE.match(s):
            i += 1
            continue
        prev_blank = i == 0 or not lines[i - 1].strip()
        if prev_blank and (SLUG.match(s) or _forced_heading(s)):
            if not scene.empty:
                scenes.append(scene)
            heading, number, interior, location, tod = _parse_heading(s)
            scene = DraftScene(heading=heading, number=number, interior=interior, location=location,
                               time_of_day=tod)
            i += 1
            continue
        centered = CENTERED.match(s)
        if centered:
            scene.action.append(strip_emphasis(centered.group(1)))
            i += 1
            continue
        next_blank = i + 1 >= n or not lines[i + 1].strip()
        if prev_blank and next_blank and (s.startswith(">") or (TRANSITION.match(s) and s == s.upper())):
            pending_transition = s.lstrip(">").strip()
            if not scene.empty:
                scene.transition_out = pending_transition
            i += 1
            continue
        if _is_cue(lines, i):
            i = _parse_dialogue(lines, i, scene, cast)
            continue
        # Action: a paragraph runs to the next blank line.
        para = [s.lstrip("!")]
        i += 1
        while i < n and lines[i].strip():
            para.append(lines[i].strip())
            i += 1
        scene.action.append(strip_emphasis(squash(" ".join(para))))
    if not scene.empty:
        scenes.append(scene)
    _hint_from_action(scenes, cast)
    return title_page.get("Title", ""), title_page, scenes


def _parse_title_page(lines: list[str]) -> tuple[dict[str, str], int]:
    page: dict[str, str] = {}
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or title_key(lines[i].strip()) is None:
        return page, 0
    key = None
    while i < len(lines) and lines[i].strip():
        line = lines[i]
        m = TITLE_KEY.match(line.strip())
        if m and not line.startswith((" ", "\t")):
            key = m.group(1).strip().title()
            page[key] = m.group(2).strip()
        elif key:
            page[key] = (page[key] + "\n" + line.strip()).strip()
        i += 1
    page = {k: strip_emphasis(v) for k, v in page.items()}
    return page, i


def _parse_dialogue(lines: list[str], i: int, scene: DraftScene, cast: Cast) -> int:
    cue = _cue_name(lines[i]) or ""
    dual = cue.rstrip().endswith("^")
    cue = cue.rstrip().rstrip("^").strip()
    extensions = [e.strip() for e in EXTENSION.findall(cue)]
    name = squash(EXTENSION.sub("", cue).lstrip("@"))
    member = cast.add(name)
    scene.present(member.id)
    i += 1
    parenthetical: str | None = None
    spoken: list[str] = []
    n = len(lines)
    while i < n and lines[i].strip():
        s = lines[i].strip()
        if PAGE_FURNITURE.match(s):
            i += 1
            continue
        if s.startswith("(") and s.endswith(")"):
            if spoken:
                # A parenthetical mid-speech starts a new beat of the same speech.
                _emit(scene, member.id, spoken, parenthetical, extensions, dual)
                spoken = []
            parenthetical = s[1:-1].strip()
        else:
            spoken.append(s)
        i += 1
    _emit(scene, member.id, spoken, parenthetical, extensions, dual)
    return i


def _emit(scene: DraftScene, speaker: str, spoken: list[str], parenthetical: str | None,
          extensions: list[str], dual: bool) -> None:
    text = strip_emphasis(squash(" ".join(spoken)))
    if not text:
        return
    scene.lines.append(DraftLine(
        speaker=speaker, text=text, parenthetical=parenthetical,
        extension=", ".join(extensions) or None, dual=dual, after_action=len(scene.action),
    ))


_PRONOUNS = {"she": "female", "her": "female", "herself": "female", "he": "male", "him": "male", "his": "male",
             "himself": "male"}


# Words after an object "her" ("watches her go", "hands her the cup", "helps her up").
_NOT_POSSESSED = frozenset("""go come leave be run walk cry sleep smile laugh speak sing stand sit fall in out up
    down away back off to into from with and or the a an that this go goes going""".split()) | {""}

_TRAILING_RELATION = re.compile(r"(?:\s*\b(?:and|with|y|con)\b)?\s*\b(her|his|their|su)\s+(?:\w+\s+)?(\w+)\s*,?\s*$", re.I)


def _relation_of_next(cast: Cast, member: CastMember, span: str) -> str:
    """The introduction of `member` without a trailing "and her brother", which names the next
    character; the possessive says who `member` is ("her": a woman)."""
    m = _TRAILING_RELATION.search(span)
    if not m or HINTS.get(m.group(2).casefold()) is None:
        return span
    cast.hint_owner(member, f"{m.group(1)} {m.group(2)}")
    return span[:m.start()]


def _named_before(member: CastMember, earlier_in_sentence: list[CastMember],
                  last_named: CastMember | None) -> CastMember | None:
    """Whom a possessive in `member`'s introduction refers to: the person named just before."""
    for other in reversed(earlier_in_sentence):
        if other is not member:
            return other
    return last_named if last_named is not member else None


def _hint_from_action(scenes: list[DraftScene], cast: Cast) -> None:
    """Age and gender from the action lines that introduce and mention each speaker."""
    members = cast.members()
    if not members:
        return
    for scene in scenes:
        last_named: CastMember | None = None  # who the scene's action named last, for "her grandson"
        for para in scene.action:
            previous_single = None  # the one character the previous sentence named
            for sentence in split_sentences(para):
                opener = sentence.split()[0].lower() if sentence.split() else ""
                if previous_single is not None and opener in ("he", "she"):
                    # "SAMUEL (80s) waits at the door. He does not smile."
                    cast.vote_gender(previous_single, _PRONOUNS[opener])  # type: ignore[arg-type]
                mentioned = []
                for member in members:
                    names = [member.name, *member.aliases]
                    for name in names:
                        m = re.search(rf"\b{re.escape(name)}\b", sentence, re.I)
                        if m:
                            mentioned.append((m.start(), m.end(), member))
                            break
                previous_single = mentioned[0][2] if len(mentioned) == 1 else None
                if not mentioned:
                    continue
                mentioned.sort(key=lambda t: t[0])
                for k, (start, end, member) in enumerate(mentioned):
                    if sentence[start:end].isupper() and member.name.isupper():
                        # The introduction: "MEERA (70s), a retired postmistress ..." and
                        # "RAVI (40s), Arjun's father, ..." describe the capitalised name.
                        stop = len(sentence)
                        for later_start, later_end, _ in mentioned[k + 1:]:
                            if not sentence[later_end:later_end + 2] in ("'s", "’s"):
                                stop = later_start
                                break
                        span = sentence[end:min(stop, end + 100)]
                        if stop < len(sentence):
                            # "ANNA and her brother TOM": the brother is Tom; "her" is Anna.
                            span = _relation_of_next(cast, member, span)
                        cast.hint(member, span)
                        appositive = re.match(r"\s*(?:\([^)]*\))?\s*,\s*([^,]+),", sentence[end:stop])
                        if appositive:
                            cast.describe(member, appositive.group(1))
                            # "SAMEER (12), her grandson,": "her" is whoever the action named before.
                            owner = _named_before(member, [m for _, _, m in mentioned[:k]], last_named)
                            if owner is not None:
                                cast.hint_owner(owner, appositive.group(1))
                        # "Her son DEV (30s)": the word just before the name, when it is kinship.
                        before = sentence[:start].split()[-1:] if sentence[:start].split() else []
                        if before and HINTS.get(before[0].casefold().strip(",")):
                            cast.hint(member, before[0])
                            # "Her uncle MOHAN": "her" is the one named before.
                            owner = _named_before(member, [m for _, _, m in mentioned[:k]], last_named)
                            if owner is not None:
                                cast.hint_owner(owner, " ".join(sentence[:start].split()[-2:]))
                    elif sentence[start:end] != member.name:
                        cast.alias(member, sentence[start:end])
                last_named = mentioned[-1][2]
                if len(mentioned) == 1:
                    member = mentioned[0][2]
                    after = sentence[mentioned[0][1]:].lower()
                    words = re.findall(r"[a-z]+", after)
                    for w, word in enumerate(words):
                        following = words[w + 1] if w + 1 < len(words) else ""
                        if word in _PRONOUNS and word != "him" and not (word == "her" and following in _NOT_POSSESSED):
                            # "Mohan watches her go": an object pronoun is someone else; "opens her laptop" is hers.
                            # "her grandson" names a relative of someone else, not this character.
                            if following in HINTS and HINTS[following][0] is not None:
                                break
                            cast.vote_gender(member, _PRONOUNS[word])  # type: ignore[arg-type]
                            break
