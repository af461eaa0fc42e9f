"""The final mux's ffmpeg arguments: a pure function of what goes in, tested without ffmpeg.

H.264 (stream-copied, or re-encoded through libass when subtitles are burned in) + the AAC
track encoded beforehand by `aac_args` (copied) + a mov_text subtitle track tagged with the
plan's language, `+faststart`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import ffmpeg
from .text import strip_bidi

ISO639_2 = {"en": "eng", "hi": "hin", "ta": "tam", "te": "tel", "bn": "ben", "es": "spa", "fr": "fra", "de": "deu",
            "mr": "mar", "ur": "urd"}


@dataclass(frozen=True)
class MuxInputs:
    video_list: Path  # concat-demuxer list
    audio: Path  # the AAC track (`aac_args`), copied
    srt: Path | None  # None: the film has no dialogue
    out: Path
    fps: int
    seconds: float
    language: str
    title: str
    sample_rate: int = 48_000
    burn_style: str | None = None  # libass force_style; None: no burn-in
    fonts_dir: Path | None = None


def filter_path(p: Path) -> str:
    # Filter-graph escaping for a path inside subtitles=...: backslash, colon and quote.
    return str(p).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def aac_args(raw: Path, out: Path, seconds: float, sample_rate: int = 48_000) -> list[str]:
    """The soundtrack (raw float32 stereo) to AAC 160 kb/s, on its own: its true peak is
    measured before the mux, and a film that AAC pushed over the ceiling is re-encoded quieter."""
    return [
        "-f", "f32le", "-ar", str(sample_rate), "-ac", "2", "-i", str(raw),
        # the "fast" AAC coder: half the CPU of the default two-loop search, no audible difference at 160 kb/s
        "-c:a", "aac", "-aac_coder", "fast", "-b:a", "160k", "-ar", str(sample_rate), "-ac", "2",
        "-t", f"{seconds:.6f}", "-f", "mp4", str(out),
    ]


def mux_args(m: MuxInputs) -> list[str]:
    lang3 = ISO639_2.get(m.language, "und")
    args = [
        "-f", "concat", "-safe", "0", "-i", str(m.video_list),
        "-i", str(m.audio),
    ]
    if m.srt is not None:
        args += ["-i", str(m.srt)]
    args += ["-map", "0:v", "-map", "1:a"]
    if m.srt is not None:
        args += ["-map", "2:s", "-c:s", "mov_text", "-metadata:s:s:0", f"language={lang3}"]
    if m.burn_style and m.srt is not None:
        fonts = f":fontsdir='{filter_path(m.fonts_dir)}'" if m.fonts_dir else ""
        args += [
            "-filter:v",
            f"subtitles=filename='{filter_path(m.srt)}'{fonts}:force_style='{m.burn_style}',{ffmpeg.TO_YUV}",
            *ffmpeg.x264_args(m.fps),
        ]
    else:
        args += ["-c:v", "copy"]
    return args + [
        "-c:a", "copy",
        "-metadata:s:a:0", f"language={lang3}",
        "-metadata", f"title={strip_bidi(m.title)}",
        "-t", f"{m.seconds:.6f}",
        "-movflags", "+faststart",
        str(m.out),
    ]
