"""analyze(): text in, ScriptAnalysis out. Deterministic, rule-based, no network."""

from __future__ import annotations

import re

from filmstudio.analysis import limits
from filmstudio.analysis.people.addressing import hint_from_address
from filmstudio.analysis.people.cast import Cast
from filmstudio.analysis.scene.culture import cultural_context, script_region
from filmstudio.analysis.draft import DraftScene
from filmstudio.analysis.language import detect_language, detect_line_language, normalize_hint
from filmstudio.analysis.parsers.markup import normalize, strip_comments
from filmstudio.analysis.parsers.prose import parse_prose
from filmstudio.analysis.parsers.prose_text import narration_chunks
from filmstudio.analysis.scene.attributes import (
    camera_cues_in, mood_of, props_in, setting_of, sound_cues_in, subjects_in, time_of_day_in, weather_in,
)
from filmstudio.analysis.parsers.screenplay import SLUG, title_key, looks_like_screenplay, parse_screenplay
from filmstudio.analysis.language.speech_timing import estimate_duration
from filmstudio.analysis.parsers.topic import build_topic, looks_like_topic
from filmstudio.models.plan import LanguageGuess, Line, ScriptAnalysis, Scene


LONG_LINE_SECONDS = 8.0


def detect_format(text: str) -> str:
    lines = text.split("\n")
    first = next((line.strip() for line in lines if line.strip()), "")
    # A Fountain title page ("Title: ...") says screenplay even before any scene.
    if looks_like_screenplay(lines) or title_key(first) is not None:
        return "screenplay"
    if looks_like_topic(text):
        return "topic"
    return "prose"


def _language_text(text: str, fmt: str) -> str:
    """The words that carry the script's language (sluglines and cues are often English anyway)."""
    if fmt != "screenplay":
        return text
    kept = []
    for line in text.split("\n"):
        s = line.strip()
        if not s or SLUG.match(s) or re.match(r"^[A-Za-z ]+:", s):
            continue
        if s == s.upper() and len(s) < 40:
            continue
        kept.append(s)
    return "\n".join(kept) or text


def analyze(text: str, *, language: str | None = None) -> ScriptAnalysis:
    """Analyse a screenplay, a prose story or a bare topic in any supported language.

    Raises BadInputError: SCRIPT_TOO_LARGE (413), EMPTY_SCRIPT, TOO_MANY_SCENES, TOO_MANY_LINES.
    """
    limits.check_size(text)
    text = strip_comments(normalize(text))
    limits.check_empty(text)
    hint = normalize_hint(language)

    fmt = detect_format(text)
    guess = detect_language(_language_text(text, fmt)[:20_000], hint=hint)
    cast = Cast(guess.language)
    title_page: dict[str, str] = {}
    if fmt == "screenplay":
        title, title_page, drafts = parse_screenplay(text, cast)
    elif fmt == "topic":
        title, drafts = build_topic(text, cast, guess.language)
    else:
        title, drafts = parse_prose(text, cast, guess.language)
    drafts = [d for d in drafts if d.action or d.lines]
    hint_from_address(drafts, cast)  # "Grandma, …" says who the listener is
    if not drafts:
        limits.check_empty("")
    limits.check_scene_count(len(drafts))

    region = script_region(text[:50_000], guess.language)
    scenes = [_scene(k, draft, guess, region) for k, draft in enumerate(drafts)]
    limits.check_line_count(sum(len(scene.lines) for scene in scenes))

    characters = cast.characters(region=region[0])
    spoken_languages: dict[str, dict[str, int]] = {}
    for scene in scenes:
        for line in scene.lines:
            counts = spoken_languages.setdefault(line.character_id, {})
            counts[line.language] = counts.get(line.language, 0) + 1
    used = {line.character_id for scene in scenes for line in scene.lines} | {
        c for scene in scenes for c in scene.characters}
    characters = [c for c in characters if c.id in used]
    for c in characters:
        langs = spoken_languages.get(c.id)
        c.voice.language = max(langs, key=langs.get) if langs else guess.language
        c.voice.gender = c.gender
        c.voice.age_group = c.age_group
    return ScriptAnalysis(
        title=title or title_page.get("Title", ""), title_page=title_page, format=fmt,  # type: ignore[arg-type]
        language=guess, characters=characters, scenes=scenes,
    )


def _scene(k: int, draft: DraftScene, script_language: LanguageGuess,
           region: tuple[str | None, list[str]]) -> Scene:
    scene_id = f"s{k + 1}"
    action_text = " ".join(draft.action)
    spoken_text = " ".join(line.text for line in draft.lines)
    all_text = f"{draft.heading} {action_text} {spoken_text}"
    weather = weather_in(action_text + " " + draft.heading)
    lines: list[Line] = []
    for dl in draft.lines:
        lg = detect_line_language(dl.text, script_language)
        pieces = [dl.text]
        if estimate_duration(dl.text, lg.language) > LONG_LINE_SECONDS:
            # A monologue in one block would be one long frozen shot and one unreadable
            # subtitle: it is spoken in pieces of a sentence or two, each its own line.
            pieces = narration_chunks(dl.text, lg.language)
        for p, text in enumerate(pieces):
            lines.append(Line(
                id=f"{scene_id}-l{len(lines) + 1}", scene_id=scene_id, character_id=dl.speaker, text=text,
                parenthetical=dl.parenthetical if p == 0 else None, extension=dl.extension, language=lg.language,
                language_confidence=round(lg.confidence, 4), writing_system=lg.writing_system,
                dual=dl.dual and p == 0, est_duration=estimate_duration(text, lg.language),
                after_action=dl.after_action,
            ))
    scene_lang = _majority([line.language for line in lines]) or script_language.language
    return Scene(
        id=scene_id, index=k, heading=draft.heading, number=draft.number, interior=draft.interior,
        location=draft.location, setting=draft.setting_hint or setting_of(draft.location, action_text or all_text),
        time_of_day=draft.time_of_day or time_of_day_in(f"{draft.heading} {action_text}"),  # type: ignore[arg-type]
        weather=weather, mood=mood_of(all_text, weather), camera_cues=camera_cues_in(action_text),
        sound_cues=sound_cues_in(action_text), props=props_in(action_text),
        # What is seen first (heading, action), then what the dialogue names ("the radio says...").
        subjects=subjects_in(f"{draft.location}. {action_text}. {spoken_text}"),
        cultural_context=cultural_context(all_text, script_language.language, region),
        action=draft.action, characters=[c for c in draft.characters if c != "narrator"], lines=lines,
        transition_out=draft.transition_out, language=scene_lang,
    )


def _majority(values: list[str]) -> str | None:
    if not values:
        return None
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.get)
