"""A plain-text table of an analysis or a plan, for `filmstudio analyze SCRIPT`."""

from __future__ import annotations

import unicodedata

from filmstudio.models.plan import Plan, ScriptAnalysis


def _width(s: str) -> int:
    # Combining marks (Indic vowel signs) take no column; wide CJK characters take two.
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _cut(s: str, n: int) -> str:
    s = " ".join(s.split())
    if _width(s) <= n:
        return s
    out = ""
    for ch in s:
        if _width(out + ch) > n - 1:
            break
        out += ch
    return out + "…"


def _pad(s: str, n: int) -> str:
    s = _cut(s, n)
    return s + " " * max(0, n - _width(s))


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    out = ["  ".join(_pad(h, w) for h, w in zip(headers, widths)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for row in rows:
        out.append("  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip())
    return out


def render_table(doc: Plan | ScriptAnalysis) -> str:
    is_plan = isinstance(doc, Plan)
    lang = doc.language
    lines = [
        f"Title:     {doc.title or '(untitled)'}",
        f"Format:    {doc.format}",
        f"Language:  {lang.language} ({lang.confidence:.0%}, {lang.writing_system}"
        f"{', romanised' if lang.romanized else ''})",
        f"Scenes:    {len(doc.scenes)}    Lines: {sum(len(s.lines) for s in doc.scenes)}"
        + (f"    Shots: {len(doc.shots())}    Duration: {doc.duration:.1f} s" if is_plan else ""),
        "",
        "Characters",
    ]
    rows = []
    for c in doc.characters:
        rows.append([
            c.id, c.name + (" (narrator)" if c.is_narrator else ""), ", ".join(c.aliases),
            str(c.age) if c.age is not None else "", c.age_group or "", c.gender or "", c.voice.language,
            f"{c.voice.pitch}/{c.voice.rate}" if is_plan else "",
        ])
    lines += _table(["id", "name", "aliases", "age", "group", "gender", "lang", "pitch/wpm" if is_plan else ""],
                    rows, [14, 22, 16, 4, 6, 7, 5, 9])
    lines += ["", "Scenes"]
    rows = []
    for s in doc.scenes:
        place = "INT" if s.interior else "EXT" if s.interior is False else ""
        rows.append([
            s.id, s.heading or s.location or "", place, s.setting or "", s.time_of_day or "",
            ",".join(s.weather), s.mood.label, str(len(s.lines)),
            (f"{s.start:.1f}+{s.duration:.1f}" if is_plan else ""),
            ",".join(filter(None, [s.cultural_context.region, s.cultural_context.tradition])),
        ])
    lines += _table(["id", "heading", "i/e", "setting", "time", "weather", "mood", "lines",
                     "start+dur" if is_plan else "", "culture"], rows, [4, 28, 3, 8, 9, 10, 11, 5, 10, 26])
    if is_plan:
        lines += ["", "Shots"]
        rows = []
        names = {c.id: c.name for c in doc.characters}
        for shot in doc.shots():
            rows.append([shot.id, f"{shot.start:.1f}", f"{shot.duration:.1f}", shot.framing, shot.camera,
                         shot.transition_in, ",".join(shot.line_ids), shot.description])
        lines += _table(["id", "start", "dur", "framing", "camera", "in", "lines", "description"], rows,
                        [8, 6, 5, 7, 9, 9, 14, 40])
    lines += ["", "Dialogue"]
    rows = []
    names = {c.id: c.name for c in doc.characters}
    for s in doc.scenes:
        for line in s.lines:
            who = names.get(line.character_id, line.character_id)
            extra = f" ({line.extension})" if line.extension else ""
            rows.append([line.id, who + extra, f"{line.language} {line.language_confidence:.2f}",
                         f"{line.est_duration:.1f}s", line.text])
    lines += _table(["id", "speaker", "lang", "est", "text"], rows, [8, 16, 7, 5, 60])
    return "\n".join(lines) + "\n"
