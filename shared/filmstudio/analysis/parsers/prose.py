"""Prose stories in any language: paragraphs into scenes, quotes into attributed lines.

A new scene starts at an explicit break (* * *), at a paragraph that opens
with a change of time ("That night", "अगले दिन", "Al amanecer"), or at one
whose first sentence names a different kind of place. Dialogue is whatever
the language's quoting convention marks; its speaker comes from the
attribution next to it, or from the character the narration just mentioned,
or from turn-taking in a two-person exchange, and otherwise is the narrator.
Paragraphs with no dialogue are narrated.
"""

from __future__ import annotations

import re

from filmstudio.analysis.people.attribution import Attribution, find_speaker, self_named
from filmstudio.analysis.people.cast import AGE_ADJECTIVES, HINTS, KIN_SUFFIXES, Cast, CastMember, hints_in
from filmstudio.analysis.draft import DraftLine, DraftScene
from filmstudio.analysis.scene.lexicons import SETTING_PRIORITY, SETTINGS, TIME_OF_DAY
from filmstudio.analysis.parsers.markup import squash, strip_emphasis
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
from filmstudio.analysis.parsers.prose_text import (
    PLACE_SHIFT,
    SENTENCES,
    TIME_SHIFT,
    Segment,
    is_title_line,
    narration_chunks,
    segments,
    split_paragraphs,
)


_DEFINITE = frozenset({"the", "el", "la", "le"})
# Words that follow a kinship word without naming anyone: "माँ ने", "মা অনেক সময়", "அம்மா மெதுவாக".
_INDIC_FUNCTION_WORDS = frozenset("""ने से की का के को में पर भी तो ही और बहुत फिर अब अभी तब कभी सब हर
    অনেক খুব আর ও তো যে কি কী আবার এখন তখন সব ভারী বড়ো বড় একটু
    மிகவும் மெதுவாக உடனே பிறகு இன்னும் எல்லாம் ரொம்ப
    చాలా మెల్లగా వెంటనే తర్వాత ఇంకా అన్నీ""".split())
_SUBJECT_PRONOUNS = {"he": "male", "she": "female", "himself": "male", "herself": "female"}
_THIRD_PERSON = frozenset("he she him her his hers himself herself they them their".split())


