"""The plan: shots, durations, film times and the character bible."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from filmstudio.analysis import analyze
from testkit.generate import screenplay
from filmstudio.models.plan import Plan
from filmstudio.planning import make_plan, render_table, stable_seed
from filmstudio.planning.shots import LINE_GAP

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SCRIPTS = sorted(CORPUS / name for name in json.loads((CORPUS / "labels.json").read_text(encoding="utf-8")))


def _plan(name: str) -> Plan:
    return make_plan(analyze((CORPUS / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_line_fits_its_shot_and_times_add_up(path):
    plan = make_plan(analyze(path.read_text(encoding="utf-8")))
    lines = {line.id: line for line in plan.lines()}
    placed = [lid for shot in plan.shots() for lid in shot.line_ids]
    assert sorted(placed) == sorted(lines)  # every line in exactly one shot
    clock = 0.0
    for scene in plan.scenes:
        assert scene.start == pytest.approx(clock, abs=1e-3)
        assert scene.duration == pytest.approx(sum(s.duration for s in scene.shots), abs=1e-3)
        t = scene.start
        for k, shot in enumerate(scene.shots):
            assert shot.index == k and shot.id == f"{scene.id}-sh{k + 1}" and shot.scene_id == scene.id
            assert shot.start == pytest.approx(t, abs=1e-3)
            spoken = [lines[lid] for lid in shot.line_ids]
            need = sum(ln.est_duration for ln in spoken) + LINE_GAP * max(0, len(spoken) - 1)
            assert shot.duration >= need
            assert shot.duration >= 2.5
            t += shot.duration
        clock += scene.duration
    assert plan.duration == pytest.approx(clock, abs=1e-3)


def test_typical_shot_is_watchable():
    durations = [shot.duration for path in SCRIPTS for shot in make_plan(analyze(path.read_text())).shots()]
    inside = [d for d in durations if 2.5 <= d <= 8.0]
    assert len(inside) / len(durations) >= 0.9


def test_shots_follow_script_order_and_camera_cues():
    plan = _plan("en_lighthouse.fountain")
    first = plan.scenes[0].shots
    assert first[0].transition_in == "fade_in" and first[0].framing == "wide" and not first[0].line_ids
    lantern = plan.scenes[1]
    assert lantern.shots[0].transition_in == "cut"  # after CUT TO:
    assert plan.scenes[2].shots[0].transition_in == "crossfade"  # after DISSOLVE TO:
    assert any(s.framing == "close" for s in lantern.shots)  # "Close on Samuel's hands"
    dual = next(s for s in lantern.shots if "s2-l3" in s.line_ids)
    assert "s2-l4" in dual.line_ids  # dual dialogue shares the frame
    assert any(s.framing == "wide" for s in plan.scenes[2].shots)  # "Wide shot:"


def test_speakers_are_in_frame():
    plan = _plan("en_market.fountain")
    lines = {ln.id: ln for ln in plan.lines()}
    narrator_ids = {c.id for c in plan.characters if c.is_narrator}
    for shot in plan.shots():
        for lid in shot.line_ids:
            if lines[lid].character_id not in narrator_ids:
                assert lines[lid].character_id in shot.characters


def test_character_bible():
    plan = _plan("en_lighthouse.fountain")
    ids = [c.id for c in plan.characters]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    nina, samuel = plan.character("nina"), plan.character("samuel")
    assert nina.seed == stable_seed("nina") and nina.seed != samuel.seed
    for c in plan.characters:
        assert c.palette and all(re.fullmatch(r"#[0-9a-f]{6}", col) for col in c.palette)
        assert 0 <= c.voice.pitch <= 99 and 100 <= c.voice.rate <= 220
    assert samuel.age_group == "elder" and samuel.voice.rate < nina.voice.rate  # elders speak slower
    assert samuel.voice.gender == "male" and samuel.voice.pitch < nina.voice.pitch or nina.gender is None


def test_voices_by_age_and_gender():
    plan = _plan("en_market.fountain")
    kavya, mohan, parvati = (plan.character(i) for i in ("kavya", "mohan", "parvati"))
    assert kavya.age_group == "child" and kavya.voice.age_group == "child"
    assert kavya.voice.pitch > mohan.voice.pitch
    assert (parvati.gender, parvati.age_group) == ("female", "elder")
    assert parvati.voice.rate < mohan.voice.rate
    narrator = plan.character("narrator")
    assert narrator.is_narrator and narrator.voice.language == "en"


def test_non_latin_names_get_ascii_ids():
    plan = _plan("ta_rain.txt")
    assert all(c.id.isascii() for c in plan.characters)
    assert {c.voice.language for c in plan.characters} == {"ta"}


def test_seed_is_stable_across_processes():
    code = "from filmstudio.planning import stable_seed; print(stable_seed('meera'))"
    shared = str(Path(__file__).resolve().parents[3] / "shared")
    seeds = set()
    for hashseed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed, "PYTHONPATH": shared}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        seeds.add(int(out.stdout))
    assert seeds == {stable_seed("meera")}


def test_plan_is_json_round_trippable_and_deterministic():
    plan = _plan("hi_kite.txt")
    again = Plan.model_validate_json(plan.model_dump_json())
    assert again == plan
    assert make_plan(analyze((CORPUS / "hi_kite.txt").read_text())).model_dump() == plan.model_dump()
    assert json.loads(plan.model_dump_json())["schema_version"] == "1.0"


def test_plan_size_and_frame():
    plan = make_plan(analyze(screenplay(2)), width=640, height=360, fps=30)
    assert (plan.width, plan.height, plan.fps) == (640, 360, 30)


def test_render_table_for_plan_and_analysis():
    analysis = analyze((CORPUS / "en_lighthouse.fountain").read_text())
    plan = make_plan(analysis)
    table = render_table(plan)
    assert "The Last Keeper" in table and "SAMUEL" in table and "s1-sh1" in table and "Duration" in table
    assert "Shots" not in render_table(analysis) and "NINA" in render_table(analysis)
    tamil = render_table(_plan("ta_rain.txt"))
    assert "செல்வி" in tamil


def test_plans_are_identical_across_processes():
    # Artifacts are content-addressed by the plan: set iteration order or hash() must not leak in.
    code = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from filmstudio.analysis import analyze\n"
        "from filmstudio.planning import make_plan\n"
        "h = hashlib.sha256()\n"
        "for p in sys.argv[1:]:\n"
        "    h.update(make_plan(analyze(Path(p).read_text(encoding='utf-8'))).model_dump_json().encode())\n"
        "print(h.hexdigest())\n"
    )
    shared = str(Path(__file__).resolve().parents[3] / "shared")
    files = [str(p) for p in SCRIPTS[::6]]
    digests = set()
    for hashseed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed, "PYTHONPATH": shared}
        out = subprocess.run([sys.executable, "-c", code, *files], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_one_person_one_voice_across_the_corpus():
    """The voice's gender is the character's, whatever the analysis found; an unknown gender is
    the neutral voice, never a guess; elders speak slower than adults of their gender."""
    from filmstudio.planning.bible import VOICE_TABLE

    corpus = Path(__file__).resolve().parents[2] / "corpus"
    neutral = {v for (g, _), (variants, _, _) in VOICE_TABLE.items() if g is None for v in variants}
    gendered = {v for (g, _), (variants, _, _) in VOICE_TABLE.items() if g is not None for v in variants}
    for path in sorted(corpus.glob("*.fountain")) + sorted(corpus.glob("*.txt"))[:20]:
        for c in make_plan(analyze(path.read_text(encoding="utf-8"))).characters:
            if c.is_narrator:
                continue
            assert c.voice.gender == c.gender, (path.name, c.name)
            if c.gender is None:
                assert c.voice.variant in neutral - gendered, (path.name, c.name)
    for gender in ("female", "male", None):
        assert VOICE_TABLE[(gender, "elder")][2] < VOICE_TABLE[(gender, "adult")][2]
