"""Prose stories in any language: paragraphs into scenes, quotes into attributed lines.

A new scene starts at an explicit break (* * *), at a paragraph that opens
with a change of time ("That night", "अगले दिन", "Al amanecer"), or at one
whose first sentence names a different kind of place. Dialogue is whatever
the language's quoting convention marks (`prose_text`); who says it is decided
in `people.attribution`, who the narration brings on in `people.mentions`.
Paragraphs with no dialogue are narrated.
"""

from __future__ import annotations

from filmstudio.analysis.draft import DraftLine, DraftScene
from filmstudio.analysis.parsers.markup import squash, strip_emphasis
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
from filmstudio.analysis.people.attribution import Speakers
from filmstudio.analysis.people.cast import Cast
from filmstudio.analysis.people.mentions import Mentions
from filmstudio.analysis.scene.lexicons import SETTING_PRIORITY, SETTINGS, TIME_OF_DAY


class ProseParser:
    """Scenes and lines of a prose story; who is in it and who speaks come from `people`."""

    def __init__(self, cast: Cast, language: str):
        self.cast = cast
        self.language = language
        self._told = ""

    def parse(self, text: str) -> tuple[str, list[DraftScene]]:
        paragraphs = split_paragraphs(text)
        title = ""
        if len(paragraphs) > 1 and is_title_line(paragraphs[0]):
            title = paragraphs.pop(0)
        narration = [seg.text for para in paragraphs for seg in segments(para) if seg.kind == "narration"]
        self.mentions = Mentions(self.cast, self.language, text, narration)
        self.speakers = Speakers(self.cast, self.mentions, self.language)
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
                self.speakers.new_scene()
                continue
            segs = segments(para)
            narrative = not any(s.kind == "speech" for s in segs)
            # A paragraph that opens with narration can move the story ("शाम को मोहन ..."), quotes or not.
            opens_with_narration = bool(segs) and segs[0].kind == "narration" and len(segs[0].text.split()) >= 3
            if (narrative or opens_with_narration) and not scene.empty and self._starts_new_scene(
                    segs[0].text if not narrative else para, scene, setting):
                scenes.append(scene)
                scene, setting = DraftScene(), None
                self.speakers.new_scene()
            if narrative:
                # "…, dijo a su escudero:" hands the next paragraph's speech to its subject.
                self.speakers.after_narration(para)
                self._mention(para, scene)
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
        if not scene.empty:
            scenes.append(scene)
        if scenes and scenes[0].time_of_day is None and title:
            # "बारिश की वह रात" (That Rainy Night): a title that names the time sets the first scene.
            scenes[0].time_of_day = _time_of(title)
        self.mentions.hints_from_narration(scenes)
        return title, scenes

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

    def _mention(self, text: str, scene: DraftScene) -> None:
        for member in self.mentions.in_narration(text):
            scene.present(member.id)

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
            self._mention(seg.text, scene)
        for who, spoken in self.speakers.utterances(segs):
            text = strip_emphasis(squash(" ".join(spoken)))
            if not text:
                continue
            scene.lines.append(DraftLine(speaker=who.id, text=text, after_action=len(scene.action)))
            if not who.is_narrator:
                scene.present(who.id)
                self.speakers.spoke(who)


def _time_of(text: str) -> str | None:
    found = [tod for _, tod, _ in TIME_OF_DAY.finditer(text)]
    specific = [t for t in found if t != "DAY"]
    return specific[0] if specific else (found[0] if found else None)


def parse_prose(text: str, cast: Cast, language: str) -> tuple[str, list[DraftScene]]:
    return ProseParser(cast, language).parse(text)
