"""What a character wears: a small fixed vocabulary the storyboard can draw.

From what the script says near the character ("in a faded cotton saree", "a
fisherman", "NURSE OKAFOR", "clutches a school bag"), then, if it says nothing
about clothes, a default from gender, age and the script's region (a
grandmother in a Tamil village wears a sari; a man in Valparaíso a shirt and
trousers). An unknown gender gets no gendered default.
"""

from __future__ import annotations

from filmstudio.vocabulary.matcher import LexiconMatcher

# The vocabulary: every value Character.attire may hold (docs/plan-schema.md).
ATTIRE = ("sari", "kurta", "dhoti", "school_uniform", "apron", "fisherman", "suit", "shirt_trousers", "dress",
          "robe", "uniform")

GARMENTS = LexiconMatcher({
    "sari": ["sari", "saris", "saree", "sarees", "साड़ी", "साडी", "புடவை", "சேலை", "చీర", "শাড়ি", "শাড়ী"],
    "kurta": ["kurta", "kurtas", "kurta-pyjama", "salwar", "kameez", "sherwani", "कुर्ता", "कुरता", "कुर्ते",
              "सलवार", "குர்தா", "కుర్తా", "পাঞ্জাবি", "ফতুয়া"],
    "dhoti": ["dhoti", "dhotis", "veshti", "vesti", "mundu", "lungi", "धोती", "लुंगी", "வேட்டி", "லுங்கி", "పంచె",
              "లుంగీ", "ধুতি", "লুঙ্গি"],
    "school_uniform": ["school uniform", "school bag", "schoolbag", "satchel", "uniforme escolar", "mochila",
                       "स्कूल की वर्दी", "बस्ता", "சீருடை", "புத்தகப் பை", "యూనిఫాం", "స్కూల్ బ్యాగ్", "স্কুলের পোশাক",
                       "স্কুলব্যাগ"],
    "apron": ["apron", "aprons", "pinafore", "delantal", "mandil", "एप्रन", "ஏப்ரன்", "ఆప్రాన్", "অ্যাপ্রন"],
    "suit": ["suit", "blazer", "tuxedo", "necktie", "waistcoat", "traje", "americana", "corbata", "सूट", "கோட்",
             "సూటు", "স্যুট"],
    "shirt_trousers": ["shirt", "trousers", "pants", "jeans", "t-shirt", "camisa", "pantalones", "कमीज़", "कमीज",
                       "शर्ट", "पैंट", "சட்டை", "கால்சட்டை", "చొక్కా", "ప్యాంటు", "শার্ট", "প্যান্ট", "জামা"],
    "dress": ["dress", "gown", "frock", "skirt", "vestido", "falda", "फ्रॉक", "घाघरा", "பாவாடை", "గౌను", "లంగా",
              "ফ্রক"],
    "robe": ["robe", "robes", "cassock", "habit", "sotana", "túnica", "hábito", "चोगा", "अंगवस्त्र"],
    "uniform": ["uniform", "uniforme", "वर्दी", "சீருடையில்", "యూనిఫారం", "উর্দি"],
})

