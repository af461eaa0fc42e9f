"""The cast: characters found in a script, their aliases, and what the text hints about them.

Names are merged on a key that ignores case, accents, honorifics and kinship
words ("MEERA" = "Meera", "don Tomás" = "Tomás", "सुधा अम्मा" = "सुधा").
Age and gender come only from what the text says (an age in a cue, a kinship
word, a pronoun, a verb ending); without evidence they stay None.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from filmstudio.analysis.people.attire import attire_cues, attire_for
from filmstudio.analysis.people.kinship import HINTS, POSSESSIVE_GENDER, owner_of_relation
from filmstudio.analysis.language.transliterate import slugify
from filmstudio.models.plan import AgeGroup, Character, Gender

# HINTS (word -> gender, age group) lives in the kinship lexicon; it is re-exported here.


# Words that decorate a name and are not part of it (the key drops them).
HONORIFICS = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. sir madam lady lord don doña señor señora señorita sr sr. sra sra.
    srta. dona dom senhor senhora monsieur madame mademoiselle herr frau signor signora
    sri shri shree smt श्री श्रीमती कुमारी पंडित ஸ்ரீ திரு திருமதி శ్రీ శ్రీమతి শ্রী শ্রীমতী""".split()
)
_HONORIFICS_BARE = frozenset(h.rstrip(".") for h in HONORIFICS)
KIN_SUFFIXES = frozenset(
    """ji jee amma ammi didi bhai bhaiya dada dadi nani baba mama chacha kaka
    जी अम्मा अम्माँ दीदी भैया भाई दादी दादा नानी नाना बाबा चाचा मौसी काका
    அம்மா அம்மாள் அக்கா அண்ணா அண்ணன் பாட்டி தாத்தா ஐயா
    అమ్మ గారు అక్క అన్న తాత బామ్మ
    দিদি দাদা মা বাবু""".split()
)
_VIRAMAS = "\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d"
# Indic hint words without a final virama, for prefix lookups ("தாய்" in "தாயிடம்").
_INDIC_HINT_STEMS = {k.rstrip(_VIRAMAS): v for k, v in HINTS.items() if any(ord(c) >= 0x0900 for c in k)}

AGE_ADJECTIVES = frozenset(["बूढ़ी", "बूढ़ा", "old", "young", "little", "வயதான", "ముసలి", "বুড়ি", "বুড়ো", "ছোট্ট",
                            "छोटी", "छोटा", "చిన్న", "சின்ன"])
# Family titles used before a name ("Grandpa Joe", "Abuela Rosa", "Uncle Mohan"): the
# same person is called "Joe" elsewhere, so the key drops them like an honorific.
TITLES = frozenset("""grandpa grandma granny gran nana nanna uncle aunt auntie aunty abuela abuelo tía tío tia tio
    nonna nonno mamie papy tante onkel oma opa captain capitán professor inspector detective sergeant colonel
    general judge king queen prince princess lord coach maestra maestro profesor profesora doctora""".split())


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    return "".join(c for c in s if not unicodedata.combining(c) or ord(c) >= 0x0900)


_ARTICLES = frozenset("the a an el la los las un una le l' les une o os as um uma der die das ein eine".split())


def strip_decorations(name: str) -> tuple[str, list[str]]:
    """The name without articles, honorifics, kinship words and age adjectives; and those words."""
    words = name.split()
    dropped: list[str] = []
    while len(words) > 1 and words[0].casefold() in _ARTICLES:
        words.pop(0)  # "la señora" is the same person as "Señora"; an article is no hint
    while len(words) > 1 and (words[0].casefold().rstrip(".") in _HONORIFICS_BARE
                              or words[0].casefold() in AGE_ADJECTIVES or words[0].casefold() in TITLES):
        dropped.append(words.pop(0))
    while len(words) > 1 and (words[-1].casefold() in KIN_SUFFIXES or words[-1] in HONORIFICS):
        dropped.append(words.pop())
    return " ".join(words), dropped


def name_key(name: str) -> str:
    name = re.sub(r"\(.*?\)", "", name)
    name = re.sub(r"['’]s$", "", name.strip())
    core, _ = strip_decorations(name)
    return _fold(core).strip(" .,:;!?")


def age_group_of(age: int) -> AgeGroup:
    if age < 13:
        return "child"
    if age < 20:
        return "teen"
    if age < 60:
        return "adult"
    return "elder"


