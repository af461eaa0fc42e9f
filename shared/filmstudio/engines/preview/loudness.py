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

from .audio import fast_size

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


def _k_weight(x: np.ndarray) -> np.ndarray:
    """K-weighted (channels, n) signal from (n, channels): FFTs along contiguous rows, not strided columns."""
    h = _k_impulse().astype(np.float32)
    size = fast_size(len(x) + len(h) - 1)
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
    return _gated_loudness(sq.reshape(y.shape[0], n_sub, hop).mean(axis=2).T)


def _gated_loudness(sub: np.ndarray) -> float:
    """BS.1770 gating over (n_sub, channels) mean squares of 100 ms sub-blocks (K-weighted)."""
    if len(sub) < 4:
        return float("-inf")
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


def true_peak_dbtp(x: np.ndarray, oversample: int = 4) -> float:
    """Peak of the 4x band-limited oversampled signal, in dBTP."""
    if x.ndim == 1:
        x = x[:, None]
    rows = np.ascontiguousarray(x.T, dtype=np.float32)
    peak = _upsampled_peak(rows, 0, rows.shape[1], oversample)
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _sliding_min(g: np.ndarray, w: int) -> np.ndarray:
    """Minimum over a centred window of w samples: log2(w) in-place halvings of shifted
    minimums (each a contiguous pass), then one more to cover the window exactly."""
    n = len(g)
    pad = w // 2
    cur = np.ones(n + w, dtype=g.dtype)  # ones beyond the edges: they never lower a minimum of gains
    cur[pad:pad + n] = g
    span = 1
    while 2 * span <= w:  # cur[i] = min(cur[i : i + span]) of the padded signal
        np.minimum(cur[:-span], cur[span:], out=cur[:-span])
        span *= 2
    rest = w - span
    return np.minimum(cur[:n], cur[rest:rest + n]) if rest else cur[:n].copy()


