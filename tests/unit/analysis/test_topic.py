"""A bare topic becomes a narrated explainer: hook, three to five beats, close."""

from __future__ import annotations

import pytest

from filmstudio.analysis import analyze


@pytest.mark.parametrize(
    ("topic", "language"),
    [
        ("How does a volcano erupt?", "en"),
        ("Why is the sea salty", "en"),
        ("चावल कैसे उगाया जाता है?", "hi"),
        ("மழை எப்படி பெய்கிறது?", "ta"),
        ("వర్షం ఎలా పడుతుంది?", "te"),
        ("বৃষ্টি কীভাবে হয়?", "bn"),
        ("¿Cómo se hace el pan, desde el trigo hasta la mesa?", "es"),
    ],
)
def test_explainer_structure(topic, language):
    a = analyze(topic)
    assert a.format == "topic" and a.language.language == language
    assert a.scenes[0].heading == "HOOK" and a.scenes[-1].heading == "CLOSE"
    beats = a.scenes[1:-1]
    assert 3 <= len(beats) <= 5
    assert [c.id for c in a.characters] == ["narrator"] and a.characters[0].is_narrator
    for scene in a.scenes:
        assert len(scene.lines) == 1 and scene.lines[0].character_id == "narrator"
        assert scene.lines[0].language == language
        assert scene.action and scene.action[0]  # what the storyboard draws
    # The hook is the topic itself, in the user's words.
    assert a.scenes[0].lines[0].text.rstrip("?") == topic.strip().rstrip("?")


def test_explainer_is_deterministic_and_uses_the_topic():
    one = analyze("How long does it take to grow rice, from seed to harvest?")
    two = analyze("How long does it take to grow rice, from seed to harvest?")
    assert one.model_dump() == two.model_dump()
    spoken = " ".join(s.lines[0].text for s in one.scenes)
    visuals = " ".join(s.action[0] for s in one.scenes)
    assert "seed" in spoken and "harvest" in spoken and "rice" in spoken
    assert "field" in visuals and one.scenes[1].setting == "field"
    assert len(one.scenes) == 7  # a from-to topic gets a beginning and an end beat


def test_two_sentences_are_not_a_topic():
    assert analyze("The old man sat by the river. He waited for the boat.").format == "prose"
