"""The media bucket's one policy (cdk/bucket_policy.py): TLS only, and CloudFront reads as this distribution."""

from __future__ import annotations

import pytest

from cdk.storage import FINAL_OUTPUTS_PATTERN


@pytest.fixture(scope="module")
def policy_stack(synthesized):
    return synthesized.template(synthesized.studio.bucket_policy)


@pytest.fixture(scope="module")
def statements(policy_stack):
    (policy,) = [r for r in policy_stack["Resources"].values() if r["Type"] == "AWS::S3::BucketPolicy"]
    assert "filmstudio-media-" in str(policy["Properties"]["Bucket"])
    return policy["Properties"]["PolicyDocument"]["Statement"]


def _joined(value) -> str:
    if isinstance(value, dict) and "Fn::Join" in value:
        return "".join(_joined(p) for p in value["Fn::Join"][1])
    if isinstance(value, dict):
        return "<" + ",".join(f"{k}:{_joined(v)}" for k, v in value.items()) + ">"
    return str(value)


def test_the_policy_denies_plain_http_on_the_bucket_and_its_objects(statements):
    (deny,) = [s for s in statements if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny["Principal"] == {"AWS": "*"} and deny["Action"] == "s3:*"
    resources = sorted(_joined(r) for r in deny["Resource"])
    assert resources[0].endswith("-<Ref:AWS::Region>") and resources[1].endswith("-<Ref:AWS::Region>/*")


def test_cloudfront_reads_only_final_outputs_and_the_web_studio_as_this_distribution(synthesized, statements):
    edge = synthesized.template(synthesized.studio.edge)
    (distribution_lid,) = [lid for lid, r in edge["Resources"].items() if r["Type"] == "AWS::CloudFront::Distribution"]
    reads = {s["Sid"]: s for s in statements if s["Effect"] == "Allow"}
    assert set(reads) == {"CloudFrontReadsFinalOutputs", "CloudFrontReadsTheWebStudio"}
    for sid, pattern in (("CloudFrontReadsFinalOutputs", FINAL_OUTPUTS_PATTERN), ("CloudFrontReadsTheWebStudio", "web/*")):
        read = reads[sid]
        assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"} and read["Action"] == "s3:GetObject"
        assert _joined(read["Resource"]).endswith(f"/{pattern}")
        (condition,) = read["Condition"].values()
        assert list(read["Condition"]) == ["StringEquals"]
        source_arn = _joined(condition["AWS:SourceArn"])
        # The distribution's own ID (the edge stack's export of its Ref), not distribution/*.
        assert source_arn.startswith("arn:<Ref:AWS::Partition>:cloudfront::<Ref:AWS::AccountId>:distribution/<")
        assert f"ExportsOutputRef{distribution_lid}" in source_arn
        assert "distribution/*" not in source_arn


def test_no_other_stack_writes_a_policy_for_the_media_bucket(synthesized):
    for stack in synthesized.studio.stacks:
        if stack is synthesized.studio.bucket_policy:
            continue
        template = synthesized.template(stack)
        for lid, resource in template["Resources"].items():
            if resource["Type"] == "AWS::S3::BucketPolicy":
                assert "filmstudio-media-" not in str(resource["Properties"]["Bucket"]), (stack.stack_name, lid)
                assert "MediaBucket" not in str(resource["Properties"]["Bucket"]), (stack.stack_name, lid)


def test_without_the_edge_stack_the_policy_only_denies_plain_http(tmp_path):
    from aws_cdk import App

    from cdk.app import build, cdk_json_context
    from cdk.config import StudioConfig

    app = App(outdir=str(tmp_path), context=cdk_json_context())
    studio = build(app, StudioConfig(edge_stack=False), checks=False)
    assert studio.edge is None and studio.bucket_policy.distribution_arn is None
    statements = studio.bucket_policy.policy.document.to_json()["Statement"]
    assert [s["Effect"] for s in statements] == ["Deny"]