def _limit(x: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    """A look-ahead peak limiter: the gain drops before a peak and recovers after it, never clicks."""
    w = max(8, int(0.005 * rate))
    if x.ndim == 1:
        level = np.abs(x)
    else:  # per channel, then across: a reduction along the short interleaved axis is several times slower
        level = np.abs(x[:, 0])
        for c in range(1, x.shape[1]):
            np.maximum(level, np.abs(x[:, c]), out=level)
    np.maximum(level, 1e-12, out=level)
    need = np.minimum(np.float32(1.0), np.float32(ceiling) / level, dtype=np.float32)
    g = _sliding_min(need, 2 * w)
    n = len(g)
    kernel = np.empty(n + 1)
    kernel[0] = 0.0
    np.cumsum(g, dtype=np.float64, out=kernel[1:])
    # A w-long average of g, centred; the edges hold the minimum of the first or last w gains.
    smooth = np.empty(n, dtype=np.float32)
    h = min(w // 2, n)
    smooth[:h] = g[:w].min()
    body = min(max(0, n - w + 1), n - h)
    smooth[h:h + body] = (kernel[w:w + body] - kernel[:body]) / w
    smooth[h + body:] = g[-w:].min()
    # Every sample the w-long average spans saw the peak inside its 2w-long minimum,
    # so the smoothed gain is still at or under what each peak needs.
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
    # The rest comes back as a plain gain, inside the room the limiter left; it moves the
    # true peak by exactly itself.
    tp = true_peak_dbtp(y)
    if abs(target - out) >= 0.05:
        y *= np.float32(10 ** ((target - out) / 20))
        gain_db += target - out
        tp += target - out
        out = target
    if tp > ceiling_dbtp:
        y *= np.float32(10 ** ((ceiling_dbtp - tp) / 20))
        out += ceiling_dbtp - tp
        tp = ceiling_dbtp
    return y.astype(np.float32), {"input_lufs": round(measured, 2), "gain_db": round(gain_db, 2), "output_lufs": round(out, 2), "true_peak_dbtp": round(tp, 2)}


# --- in chunks: memory flat in the film's length ---------------------------------------------
#
# A full-length FFT of a 24-minute film's mix peaked at 4.8 GB. The same measurement fed in
# chunks: the K filter by overlap-add (its impulse response's tail carried into the next
# block), 100 ms sub-block powers kept (a few numbers a second), true peak per block with a
# guard of context each side; the limiter per chunk with enough context that its look-ahead
# sees exactly what it would in one pass. Results equal the one-pass functions above.

CHUNK = 1 << 19  # samples per step: about 11 s at 48 kHz
# The FFTs work on blocks far smaller than a chunk: a 2^16-point transform's data stays in
# a core's cache, a 2^21-point one's does not, and the small ones cost under half per sample.
_K_BLOCK = 1 << 16
_TP_BLOCK = 1 << 15
_TP_GUARD = 256  # context each side of a true-peak block: 64 under-read a near-Nyquist burst on an edge by 0.16 dB


@functools.lru_cache(maxsize=16)  # a full block's size, and the odd sizes of chunk ends
def _k_spectrum(size: int) -> np.ndarray:
    return np.fft.rfft(_k_impulse().astype(np.float32), size)


def _upsampled_peak(rows: np.ndarray, lo: int, hi: int, oversample: int = 4) -> float:
    """Peak of rows[:, lo:hi] after band-limited oversampling (the rest of `rows` is context)."""
    if hi <= lo:
        return 0.0
    peak = float(np.max(np.abs(rows[:, lo:hi])))
    n = rows.shape[1]
    for s in range(lo, hi, _TP_BLOCK):
        e = min(hi, s + _TP_BLOCK)
        a, b = max(0, s - _TP_GUARD), min(n, e + _TP_GUARD)
        # Zero-padded to a size with small prime factors: a block's own length may have a large
        # prime factor, and an FFT of such a length costs several times more.
        size = fast_size(b - a)
        up = np.fft.irfft(np.fft.rfft(rows[:, a:b], size, axis=1), size * oversample, axis=1)
        peak = max(peak, float(np.max(np.abs(up[:, (s - a) * oversample: (e - a) * oversample]))) * oversample)
    return peak


class LoudnessMeter:
    """BS.1770-4 integrated loudness and 4x true peak of audio fed in chunks of (n, channels).

    The true peak is two thirds of the cost (a 4x-long inverse FFT per block): a meter
    made with `true_peak=False` measures loudness only, one with `loudness=False` the peak
    only, for passes where nobody reads the other.
    """

    def __init__(self, rate: int = 48_000, channels: int = 2, *, loudness: bool = True, true_peak: bool = True):
        if rate != 48_000:
            raise ValueError("K-weighting coefficients here are for 48 kHz")
        self.rate, self.channels = rate, channels
        self.measures_loudness, self.measures_peak = loudness, true_peak
        self._h = _k_impulse().astype(np.float32)
        self._tail = np.zeros((channels, len(self._h) - 1), dtype=np.float64)
        self._hop = rate // 10
        self._partial = np.zeros((channels, 0), dtype=np.float64)  # squares not yet a whole 100 ms
        self._subs: list[np.ndarray] = []
        self._tp_buf = np.zeros((channels, 0), dtype=np.float32)
        self._tp_ctx = 0
        self._peak = 0.0
        self.samples = 0

    def feed(self, x: np.ndarray) -> None:
        if x.ndim == 1:
            x = x[:, None]
        n = len(x)
        if n == 0:
            return
        self.samples += n
        rows = np.ascontiguousarray(x.T, dtype=np.float32)
        if self.measures_loudness:
            self._feed_loudness(rows)
        if self.measures_peak:
            self._feed_peak(rows)

    def _feed_loudness(self, rows: np.ndarray) -> None:
        for a in range(0, rows.shape[1], _K_BLOCK):
            self._k_block(rows[:, a:a + _K_BLOCK])

    def _k_block(self, rows: np.ndarray) -> None:
        n = rows.shape[1]
        # K-weighting: overlap-add with the previous block's convolution tail.
        size = fast_size(n + len(self._h) - 1)
        full = np.fft.irfft(np.fft.rfft(rows, size, axis=1) * _k_spectrum(size)[None, :], size, axis=1)
        full = full[:, : n + len(self._h) - 1]
        full[:, : self._tail.shape[1]] += self._tail
        y, self._tail = full[:, :n], full[:, n:].copy()
        sq = np.concatenate([self._partial, y.astype(np.float64) ** 2], axis=1)
        whole = sq.shape[1] // self._hop
        if whole:
            self._subs.append(sq[:, : whole * self._hop].reshape(self.channels, whole, self._hop).mean(axis=2).T)
        self._partial = sq[:, whole * self._hop:]

    def _feed_peak(self, rows: np.ndarray) -> None:
        # True peak: evaluate all but the last guard samples, which wait for their look-ahead.
        buf = np.concatenate([self._tp_buf, rows], axis=1)
        end = buf.shape[1] - _TP_GUARD
        if end > self._tp_ctx:
            self._peak = max(self._peak, _upsampled_peak(buf, self._tp_ctx, end))
            keep = max(0, end - _TP_GUARD)
            self._tp_buf, self._tp_ctx = buf[:, keep:], end - keep
        else:
            self._tp_buf = buf

    def integrated(self) -> float:
        if not self.measures_loudness:
            raise ValueError("this meter was made with loudness=False")
        if not self._subs:
            return float("-inf")
        return _gated_loudness(np.concatenate(self._subs, axis=0))

    def true_peak(self) -> float:
        if not self.measures_peak:
            raise ValueError("this meter was made with true_peak=False")
        peak = self._peak
        if self._tp_buf.shape[1] > self._tp_ctx:
            padded = np.concatenate([self._tp_buf, np.zeros((self.channels, _TP_GUARD), np.float32)], axis=1)
            peak = max(peak, _upsampled_peak(padded, self._tp_ctx, self._tp_buf.shape[1]))
        return float(20 * np.log10(peak)) if peak > 0 else float("-inf")


def measure_stream(chunks) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of an iterable of (n, 2) chunks."""
    meter = LoudnessMeter()
    for c in chunks:
        meter.feed(c)
    return meter.integrated(), meter.true_peak()


def _limit_guard(rate: int) -> int:
    # The limiter's reach: a 2w sliding minimum, then a w-long average; twice that to spare.
    return 8 * max(8, int(0.005 * rate))


def _read(path, a: int, b: int, channels: int) -> np.ndarray:
    return np.fromfile(path, dtype="<f4", count=(b - a) * channels, offset=a * channels * 4).reshape(-1, channels)


def _limited_pass(src, dst, frames: int, channels: int, gain: float, ceiling: float, rate: int) -> LoudnessMeter:
    """dst = limit(src * gain), chunk by chunk, front to back; returns the loudness meter of what was written."""
    g = _limit_guard(rate)
    meter = LoudnessMeter(rate, channels, true_peak=False)
    with open(dst, "wb") as out_fh:
        for a in range(0, frames, CHUNK):
            b = min(frames, a + CHUNK)
            lo, hi = max(0, a - g), min(frames, b + g)
            seg = _limit(_read(src, lo, hi, channels) * np.float32(gain), ceiling, rate)
            out = np.ascontiguousarray(seg[a - lo: a - lo + (b - a)], dtype="<f4")
            out_fh.write(out.tobytes())
            meter.feed(out)
    return meter


def _scale_pass(path, frames: int, channels: int, gain: float) -> None:
    """The file scaled by `gain` in place, chunk by chunk. Not measured again: a gain moves
    the loudness and the true peak by exactly itself (both are of a linear filter's output)."""
    with open(path, "r+b") as fh:
        for a in range(0, frames, CHUNK):
            b = min(frames, a + CHUNK)
            x = _read(path, a, b, channels) * np.float32(gain)
            fh.seek(a * channels * 4)
            fh.write(np.ascontiguousarray(x, dtype="<f4").tobytes())


def normalize_file(src_path, dst_path, frames: int, channels: int = 2, rate: int = 48_000, target: float = -14.0,
                   ceiling_dbtp: float = -1.5) -> dict[str, float]:
    """`normalize` for raw float32 audio on disk (interleaved, `frames` x `channels`), written to dst_path.

    Read and written a chunk at a time (plain reads and writes, no memory map whose pages
    would stay resident): memory stays flat in the film's length.
    """
    meter = LoudnessMeter(rate, channels, true_peak=False)
    for a in range(0, frames, CHUNK):
        meter.feed(_read(src_path, a, min(frames, a + CHUNK), channels))
    measured = meter.integrated()
    if not np.isfinite(measured):
        import shutil

        shutil.copyfile(src_path, dst_path)
        return {"input_lufs": measured, "gain_db": 0.0, "output_lufs": measured, "true_peak_dbtp": float("-inf")}
    gain_db, out = 0.0, measured
    for _ in range(3):
        gain_db += target - out
        meter = _limited_pass(src_path, dst_path, frames, channels, 10 ** (gain_db / 20),
                              10 ** ((ceiling_dbtp - 0.5) / 20), rate)
        out = meter.integrated()
        if target - out < 0.4:
            break
    # The peak of the last limited pass only (an earlier pass's would be wasted work).
    peak = LoudnessMeter(rate, channels, loudness=False)
    for a in range(0, frames, CHUNK):
        peak.feed(_read(dst_path, a, min(frames, a + CHUNK), channels))
    tp = peak.true_peak()
    if abs(target - out) >= 0.05:
        _scale_pass(dst_path, frames, channels, 10 ** ((target - out) / 20))
        gain_db += target - out
        tp += target - out
        out = target
    if tp > ceiling_dbtp:
        _scale_pass(dst_path, frames, channels, 10 ** ((ceiling_dbtp - tp) / 20))
        out += ceiling_dbtp - tp
        tp = ceiling_dbtp
    return {"input_lufs": round(measured, 2), "gain_db": round(gain_db, 2), "output_lufs": round(out, 2),
            "true_peak_dbtp": round(tp, 2)}


def decoded_loudness(media, rate: int = 48_000) -> dict[str, float]:
    """Integrated loudness and true peak of a file's first audio track as a player decodes it,
    streamed from ffmpeg in chunks (what QC and the AAC true-peak guard measure)."""
    import subprocess

    from . import ffmpeg

    proc = subprocess.Popen(
        [ffmpeg.ffmpeg_exe(), "-hide_banner", "-v", "error", "-nostdin", "-i", str(media), "-map", "0:a:0",
         "-ac", "2", "-ar", str(rate), "-f", "f32le", "-"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    meter = LoudnessMeter(rate, 2)
    assert proc.stdout is not None and proc.stderr is not None
    left = b""
    while True:
        data = proc.stdout.read(8 << 18)  # 2^18 stereo float32 frames
        if not data:
            break
        data = left + data
        cut = len(data) - len(data) % 8
        left = data[cut:]
        meter.feed(np.frombuffer(data[:cut], dtype="<f4").reshape(-1, 2))
    err = proc.stderr.read().decode("utf-8", "replace")
    if proc.wait() != 0:
        raise RuntimeError(f"could not decode the audio of {media}: {err[-500:]}")
    return {"integrated_lufs": round(float(meter.integrated()), 2), "true_peak_dbtp": round(float(meter.true_peak()), 2),
            "decoded_seconds": round(meter.samples / rate, 3)}


def scale_file(path, frames: int, channels: int, gain_db: float, rate: int = 48_000) -> None:
    """Raw float32 audio on disk scaled by gain_db in place, chunk by chunk."""
    _scale_pass(path, frames, channels, 10 ** (gain_db / 20))
