"""The final cut: timeline, video joins, dialogue and music mix, loudness, subtitles, mux.

The timeline is the plan's, measured: a shot whose dialogue (its lines' measured WAV
durations plus lead-in, pauses and tail) runs longer than shot.duration is
extended by freezing its last frame, and every later shot moves by as much. Every
time below (speech placement, subtitle cues, music cue starts) is derived from
whole video frames, so picture, sound and captions cannot drift apart.

Video is joined, not re-encoded: clips that need no change go into the concat
demuxer as they are (stream copy: the motion engine encodes every clip with the
same x264 parameters), and only groups of shots that need new frames (a
crossfade, a fade, a frozen extension) are re-encoded, as one segment per group
with the same parameters. Burning subtitles in is the one case that re-encodes the
whole film.

Audio is mixed in numpy (dialogue at its placed sample, music cues crossfaded at
scene boundaries and ducked under dialogue by an envelope from the speech
placement), normalised to -14 LUFS integrated with true peaks under -1.5 dBTP by
our own BS.1770 measurement and look-ahead limiter (`loudness`; the half dB under
the -1 dBTP ceiling is for the AAC encoder's overshoot), and encoded once to AAC in
the final mux.
"""

from __future__ import annotations

import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from filmstudio.engines.base import ComposeInputs, ComposeOptions, ComposeResult
from filmstudio.errors import StageFailedError
from filmstudio.models.plan import Line, Plan, Scene, Shot

from . import ffmpeg, fonts, subtitles
from .text import strip_bidi
from .audio import SAMPLE_RATE, fit_length, read_wav, resample
from .loudness import normalize
from .motion import frame_count, head_keyframe
from .storyboard import contact_sheet

log = logging.getLogger(__name__)


SR = SAMPLE_RATE
LEAD_IN = 0.2  # seconds of picture before a shot's first line
PAUSE = 0.25  # between two lines in one shot
TAIL = 0.3  # after a shot's last line, before the cut
CROSSFADE = 0.5  # seconds, picture
FADE = 0.5  # seconds, fade from/to black
MUSIC_XFADE = 0.6  # seconds, between two scenes' cues
MUSIC_GAIN = 10 ** (-4 / 20)
DUCK_GAIN = 10 ** (-12 / 20)
TARGET_LUFS = -14.0
TARGET_TP = -1.5  # leaves room for the AAC encoder's overshoot under the -1 dBTP ceiling

_ISO639_2 = {"en": "eng", "hi": "hin", "ta": "tam", "te": "tel", "bn": "ben", "es": "spa", "fr": "fra", "de": "deu", "mr": "mar", "ur": "urd"}


@dataclass
class PlacedLine:
    line: Line
    wav: Path
    duration: float
    start: float  # film seconds, exact (a whole sample)


@dataclass
class TimedShot:
    shot: Shot
    scene: Scene
    frames: int  # as rendered by motion
    extra: int  # frozen frames added for dialogue
    start_frame: int
    lines: list[PlacedLine] = field(default_factory=list)
    fade_in: bool = False
    fade_out: bool = False
    crossfade_in: bool = False

    @property
    def total(self) -> int:
        return self.frames + self.extra


def _lines_by_shot(scene: Scene) -> dict[str, list[Line]]:
    by_id = {ln.id: ln for ln in scene.lines}
    out: dict[str, list[Line]] = {s.id: [by_id[i] for i in s.line_ids if i in by_id] for s in scene.shots}
    claimed = {i for s in scene.shots for i in s.line_ids}
    orphans = [ln for ln in scene.lines if ln.id not in claimed]
    if orphans and scene.shots:
        # The planner should assign every line to a shot; if it did not, the lines are
        # still spoken (in the scene's last shot, which is extended to fit) rather than lost.
        log.warning("scene %s: lines %s belong to no shot; placing them in the last shot", scene.id, [ln.id for ln in orphans])
        out[scene.shots[-1].id].extend(orphans)
    return out


