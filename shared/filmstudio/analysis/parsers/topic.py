"""A bare topic ("How does rice grow?") becomes a narrated explainer.

Structure: a hook (the question itself), three to five beats, a close; all
spoken by the NARRATOR, each beat with a visual description for the
storyboard. Rule-based and deterministic: the same topic always gives the
same film, with no model and no network. The narration is generic on
purpose; it frames the topic rather than inventing facts about it.
"""

from __future__ import annotations

import re

from filmstudio.analysis.people.cast import Cast
from filmstudio.analysis.draft import DraftLine, DraftScene
from filmstudio.analysis.scene.lexicons import SETTING_PRIORITY, SETTINGS

_EN_PATTERNS = (
    re.compile(r"^how (?:long|much time) (?:does|do|did|will) it take (?:for (?P<who>.+?) )?to (?P<s>.+?)$", re.I),
    re.compile(r"^how (?:does|do|did|can|could|is|are) (?P<s>.+?)(?: work| happen| made| grow| form)?$", re.I),
    re.compile(r"^(?:why|when|where) (?:does|do|did|is|are|was|were) (?P<s>.+?)$", re.I),
    re.compile(r"^what (?:is|are|was|were) (?:a |an |the )?(?P<s>.+?)$", re.I),
    re.compile(r"^(?:how to|the story of|all about|a guide to|an introduction to) (?P<s>.+?)$", re.I),
)
_FROM_TO = re.compile(r",?\s*\bfrom (?P<a>.+?) to (?P<b>.+?)$", re.I)
_ES_FROM_TO = re.compile(r",?\s*\bdesde (?:el |la )?(?P<a>.+?) hasta (?:el |la )?(?P<b>.+?)$", re.I)

# (what, begin, process, matters, close) per language; {s} is the subject where the grammar allows it.
_TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "what": "First, what do we really mean by {s}?",
        "begin": "It all begins with {a}.",
        "begin_generic": "Every story like this starts small.",
        "process": "Then, step by step, {s} changes and grows.",
        "end": "And at last we reach {b}.",
        "matters": "Why does it matter? Because {s} touches everyday life.",
        "close": "So the next time you think about {s}, remember the whole journey.",
    },
    "es": {
        "what": "Primero, ¿de qué hablamos realmente?",
        "begin": "Todo comienza con {a}.",
        "begin_generic": "Todo empieza con algo pequeño.",
        "process": "Luego, paso a paso, llega el cambio.",
        "end": "Y por fin llegamos a {b}.",
        "matters": "¿Por qué importa? Porque toca nuestra vida diaria.",
        "close": "La próxima vez que pienses en esto, recuerda todo el camino.",
    },
    "hi": {
        "what": "पहले समझते हैं कि बात किसकी हो रही है।",
        "begin_generic": "सब कुछ एक छोटी सी शुरुआत से होता है।",
        "process": "फिर धीरे-धीरे, कदम दर कदम, बदलाव आता है।",
        "matters": "यह क्यों ज़रूरी है? क्योंकि यह हमारे रोज़ के जीवन से जुड़ा है।",
        "close": "तो अगली बार जब आप इसके बारे में सोचें, यह पूरा सफ़र याद रखिए।",
    },
    "ta": {
        "what": "முதலில், நாம் எதைப் பற்றி பேசுகிறோம் என்று பார்ப்போம்.",
        "begin_generic": "எல்லாம் ஒரு சிறிய தொடக்கத்தில் ஆரம்பிக்கிறது.",
        "process": "பிறகு படிப்படியாக மாற்றம் வருகிறது.",
        "matters": "இது ஏன் முக்கியம்? ஏனென்றால் இது நம் அன்றாட வாழ்க்கையுடன் இணைந்தது.",
        "close": "அடுத்த முறை இதைப் பற்றி நினைக்கும்போது, இந்த முழுப் பயணத்தையும் நினைவில் கொள்ளுங்கள்.",
    },
    "te": {
        "what": "ముందుగా, మనం దేని గురించి మాట్లాడుతున్నామో చూద్దాం.",
        "begin_generic": "అంతా ఒక చిన్న ప్రారంభంతో మొదలవుతుంది.",
        "process": "తర్వాత, అడుగడుగునా మార్పు వస్తుంది.",
        "matters": "ఇది ఎందుకు ముఖ్యం? ఎందుకంటే ఇది మన రోజువారీ జీవితానికి సంబంధించినది.",
        "close": "తదుపరి సారి దీని గురించి ఆలోచించినప్పుడు, ఈ మొత్తం ప్రయాణాన్ని గుర్తుంచుకోండి.",
    },
    "bn": {
        "what": "প্রথমে দেখি আমরা আসলে কী নিয়ে কথা বলছি।",
        "begin_generic": "সবকিছু শুরু হয় একটি ছোট্ট সূচনা থেকে।",
        "process": "তারপর ধাপে ধাপে পরিবর্তন আসে।",
        "matters": "এটা কেন জরুরি? কারণ এটি আমাদের প্রতিদিনের জীবনের সঙ্গে জড়িত।",
        "close": "তাই পরের বার এ নিয়ে ভাবলে, এই পুরো যাত্রার কথা মনে রাখবেন।",
    },
}

