"""Reading back what a viewer would get: streams, their kinds and durations (PyAV)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av


@dataclass
class Stream:
    kind: str  # video, audio, subtitle
    codec: str
    duration: float | None  # seconds


def probe(path: Path) -> dict:
    with av.open(str(path)) as container:
        streams = []
        for s in container.streams:
            duration = float(s.duration * s.time_base) if s.duration is not None and s.time_base else None
            streams.append(Stream(s.type, s.codec_context.name if s.codec_context else "", duration))
        total = container.duration / 1_000_000 if container.duration else None
        fmt = container.format.name
    return {"streams": streams, "duration": total, "format": fmt}


def kinds(info: dict) -> set[str]:
    return {s.kind for s in info["streams"]}


def parse_srt_starts(text: str) -> list[float]:
    starts = []
    for line in text.splitlines():
        if "-->" in line:
            h, m, rest = line.split("-->")[0].strip().split(":")
            s, ms = rest.split(",")
            starts.append(int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000)
    return starts
