"""Who a word says a person is: kinship words, titles, pronouns and indefinites in every language we read.

The cast reads gender and age from these (Grandma, her grandson, दादी, பாட்டி,
అమ్మమ్మ, ঠাকুমা, abuela, Mrs); the narration's mentions refuse the pronouns,
indefinites and their case forms as names (किसी, তাহার, யாரோ, ఎవరో, alguien,
someone); and a relation said of someone ("her grandson") tells about the
person it belongs to as well: she is a woman, and a grandparent.
"""

from __future__ import annotations

import unicodedata

from filmstudio.models.plan import AgeGroup, Gender

# word -> (gender, age group); either may be None.
HINTS: dict[str, tuple[Gender | None, AgeGroup | None]] = {}


def _hints(gender: Gender | None, age: AgeGroup | None, words: str) -> None:
    for w in unicodedata.normalize("NFC", words).split():
        HINTS[w.casefold()] = (gender, age)


_hints("female", "elder", "grandmother grandma granny grannie grandmom gran nana-ji old-woman abuela abuelita anciana "
       "vieja grand-mère avó nonna oma "
       "दादी नानी बूढ़ी बुढ़िया दादीमाँ दादीमां பாட்டி பாட்டியம்மா கிழவி அம்மம்மா அம்மாச்சி ஆச்சி அப்பத்தா "
       "అమ్మమ్మ నానమ్మ బామ్మ ముసలావిడ అవ్వ ঠাকুমা ঠাকুরমা দিদিমা ঠাম্মা বুড়ি বৃদ্ধা")
_hints("male", "elder", "grandfather grandpa grandad granddad gramps abuelo abuelito anciano viejo grand-père avô nonno "
       "opa दादा नाना बूढ़ा தாத்தா கிழவன் తాత ముసలాయన పెద్దాయన দাদু ঠাকুরদা বুড়ো")
_hints(None, "elder", "பெரியவர்")
_hints(None, "elder", "old elderly aged ancient बुज़ुर्ग बुजुर्ग வயதான முதியவர் ముసలి వృద్ధ বৃদ্ধ")
_hints("male", "child", "grandson boy son-kid lad nieto niño chico muchachito petit-fils garçon neto menino पोता नाती "
       "बच्चा लड़का பேரன் சிறுவன் மனவడు మనవడు అబ్బాయి పిల్లవాడు নাতি ছেলেটি খোকা")
_hints("female", "child", "granddaughter girl lass nieta niña chica muchachita petite-fille fille neta menina पोती "
       "नातिन बच्ची लड़की பேத்தி சிறுமி మనవరాలు అమ్మాయి పాప নাতনি মেয়েটি খুকি খুকী খোঁখী")
_hints(None, "child", "child kid toddler baby infant grandchild")
_hints(None, "teen", "teenager teenage teen adolescent adolescente")
_hints("female", "adult", "দিদিমণি ম্যাডাম मैडम टीचर அக்காள் టీచరమ్మ")
_hints("male", "adult", "মাস্টারমশাই मास्टरजी வாத்தியார் మాస్టారు kaka काका chacha")
_hints("female", "adult", "woman lady mother mom mum mommy mummy wife bride aunt auntie aunty widow postmistress "
       "actress waitress queen nun madam ma'am "
       "mujer señora madre mamá esposa novia tía viuda dama femme madame mère frau mutter donna madre "
       "माँ मां अम्मा अम्माँ अम्मी अम्मीजान औरत महिला पत्नी बहू दुल्हन मौसी बुआ चाची मामी ताई भाभी सास "
       "அம்மா தாய் மனைவி மணமகள் அத்தை அக்கா அம்மா அம்மாள் சித்தி பெரியம்மா "
       "అమ్మ భార్య పెళ్లికూతురు అత్త అత్తయ్య అక్క పిన్ని "
       "মা স্ত্রী বউ কনে মাসি পিসি দিদি মহিলা কাকিমা জেঠিমা")
_hints("male", "adult", "man gentleman father dad daddy papa husband groom uncle priest monk king mister widower "
       "hombre señor padre papá esposo marido novio tío viudo caballero guardia homme monsieur père mann vater uomo "
       "पिता पापा बाबूजी बापू अब्बा अब्बाजान पति दूल्हा चाचा मामा आदमी पुजारी मौसा फूफा ताऊ जीजा ससुर "
       "அப்பா தந்தை கணவன் மாப்பிள்ளை மணமகன் மாமா அண்ணா அண்ணன் பூசாரி சித்தப்பா பெரியப்பா "
       "నాన్న భర్త పెళ్లికొడుకు మామయ్య అన్న అన్నయ్య పూజారి బాబాయ్ "
       "বাবা স্বামী বর মামা কাকা দাদা পুরোহিত জেঠু")
# Pronouns are left out on purpose: in "ARJUN (10), her grandson" the "her" is someone else.
_hints("male", None, "nephew sobrino neveu भतीजा भांजा மருமகன் మేనల్లుడు ভাইপো ভাগ্নে")
_hints("female", None, "niece sobrina nièce भतीजी भांजी மருமகள் మేనకోడలు ভাইঝি ভাগ্নী")
_hints("female", None, "daughter sister princess hija hermana señorita doña miss mrs ms "
       "बेटी बहन दीदी श्रीमती कुमारी மகள் தங்கை திருமதி செல்வி కూతురు చెల్లి శ్రీమతి মেয়ে বোন শ্রীমতী")
