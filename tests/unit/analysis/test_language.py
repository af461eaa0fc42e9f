"""Language identification: writing system first, lingua where it must, romanised Hindi on purpose."""

from __future__ import annotations

import pytest

from filmstudio.analysis import analyze
from filmstudio.analysis.language.identify import (
    detect_language, detect_line_language, detector, is_romanized_hindi,
)
from filmstudio.analysis.language.writing_systems import dominant_writing_system


@pytest.mark.parametrize(
    ("text", "system"),
    [
        ("The river is rising.", "Latin"),
        ("नदी का पानी बढ़ रहा है।", "Devanagari"),
        ("ஆறு பெருகுகிறது.", "Tamil"),
        ("నది పొంగుతోంది.", "Telugu"),
        ("নদীর জল বাড়ছে।", "Bengali"),
        ("النهر يفيض", "Arabic"),
        ("川の水が増えている", "Japanese"),
        ("河水在上涨", "Han"),
    ],
)
def test_writing_system_from_unicode_ranges(text, system):
    assert dominant_writing_system(text)[0] == system


def test_danda_does_not_make_bengali_look_like_devanagari():
    name, share = dominant_writing_system("আমি বাড়ি যাব।")
    assert name == "Bengali" and share == 1.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("வா", "ta"),  # one short word: the script decides, not a statistical guess
        ("రా", "te"),
        ("এসো", "bn"),
        ("आओ", "hi"),
        ("Mañana vendrá el tren de las seis, y ella estará esperando en el andén.", "es"),
        ("The lamps flicker while the rain hammers the tin roof of the post office.", "en"),
        ("Chaque matin, la boulangerie ouvre ses portes avant le lever du soleil.", "fr"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text).language == lang


def test_marathi_only_when_lingua_is_sure():
    marathi = "मी उद्या सकाळी शाळेत जाणार आहे आणि माझी आई मला सोडायला येणार आहे."
    hindi = "मैं कल सुबह स्कूल जाऊँगा और मेरी माँ मुझे छोड़ने आएगी।"
    assert detect_language(marathi).language == "mr"
    assert detect_language(hindi).language == "hi"


def test_romanized_hindi_is_recognised_on_purpose():
    guess = detect_language("Arre yaar, tum kahan ja rahe ho? Mujhe bhi saath le chalo, abhi.")
    assert (guess.language, guess.romanized, guess.writing_system) == ("hi", True, "Latin")
    # English prose never scores as Hindi, even with words like "main" in it.
    assert not is_romanized_hindi("The main road is closed, so we take the river path home.")


def test_short_english_question_is_english():
    # Low-accuracy trigram models over many languages call this Tagalog; the core set does not.
    assert detect_language("Why do leaves change colour in autumn?").language == "en"


def test_hint_wins_unless_the_script_rules_it_out():
    assert detect_language("Hola, hola.", hint="es").language == "es"
    assert detect_language("வணக்கம், எப்படி இருக்கிறீர்கள்?", hint="hi").language == "ta"


def test_detector_is_built_once_and_restricted():
    first = detector()
    assert detector() is first
    # Only the languages we need: far fewer than lingua's 75.
    from filmstudio.analysis.language.identify import _LINGUA_LANGUAGES

    assert len(_LINGUA_LANGUAGES) < 30


def test_line_language_in_a_mixed_script():
    script = detect_language("The lamps flicker while the rain hammers the tin roof of the post office.")
    spanish = detect_line_language("¿Dónde está mi hermano? No lo sé todavía.", script)
    tamil = detect_line_language("நான் வருகிறேன்", script)
    short = detect_line_language("Grandma!", script)
    roman = detect_line_language("Arre yaar, tum kahan ja rahe ho?", script)
    assert (spanish.language, tamil.language, short.language, roman.language) == ("es", "ta", "en", "hi")
    assert tamil.writing_system == "Tamil" and roman.romanized


def test_mixed_language_screenplay_lines_carry_their_own_language():
    text = """INT. KITCHEN - NIGHT

PRIYA
We should call your mother before it gets too late.

ABUELA
¿Por qué nadie me llama nunca a mí? Siempre estoy sola en esta casa.

DADI
बेटा, खाना ठंडा हो रहा है, जल्दी आओ।
"""
    a = analyze(text)
    assert a.language.language == "en"
    langs = [(line.language, line.writing_system) for line in a.scenes[0].lines]
    assert langs == [("en", "Latin"), ("es", "Latin"), ("hi", "Devanagari")]
    assert all(0.0 < line.language_confidence <= 1.0 for line in a.scenes[0].lines)


@pytest.mark.parametrize(("hint", "expected"), [("en-US", "en"), (" HI ", "hi"), ("auto", None), ("", None), (None, None)])
def test_hints_are_normalised(hint, expected):
    from filmstudio.analysis.language import normalize_hint

    assert normalize_hint(hint) == expected


@pytest.mark.parametrize("hint", ["xx", "klingon", "e1"])
def test_an_unknown_language_is_refused_not_ignored(hint):
    from filmstudio.errors import BadInputError

    with pytest.raises(BadInputError) as err:
        analyze("Why do leaves change colour in autumn?", language=hint)
    assert err.value.code == "UNSUPPORTED_LANGUAGE"


def test_auto_and_regional_hints_are_understood():
    assert analyze("Why do leaves change colour in autumn?", language="auto").language.language == "en"
    assert analyze("Lo sé, lo sé.", language="es-MX").language.language == "es"
