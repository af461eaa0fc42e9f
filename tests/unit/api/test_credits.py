"""Credits: reservations that never overdraw, settle/refund exactly once, the ledger, admin grants."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from api_helpers import SCRIPT, balance, set_balance


def _job_cost(client, user) -> int:
    """What one job of SCRIPT costs (its estimate), learnt by starting and cancelling one."""
    project = client.post("/v1/projects", json={"name": "probe"}, headers=user.headers).json()
    job = client.post(f"/v1/projects/{project['project_id']}/jobs", json={"script": SCRIPT},
                      headers=user.headers).json()
    client.post(f"/v1/jobs/{job['job_id']}/cancel", headers=user.headers)
    return job["credits"]["estimate"]


def test_twenty_concurrent_jobs_against_a_balance_for_five_reserve_exactly_five(client, make_user):
    user = make_user(role="pro")
    cost = _job_cost(client, user)
    set_balance(user.user_id, 5 * cost)
    project = client.post("/v1/projects", json={"name": "rush"}, headers=user.headers).json()

    def start(_):
        return client.post(f"/v1/projects/{project['project_id']}/jobs", json={"script": SCRIPT},
                           headers=user.headers)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(start, range(20)))
    codes = sorted(r.status_code for r in results)
    assert codes == [202] * 5 + [402] * 15
    after = balance(user.user_id)
    assert after.available == 0 and after.held == 5 * cost
    from filmstudio.db.records import JobRecord

    accepted = {r.json()["job_id"] for r in results if r.status_code == 202}
    assert {j.job_id for j in JobRecord.scan() if j.status == "QUEUED"} == accepted
    from filmstudio.credits import iter_ledger, CreditStore

    reserves = [e for e in iter_ledger(CreditStore(), user.user_id) if e.kind == "reserve" and e.job_id in accepted]
    assert len(reserves) == 5 and all(e.amount == -cost for e in reserves)


def test_the_store_never_goes_negative_under_concurrent_reservations(api_aws, make_user):
    from filmstudio.credits import CreditStore, InsufficientCreditsError

    user = make_user()
    set_balance(user.user_id, 10)
    store = CreditStore()

    def reserve(i):
        try:
            store.reserve(f"job{i}", user.user_id, 3)
            return True
        except InsufficientCreditsError:
            return False

    with ThreadPoolExecutor(16) as pool:
        ok = sum(pool.map(reserve, range(16)))
    assert ok == 3 and balance(user.user_id).available == 1


def _job(store_user_id: str, job_id: str, reserved: int):
    from filmstudio.jobs.store import JobStore
    from filmstudio.models.job import Credits, Job

    now = datetime.now(timezone.utc)
    return JobStore().create(Job(job_id=job_id, project_id="p1", user_id=store_user_id, created_at=now,
                                 updated_at=now, credits=Credits(estimate=reserved, reserved=reserved)))


def _running(job):
    from filmstudio.jobs.store import JobStore
    from filmstudio.models.job import JobStatus

    return JobStore().transition(job.job_id, JobStatus.RUNNING)


def test_finish_settles_the_reservation_once_however_often_publish_retries(api_aws, make_user):
    from filmstudio.credits import CreditStore
    from filmstudio.errors import IllegalTransitionError
    from filmstudio.models.job import JobStatus
    from filmstudio.pipeline import accounting

    user = make_user(credits=20)
    CreditStore().reserve("j1", user.user_id, 7)
    job = _running(_job(user.user_id, "j1", 7))
    done = accounting.finish(job, JobStatus.SUCCEEDED)
    assert (done.credits.settled, done.credits.refunded) == (7, 0)
    for to in (JobStatus.SUCCEEDED, JobStatus.SUCCEEDED, JobStatus.FAILED):  # retried publishes, a late failure
        with pytest.raises(IllegalTransitionError):
            accounting.finish(job, to)
    after = balance(user.user_id)
    assert (after.available, after.held, after.active_jobs) == (13, 0, 0)
    assert CreditStore().closed_as("j1", user.user_id) == "settle"


def test_finish_refunds_a_failed_job_once_and_records_it_on_the_job(api_aws, make_user):
    from filmstudio.credits import CreditStore
    from filmstudio.errors import IllegalTransitionError
    from filmstudio.jobs.store import JobStore
    from filmstudio.models.job import JobStatus
    from filmstudio.pipeline import accounting

    user = make_user(credits=20)
    CreditStore().reserve("j2", user.user_id, 7)
    job = _running(_job(user.user_id, "j2", 7))
    assert accounting.finish(job, JobStatus.FAILED).credits.refunded == 7
    # A publish racing the failure loses and charges nothing.
    with pytest.raises(IllegalTransitionError):
        accounting.finish(job, JobStatus.SUCCEEDED, charged=7)
    assert balance(user.user_id).available == 20
    stored = JobStore().get("j2")
    assert stored.status == JobStatus.FAILED and (stored.credits.refunded, stored.credits.settled) == (7, 0)


def test_a_job_cancelled_before_publish_is_never_charged(api_aws, make_user):
    from filmstudio.credits import CreditStore
    from filmstudio.errors import IllegalTransitionError
    from filmstudio.jobs.store import JobStore
    from filmstudio.models.job import JobStatus
    from filmstudio.pipeline import accounting

    user = make_user(credits=20)
    CreditStore().reserve("j3", user.user_id, 5)
    job = _job(user.user_id, "j3", 5)
    assert accounting.finish(job, JobStatus.CANCELLED).credits.refunded == 5
    with pytest.raises(IllegalTransitionError):
        accounting.finish(job, JobStatus.SUCCEEDED, charged=5)
    assert balance(user.user_id).available == 20
    assert JobStore().get("j3").credits.settled == 0


def test_jobs_without_a_reservation_touch_no_account(api_aws):
    from filmstudio.credits import CreditStore
    from filmstudio.models.job import JobStatus
    from filmstudio.pipeline import accounting

    job = _running(_job("cli-user", "j4", 0))
    done = accounting.finish(job, JobStatus.SUCCEEDED, charged=3)
    assert done.status == JobStatus.SUCCEEDED and done.credits == job.credits
    assert CreditStore().closed_as("j4", "cli-user") is None and CreditStore().entry("cli-user", "grant#signup") is None


def test_me_credits_shows_balance_and_the_ledger(client, alice):
    cost = _job_cost(client, alice)
    r = client.get("/v1/me/credits", headers=alice.headers)
    assert r.status_code == 200
    body = r.json()
    from filmstudio.auth.users import SIGNUP_CREDITS

    assert body["available"] == SIGNUP_CREDITS and body["held"] == 0
    assert [(e["kind"], e["amount"]) for e in body["ledger"]] == [("refund", cost), ("reserve", -cost),
                                                                  ("grant", SIGNUP_CREDITS)]
    page = client.get("/v1/me/credits", params={"limit": 1}, headers=alice.headers).json()
    assert len(page["ledger"]) == 1 and page["next_cursor"]
    nxt = client.get("/v1/me/credits", params={"limit": 1, "cursor": page["next_cursor"]}, headers=alice.headers)
    assert nxt.json()["ledger"][0]["kind"] == "reserve"


def test_admin_grants_credits_and_others_get_403(client, make_user, alice):
    admin = make_user(role="admin")
    r = client.post(f"/v1/admin/users/{alice.user_id}/credits", json={"amount": 100}, headers=admin.headers)
    assert r.status_code == 200 and r.json()["available"] == balance(alice.user_id).available
    for caller in (alice, make_user(role="pro")):
        denied = client.post(f"/v1/admin/users/{caller.user_id}/credits", json={"amount": 100}, headers=caller.headers)
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "FORBIDDEN"
        assert client.put(f"/v1/admin/users/{caller.user_id}/role", json={"role": "admin"},
                          headers=caller.headers).status_code == 403
    role = client.put(f"/v1/admin/users/{alice.user_id}/role", json={"role": "pro"}, headers=admin.headers)
    assert role.status_code == 200 and role.json()["role"] == "pro"


def test_grant_to_an_unknown_user_is_404(client, make_user):
    admin = make_user(role="admin")
    r = client.post("/v1/admin/users/nobody/credits", json={"amount": 5}, headers=admin.headers)
    assert r.status_code == 404


def test_estimate_is_the_planned_seconds_with_a_margin_at_the_tier_rate():
    from types import SimpleNamespace

    from filmstudio.pipeline.accounting import RESERVE_MARGIN, TIER_RATES, estimate

    plan = SimpleNamespace(scenes=[SimpleNamespace(duration=30.0), SimpleNamespace(duration=25.0)])
    assert RESERVE_MARGIN == 0.05
    assert estimate(plan, "preview") == 6  # ceil(55 s x 1.05 x 0.1)
    assert TIER_RATES["studio"] > TIER_RATES["preview"]


def test_the_studio_estimate_is_the_plans_gpu_seconds_with_a_margin():
    from types import SimpleNamespace as NS

    from filmstudio.pipeline.accounting import CREDITS_PER_GPU_SECOND, estimate, estimated_gpu_seconds

    shots = [NS(duration=4.0), NS(duration=6.0)]
    plan = NS(scenes=[NS(duration=10.0, shots=shots, lines=[NS(est_duration=2.0), NS(est_duration=3.0)])])
    assert estimated_gpu_seconds(plan) == {"storyboard": 12.0, "motion": 200.0, "speech": 7.5, "music": 10.0}
    assert CREDITS_PER_GPU_SECOND == 0.05
    assert estimate(plan, "studio") == 13  # ceil(229.5 GPU-s x 1.05 x 0.05)


def test_a_film_is_charged_what_it_rendered_never_more_than_reserved(api_aws, make_user):
    from filmstudio.credits import CreditStore
    from filmstudio.jobs.store import JobStore
    from filmstudio.models.job import JobStatus
    from filmstudio.pipeline import accounting

    user = make_user(credits=20)
    for job_id, rendered, charged in (("short", 31.0, 4), ("long", 500.0, 7)):
        CreditStore().reserve(job_id, user.user_id, 7)
        job = _job(user.user_id, job_id, 7)
        JobStore().transition(job_id, JobStatus.RUNNING)
        assert accounting.charge(job, rendered) == charged
        done = accounting.finish(job, JobStatus.SUCCEEDED, charged=accounting.charge(job, rendered))
        assert (done.credits.settled, done.credits.refunded) == (charged, 7 - charged)
    b = balance(user.user_id)
    assert (b.available, b.held, b.active_jobs) == (20 - 4 - 7, 0, 0)


@pytest.mark.parametrize("amount", [0, -5])
def test_grants_must_be_positive(api_aws, make_user, amount):
    from filmstudio.credits import CreditStore
    from filmstudio.errors import BadInputError

    with pytest.raises(BadInputError):
        CreditStore().grant(make_user().user_id, amount)


def test_the_daily_job_quota_holds_under_concurrent_starts(client, make_user, monkeypatch):
    """The day's count is part of the reservation's transaction: twelve simultaneous starts
    against a daily limit of three start three, whatever the early check saw."""
    from filmstudio import credits as credit_module
    from filmstudio.credits import CreditStore, Quota, iter_ledger

    monkeypatch.setitem(credit_module.QUOTAS, "pro", Quota(active_jobs=None, jobs_per_day=3))
    monkeypatch.setattr(CreditStore, "check_daily_quota", lambda self, user_id, quota: None)  # only the atomic one
    user = make_user(role="pro", credits=500)
    project = client.post("/v1/projects", json={"name": "daily"}, headers=user.headers).json()
    barrier = threading.Barrier(12)

    def start(_):
        barrier.wait()
        return client.post(f"/v1/projects/{project['project_id']}/jobs", json={"script": SCRIPT},
                           headers=user.headers)

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(start, range(12)))
    assert sorted(r.status_code for r in results) == [202] * 3 + [429] * 9
    assert {r.json()["error"]["code"] for r in results if r.status_code == 429} == {"QUOTA_EXCEEDED"}
    accepted = {r.json()["job_id"] for r in results if r.status_code == 202}
    held = sum(r.json()["credits"]["reserved"] for r in results if r.status_code == 202)
    after = balance(user.user_id)
    assert (after.available, after.held, after.active_jobs) == (500 - held, held, 3)
    reserves = {e.job_id for e in iter_ledger(CreditStore(), user.user_id) if e.kind == "reserve"}
    assert reserves == accepted
    assert CreditStore().jobs_started_today(user.user_id) == 3
