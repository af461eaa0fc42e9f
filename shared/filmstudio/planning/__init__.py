"""The plan stage: a ScriptAnalysis becomes a shot list with film times and a character bible.

`make_plan(analysis)` is deterministic: the same analysis always gives the
same plan, so content-addressed artifacts downstream are reused.
`render_table(plan_or_analysis)` is the text `filmstudio analyze` prints.
"""

from __future__ import annotations

from filmstudio.analysis import limits
from filmstudio.models.plan import Plan, ScriptAnalysis, Transition
from filmstudio.planning.bible import stable_seed, with_bible
from filmstudio.planning.shots import build_shots, line_duration
from filmstudio.planning.table import render_table

__all__ = ["make_plan", "render_table", "stable_seed"]


def _transition_after(transition_out: str | None) -> Transition:
    if not transition_out:
        return "cut"
    t = transition_out.upper()
    if "DISSOLVE" in t or "CROSS" in t or "MATCH" in t:
        return "crossfade"
    if "FADE" in t or "BLACK" in t:
        return "fade_in"
    return "cut"


def make_plan(analysis: ScriptAnalysis, *, width: int = 1280, height: int = 720, fps: int = 24) -> Plan:
    characters = [with_bible(c) for c in analysis.characters]
    by_id = {c.id: c for c in characters}
    scenes = []
    clock = 0.0
    previous_out: str | None = None
    for k, source in enumerate(analysis.scenes):
        scene = source.model_copy(deep=True)
        for line in scene.lines:
            # The plan's times follow the voice that will speak the line.
            line.est_duration = round(line_duration(line, by_id), 2)
        first: Transition = "fade_in" if k == 0 else _transition_after(previous_out)
        if k > 0 and first == "cut" and analysis.format != "screenplay":
            first = "crossfade"  # prose and explainers flow; screenplays cut unless told otherwise
        scene.shots = build_shots(scene, by_id, first_transition=first)
        scene.start = round(clock, 3)
        t = clock
        for shot in scene.shots:
            shot.start = round(t, 3)
            t += shot.duration
        scene.duration = round(sum(shot.duration for shot in scene.shots), 3)
        clock += scene.duration
        previous_out = scene.transition_out
        scenes.append(scene)
    # Refused here, before any job exists: the plan is the first to know the film's length.
    limits.check_film_duration(clock)
    return Plan(
        title=analysis.title, format=analysis.format, language=analysis.language, characters=characters,
        scenes=scenes, width=width, height=height, fps=fps, duration=round(sum(s.duration for s in scenes), 3),
    )
