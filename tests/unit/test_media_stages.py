"""The table of media stages and what derives from it: the state machine, functions, job stages, engines."""

from __future__ import annotations

import dataclasses
import json

import pytest

from filmstudio import media_stages, topology
from filmstudio.media_stages import STAGES, MediaStage, expand

SM = topology.FILM_STATE_MACHINE


def _asl() -> dict:
    return json.loads(SM.asl_path.read_text(encoding="utf-8"))


def _task() -> dict:
    return json.loads(SM.media_task_path.read_text(encoding="utf-8"))


def _render(definition: dict) -> dict:
    return definition["States"]["Render"]


def _branch_chains(definition: dict) -> dict[str, list[str]]:
    """Each Render branch's media stages in order, by where they sit (Scenes, Lines, or a branch of its own)."""
    chains = {}
    for branch in _render(definition)["Branches"]:
        (first,) = [branch["StartAt"]]
        state = branch["States"][first]
        where, states, name = (first, state["ItemProcessor"]["States"], state["ItemProcessor"]["StartAt"]) \
            if state["Type"] == "Map" else ("branch:" + first, branch["States"], first)
        chain = []
        while name:
            chain.append(states[name]["Parameters"]["Payload"]["stage"])
            name = states[name].get("Next")
        chains[where] = chain
    return chains


def test_every_row_has_one_task_state_in_the_place_of_its_unit_in_table_order():
    definition = json.loads(SM.template())
    assert _branch_chains(definition) == {
        "Scenes": [row.name for row in STAGES if row.unit == "scene"],
        "Lines": [row.name for row in STAGES if row.unit == "line"],
        **{f"branch:{row.state}": [row.name] for row in STAGES if row.unit == "film"},
    }
    scenes = _render(definition)["Branches"][0]["States"]["Scenes"]["ItemProcessor"]["States"]
    motion = scenes["Motion"]
    assert motion["Parameters"]["Payload"]["scene_id.$"] == "$.scene_id"
    assert motion["HeartbeatSeconds"] == media_stages.stage("motion").heartbeat_s
    assert motion["Parameters"]["FunctionName"] == "${GpuSubmitFunctionArn}"
    assert "line_id.$" not in motion["Parameters"]["Payload"]


def test_an_asl_without_a_place_for_a_unit_or_with_a_stranger_marker_is_refused():
    asl = _asl()
    lines = _render(asl)["Branches"][1]["States"]["Lines"]["ItemProcessor"]
    del lines["MediaStages"]
    with pytest.raises(ValueError, match=r"no place for the media stages over \['line'\]"):
        expand(asl, _task())

    lines["MediaStages"] = "shot"
    with pytest.raises(ValueError, match="'shot' is not a unit"):
        expand(asl, _task())


def test_a_stage_whose_state_name_is_taken_or_whose_name_is_a_pipeline_stage_is_refused():
    clash = dataclasses.replace(STAGES[0], name="scenes", manifest_field="scenes")  # its state: "Scenes"
    with pytest.raises(ValueError, match=r"\['Scenes'\] clash"):
        expand(_asl(), _task(), (*STAGES, clash))
    with pytest.raises(ValueError, match="pipeline stage"):
        expand(_asl(), _task(), (*STAGES, dataclasses.replace(STAGES[0], name="compose", manifest_field="x")))
    with pytest.raises(ValueError, match="taken"):
        expand(_asl(), _task(), (*STAGES, dataclasses.replace(STAGES[0], name="poster")))


def test_rows_add_and_remove_states_film_branches_and_whole_maps():
    poster = MediaStage("poster", "film", "m:I", {"preview": "m:E"}, task="m:t", keys="m:k", ext=".png",
                        content_type="image/png", manifest_field="posters", description="a poster", weight=1)
    grade = dataclasses.replace(poster, name="colour_grade", unit="scene", manifest_field="grades")
    no_lines = tuple(row for row in STAGES if row.unit != "line")
    definition = expand(_asl(), _task(), (*no_lines, poster, grade))
    chains = _branch_chains(definition)
    assert "Lines" not in chains  # no line stage: the Lines map is gone with its branch
    assert chains["Scenes"] == ["storyboard", "motion", "colour_grade"]
    assert chains["branch:Poster"] == ["poster"]
    assert "ColourGrade" in _render(definition)["Branches"][0]["States"]["Scenes"]["ItemProcessor"]["States"]


def test_functions_job_stages_engines_and_dispatch_come_from_the_table():
    from filmstudio.engines.registry import engines, stages
    from filmstudio.models.job import STAGE_WEIGHTS
    from filmstudio.models.job import STAGES as JOB_STAGES

    names = media_stages.names()
    assert topology.MEDIA_STAGES == names
    assert JOB_STAGES == ("analyze", "plan", *names, "compose", "publish")
    assert stages() == (*names, "compose")
    for row in STAGES:
        spec = topology.function(row.name)
        assert (spec.memory_mb, spec.timeout_s, spec.ephemeral_mb) == (row.memory_mb, row.timeout_s, row.ephemeral_mb)
        assert spec.handler == f"functions.{row.name}.handler.handler" and spec.state_machine == "callback"
        assert STAGE_WEIGHTS[row.name] == row.weight
        assert engines()["preview"][row.name] == row.engines["preview"]
    assert set(topology.function("gpu_submit").invokes) == set(names)
    assert sum(STAGE_WEIGHTS.values()) == 100


def test_each_media_handler_runs_its_own_stage():
    import importlib

    for row in STAGES:
        handler = importlib.import_module(f"functions.{row.name}.handler").handler
        assert handler.__name__ == f"{row.name}_handler"
    from filmstudio.pipeline.media_handler import media_handler

    with pytest.raises(KeyError):
        media_handler("colour_grade")


def test_a_manifest_holds_every_rows_keys_and_compose_key_covers_them():
    from filmstudio.analysis import analyze
    from filmstudio.pipeline.manifest import build_manifest
    from filmstudio.planning import make_plan
    from sample_scripts import ONE_SCENE

    plan = make_plan(analyze(ONE_SCENE))
    m = build_manifest(plan, "cache/plan/x.json", job_id="j", user_id="u", project_id="p", tier="preview",
                       final_prefix="final/")
    assert set(m.artifacts) == set(media_stages.names())
    assert set(m.panels) == set(m.clips) == {shot.id for shot in plan.shots()}
    assert set(m.speech) == {line.id for line in plan.lines()}
    assert set(m.music) == {scene.id for scene in plan.scenes}
    for row in STAGES:
        assert all(key.endswith(row.ext) for key in m.keys(row.name).values())
    again = build_manifest(plan, "cache/plan/x.json", job_id="j2", user_id="u", project_id="p", tier="preview",
                           final_prefix="final/", burn_subtitles=True)
    assert again.artifacts == m.artifacts and again.compose_prefix != m.compose_prefix


def test_a_manifest_written_before_the_table_still_reads():
    from filmstudio.pipeline.manifest import Manifest

    old = {"job_id": "j", "user_id": "u", "project_id": "p", "tier": "preview", "plan_key": "k", "final_prefix": "f",
           "engines": {}, "panels": {"s1-sh1": "a.png"}, "clips": {"s1-sh1": "a.mp4"}, "speech": {"l1": "a.wav"},
           "music": {"s1": "m.wav"}}
    m = Manifest.model_validate(old)
    assert (m.panels, m.clips, m.speech, m.music) == ({"s1-sh1": "a.png"}, {"s1-sh1": "a.mp4"}, {"l1": "a.wav"},
                                                      {"s1": "m.wav"})
