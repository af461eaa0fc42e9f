"""Small per-language word lists behind the scene attributes.

Each table maps a canonical class (what the storyboard, music and sound
engines understand) to the words that signal it in English, Hindi, Tamil,
Telugu, Bengali, Spanish and a little French/Portuguese/German/Italian.
Indic words are stems: the matcher accepts any ending after them.
"""

from __future__ import annotations

from filmstudio.vocabulary.matcher import LexiconMatcher
# Places, times of day and weather live in the shared vocabulary (the storyboard draws from the same words).
from filmstudio.vocabulary.places import HEADING_TIMES, SETTING_PRIORITY, SETTINGS, TIME_OF_DAY, WEATHER  # noqa: F401

SOUND_CUES = LexiconMatcher({
    "bells": ["bell", "bells", "chime", "घंटी", "घंटियाँ", "घंटा", "மணி ஒல", "கோயில் மணி", "மணியோச", "గంట",
              "ঘণ্টা", "campana", "campanas", "cloche", "sino", "glocke", "campane"],
    "rain": ["rain", "downpour", "बारिश", "மழை", "వర్ష", "వాన", "বৃষ্টি", "lluvia", "pluie", "chuva"],
    "thunder": ["thunder", "lightning", "thunderclap", "बिजली कड़क", "गड़गड़ाहट", "இடி", "ఉరుము", "পিড়িং", "বজ্র",
                "trueno", "relámpago", "tonnerre", "trovão", "donner"],
    "drums": ["drum", "drums", "dhol", "nadaswaram", "ढोल", "नगाड़ा", "मेळम", "மேளம்", "மேள", "தவில்", "డప్పు",
              "డోలు", "ঢোল", "ঢাক", "tambor", "tambores", "tambour", "trommel"],
    "music": ["music", "song", "singing", "violin", "flute", "sitar", "veena", "संगीत", "गाना", "बाँसुरी", "இசை",
              "பாட்ட", "నాదస్వర", "సంగీత", "పాట", "গান", "সংগীত", "música", "canción", "toca", "tocar", "violín",
              "musique", "chanson"],
    "wind": ["wind howls", "howling wind", "आँधी", "சூறாவளி"],
    "waves": ["waves", "surf", "लहरें", "அலை", "అలలు", "ঢেউ", "olas", "vagues", "ondas"],
    "birds": ["birds", "birdsong", "chirping", "crows", "पक्षी", "चिड़िया", "பறவை", "పక్షులు", "পাখি", "pájaros",
              "oiseaux", "pássaros"],
    "train": ["train whistle", "whistle", "horn", "सीटी", "ரயில் ஒலி", "విజిల్", "হুইসেল", "silbido", "sifflet",
              "apito"],
    "door": ["door bangs", "bangs open", "knock", "knocks", "slams", "दस्तक", "தட்ட", "తలుపు తట్ట", "কড়া নাড়",
             "golpe en la puerta", "llaman a la puerta"],
    "crowd": ["crowd", "cheering", "applause", "भीड़", "கூட்ட", "జనం", "ভিড়", "multitud", "gentío", "foule"],
    "traffic": ["traffic", "horns honk", "honking", "ट्रैफ़िक", "போக்குவரத்து", "ట్రాఫిక్", "যানজট", "tráfico"],
})

CAMERA_CUES = LexiconMatcher({
    "push_in": ["push in", "pushes in", "push-in", "dolly in", "zoom in", "move in", "slow push"],
    "pull_out": ["pull out", "pull back", "pulls back", "dolly out", "zoom out", "pull-back"],
    "wide": ["wide shot", "wide angle", "establishing shot", "long shot", "aerial", "drone shot", "bird's-eye",
             "birds-eye", "overhead shot", "plano general"],
    "close": ["close on", "close-up", "closeup", "close up", "ecu", "extreme close", "insert", "primer plano"],
    "tilt_up": ["tilt up", "tilts up", "crane up"],
    "tilt_down": ["tilt down", "tilts down", "crane down"],
    "pan_left": ["pan left", "pans left"],
    "pan_right": ["pan right", "pans right", "pan across", "pans across", "pan to", "pan over", "slow pan",
                  "pans", "panning"],
    "tracking": ["tracking shot", "tracks", "follow shot", "steadicam", "handheld"],
    "slow_motion": ["slow motion", "slow-motion", "slo-mo", "cámara lenta"],
    "pov": ["pov", "point of view"],
})

