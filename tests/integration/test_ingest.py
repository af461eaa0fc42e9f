"""The S3 trigger: an upload under a project's raw/ prefix starts exactly one job per object version."""

from __future__ import annotations

import json

import pytest

from filmstudio import aws, topology
from filmstudio.db.records import JobRecord
from filmstudio.models.job import JobStatus
from filmstudio.pipeline.intake import job_id_for_object
from filmstudio.settings import get_settings

pytestmark = pytest.mark.xdist_group("render")

KEY = "users/u1/projects/p1/raw/two cups.fountain"


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
    # moto delivered the notification synchronously: the job exists and is running.
    job_id = job_id_for_object(bucket, KEY, version)
    jobs = _jobs()
    assert [j.job_id for j in jobs] == [job_id]
    assert jobs[0].source.endswith(f"#{version}")

    lam = aws.client("lambda")
    ingest = topology.function("ingest").local_name
    # S3 event keys arrive URL-encoded.
    encoded = KEY.replace(" ", "+")
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