_VISUALS = {
    "hook": "Wide establishing shot of {place}: the question appears over it",
    "what": "Close on {s}, the subject clearly in frame",
    "begin": "Close on {a}, the very beginning",
    "process": "Time-lapse of {s} changing, stage by stage",
    "end": "Wide shot of {b}, the result",
    "matters": "People with {s} in everyday life, in {place}",
    "close": "Slow pull back to a wide view of {place}",
}


_LEADING_VERBS = frozenset(
    "grow make build learn become cook get reach travel form brew bake write train raise plant produce fly cross "
    "climb walk read decompose digest heal recover".split()
)
# Words that put a topic somewhere, beyond the scene-setting lexicon.
_TOPIC_PLACES = {
    "rice": "field", "wheat": "field", "crop": "field", "crops": "field", "harvest": "field", "farming": "field",
    "coffee": "field", "tea": "field", "cotton": "field", "volcano": "mountain", "volcanoes": "mountain",
    "glacier": "mountain", "ocean": "sea", "whale": "sea", "whales": "sea", "tide": "sea", "tides": "sea",
    "coral": "sea", "tree": "forest", "trees": "forest", "rainforest": "forest", "camel": "desert",
    "railway": "station", "trains": "station", "traffic": "street", "skyscraper": "city", "internet": "office",
    "चावल": "field", "धान": "field", "खेती": "field", "அரிசி": "field", "நெல்": "field", "వరి": "field",
    "ধান": "field", "arroz": "field", "café": "field",
}


def looks_like_topic(text: str) -> bool:
    """One line, short, at most one sentence: a topic rather than a story."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) != 1:
        return False
    line = lines[0].strip()
    words = len(line.split())
    cjk = sum(1 for c in line if ord(c) >= 0x3000)
    if words > 30 or (cjk and len(line) > 80):
        return False
    if re.search(r"[\"“”«»「」]|^\s*[—–]", line):
        return False
    sentences = [s for s in re.split(r"(?<=[.!?।。？！])\s*", line) if s.strip()]
    return len(sentences) <= 1


def subject_of(topic: str) -> tuple[str, str | None, str | None]:
    """(subject, from, to) of an English or Spanish topic; the whole topic when no pattern fits."""
    t = topic.strip().rstrip("?？!.。 ").lstrip("¿¡")
    a = b = None
    m = _FROM_TO.search(t) or _ES_FROM_TO.search(t)
    if m:
        a, b = m.group("a").strip(), m.group("b").strip()
        t = t[: m.start()].strip(" ,")
    for k, pattern in enumerate(_EN_PATTERNS):
        pm = pattern.match(t)
        if pm:
            t = pm.group("s")
            words = t.split()
            # "to grow rice": the film is about the rice, not the growing.
            if k == 0 and len(words) > 1 and words[0].lower() in _LEADING_VERBS:
                t = " ".join(words[1:])
            break
    return t.strip(" ,"), a, b


def build_topic(topic: str, cast: Cast, language: str) -> tuple[str, list[DraftScene]]:
    topic = re.sub(r"\s+", " ", topic).strip()
    narrator = cast.narrator()
    subject, a, b = subject_of(topic)
    tpl = _TEMPLATES.get(language, _TEMPLATES["en"])
    generic = language not in ("en",)  # templates that cannot carry an English subject phrase
    found = SETTINGS.classes(topic) or [
        _TOPIC_PLACES[w] for w in re.findall(r"[^\W\d_]+", topic.lower()) if w in _TOPIC_PLACES
    ]
    place = min(found, key=SETTING_PRIORITY.index) if found else "the world around us"
    beats: list[tuple[str, str]] = [("hook", topic), ("what", tpl["what"])]
    if a and "begin" in tpl:
        beats.append(("begin", tpl["begin"]))
    else:
        beats.append(("begin", tpl["begin_generic"]))
    beats.append(("process", tpl["process"]))
    if a and b and "end" in tpl:
        beats.append(("end", tpl["end"]))
    beats.append(("matters", tpl["matters"]))
    beats.append(("close", tpl["close"]))
    scenes: list[DraftScene] = []
    values = {"s": subject, "a": a or subject, "b": b or subject, "place": f"a {place}" if found else place}
    for k, (kind, text) in enumerate(beats):
        spoken = text.format(**values) if not generic or kind == "hook" else text
        visual = _VISUALS.get(kind, _VISUALS["process"]).format(**values)
        heading = "HOOK" if kind == "hook" else "CLOSE" if kind == "close" else f"BEAT {k}: {kind.upper()}"
        scene = DraftScene(heading=heading, location=place if found else "", visual=visual)
        scene.setting_hint = place if found else None
        scene.action.append(visual)
        scene.lines.append(DraftLine(speaker=narrator.id, text=_capitalise(spoken), after_action=1))
        scenes.append(scene)
    title = topic.rstrip("?？").strip()
    return title, scenes


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
