"""The edge stack: CloudFront over the API (uncached) and final outputs (OAC), behind a WAF WebACL."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match, Template

from cdk.storage import FINAL_OUTPUTS_PATTERN


@pytest.fixture(scope="module")
def template_json(synthesized):
    return synthesized.template(synthesized.studio.edge)


@pytest.fixture(scope="module")
def distribution(template_json):
    (dist,) = [r for r in template_json["Resources"].values() if r["Type"] == "AWS::CloudFront::Distribution"]
    return dist["Properties"]["DistributionConfig"]


CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def test_api_is_the_uncached_default_behaviour(distribution):
    default = distribution["DefaultCacheBehavior"]
    assert set(default["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert default["CachePolicyId"] == CACHING_DISABLED
    # forwards Authorization (allowed with caching disabled), never Host
    assert default["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert default["ViewerProtocolPolicy"] == "https-only"
    origins = {o["Id"]: o for o in distribution["Origins"]}
    api_origin = origins[default["TargetOriginId"]]
    assert "CustomOriginConfig" in api_origin and api_origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_final_outputs_come_from_the_bucket_through_origin_access_control(template_json, distribution):
    (behaviour,) = [b for b in distribution["CacheBehaviors"] if b["PathPattern"] == FINAL_OUTPUTS_PATTERN]
    assert set(behaviour["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS"}
    assert len(behaviour["TrustedKeyGroups"]) == 1  # signed URLs only (without a key, no outputs behaviour)
    origin = {o["Id"]: o for o in distribution["Origins"]}[behaviour["TargetOriginId"]]
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    oac_lid = origin["OriginAccessControlId"]["Fn::GetAtt"][0]
    oac = template_json["Resources"][oac_lid]["Properties"]["OriginAccessControlConfig"]
    assert oac["OriginAccessControlOriginType"] == "s3" and oac["SigningBehavior"] == "always"


def test_distribution_has_a_cloudfront_web_acl_with_a_rate_rule(template_json, distribution):
    template = Template.from_json(template_json)
    template.has_resource_properties("AWS::WAFv2::WebACL", {
        "Scope": "CLOUDFRONT",
        "Rules": Match.array_with([Match.object_like({
            "Statement": {"RateBasedStatement": Match.object_like({"AggregateKeyType": "IP"})},
            "Action": {"Block": {}},
        })]),
    })
    (acl_lid,) = template.find_resources("AWS::WAFv2::WebACL")
    assert distribution["WebACLId"] == {"Fn::GetAtt": [acl_lid, "Arn"]}
    assert distribution["Logging"]["Prefix"] == "cloudfront/"


def test_without_a_signing_key_cloudfront_serves_no_outputs_and_the_bucket_admits_no_distribution():
    from cdk.config import StudioConfig

    assert not StudioConfig().cloudfront_serves_outputs
    assert not StudioConfig(edge_stack=False, edge_signing_public_key_file=FINAL_KEY).cloudfront_serves_outputs
    assert StudioConfig(edge_signing_public_key_file=FINAL_KEY).cloudfront_serves_outputs


FINAL_KEY = __import__("pathlib").Path("outputs.pub.pem")
