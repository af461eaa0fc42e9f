"""Language identification: writing system first, then lingua, with romanised Hindi on purpose.

lingua is built once per process, lazily, for a fixed list of languages (all
of lingua's languages would cost over a gigabyte) and in low-accuracy mode:
its trigram models load in a fraction of a second, where the high-accuracy
models cost seconds per process. We only ask lingua where the writing system
leaves a real choice (Latin, Devanagari, Arabic, Cyrillic), and for a line
only when it is long enough to say something.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from filmstudio.analysis.language.writing_systems import SCRIPT_LANGUAGE, dominant_writing_system
from filmstudio.models.plan import LanguageGuess

# The languages lingua may answer with: what we can voice and subtitle, plus
# neighbours that keep it honest (a detector that only knows English and
# Spanish calls Italian one of the two).
_LINGUA_LANGUAGES = (
    "ENGLISH", "SPANISH", "FRENCH", "GERMAN", "PORTUGUESE", "ITALIAN", "DUTCH",
    "INDONESIAN", "TAGALOG", "SWAHILI", "TURKISH", "POLISH", "ROMANIAN", "VIETNAMESE",
    "HINDI", "MARATHI", "URDU", "PERSIAN", "ARABIC", "RUSSIAN", "UKRAINIAN",
    "CHINESE", "JAPANESE",
)

# For short Latin text (a topic, one line of dialogue) trigram statistics over
# two dozen languages are noise ("Why do leaves change colour in autumn?" reads
# as Tagalog); among the Latin-script languages we voice they are reliable.
_CORE_LATIN = ("ENGLISH", "SPANISH", "FRENCH", "GERMAN", "PORTUGUESE", "ITALIAN", "DUTCH")
SHORT_TEXT = 120  # characters; lingua's own threshold for "short"

_lock = threading.Lock()
_detectors: dict[str, object] = {}


def detector(kind: str = "wide"):
    """A process-wide lingua detector, built on first use: "wide" (every language
    we recognise) or "core" (the Latin-script languages we voice)."""
    found = _detectors.get(kind)
    if found is None:
        with _lock:
            found = _detectors.get(kind)
            if found is None:
                from lingua import Language, LanguageDetectorBuilder

                names = _LINGUA_LANGUAGES if kind == "wide" else _CORE_LATIN
                langs = [getattr(Language, name) for name in names]
                found = LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()
                _detectors[kind] = found
    return found


def _iso(language) -> str:
    return language.iso_code_639_1.name.lower()


def lingua_confidences(text: str) -> list[tuple[str, float]]:
    """(iso code, confidence) best first; empty when lingua cannot tell."""
    latin = dominant_writing_system(text)[0] == "Latin"
    if latin:
        # The languages we voice first: their models are few and load fast. The wide
        # set is consulted only for long text they do not explain.
        ranked = _ranked(detector("core"), text)
        if len(text) < SHORT_TEXT or (ranked and ranked[0][1] >= 0.8):
            return ranked
    return _ranked(detector("wide"), text)


def _ranked(det, text: str) -> list[tuple[str, float]]:
    values = det.compute_language_confidence_values(text)
    return [(_iso(v.language), float(v.value)) for v in values if v.value > 0]


# Common Hindi words as people type them in Latin letters. Words that are also
# common English words ("the", "do", "me", "to", "is") are left out on purpose,
# so English text never scores.
ROMAN_HINDI = frozenset(
    """
    hai hain haina nahi nahin nhi kya kyaa kyun kyon kyu kaise kaisa kaisi kahan kahaan kab kaun kitna kitni
    main mein mera meri mere mujhe mujhko hum hamara hamari humein tum tumhara tumhari tumhe tumhen aap aapka
    aapki aapko tera teri tere tujhe yeh ye woh wo voh uska uski uske unka unki unke iska iski apna apni apne
    ka ki ke ko se par aur lekin magar phir sirf bhi toh bas thoda zyada bahut accha achha acha theek thik
    haan haa nahin ji raha rahi rahe tha thi hoon hun hu ho gaya gayi gaye karo karna karta karti kar kiya
    dekho dekh suno sun bolo bol chalo chal jao jaa jaana aao aaja abhi kal aaj yahan wahan idhar udhar
    ghar paani pani khana beta beti maa amma papa baba bhai behen didi dost yaar pyaar pyar zindagi dil
    sab log raat din subah shaam baarish jaldi mat wala wali waale kyunki sach jhooth ekdum bilkul
    samjha samjhe samjho pata chahiye sakta sakti milega milegi batao bata dekhna rukh ruko
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENGLISH_FUNCTION = frozenset("the a an is are was were of and to in on at it you i he she we they this that with for".split())


