"""The API end to end, in the local cloud: register, log in, create a project, upload a script
through the presigned POST (the S3 trigger marks it READY), start a job, poll it to SUCCEEDED,
fetch the film; the credits are settled."""

from __future__ import annotations

import time
from urllib.parse import unquote, urlparse

import pytest

from sample_scripts import ONE_SCENE

SCRIPT = ONE_SCENE.encode()

pytestmark = pytest.mark.slow


@pytest.fixture
def api(cloud):
    from fastapi.testclient import TestClient

    from filmstudio.api.app import create_app
    from filmstudio.auth.keys import reset_key_cache

    reset_key_cache()  # this cloud's key ring is empty, as the storage stack leaves it: the first key is made on first use
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client
    reset_key_cache()


def test_register_upload_render_download_settle(api, cloud):
    from filmstudio.aws import client as aws_client
    from filmstudio.settings import get_settings

    r = api.post("/v1/auth/register", json={"email": "director@example.com", "password": "lights camera action"})
    assert r.status_code == 201
    r = api.post("/v1/auth/login", json={"email": "director@example.com", "password": "lights camera action"})
    assert r.status_code == 200
    auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
    start_credits = api.get("/v1/me/credits", headers=auth).json()["available"]

    project = api.post("/v1/projects", json={"name": "Two Cups"}, headers=auth).json()
    pid = project["project_id"]
    created = api.post(f"/v1/projects/{pid}/assets", headers=auth, json={
        "filename": "two-cups.fountain", "content_type": "text/plain", "size": len(SCRIPT)}).json()
    fields = created["upload"]["fields"]
    # The presigned POST, as S3 carries it out: the object with the form's type and metadata.
    # moto delivers the ObjectCreated notification to the ingest Lambda inside put_object.
    aws_client("s3").put_object(Bucket=get_settings().bucket, Key=fields["key"], Body=SCRIPT,
                                ContentType=fields["Content-Type"],
                                Metadata={"asset-id": fields["x-amz-meta-asset-id"]})
    asset = api.get(f"/v1/assets/{created['asset']['asset_id']}", headers=auth).json()
    assert asset["status"] == "READY", asset

    r = api.post(f"/v1/projects/{pid}/jobs", json={"asset_id": asset["asset_id"]},
                 headers=auth | {"Idempotency-Key": "e2e-1"})
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    estimate = r.json()["credits"]["estimate"]

    deadline = time.monotonic() + 600
    seen = set()
    while True:
        job = api.get(f"/v1/jobs/{job_id}", headers=auth).json()
        seen.add(job["status"])
        if job["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        assert time.monotonic() < deadline, job
        time.sleep(0.25)
    assert job["status"] == "SUCCEEDED", job.get("error")
    assert job["progress"] == 100 and job["eta_seconds"] == 0

    film_url = job["outputs"]["film"]
    key = unquote(urlparse(film_url).path.lstrip("/"))
    assert key.endswith(f"/projects/{pid}/final/{job_id}/film.mp4")
    film = aws_client("s3").get_object(Bucket=get_settings().bucket, Key=key)["Body"].read()
    assert film[4:8] == b"ftyp" and len(film) > 10_000
    redirect = api.get(f"/v1/jobs/{job_id}/outputs/film", headers=auth, follow_redirects=False)
    assert redirect.status_code == 307 and key in unquote(redirect.headers["location"])

    # Charged what the film rendered, at the estimate's price, never more than the estimate.
    from filmstudio.pipeline.accounting import cost

    charged = min(estimate, cost(job["duration"], "preview"))
    assert job["credits"]["settled"] == charged and job["credits"]["refunded"] == estimate - charged
    credits = api.get("/v1/me/credits", headers=auth).json()
    assert credits["available"] == start_credits - charged and credits["held"] == 0
    kinds = [(e["kind"], e["job_id"]) for e in credits["ledger"]]
    assert ("settle", job_id) in kinds and ("reserve", job_id) in kinds and ("refund", job_id) not in kinds
