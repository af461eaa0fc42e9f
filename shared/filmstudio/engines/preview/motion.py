"""Camera moves on the key frame, done entirely inside one ffmpeg filter graph.

The panel's caption strip is storyboard furniture, not part of the shot: the clip
frames only the picture area above it (the storyboard records where the strip
starts in a PNG text chunk; a panel without one is all picture). The move is a
zoompan over that area, eased at both ends so consecutive shots don't lurch.

zoompan crops at whole input pixels, which makes slow moves judder; scaling the
single key frame up 2x first (once, not per frame) halves the step to half an
output pixel. The per-frame work is then one crop and one downscale in swscale on
yuv420p, about 2 ms a frame at 720p on one core.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from filmstudio.models.plan import Plan, Scene, Shot

from . import ffmpeg
from .storyboard import META_CAPTION_TOP

# (zoom at start, zoom at end, x of the window across its slack 0..1 at start/end, y likewise)
MOVES: dict[str, tuple[float, float, tuple[float, float], tuple[float, float]]] = {
    "push_in": (1.0, 1.2, (0.5, 0.5), (0.5, 0.42)),
    "pull_out": (1.2, 1.0, (0.5, 0.42), (0.5, 0.5)),
    "pan_left": (1.15, 1.15, (1.0, 0.5), (0.0, 0.5)),
    "pan_right": (1.15, 1.15, (0.0, 0.5), (1.0, 0.5)),
    "tilt_up": (1.15, 1.15, (0.5, 1.0), (0.5, 0.0)),
    "tilt_down": (1.15, 1.15, (0.5, 0.0), (0.5, 1.0)),
    # "static" still breathes: a 4% push over the shot reads as a held frame, a
    # frozen picture reads as a broken player.
    "static": (1.0, 1.04, (0.5, 0.5), (0.5, 0.5)),
}

UPSCALE = 2


def frame_count(duration: float, fps: int) -> int:
    return max(1, int(round(duration * fps)))


def head_keyframe(fps: int) -> int:
    """The frame every clip has an IDR keyframe on, half a second in.

    Compose re-encodes a clip's head for a crossfade or a fade-in and stream-copies
    the rest; a stream copy can only start on a keyframe, so it must be exactly here.
    """
    return max(1, round(0.5 * fps))


def picture_box(panel: Path, width: int, height: int) -> tuple[int, int, int, int]:
    """The largest window of the output's aspect inside the picture area: (x, y, w, h)."""
    with Image.open(panel) as im:
        pw, ph = im.size
        top = int(im.info.get(META_CAPTION_TOP, ph))
    aspect = width / height
    h = min(top, int(pw / aspect))
    w = int(round(h * aspect))
    w, h = w - w % 2, h - h % 2
    return (pw - w) // 2, (top - h) // 2, w, h


def move_filter(camera: str, frames: int, width: int, height: int, fps: int) -> str:
    z0, z1, (x0, y0), (x1, y1) = MOVES.get(camera, MOVES["static"])
    last = max(1, frames - 1)
    ease = f"(on/{last})*(on/{last})*(3-2*(on/{last}))"
    zoom = f"{z0}+({z1 - z0})*{ease}"
    x = f"(iw-iw/zoom)*({x0}+({x1 - x0})*{ease})"
    y = f"(ih-ih/zoom)*({y0}+({y1 - y0})*{ease})"
    return f"zoompan=z='{zoom}':x='{x}':y='{y}':d={frames}:s={width}x{height}:fps={fps}"


class PreviewMotion:
    name = "preview-motion"
    version = "1.2.0"

    def render_clip(self, plan: Plan, scene: Scene, shot: Shot, panel_path: Path, out_path: Path) -> None:
        frames = frame_count(shot.duration, plan.fps)
        bx, by, bw, bh = picture_box(Path(panel_path), plan.width, plan.height)
        graph = ",".join(
            [
                f"crop={bw}:{bh}:{bx}:{by}",
                f"scale={bw * UPSCALE}:{bh * UPSCALE}:flags=lanczos",
                ffmpeg.TO_YUV,
                move_filter(shot.camera, frames, plan.width, plan.height, plan.fps),
                "setsar=1",
            ]
        )
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        ffmpeg.run(
            [
                "-i", str(panel_path),
                "-filter:v", graph,
                "-frames:v", str(frames),
                "-r", str(plan.fps),
                *ffmpeg.x264_args(plan.fps),
                "-force_key_frames", f"expr:eq(n,{head_keyframe(plan.fps)})",
                # Shots render several at a time, one per core: x264's own threads
                # would only add contention (about a quarter more CPU per frame).
                "-threads", "1",
                "-forced-idr", "1",
                "-an",
                "-movflags", "+faststart",
                str(out_path),
            ],
            stage="motion",
        )
