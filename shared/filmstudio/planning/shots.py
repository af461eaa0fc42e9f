"""Shots and their durations: action beats and dialogue, in script order.

An action paragraph becomes a shot whose length follows its words (a
reader's pace); dialogue lines become shots on their speakers, short
exchanges sharing one shot. Every shot is long enough for its lines: the
sum of their spoken durations, re-estimated at the speaker's voice rate,
plus a breath between lines.
"""

from __future__ import annotations

import hashlib

from filmstudio.analysis.language.speech_timing import estimate_duration
from filmstudio.errors import BadInputError
from filmstudio.models.plan import CameraMove, Character, Framing, Line, Scene, Shot, Transition
from filmstudio.vocabulary import subjects_in

MIN_SHOT = 2.5
MAX_ACTION_SHOT = 6.0
TARGET_DIALOGUE_SHOT = 3.0  # group short lines until a shot is at least this long
MAX_GROUPED_SHOT = 8.0
LINE_GAP = 0.3  # a breath between lines in one shot
TAIL = 0.4  # the cut does not clip the last syllable
ACTION_SECONDS_PER_WORD = 0.12
ACTION_BASE = 2.2
# The longest a single line may take to say: longer is one frozen shot and a wall of subtitle.
MAX_LINE_SECONDS = 30.0

_CAMERA_OF_CUE: dict[str, CameraMove] = {
    "push_in": "push_in", "pull_out": "pull_out", "tilt_up": "tilt_up", "tilt_down": "tilt_down",
    "pan_left": "pan_left", "pan_right": "pan_right",
}
_FRAMING_OF_CUE: dict[str, Framing] = {"wide": "wide", "close": "close", "push_in": "close"}
_CLOSE_PARENTHETICALS = ("soft", "whisper", "quiet", "tear", "cry", "murmur", "gentle", "to herself", "to himself")


# A dialogue shot's caption quotes this much of its first line (the panel's strip holds ~3 lines).
CAPTION_QUOTE_CHARS = 60


def line_duration(line: Line, characters: dict[str, Character]) -> float:
    """Seconds for the line at its speaker's voice rate. A line that would still take longer than
    MAX_LINE_SECONDS (analysis has already split long speeches at sentences and clauses, so this
    is one unbroken run: a giant "word", a sentence without a pause) is refused, not planned."""
    speaker = characters.get(line.character_id)
    wpm = speaker.voice.rate if speaker else 165
    seconds = max(line.est_duration, estimate_duration(line.text, line.language, wpm=wpm))
    if seconds > MAX_LINE_SECONDS:
        raise BadInputError(
            f"scene {line.scene_id}: a line would take {seconds:.0f} s to speak in one breath (the most is "
            f"{MAX_LINE_SECONDS:.0f} s); break it into sentences", code="LINE_TOO_LONG",
            details={"scene_id": line.scene_id, "line_id": line.id, "seconds": round(seconds, 1),
                     "max_seconds": MAX_LINE_SECONDS, "starts": line.text[:40]})
    return seconds


def _action_duration(text: str) -> float:
    words = len(text.split())
    if words == 0:
        return MIN_SHOT
    # Scripts without spaces: count characters as roughly a word per three.
    if words <= 2 and len(text) > 20:
        words = len(text) // 3
    return round(min(MAX_ACTION_SHOT, max(MIN_SHOT, ACTION_BASE + ACTION_SECONDS_PER_WORD * words)), 2)


def _cues_in(text: str) -> list[str]:
    from filmstudio.analysis.scene.attributes import camera_cues_in

    return camera_cues_in(text)


def _mentions(text: str, scene: Scene, characters: dict[str, Character]) -> list[str]:
    lowered = text.casefold()
    found = []
    for cid in scene.characters:
        c = characters.get(cid)
        if c and any(name.casefold() in lowered for name in [c.name, *c.aliases] if name):
            found.append(cid)
    return found


