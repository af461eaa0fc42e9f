"""Prose in several languages: scenes, quoting conventions, attribution."""

from __future__ import annotations

import pytest

from filmstudio.analysis import analyze
from filmstudio.analysis.parsers.prose_text import segments


def _speakers(a):
    names = {c.id: c.name for c in a.characters}
    return [(names[ln.character_id], ln.text) for s in a.scenes for ln in s.lines
            if not next(c for c in a.characters if c.id == ln.character_id).is_narrator]


@pytest.mark.parametrize(
    ("paragraph", "spoken"),
    [
        ("“Come here,” she said.", ["Come here,"]),
        ('"Come here," she said.', ["Come here,"]),
        ("« Viens ici », dit-elle.", ["Viens ici"]),
        ("„Komm her“, sagte sie.", ["Komm her"]),
        ("「こっちに来て」と彼女は言った。", ["こっちに来て"]),
        ("—Ven aquí —dijo ella—. Ahora mismo.", ["Ven aquí", ". Ahora mismo."]),
    ],
)
def test_quoting_conventions(paragraph, spoken):
    assert [s.text for s in segments(paragraph) if s.kind == "speech"] == spoken


def test_english_attribution_and_pronouns():
    text = """The Bridge

Anna, a young woman in a red coat, waited on the bridge. Her brother Tom came late, as always.

"You said six," Anna said.

"I said six-ish," he replied, grinning.

She laughed. "Six-ish is not a time."
"""
    a = analyze(text)
    assert a.title == "The Bridge" and a.format == "prose"
    assert _speakers(a) == [
        ("Anna", "You said six,"), ("Tom", "I said six-ish,"), ("Anna", "Six-ish is not a time."),
    ]
    by_name = {c.name: c for c in a.characters}
    assert by_name["Anna"].gender == "female" and by_name["Tom"].gender == "male"


def test_unattributed_quote_goes_to_the_narrator():
    a = analyze("Night fell over the valley and the wind rose.\n\n\"Nobody came back that winter.\"\n")
    narrator = next(c for c in a.characters if c.is_narrator)
    assert narrator.id == "narrator"
    assert all(ln.character_id == "narrator" for s in a.scenes for ln in s.lines)


def test_hindi_attribution():
    text = """रात की बात

सुनीता दीदी रसोई में रोटियाँ बना रही थीं। छोटा भाई अमर दौड़ता हुआ आया।

"दीदी, बाहर बहुत तेज़ बारिश हो रही है!" अमर ने घबराकर कहा।

"डरो मत, खिड़की बंद कर दो," सुनीता बोली।
"""
    a = analyze(text)
    assert a.language.language == "hi"
    assert [s for s, _ in _speakers(a)] == ["अमर", "सुनीता"]
    by_name = {c.name: c for c in a.characters}
    assert by_name["सुनीता"].gender == "female"
    assert by_name["अमर"].id == "amar"


def test_tamil_attribution_and_gender_from_the_verb():
    text = """"நான் கடைக்குப் போகிறேன்," என்று வள்ளி சொன்னாள்.

"சீக்கிரம் வா," என்று பாலு சொன்னான்.
"""
    a = analyze(text)
    assert a.language.language == "ta"
    assert [s for s, _ in _speakers(a)] == ["வள்ளி", "பாலு"]
    assert {c.name: c.gender for c in a.characters} == {"வள்ளி": "female", "பாலு": "male"}


def test_telugu_and_bengali_attribution():
    te = analyze('"నేను వస్తున్నాను," అని లత చెప్పింది.\n\n"సరే," అని గోపి అన్నాడు.\n')
    bn = analyze('"চলো বাজারে যাই," রিনা বলল।\n\n"এখন না," সুমন উত্তর দিল।\n')
    assert [s for s, _ in _speakers(te)] == ["లత", "గోపి"]
    assert {c.name: c.gender for c in te.characters if not c.is_narrator} == {"లత": "female", "గోపి": "male"}
    assert [s for s, _ in _speakers(bn)] == ["রিনা", "সুমন"]


