"""Clips encoded in this process: libavfilter and libx264 through PyAV, not an ffmpeg child fed by a pipe.

The preview motion engine composes its frames in Python as yuv420p planes; every one
used to cross a pipe into an ffmpeg process, which ran a demuxer, a filter graph and
x264 on threads of their own. Encoding here runs the same filters (the same filter
strings, through the same libavfilter) and the same x264 with the same options
(`ffmpeg.X264_OPTIONS`), so the clip's H.264 packets and parameter sets are byte for
byte those the command line wrote (a test encodes frames both ways and compares). What
goes is the pipe, the raw demuxer and the command line's thread hand-offs: on the bench
film a few per cent of the shots' CPU (ten alternating pairs against the piped encoder: median
22.5 to 21.9 CPU-s, best 21.3 to 19.2; the VM's noise is larger than the gain in any one pair).

A clip is silent, in `engines.base.ClipFormat`: x264 from `ffmpeg.X264_OPTIONS`, IDR on
the frames asked for, `+faststart`, the track timescale of `ffmpeg.x264_args`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

from filmstudio.errors import StageFailedError

from . import ffmpeg


@dataclass(frozen=True)
class Overlay:
    """An RGBA picture laid over every frame after the main chain: `chain` filters it (fades
    of its alpha), `place` is the overlay filter's arguments."""

    image: Image.Image
    chain: tuple[str, ...]
    place: str


def _split(spec: str) -> tuple[str, str | None]:
    """'name=args' as libavfilter's parser splits a filter: at the first '='."""
    name, _, args = spec.partition("=")
    return name, (args or None)


class ClipWriter:
    """Frames in (yuv420p bytes, `width` x `height`), an MP4 clip out.

    `chain`: filters every frame passes through, as ffmpeg's -filter:v would name them.
    `keyframes`: frame numbers (after the chain) that must be IDR frames.
    The x264 runs on one thread: shots render several at a time, one per core.
    """

    def __init__(self, path: Path, width: int, height: int, fps: int, *, chain: list[str],
                 keyframes: set[int] = frozenset(), overlay: Overlay | None = None, stage: str = "motion"):
        import av
        import av.filter

        self._av = av
        self.width, self.height, self.fps, self.stage = width, height, fps, stage
        self.keyframes = set(keyframes)
        self.time_base = Fraction(1, fps)
        self.written = 0  # frames encoded
        self._pushed = 0
        self.path = Path(path)
        try:
            self.container = av.open(str(self.path), "w", format="mp4", options={
                "movflags": "+faststart", "video_track_timescale": str(ffmpeg.track_timescale(fps))})
            stream = self.container.add_stream("libx264", rate=fps)
            stream.width, stream.height, stream.pix_fmt = width, height, ffmpeg.PIX_FMT
            stream.codec_context.thread_count = 1
            stream.codec_context.options = {**ffmpeg.X264_OPTIONS, "g": str(ffmpeg.gop(fps)), "forced-idr": "1",
                                            **ffmpeg.COLOUR_OPTIONS}
            self.stream = stream
            self.graph = av.filter.Graph()
            self.graph.threads = 1
            self._src = self.graph.add_buffer(width=width, height=height, format=ffmpeg.PIX_FMT, time_base=self.time_base)
            last = self._link(self._src, chain)
            self._card_src = None
            if overlay is not None:
                card = overlay.image.convert("RGBA")
                # (from_image would drop the alpha: it makes rgb24 of an RGBA picture)
                self._card = av.VideoFrame.from_ndarray(np.asarray(card), format="rgba")
                self._card_src = self.graph.add_buffer(width=card.width, height=card.height, format="rgba",
                                                       time_base=self.time_base)
                top = self._link(self._card_src, list(overlay.chain))
                place = self.graph.add("overlay", overlay.place)
                last.link_to(place, 0, 0)
                top.link_to(place, 0, 1)
                last = place
            self._sink = self.graph.add("buffersink")
            last.link_to(self._sink)
            self.graph.configure()
        except (av.error.FFmpegError, ValueError) as exc:
            self._abandon()
            raise StageFailedError(stage, f"could not set up the encoder for {self.path.name}: {exc}") from exc
        self._frame = av.VideoFrame(width, height, ffmpeg.PIX_FMT)
        self._closed = False

    def _link(self, node, chain: list[str]):
        for spec in chain:
            name, args = _split(spec)
            nxt = self.graph.add(name, args)
            node.link_to(nxt)
            node = nxt
        return node

    def write(self, frame) -> None:
        """One frame: yuv420p bytes-like, the Y plane then U then V, each packed."""
        av = self._av
        data = np.frombuffer(frame, np.uint8)
        w, h = self.width, self.height
        luma, chroma = w * h, (w // 2) * (h // 2)
        if data.size != luma + 2 * chroma:
            raise StageFailedError(self.stage, f"a frame of {data.size} bytes for a {w}x{h} yuv420p clip")
        vf = self._frame
        # The filters may still hold the previous frame's buffer (a reference, not a copy):
        # a buffer someone else holds is copied before it is written, never written under them.
        vf.make_writable()
        for plane, (a, b), (pw, ph) in zip(vf.planes, ((0, luma), (luma, luma + chroma), (luma + chroma, luma + 2 * chroma)),
                                           ((w, h), (w // 2, h // 2), (w // 2, h // 2))):
            np.frombuffer(plane, np.uint8).reshape(ph, plane.line_size)[:, :pw] = data[a:b].reshape(ph, pw)
        vf.pts, vf.time_base = self._pushed, self.time_base
        try:
            self._src.push(vf)
            if self._card_src is not None:
                self._card.pts, self._card.time_base = self._pushed, self.time_base
                self._card_src.push(self._card)
            self._pushed += 1
            self._drain()
        except av.error.FFmpegError as exc:
            raise StageFailedError(self.stage, f"encoding {self.path.name} failed at frame {self._pushed}: {exc}") from exc

    def _drain(self) -> None:
        av = self._av
        while True:
            try:
                out = self._sink.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                return
            out.pict_type = av.video.frame.PictureType.I if self.written in self.keyframes else av.video.frame.PictureType.NONE
            out.pts, out.time_base = self.written, self.time_base
            for packet in self.stream.encode(out):
                self.container.mux(packet)
            self.written += 1

    def close(self) -> None:
        """Flush the filters and the encoder and finish the file (its index moved to the front)."""
        if self._closed:
            return
        av = self._av
        try:
            self._src.push(None)
            if self._card_src is not None:
                self._card_src.push(None)
            self._drain()
            for packet in self.stream.encode(None):
                self.container.mux(packet)
            self.container.close()
        except av.error.FFmpegError as exc:
            self._abandon()
            raise StageFailedError(self.stage, f"finishing {self.path.name} failed: {exc}") from exc
        finally:
            self._closed = True

    def _abandon(self) -> None:
        """A failed clip leaves no file behind that a later stage could take for a whole one."""
        container = getattr(self, "container", None)
        if container is not None:
            try:
                container.close()
            except Exception:  # noqa: BLE001 - the encode's own error is the one reported
                pass
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> "ClipWriter":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.close()
        else:
            self._closed = True
            self._abandon()