def build_timeline(plan: Plan, inputs: ComposeInputs) -> list[TimedShot]:
    fps = plan.fps
    cps = subtitles.reading_speed(plan.language.language)
    # Two cues must be 2 frames apart, whatever the frame rate.
    pause = max(PAUSE, (subtitles.MIN_GAP_FRAMES + 0.5) / fps)
    timeline: list[TimedShot] = []
    cursor = 0
    shots = [(scene, shot) for scene in plan.scenes for shot in scene.shots]
    for k, (scene, shot) in enumerate(shots):
        frames = frame_count(shot.duration, fps)
        lines = [ln for ln in _lines_by_shot(scene)[shot.id] if ln.id in inputs.speech]
        durs = [float(inputs.speech[ln.id][1]) for ln in lines]
        # Each line holds the picture as long as its subtitles need to be read, at least its speech.
        spans = [subtitles.line_span(ln.text, ln.language, d, fps, cps) for ln, d in zip(lines, durs)]
        need = (LEAD_IN + sum(spans) + pause * (len(spans) - 1) + TAIL) if spans else 0.0
        extra = max(0, math.ceil(need * fps - 1e-6) - frames)
        ts = TimedShot(shot=shot, scene=scene, frames=frames, extra=extra, start_frame=cursor)
        t = cursor / fps + LEAD_IN
        for ln, d, span in zip(lines, durs, spans):
            start = round(t * SR) / SR
            ts.lines.append(PlacedLine(ln, Path(inputs.speech[ln.id][0]), d, start))
            t = start + span + pause
        nxt = shots[k + 1] if k + 1 < len(shots) else None
        ts.fade_in = k == 0 or shot.transition_in == "fade_in"
        ts.crossfade_in = k > 0 and shot.transition_in == "crossfade"
        ts.fade_out = (
            nxt is None
            or nxt[1].transition_in == "fade_out"
            or (nxt[0].id != scene.id and "FADE" in (scene.transition_out or "").upper())
        ) and not (nxt is not None and nxt[1].transition_in == "crossfade")
        timeline.append(ts)
        cursor += ts.total
    return timeline


# --- video ----------------------------------------------------------------------
#
# The film is a list of concat-demuxer entries: stream-copied ranges of clips, and
# small re-encoded "windows" wherever frames must change. A crossfade re-encodes only
# the crossfade itself and the few frames up to the next clip's head keyframe (which
# the motion engine places at a fixed frame so a copy can start there); a fade
# re-encodes the fade; an extension encodes its frozen frames. Only shots too short
# for that split are re-encoded whole.


@dataclass
class Piece:
    """One input of a window: a frame range of a clip and what happens to it."""

    clip: Path
    start: int
    end: int
    pad_before: int = 0  # frozen copies of the first frame, before it
    extend: int = 0  # frozen copies of the last frame (dialogue extension)
    pad_after: int = 0  # frozen copies of the last frame, for a crossfade
    fade_in: int = 0  # frames
    fade_out: int = 0  # frames, ending at the end of the extension

    @property
    def length(self) -> int:
        return self.pad_before + (self.end - self.start) + self.extend + self.pad_after


@dataclass
class Window:
    pieces: list[Piece]
    xfades: list[int]  # crossfade length (frames) between piece k and k+1

    @property
    def frames(self) -> int:
        return sum(p.length for p in self.pieces) - sum(self.xfades)


@dataclass
class Copy:
    clip: Path
    start: int
    end: int
    frames_total: int  # of the clip

    @property
    def frames(self) -> int:
        return self.end - self.start


def _groups(timeline: list[TimedShot]) -> list[list[TimedShot]]:
    groups: list[list[TimedShot]] = []
    for ts in timeline:
        if ts.crossfade_in and groups:
            groups[-1].append(ts)
        else:
            groups.append([ts])
    return groups


def _xfade_len(a: TimedShot, b: TimedShot, fps: int) -> int:
    return max(2, min(round(CROSSFADE * fps), a.frames, b.frames))


def _whole_group(group: list[TimedShot], clips: dict[str, Path], fps: int) -> Window:
    """Every frame of the group re-encoded: the fallback for shots too short to split."""
    pieces, xfades = [], []
    for i, ts in enumerate(group):
        fade = min(round(FADE * fps), ts.total)
        pieces.append(Piece(clips[ts.shot.id], 0, ts.frames, extend=ts.extra,
                            fade_in=fade if (i == 0 and ts.fade_in) else 0,
                            fade_out=fade if (i == len(group) - 1 and ts.fade_out) else 0))
        if i:
            f = _xfade_len(group[i - 1], ts, fps)
            pieces[i - 1].pad_after = f // 2
            pieces[i].pad_before = f - f // 2
            xfades.append(f)
    return Window(pieces, xfades)


