"""The engine tests' fixtures: plans built by hand (testkit.plans, shared with the engine
benchmark), every engine run in order, and measures of what a viewer would notice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from filmstudio.models.plan import Plan
from testkit.plans import make_plan


@pytest.fixture(scope="session")
def plan_factory():
    return make_plan


def render_all(plan: Plan, out: Path, *, burn: bool = False, music: bool = True, workers: int = 2):
    """Every engine in order, shots on a thread pool as the pipeline runs them; returns (result, inputs)."""
    from filmstudio.engines.base import ComposeInputs, ComposeOptions
    from filmstudio.engines.registry import get_engine

    sb, mo, sp, mu, co = (get_engine(s) for s in ("storyboard", "motion", "speech", "music", "compose"))
    out.mkdir(parents=True, exist_ok=True)
    panels: dict[str, Path] = {}
    clips: dict[str, Path] = {}

    def shot(pair):
        scene, s = pair
        panels[s.id] = out / f"{s.id}.png"
        sb.render_panel(plan, scene, s, panels[s.id])
        clips[s.id] = out / f"{s.id}.mp4"
        mo.render_clip(plan, scene, s, panels[s.id], clips[s.id])

    with ThreadPoolExecutor(workers) as ex:
        list(ex.map(shot, [(sc, s) for sc in plan.scenes for s in sc.shots]))
    speech = {}
    for line in plan.lines():
        wav = out / f"{line.id}.wav"
        speech[line.id] = (wav, sp.synthesize(plan, line, wav))
    cues = {}
    if music:
        for sc in plan.scenes:
            cues[sc.id] = out / f"{sc.id}-music.wav"
            mu.render_cue(plan, sc, cues[sc.id])
    inputs = ComposeInputs(clips=clips, panels=panels, speech=speech, music=cues)
    return co.compose(plan, inputs, out / "final", ComposeOptions(burn_subtitles=burn)), inputs


@pytest.fixture(scope="session")
def render_film():
    return render_all


# --- measuring what a viewer would notice, independently of how the engines work ---


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def stream_info(path: Path) -> dict[str, dict]:
    """Per stream kind: codec, duration (seconds), and for video the decoded frame count."""
    import av

    info: dict[str, dict] = {}
    with av.open(str(path)) as c:
        for s in c.streams:
            dur = float(s.duration * s.time_base) if s.duration is not None else None
            entry = {"codec": s.codec_context.name, "duration": dur}
            if s.type == "video":
                entry.update(width=s.codec_context.width, height=s.codec_context.height, pix_fmt=s.codec_context.pix_fmt, fps=float(s.average_rate))
            if s.type == "audio":
                entry.update(rate=s.codec_context.sample_rate, channels=s.codec_context.channels)
            info.setdefault(s.type, entry)
        if "video" in info:
            info["video"]["frames"] = sum(1 for _ in c.decode(video=0))
    return info


def loudness(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) from ffmpeg's EBU R128 scanner."""
    import re
    import subprocess

    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a", "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    summary = proc.stderr[proc.stderr.rfind("Summary:"):]
    i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    tp = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return i, tp


def decode_audio(path: Path, rate: int = 48000) -> np.ndarray:
    import subprocess

    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-v", "error", "-i", str(path), "-map", "0:a", "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"],
        capture_output=True, check=True,
    )
    return np.frombuffer(proc.stdout, dtype="<f4")


def frame_at(path: Path, seconds: float) -> np.ndarray:
    import subprocess

    import av

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        w, h = s.codec_context.width, s.codec_context.height
    proc = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(path), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    )
    return np.frombuffer(proc.stdout, dtype=np.uint8).reshape(h, w, 3)


def median_f0(x: np.ndarray, rate: int) -> float:
    """Median fundamental frequency of the voiced 40 ms frames, by autocorrelation (60-500 Hz)."""
    n = int(0.04 * rate)
    lo, hi = int(rate / 500), int(rate / 60)
    f0s = []
    rms_all = float(np.sqrt(np.mean(x**2)))
    for i in range(0, len(x) - n, n // 2):
        f = x[i : i + n] - x[i : i + n].mean()
        if np.sqrt(np.mean(f**2)) < 0.5 * rms_all:
            continue
        ac = np.correlate(f, f, "full")[n - 1 :]
        if ac[0] <= 0:
            continue
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] / ac[0] > 0.4:
            f0s.append(rate / lag)
    return float(np.median(f0s)) if f0s else 0.0


def parse_cues(path: Path) -> list[tuple[float, float, str]]:
    import re

    out = []
    pat = re.compile(r"(\d\d):(\d\d):(\d\d)[,.](\d\d\d) --> (\d\d):(\d\d):(\d\d)[,.](\d\d\d)")
    lines = path.read_text(encoding="utf-8").splitlines()
    for k, ln in enumerate(lines):
        m = pat.search(ln)
        if m:
            g = [int(v) for v in m.groups()]
            a = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
            b = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
            text = []
            for t in lines[k + 1 :]:
                if not t.strip():
                    break
                text.append(t)
            out.append((a, b, "\n".join(text)))
    return out


def missing_glyphs(text: str, font_path: Path) -> set[str]:
    """Characters the font would draw as .notdef: rendered alone without shaping, compared to .notdef itself.

    Independent of the engines' own cmap reading: FreeType draws glyph 0 for a code
    point missing from the character map, and a private-use code point is missing
    from every Noto/Hind font.
    """
    import unicodedata

    from PIL import ImageFont

    f = ImageFont.truetype(str(font_path), 40, layout_engine=ImageFont.Layout.BASIC)
    notdef = f.getmask("\U000f0000")
    notdef_key = (notdef.size, bytes(notdef))
    out = set()
    for ch in set(text):
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            continue
        m = f.getmask(ch)
        if (m.size, bytes(m)) == notdef_key:
            out.add(ch)
    return out


@pytest.fixture(scope="session")
def bengali_font_installed() -> bool:
    from filmstudio.engines.preview import fonts

    return any(fonts.family_path(f) is not None for f in fonts.SCRIPT_FAMILIES["Bengali"])


@pytest.fixture(scope="session")
def media():
    """The measuring helpers above, as one fixture (test modules do not import conftest)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        stream_info=stream_info, loudness=loudness, decode_audio=decode_audio, frame_at=frame_at,
        median_f0=median_f0, parse_cues=parse_cues, missing_glyphs=missing_glyphs, ffmpeg=ffmpeg_exe,
    )