def romanized_hindi_score(text: str) -> tuple[int, int, int]:
    """(Hindi lexicon hits, English function-word hits, words)."""
    words = [w.lower() for w in _WORD.findall(text)]
    hindi = sum(1 for w in words if w in ROMAN_HINDI)
    english = sum(1 for w in words if w in _ENGLISH_FUNCTION)
    return hindi, english, len(words)


def is_romanized_hindi(text: str, *, min_hits: int = 3) -> bool:
    hindi, english, words = romanized_hindi_score(text)
    if words == 0:
        return False
    return hindi >= min(min_hits, words) and hindi / words >= 0.3 and hindi > 2 * english


@dataclass(frozen=True)
class Guess:
    """A language decision while it is being made (LanguageGuess is the stored form)."""

    language: str
    confidence: float
    writing_system: str
    romanized: bool = False

    def model(self) -> LanguageGuess:
        return LanguageGuess(
            language=self.language,
            confidence=round(self.confidence, 4),
            writing_system=self.writing_system,
            romanized=self.romanized,
        )


def _from_writing_system(text: str, system: str, share: float) -> Guess | None:
    if system in SCRIPT_LANGUAGE:
        return Guess(SCRIPT_LANGUAGE[system], share, system)
    if system == "Japanese":
        return Guess("ja", share, system)
    if system == "Han":
        return Guess("zh", share, system)
    if system == "Devanagari":
        # Hindi unless lingua is sure of Marathi (Nepali is not in lingua; it reads as Hindi).
        conf = dict(lingua_confidences(text))
        if conf.get("mr", 0.0) >= 0.8:
            return Guess("mr", conf["mr"] * share, system)
        return Guess("hi", max(conf.get("hi", 0.0), 1.0 - conf.get("mr", 0.0)) * share, system)
    return None


# Codes a user's hint may name: what lingua knows here, what a writing system decides, and
# the Indian languages lingua lacks. "auto" (or nothing) asks for detection; any other code is
# refused rather than silently ignored, so a typo never renders a film in the wrong voice.
AUTO = frozenset({"", "auto", "detect"})
KNOWN_LANGUAGES = frozenset(
    "en es fr de pt it nl id tl sw tr pl ro vi hi mr ur fa ar ru uk zh ja ko ta te bn pa gu kn ml or si th he el "
    "ka hy ne".split()
)


def normalize_hint(language: str | None) -> str | None:
    """"en-US", " HI ", "ta_IN" -> "en", "hi", "ta"; "auto" or empty -> None; unknown -> BadInputError."""
    if not language or language.strip().lower() in AUTO:
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    if code not in KNOWN_LANGUAGES:
        from filmstudio.errors import BadInputError

        raise BadInputError(f"unsupported language {language.strip()[:16]!r}; use an ISO 639-1 code such as en, hi, "
                            f"ta, te, bn, es, or auto", code="UNSUPPORTED_LANGUAGE")
    return code


def detect_language(text: str, *, hint: str | None = None) -> LanguageGuess:
    """The language of a whole script (or of any text long enough to judge)."""
    return _detect(text, hint=hint, min_words_for_lingua=1).model()


def _detect(text: str, *, hint: str | None, min_words_for_lingua: int) -> Guess:
    system, share = dominant_writing_system(text)
    if share == 0.0:
        return Guess(hint or "en", 0.0, "Latin")
    guess = _from_writing_system(text, system, share)
    if guess is None and system == "Latin" and is_romanized_hindi(text):
        hits, _, words = romanized_hindi_score(text)
        guess = Guess("hi", min(1.0, 0.5 + hits / words), system, romanized=True)
    if guess is None:
        ranked = lingua_confidences(text) if len(_WORD.findall(text)) >= min_words_for_lingua else []
        if ranked:
            language, confidence = ranked[0]
            guess = Guess(language, confidence * share, system)
        else:
            guess = Guess(hint or "en", 0.0, system)
    if hint and hint != guess.language:
        return _apply_hint(text, guess, hint, system)
    return guess


