"""Subtitles by the Netflix Timed Text Style Guide: cue layout, timing, files, and the rule check.

The rules (General Requirements and the English (USA) guide):
- at most 42 characters a line, counted in grapheme clusters (`text.graphemes`), at most 2 lines;
- one line unless the text does not fit; a break goes after punctuation, before a conjunction
  or preposition, and never between an article (or a title) and what it introduces;
- at most 20 characters a second for adult programmes (17 where a language's guide says so),
  spaces and punctuation counted, the line break not;
- on screen at least 5/6 s and at most 7 s; at least 2 frames between two cues.

A spoken line too long for one cue becomes several, each timed against its share of the
speech (by characters); a cue that could not be read in its share is held longer and the
line's next cue starts later. `line_span` tells the timeline how long the line's cues need
so the film makes room for them, which is what lets every film meet every rule.

Everything here is pure: the builder takes placed lines and returns cues; the files are
written and parsed here too, so QC measures exactly what a player reads.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from .text import grapheme_len, graphemes, strip_bidi

MAX_LINE = 42
MAX_LINES = 2
MIN_DURATION = 5 / 6
MAX_DURATION = 7.0
MIN_GAP_FRAMES = 2
DEFAULT_CPS = 20.0
# Languages whose Netflix guide sets adult reading speed at 17 characters a second.
READING_SPEED: dict[str, float] = {"es": 17.0, "fr": 17.0, "de": 17.0, "it": 17.0, "pt": 17.0, "nl": 17.0}
# Cue times are written to the millisecond: building with 2 ms to spare keeps every rule
# true of the rounded times in the files.
_EPS = 0.002
# Reading comfort: the last cue of a line may stay up to half a second after the voice
# (the guide allows 12 frames), if the next cue leaves room.
_LINGER = 0.5


def reading_speed(language: str) -> float:
    return READING_SPEED.get((language or "en").split("-")[0].lower(), DEFAULT_CPS)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def characters(self) -> int:
        """Characters a viewer reads (the line break is not one)."""
        return sum(grapheme_len(ln) for ln in self.lines)


# --- where a line may break --------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?।॥…。！？][\"'”’»)\]]*$")
_CLAUSE_END = re.compile(r"[,;:，、—–-][\"'”’»)\]]*$")
_STRIP = re.compile(r"^[\"'“‘«(\[¿¡]+|[\"'”’»)\].,;:!?।॥…]+$")

CONJUNCTIONS: dict[str, frozenset[str]] = {
    "en": frozenset("and but or so because yet nor while when if although though until unless since that "
                    "where which who whether as than".split()),
    "es": frozenset("y e o u pero sino porque que cuando si aunque mientras pues ni como donde quien".split()),
    "fr": frozenset("et ou mais donc car que quand si parce lorsque puisque comme où qui".split()),
    "hi": frozenset("और लेकिन पर मगर परंतु क्योंकि या कि तो जब अगर जो तथा एवं".split()),
    "bn": frozenset("এবং কিন্তু আর বা কারণ তাই যে যদি তবে অথবা যখন".split()),
    "ta": frozenset("ஆனால் மற்றும் அல்லது ஏனென்றால் எனவே".split()),
    "te": frozenset("కానీ మరియు లేదా ఎందుకంటే అందుకే".split()),
}
PREPOSITIONS: dict[str, frozenset[str]] = {
    "en": frozenset("of to in on at for with from by about into over under after before through across "
                    "without between behind near against toward towards".split()),
    "es": frozenset("a de en con para por sin sobre desde hasta entre hacia tras bajo contra".split()),
    "fr": frozenset("à de en dans avec pour par sans sur sous chez vers entre depuis".split()),
}
# A line never ends on these: the word after them belongs to them.
ARTICLES: dict[str, frozenset[str]] = {
    "en": frozenset("a an the".split()),
    "es": frozenset("el la los las un una unos unas lo al del".split()),
    "fr": frozenset("le la les un une des du au aux".split()),
    "de": frozenset("der die das den dem des ein eine einen einem einer".split()),
    "pt": frozenset("o a os as um uma uns umas".split()),
    "it": frozenset("il lo la i gli le un uno una".split()),
}
# Words that bind to the next almost as tightly: possessives, demonstratives, titles, subject pronouns.
_BINDING: dict[str, frozenset[str]] = {
    "en": frozenset("my your his her its our their this that these those every each no mr mrs ms dr "
                    "miss sir i you he she we they it".split()),
    "es": frozenset("mi mis tu tus su sus nuestro nuestra este esta estos estas ese esa don doña sr sra "
                    "yo tú él ella nosotros".split()),
    "fr": frozenset("mon ma mes ton ta tes son sa ses ce cet cette ces je tu il elle nous vous ils elles".split()),
}
# Postpositions follow their noun in Hindi and Bengali: never break in front of one.
_POSTPOSITIONS: dict[str, frozenset[str]] = {
    "hi": frozenset("का की के में से को ने पर तक है हैं था थी थे हूँ हो".split()),
    "bn": frozenset("কে রে তে এর র".split()),
}


def _bare(word: str) -> str:
    return _STRIP.sub("", word).lower()


def _lang(language: str) -> str:
    return (language or "en").split("-")[0].lower()


def ends_on_article(line: str, language: str) -> bool:
    words = line.split()
    return bool(words) and _bare(words[-1]) in ARTICLES.get(_lang(language), frozenset())


def break_cost(before: str, after: str, language: str) -> float:
    """How bad a break between the word `before` and the word `after` is (0 best)."""
    lang = _lang(language)
    b, a = _bare(before), _bare(after)
    if b in ARTICLES.get(lang, frozenset()):
        return 1000.0
    if _SENTENCE_END.search(before):
        return 0.0
    if _CLAUSE_END.search(before):
        return 1.0
    if b in _BINDING.get(lang, frozenset()):
        return 8.0
    if a in _POSTPOSITIONS.get(lang, frozenset()):
        return 8.0
    if a in CONJUNCTIONS.get(lang, frozenset()):
        return 2.0
    if a in PREPOSITIONS.get(lang, frozenset()):
        return 3.0
    if before[:1].isupper() and after[:1].isupper():
        return 6.0  # a first name and a last name
    return 4.0


# --- layout: words into cues of at most two lines -------------------------------------

def clean(text: str) -> str:
    """What is shown: no direction controls, no line breaks or runs of spaces of the source."""
    return " ".join(strip_bidi(text).split())


def _words(text: str) -> list[str]:
    """Words, with any word longer than a line cut at grapheme boundaries (a URL, unspaced scripts)."""
    out: list[str] = []
    for w in text.split():
        if grapheme_len(w) <= MAX_LINE:
            out.append(w)
            continue
        g = graphemes(w)
        out.extend("".join(g[i:i + MAX_LINE]) for i in range(0, len(g), MAX_LINE))
    return out


def _best_lines(words: list[str], lens: list[int], language: str) -> tuple[float, tuple[str, ...]] | None:
    """The best one- or two-line layout of these words, or None if they cannot fit."""
    total = sum(lens) + len(lens) - 1
    if total <= MAX_LINE:
        return 0.0, (" ".join(words),)
    best: tuple[float, int] | None = None
    top = -1
    for k in range(1, len(words)):
        top += lens[k - 1] + 1
        bottom = total - top - 1
        if top > MAX_LINE:
            break
        if bottom > MAX_LINE:
            continue
        # Balanced lines read best; a slightly longer bottom line (a pyramid) better still.
        cost = break_cost(words[k - 1], words[k], language) + abs(top - bottom) / 12 + (0.5 if top > bottom else 0.0)
        if best is None or cost < best[0]:
            best = (cost, k)
    if best is None:
        return None
    k = best[1]
    return best[0], (" ".join(words[:k]), " ".join(words[k:]))


def layout(text: str, language: str, max_chars: int | None = None) -> list[tuple[str, ...]]:
    """The cues' texts (each one or two lines) for one spoken line, in reading order.

    Cues are chosen by dynamic programming over the word boundaries: each cue costs a
    little (fewer cues read better), each cue boundary and line break costs what
    `break_cost` says, and a cue holds at most `max_chars` characters (the timing's limit).
    """
    words = _words(clean(text))
    if not words:
        return []
    lens = [grapheme_len(w) for w in words]
    cap = MAX_LINE * MAX_LINES + 1 if max_chars is None else max(1, max_chars)
    n = len(words)
    inf = float("inf")
    best = [inf] * (n + 1)
    choice: list[tuple[int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        chars = -1
        for i in range(j - 1, -1, -1):
            chars += lens[i] + 1
            if chars > MAX_LINE * MAX_LINES + 1 or (chars > cap and i < j - 1):
                break
            if best[i] == inf:
                continue
            fit = _best_lines(words[i:j], lens[i:j], language)
            if fit is None:
                continue
            cost = best[i] + 10.0 + fit[0]
            if i > 0:
                cost += break_cost(words[i - 1], words[i], language) * 2
                if chars < 12 and not _SENTENCE_END.search(words[j - 1]):
                    cost += 4.0  # a fragment flashing by
            if cost < best[j]:
                best[j] = cost
                choice[j] = (i, fit[1])
    cues: list[tuple[str, ...]] = []
    j = n
    while j > 0:
        c = choice[j]
        assert c is not None  # every single word fits a line, so every prefix has a layout
        cues.append(c[1])
        j = c[0]
    return cues[::-1]


# --- timing -------------------------------------------------------------------------

def _display(lines: tuple[str, ...], cps: float) -> float:
    """The least time these lines may be on screen."""
    chars = sum(grapheme_len(ln) for ln in lines)
    return max(MIN_DURATION, chars / cps) + _EPS


def _gap(fps: float) -> float:
    return MIN_GAP_FRAMES / fps + _EPS


def _chunks(text: str, language: str, speech: float) -> list[tuple[str, ...]]:
    chunks = layout(text, language)
    total = sum(grapheme_len(" ".join(c)) for c in chunks)
    # A cue's share of slow speech may not pass 7 s: cap the characters a cue may hold.
    if speech > 0 and total and any(speech * grapheme_len(" ".join(c)) / total > MAX_DURATION - 0.1 for c in chunks):
        per_second = total / speech
        chunks = layout(text, language, max_chars=math.floor((MAX_DURATION - 0.1) * per_second))
    return chunks


def _schedule(chunks: list[tuple[str, ...]], start: float, speech: float, cps: float,
              fps: float) -> list[tuple[float, float]]:
    weights = [grapheme_len(" ".join(c)) for c in chunks]
    total = sum(weights) or 1
    gap = _gap(fps)
    times: list[tuple[float, float]] = []
    a = start
    done = 0
    for k, chunk in enumerate(chunks):
        done += weights[k]
        spoken_end = start + speech * done / total  # where this chunk's words have been said
        last = k == len(chunks) - 1
        b = max(a + _display(chunk, cps), spoken_end if last else spoken_end - gap)
        b = min(b, a + MAX_DURATION - _EPS)
        times.append((a, b))
        a = max(b + gap, spoken_end)
    return times


def line_span(text: str, language: str, speech: float, fps: float, cps: float = DEFAULT_CPS) -> float:
    """Seconds from the line's start that its cues need: at least the speech itself.

    `language` is the line's (it decides where lines break); `cps` the film's reading speed."""
    chunks = _chunks(text, language, speech)
    if not chunks:
        return speech
    times = _schedule(chunks, 0.0, speech, cps, fps)
    return max(speech, times[-1][1])


@dataclass(frozen=True)
class Spoken:
    """A line as the timeline placed it."""

    start: float
    speech: float  # seconds of voice
    text: str
    language: str


def build_cues(spoken: list[Spoken], film_end: float, fps: float, cps: float = DEFAULT_CPS) -> list[Cue]:
    """Every line's cues, in order; the timeline has given each line `line_span` seconds."""
    gap = _gap(fps)
    cues: list[Cue] = []
    ordered = sorted(spoken, key=lambda s: s.start)
    for i, s in enumerate(ordered):
        chunks = _chunks(s.text, s.language, s.speech)
        if not chunks:
            continue
        limit = (ordered[i + 1].start - gap) if i + 1 < len(ordered) else film_end
        times = _schedule(chunks, s.start, s.speech, cps, fps)
        for k, (chunk, (a, b)) in enumerate(zip(chunks, times)):
            if k == len(chunks) - 1:
                b = max(b, min(s.start + s.speech + _LINGER, limit, a + MAX_DURATION - _EPS))
            # Only a timeline that did not give the line its `line_span` can push a cue past the
            # next one; clipped, the cue then breaks a rule and QC says so.
            cues.append(Cue(a, min(b, limit), chunk))
    return cues


# --- the rules, measured -------------------------------------------------------------

@dataclass(frozen=True)
class Violation:
    cue: int  # 1-based, as in the SRT
    rule: str  # line_length, line_count, reading_speed, min_duration, max_duration, gap, line_break, bidi
    detail: str


def check(cues: list[Cue], fps: float, language: str) -> list[Violation]:
    """Every rule each cue breaks, measured on the cue as written (times to the millisecond)."""
    out: list[Violation] = []
    cps = reading_speed(language)
    for n, c in enumerate(cues, 1):
        dur = c.end - c.start
        if len(c.lines) > MAX_LINES:
            out.append(Violation(n, "line_count", f"{len(c.lines)} lines"))
        for ln in c.lines:
            if grapheme_len(ln) > MAX_LINE:
                out.append(Violation(n, "line_length", f"{grapheme_len(ln)} characters: {ln[:60]!r}"))
            if any(ch in ln for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"):
                out.append(Violation(n, "bidi", "a bidirectional control character"))
            if not ln.strip():
                out.append(Violation(n, "empty_line", "an empty line"))
        for ln in c.lines[:-1]:
            if ends_on_article(ln, language):
                out.append(Violation(n, "line_break", f"a line ends on an article: {ln[-30:]!r}"))
        if dur < MIN_DURATION:
            out.append(Violation(n, "min_duration", f"{dur:.3f} s"))
        if dur > MAX_DURATION:
            out.append(Violation(n, "max_duration", f"{dur:.3f} s"))
        if dur > 0 and c.characters / dur > cps:
            out.append(Violation(n, "reading_speed", f"{c.characters / dur:.1f} characters/s (max {cps:g})"))
        if n < len(cues):
            gap = cues[n].start - c.end
            if gap * fps < MIN_GAP_FRAMES - 1e-9:
                out.append(Violation(n, "gap", f"{gap * 1000:.0f} ms to the next cue ({gap * fps:.2f} frames)"))
    return out


# --- files ---------------------------------------------------------------------------

def _ts(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _vtt_escape(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def srt_text(cues: list[Cue]) -> str:
    return "\n".join(f"{i}\n{_ts(c.start, ',')} --> {_ts(c.end, ',')}\n{c.text}\n" for i, c in enumerate(cues, 1))


def vtt_text(cues: list[Cue]) -> str:
    body = [f"{_ts(c.start, '.')} --> {_ts(c.end, '.')}\n" + "\n".join(_vtt_escape(ln) for ln in c.lines) + "\n"
            for c in cues]
    return "\n".join(["WEBVTT\n", *body])


def write_srt(cues: list[Cue], path: Path) -> None:
    Path(path).write_text(srt_text(cues), encoding="utf-8")


def write_vtt(cues: list[Cue], path: Path) -> None:
    Path(path).write_text(vtt_text(cues), encoding="utf-8")


_TIMING = re.compile(r"(\d+):(\d\d):(\d\d)[,.](\d\d\d)\s+-->\s+(\d+):(\d\d):(\d\d)[,.](\d\d\d)")


def parse(text: str) -> list[Cue]:
    """Cues of an SRT or a WebVTT file (VTT entities decoded)."""
    vtt = text.lstrip("\ufeff").startswith("WEBVTT")
    cues: list[Cue] = []
    rows = text.splitlines()
    k = 0
    while k < len(rows):
        m = _TIMING.search(rows[k])
        k += 1
        if not m:
            continue
        g = [int(v) for v in m.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        lines = []
        while k < len(rows) and rows[k].strip():
            ln = rows[k]
            if vtt:
                ln = ln.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            lines.append(ln)
            k += 1
        cues.append(Cue(start, end, tuple(lines)))
    return cues


def read(path: Path) -> list[Cue]:
    return parse(Path(path).read_text(encoding="utf-8"))
