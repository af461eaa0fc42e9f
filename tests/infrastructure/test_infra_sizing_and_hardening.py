"""Sizing from measurements, asynchronous invoke configuration, and the deploy guards of the pipeline stack."""

from __future__ import annotations

import json

import pytest

from filmstudio import topology
from filmstudio.analysis.limits import MAX_FILM_SECONDS, MAX_SCENE_SECONDS

from cdk.introspect import function_logical_ids
from cdk.pipeline import PLACEHOLDER_LAYER_REFUSAL

MEASURED = json.loads((topology.REPO_ROOT / "benchmarks" / "sizing_measured.json").read_text())["stages"]
DEFAULT_QUOTA_MB = 3008


@pytest.fixture(scope="module")
def template(synthesized, studio):
    return synthesized.template(studio.pipeline)


def _function(template, name):
    lids = function_logical_ids(template)
    return template["Resources"][lids[name]]["Properties"]


def test_memory_stays_within_the_default_quota_and_storage_is_as_documented(template):
    for spec in topology.FUNCTIONS:
        props = _function(template, spec.name)
        assert props["MemorySize"] == spec.memory_mb <= DEFAULT_QUOTA_MB, spec.name
        assert props["EphemeralStorage"] == {"Size": spec.ephemeral_mb}, spec.name
    assert topology.function("compose").ephemeral_mb == 4096 and topology.function("motion").ephemeral_mb == 1024


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_timeouts_and_tmp_admit_the_longest_film_intake_accepts(name):
    spec, measured = topology.function(name), MEASURED[name]
    # Motion runs one scene per invocation; music and compose the whole film.
    minutes = (MAX_SCENE_SECONDS if measured["per"] == "scene" else MAX_FILM_SECONDS) / 60
    assert spec.timeout_s >= measured["seconds_per_film_minute"] * minutes, (name, spec.timeout_s)
    assert spec.ephemeral_mb >= measured["tmp_mb_per_film_minute"] * minutes * 1.5, (name, spec.ephemeral_mb)


def test_every_media_stage_has_no_lambda_retries_and_fails_its_task_on_a_lost_invocation(template):
    configs = {r["Properties"]["FunctionName"]["Ref"]: r["Properties"]
               for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::EventInvokeConfig"}
    lids = function_logical_ids(template)
    assert set(configs) == {lids[name] for name in topology.MEDIA_STAGES}
    for name in topology.MEDIA_STAGES:
        config = configs[lids[name]]
        assert config["MaximumRetryAttempts"] == 0 and config["Qualifier"] == "$LATEST"
        assert config["MaximumEventAgeInSeconds"] <= 120
        assert config["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": [lids["gpu_callback"], "Arn"]}


def test_deploying_with_the_placeholder_layer_is_refused_by_a_template_rule(template):
    (rule,) = [r for name, r in template["Rules"].items() if name.startswith("DependenciesLayerBuilt")]
    (assertion,) = rule["Assertions"]
    assert assertion["AssertDescription"] == PLACEHOLDER_LAYER_REFUSAL and "`make layer`" in PLACEHOLDER_LAYER_REFUSAL
    # The parameter can only hold "placeholder", so the rule can never pass for this template.
    (param,) = [p for name, p in template["Parameters"].items() if name.startswith("DependenciesLayerState")]
    assert param["AllowedValues"] == ["placeholder"]


def test_a_built_layer_leaves_no_rule(tmp_path):
    from aws_cdk import App, Stack
    from aws_cdk.assertions import Template

    from cdk.config import StudioConfig
    from cdk.pipeline import PipelineStack
    from cdk.tables import table_shape

    (tmp_path / "python").mkdir()
    app = App()
    stack = PipelineStack(app, "pipeline", config=StudioConfig(layer_dir=tmp_path),
                          table_shapes={a: table_shape(m) for a, m in topology.table_specs().items()})
    rules = Template.from_stack(stack).to_json().get("Rules", {})
    assert not [name for name in rules if name.startswith("DependenciesLayer")]
    assert isinstance(stack, Stack)


def test_an_execution_that_times_out_reaches_the_fail_function(template):
    rules = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::Events::Rule"]
    (rule,) = [r for r in rules if r.get("EventPattern", {}).get("source") == ["aws.states"]]
    assert set(rule["EventPattern"]["detail"]["status"]) == {"TIMED_OUT", "FAILED"}
    lids = function_logical_ids(template)
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [lids["fail"], "Arn"]}
    assert "<detail-name>" in json.dumps(target["InputTransformer"]["InputTemplate"])
    definition = json.loads((topology.REPO_ROOT / "state_machines" / "film.asl.json").read_text())
    assert definition["TimeoutSeconds"] >= 3600
    assert definition["States"]["RecordFailure"]["TimeoutSeconds"] <= 120
