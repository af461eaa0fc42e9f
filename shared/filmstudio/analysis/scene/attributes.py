"""Scene attributes from the words of the scene: setting, time, weather, mood, cues, props, subjects.

Weather and mood are read from the affirmed clauses only: "The storm has passed."
names a storm and asserts none (`filmstudio.vocabulary.negation`).
"""

from __future__ import annotations

from filmstudio.analysis.scene.lexicons import (
    CAMERA_CUES, MOOD_CALM, MOOD_INTENSE, MOOD_NEGATIVE, MOOD_POSITIVE, PROPS, SETTING_PRIORITY, SETTINGS,
    SOUND_CUES, TIME_OF_DAY, WEATHER,
)
from filmstudio.models.plan import Mood
from filmstudio.vocabulary import affirmed, subjects_in  # noqa: F401 - subjects_in is part of this module's API


def setting_of(location: str, text: str) -> str | None:
    """The landscape class: from the heading's location when it names one, else from the scene's text."""
    for source in (location, text):
        found = SETTINGS.classes(source)
        if found:
            return min(found, key=SETTING_PRIORITY.index)
    return None


def time_of_day_in(text: str) -> str | None:
    found = [tod for _, tod, _ in TIME_OF_DAY.finditer(text)]
    # "day" is said in passing ("one day"); a named part of the day is a better signal.
    specific = [t for t in found if t != "DAY"]
    return specific[0] if specific else (found[0] if found else None)


def weather_in(text: str) -> list[str]:
    return WEATHER.classes(affirmed(text))


def sound_cues_in(text: str) -> list[str]:
    return SOUND_CUES.classes(text)


def camera_cues_in(text: str) -> list[str]:
    return CAMERA_CUES.classes(text)


def props_in(text: str) -> list[str]:
    return PROPS.classes(text)[:12]


def mood_of(text: str, weather: list[str]) -> Mood:
    text = affirmed(text)
    pos = len(MOOD_POSITIVE.hits(text))
    neg = len(MOOD_NEGATIVE.hits(text))
    hot = len(MOOD_INTENSE.hits(text)) + text.count("!") // 2 + (1 if "storm" in weather else 0)
    calm = len(MOOD_CALM.hits(text))
    valence = (pos - neg) / max(3, pos + neg)
    energy = (hot - calm) / max(3, hot + calm)
    valence = max(-1.0, min(1.0, round(valence, 2)))
    energy = max(-1.0, min(1.0, round(energy, 2)))
    if energy > 0.3 and valence < -0.15:
        label = "tense"
    elif energy > 0.3 and valence > 0.15:
        label = "joyful"
    elif valence < -0.15:
        label = "melancholic"
    elif valence > 0.15:
        label = "warm"
    elif energy > 0.3:
        label = "energetic"
    elif energy < -0.15:
        label = "calm"
    else:
        label = "neutral"
    return Mood(label=label, valence=valence, energy=energy)
