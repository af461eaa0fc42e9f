"""Running the ffmpeg binary that ships inside the imageio-ffmpeg wheel.

Every video the preview tier writes takes its x264 options from `X264_OPTIONS`, on the
command line (`x264_args`: compose's re-encoded windows, the benchmark's bare encode) or in
process (`encoder.ClipWriter`: motion's clips), so all of them share one set of codec parameters:
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


# The one encoder configuration of the preview tier, as libx264's and libavcodec's options: the
# command line (`x264_args`) and the in-process encoder (`encoder.ClipWriter`) both read it.
X264_OPTIONS = {"preset": "veryfast", "crf": "20", "profile": "high", "level": "4.1", "bf": "0"}
COLOUR_OPTIONS = {"colorspace": "bt709", "color_primaries": "bt709", "color_trc": "bt709", "color_range": "tv"}
PIX_FMT = "yuv420p"


def gop(fps: int) -> int:
    return 2 * fps


def track_timescale(fps: int) -> int:
    return fps * 512


def x264_args(fps: int) -> list[str]:
    """The one encoder configuration of the preview tier, as ffmpeg's arguments.

    - No B-frames: every clip then starts and ends on exact frame timestamps without
      MP4 edit lists, so stream-copied joins stay frame-exact.
    - Fixed profile and level: x264 would otherwise pick the level from each input,
      and differing SPS would break stream-copy concatenation.
    - A keyframe every two seconds keeps seeking (thumbnail, player scrubbing) cheap.
    """
    x264 = X264_OPTIONS
    return [
        "-c:v", "libx264",
        "-preset", x264["preset"],
        "-crf", x264["crf"],
        "-profile:v", x264["profile"],
        "-level:v", x264["level"],
        "-bf", x264["bf"],
        "-g", str(gop(fps)),
        "-pix_fmt", PIX_FMT,
        *(arg for key, value in COLOUR_OPTIONS.items() for arg in (f"-{key}", value)),
        "-video_track_timescale", str(track_timescale(fps)),
    ]


# RGB panels are converted with the BT.709 matrix the stream is tagged with; swscale's
# default (BT.601) would shift every colour of the character bible slightly.
TO_YUV = "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p"

# Raw yuv420p frames carry no colour tags, and ffmpeg's auto-inserted scaler then "converts"
# them to the encoder's BT.709 tv range through RGB: lossy, and 1-3 ms a 720p frame. Frames
# that are already BT.709 limited range (motion's planes) are tagged instead.
TAG_BT709 = "setparams=range=tv:colorspace=bt709:color_primaries=bt709:color_trc=bt709"


def audio_digest(path: Path) -> str:
    """MD5 of the first audio track's encoded packets (stream copy, nothing decoded: tens of ms).
    Equal digests mean a player decodes exactly the same sound from both files."""
    proc = run(["-i", str(path), "-map", "0:a:0", "-c", "copy", "-f", "md5", "-"], stage="compose")
    return proc.stdout.decode("ascii", "replace").strip().removeprefix("MD5=")


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+\.\d+)")


def media_duration(path: Path) -> float:
    """Container duration in seconds, as ffmpeg reports it."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, check=False)
    m = _DURATION.search(proc.stderr.decode("utf-8", "replace"))
    if not m:
        raise StageFailedError("ffmpeg", f"no duration for {path}")
    h, mnt, s = m.groups()
    return int(h) * 3600 + int(mnt) * 60 + float(s)


_STREAM = re.compile(r"Stream #\d+:\d+[^:]*: (Video|Audio): (.*)")
_VIDEO = re.compile(r"^(\w+)(?: \(([^)]*)\))?.*?, (\w+)\(([^)]*)\).*?, (\d+)x(\d+)")
_FPS = re.compile(r", ([\d.]+) fps,")
_TBN = re.compile(r", (\d+) tbn")
_LEVEL = re.compile(r"\blevel_idc\b.*= (\d+)")
_REORDER = re.compile(r"\bmax_num_reorder_frames\b.*= (\d+)")
_PACKET = re.compile(r"Packet: \d+ bytes, (key frame, )?pts (-?\d+), dts (-?\d+)")


def _moov_first(path: Path) -> bool:
    """The MP4's index (moov) comes before its media (mdat): top-level boxes, read from their headers."""
    with open(path, "rb") as f:
        while True:
            head = f.read(8)
            if len(head) < 8:
                return False
            size, kind = int.from_bytes(head[:4], "big"), head[4:]
            if kind in (b"moov", b"mdat"):
                return kind == b"moov"
            if size == 1:
                size = int.from_bytes(f.read(8), "big") - 8
            elif size == 0:
                return False
            f.seek(size - 8, 1)


def clip_facts(path: Path):
    """A clip's `engines.base.ClipFacts`, from its stream headers and its packets' headers:
    one ffmpeg pass with stream copy and the trace_headers filter, no decoding (a few tens of ms)."""
    from filmstudio.engines.base import ClipFacts

    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-c", "copy",
                           "-bsf:v", "trace_headers", "-f", "null", "-"], capture_output=True, check=False)
    log = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise StageFailedError("motion", f"{Path(path).name} is not a readable video: {log[-500:]}")
    head = log.split("Stream mapping:", 1)[0]
    streams = _STREAM.findall(head)
    video = next((desc for kind, desc in streams if kind == "Video"), "")
    m = _VIDEO.search(video)
    codec, profile, pix_fmt, color, width, height = m.groups() if m else ("", "", "", "", "0", "0")
    fps, tbn = _FPS.search(video), _TBN.search(video)
    packets = _PACKET.findall(log)
    level, reorder = _LEVEL.search(log), _REORDER.search(log)
    return ClipFacts(
        codec=codec, profile=profile or "", level=int(level.group(1)) if level else 0, pix_fmt=pix_fmt, color=color,
        width=int(width), height=int(height), fps=float(fps.group(1)) if fps else 0.0,
        timescale=int(tbn.group(1)) if tbn else 0, frames=len(packets),
        keyframes=tuple(n for n, (key, _, _) in enumerate(packets) if key),
        reordered=bool(reorder and int(reorder.group(1))) or any(pts != dts for _, pts, dts in packets),
        audio_streams=sum(kind == "Audio" for kind, _ in streams), faststart=_moov_first(Path(path)))
