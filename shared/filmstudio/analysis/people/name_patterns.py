"""Word lists and patterns for finding people in narration, in any script.

Capitalised runs find names in Latin-script prose ("Grandpa Joe", "don Tomás");
scripts without capitals rely on grammar: the word before an honorific suffix
("सुधा अम्मा"), the agent before ने, an introduction ("उसका नाम सोनू था"), or a
person brought on by an indefinite ("এক বুড়ো বাঁশিওয়ালা").
"""

from __future__ import annotations

import re

from filmstudio.analysis.people.cast import hints_in
from filmstudio.analysis.people.kinship import NOT_PEOPLE, is_not_a_person

PLACE_PREPOSITIONS = frozenset(
    "de des du del della dei do dos das la las los le les the in at en to from a à da di von nach hacia desde para "
    "of near into towards por".split()
)
LATIN_NAME_RUN = re.compile(
    r"(?<![\w'’])((?:[A-ZÁÉÍÓÚÑÜÇ][a-záéíóúñüçàâêîôûäöëï'’-]+)(?:\s+[A-ZÁÉÍÓÚÑÜÇ][a-záéíóúñüçàâêîôûäöëï'’-]+)*)"
)
TITLE_WORDS = frozenset("""grandpa grandma granny uncle aunt auntie don doña mr mrs ms miss dr señor señora señorita
    abuela abuelo tía tío madame monsieur sr sra srta prof captain capitán doctor professor inspector detective
    sergeant officer colonel general judge king queen prince princess lord lady sir master father sister brother
    mother nurse teacher coach maestro maestra profesor profesora padre madre""".split())
LOWERCASE_TITLES = frozenset("""don doña señor señora señorita abuela abuelo tía tío madame monsieur dona dom
    maestra maestro profesor profesora doctor doctora padre madre hermana hermano capitán""".split())
SENTENCE_STARTERS = frozenset(
    """The A An He She They It We I You His Her Their This That There Then When While But And So One Every Al Un
    Una El La Los Las Ella Él Cuando Pero Y Entonces En Con Sin Por Para Le Les Il Elle Ils Puis Mais Et Quand
    O Os Um Uma Ele Ela Der Die Das Ein Eine Er Sie Es Dann Aber Und Lo Si No Yes Oh Ah Señorita Señor Señora
    Don Doña Mr Mrs Ms Miss Dr Old Young Little Grandma Grandpa Mother Father God Dios
    Inside Outside Now Later Suddenly Finally Meanwhile Today Yesterday Tomorrow Here Yes Still Once Soon After
    Before Outside Upstairs Downstairs Everyone Nobody Someone Something Nothing Everything Somewhere Perhaps Maybe
    Dentro Fuera Luego Después Ahora Hoy Ayer Aquí Allí Allá Sí Nadie Todos Alguien Algo Nada Quizás Pronto Antes
    Dedans Dehors Maintenant Aujourd'hui Hier Demain Ici Là Oui Personne Quelqu'un Rien Enfin Soudain Ensuite
    Dentro Fora Agora Hoje Ontem Aqui Ali Sim Ninguém Alguém Nada Depois Drinnen Draußen Jetzt Heute Gestern
    Hier Ja Niemand Jemand Nichts Dopo Ora Oggi Ieri Qui Lì Nessuno Qualcuno Niente""".split()
)


INDIC_WORD = r"[\u0900-\u0963\u0966-\u0DFF]+"
# Overlapping pairs (the lookahead), so "बूढ़ी सुधा अम्मा" yields "सुधा अम्मा" too.
INDIC_PAIR = re.compile(rf"(?<![\w\u0900-\u0DFF])({INDIC_WORD})\s+(?=({INDIC_WORD}))")
HI_AGENT = re.compile(r"(?:^|[।.!?]\s*)([\u0900-\u0963\u0966-\u097F]+)\s+(?:[\u0900-\u0963\u0966-\u097F]+\s+)?ने\s")
INDIC_NOT_NAMES = frozenset(
    """उनका उनकी उनके उसका उसकी उसके अपना अपनी अपने मेरा मेरी हमारा तुम्हारा वह वो उस इस एक हर पूरा
    से की का के में पर ने को तक भी तो और ही वाली वाला वाले छोटी छोटा बड़ी बड़ा
    থেকে কাছে সঙ্গে আর ও এবং ছোট্ট বড় దగ్గర కూడా మరియు లో ఆ
    தன் என் அவளுடைய அவனுடைய அவள் அவன் ஒரு அந்த இந்த
    తన నా ఆమె అతని ఒక ఆ ఈ
    তার আমার নিজের সে এক ওই এই""".split()
) | NOT_PEOPLE


PERSON_NOUN_RE = (r"(?:father|mother|brother|sister|grandmother|grandfather|uncle|aunt|husband|wife|son|daughter|"
                  r"padre|madre|hermano|hermana|abuelo|abuela|esposo|esposa|"
                  r"boy|girl|man|woman|child|stranger|guard|driver|soldier|doctor|nurse|teacher|priest|farmer|"
                  r"shopkeeper|waiter|officer|captain|lady|gentleman|beggar|seller|vendor|\w+man|\w+woman|"
                  r"niño|niña|hombre|mujer|anciano|anciana|señora|señor|muchacho|muchacha|vendedor|vendedora)")
INDEFINITE_PERSON = re.compile(
    rf"\b(?i:an?|un|una|the|el|la|her|his|their|my|su)\s+(?:(old|young|little|elderly|tall|short|viejo|vieja|joven)\s+)?({PERSON_NOUN_RE})\b|"
    r"(?:एक|এক|ఒక|ஒரு|একজন)\s+(?:([\u0900-\u0DFF]+)\s+)?([\u0900-\u0DFF]+)"
)
NAMING = re.compile(
    r"\b(?:his|her|whose) name (?:was|is) ([A-Z][\w'’-]+)|\b(?:se llamaba|su nombre era|s'appelait|chamava-se) "
    r"([A-ZÁÉÍÓÚÑ][\w'’-]+)|"
    r"(?:नाम|பெயர்|పేరు|নাম)\s+(\S+?)\s*(?:था|थी|है|।|\.|$)"
)


def noun_stem(noun: str) -> str:
    # Indic nouns inflect at the end (लड़का, लड़के): compare without the last letter.
    noun = noun.casefold()
    return noun[:-1] if any(ord(c) >= 0x0900 for c in noun) and len(noun) > 2 else noun


def not_a_name(word: str) -> bool:
    """A word of the narration that cannot be a person's name: a pronoun, an indefinite, a case form."""
    return word in INDIC_NOT_NAMES or is_not_a_person(word)


def has_hint_stem(word: str) -> bool:
    return bool(hints_in(word))