def _apply_hint(text: str, guess: Guess, hint: str, system: str) -> Guess:
    """The user's hint wins unless the writing system rules it out (a Tamil hint on Devanagari text)."""
    hint_systems = {lang: s for s, lang in SCRIPT_LANGUAGE.items()}
    hint_systems.update({"hi": "Devanagari", "mr": "Devanagari", "zh": "Han", "ja": "Japanese", "ar": "Arabic",
                         "ur": "Arabic", "fa": "Arabic", "ru": "Cyrillic", "uk": "Cyrillic"})
    expected = hint_systems.get(hint, "Latin")
    if expected != system and not (hint == "hi" and system == "Latin"):
        return guess
    if system == "Latin" and hint == "hi":
        hits, _, words = romanized_hindi_score(text)
        return Guess("hi", hits / words if words else 0.0, system, romanized=True)
    ranked = dict(lingua_confidences(text)) if system in ("Latin", "Arabic", "Cyrillic", "Devanagari") else {}
    return Guess(hint, ranked.get(hint, guess.confidence if guess.language == hint else 0.0), system)


# Function words of the Latin-script languages we voice: a line whose function
# words are the script's own needs no statistical model (the quick check that
# keeps per-line detection cheap).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the a an and of to is are was were in on at it you i he she we they this that with for not "
                    "have has do does my your his her what why how where".split()),
    "es": frozenset("el la los las un una y de que en es son no por para con se lo su mi tu qué por qué cómo "
                    "dónde está estoy".split()),
    "fr": frozenset("le la les un une et de des du que qui est sont ne pas pour avec je tu il elle nous vous "
                    "ce cette mon ton".split()),
    "de": frozenset("der die das ein eine und ist sind nicht ich du er sie wir mit für auf zu den dem".split()),
    "pt": frozenset("o a os as um uma e de do da que é são não para com se eu você ele ela meu".split()),
    "it": frozenset("il lo la i gli le un una e di che è sono non per con io tu lui lei mio".split()),
}


def _function_word_votes(text: str) -> dict[str, int]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {lang: sum(1 for w in words if w in vocab) for lang, vocab in _FUNCTION_WORDS.items()}


# Below this many words lingua's answer for a line is noise; the line keeps the script's language.
LINE_MIN_WORDS = 4
LINE_MIN_CONFIDENCE = 0.9


def detect_line_language(text: str, script: LanguageGuess) -> Guess:
    """The language of one line of a script whose language is already known.

    Cheap by design: the writing system is checked first, and lingua runs only
    for a Latin (or Arabic/Cyrillic) line of a few words, whose answer must be
    confident to override the script's language.
    """
    system, share = dominant_writing_system(text)
    if share == 0.0:
        return Guess(script.language, script.confidence, script.writing_system, script.romanized)
    if system != script.writing_system:
        return _detect(text, hint=None, min_words_for_lingua=LINE_MIN_WORDS)
    if system != "Latin":
        if system in SCRIPT_LANGUAGE or system in ("Han", "Japanese"):
            return Guess(script.language, share, system)
        # Devanagari/Arabic/Cyrillic: the script's language unless the line clearly says otherwise.
    words = len(_WORD.findall(text))
    if system == "Latin":
        if is_romanized_hindi(text, min_hits=2):
            hits, _, n = romanized_hindi_score(text)
            return Guess("hi", min(1.0, 0.5 + hits / n), system, romanized=True)
        if script.romanized:
            return Guess(script.language, script.confidence, system, True)
    if words < LINE_MIN_WORDS:
        return Guess(script.language, script.confidence, system, script.romanized)
    if system == "Latin" and script.language in _FUNCTION_WORDS:
        votes = _function_word_votes(text)
        own = votes[script.language]
        if own and own >= max(votes.values()):
            return Guess(script.language, script.confidence, system, script.romanized)
    ranked = lingua_confidences(text)
    if not ranked:
        return Guess(script.language, script.confidence, system, script.romanized)
    top, conf = ranked[0]
    if top != script.language and conf >= LINE_MIN_CONFIDENCE:
        return Guess(top, conf, system)
    return Guess(script.language, dict(ranked).get(script.language, conf), system, script.romanized)
