"""A job accepted by the API whose pipeline fails is refunded by the fail Lambda, exactly once."""

from __future__ import annotations

import pytest

SCRIPT = """INT. ATTIC - NIGHT

A lamp flickers. MEERA opens an old trunk.

MEERA
Grandmother kept everything.
"""

pytestmark = pytest.mark.slow

def test_a_failed_render_refunds_the_reservation(cloud, monkeypatch):
    from fastapi.testclient import TestClient

    import functions.compose.handler as compose
    from filmstudio.api.app import create_app
    from filmstudio.auth.keys import reset_key_cache
    from filmstudio.errors import StageFailedError

    def broken(ctx, job_id, manifest_key):
        raise StageFailedError("compose", "the encoder ran out of disk")

    monkeypatch.setattr(compose, "compose_stage", broken)
    reset_key_cache()
    with TestClient(create_app()) as api:
        tokens = api.post("/v1/auth/register", json={"email": "f@example.com",
                                                     "password": "a long enough password"}).json()["tokens"]
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        before = api.get("/v1/me/credits", headers=auth).json()["available"]
        pid = api.post("/v1/projects", json={"name": "Attic"}, headers=auth).json()["project_id"]
        job = api.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=auth).json()
        assert api.get("/v1/me/credits", headers=auth).json()["available"] == before - job["credits"]["estimate"]
        cloud.wait(job["job_id"], timeout=300)
        done = api.get(f"/v1/jobs/{job['job_id']}", headers=auth).json()
        assert done["status"] == "FAILED" and done["error"]["stage"] == "compose"
        assert "out of disk" in done["error"]["reason"]
        assert done["credits"]["refunded"] == done["credits"]["reserved"] and done["credits"]["settled"] == 0
        credits = api.get("/v1/me/credits", headers=auth).json()
        assert credits["available"] == before and credits["held"] == 0 and credits["active_jobs"] == 0
        closes = [e for e in credits["ledger"] if e["job_id"] == job["job_id"] and e["kind"] != "reserve"]
        assert [e["kind"] for e in closes] == ["refund"]
    reset_key_cache()