def _split_group(group: list[TimedShot], clips: dict[str, Path], fps: int) -> list[Window | Copy] | None:
    """Copies and small windows for a group, or None when a shot is too short to split."""
    head = head_keyframe(fps)
    fade = round(FADE * fps)
    units: list[Window | Copy] = []
    tail_of_prev: Piece | None = None
    for i, ts in enumerate(group):
        clip = clips[ts.shot.id]
        last = i == len(group) - 1
        n = ts.frames
        c0 = head if (ts.fade_in or i > 0) else 0
        if not last:
            t = _xfade_len(ts, group[i + 1], fps) // 2
        elif ts.fade_out:
            t = min(fade, n)
        elif ts.extra:
            t = 1
        else:
            t = 0
        c1 = n - t
        if c0 > c1 or (c0 and n <= head):
            return None
        if i == 0 and c0:
            units.append(Window([Piece(clip, 0, c0, fade_in=min(fade, c0))], []))
        elif i > 0:
            f = _xfade_len(group[i - 1], ts, fps)
            assert tail_of_prev is not None
            tail_of_prev.pad_after = f - f // 2
            units.append(Window([tail_of_prev, Piece(clip, 0, c0, pad_before=f // 2)], [f]))
        if c1 > c0:
            units.append(Copy(clip, c0, c1, n))
        if not last:
            tail_of_prev = Piece(clip, c1, n, extend=ts.extra)
        elif t:
            units.append(Window([Piece(clip, c1, n, extend=ts.extra, fade_out=min(fade, t + ts.extra) if ts.fade_out else 0)], []))
    return units


def _encode_window(window: Window, fps: int, out: Path) -> None:
    args: list[str] = []
    chains = []
    for i, p in enumerate(window.pieces):
        if p.start:
            # Seek instead of decoding the clip from its start: ffmpeg decodes from the
            # keyframe before the seek point and drops frames until it. Half a frame
            # early, because end/fps rounded to microseconds can land past the frame.
            args += ["-ss", f"{(p.start - 0.5) / fps:.6f}"]
        args += ["-i", str(p.clip)]
        f = [f"[{i}:v]trim=start_frame=0:end_frame={p.end - p.start}", "setpts=PTS-STARTPTS"]
        if p.extend:
            f.append(f"tpad=stop_mode=clone:stop={p.extend}")
        if p.fade_out:
            own = (p.end - p.start) + p.extend
            f.append(f"fade=t=out:s={own - p.fade_out}:n={p.fade_out}")
        if p.fade_in:
            f.append(f"fade=t=in:s=0:n={p.fade_in}")
        # A crossfade takes half its length from each side, padded by freezing the
        # edge frames, so the cut point (and the whole timeline) stays where it was.
        if p.pad_after:
            f.append(f"tpad=stop_mode=clone:stop={p.pad_after}")
        if p.pad_before:
            f.append(f"tpad=start_mode=clone:start={p.pad_before}")
        chains.append(",".join(f) + f"[v{i}]")
    label = "v0"
    acc = window.pieces[0].length
    for i in range(1, len(window.pieces)):
        xf = window.xfades[i - 1]
        chains.append(f"[{label}][v{i}]xfade=transition=fade:duration={xf / fps:.6f}:offset={(acc - xf) / fps:.6f}[x{i}]")
        label = f"x{i}"
        acc += window.pieces[i].length - xf
    ffmpeg.run(
        [
            *args,
            "-filter_complex", ";".join(chains),
            "-map", f"[{label}]",
            "-frames:v", str(window.frames),
            "-r", str(fps),
            *ffmpeg.x264_args(fps),
            "-an",
            str(out),
        ],
        stage="compose",
    )


def build_video(plan: Plan, timeline: list[TimedShot], clips: dict[str, Path], work: Path) -> tuple[Path, dict[str, int]]:
    """A concat list of clip ranges and re-encoded windows; returns it and frame counts by kind."""
    fps = plan.fps
    missing = [ts.shot.id for ts in timeline if ts.shot.id not in clips]
    if missing:
        raise StageFailedError("compose", f"no clip for shots {missing}")
    units: list[Window | Copy] = []
    for group in _groups(timeline):
        needs = len(group) > 1 or any(ts.extra or ts.fade_in or ts.fade_out for ts in group)
        if not needs:
            ts = group[0]
            units.append(Copy(clips[ts.shot.id], 0, ts.frames, ts.frames))
            continue
        split = _split_group(group, clips, fps)
        units.extend(split if split is not None else [_whole_group(group, clips, fps)])
    stats = {"copied_frames": 0, "encoded_frames": 0}
    lines = []
    for k, unit in enumerate(units):
        if isinstance(unit, Window):
            path = work / f"window-{k:04d}.mp4"
            _encode_window(unit, fps, path)
            stats["encoded_frames"] += unit.frames
            lines.append(f"file '{_concat_path(path)}'\nduration {unit.frames / fps:.6f}\n")
        else:
            stats["copied_frames"] += unit.frames
            entry = f"file '{_concat_path(unit.clip)}'\n"
            if unit.start:
                entry += f"inpoint {unit.start / fps:.6f}\n"
            if unit.end < unit.frames_total:
                # Half a frame early: a packet is kept while its timestamp is below the
                # out point, and the last wanted frame's rounds to a hair under end/fps.
                entry += f"outpoint {(unit.end - 0.5) / fps:.6f}\n"
            lines.append(entry + f"duration {unit.frames / fps:.6f}\n")
    lst = work / "video.txt"
    lst.write_text("".join(lines), encoding="utf-8")
    return lst, stats


def _concat_path(p: Path) -> str:
    return str(Path(p).resolve()).replace("'", "'\\''")


# --- audio ----------------------------------------------------------------------


def _load_mono(path: Path) -> np.ndarray:
    x, rate = read_wav(path)
    if x.ndim > 1:
        x = x.mean(axis=1)
    return resample(x, rate, SR)


def _load_stereo(path: Path) -> np.ndarray:
    x, rate = read_wav(path)
    if x.ndim == 1:
        x = np.stack([x, x], axis=1)
    return resample(x[:, :2], rate, SR)


def mix_audio(plan: Plan, timeline: list[TimedShot], music: dict[str, Path], total_samples: int) -> np.ndarray:
    fps = plan.fps
    dialogue = np.zeros(total_samples, dtype=np.float32)
    active = np.zeros(total_samples + 1, dtype=np.float32)
    for ts in timeline:
        for pl in ts.lines:
            x = _load_mono(pl.wav)
            s = int(round(pl.start * SR))
            x = x[: max(0, total_samples - s)]
            dialogue[s : s + len(x)] += x
            # The music starts dipping 150 ms before the voice and comes back 300 ms after.
            a, b = max(0, s - int(0.15 * SR)), min(total_samples, s + len(x) + int(0.3 * SR))
            active[a] += 1
            active[b] -= 1
    inside = (np.cumsum(active)[:total_samples] > 0).astype(np.float32)
    win = int(0.15 * SR)
    kernel_sum = np.cumsum(np.concatenate([np.zeros(1, np.float32), inside]))
    smooth = (kernel_sum[win:] - kernel_sum[:-win]) / win
    smooth = np.concatenate([smooth, np.full(total_samples - len(smooth), smooth[-1] if len(smooth) else 0, np.float32)])
    smooth = np.concatenate([np.zeros(win // 2, np.float32), smooth])[:total_samples]
    duck = MUSIC_GAIN * (1.0 - (1.0 - DUCK_GAIN) * np.clip(smooth, 0, 1))

    bed = np.zeros((total_samples, 2), dtype=np.float32)
    scene_spans: list[tuple[Scene, int, int]] = []
    for ts in timeline:
        a = round(ts.start_frame / fps * SR)
        b = round((ts.start_frame + ts.total) / fps * SR)
        if scene_spans and scene_spans[-1][0].id == ts.scene.id:
            scene_spans[-1] = (ts.scene, scene_spans[-1][1], b)
        else:
            scene_spans.append((ts.scene, a, b))
    xf = int(MUSIC_XFADE * SR)
    for i, (scene, a, b) in enumerate(scene_spans):
        if scene.id not in music:
            log.warning("no music cue for scene %s", scene.id)
            continue
        last = i == len(scene_spans) - 1
        length = (b - a) + (0 if last else xf)
        cue = fit_length(_load_stereo(music[scene.id]), length, SR)
        # Equal-power crossfade into the next scene's cue, over that scene's first xf samples.
        ramp = np.sin(np.linspace(0, np.pi / 2, xf, dtype=np.float32))[:, None]
        if not last:
            cue[-xf:] *= ramp[::-1]
        if i > 0:
            cue[:xf] *= ramp[: min(xf, len(cue))]
        end = min(total_samples, a + len(cue))
        bed[a:end] += cue[: end - a]
    mix = bed * duck[:, None] + dialogue[:, None]
    return mix.astype(np.float32)


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


def _filter_path(p: Path) -> str:
    # Filter-graph escaping for a path inside subtitles=...: backslash, colon and quote.
    return str(p).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


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
    version = "1.2.0"

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
            mix = mix_audio(plan, timeline, inputs.music, total_samples)
            clock.lap("audio_mix")
            mix, loud = normalize(mix, SR, TARGET_LUFS, TARGET_TP)
            raw = work / "mix.f32"
            raw.write_bytes(np.ascontiguousarray(mix, dtype="<f4").tobytes())
            clock.lap("loudness")
            video_list, vstats = video_job.result()
            clock.lap("video_windows_wait")

        cues = subtitle_cues(plan, timeline, film_seconds)
        srt, vtt = out_dir / "film.srt", out_dir / "film.vtt"
        subtitles.write_srt(cues, srt)
        subtitles.write_vtt(cues, vtt)
        sub_family = subtitle_family(cues)

        film = out_dir / "film.mp4"
        lang3 = _ISO639_2.get(plan.language.language, "und")
        args = [
            "-f", "concat", "-safe", "0", "-i", str(video_list),
            "-f", "f32le", "-ar", str(SR), "-ac", "2", "-i", str(raw),
        ]
        if cues:
            args += ["-i", str(srt)]
        args += ["-map", "0:v", "-map", "1:a"]
        if cues:
            args += ["-map", "2:s", "-c:s", "mov_text", "-metadata:s:s:0", f"language={lang3}"]
        if options.burn_subtitles and cues:
            style = (f"FontName={fonts.family_display_name(sub_family)},FontSize={burn_font_size(cues)},"
                     "Outline=2,Shadow=0,MarginV=24,WrapStyle=2")
            args += [
                "-filter:v",
                f"subtitles=filename='{_filter_path(srt)}':fontsdir='{_filter_path(fonts.fonts_dir())}':force_style='{style}',{ffmpeg.TO_YUV}",
                *ffmpeg.x264_args(fps),
            ]
        else:
            args += ["-c:v", "copy"]
        args += [
            # the "fast" AAC coder: half the CPU of the default two-loop search, no audible difference at 160 kb/s
            "-c:a", "aac", "-aac_coder", "fast", "-b:a", "160k", "-ar", str(SR), "-ac", "2",
            "-metadata:s:a:0", f"language={lang3}",
            "-metadata", f"title={strip_bidi(plan.title)}",
            "-t", f"{film_seconds:.6f}",
            "-movflags", "+faststart",
            str(film),
        ]
        ffmpeg.run(args, stage="compose")
        clock.lap("mux")

        thumb_shot = pick_thumbnail_shot(timeline)
        thumbnail = out_dir / "thumbnail.jpg"
        mid = (thumb_shot.frames // 2) / fps
        ffmpeg.run(
            ["-ss", f"{mid:.3f}", "-i", str(inputs.clips[thumb_shot.shot.id]), "-frames:v", "1", "-q:v", "3", str(thumbnail)],
            stage="compose",
        )
        sheet = contact_sheet(plan, {k: Path(v) for k, v in inputs.panels.items()}, out_dir / "contact_sheet.png")
        clock.lap("thumbnail_contact_sheet")
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
                "timings": clock.laps,
                **vstats,
            },
        )
