"""Loudness to a target, in numpy: ITU-R BS.1770-4 measurement, a gain, a true-peak limiter.

ffmpeg's loudnorm does the same job, but in its dynamic mode (which it falls into
whenever a linear gain would overshoot the peak ceiling, i.e. for nearly any film
with dialogue) it resamples to 192 kHz and costs several CPU-seconds a minute of
audio. Here the K-weighting filter is applied as an FFT convolution with its
impulse response, so measuring a minute of stereo is a few FFTs.
"""

from __future__ import annotations

import functools

import numpy as np

# BS.1770-4 K-weighting at 48 kHz: a high shelf (head diffraction) then a high pass.
_SHELF = ([1.53512485958697, -2.69169618940638, 1.19839281085285], [1.0, -1.69065929318241, 0.73248077421585])
_HIGHPASS = ([1.0, -2.0, 1.0], [1.0, -1.99004745483398, 0.99007225036621])


def _biquad(x: np.ndarray, b: list[float], a: list[float]) -> np.ndarray:
    y = np.zeros_like(x)
    x1 = x2 = y1 = y2 = 0.0
    for i, v in enumerate(x):
        out = b[0] * v + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
        x2, x1, y2, y1 = x1, v, y1, out
        y[i] = out
    return y


@functools.cache
def _k_impulse(n: int = 8192) -> np.ndarray:
    """The K filter's impulse response; its poles are inside radius 0.996, so 8192 taps hold it to ~1e-14."""
    imp = np.zeros(n)
    imp[0] = 1.0
    return _biquad(_biquad(imp, *_SHELF), *_HIGHPASS)


def _fast_size(n: int) -> int:
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


def _k_weight(x: np.ndarray) -> np.ndarray:
    """K-weighted (channels, n) signal from (n, channels): FFTs along contiguous rows, not strided columns."""
    h = _k_impulse().astype(np.float32)
    size = _fast_size(len(x) + len(h) - 1)
    rows = np.ascontiguousarray(x.T, dtype=np.float32)
    spec = np.fft.rfft(rows, size, axis=1) * np.fft.rfft(h, size)[None, :]
    return np.fft.irfft(spec, size, axis=1)[:, : len(x)]


def integrated_lufs(x: np.ndarray, rate: int = 48_000) -> float:
    """Gated integrated loudness (LUFS) of (n,) or (n, channels) audio at 48 kHz."""
    if rate != 48_000:
        raise ValueError("K-weighting coefficients here are for 48 kHz")
    if x.ndim == 1:
        x = x[:, None]
    y = _k_weight(x)
    hop = rate // 10  # 100 ms: blocks are 400 ms with 75 % overlap
    n_sub = y.shape[1] // hop
    if n_sub < 4:
        return float("-inf")
    sq = y[:, : n_sub * hop].astype(np.float64) ** 2
    sub = sq.reshape(y.shape[0], n_sub, hop).mean(axis=2).T  # (n_sub, ch)
    csum = np.concatenate([np.zeros((1, sub.shape[1])), np.cumsum(sub, axis=0)])
    blocks = (csum[4:] - csum[:-4]) / 4  # (n_blocks, ch) mean square per 400 ms block
    power = blocks.sum(axis=1)  # channel weights are 1 for L and R
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(power)
    gated = power[loud > -70.0]
    if gated.size == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    final = power[(loud > -70.0) & (loud > relative)]
    return float(-0.691 + 10 * np.log10(final.mean()))


def true_peak_dbtp(x: np.ndarray, oversample: int = 4, chunk: int = 1 << 16) -> float:
    """Peak of the 4x band-limited oversampled signal, in dBTP."""
    if x.ndim == 1:
        x = x[:, None]
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    guard = 64
    rows = np.ascontiguousarray(x.T, dtype=np.float32)
    n = rows.shape[1]
    for start in range(0, n, chunk):
        a, b = max(0, start - guard), min(n, start + chunk + guard)
        spec = np.fft.rfft(rows[:, a:b], axis=1)
        up = np.fft.irfft(spec, (b - a) * oversample, axis=1) * oversample
        inner = up[:, (start - a) * oversample : (start - a + min(chunk, n - start)) * oversample]
        if inner.size:
            peak = max(peak, float(np.max(np.abs(inner))))
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _sliding_min(g: np.ndarray, w: int) -> np.ndarray:
    """Minimum over a centred window of w samples (van Herk / Gil-Werman, vectorised)."""
    n = len(g)
    pad = w // 2
    one = np.ones(1, dtype=g.dtype)
    padded = np.concatenate([np.repeat(one, pad), g, np.repeat(one, w + pad)])
    m = -(-len(padded) // w) * w
    padded = np.concatenate([padded, np.repeat(one, m - len(padded))]).reshape(-1, w)
    prefix = np.minimum.accumulate(padded, axis=1).ravel()
    suffix = np.minimum.accumulate(padded[:, ::-1], axis=1)[:, ::-1].ravel()
    idx = np.arange(n)
    return np.minimum(suffix[idx], prefix[idx + w - 1])


def _limit(x: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    """A look-ahead peak limiter: the gain drops before a peak and recovers after it, never clicks."""
    w = max(8, int(0.005 * rate))
    level = np.max(np.abs(x), axis=1) if x.ndim > 1 else np.abs(x)
    need = np.minimum(1.0, ceiling / np.maximum(level, 1e-12)).astype(np.float32)
    g = _sliding_min(need, 2 * w)
    kernel = np.cumsum(np.concatenate([[0.0], g.astype(np.float64)]))
    smooth = (kernel[w:] - kernel[:-w]) / w
    smooth = np.concatenate([np.full(w // 2, g[:w].min()), smooth, np.full(len(g), g[-w:].min())])[: len(g)]
    # Every sample the w-long average spans saw the peak inside its 2w-long minimum,
    # so the smoothed gain is still at or under what each peak needs.
    smooth = smooth.astype(np.float32)
    return x * (smooth[:, None] if x.ndim > 1 else smooth)


def normalize(x: np.ndarray, rate: int = 48_000, target: float = -14.0, ceiling_dbtp: float = -1.5) -> tuple[np.ndarray, dict[str, float]]:
    """Gain to the target integrated loudness, limited so the true peak stays under the ceiling."""
    measured = integrated_lufs(x, rate)
    if not np.isfinite(measured):
        return x, {"input_lufs": measured, "gain_db": 0.0, "output_lufs": measured, "true_peak_dbtp": float("-inf")}
    gain_db, out = 0.0, measured
    # Sample peaks under ceiling - 0.5 dB leave room for inter-sample overs. Limiting
    # takes some loudness away; while that is more than the half dB of room, push
    # the gain and limit again (heavily peaky speech needs a second round).
    for _ in range(3):
        gain_db += target - out
        y = _limit(x.astype(np.float32) * np.float32(10 ** (gain_db / 20)), 10 ** ((ceiling_dbtp - 0.5) / 20), rate)
        out = integrated_lufs(y, rate)
        if target - out < 0.4:
            break
    # The rest comes back as a plain gain, inside the room the limiter left.
    if abs(target - out) >= 0.05:
        y *= np.float32(10 ** ((target - out) / 20))
        gain_db += target - out
        out = target
    tp = true_peak_dbtp(y)
    if tp > ceiling_dbtp:
        y *= np.float32(10 ** ((ceiling_dbtp - tp) / 20))
        out += ceiling_dbtp - tp
        tp = ceiling_dbtp
    return y.astype(np.float32), {"input_lufs": round(measured, 2), "gain_db": round(gain_db, 2), "output_lufs": round(out, 2), "true_peak_dbtp": round(tp, 2)}
