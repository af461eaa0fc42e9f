"""Asset uploads in the local cloud: the S3 notification reaches the ingest Lambda, which marks the
asset READY or REJECTED, and never starts a job for it."""

from __future__ import annotations

import pytest


@pytest.fixture
def api(cloud):
    from fastapi.testclient import TestClient

    from filmstudio.api.app import create_app
    from filmstudio.auth.keys import reset_key_cache

    reset_key_cache()
    with TestClient(create_app()) as client:
        r = client.post("/v1/auth/register", json={"email": "up@example.com", "password": "a long enough password"})
        headers = {"Authorization": f"Bearer {r.json()['tokens']['access_token']}"}
        project = client.post("/v1/projects", json={"name": "Uploads"}, headers=headers).json()
        yield client, headers, project["project_id"]
    reset_key_cache()


def _put(created: dict, data: bytes) -> None:
    from filmstudio.aws import client
    from filmstudio.settings import get_settings

    fields = created["upload"]["fields"]
    client("s3").put_object(Bucket=get_settings().bucket, Key=fields["key"], Body=data,
                            ContentType=fields["Content-Type"], Metadata={"asset-id": fields["x-amz-meta-asset-id"]})


@pytest.mark.parametrize("content_type,data,status", [
    ("text/plain", b"INT. ROOF - NIGHT\n\nRain on the tin roof.\n", "READY"),
    ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "READY"),
    ("text/plain", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "REJECTED"),
    ("image/png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "REJECTED"),
])
def test_the_trigger_judges_uploads_and_starts_no_job(api, cloud, content_type, data, status):
    client, headers, pid = api
    created = client.post(f"/v1/projects/{pid}/assets", headers=headers,
                          json={"filename": "upload", "content_type": content_type, "size": len(data)}).json()
    _put(created, data)
    asset = client.get(f"/v1/assets/{created['asset']['asset_id']}", headers=headers).json()
    assert asset["status"] == status
    assert (asset["reason"] is None) == (status == "READY")
    assert [i.function for i in cloud.runtime.invocations if i.function.endswith("ingest")]
    assert client.get(f"/v1/projects/{pid}/jobs", headers=headers).json()["items"] == []
