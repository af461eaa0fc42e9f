"""Plans built by hand, for the engine tests and the engine benchmark: no analysis, no planner,
just the models, so an engine is exercised on exactly the scenes, shots and lines asked for.

`build_plan` takes one `SceneSpec` per scene; `make_plan` is the engine tests' one-look film
(every scene alike). Shots cycle through the framings, cameras and transitions given, counted over
the whole film; the first shot fades in. Lines go round the speaking cast, one speaker after another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from filmstudio.models.plan import (
    Character,
    CulturalContext,
    LanguageGuess,
    Line,
    Mood,
    Plan,
    Scene,
    Shot,
    Voice,
)

WRITING = {"en": "Latin", "hi": "Devanagari", "ta": "Tamil", "te": "Telugu", "bn": "Bengali", "es": "Latin"}

# language -> (the action of a scene, the lines its people say)
TEXTS = {
    "en": ("Meera walks along the river at first light.", ["Where were you all night?", "Looking for the boat."]),
    "hi": ("मीरा सुबह नदी के किनारे चलती है।", ["तुम पूरी रात कहाँ थे?", "नाव ढूँढ रहा था।"]),
    "ta": ("மீரா விடியற்காலையில் ஆற்றங்கரையில் நடக்கிறாள்.", ["இரவு முழுவதும் எங்கே இருந்தாய்?", "படகைத் தேடினேன்."]),
    "te": ("మీరా తెల్లవారుజామున నది ఒడ్డున నడుస్తుంది.", ["రాత్రంతా ఎక్కడ ఉన్నావు?", "పడవ కోసం వెతుకుతున్నాను."]),
    "bn": ("মীরা ভোরবেলা নদীর ধারে হাঁটে। ক্ষ্মা", ["সারা রাত কোথায় ছিলে?", "নৌকা খুঁজছিলাম।"]),
}

FRAMINGS = ["wide", "medium", "close"]
CAMERAS = ["push_in", "pan_right", "static"]


def character(cid: str, gender: str, age_group: str, palette: list[str], seed: int, language: str = "en",
              narrator: bool = False) -> Character:
    return Character(
        id=cid,
        name=cid.title(),
        gender=gender,  # type: ignore[arg-type]
        age_group=age_group,  # type: ignore[arg-type]
        seed=seed,
        palette=palette,
        is_narrator=narrator,
        voice=Voice(language=language, gender=gender, age_group=age_group),  # type: ignore[arg-type]
    )


def default_cast(language: str = "en") -> list[Character]:
    """Meera and Arjun, who speak, and a narrator."""
    return [
        character("meera", "female", "adult", ["#c0392b", "#f1c40f", "#8e44ad"], 11, language),
        character("arjun", "male", "elder", ["#2e86c1", "#1b4f72"], 22, language),
        character("narrator", "male", "adult", ["#777777"], 33, language, narrator=True),
    ]


@dataclass(frozen=True)
class SceneSpec:
    language: str = "en"
    setting: str = "river"
    time_of_day: str = "DAY"
    interior: bool = False
    weather: Sequence[str] = ()
    region: str | None = None
    mood: Mood | None = None
    action: str | None = None  # default: TEXTS[language]'s action
    lines: Sequence[str] = field(default=())  # default: TEXTS[language]'s lines


def _both_then_the_first(k: int, speakers: list[str]) -> list[str]:
    return speakers[:2] if k % 2 == 0 else speakers[:1]


def build_plan(
    scenes: Sequence[SceneSpec],
    *,
    cast: list[Character] | None = None,
    shots: int = 2,
    shot_duration: float = 2.0,
    lines_per_shot: int = 1,
    width: int = 320,
    height: int = 180,
    fps: int = 12,
    transitions: list[str] | None = None,
    framings: list[str] | None = None,
    cameras: list[str] | None = None,
    on_screen: Callable[[int, list[str]], list[str]] = _both_then_the_first,
    language: str | None = None,
    title: str = "Test film",
) -> Plan:
    """A small, complete plan: characters in the bible, scenes with shots and lines, film times set.

    `on_screen(k, speakers)` picks who is in the scene's k-th shot (default: both speakers, then the
    first alone); `language` is the film's (default: the first scene's)."""
    language = language or (scenes[0].language if scenes else "en")
    cast = cast if cast is not None else default_cast(language)
    speakers = [c for c in cast if not c.is_narrator]
    speaker_ids = [c.id for c in speakers]
    transitions = transitions or ["cut"]
    framings = framings or FRAMINGS
    cameras = cameras or CAMERAS
    all_scenes = []
    t = 0.0
    shot_no = 0
    for si, spec in enumerate(scenes):
        sid = f"s{si + 1}"
        desc, texts = TEXTS.get(spec.language, TEXTS["en"])
        desc = spec.action or desc
        texts = list(spec.lines) or texts
        lines: list[Line] = []
        shot_list: list[Shot] = []
        for k in range(shots):
            ids = []
            for _ in range(lines_per_shot):
                n = len(lines)
                lid = f"{sid}-l{n + 1}"
                lines.append(Line(id=lid, scene_id=sid, character_id=speakers[n % len(speakers)].id,
                                  text=texts[n % len(texts)], language=spec.language,
                                  writing_system=WRITING.get(spec.language, "Latin")))
                ids.append(lid)
            shot_list.append(Shot(
                id=f"{sid}-sh{k + 1}", scene_id=sid, index=k, description=desc,
                framing=framings[shot_no % len(framings)],  # type: ignore[arg-type]
                camera=cameras[shot_no % len(cameras)],  # type: ignore[arg-type]
                characters=on_screen(k, speaker_ids), line_ids=ids, duration=shot_duration, start=t,
                transition_in=transitions[shot_no % len(transitions)] if shot_no else "fade_in",  # type: ignore[arg-type]
            ))
            t += shot_duration
            shot_no += 1
        all_scenes.append(Scene(
            id=sid, index=si, heading=f"{'INT' if spec.interior else 'EXT'}. {spec.setting.upper()} - {spec.time_of_day}",
            interior=spec.interior, location=spec.setting, setting=spec.setting,
            time_of_day=spec.time_of_day,  # type: ignore[arg-type]
            weather=list(spec.weather), mood=spec.mood or Mood(), cultural_context=CulturalContext(region=spec.region),
            action=[desc], characters=speaker_ids, lines=lines, language=spec.language, shots=shot_list,
            start=shot_list[0].start, duration=shots * shot_duration,
        ))
    return Plan(
        title=title, format="screenplay",
        language=LanguageGuess(language=language, confidence=1.0, writing_system=WRITING.get(language, "Latin")),
        characters=cast, scenes=all_scenes, width=width, height=height, fps=fps, duration=t,
    )


def make_plan(
    *,
    language: str = "en",
    time_of_day: str = "DAY",
    setting: str = "river",
    interior: bool = False,
    weather: list[str] | None = None,
    region: str | None = None,
    mood: Mood | None = None,
    scenes: int = 1,
    **shape,
) -> Plan:
    """`scenes` alike scenes of one look; `shape` as for build_plan (shots, shot_duration, fps...)."""
    spec = SceneSpec(language=language, setting=setting, time_of_day=time_of_day, interior=interior,
                     weather=tuple(weather or ()), region=region, mood=mood)
    return build_plan([spec] * scenes, language=language, **shape)
