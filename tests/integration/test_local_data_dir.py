"""The local cloud's data directory (`localcloud/datastore.py`): what moto holds is written
through to SQLite and restored by the next local cloud over the same directory, a job left
running is failed and refunded, and `scope="cache"` keeps only content-addressed artifacts."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest


def _objects(bucket: str) -> dict[str, bytes]:
    from filmstudio.aws import client

    s3 = client("s3")
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
            for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}


def test_items_objects_secrets_survive_and_a_running_job_is_failed_and_refunded(tmp_path):
    from filmstudio.auth.users import UserStore
    from filmstudio.aws import client
    from filmstudio.credits import CreditStore
    from filmstudio.jobs.store import JobStore
    from filmstudio.localcloud import LocalCloud
    from filmstudio.models.job import Job, JobStatus
    from filmstudio.settings import get_settings

    data = tmp_path / "data"
    with LocalCloud(data_dir=data) as cloud:
        settings = get_settings()
        user = UserStore().register("keep@example.com", "a long enough password")
        credits = CreditStore()
        before = credits.balance(user.user_id)
        now = datetime.now(timezone.utc)
        jobs = JobStore()
        jobs.create(Job(job_id="j-running", project_id="p1", user_id=user.user_id, created_at=now, updated_at=now))
        credits.reserve("j-running", user.user_id, 3)
        jobs.set_fields("j-running", credits={"estimate": 3, "reserved": 3, "settled": 0, "refunded": 0})
        jobs.transition("j-running", JobStatus.RUNNING)
        jobs.start_stage("j-running", "motion")
        s3 = client("s3")
        s3.put_object(Bucket=settings.bucket, Key="users/x/projects/p/final/j/film.mp4", Body=b"film",
                      ContentType="video/mp4", Metadata={"duration": "8.7"})
        s3.put_object(Bucket=settings.bucket, Key="users/x/projects/p/final/j/gone.txt", Body=b"gone")
        s3.delete_object(Bucket=settings.bucket, Key="users/x/projects/p/final/j/gone.txt")
        sm = client("secretsmanager")
        sm.put_secret_value(SecretId=settings.jwt_secret_name, SecretString=json.dumps({"marker": "kept"}))
        assert cloud.recovered == []
        assert credits.balance(user.user_id).held == 3

    with LocalCloud(data_dir=data) as cloud:
        settings = get_settings()
        assert cloud.recovered == ["j-running"]
        job = JobStore().get("j-running")
        assert job.status == JobStatus.FAILED and "server stopped" in job.error.reason
        assert job.error.stage == "motion"
        balance = CreditStore().balance(user.user_id)
        assert (balance.available, balance.held) == (before.available, 0)
        assert CreditStore().closed_as("j-running", user.user_id) == "refund"
        assert UserStore().authenticate("keep@example.com", "a long enough password").user_id == user.user_id
        assert _objects(settings.bucket) == {"users/x/projects/p/final/j/film.mp4": b"film"}
        head = client("s3").head_object(Bucket=settings.bucket, Key="users/x/projects/p/final/j/film.mp4")
        assert head["ContentType"] == "video/mp4" and head["Metadata"] == {"duration": "8.7"}
        secret = client("secretsmanager").get_secret_value(SecretId=settings.jwt_secret_name)["SecretString"]
        assert json.loads(secret) == {"marker": "kept"}

    # A third start finds nothing left to recover: the refund was written through too.
    with LocalCloud(data_dir=data) as cloud:
        assert cloud.recovered == []


def test_one_data_directory_serves_one_process_at_a_time(tmp_path):
    from filmstudio.errors import BadInputError
    from filmstudio.localcloud.datastore import DataStore

    first = DataStore(tmp_path)
    first.claim()
    try:
        with pytest.raises(BadInputError) as err:
            DataStore(tmp_path).claim()
        assert err.value.code == "DATA_DIR_IN_USE"
    finally:
        first.close()
    DataStore(tmp_path).claim()  # released with the first


def test_the_cache_scope_keeps_only_artifacts_and_reads_them_back_on_use(tmp_path):
    from filmstudio.aws import client
    from filmstudio.localcloud import LocalCloud
    from filmstudio.settings import get_settings
    from filmstudio.storage.artifacts import ArtifactStore

    with LocalCloud(data_dir=tmp_path, data_scope="cache") as cloud:
        artifacts = ArtifactStore()
        artifacts.put_bytes("cache/speech/abc.wav", b"RIFF", "audio/wav", metadata={"duration": "1.5"})
        # Not an upload (raw/ would start the trigger): a job's own output, which the cache scope drops.
        artifacts.put_bytes("users/u/projects/p/final/j/film.srt", b"not kept")
        assert cloud.store.counts() == {"items": 0, "objects": 1, "secrets": 0}

    with LocalCloud(data_dir=tmp_path, data_scope="cache"):
        artifacts = ArtifactStore()
        assert client("s3").list_objects_v2(Bucket=get_settings().bucket).get("KeyCount") == 0  # nothing eager
        assert artifacts.exists("cache/speech/abc.wav")
        assert artifacts.get_bytes("cache/speech/abc.wav") == b"RIFF"
        assert artifacts.get_metadata("cache/speech/abc.wav") == {"duration": "1.5"}
        assert not artifacts.exists("users/u/projects/p/final/j/film.srt")


def test_a_file_that_is_not_a_data_store_is_refused_in_one_line(tmp_path):
    from filmstudio.errors import BadInputError
    from filmstudio.localcloud.datastore import DB_NAME, DataStore

    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(BadInputError) as err:
        DataStore(tmp_path)
    assert err.value.code == "BAD_DATA_DIR"