# What people of a trade or a station wear, when the script does not say.
ROLES = LexiconMatcher({
    "fisherman": ["fisherman", "fishermen", "fisherwoman", "fisher", "boatman", "ferryman", "ferrywoman", "sailor",
                  "pescador", "pescadora", "marinero", "मछुआरा", "मछुआरे", "मछुआरिन", "मल्लाह", "மீனவர்",
                  "மீனவன்", "மீனவப்", "జాలరి", "మత్స్యకారుడు", "జాలర్లు", "জেলে", "মাঝি"],
    "school_uniform": ["schoolboy", "schoolgirl", "schoolchild", "pupil", "student", "alumno", "alumna", "colegial",
                       "estudiante", "छात्र", "छात्रा", "विद्यार्थी", "மாணவன்", "மாணவி", "மாணவர்", "విద్యార్థి",
                       "విద్యార్థిని", "ছাত্র", "ছাত্রী"],
    "apron": ["cook", "chef", "baker", "maid", "cocinera", "cocinero", "panadero", "panadera", "रसोइया", "रसोइयां",
              "हलवाई", "சமையல்காரர்", "వంటమనిషి", "রাঁধুনি"],
    "robe": ["priest", "monk", "nun", "sadhu", "swami", "pujari", "cura", "monje", "monja", "sacerdote", "पुजारी",
             "साधु", "संन्यासी", "பூசாரி", "சாமியார்", "పూజారి", "సన్యాసి", "পুরোহিত", "সন্ন্যাসী"],
    "uniform": ["police", "policeman", "policewoman", "constable", "guard", "soldier", "nurse", "conductor",
                "postman", "postmaster", "postmistress", "officer", "sergeant", "inspector", "pilot", "firefighter",
                "policía", "guardia", "soldado", "enfermera", "enfermero", "revisor", "cartero", "पुलिस", "सिपाही",
                "दरोगा", "नर्स", "कंडक्टर", "डाकिया", "காவலர்", "போலீஸ்", "நடத்துனர்", "செவிலியர்", "தபால்காரர்",
                "పోలీసు", "కండక్టర్", "నర్సు", "పోస్ట్‌మ్యాన్", "পুলিশ", "কন্ডাক্টর", "নার্স", "ডাকপিয়ন",
                "দরোয়ান", "দারোয়ান"],
    "suit": ["lawyer", "businessman", "businesswoman", "banker", "manager", "executive", "detective", "abogado",
             "abogada", "वकील", "मैनेजर", "வக்கீல்", "లాయరు", "উকিল"],
})

INDIA = frozenset({"south_india", "north_india", "east_india", "west_india", "india"})
# Common Indian given names: when the script names no place, a person's own name is the cultural
# cue for what they wear by default (Leela and her grandson Sameer of the demo). Only attire reads
# this; the scene's region (music, palettes) still needs a cue in the text.
INDIAN_GIVEN_NAMES = frozenset("""aarav abhishek aditi ajay akash amina amit amma anand anil anita anjali ankit
    arjun asha bharat deepa deepak devi dinesh ganesh gauri geeta gita gopal hamid hari indira jaya kamala
    kavya kiran krishna lakshmi lata leela lila madhu mahesh manoj meena meera mini mohan mohsin murugan nandini
    neha nisha parvati pooja priya radha rahul raju ramesh ravi rekha rohan sameer samir sanjay sarita savitri
    seema shankar shanti sita sudha sunil sunita suresh usha vijay vikram""".split())
INDIAN_LANGUAGES = frozenset({"hi", "ta", "te", "bn", "mr", "gu", "kn", "ml", "pa"})


def attire_cues(text: str) -> list[str]:
    """Attire the words of `text` name, garments and roles, in the order they appear."""
    found = [(pos, cls) for pos, cls, _ in GARMENTS.finditer(text)]
    found += [(pos, cls) for pos, cls, _ in ROLES.finditer(text)]
    return list(dict.fromkeys(cls for _, cls in sorted(found)))


def attire_for(cues: list[str], gender: str | None, age_group: str | None, region: str | None,
               language: str | None, name: str = "") -> list[str]:
    """The character's attire: what the text said, else a default of the region, gender and age."""
    said = [c for c in cues if c in ATTIRE]
    if said:
        return said
    if region is None and name.split() and name.split()[0].casefold() in INDIAN_GIVEN_NAMES:
        region = "india"
    indian = region in INDIA or (region is None and language in INDIAN_LANGUAGES)
    south_or_east = region in ("south_india", "east_india") or (region is None and language in ("ta", "te", "bn"))
    age = age_group or "adult"
    if gender is None:
        return ["kurta"] if indian else ["shirt_trousers"]
    if gender == "female":
        if age in ("adult", "elder"):
            return ["sari"] if indian else ["dress"]
        return ["kurta"] if indian and age == "teen" else ["dress"]
    if age == "elder" and indian:
        return ["dhoti"] if south_or_east else ["kurta"]
    return ["shirt_trousers"]
