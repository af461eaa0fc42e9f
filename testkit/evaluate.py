"""Accuracy of the analysis over a labelled corpus folder.

The folder holds scripts and a labels.json mapping each file name to what a
careful reader finds in it:

    {"story.txt": {"language": "hi", "format": "prose", "scenes": 3,
                   "characters": ["मोहन", "गीता"],
                   "lines": [["मोहन", "first words of the line"], ...],
                   "times_of_day": ["DAY", ...], "romanized": false}}

Every key but language is optional. Also understood: "characters_any_of"
(at least one of these must be found), "dialogue_lines" (a count) and
"genders" ({name: "female" | "male"}: what the text makes plain about them).
Lines are matched by their opening words; "NARRATOR" names the narrator.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

from filmstudio.analysis.analyzer import analyze
from filmstudio.analysis.people.cast import name_key
from filmstudio.models.plan import Character, ScriptAnalysis


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def _matches(label: str, character: Character) -> bool:
    if label.strip().upper() == "NARRATOR":
        return character.is_narrator
    key = name_key(label)
    return any(name_key(n) == key for n in [character.name, *character.aliases])


def _score_file(analysis: ScriptAnalysis, label: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "language": analysis.language.language,
        "language_ok": analysis.language.language == label["language"],
        "format": analysis.format,
        "format_ok": "format" not in label or analysis.format == label["format"],
        "scenes": len(analysis.scenes),
    }
    if "romanized" in label:
        result["romanized_ok"] = analysis.language.romanized == label["romanized"]
    if "scenes" in label:
        result["scenes_ok"] = len(analysis.scenes) == label["scenes"]
    people = [c for c in analysis.characters if not c.is_narrator]
    if "characters" in label:
        expected = label["characters"]
        found = [e for e in expected if any(_matches(e, c) for c in people)]
        correct = [c for c in people if any(_matches(e, c) for e in expected)]
        result["characters_expected"] = len(expected)
        result["characters_found"] = len(found)
        result["characters_predicted"] = len(people)
        result["characters_correct"] = len(correct)
        result["characters_missed"] = [e for e in expected if e not in found]
        result["characters_extra"] = [c.name for c in people if c not in correct]
    if "characters_any_of" in label:
        result["characters_any_ok"] = any(_matches(e, c) for e in label["characters_any_of"] for c in people)
    if "genders" in label:
        found_genders = {name: next((c.gender for c in people if _matches(name, c)), None)
                         for name in label["genders"]}
        result["genders_expected"] = len(label["genders"])
        result["genders_right"] = sum(1 for name, g in label["genders"].items() if found_genders[name] == g)
        result["gender_errors"] = [f"{name}: {found_genders[name]} (want {g})"
                                   for name, g in label["genders"].items() if found_genders[name] != g]
    lines = [line for scene in analysis.scenes for line in scene.lines]
    narrators = {c.id for c in analysis.characters if c.is_narrator}
    spoken = [line for line in lines if line.character_id not in narrators]
    if "dialogue_lines" in label:
        result["dialogue_lines_ok"] = len(spoken) == label["dialogue_lines"]
    if "times_of_day" in label:
        result["times_of_day_ok"] = [s.time_of_day for s in analysis.scenes] == label["times_of_day"]
    if "lines" in label:
        by_id = {c.id: c for c in analysis.characters}
        attributed = 0
        wrong = []
        position = 0  # labelled lines are in script order: match each after the previous one
        for speaker, opening in label["lines"]:
            want = _norm(opening)
            rest = lines[position:]
            line = next((ln for ln in rest if _norm(ln.text).startswith(want)), None) or next(
                (ln for ln in rest if want in _norm(ln.text)), None)
            if line is not None:
                position = lines.index(line) + 1
            character = by_id.get(line.character_id) if line else None
            if character and _matches(speaker, character):
                attributed += 1
            else:
                wrong.append({"expected": speaker, "got": character.name if character else None, "line": opening})
        result["lines_expected"] = len(label["lines"])
        result["lines_attributed"] = attributed
        result["attribution_errors"] = wrong
    return result


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def evaluate(folder: str | Path) -> dict[str, Any]:
    """Analyse every labelled file in `folder` and report the accuracy figures."""
    folder = Path(folder)
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    files: dict[str, Any] = {}
    started = time.perf_counter()
    for name, label in sorted(labels.items()):
        text = (folder / name).read_text(encoding="utf-8")
        analysis = analyze(text)
        files[name] = _score_file(analysis, label)
        files[name]["expected_format"] = label.get("format")
    elapsed = time.perf_counter() - started

    def agg(key: str, fmt: str | None = None) -> float | None:
        picked = [r for r in files.values() if key in r and (fmt is None or r["expected_format"] == fmt)]
        return _ratio(sum(1 for r in picked if r[key]), len(picked))

    def sums(num: str, den: str, fmt: str | None = None) -> float | None:
        picked = [r for r in files.values() if den in r and (fmt is None or r["expected_format"] == fmt)]
        return _ratio(sum(r[num] for r in picked), sum(r[den] for r in picked))

    report = {
        "files": len(files),
        "languages": sorted({lab["language"] for lab in labels.values()}),
        "language_accuracy": agg("language_ok"),
        "format_accuracy": agg("format_ok"),
        "romanized_accuracy": agg("romanized_ok"),
        "scene_count_accuracy": agg("scenes_ok"),
        "screenplay_scene_accuracy": agg("scenes_ok", "screenplay"),
        "prose_scene_accuracy": agg("scenes_ok", "prose"),
        "topic_scene_accuracy": agg("scenes_ok", "topic"),
        "character_precision": sums("characters_correct", "characters_predicted"),
        "character_recall": sums("characters_found", "characters_expected"),
        "screenplay_character_precision": sums("characters_correct", "characters_predicted", "screenplay"),
        "screenplay_character_recall": sums("characters_found", "characters_expected", "screenplay"),
        "prose_character_precision": sums("characters_correct", "characters_predicted", "prose"),
        "prose_character_recall": sums("characters_found", "characters_expected", "prose"),
        "attribution_accuracy": sums("lines_attributed", "lines_expected"),
        "screenplay_attribution_accuracy": sums("lines_attributed", "lines_expected", "screenplay"),
        "prose_attribution_accuracy": sums("lines_attributed", "lines_expected", "prose"),
        "gender_accuracy": sums("genders_right", "genders_expected"),
        "seconds": round(elapsed, 3),
        "details": files,
    }
    return report


def format_report(report: dict[str, Any]) -> str:
    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.1%}"

    keys = [k for k, v in report.items() if k.endswith(("accuracy", "precision", "recall"))]
    out = [f"{report['files']} files, languages: {', '.join(report['languages'])}"]
    out += [f"  {k:34} {pct(report[k])}" for k in keys]
    problems = []
    for name, r in report["details"].items():
        issues = []
        if not r["language_ok"]:
            issues.append(f"language {r['language']}")
        if not r["format_ok"]:
            issues.append(f"format {r['format']}")
        if r.get("scenes_ok") is False:
            issues.append(f"scenes {r['scenes']}")
        if r.get("characters_missed"):
            issues.append(f"missed {r['characters_missed']}")
        if r.get("characters_extra"):
            issues.append(f"extra {r['characters_extra']}")
        for key in ("romanized_ok", "dialogue_lines_ok", "times_of_day_ok", "characters_any_ok"):
            if r.get(key) is False:
                issues.append(key.replace("_ok", " wrong"))
        issues += [f"gender {e}" for e in r.get("gender_errors", [])]
        for e in r.get("attribution_errors", []):
            issues.append(f"line '{e['line'][:24]}' -> {e['got']} (want {e['expected']})")
        if issues:
            problems.append(f"  {name}: " + "; ".join(issues))
    if problems:
        out += ["Problems:", *problems]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - a developer's shortcut
    import sys

    print(format_report(evaluate(sys.argv[1] if len(sys.argv) > 1 else "tests/corpus")))