class ProseParser:
    def __init__(self, cast: Cast, language: str):
        self.cast = cast
        self.language = language
        self._text = ""
        self._told = ""
        self._recurrence: dict[str, bool] = {}
        self._recurring_capitals: set[str] = set()
        self._named: dict[str, CastMember] = {}  # person noun stem -> the character it was named as
        self.last_mentioned: list[CastMember] = []
        self._lead_in: str | None = None
        self.recent_speakers: list[str] = []

    def parse(self, text: str) -> tuple[str, list[DraftScene]]:
        self._text = text
        paragraphs = split_paragraphs(text)
        title = ""
        if len(paragraphs) > 1 and is_title_line(paragraphs[0]):
            title = paragraphs.pop(0)
        # Names in caseless scripts found anywhere in the narration ("रमेश ने पैसे गिने" at the
        # end) are known from the start, so "उसने कहा" earlier can resolve to them.
        narration = [seg.text for para in paragraphs for seg in segments(para) if seg.kind == "narration"]
        for text in narration:
            self._indic_names(text)
        self._recurring_capitals = _recurring_capitals(narration)
        scenes: list[DraftScene] = []
        scene = DraftScene()
        setting: str | None = None
        self._told = title.casefold()  # the story so far, for "has it been there before?"
        previous = ""
        for para in paragraphs:
            self._told += " " + previous
            previous = para.casefold()
            if para == "***":
                if not scene.empty:
                    scenes.append(scene)
                scene, setting = DraftScene(), None
                self.recent_speakers = []
                continue
            segs = segments(para)
            narrative = not any(s.kind == "speech" for s in segs)
            # A paragraph that opens with narration can move the story ("शाम को मोहन ..."), quotes or not.
            opens_with_narration = bool(segs) and segs[0].kind == "narration" and len(segs[0].text.split()) >= 3
            if (narrative or opens_with_narration) and not scene.empty and self._starts_new_scene(
                    segs[0].text if not narrative else para, scene, setting):
                scenes.append(scene)
                scene, setting = DraftScene(), None
                self.recent_speakers = []
            if narrative:
                # "…, dijo a su escudero:" hands the next paragraph's speech to its subject.
                self._lead_in = para if para.rstrip().endswith(":") else None
                self._mentions(para, scene)
                scene.action.append(strip_emphasis(para))
                narrator = self.cast.narrator()
                for chunk in narration_chunks(strip_emphasis(para), self.language):
                    scene.lines.append(DraftLine(speaker=narrator.id, text=chunk, after_action=len(scene.action)))
                found = self._setting_of(para)
                setting = setting or found
                if scene.time_of_day is None:
                    scene.time_of_day = _time_of(para)
                continue
            self._dialogue_paragraph(segs, scene)
            self._lead_in = None
        if not scene.empty:
            scenes.append(scene)
        if scenes and scenes[0].time_of_day is None and title:
            # "बारिश की वह रात" (That Rainy Night): a title that names the time sets the first scene.
            scenes[0].time_of_day = _time_of(title)
        self._hint_neighbours(scenes)
        if self.language == "en":
            self._pronoun_genders(scenes)
        return title, scenes

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
                    words = [w for w in before + after if w.strip(",.;:!?।") not in self.cast_names()]
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

    def cast_names(self) -> set[str]:
        return {n for m in self.cast.members() for n in [m.name, *m.aliases]}

    @staticmethod
    def _setting_of(text: str) -> str | None:
        found = SETTINGS.classes(text)
        return min(found, key=SETTING_PRIORITY.index) if found else None

    def _starts_new_scene(self, para: str, scene: DraftScene, setting: str | None) -> bool:
        head = para[:60]
        if TIME_SHIFT.match(para) or PLACE_SHIFT.match(para):
            return True
        first = TIME_OF_DAY.finditer(head)
        for pos, tod, _ in first:
            if pos <= 25 and tod != scene.time_of_day:
                return True
            break
        first_sentence = SENTENCES.split(para, maxsplit=1)[0]
        new_setting = self._setting_of(first_sentence)
        if setting and new_setting and new_setting != setting:
            return True
        # A paragraph that opens on a place the story has not been to yet ("In the
        # classroom", "कक्षा में", "மண்டபத்தில்") moves the story there. A place named before
        # ("கோயில் மணி ஒலிக்க" after the temple) is a return, not a new scene.
        opening = " ".join(para.split()[:3])
        for pos, _, word in SETTINGS.finditer(opening):
            if pos <= 8 and word.casefold() not in self._told:
                return True
            break
        return False

    def _mentions(self, text: str, scene: DraftScene) -> None:
        """Track who the narration names, in order: pronoun attributions resolve to them."""
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
        for _, member in sorted(hits, key=lambda t: t[0]):
            self._touch(member)
            scene.present(member.id)

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
            self._touch(member)

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

    def _touch(self, member: CastMember) -> None:
        if member in self.last_mentioned:
            self.last_mentioned.remove(member)
        self.last_mentioned.append(member)

    def _dialogue_paragraph(self, segs: list[Segment], scene: DraftScene) -> None:
        narration = [s for s in segs if s.kind == "narration"]
        first_speech = next(i for i, seg in enumerate(segs) if seg.kind == "speech")
        for s in narration:
            # Narration long enough to show ("Ruby took the pan, flicked her wrist...") is
            # action; "said Raju" is not.
            if len(s.text.split()) > 6:
                scene.action.append(strip_emphasis(squash(s.text)))
        for seg in segs[:first_speech]:
            # Who the lead-in narration brings on stage ("Lucía, una violinista, esperaba.",
            # "বিকেলে এক বুড়ো বাঁশিওয়ালা গান ধরলেন।").
            self._mentions(seg.text, scene)
        speaker = self._attribute(segs, scene)
        # One paragraph is one speaker, unless a later quote carries its own attribution
        # naming someone else: "“Where to?” asked Lily. “Home,” he said."
        utterances: list[tuple[CastMember, list[str]]] = [(speaker, [])]
        speech_seen = 0
        for k, seg in enumerate(segs):
            if seg.kind != "speech":
                continue
            speech_seen += 1
            if speech_seen > 1:
                follow = segs[k + 1] if k + 1 < len(segs) and segs[k + 1].kind == "narration" else None
                found = find_speaker(follow.text, self.language) if follow else None
                if found and found.verb:
                    current = utterances[-1][0]
                    if not current.is_narrator and current.id not in self.recent_speakers[-1:]:
                        self.recent_speakers.append(current.id)
                    other = self._resolve(found, follow.text)
                    if other is not None and other.id != current.id:
                        utterances.append((other, []))
            spoken = utterances[-1][1]
            text = seg.text.strip()
            lead = re.match(r"^[.,;:!?]+\s*", text)
            if lead and spoken:
                spoken[-1] = spoken[-1].rstrip() + lead.group(0).strip()
                text = text[lead.end():]
            elif lead:
                text = text[lead.end():]
            if text:
                spoken.append(text)
        for who, spoken in utterances:
            text = strip_emphasis(squash(" ".join(spoken)))
            if not text:
                continue
            scene.lines.append(DraftLine(speaker=who.id, text=text, after_action=len(scene.action)))
            if not who.is_narrator:
                scene.present(who.id)
                if who.id not in self.recent_speakers[-1:]:
                    self.recent_speakers.append(who.id)

    def _attribute(self, segs: list[Segment], scene: DraftScene) -> CastMember:
        # The narration right after the first quote is the usual place ("…," said Raju);
        # then the narration before it ("Raju turned. “…”").
        first_speech = next(i for i, s in enumerate(segs) if s.kind == "speech")
        candidates = [s for s in segs[first_speech + 1:] if s.kind == "narration"][:2]
        before = [s for s in segs[:first_speech] if s.kind == "narration"]
        for seg in candidates + before[-1:]:
            found = find_speaker(seg.text, self.language)
            if found:
                if found.name is None and before:
                    # "माँ की आँखें भर आईं। “…” उन्होंने पूछा": a pronoun after a lead-in is its subject.
                    member = self._subject_of(before[-1].text)
                    if member:
                        if found.gender:
                            self.cast.vote_gender(member, found.gender)
                        return member
                member = self._resolve(found, seg.text)
                if member:
                    return member
        # "Nadia Rahman? I'm Professor Lin.": a speaker who says who they are.
        introduced = self_named(" ".join(seg.text for seg in segs if seg.kind == "speech"))
        if introduced:
            member = self.cast.get(introduced) or self.cast.add(introduced)
            self._touch(member)
            return member
        # No speech verb: the character named in the narration next to the quote, the
        # sentence leading into it or, when the quote opens the paragraph, the one after it
        # ("“Liar.” Aunt Mary stood").
        beside = [before[-1].text] if before else []
        if first_speech == 0 and candidates:
            beside.append(SENTENCES.split(candidates[0].text.strip(), maxsplit=1)[0])
        for text in beside:
            member = self._subject_of(text)
            if member:
                return member
        if self._lead_in:
            found = find_speaker(self._lead_in, self.language)
            member = self._resolve(found, self._lead_in) if found else self._subject_of(self._lead_in)
            if member:
                return member
        # Turn-taking: an unattributed reply in a two-person exchange is the other person's.
        if len(self.recent_speakers) >= 2 and self.recent_speakers[-1] != self.recent_speakers[-2]:
            return next(m for m in self.cast.members() if m.id == self.recent_speakers[-2])
        return self.cast.narrator()

    def _resolve(self, found: Attribution, context: str) -> CastMember | None:
        if found.name:
            name = found.name
            # "the captain" is whoever the story called Captain Ellis, before any other "Captain".
            known = self._named.get(noun_stem(name)) or self.cast.get(name)
            if known is None and not re.search(r"[A-Za-z]", name):
                known = self._known_by_stem(name)
            member = known or self.cast.add(name)
            if found.gender:
                self.cast.vote_gender(member, found.gender, 2)
            self._touch(member)
            return member
        if found.pronoun or found.verb:
            # "she said" right after someone else's line is rarely that someone: people take turns.
            previous = self.recent_speakers[-1] if self.recent_speakers else None
            candidates = [m for m in reversed(self.last_mentioned) if m.id != previous and not m.is_narrator]
            # Someone known to match the pronoun first, then someone of unknown gender.
            ranked = [m for m in candidates if found.gender and m.character().gender == found.gender] + [
                m for m in candidates if found.gender is None or m.character().gender is None]
            if ranked:
                member = ranked[0]
                if found.gender:
                    self.cast.vote_gender(member, found.gender)
                return member
        return None

    def _known_by_stem(self, word: str) -> CastMember | None:
        # "லட்சுமியின்" is "லட்சுமி" with a case ending.
        for member in self.cast.members():
            for name in [member.name, *member.aliases]:
                # A short name ("মা") is the start of too many words ("মামা"); an ending is short.
                if len(name) >= 3 and word.startswith(name) and len(word) - len(name) <= 5:
                    return member
        return None

    def _subject_of(self, text: str) -> CastMember | None:
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
            self._touch(best[1])
            return best[1]
        words = [w.strip(" ,.;:!?।") for w in last.split()]
        # A kinship word as the subject ("தாய் கண்ணீருடன் சிரித்தாள்", "Her mother smiled"):
        # that relative is a character of the story.
        for w in words[:2]:
            if w.casefold() in HINTS and HINTS[w.casefold()][0] is not None and w not in KIN_SUFFIXES - {"அம்மா"}:
                member = self.cast.add(w if not w.islower() else w.capitalize())
                self.cast.hint(member, w)
                self._touch(member)
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


def _time_of(text: str) -> str | None:
    found = [tod for _, tod, _ in TIME_OF_DAY.finditer(text)]
    specific = [t for t in found if t != "DAY"]
    return specific[0] if specific else (found[0] if found else None)


def parse_prose(text: str, cast: Cast, language: str) -> tuple[str, list[DraftScene]]:
    return ProseParser(cast, language).parse(text)
