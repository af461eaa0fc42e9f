"""Who prose narration names: the people of a story as the narration brings them on.

A capitalised run mid-sentence in Latin script ("Grandpa Joe", not "la estación de Valparaíso");
in scripts without capitals, the word before a kinship word that recurs ("सुधा अम्मा"), the agent
of ने, an introduction ("उसका नाम सोनू था") or a person brought on by an indefinite ("an old
man", "এক বুড়ো বাঁশিওয়ালা"). Each joins the one cast (`people.cast`); the latest mentioned are
who a pronoun attribution ("she said") resolves to (`people.attribution`). After the story is
read, the words beside each name say more about the person ("उनका पोता राजू", "Raju, her grandson").
"""

from __future__ import annotations

import re

from filmstudio.analysis.draft import DraftScene
from filmstudio.analysis.parsers.markup import SENTENCE_BREAK as SENTENCES
from filmstudio.analysis.people.cast import AGE_ADJECTIVES, HINTS, KIN_SUFFIXES, Cast, CastMember, hints_in
from filmstudio.analysis.people.name_patterns import (
    HI_AGENT,
    INDEFINITE_PERSON,
    INDIC_PAIR,
    LATIN_NAME_RUN,
    LOWERCASE_TITLES,
    NAMING,
    PERSON_NOUN_RE,
    PLACE_PREPOSITIONS,
    SENTENCE_STARTERS,
    TITLE_WORDS,
    has_hint_stem,
    not_a_name,
    noun_stem,
)

_DEFINITE = frozenset({"the", "el", "la", "le"})
# Words that follow a kinship word without naming anyone: "माँ ने", "মা অনেক সময়", "அம்மா மெதுவாக".
_INDIC_FUNCTION_WORDS = frozenset("""ने से की का के को में पर भी तो ही और बहुत फिर अब अभी तब कभी सब हर
    অনেক খুব আর ও তো যে কি কী আবার এখন তখন সব ভারী বড়ো বড় একটু
    மிகவும் மெதுவாக உடனே பிறகு இன்னும் எல்லாம் ரொம்ப
    చాలా మెల్లగా వెంటనే తర్వాత ఇంకా అన్నీ""".split())
_SUBJECT_PRONOUNS = {"he": "male", "she": "female", "himself": "male", "herself": "female"}
_THIRD_PERSON = frozenset("he she him her his hers himself herself they them their".split())


