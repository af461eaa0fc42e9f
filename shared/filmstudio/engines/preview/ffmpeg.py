"""Running the ffmpeg binary that ships inside the imageio-ffmpeg wheel.

Every video the preview tier writes goes through `x264_args`, so clips, re-encoded
compose segments and the benchmark's bare encode share one set of codec parameters:
identical SPS/PPS is what lets compose join clips with the concat demuxer and
stream copy instead of decoding and re-encoding the whole film.
"""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

from filmstudio.errors import StageFailedError


@functools.cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run(args: list[str], *, stage: str, input_bytes: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg; a failure becomes a StageFailedError carrying the tail of ffmpeg's log."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    if input_bytes is not None:
        cmd.remove("-nostdin")
    proc = subprocess.run(cmd, input=input_bytes, capture_output=True, check=False)
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace")[-1500:]
        raise StageFailedError(stage, f"ffmpeg exited {proc.returncode}: {tail}")
    return proc


def x264_args(fps: int) -> list[str]:
    """The one encoder configuration of the preview tier.

    - No B-frames: every clip then starts and ends on exact frame timestamps without
      MP4 edit lists, so stream-copied joins stay frame-exact.
    - Fixed profile and level: x264 would otherwise pick the level from each input,
      and differing SPS would break stream-copy concatenation.
    - A keyframe every two seconds keeps seeking (thumbnail, player scrubbing) cheap.
    """
    return [
        "-c:v", "libx264",
        "-preset", "veryfast",
        "-crf", "20",
        "-profile:v", "high",
        "-level:v", "4.1",
        "-bf", "0",
        "-g", str(2 * fps),
        "-pix_fmt", "yuv420p",
        "-colorspace", "bt709",
        "-color_primaries", "bt709",
        "-color_trc", "bt709",
        "-color_range", "tv",
        "-video_track_timescale", str(fps * 512),
    ]


# RGB panels are converted with the BT.709 matrix the stream is tagged with; swscale's
# default (BT.601) would shift every colour of the character bible slightly.
TO_YUV = "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p"


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+\.\d+)")


def media_duration(path: Path) -> float:
    """Container duration in seconds, as ffmpeg reports it."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, check=False)
    m = _DURATION.search(proc.stderr.decode("utf-8", "replace"))
    if not m:
        raise StageFailedError("ffmpeg", f"no duration for {path}")
    h, mnt, s = m.groups()
    return int(h) * 3600 + int(mnt) * 60 + float(s)


def encode_frames(args: list[str], frames, *, stage: str) -> None:
    """Run ffmpeg reading raw frames (bytes-like, one per item) from its stdin.

    stderr goes to a temporary file, not a pipe: a chatty encoder filling a pipe
    nobody reads while we write frames would deadlock.
    """
    import tempfile

    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err)
        assert proc.stdin is not None
        try:
            for frame in frames:
                proc.stdin.write(frame)
        except BrokenPipeError:
            pass
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
        code = proc.wait()
        if code != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-1500:]
            raise StageFailedError(stage, f"ffmpeg exited {code}: {tail}")
