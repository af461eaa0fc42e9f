"""`filmstudio serve` as a user runs it: a real process on a real port, a real HTTP client.

Uploads go through the presigned POST the API hands out, to the server's own S3 endpoint,
which enforces the policy; the trigger sees the metadata, so the asset becomes READY and a
job started from it reserves credits. Then the server is killed (SIGKILL) in the middle of
a second render and started again over the same data directory: the same login works, the
first film downloads, the second job is FAILED (the server stopped) and refunded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from served_api import free_port

from sample_scripts import ONE_SCENE

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve-data")]

EMAIL, PASSWORD = "keeper@example.com", "a long enough password"
SCRIPT = ONE_SCENE.encode()
TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")



class Server:
    def __init__(self, data: Path, log: Path):
        self.data, self.log, self.port, self.proc = data, log, free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        env = {**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING"}
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "filmstudio", "serve", "--port", str(self.port),
                                          "--data", str(self.data), "--log-level", "warning"],
                                         stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 180
        while True:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    srv = Server(root / "data", root / "serve.log").start()
    yield srv
    srv.stop()


def _login(http: httpx.Client) -> dict:
    r = http.post("/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _wait(http: httpx.Client, auth: dict, job_id: str, until=TERMINAL, timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = http.get(f"/v1/jobs/{job_id}", headers=auth).json()
        if job["status"] in until:
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.2)


def _new_asset(http, auth, pid, *, size=len(SCRIPT), content_type="text/plain") -> dict:
    r = http.post(f"/v1/projects/{pid}/assets", headers=auth,
                  json={"filename": "two-cups.fountain", "content_type": content_type, "size": size})
    assert r.status_code == 201, r.text
    return r.json()


def _post(upload: dict, body: bytes, **changed) -> httpx.Response:
    fields = {**upload["fields"], **changed}
    return httpx.post(upload["url"], data=fields, files={"file": ("two-cups.fountain", body, "text/plain")},
                      timeout=120)


@pytest.fixture(scope="module")
def account(server):
    with httpx.Client(base_url=server.url, timeout=60) as http:
        r = http.post("/v1/auth/register", json={"email": EMAIL, "password": PASSWORD})
        assert r.status_code == 201, r.text
        auth = _login(http)
        pid = http.post("/v1/projects", json={"name": "Two Cups"}, headers=auth).json()["project_id"]
        yield http, auth, pid


def test_uploads_outside_the_policy_are_refused_like_s3_and_store_nothing(server, account):
    http, auth, pid = account
    created = _new_asset(http, auth, pid)
    upload = created["upload"]
    assert upload["url"].startswith(server.url + "/")  # the server's own host:port, reachable from here

    other_key = upload["fields"]["key"].rsplit("/", 1)[0] + "/someone-else.fountain"
    refused = {
        "key outside the policy": (_post(upload, SCRIPT, key=other_key), 403, "AccessDenied"),
        "another content type": (_post(upload, SCRIPT, **{"Content-Type": "image/png"}), 403, "AccessDenied"),
        "another asset id": (_post(upload, SCRIPT, **{"x-amz-meta-asset-id": "forged"}), 403, "AccessDenied"),
        "an extra field": (_post(upload, SCRIPT, **{"x-amz-meta-tier": "studio"}), 403, "AccessDenied"),
        "a tampered policy": (_post(upload, SCRIPT, policy=upload["fields"]["policy"][:-4] + "AAA="), 403, None),
        "too large": (_post(upload, b"x" * (upload["max_bytes"] + 1)), 400, "EntityTooLarge"),
        "empty": (_post(upload, b""), 400, "EntityTooSmall"),
    }
    for what, (r, status, code) in refused.items():
        assert r.status_code == status, (what, r.status_code, r.text)
        if code:
            assert f"<Code>{code}</Code>" in r.text, (what, r.text)
    asset = http.get(f"/v1/assets/{created['asset']['asset_id']}", headers=auth).json()
    assert asset["status"] == "PENDING"  # nothing was stored, so the trigger never ran
    assert http.get(f"/v1/projects/{pid}/jobs", headers=auth).json()["items"] == []

    # A wrong-kind upload inside the policy is stored, judged and REJECTED.
    png = _new_asset(http, auth, pid, content_type="image/png")
    assert _post(png["upload"], SCRIPT).status_code == 204
    assert http.get(f"/v1/assets/{png['asset']['asset_id']}", headers=auth).json()["status"] == "REJECTED"


def test_upload_render_sigkill_restart_keeps_everything(server, account):
    http, auth, pid = account
    start = http.get("/v1/me/credits", headers=auth).json()

    created = _new_asset(http, auth, pid)
    assert _post(created["upload"], SCRIPT).status_code == 204
    asset = http.get(f"/v1/assets/{created['asset']['asset_id']}", headers=auth).json()
    assert asset["status"] == "READY", asset  # the trigger saw the POST's metadata
    # Its download_url is a signed link on this server, as a presigned URL is on S3: no token needed,
    # and an altered link reaches nothing.
    assert asset["download_url"].startswith(f"{server.url}/local-s3/")
    assert httpx.get(asset["download_url"], timeout=30).content == SCRIPT
    altered = httpx.get(asset["download_url"].replace("signature=", "signature=0"), timeout=30)
    assert altered.status_code == 403 and b"SignatureDoesNotMatch" in altered.content

    r = http.post(f"/v1/projects/{pid}/jobs", headers=auth, json={"asset_id": asset["asset_id"]})
    assert r.status_code == 202, r.text
    first = r.json()
    assert first["credits"]["reserved"] == first["credits"]["estimate"] > 0
    first = _wait(http, auth, first["job_id"])
    assert first["status"] == "SUCCEEDED", first["error"]
    film = http.get(f"/v1/jobs/{first['job_id']}/outputs/film", headers=auth, follow_redirects=True).content
    assert film[4:8] == b"ftyp"
    assert httpx.get(first["outputs"]["film"], timeout=60).content == film  # the job's own link

    r = http.post(f"/v1/projects/{pid}/jobs", headers=auth, json={"script": ONE_SCENE.replace("tea", "coffee")})
    assert r.status_code == 202, r.text
    second = _wait(http, auth, r.json()["job_id"], until=("RUNNING", *TERMINAL))
    server.kill()  # mid-render: no shutdown, no flush

    server.start()
    with httpx.Client(base_url=server.url, timeout=60) as again:
        auth = _login(again)  # the account and the signing keys survived
        assert again.post("/v1/auth/register", json={"email": EMAIL, "password": PASSWORD}).status_code == 409
        assert again.get(f"/v1/jobs/{first['job_id']}/outputs/film", headers=auth,
                         follow_redirects=True).content == film
        assert again.get(f"/v1/assets/{asset['asset_id']}", headers=auth).json()["status"] == "READY"
        job = again.get(f"/v1/jobs/{second['job_id']}", headers=auth).json()
        credits = again.get("/v1/me/credits", headers=auth).json()
    ledger = {(e["kind"], e["job_id"]) for e in credits["ledger"]}
    assert ("settle", first["job_id"]) in ledger
    if job["status"] == "FAILED":  # killed before it finished: failed, saying why, and refunded
        assert "server stopped" in job["error"]["reason"]
        assert ("refund", second["job_id"]) in ledger
        assert job["credits"]["refunded"] == job["credits"]["reserved"]
        assert credits["available"] == start["available"] - first["credits"]["settled"]
    else:
        assert job["status"] == "SUCCEEDED", job
    assert credits["held"] == 0
