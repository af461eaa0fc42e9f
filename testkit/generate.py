"""Synthetic scripts for benchmarks and limit tests (deterministic, no randomness)."""

from __future__ import annotations

_PLACES = ["VILLAGE POST OFFICE", "RIVERBANK", "HILLTOP TEMPLE", "RAILWAY STATION", "MARKET STREET", "PADDY FIELD",
           "GRANDMOTHER'S KITCHEN", "SEASHORE", "FOREST PATH", "SCHOOL CLASSROOM", "CITY OFFICE", "DESERT ROAD"]
_TIMES = ["DAY", "NIGHT", "DAWN", "DUSK", "MORNING", "EVENING"]
_NAMES = ["MEERA", "ARJUN", "RAVI", "PRIYA", "KABIR", "LUCIA"]
_ACTIONS = [
    "Rain hammers the tin roof. A lamp flickers as {a} sorts a bundle of old letters.",
    "The wind rises. {a} looks out at the river, then turns to {b}.",
    "Bells ring in the distance. A crowd gathers on the steps.",
    "Wide shot: the sun rises over the flooded valley. Slow push in on {a}.",
]
_LINES = [
    "We have to leave before the water reaches the road.",
    "I know. Help me carry these, every one of them matters.",
    "Why do you keep them all?",
    "Because nobody else remembers them.",
]


def screenplay(scenes: int = 120, *, title: str = "Benchmark") -> str:
    """A Fountain screenplay with `scenes` scenes, two speakers and four lines each."""
    out = [f"Title: {title}", "Credit: generated", "", ""]
    for k in range(scenes):
        a, b = _NAMES[k % len(_NAMES)], _NAMES[(k + 1) % len(_NAMES)]
        out.append(f"{'INT' if k % 2 == 0 else 'EXT'}. {_PLACES[k % len(_PLACES)]} - {_TIMES[k % len(_TIMES)]}")
        out.append("")
        out.append(_ACTIONS[k % len(_ACTIONS)].format(a=a.title(), b=b.title()))
        out.append("")
        for n, line in enumerate(_LINES):
            out += [a if n % 2 == 0 else b, line, ""]
        out += ["CUT TO:", ""]
    return "\n".join(out)