def test_spanish_dashes_and_pronoun_attribution():
    text = """El puerto

Un viejo pescador, don Andrés, remendaba sus redes. Marta, su nieta de doce años, lo miraba.

—Abuelo, ¿mañana saldremos? —le preguntó.

—Si Dios quiere —respondió don Andrés—. Y si el viento calma.
"""
    a = analyze(text)
    speakers = _speakers(a)
    assert speakers[1] == ("Andrés", "Si Dios quiere. Y si el viento calma.")
    assert speakers[0][0] == "Marta"
    by_name = {c.name: c for c in a.characters}
    assert by_name["Andrés"].gender == "male" and by_name["Andrés"].age_group == "elder"
    assert by_name["Marta"].age == 12 and by_name["Marta"].age_group == "child"
    assert "don Andrés" in by_name["Andrés"].aliases


def test_scenes_split_at_changes_of_time_and_place():
    text = """Morning came slowly to the village. Ravi fed the goats.

He walked to the well and back.

That night the storm broke over the hills.

* * *

At the railway station, the last train was late.
"""
    a = analyze(text)
    assert len(a.scenes) == 3
    assert [s.time_of_day for s in a.scenes][:2] == ["MORNING", "NIGHT"]
    assert a.scenes[2].setting == "station"


def test_title_line_only_when_short_and_unpunctuated():
    assert analyze("The Well\n\nRavi walked to the well. It was dry.\n").title == "The Well"
    assert analyze("Ravi walked to the well.\n\nIt was dry and he went home again.\n").title == ""


def test_narration_is_read_in_watchable_pieces():
    long_paragraph = " ".join(["The caravan crossed the dunes under a white sky, and the camels groaned."] * 6)
    a = analyze(f"Sand\n\n{long_paragraph}\n")
    narration = [ln for s in a.scenes for ln in s.lines]
    assert len(narration) >= 3
    assert all(ln.est_duration <= 8.0 for ln in narration)


def test_people_named_by_what_they_are():
    text = """The Visitor
Mrs. Sharma opened the door to find a boy of twelve holding a parcel.
"Is this number forty?" asked the boy.
"It is," Mrs. Sharma said. "Who sent you?"
"Dr. Rao," he said.
"Tell Dr. Rao I accept."
"Accept what?"
"""
    a = analyze(text)
    assert [s for s, _ in _speakers(a)] == ["Boy", "Sharma", "Boy", "Sharma", "Boy"]
    by_name = {c.name: c for c in a.characters}
    assert by_name["Sharma"].gender == "female" and "Mrs. Sharma" in by_name["Sharma"].aliases
    assert (by_name["Boy"].gender, by_name["Boy"].age_group) == ("male", "child")
    assert "Rao" not in by_name  # named in speech only: not a character of the scene


def test_an_introduction_names_the_person():
    text = """कक्षा

कक्षा में एक लड़का अकेला बैठा था। उसका नाम सोनू था।

"सोनू," लड़के ने धीरे से कहा।
"""
    a = analyze(text)
    assert _speakers(a) == [("सोनू", "सोनू,")]
    sonu = next(c for c in a.characters if c.name == "सोनू")
    assert (sonu.gender, sonu.age_group) == ("male", "child")


def test_a_person_brought_on_by_an_indefinite_speaks_next():
    text = 'বিকেলে এক বুড়ো বাঁশিওয়ালা গান ধরলেন। "এই বাঁশি আমার বাবার তৈরি," তিনি বললেন।\n'
    a = analyze(text)
    assert [s for s, _ in _speakers(a)] == ["বাঁশিওয়ালা"]
    seller = next(c for c in a.characters if c.name == "বাঁশিওয়ালা")
    assert (seller.gender, seller.age_group) == ("male", "elder")


def test_an_action_right_after_a_quote_names_its_speaker():
    text = """Aunt Mary and her nephew Sam stood among the beans.

"Liar." Aunt Mary stood, brushing soil from her apron. "Fetch the watering can."
"""
    assert [s for s, _ in _speakers(analyze(text))] == ["Mary"]


def test_descriptions_from_appositives():
    a = analyze("Lucía, una violinista de veinte años, esperaba en el andén. “¿Y tú?”, preguntó Lucía.\n\n"
                "Nadie respondió.\n")
    lucia = next(c for c in a.characters if c.name == "Lucía")
    assert lucia.description == "una violinista de veinte años" and lucia.age == 20


