"""Races, with real threads, against the local cloud (moto + the in-process Lambda runtime and the
real state machine): cancel at every moment of a job's life, concurrent refreshes of one token,
a burst of wrong passwords and the in-flight job quota. Each test checks what a user would see
afterwards: the job record, the balance and the ledger.

A gate holds the pipeline at a chosen point (intake's StartExecution, a stage that has just
started, publish's final transaction) while the racing requests are fired, then lets it go.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from sample_scripts import ONE_SCENE as SCRIPT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("races")]

PASSWORD = "a long enough password"


class Gate:
    """Holds every caller at one point until released; records the job ids that reached it."""

    def __init__(self):
        self.point: str | None = None
        self.reached = threading.Event()
        self.release = threading.Event()
        self.jobs: list[str] = []

    def arm(self, point: str) -> None:
        self.point, self.jobs = point, []
        self.reached.clear()
        self.release.clear()

    def disarm(self) -> None:
        self.point = None
        self.release.set()

    def hold(self, point: str, job_id: str) -> None:
        if point != self.point:
            return
        self.jobs.append(job_id)
        self.reached.set()
        assert self.release.wait(60), "the gate was never released"


@pytest.fixture(scope="module")
def studio():
    """One local cloud for the module, an API client in it, and the gate wired into the pipeline."""
    from fastapi.testclient import TestClient

    from filmstudio.api.app import create_app
    from filmstudio.auth.keys import reset_key_cache
    from filmstudio.jobs.store import JobStore
    from filmstudio.localcloud import LocalCloud
    from filmstudio.pipeline import accounting
    from filmstudio.workflow import Workflow

    gate = Gate()
    mp = pytest.MonkeyPatch()
    original_start_stage, original_finish, original_start = JobStore.start_stage, accounting.finish, Workflow.start

    def start_stage(store, job_id, stage):
        original_start_stage(store, job_id, stage)
        gate.hold(stage, job_id)  # the stage is under way (RUNNING, stage named) when held

    def finish(job, to, **fields):
        if to.value == "SUCCEEDED":
            gate.hold("publish-commit", job.job_id)
        return original_finish(job, to, **fields)

    def start_execution(workflow, name, payload):
        gate.hold("start-execution", payload["job_id"])
        return original_start(workflow, name, payload)

    mp.setattr(JobStore, "start_stage", start_stage)
    mp.setattr(accounting, "finish", finish)
    mp.setattr(Workflow, "start", start_execution)
    try:
        with LocalCloud() as cloud:
            reset_key_cache()
            with TestClient(create_app(), raise_server_exceptions=False) as api:
                yield cloud, api, gate
    finally:
        gate.disarm()
        mp.undo()
        reset_key_cache()


@pytest.fixture
def account(studio):
    """A fresh free account with a project; returns (headers, user_id, project_id, refresh token)."""
    import uuid

    _, api, _ = studio
    r = api.post("/v1/auth/register", json={"email": f"r-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD})
    body = r.json()
    headers = {"Authorization": f"Bearer {body['tokens']['access_token']}"}
    pid = api.post("/v1/projects", json={"name": "Races"}, headers=headers).json()["project_id"]
    return headers, body["user"]["user_id"], pid, body["tokens"]["refresh_token"], body["user"]["email"]


def _credits(api, headers) -> dict:
    return api.get("/v1/me/credits", headers=headers, params={"limit": 200}).json()


def _ledger_for(credits: dict, job_id: str) -> list[str]:
    return sorted(e["kind"] for e in credits["ledger"] if e["job_id"] == job_id)


def _execution_status(job_id: str) -> str:
    from filmstudio.aws import client
    from filmstudio.pipeline.execution import execution_arn

    return client("stepfunctions").describe_execution(executionArn=execution_arn(job_id))["status"]


def _settle(cloud, gate, job_ids) -> None:
    """Let the held pipeline go and wait until nothing of these jobs is running any more."""
    gate.disarm()
    deadline = time.monotonic() + 180  # moto stops an execution between its states; a loaded runner is slow
    for job_id in job_ids:
        while _execution_status(job_id) == "RUNNING":
            assert time.monotonic() < deadline, f"the execution of {job_id} is still running"
            time.sleep(0.05)
    cloud.runtime.drain(timeout=30)


def _cancel_together(api, headers, job_id, n: int = 4) -> list:
    barrier = threading.Barrier(n)

    def one(_):
        barrier.wait()
        return api.post(f"/v1/jobs/{job_id}/cancel", headers=headers)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def _assert_cancel_won(api, headers, job_id, answers, before: dict) -> None:
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [409] * (len(answers) - 1), [r.text for r in answers]
    assert all(r.json()["error"]["code"] == "JOB_FINISHED" for r in answers if r.status_code == 409)
    job = api.get(f"/v1/jobs/{job_id}", headers=headers).json()
    assert job["status"] == "CANCELLED" and job["outputs"] == {}
    assert job["credits"]["refunded"] == job["credits"]["reserved"] > 0 and job["credits"]["settled"] == 0
    after = _credits(api, headers)
    assert (after["available"], after["held"], after["active_jobs"]) == (before["available"], 0, 0)
    assert _ledger_for(after, job_id) == ["refund", "reserve"]  # refunded exactly once, never charged
    assert api.get(f"/v1/jobs/{job_id}/outputs/film", headers=headers).status_code == 404


def test_cancel_while_queued_before_the_execution_starts(studio, account):
    from filmstudio.jobs.store import JobStore

    cloud, api, gate = studio
    headers, _, pid, _, _ = account
    before = _credits(api, headers)
    gate.arm("start-execution")
    with ThreadPoolExecutor(1) as pool:
        created = pool.submit(api.post, f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=headers)
        assert gate.reached.wait(30)
        job_id = gate.jobs[0]
        assert api.get(f"/v1/jobs/{job_id}", headers=headers).json()["status"] == "QUEUED"
        answers = _cancel_together(api, headers, job_id)
        gate.disarm()
        assert created.result().status_code == 202
    _settle(cloud, gate, [job_id])
    _assert_cancel_won(api, headers, job_id, answers, before)
    # The execution started after the cancel and was stopped at once (moto may report a stopped
    # execution as FAILED when its interpreter trips over the stop); no stage did any work.
    assert _execution_status(job_id) in ("ABORTED", "FAILED")
    done = JobStore().get(job_id)
    assert done.timings == {} and done.error is None and done.status.value == "CANCELLED"


@pytest.mark.parametrize("stage", ["analyze", "plan", "storyboard", "motion", "speech", "music", "compose",
                                   "publish"])
def test_cancel_during_each_stage_wins_and_refunds_once(studio, account, stage):
    from filmstudio.jobs.store import JobStore

    cloud, api, gate = studio
    headers, _, pid, _, _ = account
    before = _credits(api, headers)
    gate.arm(stage)
    job_id = api.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=headers).json()["job_id"]
    assert gate.reached.wait(60), f"the job never reached {stage}"
    held = api.get(f"/v1/jobs/{job_id}", headers=headers).json()
    assert held["status"] == "RUNNING"
    answers = _cancel_together(api, headers, job_id)
    _settle(cloud, gate, [job_id])
    _assert_cancel_won(api, headers, job_id, answers, before)
    # Stopped, or ended by its fail path once a branch found the job cancelled (which left the job as it was).
    assert _execution_status(job_id) in ("ABORTED", "FAILED")
    assert JobStore().get(job_id).error is None
    # Nothing after the held stage ran: no film was composed or published for a cancelled job.
    done = set(JobStore().get(job_id).timings)
    if stage not in ("compose", "publish"):
        assert "compose" not in done
    assert "publish" not in done or stage == "publish"


def _render_to_publish(api, gate, headers, pid) -> str:
    gate.arm("publish-commit")
    job_id = api.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=headers).json()["job_id"]
    assert gate.reached.wait(60), "the job never reached publish"
    return job_id


def test_cancel_that_reaches_publish_first_wins(studio, account):
    cloud, api, gate = studio
    headers, _, pid, _, _ = account
    before = _credits(api, headers)
    job_id = _render_to_publish(api, gate, headers, pid)
    answers = _cancel_together(api, headers, job_id)  # publish is held just before its transaction
    _settle(cloud, gate, [job_id])
    _assert_cancel_won(api, headers, job_id, answers, before)
    # Publish had copied the film out before it lost; nothing of it is left under final/.
    from filmstudio.aws import client
    from filmstudio.settings import get_settings

    listed = client("s3").list_objects_v2(Bucket=get_settings().bucket, Prefix="users/")
    assert not [o["Key"] for o in listed.get("Contents", []) if f"/final/{job_id}/" in o["Key"]]


def test_publish_that_commits_first_makes_every_cancel_409_and_charges_once(studio, account):
    cloud, api, gate = studio
    headers, _, pid, _, _ = account
    before = _credits(api, headers)
    job_id = _render_to_publish(api, gate, headers, pid)
    gate.disarm()
    deadline = time.monotonic() + 30
    while api.get(f"/v1/jobs/{job_id}", headers=headers).json()["status"] != "SUCCEEDED":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    answers = _cancel_together(api, headers, job_id)
    _settle(cloud, gate, [job_id])
    assert {r.status_code for r in answers} == {409}
    _assert_succeeded_once(api, headers, job_id, before)


def _assert_succeeded_once(api, headers, job_id, before) -> None:
    job = api.get(f"/v1/jobs/{job_id}", headers=headers).json()
    credits = job["credits"]
    assert job["status"] == "SUCCEEDED" and credits["settled"] > 0
    assert credits["settled"] + credits["refunded"] == credits["reserved"]  # the unused margin comes back
    film = api.get(f"/v1/jobs/{job_id}/outputs/film", headers=headers, follow_redirects=False)
    assert film.status_code in (200, 307)
    after = _credits(api, headers)
    assert (after["available"], after["held"], after["active_jobs"]) == (
        before["available"] - job["credits"]["settled"], 0, 0)
    assert _ledger_for(after, job_id) == ["reserve", "settle"]


def test_cancels_racing_publish_at_the_same_instant_have_one_outcome(studio, account):
    """Publish's transaction and four cancels released together: whichever commits first, the
    books and the job agree (cancel won: refunded, no film; publish won: 409s, film, one charge)."""
    cloud, api, gate = studio
    headers, _, pid, _, _ = account
    before = _credits(api, headers)
    job_id = _render_to_publish(api, gate, headers, pid)
    barrier = threading.Barrier(5)

    def cancel(_):
        barrier.wait()
        return api.post(f"/v1/jobs/{job_id}/cancel", headers=headers)

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(cancel, i) for i in range(4)]
        barrier.wait()
        gate.disarm()
        answers = [f.result() for f in futures]
    _settle(cloud, gate, [job_id])
    assert all(r.status_code in (200, 409) for r in answers)
    if any(r.status_code == 200 for r in answers):
        _assert_cancel_won(api, headers, job_id, answers, before)
    else:
        _assert_succeeded_once(api, headers, job_id, before)


def test_the_in_flight_job_quota_holds_under_concurrent_starts(studio, account):
    from filmstudio.credits import QUOTAS
    from filmstudio.db.accounts import UserRecord

    cloud, api, gate = studio
    headers, user_id, pid, _, _ = account
    UserRecord(user_id=user_id).update(actions=[UserRecord.credits_available.set(1000)])
    limit = QUOTAS["free"].active_jobs
    gate.arm("analyze")  # accepted jobs stay in flight while the others try
    barrier = threading.Barrier(limit + 7)

    def start(_):
        barrier.wait()
        return api.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=headers)

    with ThreadPoolExecutor(limit + 7) as pool:
        answers = list(pool.map(start, range(limit + 7)))
    accepted = [r.json() for r in answers if r.status_code == 202]
    refused = [r.json() for r in answers if r.status_code != 202]
    assert len(accepted) == limit, [r.text for r in answers]
    assert {r["error"]["code"] for r in refused} == {"QUOTA_EXCEEDED"}
    held = sum(j["credits"]["reserved"] for j in accepted)
    mid = _credits(api, headers)
    assert (mid["available"], mid["held"], mid["active_jobs"]) == (1000 - held, held, limit)
    assert sum(e["kind"] == "reserve" for e in mid["ledger"]) == limit
    listed = api.get(f"/v1/projects/{pid}/jobs", headers=headers).json()["items"]
    assert sorted(j["job_id"] for j in listed) == sorted(j["job_id"] for j in accepted)

    # Cancelling them all at once frees every slot and every credit, each exactly once.
    with ThreadPoolExecutor(limit) as pool:
        cancels = list(pool.map(lambda j: api.post(f"/v1/jobs/{j['job_id']}/cancel", headers=headers), accepted))
    assert {r.status_code for r in cancels} == {200}
    _settle(cloud, gate, [j["job_id"] for j in accepted])
    after = _credits(api, headers)
    assert (after["available"], after["held"], after["active_jobs"]) == (1000, 0, 0)
    for job in accepted:
        assert _ledger_for(after, job["job_id"]) == ["refund", "reserve"]
    assert api.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=headers).status_code == 202
    _settle(cloud, gate, [])


def test_concurrent_refreshes_of_one_token_one_wins_and_the_family_dies(studio, account):
    from filmstudio.auth.refresh import family_key
    from filmstudio.auth.tokens import hash_refresh_token
    from filmstudio.db.accounts import RefreshTokenRecord

    _, api, _ = studio
    headers, _, _, _, email = account
    before = _credits(api, headers)
    for trial in range(4):
        token = api.post("/v1/auth/login", json={"email": email, "password": PASSWORD}).json()["refresh_token"]
        family = RefreshTokenRecord.get(hash_refresh_token(token)).family_id
        barrier = threading.Barrier(8)

        def refresh(_):
            barrier.wait()
            return api.post("/v1/auth/refresh", json={"refresh_token": token})

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(refresh, range(8)))
        winners = [r for r in answers if r.status_code == 200]
        assert len(winners) == 1, [r.text for r in answers]
        # The losers see the token rotated (reuse) or, after another loser revoked the family, revoked.
        codes = {r.json()["error"]["code"] for r in answers if r.status_code != 200}
        assert "REFRESH_TOKEN_REUSED" in codes and codes <= {"REFRESH_TOKEN_REUSED", "INVALID_REFRESH_TOKEN"}
        # The token issued in the race dies with its family.
        issued = winners[0].json()["refresh_token"]
        reuse = api.post("/v1/auth/refresh", json={"refresh_token": issued})
        assert reuse.status_code == 401, f"trial {trial}: the racing winner's token still works"
        assert RefreshTokenRecord.get(family_key(family)).status == "revoked"
        assert RefreshTokenRecord.get(hash_refresh_token(issued)).status == "revoked"
    after = _credits(api, headers)
    assert (after["available"], after["held"], len(after["ledger"])) == (
        before["available"], before["held"], len(before["ledger"]))


def test_a_hundred_concurrent_wrong_passwords_check_at_most_ten(studio, account):
    from filmstudio.auth.users import MAX_FAILED_LOGINS
    from filmstudio.db.accounts import UserRecord

    _, api, _ = studio
    headers, user_id, _, refresh, email = account
    before = _credits(api, headers)
    barrier = threading.Barrier(100)

    def guess(i):
        barrier.wait()
        return api.post("/v1/auth/login", json={"email": email, "password": f"wrong guess number {i}"})

    with ThreadPoolExecutor(100) as pool:
        answers = list(pool.map(guess, range(100)))
    codes = [r.status_code for r in answers]
    assert codes.count(401) == MAX_FAILED_LOGINS and codes.count(429) == 100 - MAX_FAILED_LOGINS, codes
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 429} == {"LOGIN_THROTTLED"}
    assert int(UserRecord.get(user_id).failed_logins) == MAX_FAILED_LOGINS
    # The right password is refused too for the rest of the window ...
    right = api.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert right.status_code == 429
    # ... but the stranger did not sign the user out: the session they hold keeps working.
    assert api.post("/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 200
    after = _credits(api, headers)
    assert (after["available"], after["held"], len(after["ledger"])) == (
        before["available"], before["held"], len(before["ledger"]))
