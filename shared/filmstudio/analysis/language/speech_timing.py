"""How long a line takes to say, from syllables and each language's speaking rate.

Words per minute mislead across languages (a Tamil word holds several
English words' worth of syllables; Chinese has no spaces), so we count
syllables: vowel groups in alphabetic scripts, aksharas in Brahmic scripts,
characters in Chinese and Japanese; and divide by a per-language rate.
"""

from __future__ import annotations

import math
import re
import unicodedata

from filmstudio.analysis.language.writing_systems import INDIC_BLOCKS

# Syllables per second at an unhurried, clearly articulated delivery (the TTS
# default of about 165 wpm for English). Fast languages say more syllables per second.
SYLLABLES_PER_SECOND: dict[str, float] = {
    "en": 4.2, "es": 5.6, "fr": 5.4, "it": 5.6, "pt": 5.2, "de": 4.6, "nl": 4.6, "hi": 5.0, "mr": 5.0, "ne": 5.0,
    "bn": 5.0, "ta": 5.6, "te": 5.6, "kn": 5.4, "ml": 5.6, "gu": 5.0, "pa": 5.0, "ur": 5.0, "ar": 4.8,
    "fa": 4.8, "zh": 4.0, "ja": 6.0, "ko": 5.2, "ru": 4.8,
}
DEFAULT_RATE = 4.8
REFERENCE_WPM = 165  # the voice rate the table above corresponds to
PAUSE_SENTENCE = 0.35
PAUSE_COMMA = 0.15
LEAD_IN = 0.2

# Words longer than this are not in any voice's dictionary; such runs of letters are read at
# about this many letters a syllable (measured with eSpeak on random letters).
LONG_WORD = 15
LETTERS_PER_SYLLABLE_UNKNOWN = 3
SYMBOL_SYLLABLES = 1
_DIGITS = re.compile(r"[0-9]+")
_ASCII_SYMBOLS = re.compile(r"[$+<=>|~]")  # the ASCII characters in Unicode's Sm and Sc categories

_INDIC = {base + off: off for base in INDIC_BLOCKS.values() for off in range(0x80)}
_VOWEL_GROUPS = re.compile(r"[aeiouyáéíóúàèìòùâêîôûäëïöüãõåæœ]+", re.I)


_PLAIN_LATIN = re.compile(r"[\x00-\u024f\u2000-\u206f]*")


def _number_syllables(digits: int) -> float:
    """A year is a few words; a ten-digit number is read as billions and millions (about 2.5
    syllables a digit); past a dozen digits voices read them one by one."""
    if digits <= 4:
        return 1.5 * digits
    if digits <= 12:
        return 2.5 * digits
    return 30 + 1.0 * (digits - 12)


def syllables(text: str) -> int:
    count = 0
    prev_virama = False
    # Plain Latin text (most lines) needs only the vowel-group count below.
    for ch in ("" if _PLAIN_LATIN.fullmatch(text) else text):
        cp = ord(ch)
        off = _INDIC.get(cp)
        if off is not None:
            # An akshara: an independent vowel, or a consonant not joined to the next by a virama.
            if 0x05 <= off <= 0x14 or (0x15 <= off <= 0x39 and not prev_virama) or 0x58 <= off <= 0x5F:
                count += 1
            prev_virama = off == 0x4D
            continue
        prev_virama = False
        if 0x3040 <= cp <= 0x30FF or 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xAC00 <= cp <= 0xD7AF:
            count += 1
        elif 0x0600 <= cp <= 0x06FF or 0x0400 <= cp <= 0x04FF:
            # Arabic and Cyrillic: roughly one syllable per two letters.
            count += 0.5 if ch.isalpha() else 0
    latin = re.sub(r"[^A-Za-zÀ-ɏ' ]", " ", text)
    for word in latin.split():
        groups = len(_VOWEL_GROUPS.findall(word))
        if word.lower().endswith("e") and groups > 1 and not word.lower().endswith(("le", "ee")):
            groups -= 1  # the silent e of "time", "gone"
        if len(word) > LONG_WORD:
            # Not a word a voice knows (a run of letters, a made-up compound): eSpeak reads it in
            # pieces, for far longer than its vowel groups say; a 10,000-letter "word" is minutes.
            groups = max(groups, math.ceil(len(word) / LETTERS_PER_SYLLABLE_UNKNOWN))
        count += max(1, groups)
    # Numbers are read out ("1984": nineteen eighty-four), symbols and emoji by their names.
    count += sum(_number_syllables(len(run)) for run in _DIGITS.findall(text))
    if text.isascii():
        count += SYMBOL_SYLLABLES * len(_ASCII_SYMBOLS.findall(text))
    else:
        count += sum(SYMBOL_SYLLABLES for ch in text if unicodedata.category(ch) in ("So", "Sm", "Sc"))
    return int(round(count))


def estimate_duration(text: str, language: str, *, wpm: int = REFERENCE_WPM) -> float:
    """Seconds to speak `text` in `language` at `wpm` (scaled from the reference rate), pauses included."""
    rate = SYLLABLES_PER_SECOND.get(language, DEFAULT_RATE) * (wpm / REFERENCE_WPM)
    spoken = syllables(text) / rate
    pauses = len(re.findall(r"[.!?।…。！？]+(?=\s|$)", text.strip())) * PAUSE_SENTENCE
    pauses += len(re.findall(r"[,;:，、]", text)) * PAUSE_COMMA
    return round(LEAD_IN + spoken + pauses, 2)
