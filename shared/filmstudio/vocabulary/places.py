"""Places, times of day and weather: the words the analysis reads and the storyboard draws.

One table per attribute maps a canonical class to the words that signal it in
English, Hindi, Tamil, Telugu, Bengali, Spanish and a little French/Portuguese/
German/Italian. Indic words are stems: the matcher accepts any ending after them.
"""

from __future__ import annotations

from filmstudio.vocabulary.matcher import LexiconMatcher

TIME_OF_DAY = LexiconMatcher({
    "DAWN": ["bhor", "dawn", "daybreak", "sunrise", "first light", "break of day", "भोर", "सवेरे", "पौ फटी", "सूर्योदय",
             "அதிகாலை", "விடியல்", "விடிந்த", "తెల్లవారు", "వేకువ", "సూర్యోదయం", "ভোর", "সূর্যোদয়", "amanecer",
             "alba", "madrugada", "aube", "aurore", "amanhecer", "madrugada", "morgengrauen", "alba"],
    "MORNING": ["subah", "savere", "morning", "सुबह", "प्रातः", "காலை", "காலையில்", "ఉదయం", "ఉదయాన", "সকাল", "mañana", "matin",
                "manhã", "morgen", "mattina"],
    "DAY": ["dopahar", "day", "noon", "midday", "afternoon", "दोपहर", "दिन में", "மதியம்", "பகல்", "మధ్యాహ్నం", "పగలు",
            "দুপুর", "বিকেল", "mediodía", "tarde soleada", "midi", "après-midi", "meio-dia", "mittag", "pomeriggio"],
    "DUSK": ["dusk", "sunset", "twilight", "nightfall", "गोधूलि", "सूर्यास्त", "அந்தி", "சூரிய அஸ்தமன",
             "సంధ్య", "సూర్యాస్తమయం", "গোধূলি", "সূর্যাস্ত", "atardecer", "anochecer", "ocaso", "crépuscule",
             "crepúsculo", "dämmerung", "tramonto"],
    "EVENING": ["shaam", "sham ko", "evening", "शाम", "संध्या", "மாலையில்", "மாலை நேர", "సాయంత్రం", "সন্ধ্যা", "por la tarde",
                "la tarde", "soir", "soirée", "noite caía", "abend", "sera"],
    "NIGHT": ["raat", "night", "midnight", "nighttime", "रात", "आधी रात", "இரவ", "நள்ளிரவ", "రాత్రి",
              "అర్ధరాత్రి", "রাত", "মধ্যরাত", "noche", "medianoche", "nuit", "minuit", "noite", "meia-noite",
              "nacht", "mitternacht", "notte", "mezzanotte"],
})

# Heading suffixes as screenwriters write them.
HEADING_TIMES = {
    "DAY": "DAY", "NIGHT": "NIGHT", "DAWN": "DAWN", "DUSK": "DUSK", "MORNING": "MORNING",
    "EVENING": "EVENING", "CONTINUOUS": "CONTINUOUS", "LATER": "CONTINUOUS", "MOMENTS LATER": "CONTINUOUS",
    "SAME": "CONTINUOUS", "SUNRISE": "DAWN", "SUNSET": "DUSK", "NOON": "DAY", "AFTERNOON": "DAY",
    "MIDNIGHT": "NIGHT", "TWILIGHT": "DUSK", "DIA": "DAY", "DÍA": "DAY", "NOCHE": "NIGHT",
    "AMANECER": "DAWN", "ATARDECER": "DUSK", "MAÑANA": "MORNING", "TARDE": "EVENING",
}