class Mentions:
    """The characters a story's narration names, and which of them it named last."""

    def __init__(self, cast: Cast, language: str, text: str, narration: list[str]):
        self.cast = cast
        self.language = language
        self._text = text
        self._recurrence: dict[str, bool] = {}
        self._named: dict[str, CastMember] = {}  # person noun stem -> the character it was named as
        self.last_mentioned: list[CastMember] = []
        # Names in caseless scripts found anywhere in the narration ("रमेश ने पैसे गिने" at the
        # end) are known from the start, so "उसने कहा" earlier can resolve to them.
        for piece in narration:
            self._indic_names(piece)
        self._recurring_capitals = _recurring_capitals(narration)

    def named_as(self, noun: str) -> CastMember | None:
        """Who the story named with this title or noun: "the captain" is whoever was Captain Ellis."""
        return self._named.get(noun_stem(noun))

    def hints_from_narration(self, scenes: list[DraftScene]) -> None:
        """What the whole story's narration says beside each name, once it has all been read."""
        self._hint_neighbours(scenes)
        if self.language == "en":
            self._pronoun_genders(scenes)

    def _hint_neighbours(self, scenes: list[DraftScene]) -> None:
        """Kinship words right next to a name describe that person: "उनका पोता राजू", "Raju, her grandson"."""
        narration = [a for scene in scenes for a in scene.action]
        for member in self.cast.members():
            if member.is_narrator:
                continue
            for text in narration:
                for sentence in re.split(r"(?<=[.!?।])\s+", text):
                    idx = sentence.find(member.name)
                    if idx < 0:
                        continue
                    before = sentence[:idx].split()[-3:]
                    # After a name only an honorific suffix describes it ("सुधा अम्मा"); in
                    # "সুমন তার বোন পিয়ালিকে" the sister is Piyali, not Suman.
                    after = [w for w in sentence[idx + len(member.name):].split()[:1] if w in KIN_SUFFIXES]
                    words = [w for w in before + after if w.strip(",.;:!?।") not in self.cast.names()]
                    self.cast.hint(member, " ".join(words))
                    # "दस साल का मोहन" / "दस साल की गीता": Hindi agrees the age phrase with the person.
                    if len(before) >= 2 and before[-2] in ("साल", "वर्ष") and before[-1] in ("का", "की"):
                        self.cast.vote_gender(member, "male" if before[-1] == "का" else "female")
                    break

    def _pronoun_genders(self, scenes: list[DraftScene]) -> None:
        """"A gaunt Wolf was almost dead with hunger when he…": a subject pronoun after the one
        character a sentence names, or opening the next sentence, is that character."""
        members = [m for m in self.cast.members() if not m.is_narrator]
        for scene in scenes:
            for text in scene.action:
                single: CastMember | None = None
                for sentence in SENTENCES.split(text):
                    words = re.findall(r"[A-Za-z]+", sentence)
                    if single is not None and words and words[0].casefold() in _SUBJECT_PRONOUNS:
                        self.cast.vote_gender(single, _SUBJECT_PRONOUNS[words[0].casefold()])
                    named = [(sentence.find(n), m) for m in members for n in [m.name, *m.aliases]
                             if re.search(rf"\b{re.escape(n)}\b", sentence)]
                    people = {id(m) for _, m in named}
                    single = named[0][1] if len(people) == 1 else None
                    if single is None:
                        continue
                    after = re.findall(r"[A-Za-z]+", sentence[min(i for i, _ in named):])
                    said = [w.casefold() for w in after[1:] if w.casefold() in _SUBJECT_PRONOUNS]
                    # "When Maya found him on the pier, he was…": with another pronoun in the
                    # sentence, "he" may be that other person.
                    third = [w for w in words if w.casefold() in _THIRD_PERSON]
                    if said and len(third) == 1 and not hints_in(sentence[min(i for i, _ in named) + len(single.name):]):
                        self.cast.vote_gender(single, _SUBJECT_PRONOUNS[said[0]])

    def in_narration(self, text: str) -> list[CastMember]:
        """Who a piece of narration names, in text order, each now the latest mentioned: pronoun
        attributions resolve to them."""
        hits: list[tuple[int, CastMember]] = []
        for member in self.cast.members():
            if member.is_narrator:
                continue
            for name in [member.name, *member.aliases]:
                idx = text.find(name)
                if idx >= 0:
                    hits.append((idx, member))
                    break
        # New names in Latin-script narration: runs of capitalised words mid-sentence
        # ("Grandpa Joe"), not after a place preposition ("la estación de Valparaíso").
        for m in LATIN_NAME_RUN.finditer(text):
            words = m.group(1).split()
            start = m.start()
            while words and words[0] in SENTENCE_STARTERS and words[0].casefold() not in TITLE_WORDS:
                start += len(words[0]) + 1
                words.pop(0)
            if not words or all(w.casefold() in TITLE_WORDS for w in words):
                continue
            before = text[:start].rstrip()
            prev_word = before.split()[-1].lower().rstrip(".") if before.split() else ""
            at_start = (not before or before[-1] in ".!?:;\"“”—«»") and prev_word not in TITLE_WORDS
            # At a sentence start a capital proves nothing, unless a title or an
            # appositive says it is a person ("Lucía, una violinista").
            if prev_word in PLACE_PREPOSITIONS and not (
                    prev_word in _DEFINITE and " ".join(words) in self._recurring_capitals):
                # "the Dog", "the Hare" of a fable act again and again; "the Gateway" does not.
                continue
            appositive = re.match(r",\s*(?:an?|the|una?|el|la|le|une|um|uma|his|her|su|sa|son)\s", text[m.end():])
            if at_start and words[0].casefold() not in TITLE_WORDS and not appositive and \
                    " ".join(words) not in self._recurring_capitals:
                continue
            name = " ".join(words)
            raw_prev = before.split()[-1] if before.split() else ""
            # "Captain Ellis", "don Tomás", "la abuela Carmen" are titles; "her brother Leo" is not.
            honorific = raw_prev if prev_word in TITLE_WORDS and (raw_prev[:1].isupper() or
                                                                  prev_word in LOWERCASE_TITLES) else ""
            full = f"{honorific} {name}" if honorific else name
            member = self.cast.get(name) or self.cast.add(full)
            title = (honorific or (words[0] if len(words) > 1 and words[0].casefold() in TITLE_WORDS else ""))
            if title:
                # "Captain Ellis" is who "the captain" means later; "la abuela Carmen" is "la abuela".
                self._named.setdefault(noun_stem(title.rstrip(".")), member)
            earlier = [m_ for idx, m_ in sorted(hits, key=lambda t: t[0]) if idx < start]
            self._hint_around(member, text, start, m.end(), earlier)
            hits.append((start, member))
        hits.extend(self._indic_names(text))
        hits.extend(self._introductions(text))
        self._introduced(text)
        members = [member for _, member in sorted(hits, key=lambda t: t[0])]
        for member in members:
            self.touch(member)
        return members

    def _indic_names(self, text: str) -> list[tuple[int, CastMember]]:
        """Names in scripts without capitals: the word before a kinship or role word.

        "बूढ़ी सुधा अम्मा" (old Sudha-amma), "முருகன் மாப்பிள்ளை" (Murugan the groom).
        """
        found = []
        for m in INDIC_PAIR.finditer(text):
            word, kin = m.group(1), m.group(2)
            if not any(ord(c) >= 0x0900 for c in word) or not_a_name(word):
                continue
            if word.casefold() in HINTS or word in KIN_SUFFIXES or has_hint_stem(word):
                named = self._named_after_kin(kin=word, word=kin)
                if named is not None:
                    found.append((m.start(), named))
                continue
            # Before a kinship word the word may be a name ("सुधा अम्मा") or just an adjective
            # or postposition ("ছোট্ট মেয়ে", little girl; "పొలాల దగ్గర తాత", grandpa near the
            # fields): a character's name recurs in the story, those words seldom do.
            if not (kin in KIN_SUFFIXES or kin.casefold() in HINTS) or not self._recurs(word):
                continue
            member = self.cast.get(word) or self.cast.add(f"{word} {kin}" if kin in KIN_SUFFIXES else word)
            self.cast.hint(member, text[max(0, m.start() - 12):m.end()])
            found.append((m.start(), member))
        # Hindi ergative: "X ने" is who did it.
        for m in HI_AGENT.finditer(text):
            word = m.group(1).strip(" ,।")
            if not_a_name(word) or word.casefold() in HINTS or has_hint_stem(word) or self.cast.get(word):
                continue
            found.append((m.start(), self.cast.add(word)))
        return found

    def _named_after_kin(self, kin: str, word: str) -> CastMember | None:
        """A name in apposition after a kinship word: "ছোটো মেয়ে মিনি" (little daughter Mini),
        "दादी अमीना" (grandmother Amina). The name recurs in the story; a word that merely
        follows a kinship word seldom does."""
        hint = HINTS.get(kin.casefold())
        word = word.strip(" ,.;:!?।")
        if hint is None or hint[0] is None or len(word) < 2 or not any(ord(c) >= 0x0900 for c in word):
            return None
        if not_a_name(word) or word.casefold() in HINTS or word in KIN_SUFFIXES or has_hint_stem(word):
            return None
        if word in _INDIC_FUNCTION_WORDS or not self._recurs(word) or self._follows_a_pronoun(word):
            return None
        member = self.cast.get(word) or self.cast.add(word)
        self.cast.hint(member, kin)
        return member

    def _follows_a_pronoun(self, word: str) -> bool:
        # A verb recurs too ("माँ बोली … वह बोली"); a name does not come after a pronoun subject.
        key = f"after-pronoun:{word}"
        found = self._recurrence.get(key)
        if found is None:
            found = self._recurrence[key] = bool(
                re.search(rf"(?:वह|वो|उसने|সে|তিনি|அவள்|அவன்|ఆమె|అతను)\s+{re.escape(word)}", self._text))
        return found

    def _introduced(self, text: str) -> None:
        """People brought on by what they are: "an old man", "एक बूढ़ा किसान", "এক বুড়ো বাঁশিওয়ালা".

        They join the cast as candidates for a later "he said"; one who never speaks is
        dropped from the analysis."""
        for m in INDEFINITE_PERSON.finditer(text):
            if re.match(r"\s+[A-ZÁÉÍÓÚÑ]", text[m.end():]):
                continue  # "la abuela Carmen", "her brother Leo": a title or relation of a named person
            adjective, noun = m.group(1) or m.group(3), m.group(2) or m.group(4)
            if m.group(3) and m.group(3) not in AGE_ADJECTIVES and hints_in(m.group(3), self.language):
                # "এক দিদিমণি হাসিমুখে": the first word is the person, the second is not.
                adjective, noun = None, m.group(3)
            if not noun or not_a_name(noun):
                continue
            is_person = bool(hints_in(noun, self.language)) or (adjective and hints_in(adjective, self.language))
            if not is_person and not re.fullmatch(PERSON_NOUN_RE, noun.lower()):
                continue
            name = f"{adjective} {noun}" if adjective and noun.isascii() else noun
            member = self.cast.get(name) or self.cast.add(name[:1].upper() + name[1:] if name.isascii() else name)
            self.cast.hint(member, f"{adjective or ''} {noun}")
            self.touch(member)

    def _introductions(self, text: str) -> list[tuple[int, CastMember]]:
        """"A boy sat alone. His name was Sonu." names the boy: later "the boy said" is Sonu."""
        found = []
        for m in NAMING.finditer(text):
            name = (m.group(1) or m.group(2) or m.group(3) or "").strip(" ,.;:!?।")
            if not name or not_a_name(name):
                continue
            member = self.cast.get(name) or self.cast.add(name)
            lead = text[max(0, m.start() - 120):m.start()]
            nouns = [(g, a, w) for g, a, w in hints_in(lead, self.language) if g]
            if nouns:
                gender, age, noun = nouns[-1]
                self.cast.hint(member, noun)
                self._named[noun_stem(noun)] = member
            found.append((m.start(), member))
        return found

    def _recurs(self, word: str) -> bool:
        # Cached: a long story asks about the same few words again and again.
        found = self._recurrence.get(word)
        if found is None:
            pattern = re.compile(rf"(?<![\u0900-\u0DFF]){re.escape(word)}")
            found = self._recurrence[word] = sum(1 for _ in zip(range(2), pattern.finditer(self._text))) >= 2
        return found

    def _hint_around(self, member: CastMember, text: str, start: int, end: int,
                     earlier: list[CastMember] | None = None) -> None:
        """Words that describe a name where it is introduced: the few words before it in its
        sentence ("Un anciano guardia, don Tomás"; "su hijo Diego") and an appositive after it
        ("Lucía, una violinista de veinte años,"). Not the rest of the sentence: in
        "Mrs. Sharma opened the door to a boy of twelve" the boy is someone else."""
        before = re.split(r"[.;!?]\s", text[max(0, start - 40):start])[-1]
        after = ""
        rest = re.split(r"[.;!?]", text[end:end + 100])[0]
        clauses = rest.split(",")
        if rest[:1] in (",", "("):
            after = clauses[1] if len(clauses) > 1 else rest
            after = rest[:rest.index(",", 1)] if rest[:1] == "(" and "," in rest[1:] else after
        elif len(clauses) > 1 and len(clauses[0].split()) <= 2 and re.match(r"\s*(?:an?|una?|the)\s", clauses[1]):
            after = clauses[1]  # "Lily came, a girl of eight"
        if after and re.match(r"\s*(?:an?|the|una?|el|la|le|une|uma?|his|her|su|sa|son)\s", after):
            self.cast.describe(member, after)
        self.cast.hint(member, " ".join(before.split()[-4:]) + " " + after)
        # "Sameer, her grandson," / "Her grandson Sameer": "her" is the one the story named before.
        owner = next((m for m in [*reversed(earlier or []), *reversed(self.last_mentioned)]
                      if m is not member and not m.is_narrator), None)
        if owner is not None:
            self.cast.hint_owner(owner, " ".join(before.split()[-2:]) + " " + after)

    def touch(self, member: CastMember) -> None:
        if member in self.last_mentioned:
            self.last_mentioned.remove(member)
        self.last_mentioned.append(member)

    def subject_of(self, text: str) -> CastMember | None:
        """The character the last sentence of `text` is about: the first one it names, or a
        kinship word as its subject (who then joins the cast)."""
        sentences = [s for s in SENTENCES.split(text.strip()) if s.strip()]
        if not sentences:
            return None
        last = sentences[-1]
        best: tuple[int, CastMember] | None = None
        folded = last.casefold()
        for member in self.cast.members():
            if member.is_narrator:
                continue
            for name in [member.name, *member.aliases]:
                idx = folded.find(name.casefold())  # "A guard stopped him" names "Guard"
                if idx >= 0 and (best is None or idx < best[0]):
                    best = (idx, member)
        if best:
            self.touch(best[1])
            return best[1]
        words = [w.strip(" ,.;:!?।") for w in last.split()]
        # A kinship word as the subject ("தாய் கண்ணீருடன் சிரித்தாள்", "Her mother smiled"):
        # that relative is a character of the story.
        for w in words[:2]:
            if w.casefold() in HINTS and HINTS[w.casefold()][0] is not None and w not in KIN_SUFFIXES - {"அம்மா"}:
                member = self.cast.add(w if not w.islower() else w.capitalize())
                self.cast.hint(member, w)
                self.touch(member)
                return member
        return None


def _recurring_capitals(narration: list[str]) -> set[str]:
    """Capitalised words that open sentences yet are names: they recur, and at least once
    a lowercase word follows ("Ada tied the rope. … Ada shook her head.")."""
    counts: dict[str, int] = {}
    verb_after: set[str] = set()
    for text in narration:
        for m in re.finditer(r"(?<![\w'’])([A-ZÁÉÍÓÚÑÜÇ][a-záéíóúñüçàâêîôûäöëï'’-]+)(?=(\s+[a-z]|'s|’s)?)", text):
            word = m.group(1)
            if word in SENTENCE_STARTERS or word.casefold() in TITLE_WORDS:
                continue
            counts[word] = counts.get(word, 0) + 1
            if m.group(2):
                verb_after.add(word)
    return {w for w, n in counts.items() if n >= 2 and w in verb_after}