_NUMBER_WORDS = {
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15,
    "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "veinte": 20, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "पाँच": 5, "पांच": 5, "छह": 6, "सात": 7, "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12, "पंद्रह": 15,
    "सोलह": 16, "अठारह": 18, "बीस": 20, "पच्चीस": 25, "तीस": 30, "चालीस": 40, "पचास": 50, "साठ": 60,
    "सत्तर": 70, "अस्सी": 80, "நூறு": 100, "பத்து": 10, "இருபது": 20, "முப்பது": 30, "நாற்பது": 40, "ஐம்பது": 50,
    "அறுபது": 60, "எழுபது": 70, "எண்பது": 80, "పది": 10, "ఇరవై": 20, "ముప్పై": 30, "నలభై": 40, "యాభై": 50,
    "అరవై": 60, "డెబ్బై": 70, "ఎనభై": 80, "দশ": 10, "বারো": 12, "কুড়ি": 20, "ত্রিশ": 30, "চল্লিশ": 40,
    "পঞ্চাশ": 50, "ষাট": 60, "সত্তর": 70, "আশি": 80,
}
_AGE_PATTERNS = (
    re.compile(r"\((\d{1,2})0s\)"),  # (70s): mid-decade
    re.compile(r"\((\d{1,3})\)"),
    re.compile(r"\b(\d{1,3})[- ]year[- ]old\b", re.I),
    re.compile(r"\baged? (\d{1,3})\b", re.I),
    re.compile(r"\b(\d{1,3}) (?:años|ans|anos|jahre|साल|வயது|సంవత్సరాల|বছর)", re.I),
    re.compile(r"\b([a-zá-ú]+)(?:-| )year-old\b", re.I),
    re.compile(r"\bde ([a-zá-ú]+) años\b", re.I),
    re.compile(r"\bin (?:her|his) ([a-z]+)ies\b", re.I),
    # "दस साल का मोहन", "பத்து வயது", "పది సంవత్సరాల", "দশ বছরের"
    re.compile(r"(\S+)\s+(?:साल|वर्ष|வயது|வயதான|సంవత్సరాల|ఏళ్ల|বছর|বছরের)"),
)


def age_from_text(text: str) -> int | None:
    for i, pattern in enumerate(_AGE_PATTERNS):
        m = pattern.search(text)
        if not m:
            continue
        raw = m.group(1).lower()
        if i == 0:
            return int(raw) * 10 + 5
        if i == 7:
            decade = _NUMBER_WORDS.get(raw + "y")
            return decade + 5 if decade else None
        value = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if value is not None and 0 < value < 120:
            return value
    return None


# Words ending in "man" that say nothing about a man.
_NOT_MAN = frozenset("human humans german germans roman romans shaman caiman ottoman talisman amen omen "
                     "semen stamen women specimen abdomen acumen regimen cayman doberman".split())


_AGENT_SUFFIXES_F = tuple(unicodedata.normalize("NFC", w) for w in ("वाली", "ওয়ালী", "ওয়ালি"))
_AGENT_SUFFIXES = tuple(unicodedata.normalize("NFC", w) for w in ("वाला", "ওয়ালা")) + _AGENT_SUFFIXES_F

# Hint words that mean something else in another language: French/Spanish "son" is "his/her"/"are".
_FALSE_FRIENDS = {"fr": frozenset({"son"}), "es": frozenset({"son"}), "it": frozenset({"son"})}


def hints_in(text: str, language: str | None = None) -> list[tuple[Gender | None, AgeGroup | None, str]]:
    """Kinship, age and gender words in a short stretch of text."""
    out = []
    skip = _FALSE_FRIENDS.get(language or "", frozenset())
    for raw in re.findall(r"[^\s,.;:!?()\"“”«»।'’]+", text):
        if raw.casefold() in skip:
            continue
        hint = HINTS.get(raw.casefold())
        lowered = raw.casefold()
        # Compound nouns (ferrywoman, fisherman, schoolgirl); names like "Carmen" are capitalised.
        if hint is None and raw.islower() and lowered.endswith(("woman", "women", "girl")) and lowered.isascii():
            hint = ("female", "adult" if "woman" in lowered or "women" in lowered else "child")
        elif hint is None and raw.islower() and lowered.endswith(("man", "men", "boy")) and lowered.isascii() and \
                lowered not in _NOT_MAN:
            hint = ("male", "adult" if lowered.endswith(("man", "men")) else "child")
        if hint is None and raw.endswith(_AGENT_SUFFIXES) and len(raw) > 5:
            # "কাবুলিওয়ালা" (the man from Kabul), "चायवाला" (the tea seller): a person by trade or origin.
            hint = ("female", "adult") if raw.endswith(_AGENT_SUFFIXES_F) else ("male", "adult")
        if hint is None and len(raw) > 2 and any(ord(c) >= 0x0900 for c in raw):
            # Indic words carry case endings: "அம்மாவிடம்" is still "அம்மா".
            for end in range(len(raw) - 1, 1, -1):
                hint = _INDIC_HINT_STEMS.get(raw[:end])
                if hint:
                    break
        if hint:
            out.append((hint[0], hint[1], raw))
    return out


