"""Scene attributes: setting, time of day, weather, mood, cues, props, culture."""

from __future__ import annotations

import pytest

from filmstudio.analysis import analyze
from filmstudio.analysis.scene_attributes import mood_of, setting_of, time_of_day_in


@pytest.mark.parametrize(
    ("location", "text", "setting"),
    [
        ("VILLAGE POST OFFICE", "", "office"),  # the most specific place wins
        ("HILLTOP TEMPLE", "", "temple"),
        ("RIVERBANK", "", "river"),
        ("", "गाँव के मंदिर में दीये जल रहे थे।", "temple"),
        ("", "லட்சுமி கோயிலுக்கு வந்தாள்.", "temple"),  # a case ending on the noun
        ("", "రైల్వే స్టేషన్ లో జనం.", "station"),
        ("", "La estación estaba vacía.", "station"),
        ("", "The camels crossed the desert at noon.", "desert"),
        ("", "Nothing in particular happens.", None),
    ],
)
def test_setting(location, text, setting):
    assert setting_of(location, text) == setting


@pytest.mark.parametrize(
    ("text", "tod"),
    [
        ("At dawn the boats went out.", "DAWN"),
        ("One day, late in the evening, she returned.", "EVENING"),
        ("रात भर बारिश होती रही।", "NIGHT"),
        ("அதிகாலையில் மதுரை அமைதியாக இருந்தது.", "DAWN"),
        ("காலையில் மழை பெய்தது.", "MORNING"),
        ("సాయంత్రం పొలాల దగ్గర.", "EVENING"),
        ("ভোরবেলা নদীর ঘাটে।", "DAWN"),
        ("Al amanecer, el tren.", "DAWN"),
        ("a medianoche", "NIGHT"),
    ],
)
def test_time_of_day_words(text, tod):
    assert time_of_day_in(text) == tod


def test_mood_has_valence_and_energy():
    happy = mood_of("They laugh and dance at the wedding, happy and together.", [])
    sad = mood_of("She sits alone in the empty house, tears on her face.", [])
    tense = mood_of("The storm roars! He runs, shouting, as lightning hits.", ["storm"])
    assert happy.valence > 0.3 and sad.valence < -0.3
    assert tense.energy > 0.3 and tense.label == "tense"
    assert mood_of("A table. A chair.", []).label == "neutral"


def test_screenplay_scene_attributes():
    text = """EXT. RIVER GHAT - NIGHT

Rain lashes the steps. Thunder. Temple bells ring across the water. A slow push in on the boat. Tilt up to the sky.

RAJ
Come inside!
"""
    scene = analyze(text).scenes[0]
    assert scene.setting == "river" and scene.interior is False and scene.time_of_day == "NIGHT"
    assert {"rain", "storm"} <= set(scene.weather)
    assert {"rain", "thunder", "bells"} <= set(scene.sound_cues)
    assert {"push_in", "tilt_up"} <= set(scene.camera_cues)
    assert "boat" in scene.props


def test_cultural_context_south_indian_temple_wedding():
    text = """கல்யாணம்

காலையில் மதுரை கோயிலில் நாதஸ்வரம் ஒலித்தது. மீனா பட்டுப் புடவை அணிந்து மணமேடையில் அமர்ந்தாள்.

"இன்று நம் திருமணம்," என்று மீனா சொன்னாள்.
"""
    a = analyze(text)
    ctx = a.scenes[0].cultural_context
    assert ctx.region == "south_india"
    assert ctx.tradition == "tamil_hindu_wedding"
    assert ctx.cues  # the words that led there are kept


def test_cultural_context_from_places_and_festivals():
    latin = analyze("INT. KITCHEN IN OAXACA - NIGHT\n\nAn ofrenda for Día de Muertos glows with candles.\n\nLUZ\nYa vienen.\n")
    assert latin.scenes[0].cultural_context.region == "latin_america"
    assert latin.scenes[0].cultural_context.tradition == "dia_de_muertos"
    plain = analyze("INT. OFFICE - DAY\n\nA printer jams.\n\nBOB\nAgain?\n")
    assert plain.scenes[0].cultural_context.region is None  # no cue, no guess


def test_short_indic_stems_do_not_fire_inside_other_words():
    # "கடைசி" (last) begins with "கடை" (shop); "பையன்" (boy) with "பை" (bag).
    assert setting_of("", "கடைசி வரிசையில் பிரியா அமர்ந்திருந்தாள்.") is None
    assert setting_of("", "அவன் கடையில் நின்றான்.") == "market"
    from filmstudio.analysis.scene_attributes import props_in

    assert "suitcase" not in props_in("ஒரு பையன் ஓடினான்.")
