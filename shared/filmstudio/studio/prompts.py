"""Prompts from the plan: what each studio model is asked for, in words it was trained on.

Everything comes from the plan (setting, time of day, weather, mood, framing, the
character bible, cultural context), so the same plan always asks for the same
pictures, voices and music, and the prompt is part of what the artifact hash covers.
"""

from __future__ import annotations

from filmstudio.models.plan import Character, Plan, Scene, Shot

NEGATIVE = ("blurry, low quality, deformed hands, extra fingers, disfigured face, watermark, text, logo, "
            "signature, cropped, jpeg artifacts, duplicate person")
MOTION_NEGATIVE = "worst quality, inconsistent motion, blurry, jittery, distorted, morphing face"

_FRAMING = {"wide": "wide establishing shot", "medium": "medium shot", "close": "close-up portrait shot"}
_TIME = {"DAY": "daylight", "NIGHT": "night, moonlight", "DAWN": "dawn, first light", "DUSK": "dusk, golden hour",
         "MORNING": "soft morning light", "EVENING": "warm evening light", "CONTINUOUS": ""}
_CAMERA = {"push_in": "the camera slowly pushes in", "pull_out": "the camera slowly pulls back",
           "pan_left": "the camera pans left", "pan_right": "the camera pans right",
           "tilt_up": "the camera tilts up", "tilt_down": "the camera tilts down",
           "static": "the camera holds still, subtle natural movement"}
_REGION = {"south_india": "South Indian", "north_india": "North Indian", "east_india": "Bengali",
           "india": "Indian", "latin_america": "Latin American", "spain": "Spanish"}
_REGION_MUSIC = {
    "south_india": "Carnatic instruments, veena, mridangam, flute, tanpura drone",
    "north_india": "Hindustani instruments, sitar, tabla, bansuri, tanpura drone",
    "east_india": "Bengali folk instruments, esraj, dotara, tabla, flute",
    "india": "Indian classical instruments, sitar, tabla, bansuri, tanpura drone",
    "latin_america": "Latin American instruments, nylon guitar, charango, light percussion",
    "spain": "Spanish guitar, cajon, palmas",
}


def _place(scene: Scene) -> str:
    bits = ["interior" if scene.interior else "exterior" if scene.interior is not None else "",
            scene.location.lower(), scene.setting or ""]
    return ", ".join(b for b in bits if b)


def culture(scene: Scene) -> str:
    region = _REGION.get(scene.cultural_context.region or "", "")
    tradition = (scene.cultural_context.tradition or "").replace("_", " ")
    return ", ".join(b for b in (f"{region} setting" if region else "", tradition) if b)


def character_description(c: Character, scene: Scene | None = None) -> str:
    age = f"{c.age} year old" if c.age else (c.age_group or "")
    who = " ".join(b for b in (age, c.gender and ("woman" if c.gender == "female" else "man")
                                if c.age_group not in ("child", "teen") else c.gender and
                                ("girl" if c.gender == "female" else "boy")) if b) or "person"
    region = _REGION.get((scene.cultural_context.region if scene else None) or "", "")
    parts = [f"{c.name}, a {region + ' ' if region else ''}{who}", c.description]
    return ", ".join(p for p in parts if p)


def storyboard_prompt(plan: Plan, scene: Scene, shot: Shot) -> str:
    cast = [plan.character(cid) for cid in shot.characters if any(c.id == cid for c in plan.characters)]
    parts = [
        "cinematic film still",
        _FRAMING.get(shot.framing, ""),
        shot.description or (scene.action[0] if scene.action else scene.heading),
        *(character_description(c, scene) for c in cast),
        _place(scene),
        _TIME.get(scene.time_of_day or "", ""),
        ", ".join(scene.weather),
        f"{scene.mood.label} mood" if scene.mood.label != "neutral" else "",
        culture(scene),
        "35mm, detailed, natural colours",
    ]
    return ", ".join(p.strip() for p in parts if p and p.strip())


def reference_prompt(c: Character, scene: Scene | None = None) -> str:
    return (f"character reference portrait, {character_description(c, scene)}, looking at the camera, "
            "neutral background, soft studio light, head and shoulders, detailed face")


def motion_prompt(plan: Plan, scene: Scene, shot: Shot) -> str:
    return f"{storyboard_prompt(plan, scene, shot)}. {_CAMERA.get(shot.camera, _CAMERA['static'])}."


def music_prompt(scene: Scene) -> str:
    m = scene.mood
    tempo = "fast tempo" if m.energy > 0.3 else "slow tempo" if m.energy < -0.2 else "moderate tempo"
    colour = "bright, hopeful" if m.valence > 0.2 else "melancholic, minor key" if m.valence < -0.2 else "reflective"
    instruments = _REGION_MUSIC.get(scene.cultural_context.region or "", "strings, piano, soft pads")
    parts = ["instrumental film score", f"{m.label} mood", colour, tempo, instruments,
             (scene.cultural_context.tradition or "").replace("_", " "), ", ".join(scene.sound_cues)]
    return ", ".join(p for p in parts if p)


def voice_description(c: Character) -> str:
    """Indic Parler-TTS speaks as it is described; one description per character, for every line."""
    v = c.voice
    who = {"child": "A child", "teen": "A teenage", "elder": "An elderly"}.get(c.age_group or "", "An adult")
    gender = {"female": "female", "male": "male"}.get(c.gender or "", "")
    pitch = "high-pitched" if v.pitch >= 65 else "low-pitched" if v.pitch <= 35 else "moderate-pitched"
    pace = "fast" if v.rate >= 185 else "slow" if v.rate <= 140 else "moderate"
    return (f"{who} {gender} speaker with a {pitch} voice speaks at a {pace} pace, clearly, "
            "in a close-sounding recording with very little background noise.").replace("  ", " ")