_OWNED_RELATION = re.compile(
    r"(?<![\w\u0900-\u0DFF])(" + "|".join(sorted(map(re.escape, POSSESSIVE_GENDER), key=len, reverse=True)) +
    r")\s+(?:(?:old|young|little|elder|younger|older|baby|twin|only|little)\s+)?([^\s,.;:!?()]+)", re.I)


@dataclass
class CastMember:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    age: int | None = None
    age_votes: Counter = field(default_factory=Counter)
    gender_votes: Counter = field(default_factory=Counter)
    description: str = ""
    is_narrator: bool = False
    order: int = 0
    # Each distinct hint word counts once, however often the text repeats "सुधा अम्मा".
    hint_words: set = field(default_factory=set)
    attire_cues: list = field(default_factory=list)  # garments and roles the text names, in order

    def character(self, region: str | None = None, language: str | None = None) -> Character:
        age_group = None
        if self.age is not None:
            age_group = age_group_of(self.age)
        elif self.age_votes:
            # "Mother" or "woman" says adult only loosely; "old" or "grandson" says more.
            votes = {k: (v * 0.5 if k == "adult" else v) for k, v in self.age_votes.items()}
            age_group = max(votes, key=lambda k: votes[k])
        gender = None
        if self.gender_votes:
            (top, n), *rest = self.gender_votes.most_common()
            # A split vote is no evidence.
            if not rest or n > rest[0][1]:
                gender = top
        attire = [] if self.is_narrator else attire_for(self.attire_cues, gender, age_group, region, language,
                                                           self.name)
        return Character(
            id=self.id, name=self.name, aliases=[a for a in self.aliases if a != self.name],
            age=self.age, age_group=age_group, gender=gender, description=self.description,
            attire=attire, is_narrator=self.is_narrator,
        )


NARRATOR_ID = "narrator"
NARRATOR_NAMES = frozenset(["narrator", "narrador", "narradora", "narrateur", "सूत्रधार", "कथावाचक", "கதைசொல்லி",
                            "வர்ணனையாளர்", "వ్యాఖ్యాత", "కథకుడు", "কথক", "ভাষ্যকার"])


