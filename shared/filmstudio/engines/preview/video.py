"""Video joins: stream-copied clip ranges and small re-encoded windows, as one concat list.

Clips that need no change go into the concat demuxer as they are (every clip is in
`engines.base.ClipFormat`, which the motion task checks before a clip is stored); only groups of shots that need new
frames (a crossfade, a fade, a frozen extension) are re-encoded, each window with the
same parameters. The pure parts, tested without ffmpeg: `plan_units` (what is copied and
what re-encoded), `window_args` (the ffmpeg arguments of one window), `concat_entry`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filmstudio.engines.base import head_keyframe
from filmstudio.errors import StageFailedError
from filmstudio.models.plan import Plan

from . import ffmpeg
from .timeline import TimedShot

CROSSFADE = 0.5  # seconds, picture
FADE = 0.5  # seconds, fade from/to black

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


def window_args(window: Window, fps: int, out: Path) -> list[str]:
    """The ffmpeg arguments that encode one window: a pure function of the window."""
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
        # A crossfade as the next piece laid over the film so far, its alpha rising k/xf over
        # the xf frames it overlaps: xfade's own weights, without xfade's round trip through
        # 4:4:4 (it takes no subsampled format), which softens every frame's chroma and costs
        # about a tenth of the windows' CPU.
        xf = window.xfades[i - 1]
        grow = window.pieces[i].length - xf
        chains.append(f"[{label}]tpad=stop_mode=clone:stop={grow}[m{i}]")
        chains.append(f"[v{i}]format=yuva420p,fade=t=in:s=0:n={xf}:alpha=1,"
                      f"setpts=PTS+{(acc - xf) / fps:.6f}/TB[o{i}]")
        chains.append(f"[m{i}][o{i}]overlay=eof_action=pass:format=yuv420[x{i}]")
        label = f"x{i}"
        acc += grow
    return [
        *args,
        "-filter_complex", ";".join(chains),
        "-map", f"[{label}]",
        "-frames:v", str(window.frames),
        "-r", str(fps),
        *ffmpeg.x264_args(fps),
        # The windows encode beside the soundtrack's mix and loudness (compose runs them side by side):
        # x264's frame threads would only add their own overhead (2.20 to 2.12 CPU-s for the bench's windows).
        "-threads", "1",
        "-an",
        str(out),
    ]


def plan_units(timeline: list[TimedShot], clips: dict[str, Path], fps: int) -> list[Window | Copy]:
    """The film as stream-copied clip ranges and windows to re-encode: pure, no file is read."""
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
    return units


def concat_entry(unit: Window | Copy, fps: int, window_path: Path | None = None) -> str:
    """One unit's entry in the concat demuxer's list (a window by the file it was encoded to)."""
    if isinstance(unit, Window):
        assert window_path is not None
        return f"file '{_concat_path(window_path)}'\nduration {unit.frames / fps:.6f}\n"
    entry = f"file '{_concat_path(unit.clip)}'\n"
    if unit.start:
        entry += f"inpoint {unit.start / fps:.6f}\n"
    if unit.end < unit.frames_total:
        # Half a frame early: a packet is kept while its timestamp is below the
        # out point, and the last wanted frame's rounds to a hair under end/fps.
        entry += f"outpoint {(unit.end - 0.5) / fps:.6f}\n"
    return entry + f"duration {unit.frames / fps:.6f}\n"


def build_video(plan: Plan, timeline: list[TimedShot], clips: dict[str, Path], work: Path) -> tuple[Path, dict[str, int]]:
    """A concat list of clip ranges and re-encoded windows; returns it and frame counts by kind."""
    fps = plan.fps
    stats = {"copied_frames": 0, "encoded_frames": 0}
    lines = []
    for k, unit in enumerate(plan_units(timeline, clips, fps)):
        if isinstance(unit, Window):
            path = work / f"window-{k:04d}.mp4"
            ffmpeg.run(window_args(unit, fps, path), stage="compose")
            stats["encoded_frames"] += unit.frames
            lines.append(concat_entry(unit, fps, path))
        else:
            stats["copied_frames"] += unit.frames
            lines.append(concat_entry(unit, fps))
    lst = work / "video.txt"
    lst.write_text("".join(lines), encoding="utf-8")
    return lst, stats


def _concat_path(p: Path) -> str:
    return str(Path(p).resolve()).replace("'", "'\\''")
