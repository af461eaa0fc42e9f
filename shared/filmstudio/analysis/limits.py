"""Input limits: what analyze refuses, with the codes the API and CLI show."""

from __future__ import annotations

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
