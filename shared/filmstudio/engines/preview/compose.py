"""The final cut: timeline, video joins, dialogue and music mix, loudness, subtitles, mux.

Each concern has its module: `timeline` (frames and line placement), `video` (stream-copied
joins and re-encoded windows), `mix` (the soundtrack, streamed to disk), `loudness`
(BS.1770 measurement and normalisation in chunks), `subtitles` (the timed text rules and
files) and `mux` (the final ffmpeg arguments, a pure function). This module runs them in
order and reports what it did. Burning subtitles in is the one case that re-encodes the
whole film.

Loudness: -14 LUFS integrated with true peaks under -1.5 dBTP by our own BS.1770
measurement and look-ahead limiter (the half dB under the -1 dBTP ceiling is for the AAC
encoder's overshoot), encoded once to AAC in the final mux.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from filmstudio.engines.base import ComposeInputs, ComposeOptions, ComposeResult
from filmstudio.errors import StageFailedError
from filmstudio.models.plan import Plan

from . import ffmpeg, fonts, subtitles
from .audio import SAMPLE_RATE
from .loudness import decoded_loudness, normalize_file, scale_file
from .mix import mix_audio
from .mux import MuxInputs, aac_args, mux_args
from .storyboard import contact_sheet
from .timeline import LEAD_IN, PAUSE, TAIL, PlacedLine, TimedShot, build_timeline  # noqa: F401
from .video import build_video

log = logging.getLogger(__name__)

SR = SAMPLE_RATE
TARGET_LUFS = -14.0
TARGET_TP = -1.5  # leaves room for the AAC encoder's overshoot under the -1 dBTP ceiling
CEILING_TP = -1.0  # what the encoded track may not pass (checked, and corrected, after encoding)

# --- subtitles (the rules and the files: subtitles.py) ----------------------------------


Cue = subtitles.Cue


def subtitle_cues(plan: Plan, timeline: list[TimedShot], film_end: float) -> list[Cue]:
    spoken = [subtitles.Spoken(pl.start, pl.duration, pl.line.text, pl.line.language) for ts in timeline for pl in ts.lines]
    return subtitles.build_cues(spoken, film_end, plan.fps, subtitles.reading_speed(plan.language.language))


def subtitle_family(cues: list[Cue]) -> str:
    """The family libass is told to use: the one covering the dialogue's main script."""
    script = fonts.dominant_script(" ".join(c.text for c in cues))
    for fam in fonts.SCRIPT_FAMILIES.get(script, ()):
        if fonts.family_path(fam) is not None:
            return fam
    return fonts.FALLBACK_FAMILY


# libass lays SRT text out on a 384x288 canvas scaled to the picture (ffmpeg's default PlayRes).
_ASS_WIDTH = 384 - 2 * 10  # less the default side margins
BURN_FONT_SIZE = 22


def burn_font_size(cues: list[Cue]) -> int:
    """The largest size (at most 22) at which the widest cue line fits the picture.

    Burned cues keep the same line breaks as the SRT: libass is told not to wrap
    (WrapStyle=2), so the size must make every line fit instead.
    """
    widest = max((fonts.text_width(ln, 100) for c in cues for ln in c.lines), default=0.0)
    if widest <= 0:
        return BURN_FONT_SIZE
    return max(8, min(BURN_FONT_SIZE, int(0.92 * _ASS_WIDTH * 100 / widest)))


# --- thumbnail ------------------------------------------------------------------


def pick_thumbnail_shot(timeline: list[TimedShot]) -> TimedShot:
    """Most characters in frame, then most dialogue, then the earliest: the shot that shows the story."""
    return max(timeline, key=lambda ts: (len(ts.shot.characters), sum(pl.duration for pl in ts.lines), -ts.start_frame))


class _Clock:
    def __init__(self) -> None:
        self.t = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.t, 3)
        self.t = now