_hints("female", None, "amiga vecina criada")
_hints("male", None, "amigo vecino criado escudero")
_hints("male", None, "son brother prince hijo hermano don mr sir "
       "बेटा भाई भैया மகன் தம்பி திரு కొడుకు తమ్ముడు ছেলে ভাই")

# A relation said of someone tells how old that someone is: whoever has a grandson is a grandparent.
GRANDCHILD_WORDS = frozenset(unicodedata.normalize("NFC", w) for w in (
    "grandson granddaughter grandchild grandchildren grandsons granddaughters nieto nieta nietos nietas "
    "पोता पोती नाती नातिन பேரன் பேத்தி மனவడు మనవడు మనవరాలు নাতি নাতনি").split())

# Possessive pronouns that carry their owner's gender ("her grandson": the owner is a woman). Hindi
# उसका/उसकी agree with the thing owned and Bengali তার and Spanish su say nothing, so they are absent.
POSSESSIVE_GENDER: dict[str, Gender] = {
    "her": "female", "his": "male",
    "அவளுடைய": "female", "அவளது": "female", "அவனுடைய": "male", "அவனது": "male",
    "ఆమె": "female", "ఆవిడ": "female", "అతని": "male", "అతడి": "male", "వాడి": "male",
}

# Pronouns, indefinites and their case forms: never a person's name, in any language we read.
NOT_PEOPLE = frozenset(unicodedata.normalize("NFC", w) for w in """
    someone somebody anyone anybody nobody everyone everybody whoever he she they him her them his hers
    their theirs it its who whom one
    alguien nadie ella él ellos ellas usted ustedes yo tú nosotros quien quién alguno alguna ninguno
    ninguna todos todas cada
    कोई किसी किसे किसने किसको किसका किसकी किसके कौन उसने उन्होंने इसने इन्होंने वह वो वे यह ये उस इस उन
    इन उसे उन्हें इसे इन्हें मैं हम तुम आप मुझे हमें तुम्हें आपको मेरा मेरी मेरे हमारा हमारी तुम्हारा
    तुम्हारी आपका आपकी उसका उसकी उसके उनका उनकी उनके अपना अपनी अपने सब सभी लोग कुछ
    কেউ কেহ কেউই কারও কাহারও কাহাকেও কাউকে কে তাহার তাহাকে তাহারা তাহাদের তাঁহার তাঁহাকে সে তিনি তার
    তাঁর তাকে তাঁকে তারা তাদের আমি আমার আমাকে আমরা তুমি তোমার তোমাকে আপনি আপনার উনি ইনি এ ও যে
    যাহার যার সবাই সকলে কোনো
    யாரோ யாரும் யார் யாரையோ யாரிடமோ ஒருவர் ஒருவன் ஒருத்தி அவன் அவள் அவர் அவர்கள் அது இவன் இவள்
    இவர் நான் நீ நாம் நாங்கள் நீங்கள் என் உன் தன் அவனுடைய அவளுடைய அவருடைய அவனை அவளை அவரை அவனிடம்
    அவளிடம் அவரிடம் எல்லோரும் எல்லாரும்
    ఎవరో ఎవరు ఎవరైనా ఎవరూ ఒకరు అతను అతడు ఆమె ఆయన ఆవిడ వాడు అది వారు వాళ్ళు నేను నువ్వు మేము మనం
    మీరు నా నీ తన అతని అతనికి ఆమెకు ఆమెను అతన్ని అందరూ వారి
    """.split())
# Pronoun stems that take case endings in the Dravidian languages and Bengali ("அவனுக்கு", "ఆమెతో",
# "তাহাদিগকে"): a word that is one of these plus a short ending is a pronoun too.
_PRONOUN_STEMS = tuple(unicodedata.normalize("NFC", w) for w in """
    அவன் அவள் அவர் இவன் இவள் இவர் யார் அதன் அதை அவனு அவளு அவரு
    అతని అతడి ఆమె ఆయన ఆవిడ వాడి ఎవరి ఎవర
    তাহা তাঁহা কাহা তাদ আমাদ তোমাদ
    """.split())


def is_not_a_person(word: str) -> bool:
    """A pronoun, an indefinite or one of their case forms: never a character, whatever its position."""
    w = unicodedata.normalize("NFC", word).strip(" ,.;:!?।\"'“”‘’").casefold()
    if not w:
        return False
    if w in NOT_PEOPLE:
        return True
    if w.isascii():
        return False
    return any(w.startswith(stem) and len(w) - len(stem) <= 5 for stem in _PRONOUN_STEMS)


def kinship(word: str) -> tuple[Gender | None, AgeGroup | None] | None:
    """The (gender, age) a single kinship, title or person word says, or None."""
    return HINTS.get(unicodedata.normalize("NFC", word).strip(" ,.;:!?।\"'“”‘’").casefold())


def owner_of_relation(possessive: str, relation: str) -> tuple[Gender | None, AgeGroup | None] | None:
    """What "her grandson" says about *her*: a woman (the possessive), and a grandparent (the relation)."""
    gender = POSSESSIVE_GENDER.get(possessive.casefold())
    rel = unicodedata.normalize("NFC", relation).strip(" ,.;:!?").casefold()
    if kinship(rel) is None and rel not in GRANDCHILD_WORDS:
        return None
    age: AgeGroup | None = "elder" if rel in GRANDCHILD_WORDS else None
    if gender is None and age is None:
        return None
    return gender, age
