"""The character bible: a stable seed, a palette and a voice for every character.

Every engine renders a character from these alone, so they must be the same
on every machine and every run: the seed comes from SHA-256 of the character
id, never from Python's per-process randomised hash().
"""

from __future__ import annotations

import colorsys
import hashlib

from filmstudio.models.plan import Character, Voice

# Speaking rate (words per minute) by age group: children and elders speak slower;
# a small offset by gender keeps a man and a woman of one age from sharing a cadence.
RATE_BY_AGE = {"child": 150, "teen": 170, "adult": 165, "elder": 140, None: 160}
RATE_BY_GENDER = {"female": 5, "male": -5, None: 0}
# eSpeak pitch (0..99) by gender, then shifted by age.
PITCH_BY_GENDER = {"female": 62, "male": 38, None: 50}
PITCH_BY_AGE = {"child": 18, "teen": 8, "adult": 0, "elder": -6, None: 0}
VARIANTS = {"female": ("f1", "f2", "f3", "f4"), "male": ("m1", "m2", "m3", "m4"), None: ("", "")}
NARRATOR_VOICE = {"pitch": 45, "rate": 155, "variant": "m3"}


def stable_seed(key: str) -> int:
    """A 31-bit seed from the key, identical in every process and on every machine."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:4], "big") & 0x7FFFFFFF


def palette(seed: int, *, count: int = 4) -> list[str]:
    """Hex colours around a hue picked by the seed; the first is the character's main colour."""
    hue = (seed % 360) / 360.0
    colours = []
    for k, (dh, light, sat) in enumerate(((0.0, 0.45, 0.65), (0.08, 0.30, 0.55), (0.5, 0.55, 0.45),
                                          (0.0, 0.80, 0.35), (0.92, 0.62, 0.5))[:count]):
        r, g, b = colorsys.hls_to_rgb((hue + dh) % 1.0, light, sat)
        colours.append(f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}")
    return colours


def voice_for(character: Character, language: str) -> Voice:
    if character.is_narrator:
        return Voice(language=language, gender=character.gender, age_group=character.age_group,
                     pitch=NARRATOR_VOICE["pitch"], rate=NARRATOR_VOICE["rate"], variant=NARRATOR_VOICE["variant"])
    seed = stable_seed(character.id)
    gender, age = character.gender, character.age_group
    # A small per-character offset keeps two women of the same age from sounding identical.
    jitter = (seed % 11) - 5
    pitch = max(0, min(99, PITCH_BY_GENDER[gender] + PITCH_BY_AGE[age] + jitter))
    variants = VARIANTS[gender]
    return Voice(language=language, gender=gender, age_group=age, pitch=pitch,
                 rate=RATE_BY_AGE[age] + RATE_BY_GENDER[gender],
                 variant=variants[seed % len(variants)])


def with_bible(character: Character) -> Character:
    seed = stable_seed(character.id)
    out = character.model_copy(deep=True)
    out.seed = seed
    out.palette = palette(seed)
    out.voice = voice_for(character, character.voice.language)
    return out
