"""Who the script names: gender and age from kinship, titles and address; pronouns are never people."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmstudio.analysis import analyze

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _people(text: str) -> dict[str, tuple[str | None, str | None]]:
    return {c.name: (c.gender, c.age_group) for c in analyze(text).characters if not c.is_narrator}


def test_leela_of_the_demo_is_a_grandmother():
    """"SAMEER (12), her grandson" and "Grandma, …" both say who Leela is."""
    cast = {c.id: c for c in analyze((EXAMPLES / "the_lighthouse_keeper.fountain").read_text()).characters}
    assert (cast["leela"].gender, cast["leela"].age_group) == ("female", "elder")
    assert (cast["sameer"].gender, cast["sameer"].age, cast["sameer"].age_group) == ("male", 12, "child")
    # No place is named; their names are the cultural cue for what they wear.
    assert cast["leela"].attire == ["sari"] and cast["sameer"].attire == ["shirt_trousers"]


def test_leela_in_prose_is_a_grandmother():
    text = """The Keeper

Leela climbed the path to the lighthouse with a tin lamp. Her grandson Sameer ran up behind, out of breath.

"Grandma, the radio says a storm is coming!" Sameer shouted.

"Then we light the lamp early," Leela said.
"""
    people = _people(text)
    assert people["Leela"] == ("female", "elder")
    assert people["Sameer"] == ("male", "child")


def test_a_sister_and_her_brother():
    text = "INT. KITCHEN - DAY\n\nANNA and her brother TOM argue over the last biscuit.\n\nANNA\nIt's mine.\n\nTOM\nYou had three.\n"
    people = _people(text)
    assert people["ANNA"][0] == "female" and people["TOM"][0] == "male"


def test_the_listener_of_an_address_word_and_to_herself():
    text = """INT. HUT - NIGHT

RAVI sits by the fire. MALA stirs the pot.

RAVI
Amma, is it ready?

MALA
(to herself)
Always hungry, this one.
"""
    assert _people(text)["MALA"][0] == "female"


@pytest.mark.parametrize(("language", "text", "word", "expected"), [
    ("hi", "दादी ने रोटी बनाई।\n\n“खाना तैयार है,” दादी ने कहा।\n\n“दादी, मैं आया!” राजू बोला।", "दादी", ("female", "elder")),
    ("ta", "பாட்டி அடுப்பருகே அமர்ந்திருந்தாள்.\n\n\"சாப்பிடு\" என்று பாட்டி சொன்னாள்.", "பாட்டி", ("female", "elder")),
    ("te", "అమ్మమ్మ వంట చేస్తోంది.\n\n\"తిను\" అని అమ్మమ్మ అంది.", "అమ్మమ్మ", ("female", "elder")),
    ("bn", "ঠাকুমা উঠোনে বসে ছিলেন।\n\n\"খেয়ে নে,\" ঠাকুমা বললেন।", "ঠাকুমা", ("female", "elder")),
    ("es", "La abuela cocinaba en silencio.\n\n—Come, hijo —dijo la abuela.", "abuela", ("female", "elder")),
    ("en", "Mrs. Bello waited at the door.\n\n\"You're late,\" said Mrs. Bello.", "Bello", ("female", None)),
])
def test_kinship_words_and_titles_in_every_language(language, text, word, expected):
    analysis = analyze(text)
    assert analysis.language.language == language
    person = next(c for c in analysis.characters if word.casefold() in " ".join([c.name, *c.aliases]).casefold())
    assert (person.gender, person.age_group) == expected


# A pronoun or an indefinite in the place a name would stand: it must never become a character.
_NOT_PEOPLE = {
    "en": ("Someone knocked twice.\n\n\"Who is there?\" Maria asked.\n\n\"Open up,\" Someone said. Nobody moved.",
           {"Someone", "Nobody"}),
    "es": ("Alguien llamó a la puerta. Nadie contestó.\n\n—¿Quién es? —preguntó Marta.\n\n"
           "—Abre ya —dijo Alguien desde la calle.", {"Alguien", "Nadie"}),
    "hi": ("किसी ने दरवाज़ा खटखटाया।\n\n“कौन है?” सुधा ने पूछा।\n\n“खोलो,” किसी ने कहा। किसी के हाथ में लालटेन थी।",
           {"किसी", "कौन"}),
    "bn": ("মিনি জানালায় দাঁড়াইয়া ছিল। তাহার মা রান্নাঘরে ছিলেন।\n\n\"কে এল?\" তাহার মা জিজ্ঞাসা করিলেন।\n\n"
           "\"কেউ না,\" মিনি বলিল। তাহার চোখে হাসি।", {"তাহার", "কেউ", "কে"}),
    "ta": ("யாரோ கதவைத் தட்டினார்கள்.\n\n\"யார் அது?\" என்று வள்ளி கேட்டாள்.\n\n"
           "\"நான்தான்,\" என்று யாரோ சொன்னார்கள். அவனுடைய குரல் பழக்கமானது.", {"யாரோ", "யார்", "அவனுடைய"}),
    "te": ("ఎవరో తలుపు తట్టారు.\n\n\"ఎవరు?\" అని లత అడిగింది.\n\n\"నేనే,\" అని ఎవరో అన్నారు. అతని గొంతు తెలిసినదే.",
           {"ఎవరో", "ఎవరు", "అతని"}),
}


@pytest.mark.parametrize("language", sorted(_NOT_PEOPLE))
def test_a_pronoun_or_an_indefinite_is_never_a_character(language):
    text, words = _NOT_PEOPLE[language]
    analysis = analyze(text)
    assert analysis.language.language == language
    names = {n for c in analysis.characters for n in [c.name, *c.aliases]}
    assert not names & words, names
    assert any(not c.is_narrator for c in analysis.characters)  # the named person is still found


def _attire(text: str) -> dict[str, list[str]]:
    return {c.name: c.attire for c in analyze(text).characters if not c.is_narrator}


def test_attire_from_what_the_script_says():
    from filmstudio.analysis.people.attire import ATTIRE

    text = """EXT. HARBOUR - DAWN

