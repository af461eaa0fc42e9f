"""Who says a line of prose dialogue: the one place that decides it.

`find_speaker` reads the speech verbs and word orders of each language next to a quote:

"…," said Raju / Raju said    (English: a capitalised name next to a speech verb)
—le dijo / —respondió Lucía   (Spanish and other dash languages)
"…," राजू ने कहा               (Hindi: NAME ने … कहा/पूछा)
"…" என்று லட்சுமி சொன்னாள்     (Tamil: என்று NAME … verb; -ாள் is she, -ான் is he)
"…" అని రాజు అన్నాడు          (Telugu: అని NAME … verb; -ాడు he, -ింది she)
"…" রাজু বলল                  (Bengali: NAME বলল)
`Speakers` turns what it finds into a cast member: a name joins the cast, a pronoun ("she said",
"அவள் சொன்னாள்") is the latest-mentioned character of that gender (`people.mentions`); without a
speech verb, the character the narration beside the quote is about; then turn-taking in a
two-person exchange; otherwise the narrator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from filmstudio.analysis.parsers.markup import SENTENCE_BREAK as SENTENCES
from filmstudio.analysis.people.cast import KIN_SUFFIXES, Cast, CastMember
from filmstudio.analysis.people.kinship import NOT_PEOPLE
from filmstudio.analysis.people.mentions import Mentions
from filmstudio.models.plan import Gender

if TYPE_CHECKING:
    from filmstudio.analysis.parsers.prose_text import Segment

_LATIN_VERBS = (
    "said|says|asked|asks|replied|replies|answered|whispered|whispers|shouted|shouts|cried|called|muttered|"
    "murmured|added|exclaimed|yelled|screamed|sighed|laughed|begged|insisted|explained|continued|began|"
    "promised|told|agreed|admitted|announced|declared|demanded|warned|suggested|snapped|sobbed|stammered|"
    "pleaded|protested|remarked|repeated|reminded|teased|joked|grumbled|complained|mumbled|offered|ordered|"
    "dijo|dice|preguntó|pregunta|respondió|responde|contestó|gritó|grita|susurró|susurra|murmuró|exclamó|"
    "añadió|suspiró|insistió|explicó|llamó|prometió|repitió|suplicó|ordenó|advirtió|rogó|bromeó|sollozó|"
    "dit|demanda|répondit|cria|murmura|ajouta|s'écria|chuchota|promit|expliqua|"
    "disse|perguntou|respondeu|gritou|sussurrou|prometeu|"
    "chiese|rispose|gridò|sussurrò|promise|"
    "sagte|fragte|antwortete|rief|flüsterte|versprach"
)
_LATIN_HONORIFIC = r"(?:(?i:don|doña|señor|señora|señorita|mr\.?|mrs\.?|ms\.?|miss|dr\.?|old|young|little|"
_LATIN_HONORIFIC += r"madame|monsieur|dona|dom|signor|signora|herr|frau|grandpa|grandma|uncle|aunt)\s+|(?:el|la|o|a)\s+)?"
_CAP = r"[A-ZÁÉÍÓÚÑÜÇÀÂÊÎÔÛÄÖ][\w'’-]+"
# "said his sister Ruby", "asked her grandson, Theo": a possessive and a relation may come first.
_RELATION = r"(?:(?:his|her|their|my|our|your|su|sus|sa|son|ses|seu|sua)\s+(?:\w+,?\s+){1,2}?)?"
_LATIN_AFTER = re.compile(rf"\b(?:{_LATIN_VERBS})\s+{_RELATION}({_LATIN_HONORIFIC}{_CAP}(?:\s+{_CAP})?)")
_LATIN_BEFORE = re.compile(rf"({_LATIN_HONORIFIC}{_CAP}(?:\s+{_CAP})?)\s+(?:{_LATIN_VERBS})\b")
_LATIN_PRONOUN = re.compile(
    rf"\b(?:(she|he|ella|él|elle|il|ela|ele|lei|lui|sie|er)\s+(?:{_LATIN_VERBS})|(?:{_LATIN_VERBS})\s+(she|he|ella|él))\b",
    re.I,
)
_PERSON_NOUNS = (
    "boy|girl|man|woman|old man|old woman|child|stranger|guard|driver|soldier|doctor|nurse|teacher|priest|"
    "fisherman|farmer|shopkeeper|waiter|policeman|officer|captain|king|queen|mother|father|grandmother|"
    "grandfather|lady|gentleman|niño|niña|hombre|mujer|anciano|anciana|viejo|vieja|guardia|soldado|médico|"
    "maestro|maestra|señora|señor|señorita|muchacho|muchacha|chico|chica|abuela|abuelo|vendedor|vendedora|"
    "garçon|fille|homme|femme|vieil homme|vieille femme"
)
_LATIN_COMMON_SPEAKER = re.compile(
    rf"\b(?:{_LATIN_VERBS})\s+(?:the|a|an|el|la|un|una|le|l'|une)\s+(old |young |little |viejo |vieja )?({_PERSON_NOUNS})\b",
    re.I,
)
# "said the Dog", "answered the Tortoise": a fable's character named by a capitalised common noun.
_LATIN_THE_CAPITAL = re.compile(rf"\b(?:{_LATIN_VERBS})\s+(?:the|el|la|le)\s+([A-Z][a-z]+)\b")
_LATIN_VERB_ONLY = re.compile(rf"\b(?:le |les |me |te |nos )?(?:{_LATIN_VERBS})\b", re.I)
_PRONOUN_GENDER: dict[str, Gender] = {
    "she": "female", "ella": "female", "elle": "female", "ela": "female", "lei": "female", "sie": "female",
    "he": "male", "él": "male", "il": "male", "ele": "male", "lui": "male", "er": "male",
    "वह": "female", "अவள்": "female", "அவள்": "female", "அவன்": "male", "ఆమె": "female", "ఆవిడ": "female",
    "అతను": "male", "అతడు": "male", "ఆయన": "male", "వాడు": "male",
}
_NOT_NAMES = frozenset(
    """he she they it i we you the a an then but and so his her their this that there here when while as
    el la los las un una ella él ellos entonces pero y cuando mientras
    il elle ils elles le les une puis mais et quand
    ele ela eles o os um uma então mas e quando er sie es der die das dann aber und""".split()
) | {w for w in NOT_PEOPLE if w.isascii() or w in ("él", "tú", "quién")}

_HI_VERBS = r"(?:कहा|पूछा|बोल|बताया|पुकारा|जवाब|चिल्ला|चीख|फुसफुसा|मुस्कुरा|समझाया)"
_HI_NE = re.compile(rf"((?:\S+\s+)?\S+)\s+ने\s+(?:\S+\s+){{0,5}}?{_HI_VERBS}")
_HI_PRONOUN = re.compile(rf"(?:उसने|उन्होंने|इसने|वह|वो|वे)\s+(?:\S+\s+){{0,4}}?{_HI_VERBS}")
_HI_DIRECT = re.compile(r"((?:\S+\s+)?\S+)\s+(?:बोला|बोली|बोले|चिल्लाया|चिल्लाई|चीखा|चीखी|फुसफुसाया|फुसफुसाई)")
# "என்றாள் கயல்": the verb first, then the speaker.
_TA_VERB_FIRST = re.compile(r"(?:என்றாள்|என்றான்|என்றார்|சொன்னாள்|சொன்னான்|கேட்டாள்|கேட்டான்)\s+(\S+)")
_TE_VERB_FIRST = re.compile(r"(?:అంది|అన్నాడు|అన్నది|చెప్పింది|చెప్పాడు|అడిగింది|అడిగాడు)\s+(\S+)")
_ROMAN_HI = re.compile(r"\b([A-Z]\w+(?:\s+[a-z]\w+)?)\s+(?:ne\s+(?:\w+\s+){0,3}?(?:kaha|pucha|poocha|puchha|bataya)|"
                       r"(?:bola|boli|bole|chillaya|chillayi|chillai))\b")
# Quotative, the words before the finite verb (third person: -ாள் she, -ான் he, -ார் honorific).
_TA_QUOTATIVE = re.compile(r"(?:என்று|என)\s+((?:\S+\s+){1,5}?)(\S+(?:ாள்|ான்|ார்|ார்கள்))(?=[\s.,!?]|$)")
_TE_QUOTATIVE = re.compile(r"(?:అని|అంటూ)\s+((?:\S+\s+){1,5}?)(\S+(?:ాడు|ింది|ంది|ారు|ాను))(?=[\s.,!?]|$)")
_TA_ENDRU = re.compile(r"(?:என்று|என|என்றபடி)\s+(?:ஒரு|அந்த|அந்தப்)?\s*(\S+)")
_TA_DIRECT = re.compile(r"(\S+)\s+(?:\S+\s+){0,3}?(\S*(?:சொன்ன|கேட்ட|கூறின|கத்தின|சொல்லின|பதிலளித்த|அழைத்த)\S*)")
_TA_VERB = re.compile(r"(?:சொன்ன|கேட்ட|கூறின|கத்தின|சொல்லின|பதிலளித்த|அழைத்த)(ாள்|ான்|ார்|ார்கள்)")
_TE_ANI = re.compile(r"(?:అని|అంటూ)\s+(?:ఒక|ఆ|ఓ)?\s*(\S+)")
_TE_DIRECT = re.compile(r"(\S+)\s+(?:\S+\s+){0,3}?\S*(?:అన్నా|అంది|అన్నది|చెప్పా|చెప్పింది|అడిగా|అడిగింది|అరిచా|అరిచింది)")
_TE_VERB = re.compile(r"(?:అన్న|అం|చెప్ప|అడిగ|అరిచ)(ాడు|ింది|ది|ారు)")
# Spoken Bengali (বলল) and the literary sadhu bhasha of Tagore's day (বলিল, কহিল, জিজ্ঞাসা করিল).
_BN_VERBS = (r"(?:বলল|বললেন|বলে উঠল|জিজ্ঞেস করল|জিজ্ঞাসা করল|চেঁচিয়ে|উত্তর দিল|ফিসফিস|হাসল|হাসলেন|ডাকল|"
             r"ডাকলেন|চেঁচাল|বলিল|বলিলেন|বলিয়া উঠিল|কহিল|কহিলেন|জিজ্ঞাসা করিল|জিজ্ঞাসা করিলেন|উত্তর করিল|"
             r"উত্তর দিলেন|ডাকিল|ডাকিলেন|ডাকিতে লাগিল|বলিত|কহিত|জিজ্ঞাসা করিত)")
_BN_BEFORE = re.compile(rf"(?<!একজন )(\S+)\s+(?:\S+\s+){{0,2}}?{_BN_VERBS}")
_BN_AFTER = re.compile(r"(?:বলল|বললেন|জিজ্ঞেস করল|উত্তর দিল|বলিল|কহিল|জিজ্ঞাসা করিল)\s+(\S+)")
# Whom and whose, not who: "কাবুলিওয়ালা মিনিকে দেখিয়া … জিজ্ঞাসা করিল" is the Kabuliwala asking Mini.
_BN_OBLIQUE = re.compile(r"(?:কে|রে|দের|য়|তে)$")
_BN_ADVERBS = frozenset("এমন সময় হঠাৎ তখন তারপর পরে এখন আজ সেদিন আবার একদিন শেষে অবশেষে".split())


def _bengali_subject(frag: str, verb_at: int) -> str | None:
    """Bengali puts the subject first: the first word of the clause that ends in the speech verb,
    past adverbs and words in an oblique case."""
    clause = re.split(r"[,;।!?]", frag[:verb_at])[-1]
    for word in (_clean(w) for w in clause.split()):
        if word and word not in _BN_ADVERBS and not _BN_OBLIQUE.search(word) and word not in _DETERMINERS:
            return word
    return None

_DETERMINERS = frozenset("ஒரு அந்த அந்தப் இந்த ఒక ఆ ఈ ఓ এক একজন সেই এই".split())
_INDIC_NOT_NAMES = frozenset(
    """தன் தன்னுடைய என் உன் நம் எங்கள் அவனுடைய அவளுடைய அவருடைய తన నా నీ మా మన అతని వారి
    তার আমার তোমার নিজের अपनी अपने अपना उसकी उसके उसका मेरी मेरा
    वह वो उसने उन्होंने मैंने हमने तुमने आपने उसकी उसके यह ये सब दोनों फिर और तो
    அவள் அவன் அவர் நான் அது அவர்கள் இருவரும் பிறகு மெதுவாக
    ఆమె అతను అతడు ఆయన నేను వాడు ఆవిడ వాళ్ళు ఇద్దరూ
    সে তিনি আমি ও উনি তারা দুজনে তারপর""".split()
) | NOT_PEOPLE
# Postpositions and particles that can precede a subject: "छत से दादी चिल्लाईं".
_HI_FUNCTION_WORDS = frozenset("से की का के में पर ने को तक भी तो और ही".split())
# 「…」と花子は言った / 花子が答えた;  “…”小明说 / 小明问道
_JA_SPEAKER = re.compile(r"(?:と|って)?\s*([\u3040-\u30ff\u4e00-\u9fff]{1,6}?)(?:さん|くん|ちゃん)?(?:は|が)"
                         r"(?:言った|言いました|言う|尋ねた|聞いた|答えた|叫んだ|ささやいた|つぶやいた)")
_ZH_SPEAKER = re.compile(r"([\u4e00-\u9fff]{1,4}?)(?:说道|说|問道|问道|问|答道|回答|喊道|叫道|低声说)")
_TRAILING_PUNCT = " ,.;:!?।'\"“”‘’—–-"


@dataclass(frozen=True)
class Attribution:
    name: str | None = None  # a name (or kinship word) written in the text
    gender: Gender | None = None  # what the verb or pronoun says about the speaker
    pronoun: bool = False  # "she said": the speaker is someone already mentioned
    verb: bool = False  # a speech verb was there, even without a subject


def _clean(token: str) -> str:
    return token.strip(_TRAILING_PUNCT)


_SELF_NAMED = re.compile(
    r"\b(?:I'm|I am|[Mm]y name is|[Mm]e llamo|[Ss]oy|[Jj]e m'appelle|[Jj]e suis|[Ee]u sou|[Mm]i chiamo|[Ii]ch bin)\s+"
    r"((?:(?:Professor|Doctor|Dr\.?|Captain|Mr\.?|Mrs\.?|Ms\.?|Miss|Señor|Señora|el|la)\s+)?[A-ZÁÉÍÓÚÑ][\w'’-]+)|"
    r"(?:मेरा नाम|मैं हूँ|என் பெயர்|నా పేరు|আমার নাম)\s+(\S+?)(?:\s+(?:है|।)|[\s,.!?।]|$)"
)


def self_named(speech: str) -> str | None:
    """The name a speaker gives themselves: "I'm Professor Lin", "मेरा नाम पिंकी है"."""
    m = _SELF_NAMED.search(speech)
    if not m:
        return None
    name = (m.group(1) or m.group(2) or "").strip(" ,.!?।")
    first = name.split()[0].lower() if name else ""
    return None if not name or first in _NOT_NAMES else name


_TA_SUBJECT_SKIP = re.compile(r"(?:இடம்|க்கு|ுக்கு|ிடம்|ஐ|ை|இல்|ில்|ால்|ோடு|உடன்|ுடன்|ாக|ான)$")
# Not -ను/-ని (accusative): too many names end so (చిన్ను, రాణి).
_TE_SUBJECT_SKIP = re.compile(r"(?:కు|కి|తో|లో|గా|న్న|ిన)$")


def _quotative_subject(between: str, skip_suffix: re.Pattern[str]) -> str | None:
    """The subject among the words between a quotative and its verb: the last one that is not
    a pronoun, a determiner or a word in an oblique case. "அவன் மனைவி பொன்னி" -> "பொன்னி",
    "ఎదురుగా ఉన్న ఒక ముసలావిడ" -> "ముసలావిడ", "லட்சுமி தன் தாயிடம்" -> "லட்சுமி"."""
    kept = [w for w in (_clean(t) for t in between.split())
            if w and w not in _INDIC_NOT_NAMES and w not in _DETERMINERS and not skip_suffix.search(w)]
    return kept[-1] if kept else None


@dataclass(frozen=True)
class _QuotativeGrammar:
    """How Tamil and Telugu attribute speech: a verb whose ending gives the gender, an optional
    verb-first order, and a quotative (என்று / అని) with the subject between it and the verb."""

    verb: re.Pattern
    verb_gender: dict[str, str]
    verb_first: re.Pattern
    quotative: re.Pattern
    subject_skip: re.Pattern[str]
    quotative_ending: str  # the verb endings after a quotative, as a regex alternation
    ending_gender: Callable[[str], str | None]
    after_quotative: re.Pattern  # NAME before the quotative (… என்று லட்சுமி)
    direct: re.Pattern


def _dravidian_attribution(frag: str, g: _QuotativeGrammar) -> Attribution | None:
    verb = g.verb.search(frag)
    gender: Gender | None = g.verb_gender.get(verb.group(1)) if verb else None  # type: ignore[assignment]
    m = g.verb_first.match(frag.strip(" ,."))
    q = g.quotative.search(frag)
    if not m and q:
        # "என்று அவன் மனைவி பொன்னி கூப்பிட்டாள்": the subject sits between quotative and verb.
        subject = _quotative_subject(q.group(1), g.subject_skip)
        ending = re.search(f"({g.quotative_ending})$", q.group(2))
        gender = gender or (g.ending_gender(ending.group(1)) if ending else None)  # type: ignore[assignment]
        if subject:
            return Attribution(name=subject, gender=gender, verb=True)
        return Attribution(gender=gender, pronoun=True, verb=True)
    m = m or g.after_quotative.search(frag) or g.direct.search(frag)
    if m:
        name = _clean(m.group(1))
        if name in _INDIC_NOT_NAMES:
            return Attribution(gender=_PRONOUN_GENDER.get(name, gender), pronoun=True, verb=True)
        return Attribution(name=name, gender=gender, verb=bool(verb))
    return Attribution(gender=gender, verb=True) if verb else None


_TAMIL = _QuotativeGrammar(
    verb=_TA_VERB, verb_gender={"ாள்": "female", "ான்": "male"}, verb_first=_TA_VERB_FIRST,
    quotative=_TA_QUOTATIVE, subject_skip=_TA_SUBJECT_SKIP, quotative_ending="ாள்|ான்",
    ending_gender={"ாள்": "female", "ான்": "male"}.get, after_quotative=_TA_ENDRU, direct=_TA_DIRECT)
_TELUGU = _QuotativeGrammar(
    verb=_TE_VERB, verb_gender={"ాడు": "male", "ింది": "female", "ది": "female"}, verb_first=_TE_VERB_FIRST,
    quotative=_TE_QUOTATIVE, subject_skip=_TE_SUBJECT_SKIP, quotative_ending="ాడు|ింది|ంది",
    ending_gender=lambda ending: "male" if ending == "ాడు" else "female", after_quotative=_TE_ANI, direct=_TE_DIRECT)


def find_speaker(fragment: str, language: str) -> Attribution | None:
    """The speaker named (or implied) by the narration next to a quote, if any."""
    frag = fragment.strip()
    if not frag:
        return None
    # The danda (U+0964) is shared punctuation, so it does not make a fragment Hindi.
    if re.search(r"[\u0900-\u0963\u0966-\u097F]", frag):
        m = _HI_NE.search(frag) or _HI_DIRECT.search(frag)
        if not m and _HI_PRONOUN.search(frag):
            # "उसने कहा", "वह बोली": someone already on stage.
            tail = _HI_PRONOUN.search(frag).group(0)
            gender = "female" if re.search(r"(?:बोली|चिल्लाई|पूछने लगी)", tail) else (
                "male" if re.search(r"(?:बोला|चिल्लाया|पूछने लगा)", tail) else None)
            return Attribution(gender=gender, pronoun=True, verb=True)
        if m:
            words = [_clean(w) for w in m.group(1).split()]
            name = words[-1]
            if len(words) > 1 and name in KIN_SUFFIXES and words[-2] not in _HI_FUNCTION_WORDS:
                name = f"{words[-2]} {name}"
            gender = None
            tail = frag[m.end() - 4:m.end() + 6]
            if re.search(r"(?:ई|ी)(?:\s|$|।|,)", tail):
                gender = "female"
            elif re.search(r"(?:या|ा)(?:\s|$|।|,)", tail) and "कहा" not in tail and "पूछा" not in tail:
                gender = "male"
            if name in _INDIC_NOT_NAMES:
                return Attribution(gender=gender, pronoun=True, verb=True)
            return Attribution(name=name, gender=gender, verb=True)
        return None
    if re.search(r"[\u0B80-\u0BFF]", frag):
        return _dravidian_attribution(frag, _TAMIL)
    if re.search(r"[\u0C00-\u0C7F]", frag):
        return _dravidian_attribution(frag, _TELUGU)
    if re.search(r"[\u0980-\u09FF]", frag):
        m = _BN_BEFORE.search(frag)
        if m:
            verb = re.compile(_BN_VERBS).search(frag, m.start())
            name = _bengali_subject(frag, verb.start() if verb else m.end()) or _clean(m.group(1))
            if name in _INDIC_NOT_NAMES:
                return Attribution(pronoun=True, verb=True)
            return Attribution(name=name, verb=True)
        m = _BN_AFTER.search(frag)
        if m:
            name = _clean(m.group(1))
            if name in _INDIC_NOT_NAMES:
                return Attribution(pronoun=True, verb=True)
            return Attribution(name=name, verb=True)
        return None
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", frag):
        m = _JA_SPEAKER.search(frag) or _ZH_SPEAKER.search(frag)
        if m:
            name = m.group(1)
            if name in ("彼女", "彼", "她", "他"):
                return Attribution(gender="female" if name in ("彼女", "她") else "male", pronoun=True, verb=True)
            return Attribution(name=name, verb=True)
        return None
    m = _ROMAN_HI.search(frag)
    if m:
        # Hindi in Latin letters: "Priya ne kaha", "Ramu kaka bole".
        gender = "female" if re.search(r"\b(?:boli|chillayi|chillai)\b", frag) else (
            "male" if re.search(r"\b(?:bola|chillaya)\b", frag) else None)
        return Attribution(name=m.group(1), gender=gender, verb=True)  # type: ignore[arg-type]
    for pattern in (_LATIN_AFTER, _LATIN_BEFORE):
        for m in pattern.finditer(frag):
            name = m.group(1).strip()
            first = name.split()[0].lower()
            if first in _NOT_NAMES and len(name.split()) == 1:
                continue
            if first in ("el", "la", "o", "a", "the") and len(name.split()) > 1:
                name = " ".join(name.split()[1:])
            return Attribution(name=name, verb=True)
    m = _LATIN_THE_CAPITAL.search(frag)
    if m:
        return Attribution(name=m.group(1), verb=True)
    m = _LATIN_COMMON_SPEAKER.search(frag)
    if m:
        # "asked the boy", "said an old woman": a person named by what they are.
        phrase = f"{m.group(1) or ''}{m.group(2)}".strip().lower()
        return Attribution(name=phrase[:1].upper() + phrase[1:], verb=True)
    m = _LATIN_PRONOUN.search(frag)
    if m:
        pronoun = (m.group(1) or m.group(2)).lower()
        return Attribution(gender=_PRONOUN_GENDER.get(pronoun), pronoun=True, verb=True)
    if _LATIN_VERB_ONLY.search(frag):
        # "—le dijo con voz cansada": a speech verb whose subject is the last person mentioned.
        return Attribution(pronoun=True, verb=True)
    return None


class Speakers:
    """Who says each line of a prose story: the attribution next to a quote resolved against the
    cast and the narration's mentions, then the narration beside it, then turn-taking."""

    def __init__(self, cast: Cast, mentions: Mentions, language: str):
        self.cast = cast
        self.mentions = mentions
        self.language = language
        self.recent: list[str] = []  # who spoke in this scene, one entry per change of speaker
        # A narrative paragraph that ends in ":" ("…, dijo a su escudero:") hands the next
        # paragraph's speech to its subject.
        self.lead_in: str | None = None

    def new_scene(self) -> None:
        self.recent = []

    def after_narration(self, paragraph: str) -> None:
        self.lead_in = paragraph if paragraph.rstrip().endswith(":") else None

    def spoke(self, member: CastMember) -> None:
        if member.id not in self.recent[-1:]:
            self.recent.append(member.id)

    def utterances(self, segs: list[Segment]) -> list[tuple[CastMember, list[str]]]:
        """A dialogue paragraph's speech, split by who says it: (speaker, pieces of speech)."""
        speaker = self._first_speaker(segs)
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
                    if not current.is_narrator and current.id not in self.recent[-1:]:
                        self.recent.append(current.id)
                    other = self.resolve(found, follow.text)
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
        self.lead_in = None
        return utterances

    def _first_speaker(self, segs: list[Segment]) -> CastMember:
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
                    member = self.mentions.subject_of(before[-1].text)
                    if member:
                        if found.gender:
                            self.cast.vote_gender(member, found.gender)
                        return member
                member = self.resolve(found, seg.text)
                if member:
                    return member
        # "Nadia Rahman? I'm Professor Lin.": a speaker who says who they are.
        introduced = self_named(" ".join(seg.text for seg in segs if seg.kind == "speech"))
        if introduced:
            member = self.cast.get(introduced) or self.cast.add(introduced)
            self.mentions.touch(member)
            return member
        # No speech verb: the character named in the narration next to the quote, the
        # sentence leading into it or, when the quote opens the paragraph, the one after it
        # ("“Liar.” Aunt Mary stood").
        beside = [before[-1].text] if before else []
        if first_speech == 0 and candidates:
            beside.append(SENTENCES.split(candidates[0].text.strip(), maxsplit=1)[0])
        for text in beside:
            member = self.mentions.subject_of(text)
            if member:
                return member
        if self.lead_in:
            found = find_speaker(self.lead_in, self.language)
            member = self.resolve(found, self.lead_in) if found else self.mentions.subject_of(self.lead_in)
            if member:
                return member
        # Turn-taking: an unattributed reply in a two-person exchange is the other person's.
        if len(self.recent) >= 2 and self.recent[-1] != self.recent[-2]:
            return next(m for m in self.cast.members() if m.id == self.recent[-2])
        return self.cast.narrator()

    def resolve(self, found: Attribution, context: str) -> CastMember | None:
        """The cast member an attribution means: the one it names (joining the cast if new), or for
        "she said" the latest mentioned who fits and did not just speak."""
        if found.name:
            name = found.name
            # "the captain" is whoever the story called Captain Ellis, before any other "Captain".
            known = self.mentions.named_as(name) or self.cast.get(name)
            if known is None and not re.search(r"[A-Za-z]", name):
                known = self.cast.by_stem(name)
            member = known or self.cast.add(name)
            if found.gender:
                self.cast.vote_gender(member, found.gender, 2)
            self.mentions.touch(member)
            return member
        if found.pronoun or found.verb:
            # "she said" right after someone else's line is rarely that someone: people take turns.
            previous = self.recent[-1] if self.recent else None
            candidates = [m for m in reversed(self.mentions.last_mentioned) if m.id != previous and not m.is_narrator]
            # Someone known to match the pronoun first, then someone of unknown gender.
            ranked = [m for m in candidates if found.gender and m.character().gender == found.gender] + [
                m for m in candidates if found.gender is None or m.character().gender is None]
            if ranked:
                member = ranked[0]
                if found.gender:
                    self.cast.vote_gender(member, found.gender)
                return member
        return None

