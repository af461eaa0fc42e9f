"""An app with a known account and a region other than us-east-1: the edge stack moves to us-east-1."""

from __future__ import annotations

import json

import pytest
from aws_cdk import App

from cdk.app import build, cdk_json_context
from cdk.config import StudioConfig


def _public_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.fixture(scope="module")
def regional(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("cdk.out.eu")
    key_file = outdir.parent / "outputs-signing-key.pem"
    key_file.write_text(_public_key_pem())
    app = App(outdir=str(outdir), context=cdk_json_context())
    studio = build(app, StudioConfig(account="123456789012", region="eu-west-1",
                                     edge_signing_public_key_file=key_file))
    app.synth()  # with cdk-nag: concrete accounts and regions change finding IDs, and must still pass
    return studio, outdir


def test_edge_goes_to_us_east_1_and_reads_the_api_across_regions(regional):
    studio, outdir = regional
    assert [s.region for s in studio.stacks] == ["eu-west-1"] * 4 + ["us-east-1", "eu-west-1"]
    edge = json.loads((outdir / studio.edge.template_file).read_text())
    readers = [r for r in edge["Resources"].values() if r["Type"] == "Custom::CrossRegionExportReader"]
    assert len(readers) == 1
    (dist,) = [r for r in edge["Resources"].values() if r["Type"] == "AWS::CloudFront::Distribution"]
    bucket_origin = [o for o in dist["Properties"]["DistributionConfig"]["Origins"] if "S3OriginConfig" in o]
    assert bucket_origin[0]["DomainName"] == "filmstudio-media-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com"


def test_final_outputs_require_signed_urls_when_a_signing_key_is_configured(regional):
    studio, outdir = regional
    edge = json.loads((outdir / studio.edge.template_file).read_text())
    (dist,) = [r for r in edge["Resources"].values() if r["Type"] == "AWS::CloudFront::Distribution"]
    (behaviour,) = [b for b in dist["Properties"]["DistributionConfig"]["CacheBehaviors"]
                    if b["PathPattern"] == "users/*/final/*"]
    (group,) = behaviour["TrustedKeyGroups"]
    key_group = edge["Resources"][group["Ref"]]["Properties"]["KeyGroupConfig"]
    (key_ref,) = key_group["Items"]
    encoded = edge["Resources"][key_ref["Ref"]]["Properties"]["PublicKeyConfig"]["EncodedKey"]
    assert encoded.startswith("-----BEGIN PUBLIC KEY-----")
    assert "TrustedKeyGroups" not in dist["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]


def test_the_bucket_policy_stack_stays_with_the_bucket_and_reads_the_distribution_across_regions(regional):
    studio, outdir = regional
    policy_stack = json.loads((outdir / studio.bucket_policy.template_file).read_text())
    readers = [r for r in policy_stack["Resources"].values() if r["Type"] == "Custom::CrossRegionExportReader"]
    assert len(readers) == 1
    (policy,) = [r for r in policy_stack["Resources"].values() if r["Type"] == "AWS::S3::BucketPolicy"]
    assert policy["Properties"]["Bucket"] == "filmstudio-media-123456789012-eu-west-1"
    reads = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"] if "Sid" in s}
    assert set(reads) == {"CloudFrontReadsFinalOutputs", "CloudFrontReadsTheWebStudio"}
    source = json.dumps(reads["CloudFrontReadsFinalOutputs"]["Condition"]["StringEquals"]["AWS:SourceArn"])
    assert ":distribution/" in source and "distribution/*" not in source
