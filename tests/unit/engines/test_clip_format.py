"""What compose requires of a clip (engines.base.ClipFormat), read from real files and refused when broken."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest

from filmstudio.engines.base import ClipFacts, ClipFormat, check_clip, head_keyframe
from filmstudio.engines.preview import ffmpeg
from filmstudio.errors import StageFailedError

FPS, W, H, FRAMES = 12, 320, 180, 24
FORMAT = ClipFormat(W, H, FPS, FRAMES, head_keyframe(FPS))
GOOD = ClipFacts(codec="h264", profile="High", level=41, pix_fmt="yuv420p", color="tv, bt709, progressive",
                 width=W, height=H, fps=float(FPS), timescale=FPS * 512, frames=FRAMES, keyframes=(0, 6),
                 reordered=False, audio_streams=0, faststart=True)


def _encode(out, *extra_in, video_args):
    subprocess.run([ffmpeg.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=size={W}x{H}:rate={FPS}:duration={FRAMES / FPS}", *extra_in,
                    "-vf", ffmpeg.TO_YUV, *video_args, str(out)], check=True)
    return out


def test_the_format_names_each_way_a_clip_departs_from_it():
    assert FORMAT.problems(GOOD) == []
    broken = dataclasses.replace(GOOD, profile="Main", frames=23, keyframes=(0,), reordered=True, audio_streams=1,
                                 timescale=90000, faststart=False, color="pc, bt470bg")
    problems = "; ".join(FORMAT.problems(broken))
    for words in ("profile Main", "frames 23 (wants 24)", "no keyframe on frame 6", "B-frames", "audio stream",
                  "timescale 90000", "+faststart", "colour 'pc, bt470bg'"):
        assert words in problems


def test_a_clip_encoded_as_the_motion_engine_does_meets_the_format(tmp_path):
    clip = _encode(tmp_path / "good.mp4", video_args=[
        "-frames:v", str(FRAMES), *ffmpeg.x264_args(FPS), "-force_key_frames", f"expr:eq(n,{head_keyframe(FPS)})",
        "-forced-idr", "1", "-an", "-movflags", "+faststart"])
    facts = ffmpeg.clip_facts(clip)
    assert (facts.frames, facts.width, facts.height, facts.timescale) == (FRAMES, W, H, FPS * 512)
    assert {0, head_keyframe(FPS)} <= set(facts.keyframes)
    check_clip(clip, FORMAT, "this clip")  # raises on any departure


def test_a_clip_compose_could_not_stream_copy_is_refused_as_a_motion_failure(tmp_path):
    # x264's defaults: B-frames, no keyframe half a second in, its own timescale; a sound track; index at the end.
    clip = _encode(tmp_path / "bad.mp4", "-f", "lavfi", "-i", "sine=duration=2", video_args=[
        "-frames:v", str(FRAMES), "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-shortest"])
    with pytest.raises(StageFailedError) as caught:
        check_clip(clip, FORMAT, "the test clip for shot s1-sh1")
    assert caught.value.stage == "motion"
    message = str(caught.value)
    assert "the test clip for shot s1-sh1 breaks the clip format" in message
    for words in ("B-frames", f"no keyframe on frame {head_keyframe(FPS)}", "audio stream", "+faststart"):
        assert words in message
