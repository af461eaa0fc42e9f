"""A procedural score, one cue per scene, synthesised with numpy.

The scene's mood sets key, mode, tempo and instruments: valence picks major or
minor (or, in an Indian context, the raga), energy sets the tempo and whether a
pulse and an arpeggio play. A scene whose cultural context is Indian gets a
tanpura-like drone (Pa-Sa-Sa-Sa, plucked, long buzzing decay) under a raga melody
that walks the raga's own scale; other scenes get chord pads over a bass line.

Every voice is a wavetable oscillator (one period of a harmonic-rich wave, indexed
by phase), so a minute of music costs a few array operations per note rather than
a sine per harmonic per sample. Cues are exactly round(scene.duration * 48000)
samples, with short edge fades that compose's crossfades overlap, and a longer
fade-in/out at the very start and end of the film.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from filmstudio.models.plan import Plan, Scene

from .audio import SAMPLE_RATE, fade, write_wav
from .seeds import rng

SR = SAMPLE_RATE
TABLE = 4096
TARGET_RMS = 10 ** (-20 / 20)

# Scales in semitones above the tonic (Sa).
RAGAS: dict[str, tuple[int, ...]] = {
    "yaman": (0, 2, 4, 6, 7, 9, 11),  # calm, evening, devotion
    "bilawal": (0, 2, 4, 5, 7, 9, 11),  # bright, joyful
    "bhairavi": (0, 1, 3, 5, 7, 8, 10),  # sorrow, longing
    "todi": (0, 1, 3, 6, 7, 8, 11),  # tension, unease
    "kafi": (0, 2, 3, 5, 7, 9, 10),  # romance, playfulness
    "bhupali": (0, 2, 4, 7, 9),  # serene, pentatonic
    "bhairav": (0, 1, 4, 5, 7, 8, 11),  # dawn, solemn
}
MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)


def is_indian(scene: Scene) -> bool:
    return "india" in (scene.cultural_context.region or "").lower()


def raga_for(scene: Scene) -> str:
    label = scene.mood.label.lower()
    for words, raga in (
        (("sad", "grief", "loss", "melanchol", "longing", "lonely"), "bhairavi"),
        (("tense", "fear", "anger", "danger", "suspense", "dark"), "todi"),
        (("romant", "love", "playful", "tender"), "kafi"),
        (("joy", "happy", "festive", "celebrat", "bright"), "bilawal"),
        (("serene", "peace", "calm", "hope"), "bhupali"),
        (("solemn", "devot", "prayer", "sacred"), "bhairav"),
    ):
        if any(w in label for w in words):
            return raga
    v, e = scene.mood.valence, scene.mood.energy
    if v < -0.3:
        return "todi" if e > 0.3 else "bhairavi"
    if v > 0.3:
        return "bilawal" if e > 0.2 else "bhupali"
    if scene.time_of_day in ("DAWN", "MORNING"):
        return "bhairav"
    return "yaman"


def tempo_for(scene: Scene) -> float:
    return 64.0 + 28.0 * (scene.mood.energy + 1.0)  # 64..120 bpm


def _table(harmonics: list[float]) -> np.ndarray:
    ph = np.arange(TABLE, dtype=np.float64) / TABLE * 2 * np.pi
    w = sum(a * np.sin((k + 1) * ph) for k, a in enumerate(harmonics) if a)
    return (w / np.max(np.abs(w))).astype(np.float32)


TABLES = {
    "pad": _table([1.0, 0.5, 0.33, 0.25, 0.2, 0.12, 0.08]),
    "bass": _table([1.0, 0.3, 0.1]),
    "pluck": _table([1.0, 0.6, 0.45, 0.3, 0.25, 0.2, 0.15, 0.1, 0.08, 0.06]),
    "tanpura": _table([1.0, 0.8, 0.7, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.28, 0.25, 0.2, 0.18, 0.15]),
    "flute": _table([1.0, 0.25, 0.12, 0.05]),
}


def _osc(table: str, freq: np.ndarray | float, n: int, phase0: float = 0.0) -> np.ndarray:
    if np.isscalar(freq):
        phase = phase0 + float(freq) * np.arange(n, dtype=np.float64) / SR
    else:
        phase = phase0 + np.cumsum(np.asarray(freq, dtype=np.float64)) / SR
    # The table's power-of-two length makes "cycles mod 1, scaled" a mask of the scaled phase:
    # the same indices (both exact for a phase >= 0) without a float modulo, ten times dearer.
    idx = np.floor(phase * TABLE).astype(np.int64) & (TABLE - 1)
    return TABLES[table][idx]


def _env(n: int, attack: float, decay_tau: float | None, release: float) -> np.ndarray:
    t = np.arange(n, dtype=np.float32) / SR
    e = np.minimum(1.0, t / max(attack, 1e-3))
    if decay_tau:
        e *= np.exp(-np.maximum(0.0, t - attack) / decay_tau)
    r = min(n, int(release * SR))
    if r:
        e[-r:] *= np.linspace(1.0, 0.0, r, dtype=np.float32)
    return e


def _add(buf: np.ndarray, start: int, sig: np.ndarray, pan: float) -> None:
    """Mix a mono voice into the stereo buffer with constant-power panning (-1 left .. 1 right)."""
    if start >= len(buf):
        return
    sig = sig[: len(buf) - start]
    a = (pan + 1) * np.pi / 4
    buf[start : start + len(sig), 0] += sig * np.cos(a)
    buf[start : start + len(sig), 1] += sig * np.sin(a)


def hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


class PreviewMusic:
    name = "preview-music"
    version = "1.1.0"

    def render_cue(self, plan: Plan, scene: Scene, out_path: Path) -> None:
        n = max(1, int(round(scene.duration * SR)))
        buf = self.score(plan, scene, n)
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        write_wav(out_path, buf, SR)

    def score(self, plan: Plan, scene: Scene, n: int) -> np.ndarray:
        r = rng("music", scene.id, scene.mood.label, scene.cultural_context.region)
        buf = np.zeros((n, 2), dtype=np.float32)
        bpm = tempo_for(scene)
        beat = 60.0 / bpm
        if is_indian(scene):
            tonic = 48 + int(r.integers(0, 5))  # Sa between C3 and E3
            self._tanpura(buf, tonic, beat, r)
            self._raga_melody(buf, tonic + 12, RAGAS[raga_for(scene)], beat, r)
            if scene.mood.energy > 0.2:
                self._pulse(buf, beat * 2, r)
        else:
            minor = scene.mood.valence < -0.15
            tonic = 45 + int(r.integers(0, 7))
            self._pads(buf, tonic, MINOR if minor else MAJOR, minor, beat, r)
            if scene.mood.energy > 0.3:
                self._arpeggio(buf, tonic + 24, MINOR if minor else MAJOR, beat, r)
                self._pulse(buf, beat, r)
        self._space(buf)
        rms = float(np.sqrt(np.mean(buf**2))) or 1.0
        buf *= TARGET_RMS / rms
        peak = float(np.max(np.abs(buf)))
        if peak > 0.95:
            buf *= 0.95 / peak
        first = scene.index == 0 or (plan.scenes and plan.scenes[0].id == scene.id)
        last = plan.scenes and plan.scenes[-1].id == scene.id
        secs = n / SR
        fade(buf, SR, fade_in=min(1.5, 0.25 * secs) if first else 0.15, fade_out=min(2.5, 0.35 * secs) if last else 0.15)
        return buf

    # --- instruments ------------------------------------------------------

    def _tanpura(self, buf: np.ndarray, sa: int, beat: float, r: np.random.Generator) -> None:
        # The classic cycle: Pa (a fourth below Sa), then Sa, Sa, and the low Sa.
        # One continuous oscillator per string pitch, re-excited by each pluck's
        # envelope: separate oscillators for the two Sa strings would drift in and
        # out of phase and cancel, leaving holes in what must be a steady drone.
        cycle = [sa - 5, sa, sa, sa - 12]
        step = max(0.6, beat * 1.5)
        n = len(buf)
        envs = {note: np.zeros(n, dtype=np.float32) for note in set(cycle)}
        pluck = _env(int(6.0 * SR), 0.01, 3.0, 0.3)
        t, i = 0.0, 0
        while int(t * SR) < n:
            s0 = int(t * SR)
            seg = pluck[: n - s0]
            env = envs[cycle[i % 4]]
            env[s0 : s0 + len(seg)] += seg * (0.8 + 0.2 * float(r.random()))
            t += step
            i += 1
        tt = np.arange(n, dtype=np.float32) / SR
        # jawari: the bridge's buzz makes the upper partials swell and fade slowly
        shimmer = 1 + 0.3 * np.sin(2 * np.pi * 0.7 * tt)
        for k, (note, env) in enumerate(sorted(envs.items())):
            sig = _osc("tanpura", hz(note), n, phase0=0.17 * k) * np.minimum(env, 1.5) * shimmer
            _add(buf, 0, sig * 0.3, -0.3 + 0.3 * k)

    def _raga_melody(self, buf: np.ndarray, sa: int, scale: tuple[int, ...], beat: float, r: np.random.Generator) -> None:
        n = len(buf)
        degrees = list(scale) + [12 + s for s in scale]
        pos = 0
        t = beat * 2  # the drone settles first
        prev_f = hz(sa + degrees[pos])
        while int(t * SR) < n:
            if r.random() < 0.15:
                t += beat * 2  # a breath between phrases
                continue
            pos = int(np.clip(pos + r.choice([-2, -1, -1, 1, 1, 2, 0]), 0, len(degrees) - 1))
            dur = beat * float(r.choice([0.5, 1, 1, 1.5, 2, 3]))
            length = int(min(dur + 0.3, (n / SR) - t) * SR)
            if length <= 0:
                break
            f = hz(sa + degrees[pos])
            tt = np.arange(length, dtype=np.float32) / SR
            glide = np.exp(-tt / 0.05)  # meend: slide in from the previous note
            vib = 1 + 0.004 * np.sin(2 * np.pi * 5.5 * tt) * np.minimum(1, tt / 0.4)
            freq = (f + (prev_f - f) * glide) * vib
            sig = _osc("flute", freq, length) * _env(length, 0.04, None, 0.2)
            _add(buf, int(t * SR), sig * 0.28, 0.2)
            prev_f = f
            t += dur

    def _pads(self, buf: np.ndarray, tonic: int, scale: tuple[int, ...], minor: bool, beat: float, r: np.random.Generator) -> None:
        n = len(buf)
        progression = [0, 5, 3, 4] if not minor else [0, 5, 2, 6]  # I-vi-IV-V / i-VI-III-VII
        bar = beat * 4
        chord_len = bar * 2
        t = 0.0
        k = int(r.integers(0, 4))
        while int(t * SR) < n:
            deg = progression[k % len(progression)]
            notes = [scale[(deg + j) % 7] + 12 * ((deg + j) // 7) for j in (0, 2, 4)]
            length = min(n - int(t * SR), int((chord_len + 1.0) * SR))
            env = _env(length, 0.8, None, 1.0)
            for j, semi in enumerate(notes):
                f = hz(tonic + 12 + semi)
                sig = (_osc("pad", f * 0.998, length) + _osc("pad", f * 1.002, length, 0.3)) * 0.5
                _add(buf, int(t * SR), sig * env * 0.22, (-0.5, 0.0, 0.5)[j])
            bass = _osc("bass", hz(tonic - 12 + notes[0]), length) * _env(length, 0.05, 2.5, 0.6)
            _add(buf, int(t * SR), bass * 0.3, 0.0)
            t += chord_len
            k += 1

    def _arpeggio(self, buf: np.ndarray, base: int, scale: tuple[int, ...], beat: float, r: np.random.Generator) -> None:
        n = len(buf)
        step = beat / 2
        t = 0.0
        i = 0
        pattern = [0, 2, 4, 7, 4, 2]
        while int(t * SR) < n:
            d = pattern[i % len(pattern)]
            semi = scale[d % 7] + 12 * (d // 7)
            length = min(n - int(t * SR), int(0.5 * SR))
            sig = _osc("pluck", hz(base + semi), length) * _env(length, 0.005, 0.12, 0.05)
            _add(buf, int(t * SR), sig * 0.12, 0.6 * np.sin(i * 0.7))
            t += step
            i += 1

    def _pulse(self, buf: np.ndarray, every: float, r: np.random.Generator) -> None:
        n = len(buf)
        length = int(0.25 * SR)
        tt = np.arange(length, dtype=np.float32) / SR
        freq = 55 + 70 * np.exp(-tt / 0.03)  # a falling thump, tabla-ish baya or a soft kick
        hit = _osc("bass", freq, length) * np.exp(-tt / 0.08)
        t = 0.0
        while int(t * SR) < n:
            _add(buf, int(t * SR), hit * 0.35, 0.0)
            t += every

    def _space(self, buf: np.ndarray) -> None:
        """Two short, different delays per side: width and a sense of room, cheaply."""
        for ch, delays in ((0, (0.031, 0.113)), (1, (0.043, 0.137))):
            src = buf[:, ch].copy()
            for k, d in enumerate(delays):
                s = int(d * SR)
                buf[s:, ch] += src[:-s] * (0.3 - 0.1 * k)
