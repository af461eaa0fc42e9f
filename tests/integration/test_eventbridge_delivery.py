"""EventBridge in the local cloud: rules deliver matching events to Lambda targets (moto alone never
runs a Lambda target), shaped as each target says."""

from __future__ import annotations

import json
import sys
import types

import pytest

from filmstudio import aws
from filmstudio.localcloud.eventbridge import fill_template
from filmstudio.topology import FunctionSpec

pytestmark = pytest.mark.xdist_group("render")

BATCH_PATTERN = {"source": ["aws.batch"], "detail-type": ["Batch Job State Change"],
                 "detail": {"status": ["SUCCEEDED", "FAILED"]}}


@pytest.fixture
def probe(cloud, monkeypatch):
    """A Lambda function of our own, run by the local runtime like any topology function."""
    received: list = []
    module = types.ModuleType("eventbridge_probe")
    module.handler = lambda event, context: received.append(event) or {"ok": True}
    monkeypatch.setitem(sys.modules, "eventbridge_probe", module)
    spec = FunctionSpec("probe", "eventbridge_probe.handler", "zip", 128, 10, "records what it receives")
    monkeypatch.setitem(cloud.runtime.by_name, spec.local_name, spec)
    role = aws.client("iam").get_role(RoleName="filmstudio-local-lambda")["Role"]["Arn"]
    arn = aws.client("lambda").create_function(
        FunctionName=spec.local_name, Runtime="python3.11", Role=role, Handler=spec.handler,
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})["FunctionArn"]
    return arn, received


def _rule(name, pattern, target, state="ENABLED"):
    events = aws.client("events")
    events.put_rule(Name=name, EventPattern=json.dumps(pattern), State=state)
    events.put_targets(Rule=name, Targets=[target])


def test_a_rule_delivers_matching_events_to_its_lambda_target_shaped_by_its_transformer(cloud, probe):
    arn, received = probe
    _rule("batch-ends", BATCH_PATTERN, {"Id": "t", "Arn": arn, "InputTransformer": {
        "InputPathsMap": {"job": "$.detail.jobId", "status": "$.detail.status", "attempts": "$.detail.attempts"},
        "InputTemplate": '{"job_id": <job>, "said": "ended <status>", "attempts": <attempts>}'}})
    _rule("batch-ends-disabled", BATCH_PATTERN, {"Id": "t", "Arn": arn}, state="DISABLED")

    ended = {"source": "aws.batch", "detail-type": "Batch Job State Change",
             "detail": {"jobId": "j-1", "status": "FAILED", "attempts": [{"exitCode": 1}]}}
    delivered = cloud.events.put(ended)
    assert [(d.rule, d.function) for d in delivered] == [("batch-ends", "filmstudio-probe")]
    assert received == [{"job_id": "j-1", "said": "ended FAILED", "attempts": [{"exitCode": 1}]}]

    # A status the pattern does not name reaches no one.
    assert cloud.events.put({**ended, "detail": {"jobId": "j-2", "status": "RUNNING"}}) == []
    assert len(received) == 1


def test_put_events_reaches_lambda_targets_with_their_constant_input_or_the_whole_event(cloud, probe):
    arn, received = probe
    _rule("constant", {"source": ["filmstudio.test"]}, {"Id": "t", "Arn": arn, "Input": '{"hello": "world"}'})
    _rule("whole", {"source": ["filmstudio.test"], "detail": {"n": [{"numeric": [">", 1]}]}},
          {"Id": "t", "Arn": arn})
    aws.client("events").put_events(Entries=[
        {"Source": "filmstudio.test", "DetailType": "Ping", "Detail": json.dumps({"n": 2})}])
    assert {"hello": "world"} in received
    (whole,) = [event for event in received if "detail" in event]
    assert whole["detail"] == {"n": 2} and whole["detail-type"] == "Ping"
    assert isinstance(whole["time"], str) and whole["time"].endswith("Z")  # ISO 8601, as EventBridge writes it


def test_asynchronous_delivery_runs_on_the_runtime_pool(cloud, probe):
    arn, received = probe
    _rule("batch-ends", BATCH_PATTERN, {"Id": "t", "Arn": arn, "InputPath": "$.detail"})
    cloud.events.asynchronous = True
    cloud.events.put({"source": "aws.batch", "detail-type": "Batch Job State Change",
                      "detail": {"jobId": "j-3", "status": "SUCCEEDED"}})
    cloud.runtime.drain(timeout=30)
    assert received == [{"jobId": "j-3", "status": "SUCCEEDED"}]
    assert [i.asynchronous for i in cloud.runtime.invocations if i.function == "filmstudio-probe"] == [True]


def test_fill_template_quotes_as_eventbridge_does():
    values = {"s": 'a "b"', "n": 3, "o": {"k": [1]}}
    assert fill_template('{"x": <s>, "y": "n=<n>", "z": <o>, "w": "<s>"}', values) == {
        "x": 'a "b"', "y": "n=3", "z": {"k": [1]}, "w": 'a "b"'}
    assert fill_template("job <s> took <n> s", values) == 'job a "b" took 3 s'
