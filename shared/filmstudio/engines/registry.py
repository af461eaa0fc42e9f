"""Engines by stage and tier. The pipeline asks here; it never imports an engine module itself.

The media stages' engines are their rows in `filmstudio.media_stages`; compose is not a media
stage (it runs once, after all of them) and names its composer here. Instances are cached:
engines hold loaded fonts and the eSpeak library, and are safe to share between the threads
that render shots concurrently. Each is checked against its stage's interface when first made.
"""

from __future__ import annotations

import threading
from typing import Any

from filmstudio import media_stages

# The studio tier's engines load their models lazily, from FILMSTUDIO_MODEL_DIR (docs/studio.md);
# it composes with the preview composer (ffmpeg).
COMPOSERS: dict[str, str] = {
    "preview": "filmstudio.engines.preview.compose:PreviewCompose",
    "studio": "filmstudio.engines.preview.compose:PreviewCompose",
}
COMPOSER_INTERFACE = "filmstudio.engines.base:Composer"


def stages() -> tuple[str, ...]:
    """Every stage with an engine: the media stages in table order, then compose."""
    return (*media_stages.names(), "compose")


def engines() -> dict[str, dict[str, str]]:
    """tier -> stage -> "module:Class", read from the table each time (a test may add a row)."""
    table: dict[str, dict[str, str]] = {tier: {} for tier in COMPOSERS}
    for row in media_stages.STAGES:
        for tier, ref in row.engines.items():
            table.setdefault(tier, {})[row.name] = ref
    for tier, ref in COMPOSERS.items():
        table[tier]["compose"] = ref
    return table


def interface(stage: str) -> type:
    return media_stages.resolve(COMPOSER_INTERFACE if stage == "compose" else media_stages.stage(stage).interface)


_cache: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def get_engine(stage: str, tier: str = "preview") -> Any:
    """The engine for a stage in a tier; ValueError for a stage or tier that does not exist."""
    table = engines()
    if tier not in table:
        raise ValueError(f"unknown engine tier {tier!r}; known: {sorted(table)}")
    if stage not in table[tier]:
        raise ValueError(f"unknown stage {stage!r} for tier {tier!r}; known: {list(table[tier])}")
    key = (tier, stage)
    with _lock:
        if key not in _cache:
            engine = media_stages.resolve(table[tier][stage])()
            expected = interface(stage)
            if not isinstance(engine, expected):
                raise TypeError(f"{table[tier][stage]} does not implement {expected.__name__} (stage {stage!r})")
            _cache[key] = engine
        return _cache[key]
