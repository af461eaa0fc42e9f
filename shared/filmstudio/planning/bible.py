"""The character bible: a stable seed, a palette and a voice for every character.

Every engine renders a character from these alone, so they must be the same
on every machine and every run: the seed comes from SHA-256 of the character
id, never from Python's per-process randomised hash().
"""

from __future__ import annotations

import colorsys
import hashlib

from filmstudio.models.plan import Character, Voice

# One person, one voice: gender and age decide it, from the same fields the storyboard draws
# the figure from. eSpeak NG variants and pitches (0..99) measured on this engine (median f0
# of an English sentence): men about 100 Hz, women about 195, boys and girls 235-270, elders
# slower and, for women, a little lower. An unknown gender gets a voice between men and
# women (about 150 Hz), never a guess at either, as the figure is drawn neither.
# (gender, age) -> (variants to pick from by the seed, pitch, words per minute)
VOICE_TABLE: dict[tuple[str | None, str], tuple[tuple[str, ...], int, int]] = {
    ("male", "child"): (("f1",), 77, 155),
    ("male", "teen"): (("m5", "m2", "m6"), 70, 172),
    ("male", "adult"): (("m3", "m2", "m6", "m7"), 50, 160),
    ("male", "elder"): (("m7", "m4"), 38, 135),
    ("female", "child"): (("f5", "f3"), 80, 160),
    ("female", "teen"): (("f2", "f1"), 66, 176),
    ("female", "adult"): (("f3", "f2", "f1"), 55, 168),
    ("female", "elder"): (("f2", "f1"), 44, 140),
    (None, "child"): (("f4",), 72, 158),
    (None, "teen"): (("f4",), 50, 172),
    (None, "adult"): (("f4",), 34, 164),
    (None, "elder"): (("f4",), 28, 138),
}
# Not eSpeak's "grandma"/"grandpa": their flutter carries state from one utterance to the next,
# so a line would not sound the same twice (nor when lines are synthesised in another order).
PITCH_JITTER = 3  # +- per character, so two women of one age do not sound identical
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
    gender, age = character.gender, character.age_group or age_group_for(character.age)
    variants, pitch, rate = VOICE_TABLE[(gender, age)]
    jitter = (seed % (2 * PITCH_JITTER + 1)) - PITCH_JITTER
    return Voice(language=language, gender=gender, age_group=character.age_group, pitch=max(0, min(99, pitch + jitter)),
                 rate=rate, variant=variants[(seed // 7) % len(variants)])


def age_group_for(age: int | None) -> str:
    """The age group a bare age falls in; no age is an adult."""
    if age is None:
        return "adult"
    return "child" if age < 13 else "teen" if age < 20 else "elder" if age >= 60 else "adult"


def with_bible(character: Character) -> Character:
    seed = stable_seed(character.id)
    out = character.model_copy(deep=True)
    out.seed = seed
    out.palette = palette(seed)
    out.voice = voice_for(character, character.voice.language)
    return out
