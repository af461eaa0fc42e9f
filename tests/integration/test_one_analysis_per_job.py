"""A job started through the API or an S3 upload analyses (and plans) its script exactly once.

Intake needs the analysis before it writes anything; the Analyze and Plan states need it again.
Intake's copy is stored under its content key, so both states report a reuse, and the script is
analysed by one call in the whole life of the job.
"""

from __future__ import annotations

import pytest

from tests.sample_scripts import ONE_SCENE

pytestmark = pytest.mark.slow


@pytest.fixture
def no_render(monkeypatch):
    """The media tasks fail at once: what is counted happens before them, and a render would cost minutes."""
    import functions.gpu_submit.handler as submit_handler
    from filmstudio.errors import StageFailedError

    def refuse(event):
        raise StageFailedError(event.get("stage", "render"), "not rendered in this test")

    monkeypatch.setattr(submit_handler, "submit", refuse)


@pytest.fixture
def analyses(monkeypatch, no_render):
    import filmstudio.analysis as analysis_package
    from filmstudio.pipeline import analysis_cache

    calls: list[str] = []
    real = analysis_package.analyze

    def counting(text, *, language=None):
        calls.append(text[:40])
        return real(text, language=language)

    monkeypatch.setattr(analysis_package, "analyze", counting)
    analysis_cache._memo.clear()  # a copy another test left in this process must not hide a second run
    yield calls
    analysis_cache._memo.clear()


def _analyze_invocations(cloud) -> int:
    return sum(1 for i in cloud.runtime.invocations if i.function.endswith("-analyze"))


def _assert_reused_once(job):
    assert job.status.value == "FAILED" and "not rendered in this test" in job.error.reason, job.error
    assert (job.timings["analyze"].rendered, job.timings["analyze"].reused) == (0, 1)
    assert (job.timings["plan"].rendered, job.timings["plan"].reused) == (0, 1)


def test_an_api_job_analyses_its_script_once(cloud, analyses):
    from fastapi.testclient import TestClient

    from filmstudio.api.app import create_app
    from filmstudio.auth.keys import reset_key_cache
    from filmstudio.jobs.store import JobStore

    reset_key_cache()
    script = ONE_SCENE.replace("two cups of tea", "two cups of chai")
    with TestClient(create_app()) as api:
        tokens = api.post("/v1/auth/register", json={"email": "once@example.com",
                                                     "password": "a long enough password"}).json()["tokens"]
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        pid = api.post("/v1/projects", json={"name": "Once"}, headers=auth).json()["project_id"]
        response = api.post(f"/v1/projects/{pid}/jobs", json={"script": script}, headers=auth)
        assert response.status_code == 202, response.text
        # Intake asked the analyze function (where lingua ships) before it wrote the job.
        assert _analyze_invocations(cloud) == 1 and len(analyses) == 1
        job = cloud.wait(response.json()["job_id"], timeout=300)
    reset_key_cache()
    _assert_reused_once(JobStore().get(job.job_id))
    assert len(analyses) == 1
    assert _analyze_invocations(cloud) == 2  # intake's preflight, then the Analyze state's reuse


def test_an_uploaded_script_analyses_once_and_a_refused_one_writes_nothing(cloud, analyses):
    from filmstudio import aws
    from filmstudio.jobs.store import JobStore
    from filmstudio.pipeline.intake import job_id_for_object
    from filmstudio.settings import get_settings

    s3, bucket = aws.client("s3"), get_settings().bucket
    script = ONE_SCENE.replace("two cups of tea", "two cups of coffee")
    key = "users/u1/projects/p1/raw/once.fountain"
    put = s3.put_object(Bucket=bucket, Key=key, Body=script.encode("utf-8"), ContentType="text/plain")
    job_id = job_id_for_object(bucket, key, put["VersionId"])
    job = cloud.wait(job_id, timeout=300)
    _assert_reused_once(job)
    assert len(analyses) == 1

    # A language code intake refuses before asking for any analysis: no job, no analysis.
    bad_key = "users/u1/projects/p1/raw/bad.fountain"
    put = s3.put_object(Bucket=bucket, Key=bad_key, Body=script.encode("utf-8"), ContentType="text/plain",
                        Metadata={"language": "xx"})
    with pytest.raises(Exception):
        JobStore().get(job_id_for_object(bucket, bad_key, put["VersionId"]))
    assert len(analyses) == 1