class PreviewCompose:
    name = "preview-compose"
    version = "1.3.0"

    @staticmethod
    def _stills(plan: Plan, inputs: ComposeInputs, thumb_shot: TimedShot, thumbnail: Path, sheet: Path) -> Path:
        mid = (thumb_shot.frames // 2) / plan.fps
        ffmpeg.run(
            ["-ss", f"{mid:.3f}", "-i", str(inputs.clips[thumb_shot.shot.id]), "-frames:v", "1", "-q:v", "3", str(thumbnail)],
            stage="compose",
        )
        return contact_sheet(plan, {k: Path(v) for k, v in inputs.panels.items()}, sheet)

    def compose(self, plan: Plan, inputs: ComposeInputs, out_dir: Path, options: ComposeOptions) -> ComposeResult:
        out_dir = Path(out_dir)
        work = out_dir / ".compose-work"
        work.mkdir(parents=True, exist_ok=True)
        fps = plan.fps
        timeline = build_timeline(plan, inputs)
        if not timeline:
            raise StageFailedError("compose", "the plan has no shots")
        total_frames = sum(ts.total for ts in timeline)
        film_seconds = total_frames / fps
        total_samples = int(round(film_seconds * SR))

        clock = _Clock()
        # The video windows are ffmpeg subprocesses and the mix is numpy: run them side by side.
        with ThreadPoolExecutor(1) as pool:
            video_job = pool.submit(build_video, plan, timeline, inputs.clips, work)
            mixed, raw = work / "mix-in.f32", work / "mix.f32"
            mix_audio(plan, timeline, inputs.music, total_samples, mixed)
            clock.lap("audio_mix")
            loud = normalize_file(mixed, raw, total_samples, 2, SR, TARGET_LUFS, TARGET_TP)
            mixed.unlink()
            clock.lap("loudness")
            video_list, vstats = video_job.result()
            clock.lap("video_windows_wait")

        cues = subtitle_cues(plan, timeline, film_seconds)
        srt, vtt = out_dir / "film.srt", out_dir / "film.vtt"
        subtitles.write_srt(cues, srt)
        subtitles.write_vtt(cues, vtt)
        sub_family = subtitle_family(cues)

        film = out_dir / "film.mp4"
        burn = options.burn_subtitles and bool(cues)
        style = (f"FontName={fonts.family_display_name(sub_family)},FontSize={burn_font_size(cues)},"
                 "Outline=2,Shadow=0,MarginV=24,WrapStyle=2") if burn else None
        aac = work / "audio.m4a"
        ffmpeg.run(aac_args(raw, aac, film_seconds, SR), stage="compose")
        encoded = decoded_loudness(aac)
        if encoded["true_peak_dbtp"] > CEILING_TP:
            # AAC's overshoot took the peak over the ceiling: the whole track comes down by the excess.
            scale_file(raw, total_samples, 2, CEILING_TP - 0.1 - encoded["true_peak_dbtp"], SR)
            ffmpeg.run(aac_args(raw, aac, film_seconds, SR), stage="compose")
            loud["aac_correction_db"] = round(CEILING_TP - 0.1 - encoded["true_peak_dbtp"], 2)
            encoded = decoded_loudness(aac)
        loud["encoded_true_peak_dbtp"] = encoded["true_peak_dbtp"]
        # What QC needs to know this track's measurement is the film's (see qc.film_sound).
        encoded_audio = {"digest": ffmpeg.audio_digest(aac), **encoded}
        clock.lap("audio_encode")
        thumb_shot = pick_thumbnail_shot(timeline)
        thumbnail = out_dir / "thumbnail.jpg"
        with ThreadPoolExecutor(1) as pool:
            # The stills are independent of the mux (an ffmpeg process): made beside it.
            stills = pool.submit(self._stills, plan, inputs, thumb_shot, thumbnail, out_dir / "contact_sheet.png")
            ffmpeg.run(mux_args(MuxInputs(
                video_list=video_list, audio=aac, srt=srt if cues else None, out=film, fps=fps,
                seconds=film_seconds, language=plan.language.language, title=plan.title, sample_rate=SR,
                burn_style=style, fonts_dir=fonts.fonts_dir() if burn else None,
            )), stage="compose")
            clock.lap("mux")
            sheet = stills.result()
        clock.lap("thumbnail_contact_sheet_wait")
        duration = ffmpeg.media_duration(film)
        for p in work.iterdir():
            p.unlink()
        work.rmdir()
        return ComposeResult(
            film=film,
            srt=srt,
            vtt=vtt,
            thumbnail=thumbnail,
            contact_sheet=sheet,
            duration=duration,
            extra={
                "frames": total_frames,
                "extended_shots": {ts.shot.id: ts.extra / fps for ts in timeline if ts.extra},
                "shot_starts": {ts.shot.id: ts.start_frame / fps for ts in timeline},
                "line_starts": {pl.line.id: pl.start for ts in timeline for pl in ts.lines},
                "subtitle_family": sub_family,
                "thumbnail_shot": thumb_shot.shot.id,
                "loudness": loud,
                "encoded_audio": encoded_audio,
                "timings": clock.laps,
                **vstats,
            },
        )
