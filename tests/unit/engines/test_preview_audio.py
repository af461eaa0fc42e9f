"""The numpy audio helpers compose mixes with: resampling eSpeak's 22.05 kHz lines to the film's 48 kHz."""

import numpy as np
import pytest

from filmstudio.engines.preview.audio import fast_size, resample


def _tone(freq: float, rate: int, seconds: float) -> np.ndarray:
    t = np.arange(int(round(rate * seconds))) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.mark.parametrize("rate_in,rate_out", [(22_050, 48_000), (44_100, 48_000), (16_000, 48_000), (48_000, 24_000),
                                              (44_101, 48_000)])  # no small common step: the nearest length
@pytest.mark.parametrize("seconds", [0.013, 1.0, 2.7183])
def test_a_resampled_tone_keeps_its_pitch_level_and_length(rate_in, rate_out, seconds):
    x = _tone(440.0, rate_in, seconds)
    y = resample(x, rate_in, rate_out)
    assert len(y) == int(round(len(x) * rate_out / rate_in))
    # away from the ends (the signal starts and stops abruptly), sample for sample the same tone
    want = (0.5 * np.sin(2 * np.pi * 440.0 * np.arange(len(y)) / rate_out)).astype(np.float32)
    edge = int(0.004 * rate_out)
    if len(y) > 4 * edge:
        assert np.abs(y[edge:-edge] - want[edge:-edge]).max() < 0.01


def test_a_line_does_not_wrap_its_end_into_its_start():
    rate = 22_050
    x = np.zeros(rate, np.float32)
    x[-200:] = _tone(2_000.0, rate, 200 / rate)  # a loud click at the very end, silence before
    y = resample(x, rate, 48_000)
    assert np.abs(y[: len(y) // 2]).max() < 1e-3


def test_stereo_is_resampled_per_channel():
    left, right = _tone(300.0, 22_050, 0.5), _tone(900.0, 22_050, 0.5)
    y = resample(np.stack([left, right], axis=1), 22_050, 48_000)
    assert y.shape == (24_000, 2)
    assert np.abs(y[1000:-1000, 0] - _tone(300.0, 48_000, 0.5)[1000:-1000]).max() < 0.01
    assert np.abs(y[1000:-1000, 1] - _tone(900.0, 48_000, 0.5)[1000:-1000]).max() < 0.01


def test_fast_sizes_have_only_small_prime_factors():
    for n in (1, 7, 97, 28_337, 66_970, 1 << 16, 73_727):
        m = fast_size(n)
        assert n <= m < 2 * n or m == 1
        r = m
        for p in (2, 3, 5):
            while r % p == 0:
                r //= p
        assert r == 1
