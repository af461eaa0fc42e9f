"""The in-process clip encoder (engines.preview.encoder): the bitstream the ffmpeg command line writes, or a clear failure.

Compose joins motion's clips with windows the ffmpeg command line re-encodes, by stream copy:
the two encoders must agree byte for byte on the parameter sets, or the joined film decodes
wrongly. These tests encode the same frames both ways and compare the H.264 streams.
"""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

from filmstudio.engines.base import ClipFormat, head_keyframe
from filmstudio.engines.preview import ffmpeg
from filmstudio.engines.preview.encoder import ClipWriter, Overlay
from filmstudio.engines.preview.motion import zoom_filter
from filmstudio.errors import StageFailedError

FPS, W, H, FRAMES = 12, 320, 180, 30
CHAIN = [ffmpeg.TAG_BT709, "setsar=1"]


def _frames(n: int = FRAMES) -> list[bytes]:
    """Moving gradients on all three planes, a new picture every frame (x264 has real work)."""
    y, x = np.mgrid[0:H, 0:W]
    out = []
    for k in range(n):
        luma = (16 + (x * 3 + y * 2 + k * 9) % 219).astype(np.uint8)
        cb = (64 + (x[::2, ::2] + k * 5) % 128).astype(np.uint8)
        cr = (64 + (y[::2, ::2] * 2 + k * 3) % 128).astype(np.uint8)
        out.append(luma.tobytes() + cb.tobytes() + cr.tobytes())
    return out


def _cli(out, frames: list[bytes], chain: list[str], card=None, card_chain=(), place=""):
    """The command line motion ran before it encoded in-process: raw frames on stdin, the same filters."""
    inputs = ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-video_size", f"{W}x{H}", "-framerate", str(FPS), "-i", "pipe:0"]
    if card is not None:
        inputs += ["-loop", "1", "-framerate", str(FPS), "-t", f"{len(frames) / FPS:.3f}", "-i", str(card)]
        video = ["-filter_complex", f"[0:v]{','.join(chain)}[v];[1:v]{','.join(card_chain)}[t];[v][t]overlay={place}[out]",
                 "-map", "[out]"]
    else:
        video = ["-filter:v", ",".join(chain)]
    subprocess.run([ffmpeg.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *inputs, *video,
                    "-frames:v", str(len(frames)), "-r", str(FPS), *ffmpeg.x264_args(FPS),
                    "-force_key_frames", f"expr:eq(n,{head_keyframe(FPS)})", "-threads", "1", "-forced-idr", "1",
                    "-an", "-movflags", "+faststart", str(out)], input=b"".join(frames), check=True)
    return out


def _in_process(out, frames: list[bytes], chain: list[str], overlay: Overlay | None = None):
    with ClipWriter(out, W, H, FPS, chain=chain, keyframes={0, head_keyframe(FPS)}, overlay=overlay) as clip:
        for f in frames:
            clip.write(f)
    return out


def _h264(path) -> bytes:
    """The video as an Annex B stream, parameter sets included; x264's SEI (its version and option
    string, which names the build) left out."""
    return subprocess.run([ffmpeg.ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v", "-c", "copy",
                           "-bsf:v", "filter_units=remove_types=6", "-f", "h264", "-"], capture_output=True,
                          check=True).stdout


def _format() -> ClipFormat:
    return ClipFormat(W, H, FPS, FRAMES, head_keyframe(FPS))


@pytest.mark.parametrize("zoom", [False, True], ids=["held", "push-in"])
def test_a_clip_encoded_in_process_is_the_command_lines_bitstream_byte_for_byte(tmp_path, zoom):
    chain = [ffmpeg.TAG_BT709, *([zoom_filter(1.0, 1.16, FRAMES, W, H, FPS)] if zoom else []), "setsar=1"]
    frames = _frames()
    ours = _in_process(tmp_path / "ours.mp4", frames, chain)
    theirs = _cli(tmp_path / "cli.mp4", frames, chain)
    stream = _h264(ours)
    assert len(stream) > 10_000 and stream == _h264(theirs)
    assert _format().problems(ffmpeg.clip_facts(ours)) == []


def test_an_overlay_keeps_its_alpha_and_matches_the_command_line(tmp_path):
    card = Image.new("RGBA", (W, 40), (200, 30, 30, 120))  # half transparent: a dropped alpha would show opaque
    card_chain = ("format=yuva420p", "fade=t=in:st=0.5:d=0.5:alpha=1")
    place = "x=0:y=(H-h)*0.1:eof_action=pass:format=yuv420"
    frames = _frames()
    card.save(tmp_path / "card.png")
    ours = _in_process(tmp_path / "ours.mp4", frames, CHAIN, Overlay(card, card_chain, place))
    theirs = _cli(tmp_path / "cli.mp4", frames, CHAIN, tmp_path / "card.png", card_chain, place)
    assert _h264(ours) == _h264(theirs)

    plain = _in_process(tmp_path / "plain.mp4", frames, CHAIN)
    with_card, without = _decoded(ours), _decoded(plain)
    top = int((H - 40) * 0.1)
    band = slice(top + 4, top + 36)  # inside the card, clear of chroma's edge
    assert np.abs(with_card[2] - without[2]).mean() < 1  # before the fade in: the picture alone (up to x264)
    # after it: the card at its own alpha over the picture, neither the picture alone nor the card opaque
    alpha = 120 / 255
    want = without[-1][band] * (1 - alpha) + np.array([200, 30, 30]) * alpha
    got = with_card[-1][band]
    assert np.abs(got - want).mean() < 8
    assert np.abs(got - np.array([200, 30, 30])).mean() > 30 and np.abs(got - without[-1][band]).mean() > 30


def _decoded(path) -> list[np.ndarray]:
    import av

    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24").astype(float) for f in c.decode(video=0)]


def test_the_requested_frames_are_idr_keyframes_and_every_frame_is_kept(tmp_path):
    clip = _in_process(tmp_path / "clip.mp4", _frames(), CHAIN)
    facts = ffmpeg.clip_facts(clip)
    assert facts.frames == FRAMES and {0, head_keyframe(FPS)} <= set(facts.keyframes)
    assert facts.faststart and not facts.reordered and facts.timescale == FPS * 512


def test_a_frame_of_the_wrong_size_fails_the_stage_and_leaves_no_file(tmp_path):
    out = tmp_path / "clip.mp4"
    frames = _frames(3)
    with pytest.raises(StageFailedError) as caught:
        with ClipWriter(out, W, H, FPS, chain=CHAIN) as clip:
            clip.write(frames[0])
            clip.write(frames[1][:-10])
    assert caught.value.stage == "motion" and "a frame of" in str(caught.value)
    assert not out.exists()


def test_a_filter_libavfilter_refuses_fails_the_stage_naming_the_clip_and_leaves_no_file(tmp_path):
    out = tmp_path / "clip.mp4"
    with pytest.raises(StageFailedError) as caught:
        ClipWriter(out, W, H, FPS, chain=[ffmpeg.TAG_BT709, "zoompan=nonsense=1"])
    assert caught.value.stage == "motion" and "clip.mp4" in str(caught.value)
    assert not out.exists()
