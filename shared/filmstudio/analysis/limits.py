"""Input limits: what analyze and plan refuse, with the codes the API and CLI show.

The limits are chosen so that the largest script they admit still renders: a Step Functions
standard execution may hold 25,000 history events, and the film state machine writes a
fixed number plus a number per scene (the Scenes map) and per line (the Lines map).
`history_events` counts them from the ASL file itself, so a state added to a map moves
the count; a test checks the count at the limits, with room left for retries.
"""

from __future__ import annotations

import json
from pathlib import Path

from filmstudio.errors import BadInputError

# A feature screenplay is about 120 pages, roughly 180,000 characters; more is not a short film.
MAX_SCRIPT_CHARS = 200_000
# Each scene becomes at least one storyboard, clip and mix segment.
MAX_SCENES = 200
# The longest film the pipeline's Lambda limits render (compose's 15 minutes and /tmp, measured by
# benchmarks/bench_sizing.py); a longer plan is refused at intake rather than failing in compose.
MAX_FILM_SECONDS = 20 * 60
# Motion renders one scene per invocation; its 15 minutes admit about 5.7 minutes of scene at the
# measured rate, so a scene is held well under that.
MAX_SCENE_SECONDS = 4 * 60
MAX_FILM_MINUTES = MAX_FILM_SECONDS // 60
# Each line is one speech task of the Lines map (8 history events on AWS).
MAX_LINES = 2400
# Step Functions' quota per execution, and the share of it the limits may use: the rest is
# room for retried tasks (each retry adds a few events).
HISTORY_EVENT_QUOTA = 25_000
HISTORY_EVENT_BUDGET = 0.9


def check_size(text: str) -> None:
    if len(text) > MAX_SCRIPT_CHARS:
        raise BadInputError(
            f"The script has {len(text):,} characters; the maximum is {MAX_SCRIPT_CHARS:,}.",
            code="SCRIPT_TOO_LARGE", http_status=413,
            details={"characters": len(text), "max_characters": MAX_SCRIPT_CHARS},
        )


def check_empty(text: str) -> None:
    # Punctuation and symbols alone ("****", "____") say nothing a film could show.
    if not any(ch.isalpha() for ch in text):
        raise BadInputError("The script is empty: there is nothing to film.", code="EMPTY_SCRIPT", http_status=422)


def check_scene_count(count: int) -> None:
    if count > MAX_SCENES:
        raise BadInputError(
            f"The script has {count} scenes; the maximum is {MAX_SCENES}.",
            code="TOO_MANY_SCENES", http_status=422, details={"scenes": count, "max_scenes": MAX_SCENES},
        )


def check_film_duration(seconds: float) -> None:
    if seconds > MAX_FILM_SECONDS:
        raise BadInputError(
            f"The film would run {seconds / 60:.1f} minutes; the maximum is {MAX_FILM_SECONDS // 60} minutes.",
            code="FILM_TOO_LONG", http_status=422,
            details={"seconds": round(seconds, 1), "max_seconds": MAX_FILM_SECONDS},
        )


def check_scene_durations(durations: dict[str, float]) -> None:
    """{scene id: seconds}: every scene short enough for one motion invocation."""
    too_long = {sid: round(sec, 1) for sid, sec in durations.items() if sec > MAX_SCENE_SECONDS}
    if too_long:
        first = next(iter(too_long))
        raise BadInputError(
            f"Scene {first} would run {too_long[first] / 60:.1f} minutes; a scene may run at most "
            f"{MAX_SCENE_SECONDS // 60} minutes. Split it with a new scene heading.",
            code="SCENE_TOO_LONG", http_status=422,
            details={"scenes": too_long, "max_scene_seconds": MAX_SCENE_SECONDS},
        )


def check_line_count(count: int) -> None:
    if count > MAX_LINES:
        raise BadInputError(
            f"The script has {count} lines of dialogue; the maximum is {MAX_LINES}.",
            code="TOO_MANY_LINES", http_status=422, details={"lines": count, "max_lines": MAX_LINES},
        )


# --- Step Functions history events, counted from the ASL ---------------------------------
#
# What AWS writes per state (standard workflows): a Task is Entered, Scheduled, Started,
# Succeeded, Exited, and a .waitForTaskToken task also Submitted; a Parallel or Map is
# Entered, Started, Succeeded, Exited; a map iteration Started and Succeeded around its
# states; a Pass or Succeed Entered and Exited; the execution Started and Succeeded.

def _film_definition() -> dict:
    from filmstudio.topology import FILM_STATE_MACHINE

    return json.loads(FILM_STATE_MACHINE.template())  # with the media stages' states put in


def _path_events(states: dict, start: str, counts: dict[str, int]) -> int:
    total = 0
    name: str | None = start
    while name:
        state = states[name]
        kind = state["Type"]
        if kind == "Task":
            total += 6 if state.get("Resource", "").endswith(".waitForTaskToken") else 5
        elif kind == "Parallel":
            total += 4 + sum(_path_events(b["States"], b["StartAt"], counts) for b in state["Branches"])
        elif kind == "Map":
            proc = state.get("ItemProcessor") or state["Iterator"]
            items = state["ItemsPath"].rsplit(".", 1)[-1]
            total += 4 + counts[items] * (2 + _path_events(proc["States"], proc["StartAt"], counts))
        elif kind in ("Pass", "Succeed", "Choice", "Wait"):
            total += 2
        if kind == "Succeed" or state.get("End"):
            break
        name = state.get("Next")
    return total


def history_events(scenes: int, lines: int, asl: Path | None = None) -> int:
    """History events of a successful execution for a film of `scenes` scenes and `lines` lines."""
    definition = json.loads(asl.read_text(encoding="utf-8")) if asl else _film_definition()
    return 2 + _path_events(definition["States"], definition["StartAt"], {"scenes": scenes, "lines": lines})


# --- writing systems the fonts can draw ---------------------------------------------------
#
# The preview fonts (docs/engines.md) cover these; a test checks each against the installed
# fonts' character maps. Anything else would be drawn as empty boxes in the subtitles and
# captions, so it is refused before a job exists rather than rendered broken.
DRAWABLE_WRITING_SYSTEMS = frozenset({"Latin", "Devanagari", "Bengali", "Tamil", "Telugu", "Cyrillic", "Greek"})


def check_writing_systems(text: str, spoken: list[str]) -> None:
    """Refuse a script mostly in a writing system we cannot draw, or with a line of dialogue in one."""
    from filmstudio.analysis.language.writing_systems import writing_system_counts

    counts = writing_system_counts(text)
    total = sum(counts.values())
    foreign = {k: v for k, v in counts.items() if k not in DRAWABLE_WRITING_SYSTEMS}
    if not foreign:
        return
    system = max(foreign, key=foreign.get)
    share = sum(foreign.values()) / total
    if share < 0.5:
        for text_line in spoken:
            line_foreign = [k for k in writing_system_counts(text_line) if k not in DRAWABLE_WRITING_SYSTEMS]
            if line_foreign:
                system = line_foreign[0]
                break
        else:
            return  # a few letters in the action only: the captions' font fallback is logged
    raise BadInputError(
        f"The script is written in {system} ({share:.0%} of its letters{', with dialogue in it' if share < 0.5 else ''}), "
        f"which this studio cannot draw yet; supported: {', '.join(sorted(DRAWABLE_WRITING_SYSTEMS))}.",
        code="UNSUPPORTED_LANGUAGE", http_status=422,
        details={"writing_system": system, "share": round(share, 3), "supported": sorted(DRAWABLE_WRITING_SYSTEMS)},
    )
