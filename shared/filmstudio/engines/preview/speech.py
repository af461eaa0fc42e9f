"""Speech with eSpeak NG, the library shipped in the espeakng-loader wheel, through ctypes.

eSpeak keeps one global voice and one global callback, and is not reentrant, so one
process-wide lock covers choosing the voice, setting parameters and synthesising.
Lines are short (a second or two of CPU at most) and several shots render at once
anyway, so serialising speech costs little.

Voices: the line's language picks eSpeak's language voice; the plan's bible gives the
variant (eSpeak's f1..f5, m1..m7), pitch and rate, decided by gender and
age in planning.bible (one table for every engine; see docs/engines.md). A language eSpeak
has no voice for falls back to English with a warning instead of failing the film.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from pathlib import Path

import numpy as np

from filmstudio.models.plan import Character, Line, Plan, Voice
from filmstudio.planning.bible import age_group_for, voice_for

from .audio import write_wav
from .seeds import stable_seed

log = logging.getLogger(__name__)

AUDIO_OUTPUT_SYNCHRONOUS = 2
espeakCHARS_UTF8 = 1
espeakENDPAUSE = 0x1000
POS_CHARACTER = 1
EE_OK = 0
espeakRATE, espeakVOLUME, espeakPITCH, espeakRANGE = 1, 2, 3, 4

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

# eSpeak's own names where they differ from ISO 639-1.
_ESPEAK_LANG = {"zh": "cmn", "no": "nb", "fil": "tl"}

# Intonation range (0..99) by age group: children's voices swing widest, elders' least.
_RANGE_BY_AGE = {"child": 65, "teen": 55, "adult": 50, "elder": 38}
_NARRATOR_RANGE = 40
_NARRATOR = ("m1", 44, _NARRATOR_RANGE, 150)
_DEFAULT_VOICE = Voice()


class _ESpeak:
    """The loaded library, initialised once per process."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib = self.lib
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        # eSpeak draws noise (fricatives, breath) from its own random generator; a
        # seed per line keeps that part repeatable. The output still varies by a few
        # samples between calls (wave generator state carried across utterances), so
        # a line is reproducible in length and sound, not byte for byte.
        self._seed = getattr(lib, "espeak_ng_SetRandSeed", None)
        if self._seed is not None:
            self._seed.argtypes = [ctypes.c_long]
            self._seed.restype = None
        self._data = espeakng_loader.get_data_path().encode()
        self._chunks: list[np.ndarray] = []
        # Kept on self: ctypes would free a callback object that nothing references.
        self._callback = _SYNTH_CALLBACK(self._collect)
        rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, self._data, 0)
        if rate <= 0:
            raise RuntimeError("espeak_Initialize failed")
        self.sample_rate = rate
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, numsamples, events) -> int:
        if numsamples > 0 and wav:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(numsamples,)).copy())
        return 0  # 0: go on synthesising

    def set_voice(self, name: str) -> bool:
        return self.lib.espeak_SetVoiceByName(name.encode()) == EE_OK

    def synth(self, text: str, pitch: int, pitch_range: int, rate: int) -> np.ndarray:
        lib = self.lib
        if self._seed is not None:
            self._seed(stable_seed(text, pitch, pitch_range, rate) & 0x7FFFFFFF)
        lib.espeak_SetParameter(espeakRATE, int(rate), 0)
        lib.espeak_SetParameter(espeakPITCH, int(pitch), 0)
        lib.espeak_SetParameter(espeakRANGE, int(pitch_range), 0)
        lib.espeak_SetParameter(espeakVOLUME, 100, 0)
        self._chunks = []
        buf = text.encode("utf-8") + b"\0"
        err = lib.espeak_Synth(buf, len(buf), 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakENDPAUSE, None, None)
        if err != EE_OK:
            raise RuntimeError(f"espeak_Synth failed with {err}")
        pcm = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.int16)
        return pcm.astype(np.float32) / 32768.0


_lock = threading.Lock()
_engine: _ESpeak | None = None


def _espeak() -> _ESpeak:
    global _engine
    if _engine is None:
        _engine = _ESpeak()
    return _engine


def voice_profile(character: Character | None, line: Line) -> tuple[str, str, int, int, int]:
    """(language, variant, pitch, pitch range, rate) for a line.

    The plan's bible decides the voice (planning.bible.voice_for: gender and age, the same
    fields the figure is drawn from); a character without one (an analysis rendered without
    the plan stage) gets the voice the bible would give it, so nothing here guesses again.
    """
    voice = character.voice if character else _DEFAULT_VOICE
    language = (line.language or voice.language or "en").lower()
    if character is None or (character.is_narrator and not voice.variant):
        variant, pitch, prange, rate = _NARRATOR
        return language, variant, pitch, prange, rate
    if not voice.variant:
        voice = voice_for(character, language)
    age = voice.age_group or character.age_group or age_group_for(character.age)
    prange = _NARRATOR_RANGE if character.is_narrator else _RANGE_BY_AGE[age]
    return language, voice.variant, voice.pitch, prange, voice.rate


class PreviewSpeech:
    name = "preview-speech-espeak"
    version = "1.2.0"  # 1.2: one voice table with the bible; unknown gender is a neutral voice

    def synthesize(self, plan: Plan, line: Line, out_path: Path) -> float:
        try:
            character: Character | None = plan.character(line.character_id)
        except KeyError:
            character = None  # prose and topics: the narrator speaks
        language, variant, pitch, prange, rate = voice_profile(character, line)
        with _lock:
            es = _espeak()
            lang = _ESPEAK_LANG.get(language, language)
            if not es.set_voice(f"{lang}+{variant}"):
                log.warning("eSpeak has no voice for language %r (line %s); speaking it in English", language, line.id)
                if not es.set_voice(f"en+{variant}"):
                    es.set_voice("en")
            samples = es.synth(line.text, pitch, prange, rate)
            rate_hz = es.sample_rate
        if samples.size == 0:
            # eSpeak says nothing for text it cannot read at all (e.g. emoji only): a
            # short silence keeps the timeline and the subtitles honest.
            samples = np.zeros(int(0.3 * rate_hz), dtype=np.float32)
        samples = _trim(samples, rate_hz)
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        write_wav(out_path, samples, rate_hz)
        return len(samples) / rate_hz


def _trim(x: np.ndarray, rate: int, threshold: float = 10 ** (-50 / 20)) -> np.ndarray:
    """Drop eSpeak's leading silence and keep 80 ms of its trailing pause.

    Compose places the WAV where the subtitle starts, so the sound has to start at
    the first sample, not 100 ms in.
    """
    loud = np.flatnonzero(np.abs(x) > threshold)
    if loud.size == 0:
        return x
    start = max(0, loud[0] - int(0.005 * rate))
    end = min(len(x), loud[-1] + int(0.08 * rate))
    return x[start:end]
