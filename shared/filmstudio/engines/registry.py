"""Engines by stage and tier. The pipeline asks here; it never imports an engine module itself.

Instances are cached: engines hold loaded fonts and the eSpeak library, and are
safe to share between the threads that render shots concurrently.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

STAGES = ("storyboard", "motion", "speech", "music", "compose")

# tier -> stage -> "module:Class". The studio tier's engines load their models lazily, from
# FILMSTUDIO_MODEL_DIR (docs/studio.md); it composes with the preview composer (ffmpeg).
ENGINES: dict[str, dict[str, str]] = {
    "preview": {
        "storyboard": "filmstudio.engines.preview.storyboard:PreviewStoryboard",
        "motion": "filmstudio.engines.preview.motion:PreviewMotion",
        "speech": "filmstudio.engines.preview.speech:PreviewSpeech",
        "music": "filmstudio.engines.preview.music:PreviewMusic",
        "compose": "filmstudio.engines.preview.compose:PreviewCompose",
    },
    "studio": {
        "storyboard": "filmstudio.studio.engines:StudioStoryboard",
        "motion": "filmstudio.studio.engines:StudioMotion",
        "speech": "filmstudio.studio.speech:StudioSpeech",
        "music": "filmstudio.studio.engines:StudioMusic",
        "compose": "filmstudio.engines.preview.compose:PreviewCompose",
    },
}

_cache: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def get_engine(stage: str, tier: str = "preview") -> Any:
    """The engine for a stage in a tier; ValueError for a stage or tier that does not exist."""
    if tier not in ENGINES:
        raise ValueError(f"unknown engine tier {tier!r}; known: {sorted(ENGINES)}")
    if stage not in ENGINES[tier]:
        raise ValueError(f"unknown stage {stage!r} for tier {tier!r}; known: {list(ENGINES[tier])}")
    key = (tier, stage)
    with _lock:
        if key not in _cache:
            module, cls = ENGINES[tier][stage].split(":")
            _cache[key] = getattr(importlib.import_module(module), cls)()
        return _cache[key]
