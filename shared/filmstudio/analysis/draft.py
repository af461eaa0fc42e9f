"""The parsers' common output: scenes and lines before attributes and timing are known."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DraftLine:
    speaker: str  # cast member id
    text: str
    parenthetical: str | None = None
    extension: str | None = None
    dual: bool = False
    after_action: int = 0  # how many action paragraphs of the scene precede it


@dataclass
class DraftScene:
    heading: str = ""
    number: str | None = None
    interior: bool | None = None
    location: str = ""
    time_of_day: str | None = None
    action: list[str] = field(default_factory=list)
    lines: list[DraftLine] = field(default_factory=list)
    transition_out: str | None = None
    characters: list[str] = field(default_factory=list)  # cast ids in order of appearance
    # Words that tell the storyboard what to draw when the text is thin (topic beats).
    visual: str = ""
    setting_hint: str | None = None  # a setting class decided by the parser (topics)

    def present(self, member_id: str) -> None:
        if member_id not in self.characters:
            self.characters.append(member_id)

    @property
    def empty(self) -> bool:
        return not (self.action or self.lines or self.heading)
