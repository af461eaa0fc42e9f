"""cdk-nag's AwsSolutions pack runs on the app; nothing is left unacknowledged, nothing without a reason."""

from __future__ import annotations

import json

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_s3 as s3

from cdk import nag


def test_app_synthesizes_with_no_unacknowledged_findings(synthesized):
    # cdk-nag 3 reports through CDK policy validation: any finding would have failed the session's synth,
    # and the report it leaves lists no violations.
    report = json.loads((synthesized.outdir / "validation-report.json").read_text())
    violations = [v for plugin in report["pluginReports"] for v in plugin.get("violations", [])]
    assert violations == []


def test_every_acknowledgment_carries_a_reason(synthesized):
    assert nag.REGISTRY, "the app acknowledges findings through cdk.nag.acknowledge"
    for path, rule, reason in nag.REGISTRY:
        assert rule.startswith("AwsSolutions-"), (path, rule)
        assert len(reason.split()) >= 8, (path, rule, reason)


def test_the_checks_do_fail_a_non_compliant_app(tmp_path):
    # The control for the test above: the same wiring rejects an unencrypted-transport, unlogged bucket.
    app = App(outdir=str(tmp_path))
    stack = Stack(app, "Bad")
    s3.Bucket(stack, "Loose")
    nag.add_checks(app)
    with pytest.raises(Exception, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    rules = {v["ruleName"] for p in report["pluginReports"] for v in p["violations"]}
    assert {"AwsSolutions-S1", "AwsSolutions-S10"} <= rules


def test_acknowledgment_without_reason_is_refused():
    app = App()
    stack = Stack(app, "S")
    with pytest.raises(ValueError, match="written reason"):
        nag.acknowledge(stack, "AwsSolutions-S1", "")
