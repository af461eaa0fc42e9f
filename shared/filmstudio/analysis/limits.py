"""Input limits: what analyze refuses, with the codes the API and CLI show."""

from __future__ import annotations

from filmstudio.errors import BadInputError

# A feature screenplay is about 120 pages, roughly 180,000 characters; more is not a short film.
MAX_SCRIPT_CHARS = 200_000
# Each scene becomes at least one storyboard, clip and mix segment.
MAX_SCENES = 200


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
