"""The film plan: what the analysis found in a script and how the film will be shot.

`ScriptAnalysis` is the output of the analyze stage (what the script *says*);
`Plan` is the output of the plan stage (how the film *is made*: shots with
durations and film times, and a character bible every engine reads).
Both are versioned, JSON-serialisable and stored in S3 as artifacts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PLAN_SCHEMA_VERSION = "1.0"

ScriptFormat = Literal["screenplay", "prose", "topic"]
AgeGroup = Literal["child", "teen", "adult", "elder"]
Gender = Literal["female", "male"]
TimeOfDay = Literal["DAY", "NIGHT", "DAWN", "DUSK", "MORNING", "EVENING", "CONTINUOUS"]
Framing = Literal["wide", "medium", "close"]
CameraMove = Literal["push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down", "static"]
Transition = Literal["cut", "crossfade", "fade_in", "fade_out"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Voice(_Model):
    """How a character speaks; the speech engine maps it onto its own voices."""

    language: str = "en"  # ISO 639-1 of the voice
    gender: Gender | None = None
    age_group: AgeGroup | None = None
    pitch: int = 50  # eSpeak scale 0..99
    rate: int = 165  # words per minute
    variant: str = ""  # engine-specific voice variant (e.g. eSpeak "f3")


class Character(_Model):
    id: str  # stable slug, e.g. "meera"
    name: str  # display name as the script writes it
    aliases: list[str] = Field(default_factory=list)
    age: int | None = None
    age_group: AgeGroup | None = None
    gender: Gender | None = None
    description: str = ""
    # What they wear, from a fixed vocabulary (analysis/people/attire.py ATTIRE: "sari", "kurta", "dhoti",
    # "school_uniform", "apron", "fisherman", "suit", "shirt_trousers", "dress", "robe", "uniform").
    attire: list[str] = Field(default_factory=list)
    is_narrator: bool = False
    # The character bible: every engine renders this character from these.
    seed: int = 0
    palette: list[str] = Field(default_factory=list)  # hex colours, first is the main one
    voice: Voice = Field(default_factory=Voice)


class Mood(_Model):
    label: str = "neutral"
    valence: float = 0.0  # -1 sad .. +1 happy
    energy: float = 0.0  # -1 calm .. +1 intense


class CulturalContext(_Model):
    region: str | None = None  # e.g. "south_india", "north_india", "latin_america"
    tradition: str | None = None  # e.g. "tamil_hindu_wedding"
    cues: list[str] = Field(default_factory=list)  # the words that led there


class Line(_Model):
    """One spoken line of dialogue (or narration)."""

    id: str  # e.g. "s1-l2"
    scene_id: str
    character_id: str
    text: str  # what is spoken, markup removed
    parenthetical: str | None = None
    extension: str | None = None  # V.O., O.S., CONT'D
    language: str = "en"
    language_confidence: float = 1.0
    writing_system: str = "Latin"
    dual: bool = False  # dual dialogue with the previous line
    est_duration: float = 0.0  # seconds, from the language's speaking rate
    # How many of the scene's action paragraphs come before this line: the plan
    # interleaves action shots and dialogue in script order from it.
    after_action: int | None = None


class Shot(_Model):
    id: str  # e.g. "s1-sh2"
    scene_id: str
    index: int  # within the scene
    description: str = ""  # the action that this shot shows
    framing: Framing = "medium"
    camera: CameraMove = "static"
    characters: list[str] = Field(default_factory=list)  # character ids in frame
    line_ids: list[str] = Field(default_factory=list)  # lines spoken during the shot
    subjects: list[str] = Field(default_factory=list)  # drawable subject ids in frame (filmstudio.vocabulary)
    duration: float = 3.0  # seconds
    start: float = 0.0  # film time, seconds
    transition_in: Transition = "cut"


class Scene(_Model):
    id: str  # e.g. "s1"
    index: int
    heading: str = ""  # the slugline or a title for prose scenes
    number: str | None = None  # forced scene number (#12#)
    interior: bool | None = None
    location: str = ""
    setting: str | None = None  # a landscape class: river, temple, street, room, station...
    time_of_day: TimeOfDay | None = None
    weather: list[str] = Field(default_factory=list)  # rain, storm, fog, snow, wind
    mood: Mood = Field(default_factory=Mood)
    camera_cues: list[str] = Field(default_factory=list)
    sound_cues: list[str] = Field(default_factory=list)
    props: list[str] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)  # drawable subject ids the scene names (filmstudio.vocabulary)
    cultural_context: CulturalContext = Field(default_factory=CulturalContext)
    action: list[str] = Field(default_factory=list)  # action/description paragraphs in order
    characters: list[str] = Field(default_factory=list)  # character ids present
    lines: list[Line] = Field(default_factory=list)
    transition_out: str | None = None  # CUT TO:, FADE OUT. ...
    language: str = "en"
    # Filled by the plan stage:
    shots: list[Shot] = Field(default_factory=list)
    start: float = 0.0
    duration: float = 0.0


class LanguageGuess(_Model):
    language: str  # ISO 639-1
    confidence: float
    writing_system: str = "Latin"
    romanized: bool = False  # e.g. Hindi written in Latin letters


class ScriptAnalysis(_Model):
    """What the analyze stage found in the script."""

    schema_version: str = PLAN_SCHEMA_VERSION
    title: str = ""
    title_page: dict[str, str] = Field(default_factory=dict)
    format: ScriptFormat
    language: LanguageGuess
    characters: list[Character] = Field(default_factory=list)
    scenes: list[Scene] = Field(default_factory=list)


class Plan(_Model):
    """The shooting plan: every downstream stage renders from this alone."""

    schema_version: str = PLAN_SCHEMA_VERSION
    title: str = ""
    format: ScriptFormat
    language: LanguageGuess
    characters: list[Character]
    scenes: list[Scene]
    width: int = 1280
    height: int = 720
    fps: int = 24
    duration: float = 0.0  # seconds, the sum of the scenes

    def character(self, character_id: str) -> Character:
        for c in self.characters:
            if c.id == character_id:
                return c
        raise KeyError(character_id)

    def scene(self, scene_id: str) -> Scene:
        for s in self.scenes:
            if s.id == scene_id:
                return s
        raise KeyError(scene_id)

    def lines(self) -> list[Line]:
        return [line for scene in self.scenes for line in scene.lines]

    def shots(self) -> list[Shot]:
        return [shot for scene in self.scenes for shot in scene.shots]
