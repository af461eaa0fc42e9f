"""One S3 bucket in moto, for unit tests that need a bucket and nothing else of the local cloud."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from moto import mock_aws


@contextmanager
def moto_bucket(monkeypatch, name: str) -> Iterator[object]:
    """A fresh bucket `name`; the process's clients are reset on entry and exit so stores see moto."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(var, "testing")
    from filmstudio import aws

    with mock_aws():
        aws.reset()
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=name)
        try:
            yield client
        finally:
            aws.reset()
