"""The web studio on AWS: its files under web/ in the media bucket, a CloudFront behaviour for them with
a strict response-headers policy, and a deployment that can touch web/ and nothing else."""

from __future__ import annotations

import pytest

from cdk.web_site import WEB_PATH_PATTERN, stage_web, web_files


@pytest.fixture(scope="module")
def edge(synthesized):
    return synthesized.template(synthesized.studio.edge)


@pytest.fixture(scope="module")
def web_behaviour(edge):
    (dist,) = [r for r in edge["Resources"].values() if r["Type"] == "AWS::CloudFront::Distribution"]
    config = dist["Properties"]["DistributionConfig"]
    (behaviour,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == WEB_PATH_PATTERN]
    return config, behaviour


def _literal(value) -> str:
    """A template string with its Fn::Join parts joined and every reference shown as <ref>."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(_literal(p) for p in parts)
    return "<ref>"


def test_the_web_prefix_is_served_from_the_bucket_through_origin_access_control(web_behaviour, edge):
    config, behaviour = web_behaviour
    assert WEB_PATH_PATTERN == "web/*"
    assert set(behaviour["AllowedMethods"]) == {"GET", "HEAD"}
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https" and behaviour["Compress"] is True
    assert "TrustedKeyGroups" not in behaviour  # the app itself is public; its data needs a token
    origin = {o["Id"]: o for o in config["Origins"]}[behaviour["TargetOriginId"]]
    assert "S3OriginConfig" in origin and "OriginAccessControlId" in origin
    # folder requests get index.html
    (assoc,) = behaviour["FunctionAssociations"]
    assert assoc["EventType"] == "viewer-request"
    fn = edge["Resources"][assoc["FunctionARN"]["Fn::GetAtt"][0]]["Properties"]
    assert "index.html" in fn["FunctionCode"]
    # the API stays the default behaviour: /v1 on the same origin as the app
    assert "S3OriginConfig" not in {o["Id"]: o for o in config["Origins"]}[config["DefaultCacheBehavior"]["TargetOriginId"]]


def test_security_headers(web_behaviour, edge):
    _, behaviour = web_behaviour
    policy = edge["Resources"][behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
    headers = policy["SecurityHeadersConfig"]
    csp = _literal(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe" not in csp and "*" not in csp.replace("*.", "")
    assert headers["ContentSecurityPolicy"]["Override"] is True
    hsts = headers["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 365 * 24 * 3600 and hsts["IncludeSubdomains"] and hsts["Override"]
    assert headers["ContentTypeOptions"] == {"Override": True}  # X-Content-Type-Options: nosniff
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}


def test_the_csp_is_the_one_the_local_server_sends(web_behaviour, edge):
    from filmstudio.api.web_static import content_security_policy

    _, behaviour = web_behaviour
    policy = edge["Resources"][behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
    deployed = _literal(policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    local = {d.split(" ", 1)[0]: d for d in content_security_policy().split("; ")}
    for name, directive in local.items():
        assert directive in deployed, name  # the bucket's own URLs may only be added, never anything else


def test_the_deployment_writes_web_and_only_web(edge, synthesized):
    (deployment,) = [r["Properties"] for r in edge["Resources"].values() if r["Type"] == "Custom::CDKBucketDeployment"]
    assert deployment["DestinationBucketKeyPrefix"] == "web/" and deployment["Prune"] is True
    assert deployment["DistributionPaths"] == ["/web/*"]
    fn = edge["Resources"][deployment["ServiceToken"]["Fn::GetAtt"][0]]["Properties"]
    role_id = fn["Role"]["Fn::GetAtt"][0]
    policies = [r["Properties"] for r in edge["Resources"].values()
                if r["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in r["Properties"]["Roles"]]
    media_objects = []
    for policy in policies:
        for statement in policy["PolicyDocument"]["Statement"]:
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            for resource in map(_literal, resources):
                if "filmstudio-media-" in resource and "/" in resource.split(":::")[-1]:
                    media_objects.append(resource)
            assert "*" not in statement["Action"] and not any(a.endswith(":*") for a in statement["Action"])
    assert media_objects and all(r.endswith("/web/*") for r in media_objects), media_objects
    # the bucket lets CloudFront read web/ (the bucket-policy stack's policy)
    policy_stack = synthesized.template(synthesized.studio.bucket_policy)
    statements = [s for r in policy_stack["Resources"].values() if r["Type"] == "AWS::S3::BucketPolicy"
                  for s in r["Properties"]["PolicyDocument"]["Statement"]]
    reads = [s for s in statements if s.get("Sid") == "CloudFrontReadsTheWebStudio"]
    assert reads and _literal(reads[0]["Resource"]).endswith("/web/*") and reads[0]["Action"] == "s3:GetObject"


def test_the_staged_site_has_the_app_and_its_fonts():
    staged = stage_web()
    names = {p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()}
    assert {"index.html", "app.css", "js/main.js", "js/api.js"} <= names
    for script in ("devanagari", "bengali", "tamil", "telugu"):
        assert f"fonts/{script}.ttf" in names and f"fonts/{script}-LICENSE.txt" in names
    assert {rel for rel, _ in web_files()} == names