def test_japanese_attribution():
    a = analyze("「おはよう」と花子は言った。\n\n「遅いよ」と太郎が答えた。\n")
    assert a.language.language == "ja"
    assert [s for s, _ in _speakers(a)] == ["花子", "太郎"]
    assert all(c.id.isascii() for c in a.characters)


def test_hindi_age_in_words():
    a = analyze('पतंग\n\nदस साल का मोहन छत पर खड़ा था।\n\n"आज मेरी पतंग सबसे ऊपर होगी," मोहन ने कहा।\n')
    mohan = next(c for c in a.characters if c.name == "मोहन")
    assert (mohan.age, mohan.age_group, mohan.gender) == (10, "child", "male")


def test_two_speakers_in_one_paragraph():
    text = 'The old man sat by the water. "Where are you going?" asked Lily. "Home," he said.\n'
    a = analyze(text)
    assert _speakers(a) == [("Lily", "Where are you going?"), ("Old man", "Home,")]
    old = next(c for c in a.characters if c.name == "Old man")
    assert (old.gender, old.age_group) == ("male", "elder")


def test_a_paragraph_is_one_speaker_without_a_new_attribution():
    a = analyze('"It is," Mrs. Sharma said. "Who sent you?"\n')
    assert _speakers(a) == [("Sharma", "It is, Who sent you?")]


def test_a_speaker_who_says_who_they_are():
    text = 'A tall woman with a clipboard was waiting.\n\n"Welcome. I\'m Professor Lin."\n'
    a = analyze(text)
    assert [s for s, _ in _speakers(a)] == ["Lin"]
    assert "Professor Lin" in next(c for c in a.characters if c.name == "Lin").aliases


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"வேலு, சீக்கிரம் வா!" என்று அவன் மனைவி பொன்னி கூப்பிட்டாள்.\n', "பொன்னி"),
        ('"మీరు ఎక్కడికి?" అని ఎదురుగా ఉన్న ఒక ముసలావిడ అడిగింది.\n', "ముసలావిడ"),
        ('"తాతా, ఈ నది?" అని చిన్ను అడిగాడు.\n', "చిన్ను"),
        ('"அம்மா, இன்று என் திருமணம்," என்று மீனா தன் தாயிடம் சொன்னாள்.\n', "மீனா"),
    ],
)
def test_subject_between_quotative_and_verb(text, speaker):
    assert [s for s, _ in _speakers(analyze(text))] == [speaker]


def test_more_speech_verbs_and_titles():
    text = """Nadia packed her books.

"Every Sunday, Papa," Nadia promised.

En el aula, la maestra Julia repartía lápices.

—¿Cómo te llamas? —le preguntó la maestra.
"""
    a = analyze(text)
    assert [s for s, _ in _speakers(a)] == ["Nadia", "Julia"]


def test_a_pronoun_after_a_lead_in_is_its_subject():
    text = ('रहीम चाचा ने चश्मा ठीक किया। "तुम्हारी माँ का लहंगा भी मैंने सिला था," वे मुस्कुराए।\n\n'
            'माँ की आँखें भर आईं। "आपको याद है?" उन्होंने पूछा।\n')
    assert [s for s, _ in _speakers(analyze(text))] == ["रहीम", "माँ"]


def test_time_shift_phrases():
    a = analyze("Luis paró el taxi frente al hospital.\n\nUna semana después, Luis encontró una foto.\n")
    assert len(a.scenes) == 2
    assert not any(c.name == "Una" for c in a.characters)


def test_names_that_only_open_sentences():
    text = """Ada tied the last rope while her brother Emeka watched the sky.

"We should go up," Emeka said.

Ada shook her head. "Grandmother said never leave the boat."

Inside, old Mrs. Bello was lighting lamps.
"""
    a = analyze(text)
    assert [s for s, _ in _speakers(a)] == ["Emeka", "Ada"]
    assert len(a.scenes) == 2  # "Inside," steps into a new place
    assert not any(c.name == "Inside" for c in a.characters)
