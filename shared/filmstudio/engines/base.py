"""The interface of each media stage's engine.

The pipeline stages (`filmstudio.stages`) do S3 I/O and caching; engines only turn
local inputs into local files. Every engine has a `name` and a `version`: the
version is part of every artifact's content hash, so bump it whenever the engine's
output for the same input changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

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


@runtime_checkable
class MotionEngine(Protocol):
    name: str
    version: str

    def render_clip(self, plan: Plan, scene: Scene, shot: Shot, panel_path: Path, out_path: Path) -> None:
        """Turn the key frame into a silent H.264 MP4 of shot.duration seconds at plan.fps.

        The clip format is a contract with compose, which joins clips by stream copy and
        re-encodes only small windows (fades, crossfades, held frames):
        - exactly `frame_count(shot.duration, plan.fps)` frames, plan.width x plan.height,
          at plan.fps, no audio track;
        - encoded with `engines.preview.ffmpeg.x264_args(fps)` (H.264 High@4.1, yuv420p,
          BT.709 tv range, no B-frames, GOP 2 s, timescale fps*512): identical SPS/PPS in
          every clip is what lets the concat demuxer stream-copy them;
        - an IDR keyframe forced at frame `motion.head_keyframe(fps)` (0.5 s), where
          compose starts the stream copy after re-encoding a clip's head;
        - `+faststart`.
        A motion engine may render from the key frame or from the plan directly (the
        preview engine redraws the panel's layers to move them apart), but must keep
        this format.
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
