"""The interface of each media stage's engine.

The pipeline's tasks (`filmstudio.pipeline.stages`, one per row of `filmstudio.media_stages`)
do S3 I/O and caching; engines only turn local inputs into local files. Every engine has a `name` and a `version`: the
version is part of every artifact's content hash, so bump it whenever the engine's
output for the same input changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from filmstudio.errors import StageFailedError
from filmstudio.models.plan import Line, Plan, Scene, Shot


@runtime_checkable
class StoryboardEngine(Protocol):
    name: str
    version: str

    def render_panel(self, plan: Plan, scene: Scene, shot: Shot, out_path: Path) -> None:
        """Draw the shot's key frame as a PNG of plan.width x plan.height.

        The PNG's text chunk `filmstudio:subjects` is JSON {"named": [...], "drawn": [...]}:
        the vocabulary subjects the shot names and those drawn in frame (quality control
        compares them);
        `filmstudio:caption_top` is where a caption strip starts, if the panel has one.
        """


def frame_count(duration: float, fps: int) -> int:
    return max(1, int(round(duration * fps)))


def head_keyframe(fps: int) -> int:
    """The frame every clip has an IDR keyframe on, half a second in.

    Compose re-encodes a clip's head for a crossfade or a fade-in and stream-copies
    the rest; a stream copy can only start on a keyframe, so it must be exactly here.
    """
    return max(1, round(0.5 * fps))


@dataclass(frozen=True)
class ClipFacts:
    """What a clip file is, as `engines.preview.ffmpeg.clip_facts` reads it (headers only, no decode)."""

    codec: str
    profile: str  # as ffmpeg names it: "High"
    level: int  # level_idc: 41 for 4.1
    pix_fmt: str
    color: str  # range and primaries, as ffmpeg prints them: "tv, bt709"
    width: int
    height: int
    fps: float
    timescale: int
    frames: int
    keyframes: tuple[int, ...]  # frame numbers of the sync samples
    reordered: bool  # any B-frame (or other reordering): decode order differs from display order
    audio_streams: int
    faststart: bool  # the index (moov) ahead of the media (mdat)


@dataclass(frozen=True)
class ClipFormat:
    """What compose requires of every clip: a motion engine of any tier must write exactly this.

    Compose joins clips with the concat demuxer by stream copy and re-encodes only small
    windows (fades, crossfades, held frames), so every clip must share one SPS/PPS (the
    encoder settings of `engines.preview.ffmpeg.x264_args`: H.264 High@4.1, yuv420p, BT.709 tv
    range, no B-frames, timescale fps*512), have exactly the shot's frames, and have a keyframe
    on frame 0 and on `head_keyframe(fps)`, where compose starts a copy after a re-encoded head.
    """

    width: int
    height: int
    fps: int
    frames: int
    head_keyframe: int
    codec: str = "h264"
    profile: str = "High"
    level: int = 41
    pix_fmt: str = "yuv420p"
    color: str = "tv, bt709"

    @classmethod
    def for_shot(cls, plan: Plan, shot: Shot) -> "ClipFormat":
        return cls(plan.width, plan.height, plan.fps, frame_count(shot.duration, plan.fps), head_keyframe(plan.fps))

    @property
    def timescale(self) -> int:
        return self.fps * 512

    def problems(self, facts: ClipFacts) -> list[str]:
        """How a clip departs from the format; empty when compose can stream-copy it."""
        want = [("codec", self.codec, facts.codec), ("profile", self.profile, facts.profile),
                ("level", self.level, facts.level), ("pixel format", self.pix_fmt, facts.pix_fmt),
                ("size", f"{self.width}x{self.height}", f"{facts.width}x{facts.height}"),
                ("frame rate", float(self.fps), float(facts.fps)), ("timescale", self.timescale, facts.timescale),
                ("frames", self.frames, facts.frames)]
        found = [f"{what} {got} (wants {wanted})" for what, wanted, got in want if wanted != got]
        if not facts.color.startswith(self.color):
            found.append(f"colour {facts.color!r} (wants {self.color})")
        for frame in sorted({0, self.head_keyframe} & set(range(self.frames))):
            if frame not in facts.keyframes:
                found.append(f"no keyframe on frame {frame}")
        if facts.reordered:
            found.append("B-frames (frames out of display order)")
        if facts.audio_streams:
            found.append(f"{facts.audio_streams} audio stream(s) (wants none)")
        if not facts.faststart:
            found.append("no +faststart (the index after the media)")
        return found


def check_clip(path: Path, fmt: ClipFormat, what: str) -> None:
    """Refuse a clip compose could not join: StageFailedError("motion") naming every departure."""
    from filmstudio.engines.preview.ffmpeg import clip_facts  # the ffmpeg every tier ships

    problems = fmt.problems(clip_facts(path))
    if problems:
        raise StageFailedError("motion", f"{what} breaks the clip format compose joins by stream copy: "
                                         + "; ".join(problems))


@runtime_checkable
class MotionEngine(Protocol):
    name: str
    version: str

    def render_clip(self, plan: Plan, scene: Scene, shot: Shot, panel_path: Path, out_path: Path) -> None:
        """Turn the key frame into a silent H.264 MP4 of shot.duration seconds at plan.fps,
        in `ClipFormat.for_shot(plan, shot)`: the motion task checks every clip it renders
        (`engines.preview.ffmpeg.clip_facts`) and fails the stage on a clip that breaks it.

        A motion engine may render from the key frame or from the plan directly (the
        preview engine redraws the panel's layers to move them apart), but must keep
        this format; `engines.preview.ffmpeg.x264_args(fps)` with `-force_key_frames` on
        `head_keyframe(fps)`, `-forced-idr 1`, `-an` and `-movflags +faststart` produce it.
        """


@runtime_checkable
class SpeechEngine(Protocol):
    name: str
    version: str

    def synthesize(self, plan: Plan, line: Line, out_path: Path) -> float:
        """Speak the line in its character's voice (from the plan's bible) to a WAV; return its duration in seconds."""


@runtime_checkable
class MusicEngine(Protocol):
    name: str
    version: str

    def render_cue(self, plan: Plan, scene: Scene, out_path: Path) -> None:
        """Write the scene's score, exactly scene.duration seconds, as a 48 kHz stereo WAV."""


@dataclass
class ComposeInputs:
    clips: dict[str, Path]  # shot id -> silent clip
    panels: dict[str, Path]  # shot id -> key frame PNG
    speech: dict[str, tuple[Path, float]]  # line id -> (WAV, duration seconds)
    music: dict[str, Path]  # scene id -> WAV cue


@dataclass
class ComposeOptions:
    burn_subtitles: bool = False


@dataclass
class ComposeResult:
    film: Path  # film.mp4: H.264 + AAC + a soft subtitle track
    srt: Path
    vtt: Path
    thumbnail: Path
    contact_sheet: Path
    duration: float  # seconds, as muxed
    extra: dict[str, object] = field(default_factory=dict)


@runtime_checkable
class Composer(Protocol):
    name: str
    version: str

    def compose(self, plan: Plan, inputs: ComposeInputs, out_dir: Path, options: ComposeOptions) -> ComposeResult:
        """Cut, mix, subtitle and encode the film into out_dir."""
