"""Our BS.1770 code against ffmpeg's EBU R128 scanner, on signals with speech-like gaps and peaks."""

import subprocess

import numpy as np
import pytest

from filmstudio.engines.preview import loudness


def _ffmpeg_r128(x, media):
    import re

    proc = subprocess.run(
        [media.ffmpeg(), "-hide_banner", "-nostats", "-f", "f32le", "-ar", "48000", "-ac", "2", "-i", "-", "-af", "ebur128=peak=true", "-f", "null", "-"],
        input=np.ascontiguousarray(x, dtype="<f4").tobytes(), capture_output=True, check=True,
    )
    err = proc.stderr.decode()
    summary = err[err.rfind("Summary:"):]
    return float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1)), float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))


def _bursty(seconds=12, seed=3):
    """Noise bursts (sentences) at different levels over a faint bed, with sharp single-sample peaks."""
    r = np.random.default_rng(seed)
    n = 48000 * seconds
    x = r.standard_normal((n, 2)).astype(np.float32) * 0.003
    for k in range(0, seconds - 1, 2):
        a = k * 48000 + int(r.integers(0, 20000))
        x[a : a + 40000] += r.standard_normal((40000, 2)).astype(np.float32) * float(r.uniform(0.03, 0.2))
    x[r.integers(0, n, 20)] = 0.95
    return x


@pytest.mark.parametrize("seed", [1, 2])
def test_measurement_agrees_with_ffmpeg(media, seed):
    x = _bursty(seed=seed)
    i, tp = _ffmpeg_r128(x, media)
    assert loudness.integrated_lufs(x) == pytest.approx(i, abs=0.2)
    assert loudness.true_peak_dbtp(x) == pytest.approx(tp, abs=0.3)


def test_normalize_hits_the_target_under_the_ceiling_as_ffmpeg_measures_it(media):
    y, report = loudness.normalize(_bursty(seed=5), target=-14.0, ceiling_dbtp=-1.5)
    i, tp = _ffmpeg_r128(y, media)
    assert i == pytest.approx(-14.0, abs=0.3)
    assert tp <= -1.4
    assert report["output_lufs"] == pytest.approx(i, abs=0.2)


def test_measured_in_chunks_as_in_one_pass(tmp_path, monkeypatch):
    """The film's loudness is measured and corrected in chunks (memory flat in length): same numbers, same samples."""
    x = np.concatenate([_bursty(seed=7), _bursty(seed=8)])
    meter = loudness.LoudnessMeter()
    for a in range(0, len(x), 77_777):  # chunks that fall anywhere, not on 100 ms blocks
        meter.feed(x[a:a + 77_777])
    assert meter.integrated() == pytest.approx(loudness.integrated_lufs(x), abs=1e-4)
    assert meter.true_peak() == pytest.approx(loudness.true_peak_dbtp(x), abs=1e-3)

    monkeypatch.setattr(loudness, "CHUNK", 1 << 16)
    x.astype("<f4").tofile(tmp_path / "in.f32")
    report = loudness.normalize_file(tmp_path / "in.f32", tmp_path / "out.f32", len(x))
    y, expected = loudness.normalize(x)
    out = np.fromfile(tmp_path / "out.f32", dtype="<f4").reshape(-1, 2)
    assert report == expected
    assert np.max(np.abs(out - y)) < 1e-4  # float32 rounding of running sums; -80 dB


@pytest.mark.parametrize("n", [1, 5, 239, 240, 241, 1000, 4801])
@pytest.mark.parametrize("w", [2, 16, 480, 960, 1000])
def test_the_limiters_sliding_minimum_is_the_minimum_of_each_centred_window(n, w):
    g = np.random.default_rng(n * 7 + w).uniform(0.2, 1.0, n).astype(np.float32)
    padded = np.concatenate([np.ones(w // 2, np.float32), g, np.ones(w, np.float32)])
    want = np.array([padded[i:i + w].min() for i in range(n)], np.float32)
    assert np.array_equal(loudness._sliding_min(g, w), want)


def test_the_limiter_holds_every_sample_under_the_ceiling_without_a_step():
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((48_000, 2)) * 0.1).astype(np.float32)
    x[10_000:10_040] *= 12  # a burst far over the ceiling
    y = loudness._limit(x, 0.5, 48_000)
    assert np.abs(y).max() <= 0.5 + 1e-6
    gain = np.abs(y[:, 0]) / np.maximum(np.abs(x[:, 0]), 1e-9)
    assert np.allclose(gain[:5_000][np.abs(x[:5_000, 0]) > 1e-3], 1.0, atol=1e-6)  # untouched far from the burst
    assert np.abs(np.diff(gain[9_000:11_000][np.abs(x[9_000:11_000, 0]) > 1e-2])).max() < 0.2  # ramps, never jumps
