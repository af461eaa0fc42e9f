"""The soundtrack: dialogue at its placed sample, music cues crossfaded at scene boundaries
and ducked under dialogue, written straight to a memory-mapped file block by block.

Nothing here holds the whole film in memory: dialogue lines and music cues are each a
line's or a scene's length, the ducking envelope is computed per block from the speech
placement, and the mix goes to disk as raw float32 for `loudness.normalize_file`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from filmstudio.models.plan import Plan, Scene

from .audio import SAMPLE_RATE, fit_length, read_wav, resample
from .timeline import TimedShot

log = logging.getLogger(__name__)

SR = SAMPLE_RATE
MUSIC_XFADE = 0.6  # seconds, between two scenes' cues
MUSIC_GAIN = 10 ** (-4 / 20)
DUCK_GAIN = 10 ** (-12 / 20)
BLOCK = 1 << 20  # samples per block of the ducking envelope (about 22 s)



def _load_mono(path: Path) -> np.ndarray:
    x, rate = read_wav(path)
    if x.ndim > 1:
        x = x.mean(axis=1)
    return resample(x, rate, SR)


def _load_stereo(path: Path) -> np.ndarray:
    x, rate = read_wav(path)
    if x.ndim == 1:
        x = np.stack([x, x], axis=1)
    return resample(x[:, :2], rate, SR)


def _duck(intervals: np.ndarray, a: int, b: int, total: int) -> np.ndarray:
    """The music's gain over samples [a, b): down 12 dB inside the speech intervals, on a
    150 ms moving average of that indicator (the envelope never clicks)."""
    win = int(0.15 * SR)
    lo, hi = max(0, a - win), min(total, b + win)
    inside = np.zeros(hi - lo + 1, dtype=np.float32)
    # intervals are (start, end) sample pairs, sorted by start; only the ones touching [lo, hi)
    first = np.searchsorted(intervals[:, 1], lo, side="right") if len(intervals) else 0
    for s, e in intervals[first:]:
        if s >= hi:
            break
        inside[max(s, lo) - lo] += 1
        inside[min(e, hi) - lo] -= 1
    inside = (np.cumsum(inside)[:-1] > 0).astype(np.float32)
    n = len(inside)
    # A centred window of `win` samples, clipped to the film: the running sum held at its ends
    # past them, so every window is a difference of two contiguous slices (no gathers).
    start = a - win // 2 - lo  # where sample a's window starts in `inside`
    before, after = max(0, -start), max(0, start + (b - a) + win - n)
    csum = np.empty(before + n + 1 + after, np.float64)
    csum[:before + 1] = 0.0
    np.cumsum(inside, dtype=np.float64, out=csum[before + 1:before + 1 + n])
    csum[before + 1 + n:] = csum[before + n]
    k = start + before
    smooth = ((csum[k + win:k + win + (b - a)] - csum[k:k + (b - a)]) / win).astype(np.float32)
    return MUSIC_GAIN * (1.0 - (1.0 - DUCK_GAIN) * np.clip(smooth, 0, 1))


def _wav_samples(path: Path) -> int:
    """Samples at SR that `_load_mono` will return for this WAV, from its header alone."""
    import wave

    with wave.open(str(path), "rb") as w:
        n, rate = w.getnframes(), w.getframerate()
    return n if rate == SR else int(round(n * SR / rate))


def mix_audio(plan: Plan, timeline: list[TimedShot], music: dict[str, Path], total_samples: int, out: Path) -> None:
    """The film's stereo mix, written to `out` as raw float32 (`total_samples` x 2), in order.

    Dialogue is placed at its sample; each scene's music cue is fitted to the scene's
    measured length, crossfades 0.6 s into the next scene's, and is ducked under the
    dialogue 150 ms before each line until 300 ms after it. The mix is made one block at a
    time, holding only the lines and cues that sound in that block: memory stays flat
    however long the film is, and the file is written front to back.
    """
    fps = plan.fps
    lines = sorted(((int(round(pl.start * SR)), pl.wav) for ts in timeline for pl in ts.lines), key=lambda t: t[0])
    lengths = [min(_wav_samples(w), max(0, total_samples - s)) for s, w in lines]
    spans = np.array(sorted((max(0, s - int(0.15 * SR)), min(total_samples, s + n + int(0.3 * SR)))
                            for (s, _), n in zip(lines, lengths)), dtype=np.int64).reshape(-1, 2)
    # The envelope's search needs sorted ends; overlapping lines keep the larger end (same union).
    if len(spans):
        spans[:, 1] = np.maximum.accumulate(spans[:, 1])

    scene_spans: list[tuple[Scene, int, int]] = []
    for ts in timeline:
        a = round(ts.start_frame / fps * SR)
        b = round((ts.start_frame + ts.total) / fps * SR)
        if scene_spans and scene_spans[-1][0].id == ts.scene.id:
            scene_spans[-1] = (ts.scene, scene_spans[-1][1], b)
        else:
            scene_spans.append((ts.scene, a, b))
    xf = int(MUSIC_XFADE * SR)
    ramp = np.sin(np.linspace(0, np.pi / 2, xf, dtype=np.float32))[:, None]
    cues: list[tuple[int, int, Path | None]] = []  # (start, length, wav) per scene
    for i, (scene, a, b) in enumerate(scene_spans):
        if scene.id not in music:
            log.warning("no music cue for scene %s", scene.id)
        last = i == len(scene_spans) - 1
        cues.append((a, (b - a) + (0 if last else xf), music.get(scene.id)))

    def fitted(i: int) -> np.ndarray:
        a, length, wav = cues[i]
        cue = fit_length(_load_stereo(wav), length, SR)
        # Equal-power crossfade into the next scene's cue, over that scene's first xf samples.
        if i < len(cues) - 1:
            cue[-xf:] *= ramp[::-1]
        if i > 0:
            cue[:xf] *= ramp[: min(xf, len(cue))]
        return cue

    held_cues: dict[int, np.ndarray] = {}
    held_lines: dict[int, np.ndarray] = {}
    next_line = 0
    with open(out, "wb") as fh:
        for k in range(0, max(1, total_samples), BLOCK):
            kb = min(total_samples, k + BLOCK)
            block = np.zeros((max(0, kb - k), 2), dtype=np.float32)
            bed = np.zeros_like(block)
            for i, (a, length, wav) in enumerate(cues):
                if wav is None or a >= kb or a + length <= k:
                    continue
                if i not in held_cues:
                    held_cues[i] = fitted(i)
                cue = held_cues[i]
                lo, hi = max(k, a), min(kb, a + len(cue))
                if hi > lo:
                    bed[lo - k: hi - k] += cue[lo - a: hi - a]
            if len(block):
                block += bed * _duck(spans, k, kb, total_samples)[:, None]
            while next_line < len(lines) and lines[next_line][0] < kb:
                held_lines[next_line] = _load_mono(lines[next_line][1])[: lengths[next_line]]
                next_line += 1
            for j, x in list(held_lines.items()):
                s = lines[j][0]
                lo, hi = max(k, s), min(kb, s + len(x))
                if hi > lo:
                    block[lo - k: hi - k] += x[lo - s: hi - s, None]
                if s + len(x) <= kb:
                    del held_lines[j]
            for i in [i for i in held_cues if cues[i][0] + cues[i][1] <= kb]:
                del held_cues[i]
            fh.write(np.ascontiguousarray(block, dtype="<f4").tobytes())
