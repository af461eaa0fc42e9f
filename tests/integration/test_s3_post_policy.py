"""The local S3 POST endpoint judges a presigned POST's form as S3 does (`localcloud/s3_post.py`):
signed by boto3's own generate_presigned_post, then checked field by field."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest

KEY = "users/u1/projects/p1/raw/a1-story.txt"


@pytest.fixture
def form(monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    s3 = boto3.client("s3", region_name="us-east-1")
    post = s3.generate_presigned_post(
        Bucket="media", Key=KEY, Fields={"Content-Type": "text/plain", "x-amz-meta-asset-id": "a1"},
        Conditions=[{"bucket": "media"}, ["eq", "$key", KEY], ["starts-with", "$Content-Type", "text/"],
                    ["eq", "$x-amz-meta-asset-id", "a1"], ["content-length-range", 1, 100]],
        ExpiresIn=900)
    return {k.lower(): v for k, v in post["fields"].items()}


def _refused(fields, size=10, bucket="media", now=None):
    from filmstudio.localcloud.s3_post import PostRefused, check_policy, check_signature

    try:
        check_signature(fields, "us-east-1")
        check_policy(bucket, fields, size, now=now)
    except PostRefused as refused:
        return refused.status, refused.code, refused.message
    return None


def test_the_form_boto3_signed_passes(form):
    assert _refused(form) is None


@pytest.mark.parametrize("change,expected", [
    ({"key": "users/u1/projects/p1/raw/other.txt"}, (403, "AccessDenied", '["eq", "$key"')),
    ({"content-type": "image/png"}, (403, "AccessDenied", "starts-with")),
    ({"x-amz-meta-asset-id": "a2"}, (403, "AccessDenied", "x-amz-meta-asset-id")),
    ({"x-amz-meta-tier": "studio"}, (403, "AccessDenied", "Extra input fields: x-amz-meta-tier")),
    ({"signature": "AAAA"}, (403, "SignatureDoesNotMatch", "")),
    ({"awsaccesskeyid": "someone-else"}, (403, "InvalidAccessKeyId", "")),
])
def test_a_form_outside_its_policy_is_refused(form, change, expected):
    status, code, message = _refused({**form, **change})
    assert (status, code) == expected[:2] and expected[2] in message


def test_size_range_bucket_and_expiry(form):
    assert _refused(form, size=101)[:2] == (400, "EntityTooLarge")
    assert _refused(form, size=0)[:2] == (400, "EntityTooSmall")
    assert _refused(form, bucket="another")[:2] == (403, "AccessDenied")
    later = datetime.now(timezone.utc) + timedelta(seconds=901)
    assert _refused(form, now=later) == (403, "AccessDenied", "Invalid according to Policy: Policy expired.")


def test_a_policy_rewritten_by_the_uploader_does_not_verify(form):
    policy = json.loads(base64.b64decode(form["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if "content-length-range" not in c]
    forged = {**form, "policy": base64.b64encode(json.dumps(policy).encode()).decode()}
    assert _refused(forged, size=10_000)[:2] == (403, "SignatureDoesNotMatch")


def test_sigv4_forms_verify_too(monkeypatch):
    import boto3
    from botocore.config import Config

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    s3 = boto3.client("s3", region_name="us-east-1", config=Config(signature_version="s3v4"))
    post = s3.generate_presigned_post(Bucket="media", Key=KEY, Conditions=[["content-length-range", 1, 100]])
    fields = {k.lower(): v for k, v in post["fields"].items()}
    assert "x-amz-signature" in fields
    assert _refused(fields) is None
    assert _refused({**fields, "x-amz-signature": "0" * 64})[:2] == (403, "SignatureDoesNotMatch")
