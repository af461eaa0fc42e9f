"""Drawable subjects: the things a script names that a panel can show.

Each subject has an id (what `Scene.subjects` and `Shot.subjects` hold and what
the storyboard draws), a kind that says where it goes in a picture, and the words
that name it in English, Hindi (Devanagari and romanized), Tamil, Telugu, Bengali
and Spanish. Indic words are stems (the matcher accepts case endings after them);
a word ending in "$" must end the word or go on with a case ending, for stems that
begin too many other words.

Kinds:
- landscape: changes the land itself (a river across it, crop rows, a peak behind)
- landmark: a building or a tall thing standing in the distance
- water: floats (on the set's water when it has some)
- ground: stands in the middle distance beside the characters
- handheld: carried by the first character outdoors, on the table indoors
- table: stands on a table (indoors) or on the ground (outdoors)
- wall: hangs on an interior wall
- floor: interior furniture
- sky: flies
"""

from __future__ import annotations

from dataclasses import dataclass

from filmstudio.vocabulary.matcher import LexiconMatcher

LANGUAGES = ("en", "hi", "hi-Latn", "ta", "te", "bn", "es")


@dataclass(frozen=True)
class Subject:
    id: str
    kind: str
    words: dict[str, tuple[str, ...]]
    indoor: bool = False  # also drawn inside (a kind that is outdoor by nature)


def _s(sid: str, kind: str, en: str, hi: str = "", hi_latn: str = "", ta: str = "", te: str = "", bn: str = "",
       es: str = "", *, indoor: bool = False) -> Subject:
    def split(v: str) -> tuple[str, ...]:
        return tuple(w.strip() for w in v.split("|") if w.strip())
    return Subject(sid, kind, {"en": split(en), "hi": split(hi), "hi-Latn": split(hi_latn), "ta": split(ta),
                               "te": split(te), "bn": split(bn), "es": split(es)}, indoor)


