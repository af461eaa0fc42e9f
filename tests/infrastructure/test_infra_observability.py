"""Dashboard and alarms over the state machine and every function."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Match, Template

from filmstudio import topology
from filmstudio.settings import Settings
from infra_iam import render


@pytest.fixture(scope="module")
def template_json(synthesized):
    return synthesized.template(synthesized.studio.observability)


@pytest.fixture(scope="module")
def template(template_json):
    return Template.from_json(template_json)


def _dashboard_body(template_json) -> str:
    """The dashboard JSON with every intrinsic flattened to text (names are imported from the pipeline)."""
    (dashboard,) = [r for r in template_json["Resources"].values() if r["Type"] == "AWS::CloudWatch::Dashboard"]
    body = dashboard["Properties"]["DashboardBody"]
    if isinstance(body, str):
        return body
    return "".join(p if isinstance(p, str) else json.dumps(p) for p in body["Fn::Join"][1])


def test_dashboard_covers_the_state_machine_functions_and_stage_metrics(template_json):
    body = _dashboard_body(template_json)
    for metric in ("ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionTime"):
        assert f'"AWS/States","{metric}"' in body, metric
    for metric in ("Invocations", "Errors", "Duration", "Throttles"):
        # one line per topology function in each per-function widget
        assert body.count(f'"AWS/Lambda","{metric}"') == len(topology.FUNCTIONS), metric
    assert '"stat":"p95"' in body
    assert "SEARCH('{FilmStudio} MetricName=\\\"StageSeconds\\\"'" in body
    for metric in ("Count", "5XXError", "Latency"):
        assert f'"AWS/ApiGateway","{metric}","ApiName","filmstudio-api","Stage","prod"' in body, metric


def test_alarms_for_failed_executions_and_every_function_notify_the_topic(template):
    topics = template.find_resources("AWS::SNS::Topic")
    assert len(topics) == 1
    topic_lid = next(iter(topics))
    assert topics[topic_lid]["Properties"]["KmsMasterKeyId"]
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    by_metric = {}
    for alarm in alarms.values():
        props = alarm["Properties"]
        assert props["AlarmActions"] == [{"Ref": topic_lid}]
        if "Metrics" in props:  # metric math: the DynamoDB throttle alarms (reads + writes)
            names = sorted(m["MetricStat"]["Metric"]["MetricName"] for m in props["Metrics"] if "MetricStat" in m)
            namespace = {m["MetricStat"]["Metric"]["Namespace"] for m in props["Metrics"] if "MetricStat" in m}
            by_metric.setdefault((namespace.pop(), "+".join(names)), []).append(props)
            continue
        by_metric.setdefault((props["Namespace"], props["MetricName"]), []).append(props)
    assert len(by_metric[("AWS/States", "ExecutionsFailed")]) == 1
    assert len(by_metric[("AWS/States", "ExecutionsTimedOut")]) == 1
    assert len(by_metric[("AWS/Lambda", "Errors")]) == len(topology.FUNCTIONS)
    assert len(by_metric[("AWS/Lambda", "Throttles")]) == len(topology.FUNCTIONS)
    dropped = by_metric[("AWS/Lambda", "AsyncEventsDropped")]
    assert sorted(a["AlarmDescription"].rsplit(" ", 1)[1] for a in dropped) == sorted(topology.MEDIA_STAGES)
    assert all(_dimension(a, "FunctionName") for a in dropped)
    tables = by_metric[("AWS/DynamoDB", "ReadThrottleEvents+WriteThrottleEvents")]
    assert sorted(render(m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]) for a in tables for m in a["Metrics"]
                  if m.get("MetricStat", {}).get("Metric", {}).get("MetricName") == "ReadThrottleEvents") == sorted(
        getattr(Settings(), attr) for attr in topology.table_specs())
    (api_5xx,) = by_metric[("AWS/ApiGateway", "5XXError")]
    assert {d["Name"]: d["Value"] for d in api_5xx["Dimensions"]} == {"ApiName": "filmstudio-api", "Stage": "prod"}
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ExecutionsFailed", "Threshold": 1, "Statistic": "Sum",
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "Dimensions": [{"Name": "StateMachineArn", "Value": Match.any_value()}],
    })


def _dimension(alarm: dict, name: str):
    return next(d["Value"] for d in alarm["Dimensions"] if d["Name"] == name)


def test_synth_warns_when_no_one_is_subscribed_to_the_alarm_topic(studio, template):
    from aws_cdk.assertions import Annotations

    warnings = Annotations.from_stack(studio.observability).find_warning(
        "*", Match.string_like_regexp("No one is subscribed to the alarm topic"))
    assert len(warnings) == 1
    assert not template.find_resources("AWS::SNS::Subscription")


def test_cloudwatch_may_publish_to_the_encrypted_topic(template):
    template.has_resource_properties("AWS::KMS::Key", {
        "EnableKeyRotation": True,
        "KeyPolicy": {"Statement": Match.array_with([Match.object_like({
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        })])},
    })