# In priority order: when a scene names several, the most specific place wins
# ("VILLAGE POST OFFICE" is an office, "HILLTOP TEMPLE" a temple).
SETTINGS = LexiconMatcher({
    "temple": ["temple", "shrine", "mandapam", "mandap", "मंदिर", "मन्दिर", "शिवालय", "கோயில்", "கோவில்",
               "மண்டப", "ఆలయ", "గుడి", "దేవాలయ", "মন্দির", "templo", "temple", "tempio", "tempel"],
    "church": ["church", "chapel", "cathedral", "iglesia", "capilla", "église", "igreja", "chiesa", "kirche",
               "गिरजाघर", "தேவாலய", "చర్చి", "গির্জা"],
    "mosque": ["mosque", "masjid", "मस्जिद", "பள்ளிவாசல்", "మసీదు", "মসজিদ", "mezquita"],
    "station": ["station", "platform", "railway", "train station", "स्टेशन", "प्लेटफ़ॉर्म", "ரயில் நிலைய",
                "நிலையத்த", "స్టేషన్", "రైల్వే", "স্টেশন", "estación", "andén", "gare", "estação", "bahnhof",
                "stazione"],
    "office": ["office", "post office", "bank", "डाकघर", "दफ़्तर", "दफ्तर", "कार्यालय", "அலுவலக", "தபால்",
               "కార్యాలయ", "ఆఫీసు", "অফিস", "ডাকঘর", "oficina", "correos", "bureau", "escritório", "büro", "ufficio"],
    "hospital": ["hospital", "clinic", "ward", "अस्पताल", "மருத்துவமன", "ఆసుపత్రి", "হাসপাতাল", "hôpital", "klinik",
                 "ospedale"],
    "school": ["ক্লাস", "শ্রেণিকক্ষ", "తరగతి", "school", "classroom", "college", "university", "स्कूल", "विद्यालय", "पाठशाला", "कक्षा", "क्लास", "பள்ளி", "வகுப்ப",
               "పాఠశాల", "బడి", "স্কুল", "বিদ্যালয়", "escuela", "colegio", "aula", "école", "escola", "schule",
               "scuola"],
    "market": ["market", "bazaar", "shop", "store", "stall", "बाज़ार", "बाजार", "दुकान", "சந்தை", "கடை$", "సంత",
               "మార్కెట్", "దుకాణ", "বাজার", "দোকান", "mercado", "tienda", "marché", "mercato", "markt"],
    "kitchen": ["kitchen", "रसोई", "சமையலற", "వంటగది", "রান্নাঘর", "cocina", "cuisine", "cozinha", "küche", "cucina"],
    "river": ["river", "riverbank", "stream", "ghat", "नदी", "घाट", "गंगा", "ஆற்ற", "ஆறு", "நதி", "కావేరి", "నది",
              "নদী", "río", "ribera", "rivière", "fleuve", "rio", "fluss", "fiume"],
    "sea": ["sea", "ocean", "beach", "shore", "coast", "seashore", "harbour", "harbor", "port", "costa", "समुद्र", "समंदर", "तट", "கடல்", "கடற்கர",
            "సముద్ర", "తీర", "সমুদ্র", "সৈকত", "mar", "playa", "puerto", "mer", "plage", "praia", "meer", "strand",
            "spiaggia"],
    "desert": ["desert", "dunes", "रेगिस्तान", "मरुस्थल", "பாலைவன", "ఎడారి", "মরুভূমি", "desierto", "désert",
               "deserto", "wüste"],
    "forest": ["forest", "jungle", "woods", "grove", "जंगल", "वन", "காடு$", "காட்டில்", "காட்டுக்", "వన", "అడవి", "জঙ্গল", "বন", "bosque",
               "selva", "forêt", "floresta", "wald", "bosco", "foresta"],
    "mountain": ["mountain", "hill", "hilltop", "peak", "cliff", "पहाड़", "पर्वत", "மலை", "కొండ", "పర్వత", "পাহাড়",
                 "পর্বত", "montaña", "cerro", "colina", "montagne", "montanha", "berg", "montagna"],
    "field": ["field", "farm", "paddy", "meadow", "खेत", "வயல", "పొలం", "పొలాల", "মাঠ", "ক্ষেত", "campo",
              "granja", "champ", "ferme", "fazenda", "feld", "campagna"],
    "room": ["room", "bedroom", "living room", "hall", "house", "home", "apartment", "flat", "hut", "courtyard",
             "कमरा", "कमरे", "घर", "आँगन", "அறை", "வீட", "முற்ற", "గది", "ఇల్లు", "ఇంట", "ঘর", "বাড়ি", "উঠোন",
             "habitación", "cuarto", "casa", "salón", "chambre", "maison", "quarto", "zimmer", "haus", "stanza"],
    "street": ["street", "road", "lane", "alley", "highway", "सड़क", "गली", "தெரு", "சாலை", "వీధి", "రోడ్డు",
               "রাস্তা", "গলি", "calle", "avenida", "camino", "rue", "rua", "straße", "strada"],
    "village": ["village", "hamlet", "गाँव", "गांव", "ग्राम", "கிராம", "ஊர்", "గ్రామ", "ఊరు", "ఊరి", "গ্রাম",
                "pueblo", "aldea", "village", "aldeia", "dorf", "villaggio"],
    "city": ["city", "town", "downtown", "metropolis", "शहर", "नगर", "நகர", "பட்டண", "నగర", "పట్టణ", "শহর",
             "নগর", "ciudad", "ville", "cidade", "stadt", "città"],
})
SETTING_PRIORITY = list(SETTINGS._class_of.values())  # noqa: SLF001 - insertion order is the priority
SETTING_PRIORITY = list(dict.fromkeys(SETTING_PRIORITY))

WEATHER = LexiconMatcher({
    "rain": ["rain", "raining", "rains", "baarish", "barish", "barsaat", "drizzle", "downpour", "monsoon", "बारिश", "बरसात", "वर्षा", "मानसून", "மழை",
             "వర్ష", "వాన", "বৃষ্টি", "বর্ষা", "lluvia", "llovía", "llueve", "pluie", "chuva", "regen", "pioggia"],
    "storm": ["storm", "lightning", "thunder", "toofan", "tufaan", "toofaan", "aandhi", "cyclone", "tempest", "तूफ़ान", "तूफान", "बिजली कड़क", "आँधी", "புயல்",
              "இடி", "మెరుపు", "తుఫాను", "ఉరుము", "ঝড়", "বজ্র", "tormenta", "relámpago", "trueno", "orage",
              "tempête", "tempestade", "gewitter", "temporale"],
    "fog": ["fog", "mist", "haze", "kohra", "dhund", "कोहरा", "धुंध", "மூடுபனி", "பனிமூட்ட", "పొగమంచు", "কুয়াশা", "niebla", "neblina",
            "bruma", "brouillard", "nevoeiro", "nebel", "nebbia"],
    "snow": ["snow", "snowing", "blizzard", "barf", "baraf", "बर्फ़", "बर्फ", "பனிப்பொழிவு", "మంచు కురు", "তুষার", "nieve", "neige",
             "neve", "schnee"],
    "wind": ["wind", "windy", "gale", "breeze", "हवा", "காற்ற", "గాలి", "বাতাস", "হাওয়া", "viento", "vent", "vento",
             "wind"],
})