PROPS = LexiconMatcher({
    "letter": ["letter", "letters", "envelope", "चिट्ठी", "चिट्ठियाँ", "चिट्ठियों", "पत्र", "கடித", "ఉత్తర", "లేఖ",
               "চিঠি", "carta", "cartas", "lettre", "brief"],
    "umbrella": ["umbrella", "छाता", "குடை", "గొడుగు", "ছাতা", "paraguas", "parapluie", "guarda-chuva"],
    "lantern": ["lantern", "lamp", "lamps", "oil lamp", "लालटेन", "दीया", "दीपक", "விளக்க", "దీప", "లాంతరు", "লণ্ঠন",
                "প্রদীপ", "farol", "lámpara", "lanterne", "lampe"],
    "flashlight": ["flashlight", "torch", "टॉर्च", "linterna", "lampe de poche", "lanterna"],
    "violin": ["violin", "violín", "violon", "violino", "geige", "violinista"],
    "instrument case": ["violin case", "guitar case", "estuche"],
    "garland": ["garland", "माला", "மாலை மாற்ற", "மாலை", "దండ", "మాల", "মালা", "guirnalda"],
    "phone": ["phone", "mobile", "cellphone", "फ़ोन", "फोन", "மொபைல்", "தொலைபேசி", "ఫోన్", "ফোন", "teléfono",
              "móvil", "téléphone"],
    "book": ["book", "notebook", "diary", "किताब", "पुस्तक", "डायरी", "புத்தக", "పుస్తక", "বই", "libro", "cuaderno",
             "livre", "livro", "buch"],
    "candle": ["candle", "candles", "मोमबत्ती", "மெழுகுவர்த்தி", "కొవ్వొత్తి", "মোমবাতি", "vela", "bougie"],
    "bicycle": ["bicycle", "bike", "साइकिल", "மிதிவண்டி", "சைக்கிள்", "సైకిల్", "সাইকেল", "bicicleta", "vélo"],
    "suitcase": ["suitcase", "luggage", "bag", "बैग", "सूटकेस", "பை$", "సంచి", "ব্যাগ", "maleta", "valise", "mala"],
    "key": ["key", "keys", "चाबी", "சாவி", "తాళం చెవి", "চাবি", "llave", "clé"],
    "photograph": ["photo", "photograph", "picture", "फ़ोटो", "तस्वीर", "புகைப்பட", "ఫోటో", "ছবি", "foto", "fotografía"],
    "flowers": ["flowers", "jasmine", "marigold", "फूल", "गेंदा", "मोगरा", "பூ$", "மல்லிக", "పూలు", "మల్లె", "ফুল",
                "flores", "fleurs"],
    "saree": ["saree", "sari", "साड़ी", "புடவை", "சேலை", "చీర", "শাড়ি"],
    "veshti": ["veshti", "dhoti", "mundu", "धोती", "வேட்டி", "పంచె", "ধুতি"],
    "bundle": ["bundle", "गट्ठर", "पोटली", "மூட்ட", "మూట", "পুঁটলি", "fardo", "paquete"],
    "cup": ["tea", "cup", "chai", "चाय", "कप", "டீ", "காபி", "టీ", "కాఫీ", "চা", "taza", "café"],
    "knife": ["knife", "dagger", "चाकू", "கத்தி", "కత్తి", "ছুরি", "cuchillo", "couteau"],
    "gun": ["gun", "pistol", "rifle", "बंदूक", "துப்பாக்கி", "తుపాకీ", "বন্দুক", "pistola", "fusil"],
    "car": ["car", "taxi", "jeep", "गाड़ी", "कार", "கார்", "కారు", "গাড়ি", "coche", "carro", "voiture"],
    "boat": ["boat", "canoe", "नाव", "படக", "పడవ", "নৌকা", "barca", "barco", "bateau"],
    "train": ["train", "ट्रेन", "रेलगाड़ी", "ரயில்", "రైలు", "ট্রেন", "tren", "train", "comboio", "zug"],
})

