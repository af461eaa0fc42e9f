"""Cultural context: region and tradition from names, places, festivals, attire and language.

Music, storyboard palettes and costume all follow from it, so it is kept
conservative: a region needs a cue in the text or the script's language, and
a tradition needs an event (a wedding, a festival) to be named.
"""

from __future__ import annotations

import re

from filmstudio.vocabulary.matcher import LexiconMatcher
from filmstudio.models.plan import CulturalContext

REGION_CUES = LexiconMatcher({
    "south_india": ["madurai", "chennai", "madras", "kanchipuram", "thanjavur", "tanjore", "coimbatore", "rameswaram",
                    "tirupati", "hyderabad", "vijayawada", "bengaluru", "bangalore", "mysore", "kochi", "kerala",
                    "tamil nadu", "andhra", "telangana", "karnataka", "pongal", "onam", "sankranti", "veshti",
                    "mundu", "idli", "dosa", "kolam", "nadaswaram", "மதுரை", "சென்னை", "காஞ்சி", "தஞ்சாவூர்",
                    "பொங்கல்", "வேட்டி", "கோலம்", "இட்லி", "தோசை", "హైదరాబాద్", "తిరుపతి", "విజయవాడ",
                    "సంక్రాంతి", "పంచె", "ముగ్గు", "murugan", "meenakshi", "senthil", "karthik", "valli",
                    "முருகன்", "மீனாட்சி", "வள்ளி", "venkatesh", "వెంకటేష్", "ఓణం", "ഓണം"],
    "north_india": ["delhi", "varanasi", "banaras", "benares", "lucknow", "jaipur", "agra", "amritsar", "punjab",
                    "rajasthan", "holi", "lohri", "karva chauth", "ghoonghat", "दिल्ली", "वाराणसी", "बनारस",
                    "लखनऊ", "जयपुर", "होली", "लोहड़ी", "घूँघट", "गंगा"],
    "east_india": ["kolkata", "calcutta", "durga puja", "bengal", "howrah", "কলকাতা", "দুর্গাপূজা", "দুর্গা পূজা",
                   "হাওড়া", "পুজো"],
    "west_india": ["mumbai", "bombay", "pune", "gujarat", "ahmedabad", "ganesh chaturthi", "garba", "navratri",
                   "मुंबई", "पुणे", "गणेश चतुर्थी", "गरबा"],
    "india": ["saree", "sari", "diwali", "deepavali", "rangoli", "rickshaw", "chai", "rupee", "rupees", "banyan",
              "dhoti", "kurta", "bindi", "monsoon", "meera", "arjun", "ravi", "raju", "priya", "lakshmi", "sudha",
              "anil", "sunita", "rahul", "amit", "kavya", "ananya", "vikram", "deepa", "ganga", "krishna", "radha",
              "साड़ी", "दिवाली", "दीपावली", "रंगोली", "धोती", "कुर्ता", "बिंदी", "बरगद", "தீபாவளி", "புடவை",
              "லட்சுமி", "దీపావళి", "చీర", "లక్ష్మి", "দীপাবলি", "শাড়ি", "ধুতি"],
    "latin_america": ["valparaíso", "santiago", "méxico", "mexico", "oaxaca", "buenos aires", "lima", "bogotá",
                      "cusco", "quito", "havana", "la habana", "día de muertos", "dia de muertos", "ofrenda",
                      "poncho", "mariachi", "sombrero", "tango", "chile", "argentina", "perú", "colombia"],
    "spain": ["madrid", "sevilla", "seville", "barcelona", "valencia", "granada", "flamenco", "semana santa",
              "andalucía", "toledo"],
    "east_asia": ["tokyo", "kyoto", "beijing", "shanghai", "seoul", "kimono", "hanbok", "lunar new year"],
    "middle_east": ["cairo", "baghdad", "damascus", "dubai", "istanbul", "ramadan", "eid", "souk"],
})
REGION_PRIORITY = ["south_india", "north_india", "east_india", "west_india", "latin_america", "spain", "east_asia",
                   "middle_east", "india"]
LANGUAGE_REGION = {"ta": "south_india", "te": "south_india", "kn": "south_india", "ml": "south_india",
                   "hi": "north_india", "pa": "north_india", "ur": "north_india", "bn": "east_india",
                   "mr": "west_india", "gu": "west_india", "ja": "east_asia", "zh": "east_asia", "ko": "east_asia",
                   "ar": "middle_east"}
LANGUAGE_PEOPLE = {"ta": "tamil", "te": "telugu", "kn": "kannada", "ml": "malayali", "hi": "north_indian",
                   "bn": "bengali", "mr": "marathi", "gu": "gujarati", "pa": "punjabi", "es": "hispanic"}
