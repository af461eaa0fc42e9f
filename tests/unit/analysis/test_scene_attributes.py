"""Scene attributes: setting, time of day, weather, mood, cues, props, culture."""

from __future__ import annotations

import pytest

from filmstudio.analysis import analyze
from filmstudio.analysis.scene.attributes import mood_of, setting_of, time_of_day_in


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
    from filmstudio.analysis.scene.attributes import props_in

    assert "suitcase" not in props_in("ஒரு பையன் ஓடினான்.")


# --- negation and drawable subjects (issue 14) ---------------------------------------------

from filmstudio.analysis.scene.attributes import subjects_in, weather_in  # noqa: E402


@pytest.mark.parametrize("said,named", [
    ("The storm has passed. Bells ring.", "A storm rages over the bay."),
    ("The rain stopped an hour ago.", "The rain lashes the glass."),
    ("She walks out without an umbrella into a day without rain.", "She walks out into the rain."),
    ("तूफ़ान थम गया। घंटियाँ बजती हैं।", "तूफ़ान आ रहा है।"),
    ("baarish ruk gayi thi.", "baarish ho rahi hai."),
    ("புயல் ஓய்ந்தது. மணியோசை கேட்கிறது.", "புயல் வீசுகிறது."),
    ("తుఫాను తగ్గింది.", "తుఫాను వస్తోంది."),
    ("ঝড় থেমে গেছে।", "ঝড় আসছে।"),
    ("La tormenta ya pasó.", "La tormenta golpea el puerto."),
])
def test_a_negated_clause_names_no_weather(said, named):
    assert weather_in(said) == []
    assert weather_in(named) != []


def test_the_demo_harbour_after_the_storm_has_no_storm_and_no_rain():
    from pathlib import Path

    from filmstudio.analysis import analyze

    text = (Path(__file__).resolve().parents[3] / "examples" / "the_lighthouse_keeper.fountain").read_text()
    night, harbour = analyze(text).scenes[1:3]
    assert set(night.weather) >= {"rain", "storm"}
    assert harbour.weather == []
    assert harbour.mood.label != "tense"


def test_negation_takes_back_mood_too():
    assert mood_of("She is no longer afraid.", []).valence >= 0
    assert mood_of("She is afraid.", []).valence < 0


@pytest.mark.parametrize("text,expected", [
    ("An old lighthouse stands above the sea; a boat and a lamp.", ["lighthouse", "boat", "lamp"]),
    ("मंदिर के पास नाव और दीया।", ["temple", "boat", "lamp"]),
    ("mandir ke paas naav aur diya.", ["temple", "boat", "lamp"]),
    ("கோயிலுக்கு அருகில் படகும் விளக்கும்.", ["temple", "boat", "lamp"]),
    ("గుడి దగ్గర పడవ, దీపం.", ["temple", "boat", "lamp"]),
    ("মন্দিরের পাশে নৌকা আর প্রদীপ।", ["temple", "boat", "lamp"]),
    ("Junto al templo, una barca y un farol.", ["temple", "boat", "lamp"]),
])
def test_subjects_are_named_in_every_supported_language(text, expected):
    assert subjects_in(text) == expected


def test_a_subject_said_to_be_absent_is_not_named():
    assert subjects_in("He came back without a boat. No lamp burned.") == []
    assert subjects_in("The boat passed the lighthouse.") == ["boat", "lighthouse"]


def test_scenes_and_shots_carry_the_subjects_they_name():
    from pathlib import Path

    from filmstudio.analysis import analyze
    from filmstudio.planning import make_plan

    text = (Path(__file__).resolve().parents[3] / "examples" / "the_lighthouse_keeper.fountain").read_text()
    plan = make_plan(analyze(text))
    coast, room, harbour = plan.scenes
    assert {"lighthouse", "lamp", "rock"} <= set(coast.subjects)
    assert "radio" in coast.subjects  # named in the dialogue ("the radio says...")
    assert all("lighthouse" in shot.subjects for shot in coast.shots)  # the set stays in every shot
    assert {"harbour", "boat", "bell"} <= set(harbour.subjects)
