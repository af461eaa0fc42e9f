"""The API stack: proxy routes, the JWT authorizer, throttling, usage plan, logs and the regional WAF."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match, Template

from infra_iam import render


@pytest.fixture(scope="module")
def template_json(synthesized):
    return synthesized.template(synthesized.studio.api)


@pytest.fixture(scope="module")
def template(template_json):
    return Template.from_json(template_json)


def _paths(template_json) -> dict[str, str]:
    """Resource logical ID -> full path ("/v1/auth/{proxy+}")."""
    resources = {lid: r for lid, r in template_json["Resources"].items() if r["Type"] == "AWS::ApiGateway::Resource"}

    def path(lid: str) -> str:
        props = resources[lid]["Properties"]
        parent = props["ParentId"]
        prefix = path(parent["Ref"]) if "Ref" in parent else ""
        return f"{prefix}/{props['PathPart']}"

    return {lid: path(lid) for lid in resources}


def _methods(template_json) -> dict[tuple[str, str], dict]:
    paths = _paths(template_json)
    out = {}
    for r in template_json["Resources"].values():
        if r["Type"] == "AWS::ApiGateway::Method":
            props = r["Properties"]
            out[(paths[props["ResourceId"]["Ref"]], props["HttpMethod"])] = props
    return out


def test_routes_public_and_protected(template_json):
    methods = _methods(template_json)
    assert set(methods) == {("/docs", "GET"), ("/openapi.json", "GET"), ("/health", "GET"),
                            ("/v1/auth/{proxy+}", "ANY"), ("/v1/{proxy+}", "ANY")}
    for key, props in methods.items():
        assert props["Integration"]["Type"] == "AWS_PROXY", key
        assert render(props["Integration"]["Uri"]).endswith(":function:filmstudio-api/invocations"), key
        if key == ("/v1/{proxy+}", "ANY"):
            assert props["AuthorizationType"] == "CUSTOM" and "AuthorizerId" in props
            assert props["RequestParameters"] == {"method.request.header.Authorization": True}
        else:
            assert props["AuthorizationType"] == "NONE", key


def test_token_authorizer_uses_the_authorizer_function_and_caches(template):
    template.has_resource_properties("AWS::ApiGateway::Authorizer", {
        "Type": "TOKEN",
        "IdentitySource": "method.request.header.Authorization",
        "AuthorizerResultTtlInSeconds": 300,
        "AuthorizerUri": Match.any_value(),
    })
    (authorizer,) = template.find_resources("AWS::ApiGateway::Authorizer").values()
    assert render(authorizer["Properties"]["AuthorizerUri"]).endswith(":function:filmstudio-authorizer/invocations")
    template.has_resource_properties("AWS::Lambda::Permission", {
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": Match.object_like({"Fn::Join": ["", Match.array_with(["/authorizers/"])]}),
    })


def test_stage_throttles_logs_and_traces(template_json):
    (stage,) = [r["Properties"] for r in template_json["Resources"].values() if r["Type"] == "AWS::ApiGateway::Stage"]
    assert stage["StageName"] == "prod" and stage["TracingEnabled"] is True
    assert stage["AccessLogSetting"]["DestinationArn"]["Fn::GetAtt"][1] == "Arn"
    settings = {(s["ResourcePath"], s["HttpMethod"]): s for s in stage["MethodSettings"]}
    everything = settings[("/*", "*")]
    assert (everything["ThrottlingRateLimit"], everything["ThrottlingBurstLimit"]) == (50, 100)
    assert everything["LoggingLevel"] == "ERROR" and everything["DataTraceEnabled"] is False
    auth = settings[("/~1v1~1auth~1{proxy+}", "ANY")]
    assert auth["ThrottlingRateLimit"] < everything["ThrottlingRateLimit"]


def test_usage_plan_covers_the_stage(template):
    template.has_resource_properties("AWS::ApiGateway::UsagePlan", {
        "Throttle": {"RateLimit": 50, "BurstLimit": 100},
        "Quota": {"Limit": 100000, "Period": "DAY"},
        "ApiStages": [Match.object_like({"ApiId": {"Ref": Match.string_like_regexp("RestApi")}})],
    })


def test_gateway_errors_use_the_app_error_shape(template):
    template.has_resource_properties("AWS::ApiGateway::GatewayResponse", {
        "ResponseType": "UNAUTHORIZED", "StatusCode": "401",
        "ResponseTemplates": {"application/json": Match.string_like_regexp('"code": "UNAUTHORIZED"')},
    })


def test_stage_has_a_regional_web_acl_whose_rate_rule_is_cloudfronts_behind_cloudfront(template):
    (acl,) = template.find_resources("AWS::WAFv2::WebACL").values()
    rules = acl["Properties"]["Rules"]
    assert acl["Properties"]["Scope"] == "REGIONAL"
    # Behind CloudFront this ACL sees edge addresses, and X-Forwarded-For is the caller's to write: the
    # per-IP rate is counted by CloudFront's WebACL (test_infra_edge), the managed rules stay here.
    assert not [r for r in rules if "RateBasedStatement" in r["Statement"]]
    assert {r["Name"] for r in rules} >= {"AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesCommonRuleSet"}
    template.resource_count_is("AWS::WAFv2::WebACLAssociation", 1)


def test_without_cloudfront_the_regional_web_acl_counts_client_ips():
    from aws_cdk import App, Stack
    from aws_cdk.assertions import Template as T

    from cdk.waf import web_acl

    stack = Stack(App(), "waf")
    web_acl(stack, "Acl", waf_scope="REGIONAL", name="x", rate_limit_per_5min=1000, rate_rule=True)
    (acl,) = T.from_stack(stack).find_resources("AWS::WAFv2::WebACL").values()
    (rate,) = [r for r in acl["Properties"]["Rules"] if "RateBasedStatement" in r["Statement"]]
    assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"


def test_api_name_is_the_one_the_dashboard_watches(template):
    # The observability stack addresses API metrics by this fixed name rather than by reference.
    template.has_resource_properties("AWS::ApiGateway::RestApi", {"Name": "filmstudio-api",
                                                                  "ApiKeySourceType": "AUTHORIZER"})