REGION_PEOPLE = {"south_india": "south_indian", "north_india": "north_indian", "east_india": "bengali",
                 "west_india": "west_indian", "india": "indian", "latin_america": "latin_american",
                 "spain": "spanish"}

EVENTS = LexiconMatcher({
    "wedding": ["wedding", "marriage", "bride", "groom", "mandap", "शादी", "विवाह", "दुल्हन", "दूल्हा", "திருமண",
                "கல்யாண", "மாப்பிள்ளை", "மணமகள்", "தாலி", "పెళ్లి", "వివాహ", "కల్యాణ", "বিয়ে", "বিবাহ", "boda",
                "novia", "casamiento", "mariage", "casamento", "hochzeit", "matrimonio"],
    "funeral": ["funeral", "cremation", "burial", "अंतिम संस्कार", "शव", "இறுதிச் சடங்கு", "అంత్యక్రియ",
                "শ্রাদ্ধ", "funeral", "entierro", "velorio"],
    "diwali": ["diwali", "deepavali", "दिवाली", "दीपावली", "தீபாவளி", "దీపావళి", "দীপাবলি"],
    "holi": ["holi", "होली"],
    "pongal": ["pongal", "பொங்கல்"],
    "onam": ["onam", "ഓണം"],
    "sankranti": ["sankranti", "సంక్రాంతి", "मकर संक्रांति"],
    "durga_puja": ["durga puja", "দুর্গাপূজা", "দুর্গা পূজা", "পুজো"],
    "eid": ["eid", "ईद", "ரம்ஜான்", "ఈద్", "ঈদ"],
    "christmas": ["christmas", "navidad", "noël", "natal", "क्रिसमस"],
    "dia_de_muertos": ["día de muertos", "dia de muertos", "día de los muertos"],
})
RELIGION = LexiconMatcher({
    "hindu": ["temple", "mandir", "puja", "pooja", "aarti", "मंदिर", "पूजा", "आरती", "கோயில்", "கோவில்", "பூஜை",
              "ஆலய", "గుడి", "ఆలయ", "పూజ", "মন্দির", "পূজা", "diwali", "holi", "durga"],
    "christian": ["church", "chapel", "priest", "iglesia", "capilla", "église", "igreja", "चर्च", "தேவாலய"],
    "muslim": ["mosque", "masjid", "namaz", "मस्जिद", "नमाज़", "பள்ளிவாசல்", "మసీదు", "মসজিদ", "mezquita"],
    "sikh": ["gurdwara", "गुरुद्वारा"],
})
_FESTIVALS = {"diwali", "holi", "pongal", "onam", "sankranti", "durga_puja", "eid", "christmas", "dia_de_muertos"}


def script_region(text: str, language: str) -> tuple[str | None, list[str]]:
    """The region the whole script points to, and the cues that led there."""
    hits = REGION_CUES.hits(text)
    regions = {cls for cls, _ in hits}
    cues = list(dict.fromkeys(word for _, word in hits))
    region = None
    if regions:
        region = min(regions, key=REGION_PRIORITY.index)
    lang_region = LANGUAGE_REGION.get(language)
    if lang_region and (region is None or region == "india"):
        region = lang_region
        cues.append(f"language:{language}")
    return region, cues[:8]


def cultural_context(scene_text: str, language: str, script: tuple[str | None, list[str]]) -> CulturalContext:
    hits = REGION_CUES.hits(scene_text)
    regions = {cls for cls, _ in hits}
    region = min(regions, key=REGION_PRIORITY.index) if regions else None
    if region in (None, "india") and script[0]:
        region = script[0] if region is None or script[0] != "india" else region
    events = EVENTS.hits(scene_text)
    religions = RELIGION.hits(scene_text)
    cues = [w for _, w in hits] + [w for _, w in events] + [w for _, w in religions]
    if region and not hits:
        cues += [c for c in script[1] if c.startswith("language:") or c in scene_text.lower()]
    tradition = None
    if events:
        event = events[0][0]
        if event in _FESTIVALS:
            tradition = event
        else:
            people = LANGUAGE_PEOPLE.get(language) or REGION_PEOPLE.get(region or "")
            religion = religions[0][0] if religions else None
            tradition = "_".join(p for p in (people, religion, event) if p)
    cues = list(dict.fromkeys(c.lower() if re.match(r"[A-Za-z]", c) else c for c in cues))
    return CulturalContext(region=region, tradition=tradition, cues=cues[:10])
