"""The S3 trigger: an upload under a project's raw/ prefix starts exactly one job per object version."""

from __future__ import annotations

import json
from urllib.parse import quote_plus

import pytest

from filmstudio import aws, topology
from filmstudio.db.records import JobRecord
from filmstudio.models.job import JobStatus
from filmstudio.pipeline.intake import job_id_for_object
from filmstudio.settings import get_settings

pytestmark = pytest.mark.xdist_group("render")

# EventBridge carries this key as written; a notification would carry it URL-encoded.
KEY = "users/u1/projects/p1/raw/two cups+milk.fountain"


def _event(bucket, key, version):
    with open(__file__.rsplit("/", 2)[0] + "/events/s3_object_created.json") as f:
        event = json.load(f)
    record = event["Records"][0]
    record["s3"]["bucket"]["name"] = bucket
    record["s3"]["object"]["key"] = key
    record["s3"]["object"]["versionId"] = version
    return event


def _jobs():
    return list(JobRecord.scan())


def test_an_upload_starts_one_job_and_a_replayed_event_starts_none(cloud, short_screenplay):
    bucket = get_settings().bucket
    s3 = aws.client("s3")
    version = s3.put_object(Bucket=bucket, Key=KEY, Body=short_screenplay)["VersionId"]
    # The trigger's EventBridge rule invoked ingest before put_object returned: the job exists and is running.
    job_id = job_id_for_object(bucket, KEY, version)
    jobs = _jobs()
    assert [j.job_id for j in jobs] == [job_id]
    assert jobs[0].source == f"s3://{bucket}/{KEY}#{version}"

    lam = aws.client("lambda")
    ingest = topology.function("ingest").local_name
    # The same object version in the S3 notification shape (keys URL-encoded) is the same job.
    encoded = quote_plus(KEY, safe="/")
    reply = lam.invoke(FunctionName=ingest, Payload=json.dumps(_event(bucket, encoded, version)).encode())
    assert json.loads(reply["Payload"].read())[0]["outcome"] == "duplicate"
    assert len(_jobs()) == 1

    # A new version of the object is a new render.
    s3.put_object(Bucket=bucket, Key=KEY, Body=short_screenplay.replace(b"walked", b"ran"))
    assert len(_jobs()) == 2
    for job in _jobs():
        assert cloud.wait(job.job_id).status == JobStatus.SUCCEEDED


@pytest.mark.parametrize("body", [b"", b"\x89PNG\r\n\x1a\n" + bytes(64), b"   \n\t\n"])
def test_a_refused_upload_leaves_no_job_and_no_object(cloud, body):
    bucket = get_settings().bucket
    s3 = aws.client("s3")
    s3.put_object(Bucket=bucket, Key=KEY, Body=body)
    assert _jobs() == []
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == [KEY], "only the user's own upload remains"


@pytest.mark.parametrize("key", ["users/u1/projects/p1/raw/..%2F..%2Fx.txt", "users/u1/projects/p1/raw/%FF.txt",
                                 "users/u1/projects/../raw/x.txt"])
def test_hostile_keys_start_nothing(cloud, key, short_screenplay):
    bucket = get_settings().bucket
    lam = aws.client("lambda")
    reply = lam.invoke(FunctionName=topology.function("ingest").local_name,
                       Payload=json.dumps(_event(bucket, key, "v1")).encode())
    outcome = json.loads(reply["Payload"].read())[0]
    assert outcome["outcome"] == "ignored" and outcome["code"] == "INVALID_KEY"
    assert _jobs() == []


def test_only_an_upload_under_raw_invokes_ingest(cloud, short_screenplay):
    s3, bucket = aws.client("s3"), get_settings().bucket
    ingest = topology.function("ingest").local_name

    def ingest_calls() -> int:
        return sum(1 for i in cloud.runtime.invocations if i.function == ingest)

    for key in ("users/u1/projects/p1/generated/j1/manifest.json", "users/u1/projects/p1/final/j1/film.mp4",
                "cache/analysis/abc.json", "users/u1/projects/p1/raws/x.fountain"):
        s3.put_object(Bucket=bucket, Key=key, Body=short_screenplay)
    assert ingest_calls() == 0, "generated, final and cache objects never reach ingest"
    assert list(JobRecord.scan()) == []

    # An upload does (the first test follows one to its finished film); this one intake refuses, so
    # nothing renders here.
    s3.put_object(Bucket=bucket, Key="users/u1/projects/p1/raw/x.fountain", Body=short_screenplay,
                  Metadata={"language": "xx"})
    assert ingest_calls() == 1
    assert [d.payload["detail"]["object"]["key"] for d in cloud.events.deliveries] == [
        "users/u1/projects/p1/raw/x.fountain"]
    assert list(JobRecord.scan()) == []
