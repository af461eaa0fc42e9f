"""Jobs through the API: 202 + id, Idempotency-Key, status view, list, cancel, ownership, credits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from api_helpers import SCRIPT, balance


@pytest.fixture
def project(client, alice):
    return client.post("/v1/projects", json={"name": "Films"}, headers=alice.headers).json()


def _start(client, user, project, body=None, key=None):
    headers = dict(user.headers) | ({"Idempotency-Key": key} if key else {})
    return client.post(f"/v1/projects/{project['project_id']}/jobs", json={"script": SCRIPT} if body is None else body,
                       headers=headers)


def test_start_answers_202_with_the_job_and_reserves_its_estimate(client, alice, project):
    before = balance(alice.user_id)
    r = _start(client, alice, project)
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/v1/jobs/{job['job_id']}"
    assert job["status"] == "QUEUED" and job["tier"] == "preview" and job["project_id"] == project["project_id"]
    est = job["credits"]["estimate"]
    assert est >= 1 and job["credits"]["reserved"] == est
    after = balance(alice.user_id)
    assert (after.available, after.held, after.active_jobs) == (before.available - est, est, 1)
    from filmstudio.aws import client as aws_client

    execution = aws_client("stepfunctions").describe_execution(
        executionArn=__import__("filmstudio.jobs.store", fromlist=["JobStore"]).JobStore().get(
            job["job_id"]).execution_arn)
    assert execution["name"] == job["job_id"]


def test_get_shows_status_stage_progress_and_eta(client, alice, project):
    from filmstudio.jobs.store import JobStore

    job_id = _start(client, alice, project).json()["job_id"]
    store = JobStore()
    store.start_stage(job_id, "analyze")
    import time

    store.record_span(job_id, "analyze", time.time() - 1, time.time())
    got = client.get(f"/v1/jobs/{job_id}", headers=alice.headers).json()
    assert got["status"] == "RUNNING" and got["stage"] == "analyze"
    assert got["progress"] > 0 and got["eta_seconds"] is not None and got["eta_seconds"] >= 0
    assert got["outputs"] == {}


def test_a_succeeded_job_shows_output_urls_and_redirects_to_them(client, alice, project):
    from filmstudio.jobs.store import JobStore
    from filmstudio.models.job import JobStatus

    job_id = _start(client, alice, project).json()["job_id"]
    store = JobStore()
    store.start_stage(job_id, "publish")
    key = f"users/{alice.user_id}/projects/{project['project_id']}/final/{job_id}/film.mp4"
    store.transition(job_id, JobStatus.SUCCEEDED, outputs={"film": key, "storyboard": key.rsplit("/", 1)[0] + "/"})
    got = client.get(f"/v1/jobs/{job_id}", headers=alice.headers).json()
    assert got["status"] == "SUCCEEDED" and got["eta_seconds"] == 0 and got["progress"] == 100
    assert set(got["outputs"]) == {"film"} and key in got["outputs"]["film"]
    r = client.get(f"/v1/jobs/{job_id}/outputs/film", headers=alice.headers, follow_redirects=False)
    assert r.status_code == 307 and key in r.headers["location"]
    assert client.get(f"/v1/jobs/{job_id}/outputs/nope", headers=alice.headers).status_code == 404


def test_a_bad_script_is_422_and_leaves_no_job_and_no_reservation(client, alice, project):
    before = balance(alice.user_id)
    r = _start(client, alice, project, {"script": "\x00\x01\x02\x03 binary \x04\x05\x06\x07"})
    assert r.status_code == 415 and r.json()["error"]["code"] == "NOT_TEXT"
    assert _start(client, alice, project, {"script": " \n\t "}).json()["error"]["code"] == "EMPTY_SCRIPT"
    assert balance(alice.user_id) == before
    from filmstudio.db.records import JobRecord

    assert JobRecord.count() == 0


@pytest.mark.parametrize("body", [{}, {"script": SCRIPT, "asset_id": "a1"}, {"script": ""},
                                  {"script": SCRIPT, "tier": "cinema"}])
def test_invalid_bodies_are_422_with_details(client, alice, project, body):
    r = _start(client, alice, project, body)
    assert r.status_code == 422 and r.json()["error"]["details"]


def test_insufficient_credits_is_402_and_writes_nothing(client, make_user):
    poor = make_user(credits=0)
    project = client.post("/v1/projects", json={"name": "x"}, headers=poor.headers).json()
    r = _start(client, poor, project)
    assert r.status_code == 402
    err = r.json()["error"]
    assert err["code"] == "INSUFFICIENT_CREDITS" and err["details"]["available"] == 0
    from filmstudio.db.records import JobRecord

    assert JobRecord.count() == 0 and balance(poor.user_id).held == 0


def test_free_plan_cannot_ask_for_the_studio_tier(client, alice, project):
    r = _start(client, alice, project, {"script": SCRIPT, "tier": "studio"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "TIER_NOT_ALLOWED"


def test_idempotency_key_replays_the_same_job_once(client, alice, project):
    first = _start(client, alice, project, key="render-42")
    again = _start(client, alice, project, key="render-42")
    assert first.status_code == again.status_code == 202
    assert first.json()["job_id"] == again.json()["job_id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert balance(alice.user_id).active_jobs == 1
    other = _start(client, alice, project, {"script": SCRIPT + "\nMore."}, key="render-42")
    assert other.status_code == 422 and other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_idempotency_keys_are_per_user(client, alice, make_user, project):
    bob = make_user()
    bobs = client.post("/v1/projects", json={"name": "b"}, headers=bob.headers).json()
    a = _start(client, alice, project, key="same").json()["job_id"]
    b = _start(client, bob, bobs, key="same").json()["job_id"]
    assert a != b


def test_a_refused_request_frees_its_idempotency_key(client, make_user):
    user = make_user(credits=0)
    project = client.post("/v1/projects", json={"name": "x"}, headers=user.headers).json()
    assert _start(client, user, project, key="k1").status_code == 402
    from api_helpers import set_balance

    set_balance(user.user_id, 100)
    assert _start(client, user, project, key="k1").status_code == 202


def test_concurrent_requests_with_one_idempotency_key_make_one_job(client, make_user):
    user = make_user(credits=1000, role="pro")
    project = client.post("/v1/projects", json={"name": "x"}, headers=user.headers).json()
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: _start(client, user, project, key="dup"), range(6)))
    ids = {r.json()["job_id"] for r in results if r.status_code == 202}
    assert len(ids) == 1
    assert all(r.status_code in (202, 409) for r in results)
    assert balance(user.user_id).active_jobs == 1


def test_job_from_a_ready_script_asset(client, alice, project):
    from test_assets import _upload

    created = client.post(f"/v1/projects/{project['project_id']}/assets", headers=alice.headers, json={
        "filename": "two-cups.fountain", "content_type": "text/plain", "size": len(SCRIPT)}).json()
    pending = _start(client, alice, project, {"asset_id": created["asset"]["asset_id"]})
    assert pending.status_code == 409 and pending.json()["error"]["code"] == "ASSET_NOT_READY"
    assert _upload(created, SCRIPT.encode())["outcome"] == "ready"
    r = _start(client, alice, project, {"asset_id": created["asset"]["asset_id"]})
    assert r.status_code == 202


def test_another_users_asset_cannot_start_a_job(client, alice, make_user, project):
    from test_assets import _upload

    created = client.post(f"/v1/projects/{project['project_id']}/assets", headers=alice.headers, json={
        "filename": "s.txt", "content_type": "text/plain", "size": len(SCRIPT)}).json()
    _upload(created, SCRIPT.encode())
    bob = make_user()
    bobs = client.post("/v1/projects", json={"name": "b"}, headers=bob.headers).json()
    r = _start(client, bob, bobs, {"asset_id": created["asset"]["asset_id"]})
    assert r.status_code == 404


def test_list_jobs_of_a_project(client, alice, project):
    ids = {_start(client, alice, project).json()["job_id"] for _ in range(3)}
    page = client.get(f"/v1/projects/{project['project_id']}/jobs", params={"limit": 2}, headers=alice.headers).json()
    rest = client.get(f"/v1/projects/{project['project_id']}/jobs", params={"cursor": page["next_cursor"]},
                      headers=alice.headers).json()
    assert {j["job_id"] for j in page["items"] + rest["items"]} == ids


def test_cancel_stops_the_execution_marks_cancelled_and_refunds(client, alice, project):
    from filmstudio.aws import client as aws_client
    from filmstudio.jobs.store import JobStore

    before = balance(alice.user_id)
    job_id = _start(client, alice, project).json()["job_id"]
    r = client.post(f"/v1/jobs/{job_id}/cancel", headers=alice.headers)
    assert r.status_code == 200
    job = r.json()
    assert job["status"] == "CANCELLED" and job["credits"]["refunded"] == job["credits"]["reserved"]
    assert balance(alice.user_id) == before
    arn = JobStore().get(job_id).execution_arn
    assert aws_client("stepfunctions").describe_execution(executionArn=arn)["status"] == "ABORTED"
    again = client.post(f"/v1/jobs/{job_id}/cancel", headers=alice.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "JOB_FINISHED"
    assert balance(alice.user_id) == before  # refunded once


def test_another_users_job_is_404_for_read_list_cancel_and_download(client, alice, make_user, project):
    job_id = _start(client, alice, project).json()["job_id"]
    bob = make_user()
    assert client.get(f"/v1/jobs/{job_id}", headers=bob.headers).status_code == 404
    assert client.post(f"/v1/jobs/{job_id}/cancel", headers=bob.headers).status_code == 404
    assert client.get(f"/v1/jobs/{job_id}/outputs/film", headers=bob.headers).status_code == 404
    assert client.get(f"/v1/projects/{project['project_id']}/jobs", headers=bob.headers).status_code == 404
    r = client.post(f"/v1/projects/{project['project_id']}/jobs", json={"script": SCRIPT}, headers=bob.headers)
    assert r.status_code == 404
    assert client.get(f"/v1/jobs/{job_id}", headers=alice.headers).json()["status"] == "QUEUED"


def test_credits_or_reservations_in_a_job_body_are_ignored(client, alice, project):
    before = balance(alice.user_id)
    r = _start(client, alice, project, {"script": SCRIPT, "credits": {"reserved": 0, "estimate": 0},
                                        "user_id": "someone-else", "role": "admin"})
    job = r.json()
    assert r.status_code == 202 and job["credits"]["reserved"] == job["credits"]["estimate"] >= 1
    assert balance(alice.user_id).available == before.available - job["credits"]["reserved"]


def test_free_plan_has_a_bound_on_jobs_in_flight(client, make_user):
    from filmstudio.credits import QUOTAS

    user = make_user(credits=10_000)
    project = client.post("/v1/projects", json={"name": "x"}, headers=user.headers).json()
    limit = QUOTAS["free"].active_jobs
    codes = [_start(client, user, project).status_code for _ in range(limit + 1)]
    assert codes == [202] * limit + [429]
    assert _start(client, user, project).json()["error"]["code"] == "QUOTA_EXCEEDED"


def test_daily_job_quota(client, make_user, monkeypatch):
    from filmstudio import credits

    monkeypatch.setitem(credits.QUOTAS, "free", credits.Quota(active_jobs=None, jobs_per_day=2))
    user = make_user(credits=10_000)
    project = client.post("/v1/projects", json={"name": "x"}, headers=user.headers).json()
    assert [_start(client, user, project).status_code for _ in range(3)] == [202, 202, 429]


def test_get_shows_gpu_seconds_per_stage_the_cost_and_the_wait_for_gpu_capacity(client, alice, project):
    from filmstudio.jobs.store import JobStore
    from filmstudio.pipeline.gpu_dispatch import WAITING_FOR_GPU

    job_id = _start(client, alice, project).json()["job_id"]
    store = JobStore()
    store.start_stage(job_id, "storyboard")
    store.set_fields(job_id, stage_detail=WAITING_FOR_GPU)
    got = client.get(f"/v1/jobs/{job_id}", headers=alice.headers).json()
    assert got["stage_detail"] == WAITING_FOR_GPU and got["eta_seconds"] is not None
    store.add_gpu_seconds(job_id, "storyboard", 4.5)
    store.add_gpu_seconds(job_id, "storyboard", 1.5)
    store.add_gpu_seconds(job_id, "music", 2.0)
    got = client.get(f"/v1/jobs/{job_id}", headers=alice.headers).json()
    assert got["stage_detail"] is None  # a result came back
    assert got["cost"]["gpu_seconds"] == {"music": 2.0, "storyboard": 6.0}
    assert got["cost"]["gpu_seconds_total"] == 8.0 and got["cost"]["credits"] == got["credits"]["estimate"]