class Cast:
    """Registers characters by name and merges aliases; ids are unique slugs."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language  # the script's language, for words that differ between languages
        self._by_key: dict[str, CastMember] = {}
        self._ids: set[str] = set()

    def __contains__(self, name: str) -> bool:
        return name_key(name) in self._by_key

    def get(self, name: str) -> CastMember | None:
        return self._by_key.get(name_key(name))

    def members(self) -> list[CastMember]:
        return sorted({id(m): m for m in self._by_key.values()}.values(), key=lambda m: m.order)

    def names(self) -> set[str]:
        """Every name and alias the cast answers to."""
        return {n for m in self.members() for n in [m.name, *m.aliases]}

    def by_stem(self, word: str) -> CastMember | None:
        """The member whose name `word` is with a case ending: "லட்சுமியின்" is "லட்சுமி"."""
        for member in self.members():
            for name in [member.name, *member.aliases]:
                # A short name ("মা") is the start of too many words ("মামা"); an ending is short.
                if len(name) >= 3 and word.startswith(name) and len(word) - len(name) <= 5:
                    return member
        return None

    def narrator(self) -> CastMember:
        member = self._by_key.get(NARRATOR_ID)
        if member is None:
            member = CastMember(id=NARRATOR_ID, name="NARRATOR", is_narrator=True, order=len(self._by_key))
            self._by_key[NARRATOR_ID] = member
            self._ids.add(NARRATOR_ID)
        return member

    def add(self, name: str, *, display: str | None = None) -> CastMember:
        """The member for `name`, created on first sight."""
        name = re.sub(r"\s+", " ", name).strip()
        key = name_key(name)
        if key in NARRATOR_NAMES:
            member = self.narrator()
            if name not in member.aliases and name != member.name:
                member.aliases.append(name)
            return member
        member = self._by_key.get(key) or self._same_person(key)
        if member is None:
            core, dropped = strip_decorations(name)
            # "don Tomás" shows as "Tomás"; "Old man" stays whole (a description, not a name).
            shown = display or (core if dropped and not name.isupper() and not core[:1].islower() else name)
            member = CastMember(id=self._unique_id(shown), name=shown, order=len(self._by_key))
            self._by_key[key] = member
            # The name itself may say who this is: "ABUELA ROSA", "Grandpa Joe", "OLD TOM".
            self.hint(member, name)
        if name != member.name and name not in member.aliases:
            member.aliases.append(name)
            _, dropped = strip_decorations(name)
            self.hint(member, " ".join(dropped))
        return member

    def _same_person(self, key: str) -> CastMember | None:
        """"Sancho" is "Sancho Panza", and "Sancho Panza" is the "Sancho" met before: a Latin-script
        name that is one word of exactly one other person's full name."""
        words = key.split()
        if not words or any(ord(c) >= 0x0370 for c in key):
            return None
        candidates = {id(m): m for k, m in self._by_key.items() if k != key and not m.is_narrator and (
            (len(words) == 1 and words[0] in k.split() and len(k.split()) > 1) or
            (len(words) > 1 and len(k.split()) == 1 and k == words[0]))}
        if len(candidates) != 1:
            return None
        member = next(iter(candidates.values()))
        self._by_key[key] = member
        return member

    def alias(self, member: CastMember, alias: str) -> None:
        key = name_key(alias)
        if key and key not in self._by_key:
            self._by_key[key] = member
        if alias != member.name and alias not in member.aliases:
            member.aliases.append(alias)

    def _unique_id(self, name: str) -> str:
        base = slugify(strip_decorations(name)[0]) or "character"
        if base == NARRATOR_ID:
            base = "narrator-character"
        candidate, n = base, 2
        while candidate in self._ids:
            candidate, n = f"{base}-{n}", n + 1
        self._ids.add(candidate)
        return candidate

    def hint(self, member: CastMember, text: str, *, weight: int = 1) -> None:
        if not text:
            return
        age = age_from_text(text)
        if age is not None and member.age is None:
            member.age = age
        for cue in attire_cues(text):
            if cue not in member.attire_cues:
                member.attire_cues.append(cue)
        for gender, age_group, word in hints_in(text, self.language):
            if word.casefold() in member.hint_words:
                continue
            member.hint_words.add(word.casefold())
            if gender:
                member.gender_votes[gender] += weight
            if age_group:
                member.age_votes[age_group] += weight

    @staticmethod
    def describe(member: CastMember, appositive: str) -> None:
        """Keep the first appositive that introduces a character ("a retired postmistress in a
        faded cotton saree") as its description: the storyboard draws from it."""
        text = re.sub(r"\(.*?\)", "", appositive).strip(" ,.;:")
        if member.description or not text or len(text.split()) > 14:
            return
        member.description = text

    def hint_owner(self, owner: CastMember, text: str) -> bool:
        """What a relation said of someone else tells about its owner: in "SAMEER, her grandson"
        she, whoever "her" is, is a woman and a grandparent. True if the text held such a relation."""
        found = False
        for m in _OWNED_RELATION.finditer(text):
            said = owner_of_relation(m.group(1), m.group(2))
            if said is None:
                continue
            gender, age = said
            key = f"owner:{m.group(1).casefold()} {m.group(2).casefold()}"
            if key not in owner.hint_words:
                owner.hint_words.add(key)
                if gender:
                    owner.gender_votes[gender] += 1
                if age:
                    owner.age_votes[age] += 1
            found = True
        return found

    @staticmethod
    def vote_gender(member: CastMember, gender: Gender, weight: int = 1) -> None:
        member.gender_votes[gender] += weight

    def characters(self, region: str | None = None) -> list[Character]:
        """Everyone, the narrator last (the cast list reads as the story's people first); the
        script's region sets what people wear when the text does not say."""
        return [m.character(region, self.language)
                for m in sorted(self.members(), key=lambda m: (m.is_narrator, m.order))]