# Valence/energy words; a scene's mood is the balance of what it says.
MOOD_POSITIVE = LexiconMatcher({"+": [
    "happy", "joy", "laugh", "laughs", "smile", "smiles", "love", "safe", "celebrate", "wedding", "bless", "hope",
    "warm", "bright", "sun rises", "together", "proud", "beautiful", "peace", "festival",
    "खुश", "खुशी", "हँस", "मुस्कुरा", "प्यार", "सुरक्षित", "आशीर्वाद", "उत्सव", "शादी", "सुंदर", "उग आया",
    "மகிழ்ச்சி", "சிரித்", "சிரிப்ப", "அன்ப", "ஆசீர்வ", "திருமண", "அழக", "சந்தோஷ",
    "సంతోష", "నవ్వ", "ప్రేమ", "ఆశీర్వ", "పెళ్లి", "అందమ", "ఆనంద",
    "খুশি", "হাসি", "হাসল", "ভালোবাস", "আনন্দ", "আশীর্বাদ", "বিয়ে", "সুন্দর",
    "feliz", "alegría", "sonrisa", "sonríe", "amor", "esperanza", "boda", "abrazo", "heureux", "joie", "sourire",
    "amour", "espoir", "felicidade",
]})
MOOD_NEGATIVE = LexiconMatcher({"-": [
    "sad", "cry", "cries", "tears", "fear", "afraid", "gone", "lost", "dead", "death", "dies", "alone", "grief",
    "anger", "angry", "danger", "flood", "flooded", "storm", "dark", "empty", "broken", "pain", "scream",
    "दुख", "दुःख", "रो", "आँसू", "डर", "अकेल", "मौत", "खतरा", "बाढ़", "अंधेरा", "गुस्सा", "दर्द",
    "கண்ணீர", "அழு", "பயம", "பய", "தனிம", "மரண", "வெள்ள", "கோப", "வலி",
    "ఏడ్చ", "కన్నీళ్ల", "భయ", "ఒంటరి", "మరణ", "వరద", "కోప", "బాధ",
    "দুঃখ", "কান্না", "কাঁদ", "ভয়", "একা", "মৃত্যু", "বন্যা", "রাগ", "ব্যথা",
    "triste", "llora", "lágrimas", "miedo", "solo", "sola", "muerte", "vacía", "vacío", "cansada", "cansado",
    "silencio", "peur", "larmes", "mort", "seul", "tristeza", "medo",
]})
MOOD_INTENSE = LexiconMatcher({"!": [
    "bursts", "runs", "running", "shouting", "shouts", "screams", "roars", "bangs", "storm", "lightning", "fight",
    "chase", "explodes", "rising", "hammers", "crash", "drums", "celebrate", "dance",
    "चिल्ला", "भाग", "दौड़", "तूफ़ान", "बिजली", "कड़क", "हाँफ", "लड़ाई", "नाच",
    "ஓடி", "கத்த", "புயல", "இடி", "மேளம", "நடனம", "சண்ட",
    "పరుగ", "అరిచ", "తుఫాను", "ఉరుము", "నృత్య", "పోరాట",
    "দৌড়", "চিৎকার", "ঝড়", "বজ্র", "নাচ", "লড়াই",
    "corre", "grita", "gritó", "tormenta", "rompió", "baila", "lucha", "court", "crie", "orage",
]})
MOOD_CALM = LexiconMatcher({"~": [
    "quiet", "quietly", "softly", "calm", "still", "silence", "silent", "gently", "slowly", "peaceful", "sleeps",
    "शांत", "चुप", "धीरे", "ख़ामोश", "அமைதி", "மெதுவ", "నిశ్శబ్ద", "ప్రశాంత", "నెమ్మది", "শান্ত", "চুপ",
    "ধীরে", "vacía", "silencio", "tranquil", "calma", "despacio", "calme", "doucement", "silêncio",
]})
