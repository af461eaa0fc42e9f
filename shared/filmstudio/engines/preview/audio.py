"""Small numpy audio helpers shared by speech, music and compose.

Audio is float32 in [-1, 1], shaped (samples,) for mono or (samples, channels).
"""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np

SAMPLE_RATE = 48_000


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """16-bit PCM WAV; the float signal is clipped, never wrapped."""
    data = np.asarray(samples, dtype=np.float32)
    channels = 1 if data.ndim == 1 else data.shape[1]
    pcm = (np.clip(data, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Read a 16-bit PCM WAV as float32, (n,) for mono, (n, ch) otherwise."""
    with wave.open(str(path), "rb") as w:
        ch, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
        raw = w.readframes(n)
    if width != 2:
        raise ValueError(f"{path}: only 16-bit PCM is supported, got {8 * width}-bit")
    data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if ch > 1:
        data = data.reshape(-1, ch)
    return data, rate


def fast_size(n: int) -> int:
    """The smallest 2^a 3^b 5^c >= n: FFTs of such sizes are fast, and far smaller than the next power of two."""
    best = 1 << (n - 1).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            p = p35
            while p < n:
                p *= 2
            best = min(best, p)
            p35 *= 3
        p5 *= 5
    return best


def resample(x: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited resampling through the FFT (exact for the short clips it is used on).

    The signal is zero-padded first so the FFT's circular wrap cannot smear the end
    of a line of dialogue into its start, and padded to a length whose FFT is fast and that
    the rates divide exactly (22,050 to 48,000 Hz is 147 samples to 320): an FFT of a length
    with a large prime factor costs ten times more.
    """
    if rate_in == rate_out or len(x) == 0:
        return x.astype(np.float32)
    n = len(x)
    need = n + max(64, n // 16)
    g = math.gcd(rate_in, rate_out)
    up, down = rate_out // g, rate_in // g
    if down <= need:
        m = fast_size(-(-need // down))
        n_in, n_out = m * down, m * up
    else:  # rates with no small common step: the nearest output length will do
        n_in = fast_size(need)
        n_out = int(round(n_in * rate_out / rate_in))
    spec = np.fft.rfft(x, n_in, axis=0)
    want = n_out // 2 + 1
    if want > spec.shape[0]:
        spec = np.concatenate([spec, np.zeros((want - spec.shape[0],) + spec.shape[1:], dtype=spec.dtype)])
    else:
        spec = spec[:want]
    y = np.fft.irfft(spec, n_out, axis=0) * (n_out / n_in)
    return y[: int(round(n * rate_out / rate_in))].astype(np.float32)


def fade(x: np.ndarray, rate: int, fade_in: float = 0.0, fade_out: float = 0.0) -> np.ndarray:
    """Raised-cosine fades, applied in place and returned."""
    for secs, head in ((fade_in, True), (fade_out, False)):
        k = min(len(x), int(secs * rate))
        if k <= 0:
            continue
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, k, dtype=np.float32)))
        if x.ndim > 1:
            ramp = ramp[:, None]
        if head:
            x[:k] *= ramp
        else:
            x[-k:] *= ramp[::-1]
    return x


def fit_length(x: np.ndarray, n: int, rate: int, xfade: float = 0.25) -> np.ndarray:
    """Exactly n samples: cut (with a short fade) or lengthen by looping the body.

    Lengthening keeps the cue's head and tail (its own fades) and repeats the middle
    with equal-power crossfades at each seam, so a scene that compose had to extend
    for long dialogue keeps its music instead of falling silent.
    """
    if len(x) == n:
        return x.copy()
    if len(x) > n:
        return fade(x[:n].copy(), rate, fade_out=min(0.05, n / rate))
    k = int(xfade * rate)
    edge = min(len(x) // 4, int(1.0 * rate))
    body = x[edge : len(x) - edge]
    if len(body) <= 2 * k:
        reps = int(np.ceil(n / max(1, len(x))))
        return np.concatenate([x] * reps)[:n].copy()
    t = np.linspace(0.0, np.pi / 2, k, dtype=np.float32)
    up, down = np.sin(t), np.cos(t)
    if x.ndim > 1:
        up, down = up[:, None], down[:, None]
    out = [x[: len(x) - edge].copy()]
    total = len(out[0]) + edge
    while total < n:
        prev = out[-1]
        seam = prev[-k:] * down + body[:k] * up
        out[-1] = prev[:-k]
        piece = np.concatenate([seam, body[k:]])
        out.append(piece)
        total += len(piece) - k
    tail = x[len(x) - edge :]
    joined = np.concatenate(out)
    joined = joined[: n - len(tail)]
    # The seam to the tail is a short crossfade so the cue's own ending survives intact.
    kk = min(k, len(joined), len(tail))
    t2 = np.linspace(0.0, np.pi / 2, kk, dtype=np.float32)
    u2, d2 = np.sin(t2), np.cos(t2)
    if x.ndim > 1:
        u2, d2 = u2[:, None], d2[:, None]
    if kk:
        joined[-kk:] = joined[-kk:] * d2 + body[-kk:] * u2
    return np.concatenate([joined, tail])[:n]