def build_shots(scene: Scene, characters: dict[str, Character], *, first_transition: Transition) -> list[Shot]:
    events: list[tuple[str, object]] = []
    by_position: dict[int, list[Line]] = {}
    for line in scene.lines:
        pos = line.after_action if line.after_action is not None else len(scene.action)
        by_position.setdefault(min(pos, len(scene.action)), []).append(line)
    for k in range(len(scene.action) + 1):
        if k > 0:
            events.append(("action", scene.action[k - 1]))
        for line in by_position.get(k, []):
            events.append(("line", line))

    shots: list[Shot] = []
    pending: list[Line] = []
    cued: set[int] = set()  # shots whose camera the script asked for

    def flush() -> None:
        if not pending:
            return
        speakers = list(dict.fromkeys(line.character_id for line in pending))
        on_screen = [s for s in speakers if not characters.get(s, Character(id=s, name=s)).is_narrator]
        need = sum(line_duration(line, characters) for line in pending) + LINE_GAP * (len(pending) - 1) + TAIL
        framing: Framing = "medium" if len(on_screen) != 1 else "close"
        if len(pending) == 1 and pending[0].parenthetical is None and len(on_screen) == 1 and need > 4.5:
            framing = "medium"
        if any(p.parenthetical and any(w in p.parenthetical.lower() for w in _CLOSE_PARENTHETICALS) for p in pending):
            framing = "close"
        camera: CameraMove = "static"
        if not on_screen:
            # Voice-over over the picture it describes; vary the framing so a long
            # narrated passage is not one frozen frame.
            framing = ("wide", "medium", "close")[len(shots) % 3]
            camera = "push_in" if framing == "close" else "pan_right" if framing == "wide" else "static"
        description = _dialogue_caption(pending, characters)
        if not on_screen and shots:
            description = shots[-1].description
        shots.append(Shot(
            id="", scene_id=scene.id, index=0, description=description, framing=framing, camera=camera,
            characters=on_screen or (shots[-1].characters if shots else []),
            line_ids=[line.id for line in pending], duration=round(max(MIN_SHOT, need), 2),
        ))
        pending.clear()

    for kind, payload in events:
        if kind == "action":
            flush()
            text = str(payload)
            cues = _cues_in(text)
            framing: Framing = "wide" if not shots else "medium"
            camera: CameraMove = "static"
            for cue in cues:
                framing = _FRAMING_OF_CUE.get(cue, framing)
                camera = _CAMERA_OF_CUE.get(cue, camera)
            if any(cue in _CAMERA_OF_CUE for cue in cues):
                cued.add(len(shots))
            shots.append(Shot(
                id="", scene_id=scene.id, index=0, description=text, framing=framing, camera=camera,
                characters=_mentions(text, scene, characters), duration=_action_duration(text),
            ))
        else:
            line: Line = payload  # type: ignore[assignment]
            pending_need = sum(line_duration(p, characters) for p in pending)
            if pending and not line.dual and (pending_need >= TARGET_DIALOGUE_SHOT or
                                              pending_need + line_duration(line, characters) > MAX_GROUPED_SHOT):
                flush()
            pending.append(line)
            # A long line is its own shot; a short one waits for a reply to share the frame.
            if line_duration(line, characters) >= TARGET_DIALOGUE_SHOT and not line.dual:
                flush()
    flush()
    if not shots:
        shots.append(Shot(id="", scene_id=scene.id, index=0, description=scene.heading, framing="wide",
                          duration=MIN_SHOT))
    cued_shots = {id(shots[k]) for k in cued}
    _merge_narrated_action(shots)
    set_subjects = subjects_in(". ".join([scene.location, *scene.action]))
    by_id = {line.id: line for line in scene.lines}
    for k, shot in enumerate(shots):
        shot.index = k
        shot.id = f"{scene.id}-sh{k + 1}"
        if k == 0:
            shot.transition_in = first_transition
        said = " ".join(by_id[i].text for i in shot.line_ids if i in by_id)
        # The set's subjects stay in every shot of the scene; a line adds what it names.
        shot.subjects = list(dict.fromkeys(set_subjects + subjects_in(f"{shot.description}. {said}")))
        if id(shot) not in cued_shots:
            shot.camera = choose_camera(scene, shot, k)
    return shots


# Tall subjects an establishing shot tilts up to.
_TALL = ("lighthouse", "temple", "mosque", "church", "mountain", "palm_tree", "tree", "school", "hospital")


def choose_camera(scene: Scene, shot: Shot, k: int) -> CameraMove:
    """A move for a shot the script gave none, varied across the film but the same for the same plan.

    Establishing shots reveal (a tilt up to a tall subject, else a pan whose direction
    alternates by scene); medium shots drift across the group, alternating sides;
    close-ups push in, ease out or drift, and every third holds still (the speaker's mouth
    and eyes still move).
    """
    # A seeded turn, not the shot's index: prose cycles its framings by index, and the two
    # cycles would lock together (every wide shot panning the same way).
    turn = int.from_bytes(hashlib.sha256(f"{scene.id}/{k}/{shot.description}".encode()).digest()[:4], "big")
    if shot.framing == "wide":
        if k == 0 and scene.interior is not True and any(s in _TALL for s in shot.subjects):
            return "tilt_up"
        return ("pan_right", "pan_left", "pull_out")[turn % 3]
    if shot.framing == "medium":
        return ("pan_left", "push_in", "pan_right", "tilt_down")[turn % 4]
    return ("push_in", "static", "pan_right", "pull_out", "static", "pan_left")[turn % 6]


def _merge_narrated_action(shots: list[Shot]) -> None:
    """A narrated paragraph is also an action paragraph: show it while it is read, not before."""
    k = 0
    while k + 1 < len(shots):
        action, narrated = shots[k], shots[k + 1]
        if not action.line_ids and narrated.line_ids and narrated.description == action.description:
            action.line_ids = narrated.line_ids
            action.duration = max(action.duration, narrated.duration)
            del shots[k + 1]
        k += 1


def _dialogue_caption(lines: list, characters: dict) -> str:
    """What a dialogue shot shows, in the script's own words and writing: who speaks and the
    opening of what they say (never an English template such as "X speaks" under a Tamil line)."""
    names = ", ".join(dict.fromkeys(characters[l.character_id].name if l.character_id in characters
                                    else l.character_id for l in lines))
    said = " ".join(lines[0].text.split())
    if len(said) > CAPTION_QUOTE_CHARS:
        cut = said[:CAPTION_QUOTE_CHARS].rsplit(" ", 1)[0] or said[:CAPTION_QUOTE_CHARS]
        said = cut.rstrip(",;:–—-") + "…"
    return f"{names}: {said}"

