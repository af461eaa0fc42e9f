"""Plans built by hand for the engine tests: no analysis, no planner, just the models."""

from __future__ import annotations

import pytest

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

TEXTS = {
    "en": ("Meera walks along the river at first light.", ["Where were you all night?", "Looking for the boat."]),
    "hi": ("मीरा सुबह नदी के किनारे चलती है।", ["तुम पूरी रात कहाँ थे?", "नाव ढूँढ रहा था।"]),
    "ta": ("மீரா விடியற்காலையில் ஆற்றங்கரையில் நடக்கிறாள்.", ["இரவு முழுவதும் எங்கே இருந்தாய்?", "படகைத் தேடினேன்."]),
    "te": ("మీరా తెల్లవారుజామున నది ఒడ్డున నడుస్తుంది.", ["రాత్రంతా ఎక్కడ ఉన్నావు?", "పడవ కోసం వెతుకుతున్నాను."]),
    "bn": ("মীরা ভোরবেলা নদীর ধারে হাঁটে। ক্ষ্মা", ["সারা রাত কোথায় ছিলে?", "নৌকা খুঁজছিলাম।"]),
}


def character(cid: str, gender: str, age_group: str, palette: list[str], seed: int, language: str = "en", narrator: bool = False) -> Character:
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


def make_plan(
    *,
    language: str = "en",
    time_of_day: str = "DAY",
    setting: str = "river",
    interior: bool = False,
    weather: list[str] | None = None,
    region: str | None = None,
    mood: Mood | None = None,
    shots: int = 2,
    shot_duration: float = 2.0,
    lines_per_shot: int = 1,
    width: int = 320,
    height: int = 180,
    fps: int = 12,
    scenes: int = 1,
    transitions: list[str] | None = None,
    framings: list[str] | None = None,
    cameras: list[str] | None = None,
) -> Plan:
    """A small, complete plan: characters in the bible, scenes with shots and lines, film times set."""
    cast = [
        character("meera", "female", "adult", ["#c0392b", "#f1c40f", "#8e44ad"], 11, language),
        character("arjun", "male", "elder", ["#2e86c1", "#1b4f72"], 22, language),
        character("narrator", "male", "adult", ["#777777"], 33, language, narrator=True),
    ]
    desc, texts = TEXTS.get(language, TEXTS["en"])
    all_scenes = []
    t = 0.0
    shot_no = 0
    for si in range(scenes):
        sid = f"s{si + 1}"
        lines: list[Line] = []
        shot_list: list[Shot] = []
        for k in range(shots):
            ids = []
            for j in range(lines_per_shot):
                n = len(lines)
                lid = f"{sid}-l{n + 1}"
                lines.append(
                    Line(
                        id=lid,
                        scene_id=sid,
                        character_id=cast[n % 2].id,
                        text=texts[n % len(texts)],
                        language=language,
                        writing_system=WRITING.get(language, "Latin"),
                    )
                )
                ids.append(lid)
            transition = (transitions or ["cut"])[shot_no % len(transitions or ["cut"])]
            shot_list.append(
                Shot(
                    id=f"{sid}-sh{k + 1}",
                    scene_id=sid,
                    index=k,
                    description=desc,
                    framing=(framings or ["wide", "medium", "close"])[shot_no % len(framings or ["wide", "medium", "close"])],  # type: ignore[arg-type]
                    camera=(cameras or ["push_in", "pan_right", "static"])[shot_no % len(cameras or ["push_in", "pan_right", "static"])],  # type: ignore[arg-type]
                    characters=["meera", "arjun"] if k % 2 == 0 else ["meera"],
                    line_ids=ids,
                    duration=shot_duration,
                    start=t,
                    transition_in=transition if shot_no else "fade_in",  # type: ignore[arg-type]
                )
            )
            t += shot_duration
            shot_no += 1
        all_scenes.append(
            Scene(
                id=sid,
                index=si,
                heading=f"EXT. {setting.upper()} - {time_of_day}",
                interior=interior,
                location=setting,
                setting=setting,
                time_of_day=time_of_day,  # type: ignore[arg-type]
                weather=weather or [],
                mood=mood or Mood(),
                cultural_context=CulturalContext(region=region),
                action=[desc],
                characters=["meera", "arjun"],
                lines=lines,
                language=language,
                shots=shot_list,
                start=shot_list[0].start,
                duration=shots * shot_duration,
            )
        )
    return Plan(
        title="Test film",
        format="screenplay",
        language=LanguageGuess(language=language, confidence=1.0, writing_system=WRITING.get(language, "Latin")),
        characters=cast,
        scenes=all_scenes,
        width=width,
        height=height,
        fps=fps,
        duration=t,
    )


@pytest.fixture
def plan_factory():
    return make_plan
