"""The storage stack: the media bucket's protections and one table per PynamoDB model."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Template

from filmstudio import topology
from filmstudio.settings import Settings

from cdk.introspect import tables_in_template
from cdk.naming import table_name
from cdk.tables import table_shape


@pytest.fixture(scope="module")
def template_json(synthesized):
    return synthesized.template(synthesized.studio.storage)


@pytest.fixture(scope="module")
def template(template_json):
    return Template.from_json(template_json)


def _media_bucket(template_json):
    buckets = {lid: r for lid, r in template_json["Resources"].items() if r["Type"] == "AWS::S3::Bucket"}
    media = [r for lid, r in buckets.items() if lid.startswith("MediaBucket")]
    assert len(media) == 1
    return media[0]["Properties"]


def test_media_bucket_blocks_public_access_encrypts_and_versions(template_json):
    props = _media_bucket(template_json)
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert sse["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["LoggingConfiguration"]["LogFilePrefix"] == "s3/media/"


def test_media_bucket_lifecycle_expires_cache_and_tidies_uploads(template_json):
    rules = {r["Id"]: r for r in _media_bucket(template_json)["LifecycleConfiguration"]["Rules"]}
    cache = rules["expire-cache"]
    assert cache["Prefix"] == "cache/" and cache["ExpirationInDays"] == 30 and cache["Status"] == "Enabled"
    tidy = rules["tidy"]
    assert tidy["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 2}
    assert tidy["Transitions"] == [{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 30}]
    assert tidy["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert "Prefix" not in tidy  # applies to the whole bucket


def test_media_bucket_allows_browser_uploads(template_json):
    (rule,) = _media_bucket(template_json)["CorsConfiguration"]["CorsRules"]
    assert {"POST", "PUT", "GET"} <= set(rule["AllowedMethods"])
    assert "ETag" in rule["ExposedHeaders"]
    assert rule["AllowedOrigins"] == ["https://studio.example.com"]  # from config, never "*"


def test_cors_origins_come_from_config_and_refuse_a_wildcard():
    import pytest

    from cdk.config import StudioConfig
    from cdk.storage import cors_rules

    assert cors_rules(StudioConfig()) is None
    with pytest.raises(ValueError, match="not '\\*'"):
        cors_rules(StudioConfig(cors_allowed_origins=("*",)))


def test_the_media_bucket_has_no_policy_here_and_the_access_log_bucket_denies_plain_http(template):
    # The media bucket's one policy is the bucket-policy stack's (test_infra_bucket_policy.py).
    policies = template.find_resources("AWS::S3::BucketPolicy")
    (policy,) = policies.values()
    assert policy["Properties"]["Bucket"]["Ref"].startswith("AccessLogsBucket")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert any(s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
               for s in statements)


def test_one_table_per_model_with_keys_indexes_ttl_and_pitr(template_json):
    models = topology.table_specs()
    by_attr = tables_in_template(template_json)
    assert set(by_attr) == set(models)
    tables = template_json["Resources"]
    for attr, model in models.items():
        props = tables[by_attr[attr]]["Properties"]
        shape = table_shape(model)
        keys = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
        assert keys.get("HASH") == model._hash_key_attribute().attr_name, attr
        range_attr = model._range_key_attribute()
        assert keys.get("RANGE") == (range_attr.attr_name if range_attr else None), attr
        definitions = {d["AttributeName"]: d["AttributeType"] for d in props["AttributeDefinitions"]}
        for name, attribute in model.get_attributes().items():
            if attribute.attr_name in definitions:
                assert definitions[attribute.attr_name] == attribute.attr_type, (attr, name)
        indexes = {i["IndexName"]: i for i in props.get("GlobalSecondaryIndexes", [])}
        assert set(indexes) == {i.name for i in shape.global_indexes}, attr
        for index in shape.global_indexes:
            raw = indexes[index.name]
            assert {k["KeyType"]: k["AttributeName"] for k in raw["KeySchema"]} == {
                "HASH": index.partition_key.name, **({"RANGE": index.sort_key.name} if index.sort_key else {})}
            assert raw["Projection"]["ProjectionType"] == index.projection
        ttl = model._ttl_attribute()
        if ttl is None:
            assert "TimeToLiveSpecification" not in props, attr
        else:
            assert props["TimeToLiveSpecification"] == {"AttributeName": ttl.attr_name, "Enabled": True}
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert props["TableName"] == table_name("filmstudio", attr)


def test_table_names_are_the_local_cloud_names(template_json):
    # With the default prefix the deployed tables carry exactly Settings' (the local cloud's) names.
    names = {r["Properties"]["TableName"] for r in template_json["Resources"].values()
             if r["Type"] == "AWS::DynamoDB::Table"}
    assert names == {getattr(Settings(), attr) for attr in topology.table_specs()}


def test_data_survives_stack_deletion(template):
    for kind in ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SecretsManager::Secret"):
        for lid, resource in template.find_resources(kind).items():
            assert resource.get("DeletionPolicy") == "Retain", lid


def test_jwt_secret_named_as_settings_expects_with_an_empty_key_ring(template):
    (secret,) = template.find_resources("AWS::SecretsManager::Secret", {
        "Properties": {"Name": Settings().jwt_secret_name}}).values()
    generate = secret["Properties"]["GenerateSecretString"]
    # No key pair in the template; the generated cursor key is hex (what KeySet.from_json expects).
    assert json.loads(generate["SecretStringTemplate"]) == {"active_kid": "", "keys": []}
    assert generate["GenerateStringKey"] == "cursor_key" and generate["PasswordLength"] == 64
    alphabet = set("abcdefghijklmnopqrstuvwxyz0123456789") - set(generate["ExcludeCharacters"])
    assert alphabet == set("0123456789abcdef") and generate["ExcludeUppercase"] and generate["ExcludePunctuation"]
