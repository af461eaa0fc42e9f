"""Fountain-style screenplays."""

from __future__ import annotations

from filmstudio.analysis import analyze

SCRIPT = """Title: *The* Ferry
Credit: written by
Author: Test Writer
Contact:
    Somewhere
    test@example.invalid

/* A boneyard scene that must vanish:
INT. DELETED ROOM - DAY

GHOST
Boo.
*/

FADE IN:

EXT. FERRY GHAT - DAWN #7A#

Mist on the water. ASHA (60s), a ferrywoman, unties the rope. [[check the tide tables]] Her son DEV (30s) loads sacks of rice.

ASHA
(without looking up)
You're late *again*.

DEV
The **bus** broke down.

ASHA (CONT'D)
It always does.

> CUT TO:

INT./EXT. FERRY DECK - DAY

Wide shot: the river opens out. A slow push in on Asha at the tiller.

DEV ^
Look, dolphins!

ASHA ^
Look, work!

I/E BOATHOUSE - NIGHT

Rain on the tin roof. Thunder.

ASHA (V.O.)
Forty years on this river, and it still surprises me.

.UNDER THE BRIDGE

>THE END<

@mcCLANE
Yippee.

FADE OUT.
"""


def test_title_page_and_format():
    a = analyze(SCRIPT)
    assert a.format == "screenplay"
    assert a.title == "The Ferry"  # emphasis removed
    assert a.title_page["Author"] == "Test Writer"
    assert a.title_page["Contact"] == "Somewhere\ntest@example.invalid"


def test_boneyard_and_notes_are_stripped():
    a = analyze(SCRIPT)
    everything = " ".join(" ".join(s.action) + " ".join(line.text for line in s.lines) for s in a.scenes)
    assert "Boo" not in everything and "DELETED" not in everything
    assert "tide tables" not in everything
    assert all(c.name != "GHOST" for c in a.characters)


def test_sluglines_of_every_kind():
    a = analyze(SCRIPT)
    assert [s.heading for s in a.scenes] == [
        "EXT. FERRY GHAT - DAWN", "INT./EXT. FERRY DECK - DAY", "I/E BOATHOUSE - NIGHT", "UNDER THE BRIDGE",
    ]
    first, deck, boathouse, bridge = a.scenes
    assert (first.number, first.interior, first.location, first.time_of_day) == ("7A", False, "FERRY GHAT", "DAWN")
    assert deck.interior is None and boathouse.interior is None  # both at once is neither
    assert bridge.time_of_day is None


def test_cues_extensions_parentheticals_and_markup():
    a = analyze(SCRIPT)
    lines = a.scenes[0].lines
    assert [(ln.character_id, ln.text) for ln in lines] == [
        ("asha", "You're late again."), ("dev", "The bus broke down."), ("asha", "It always does."),
    ]
    assert lines[0].parenthetical == "without looking up"
    assert lines[2].extension == "CONT'D"
    vo = a.scenes[2].lines[0]
    assert vo.extension == "V.O." and vo.character_id == "asha"


def test_dual_dialogue():
    deck = analyze(SCRIPT).scenes[1]
    assert [(ln.character_id, ln.dual) for ln in deck.lines] == [("dev", True), ("asha", True)]


def test_transitions_and_centered_text():
    a = analyze(SCRIPT)
    assert a.scenes[0].transition_out == "CUT TO:"
    assert "THE END" in a.scenes[3].action
    assert a.scenes[3].transition_out == "FADE OUT."


def test_forced_character_cue():
    a = analyze(SCRIPT)
    assert any(c.name == "mcCLANE" for c in a.characters)


def test_characters_ages_and_genders_from_the_text():
    a = analyze(SCRIPT)
    by_id = {c.id: c for c in a.characters}
    assert (by_id["asha"].age, by_id["asha"].age_group, by_id["asha"].gender) == (65, "elder", "female")
    assert (by_id["dev"].age, by_id["dev"].age_group, by_id["dev"].gender) == (35, "adult", "male")
    # No evidence, no guess.
    assert by_id["mcclane"].gender is None and by_id["mcclane"].age_group is None


def test_no_narrator_without_narration():
    assert not any(c.is_narrator for c in analyze(SCRIPT).characters)


def test_narrator_cue_is_the_narrator():
    a = analyze("INT. ROOM - DAY\n\nA chair.\n\nNARRATOR (V.O.)\nOnce, there was a chair.\n\nMIA\nNice chair.\n")
    narrator = next(c for c in a.characters if c.is_narrator)
    assert narrator.id == "narrator" and a.scenes[0].lines[0].character_id == "narrator"


def test_aliases_merge_across_case():
    a = analyze("INT. ROOM - DAY\n\nMeera sits.\n\nMEERA\nHello.\n\nmeera walks out. Meera's bag stays.\n\nMEERA\nBye.\n")
    assert [c.id for c in a.characters] == ["meera"]
    assert "Meera" in a.characters[0].aliases


def test_cues_in_indic_scripts_need_the_at_sign():
    text = "INT. घर - रात\n\nबारिश हो रही है।\n\n@राधा\nदरवाज़ा बंद करो।\n\n@मोहन\nअभी करता हूँ।\n"
    a = analyze(text)
    assert a.language.language == "hi"
    assert [c.name for c in a.characters] == ["राधा", "मोहन"]
    assert [c.id for c in a.characters] == ["radha", "mohan"]
    assert a.scenes[0].time_of_day == "NIGHT"  # रात in the heading


def test_page_furniture_and_captions_are_not_story():
    text = """INT. POLICE STATION - NIGHT

SUPER: TWO YEARS LATER
The room is empty.

COP #1
Anybody here?

DR. O'BRIEN
Only me. I have been waiting, and
(MORE)

12.

CONTINUED:

DR. O'BRIEN (CONT'D)
I am tired of waiting.
"""
    a = analyze(text)
    assert [c.name for c in a.characters] == ["COP #1", "DR. O'BRIEN"]
    assert [c.id for c in a.characters] == ["cop-1", "o-brien"]
    scene = a.scenes[0]
    assert scene.action == ["SUPER: TWO YEARS LATER The room is empty."]
    assert [ln.text for ln in scene.lines][-1] == "I am tired of waiting."
    assert all(ln.parenthetical is None for ln in scene.lines)


def test_a_monologue_is_spoken_in_pieces():
    speech = " ".join(["I remember the river when it was clean and the fish came to the steps."] * 5)
    a = analyze(f"EXT. RIVER - DAY\n\nWater.\n\nMEERA\n(quietly)\n{speech}\n")
    lines = a.scenes[0].lines
    assert len(lines) >= 3 and {ln.character_id for ln in lines} == {"meera"}
    assert lines[0].parenthetical == "quietly" and all(ln.parenthetical is None for ln in lines[1:])
    assert all(ln.est_duration <= 8.0 for ln in lines)
    assert " ".join(ln.text for ln in lines) == speech