RAJU (40s), a fisherman, hauls in his net. MEERA (70s), his mother, in a faded cotton saree, waits on the steps.
NURSE OKAFOR (30s) hurries past.

RAJU
Amma, go home. It is cold.

MEERA
I will go when the boat is tied.

NURSE OKAFOR
Good morning, both of you.
"""
    attire = _attire(text)
    assert attire["RAJU"] == ["fisherman"]
    assert attire["MEERA"] == ["sari"]
    assert attire["NURSE OKAFOR"] == ["uniform"]
    assert all(v in ATTIRE for values in attire.values() for v in values)


def test_attire_defaults_from_role_and_culture():
    tamil = "பாட்டி வீட்டு வாசலில் அமர்ந்திருந்தாள்.\n\n\"சாப்பிட்டாயா?\" என்று பாட்டி கேட்டாள்.\n\n" \
            "\"ஆமாம், பாட்டி,\" என்று முருகன் சொன்னான்."
    assert _attire(tamil)["பாட்டி"] == ["sari"]  # a grandmother in a Tamil village
    school = ("INT./EXT. AUTO RICKSHAW - MORNING\n\nKAVYA (12) clutches a school bag.\n\nKAVYA\nWe'll be late!\n")
    assert _attire(school)["KAVYA"] == ["school_uniform"]
    chile = ("Valparaíso\n\nTomás, un viejo pescador, miraba el mar. Su nieta Inés llegó corriendo.\n\n"
             "—Abuelo, ya vienen los barcos —dijo Inés.\n\n—Ya lo sé, niña —respondió Tomás.")
    attire = _attire(chile)
    assert attire["Tomás"] == ["fisherman"] and attire["Inés"] == ["dress"]


def test_an_unknown_gender_gets_no_gendered_attire():
    attire = _attire("INT. GARAGE - NIGHT\n\nBRICK works under a truck.\n\nBRICK\nPass the wrench.\n")
    assert attire["BRICK"] == ["shirt_trousers"]


def test_case_forms_of_pronouns_are_pronouns_and_names_are_not():
    from filmstudio.analysis.people.kinship import is_not_a_person

    for word in ("किसी", "তাহার", "তাহাদিগকে", "அவனுக்கு", "யாரோ", "ఆమెతో", "ఎవరో", "alguien", "Someone"):
        assert is_not_a_person(word), word
    for word in ("किसान", "हामिद", "মিনি", "কারিগর", "வள்ளி", "లత", "Alguacil", "Sameer"):
        assert not is_not_a_person(word), word
