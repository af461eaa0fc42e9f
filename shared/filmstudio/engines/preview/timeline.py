"""The film's timeline: every shot's frames, and where each line is spoken, in whole frames and samples.

A shot keeps its rendered frames unless its lines need more: a lead-in, each line held
as long as its speech and its subtitles need (`subtitles.line_span`), a pause between
lines, a tail. A longer need adds frozen last frames and moves every later shot. Every
time downstream (speech placement, cues, music cue starts) comes from here, so picture,
sound and captions cannot drift apart.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

from filmstudio.engines.base import ComposeInputs, frame_count
from filmstudio.models.plan import Line, Plan, Scene, Shot

from . import subtitles
from .audio import SAMPLE_RATE

log = logging.getLogger(__name__)

SR = SAMPLE_RATE
LEAD_IN = 0.2  # seconds of picture before a shot's first line
PAUSE = 0.25  # between two lines in one shot
TAIL = 0.3  # after a shot's last line, before the cut


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