SUBJECTS: tuple[Subject, ...] = (
    # landscape
    _s("river", "landscape", "river|stream|canal|creek", "नदी|दरिया", "nadi|dariya", "நதி|ஆற்றில்|ஆற்றங்கர",
       "నది|ఏరు$", "নদী|নদীর", "río|arroyo"),
    _s("field", "landscape", "field|fields|paddy|farm|crops|meadow", "खेत|फ़सल|फसल", "khet|fasal",
       "வயல|நெல்வயல", "పొలం|పొలా|పంట", "মাঠ|ক্ষেত|ধানক্ষেত", "campo|campos|milpa|sembrado"),
    _s("mountain", "landscape", "mountain|mountains|peak|hills|hill", "पहाड़|पर्वत", "pahad|parvat",
       "மலை$|மலைக", "కొండ|పర్వత", "পাহাড়|পর্বত", "montaña|montañas|cerro|sierra"),
    _s("bridge", "landscape", "bridge", "पुल$", "pul", "பாலம்|பாலத்", "వంతెన", "সেতু|ব্রিজ", "puente"),
    _s("harbour", "landscape", "harbour|harbor|pier|jetty|dock|docks|wharf|quay", "बंदरगाह|जेटी", "bandargah",
       "துறைமுக", "ఓడరేవు|రేవు", "বন্দর|জেটি", "puerto|muelle|embarcadero"),
    # landmarks
    _s("lighthouse", "landmark", "lighthouse|light-house|beacon tower", "प्रकाशस्तंभ|लाइटहाउस", "lighthouse",
       "கலங்கரை விளக்க|கலங்கரை", "లైట్‌హౌస్|దీపస్తంభ", "বাতিঘর|লাইটহাউস", "faro"),
    _s("temple", "landmark", "temple|shrine|pagoda", "मंदिर|मन्दिर|शिवालय", "mandir", "கோயில்|கோவில்|ஆலய",
       "గుడి|ఆలయ|దేవాలయ", "মন্দির", "templo|santuario"),
    _s("mosque", "landmark", "mosque|masjid|minaret", "मस्जिद", "masjid", "பள்ளிவாசல்|மசூதி", "మసీదు", "মসজিদ",
       "mezquita"),
    _s("church", "landmark", "church|chapel|cathedral", "गिरजाघर|चर्च", "girja|church", "தேவாலய|சர்ச்", "చర్చి",
       "গির্জা", "iglesia|capilla|catedral"),
    _s("house", "landmark", "house|houses|cottage|bungalow|mansion", "मकान|हवेली|कोठी", "makaan|haveli",
       "வீடு|வீட்டை|வீடுக", "ఇల్లు|ఇళ్ళు", "বাড়ি|বাড়ির", "casa|casas|cabaña"),
    _s("hut", "landmark", "hut|huts|shack|shed", "झोपड़ी|कुटिया", "jhopdi|kutiya", "குடிசை", "గుడిసె|పాక$",
       "কুঁড়েঘর|কুটির", "choza|chabola"),
    _s("school", "landmark", "school|schoolhouse", "स्कूल|विद्यालय|पाठशाला", "school|vidyalay",
       "பள்ளிக்கூட|பள்ளி$", "పాఠశాల|బడి$|స్కూలు", "স্কুল|বিদ্যালয়|পাঠশালা", "escuela|colegio"),
    _s("hospital", "landmark", "hospital|clinic", "अस्पताल|दवाखाना", "aspatal|davakhana", "மருத்துவமன",
       "ఆసుపత్రి|దవాఖాన", "হাসপাতাল", "hospital|clínica"),
    _s("tent", "landmark", "tent|tents", "तंबू|तम्बू|डेरा", "tambu", "கூடாரம்|கூடார", "గుడారం|గుడార", "তাঁবু",
       "tienda de campaña|carpa"),
    _s("tree", "ground", "tree|trees|banyan|oak|mango tree", "पेड़|वृक्ष|बरगद|पीपल", "ped|vriksh|bargad|peepal",
       "மரம்|மரத்த|மரங்க|ஆலமர", "చెట్టు|చెట్ల|వృక్ష", "গাছ|বটগাছ", "árbol|árboles|roble"),
    _s("palm_tree", "ground", "palm|palms|palm tree|coconut tree|coconut palm", "ताड़|नारियल का पेड़", "taad",
       "தென்னை|பனைமர|பனை மர", "కొబ్బరి చెట్టు|తాటి", "নারকেল গাছ|তালগাছ|তাল গাছ", "palmera|palmeras"),
    # water
    _s("boat", "water", "boat|boats|canoe|dinghy|rowboat|fishing boat|raft", "नाव|नौका|कश्ती", "naav|nauka|kashti",
       "படக|தோணி|வள்ளம்", "పడవ|నావ$", "নৌকা|নৌকো|ডিঙি", "barca|bote|lancha|canoa|barquita"),
    _s("ship", "water", "ship|ships|steamer|vessel|freighter|trawler", "जहाज़|जहाज", "jahaz|jahaaz", "கப்பல்",
       "ఓడ$|ఓడలు|నౌక", "জাহাজ", "barco|barcos|buque|navío"),
    _s("fish", "ground", "fish|catch of fish", "मछली|मछलियाँ", "machhli", "மீன்$|மீன்கள", "చేప", "মাছ",
       "pez|peces|pescado"),
    _s("net", "ground", "fishing net|nets|net", "जाल$", "jaal", "வலை$|வலைய", "వల$|వలలు", "জাল$",
       "redes de pesca|red de pesca"),
    # ground
    _s("car", "ground", "car|cars|taxi|jeep|van|truck|lorry|pickup", "कार$|मोटर|ट्रक", "car|motor|truck", "கார்$|காரில்", "కారు|కారులో",
       "মোটরগাড়ি|ট্যাক্সি", "coche|carro|auto|taxi|camioneta"),
    _s("motorbike", "ground", "motorbike|motorcycle|motorbikes|scooter|moped", "मोटरसाइकिल|स्कूटर|बाइक",
       "scooter|motorcycle|motorbike", "மோட்டார் சைக்கிள்|ஸ்கூட்டர்|பைக்", "మోటార్ సైకిల్|స్కూటర్|బైక్", "মোটরসাইকেল|স্কুটার|বাইক",
       "moto|motocicleta|motos|escúter"),
    _s("bus", "ground", "bus|buses|coach", "बस अड्डा|बस स्टॉप|बस में", "bus", "பேருந்து|பஸ்", "బస్సు", "বাসে|বাসস্ট্যান্ড",
       "autobús|camión|bus"),
    _s("train", "ground", "train|trains|locomotive|engine whistle", "ट्रेन|रेलगाड़ी|रेल$", "train|rail",
       "ரயில்|தொடர்வண்டி|புகைவண்டி", "రైలు|రైల్", "ট্রেন|রেলগাড়ি", "tren|ferrocarril"),
    _s("bicycle", "ground", "bicycle|bicycles|bike|cycle", "साइकिल|साईकिल", "cycle|saikil", "மிதிவண்டி|சைக்கிள்",
       "సైకిల్|సైకిలు", "সাইকেল", "bicicleta|bici"),
    _s("cart", "ground", "cart|bullock cart|oxcart|wagon|handcart", "बैलगाड़ी|ठेला|गाड़ी", "bailgadi|thela|gaadi",
       "மாட்டுவண்டி|வண்டி", "బండి|ఎడ్లబండి", "গরুর গাড়ি|ঠেলাগাড়ি", "carreta|carro de bueyes|carretilla"),
    _s("rickshaw", "ground", "rickshaw|auto-rickshaw|autorickshaw|tuk-tuk|tonga", "रिक्शा|तांगा", "riksha|rickshaw|tanga",
       "ரிக்ஷா|ஆட்டோ", "రిక్షా|ఆటో", "রিকশা|টাঙ্গা", "rickshaw|mototaxi"),
    _s("market_stall", "ground", "stall|stalls|market|bazaar|vendor|kiosk|shop", "दुकान|ठेले|बाज़ार|बाजार|हाट",
       "dukaan|dukan|bazaar|haat", "கடை$|கடைய|சந்தை", "దుకాణ|అంగడి|సంత", "দোকান|বাজার|হাট",
       "puesto|puestos|mercado|tienda|quiosco"),
    _s("well", "ground", "the well|a well|village well|water well|the well's", "कुआँ|कुआं|कुएँ|कुएं", "kuan|kuaan",
       "கிணற|கிணறு", "బావి", "কুয়ো|কুয়া|কূপ", "pozo|aljibe"),
    _s("rock", "ground", "rock|rocks|boulder|boulders|stones", "पत्थर|चट्टान", "patthar|chattan", "பாறை|கற்கள",
       "బండరాయి|రాళ్ళు|శిల", "পাথর|শিলা", "roca|rocas|peñasco|piedras"),
    _s("fire", "ground", "fire|bonfire|campfire|flames|blaze", "आग$|अलाव|अंगीठी", "aag|alaav", "நெருப்ப|தீ$|கணப்ப",
       "నిప్పు|మంట", "আগুন|ধুনি", "fuego|hoguera|fogata|llamas"),
    _s("street_lamp", "ground", "lamppost|lamp post|street lamp|streetlight|street light|lamp-post",
       "खंभे की बत्ती|स्ट्रीट लाइट", "street light", "தெருவிளக்க|தெரு விளக்க", "వీధి దీపం|వీధిదీపం",
       "ল্যাম্পপোস্ট|রাস্তার বাতি", "farola|farolas"),
    _s("bench", "ground", "bench|benches", "बेंच", "bench", "பெஞ்ச்", "బెంచీ|బెంచి", "বেঞ্চ", "banco|banca"),
    _s("fence", "ground", "fence|gate|railing", "बाड़|फाटक|बाड़ा", "baad|phatak", "வேலி|படல்", "కంచె|గేటు",
       "বেড়া|ফটক", "valla|reja|portón|cerca de madera"),
    _s("flowers", "ground", "flower|flowers|marigold|marigolds|jasmine|roses|blossoms", "फूल|गेंदा|मोगरा|गुलाब",
       "phool|genda|gulab", "பூ$|பூக்க|மலர்|மல்லிக", "పూలు|పువ్వు|మల్లె", "ফুল|গোলাপ", "flor|flores|rosas"),
    _s("cow", "ground", "cow|cows|bull|ox|oxen|buffalo|cattle", "गाय|बैल|भैंस", "gaay|gai|bail|bhains",
       "பசு|மாடு|எருமை", "ఆవు|ఎద్దు|గేదె", "গরু|ষাঁড়|মহিষ", "vaca|vacas|buey|toro"),
    _s("dog", "ground", "dog|dogs|puppy|hound", "कुत्ता|कुत्ते|पिल्ला", "kutta|kutte", "நாய்$|நாயை|நாயி", "కుక్క",
       "কুকুর", "perro|perros|perrito"),
    _s("cat", "ground", "cat|cats|kitten", "बिल्ली", "billi", "பூனை", "పిల్లి", "বিড়াল|বেড়াল", "gato|gata|gatito"),
    _s("horse", "ground", "horse|horses|pony|donkey", "घोड़ा|घोड़े|गधा", "ghoda|ghode|gadha", "குதிரை|கழுதை",
       "గుర్రం|గాడిద", "ঘোড়া|গাধা", "caballo|caballos|burro|yegua"),
    _s("goat", "ground", "goat|goats|sheep|lamb", "बकरी|भेड़", "bakri|bhed", "வெள்ளாடு|ஆட்டுக்குட்டி|செம்மறி",
       "మేక|గొర్రె", "ছাগল|ভেড়া", "cabra|cabras|oveja|ovejas"),
    _s("bird", "sky", "bird|birds|crow|crows|sparrow|pigeon|parrot|gull|gulls|seagull|seagulls|eagle",
       "पक्षी|चिड़िया|कौआ|कौवा|तोता|कबूतर", "chidiya|kauwa|tota|kabutar", "பறவை|காக்கை|காகம்|கிளி|புறா",
       "పక్షి|కాకి|చిలుక|పావురం", "পাখি|কাক|টিয়া|পায়রা", "pájaro|pájaros|ave|aves|gaviota|gaviotas|paloma"),
    _s("kite", "sky", "kite|kites", "पतंग", "patang", "காற்றாடி|பட்டம் விட", "గాలిపటం|గాలిపటా", "ঘুড়ি",
       "cometa|cometas|papalote|barrilete"),
    _s("airplane", "sky", "airplane|aeroplane|plane|aircraft|jet", "हवाई जहाज़|हवाई जहाज|विमान", "hawai jahaz|viman",
       "விமான", "విమాన", "বিমান|উড়োজাহাজ", "avión|avioneta"),
    _s("cloud", "sky", "cloud|clouds", "बादल", "baadal|badal", "மேக", "మేఘ|మబ్బు", "মেঘ", "nube|nubes"),
    _s("flag", "ground", "flag|flags|banner", "झंडा|ध्वज|तिरंगा", "jhanda|tiranga", "கொடிமர|தேசியக்கொடி|கொடியை",
       "జెండా|పతాక", "পতাকা", "bandera|banderas", indoor=True),
    _s("bell", "ground", "bell|bells|chime|chimes|church bell|temple bell", "घंटी|घंटियाँ|घंटियां|घंटे की आवाज़",
       "ghanti|ghantiyan", "மணியோச|மணிகள்|கோயில் மணி", "గంటలు|గంట మోగ", "ঘণ্টা|ঘণ্টাধ্বনি",
       "campana|campanas|campanario", indoor=True),
    # handheld
    _s("lamp", "handheld", "lamp|lamps|lantern|lanterns|oil lamp|tin lamp|torch|flashlight|flame|lamplight", "लालटेन|दीया|दीये|दीपक|लैंप|टॉर्च",
       "laltain|diya|deepak|lamp|torch", "விளக்க|லாந்தர்", "దీపం|దీపా|లాంతరు|టార్చ్", "লণ্ঠন|প্রদীপ|বাতি$|হারিকেন|টর্চ",
       "lámpara|farol|faroles|linterna|candil|quinqué"),
    _s("umbrella", "handheld", "umbrella|umbrellas|parasol", "छाता|छतरी", "chhata|chhatri", "குடை$|குடையை|குடையுட",
       "గొడుగు", "ছাতা", "paraguas|sombrilla"),
    _s("book", "handheld", "book|books|notebook|diary|textbook", "किताब|पुस्तक|कॉपी|डायरी", "kitab|kitaab|pustak",
       "புத்தக|நோட்டுப்புத்தக", "పుస్తక|పుస్తకం", "বই$|বইটা|বইটি|খাতা", "libro|libros|cuaderno|diario"),
    _s("letter", "handheld", "letter|letters|envelope|telegram|postcard", "चिट्ठी|ख़त|खत$|लिफ़ाफ़ा|पत्र$",
       "chitthi|khat", "கடித", "ఉత్తరం|లేఖ", "চিঠি|খাম$", "carta|cartas|sobre|telegrama"),
    _s("phone", "handheld", "phone|telephone|mobile|cellphone|cell phone", "फ़ोन|फोन|मोबाइल|टेलीफ़ोन",
       "phone|mobile|fon", "தொலைபேசி|போன்|மொபைல்|அலைபேசி", "ఫోన్|ఫోను|సెల్", "ফোন|মোবাইল",
       "teléfono|móvil|celular"),
    _s("cup", "handheld", "cup|cups|mug|teacup|glass of tea|tea|coffee|a coffee", "कप$|प्याला|चाय|गिलास", "chai|pyala|cup",
       "கோப்பை|டம்ளர்|காபி", "కప్పు|గ్లాసు|టీ$|కాఫీ", "কাপ|চায়ের|গেলাস|চা$", "taza|tazas|vaso|café"),
    _s("candle", "handheld", "candle|candles|candlelight", "मोमबत्ती", "mombatti", "மெழுகுவர்த்தி", "కొవ్వొత్తి",
       "মোমবাতি", "vela|velas"),
    # table
    _s("radio", "table", "radio|radios|transistor|wireless set", "रेडियो|ट्रांजिस्टर", "radio", "வானொலி|ரேடியோ",
       "రేడియో", "রেডিও", "radio|transistor"),
    _s("bottle", "table", "bottle|bottles|jar", "बोतल|शीशी", "botal", "பாட்டில்|புட்டி", "సీసా|బాటిల్", "বোতল|শিশি",
       "botella|botellas|frasco"),
    _s("pot", "table", "pot|pots|pitcher|jug|kettle|matka", "घड़ा|मटका|बर्तन|लोटा|केतली", "ghada|matka|bartan|lota",
       "பானை|குடம்|பாத்திர", "కుండ|బిందె|పాత్ర", "কলসি|হাঁড়ি|বাসন|কেটলি", "olla|cántaro|jarra|tetera"),
    _s("basket", "table", "basket|baskets", "टोकरी|डलिया", "tokri", "கூடை", "బుట్ట", "ঝুড়ি|ঝাঁকা", "cesta|canasta|cesto"),
    _s("plate", "table", "plate|plates|thali|bowl|meal", "थाली|कटोरा|प्लेट", "thali|katora", "தட்டு|கிண்ண",
       "పళ్ళెం|గిన్నె", "থালা|বাটি", "plato|platos|cuenco"),
    _s("television", "table", "television|tv|tv set", "टीवी|टेलीविज़न", "tv|tivi", "தொலைக்காட்சி|டிவி", "టీవీ|టెలివిజన్",
       "টিভি|টেলিভিশন", "televisión|televisor|tele"),
    # wall
    _s("clock", "wall", "clock|clocks|wall clock", "घड़ी|घड़ियाँ", "ghadi", "கடிகார", "గడియారం|గడియార", "ঘড়ি",
       "reloj|relojes"),
    _s("mirror", "wall", "mirror|mirrors", "आईना|दर्पण|शीशे में", "aaina|darpan", "நிலைக்கண்ணாடி|கண்ணாடியில்",
       "అద్దం|అద్దంలో", "আয়না|আয়নায়", "espejo|espejos"),
    _s("picture", "wall", "photo|photograph|picture|portrait|painting", "फ़ोटो|फोटो|तस्वीर|चित्र$", "photo|tasveer",
       "புகைப்பட|ஓவிய", "ఫోటో|చిత్రపటం", "ছবি|ফটো", "foto|fotografía|cuadro|retrato"),
    _s("window", "wall", "window|windows|windowpane", "खिड़की|खिड़कियाँ|झरोखा", "khidki", "ஜன்னல்|சன்னல்", "కిటికీ",
       "জানালা|জানলা", "ventana|ventanas"),
    _s("door", "wall", "door|doors|doorway", "दरवाज़ा|दरवाजा|दरवाज़े|द्वार", "darwaza|darvaaza", "கதவ",
       "తలుపు|ద్వారం", "দরজা|দুয়ার", "puerta|puertas"),
    # floor
    _s("table", "floor", "table|tables|dining table", "मेज़|मेज$|टेबल", "mez|mej|table", "மேசை|மேஜை", "బల్ల|టేబుల్",
       "টেবিল", "mesa|mesas"),
    _s("desk", "floor", "desk|desks|school desk", "डेस्क", "desk", "டெஸ்க்|மேசைக", "డెస్క్", "ডেস্ক", "pupitre|escritorio"),
    _s("chair", "floor", "chair|chairs|stool|armchair", "कुर्सी|मूढ़ा|स्टूल", "kursi", "நாற்காலி|முக்காலி", "కుర్చీ",
       "চেয়ার|মোড়া", "silla|sillas|taburete|sillón"),
    _s("bed", "floor", "bed|beds|cot|charpai|mattress", "बिस्तर|पलंग|खाट|चारपाई", "bistar|palang|khaat|charpai",
       "கட்டில்|படுக்கை", "మంచం|పడక", "বিছানা|খাট$|পালঙ্ক", "cama|camas|catre"),
    _s("cupboard", "floor", "cupboard|wardrobe|almirah|shelf|shelves|bookshelf", "अलमारी|शेल्फ़", "almari",
       "அலமாரி", "అల్మారా|బీరువా", "আলমারি|তাক$", "armario|estante|estantería"),
    _s("stove", "floor", "stove|chulha|hearth|oven", "चूल्हा|चूल्हे|अंगीठी", "chulha|angithi", "அடுப்ப", "పొయ్యి|స్టవ్",
       "উনুন|চুলা|চুলো", "estufa|fogón|horno"),
    _s("suitcase", "floor", "suitcase|suitcases|luggage|trunk", "सूटकेस|संदूक|अटैची", "suitcase|sandook",
       "சூட்கேஸ்|பெட்டியை", "సూట్‌కేస్|పెట్టె", "সুটকেস|বাক্স|তোরঙ্গ", "maleta|maletas|baúl", indoor=True),
)

BY_ID: dict[str, Subject] = {s.id: s for s in SUBJECTS}
KINDS = {s.id: s.kind for s in SUBJECTS}

SUBJECT_WORDS = LexiconMatcher({s.id: [w for words in s.words.values() for w in words] for s in SUBJECTS})
