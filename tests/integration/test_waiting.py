"""Waiting for a render: no fixed limit while it progresses; a stall fails naming the stage."""

import threading
import time
from datetime import datetime, timezone

import pytest

from filmstudio.jobs.store import JobStore
from filmstudio.jobs.watch import JobPulse, ProgressWatch, RenderStalledError
from filmstudio.models.job import Job, JobStatus


def _running_job(job_id: str) -> None:
    now = datetime.now(timezone.utc)
    store = JobStore()
    store.create(Job(job_id=job_id, project_id="p1", user_id="u1", created_at=now, updated_at=now))
    store.start_stage(job_id, "compose")


def test_a_render_is_waited_for_while_it_moves_and_fails_naming_its_stage_once_it_stops(cloud):
    _running_job("slow")
    store = JobStore()
    started = time.monotonic()

    def progress(job):
        # Every poll finds the record moved (as each finished task moves it), for five times
        # the stall limit; then the job ends. No thread timing is involved.
        if job.terminal:
            return
        if time.monotonic() - started < 2.5:
            store.set_fields("slow")
        else:
            store.transition("slow", JobStatus.SUCCEEDED)

    job = cloud.wait("slow", poll=0.05, stall_seconds=0.5, on_progress=progress)
    assert job.status == JobStatus.SUCCEEDED and time.monotonic() - started >= 2.5

    _running_job("stuck")
    started = time.monotonic()
    with pytest.raises(RenderStalledError) as err:
        cloud.wait("stuck", poll=0.05, stall_seconds=0.5)
    assert time.monotonic() - started >= 0.5
    assert err.value.stage == "compose" and "no progress" in err.value.reason

    # Compose's pulse touches the record while it works.
    touches = []
    with JobPulse(lambda: touches.append(time.monotonic()), every_s=0.05):
        time.sleep(0.5)
    n = len(touches)
    time.sleep(0.2)
    assert n >= 2 and len(touches) == n


def test_the_api_client_waits_while_the_job_moves_and_names_a_stall():
    from filmstudio.api.client import ApiClient

    clock = [0.0]
    client = ApiClient.__new__(ApiClient)
    states = iter([{"status": "RUNNING", "stage": "motion", "progress": p, "updated_at": None} for p in range(50)])
    client.job = lambda job_id: next(states)  # progress moves on every poll: 50 polls, 49 "minutes"
    watch_clock = lambda: clock[0]  # noqa: E731

    import filmstudio.jobs.watch as watch

    original = watch.ProgressWatch.__init__

    def fake_init(self, stall_seconds=None, clock=watch_clock):
        original(self, stall_seconds, clock)
    watch.ProgressWatch.__init__ = fake_init
    try:
        import filmstudio.api.client as mod

        sleeps = []
        real_sleep = mod.time.sleep
        mod.time.sleep = lambda s: (sleeps.append(s), clock.__setitem__(0, clock[0] + 60.0))
        try:
            with pytest.raises(StopIteration):
                client.wait("j", stall_seconds=300)  # 49 minutes of steady progress: never stalled
            stuck = iter([{"status": "RUNNING", "stage": "compose", "progress": 80.0, "updated_at": "t"}] * 20)
            client.job = lambda job_id: next(stuck)
            with pytest.raises(RenderStalledError) as err:
                client.wait("j", stall_seconds=300)
            assert err.value.stage == "compose"
        finally:
            mod.time.sleep = real_sleep
    finally:
        watch.ProgressWatch.__init__ = original


def test_progress_watch_measures_idle_time_from_the_last_change():
    now = [0.0]
    w = ProgressWatch(10, clock=lambda: now[0])
    for t in range(0, 100, 5):
        now[0] = float(t)
        w.check(("RUNNING", "speech", t), "speech")  # a change every 5 s for 100 s
    now[0] = 104.0
    w.check(("RUNNING", "speech", 95), "speech")
    now[0] = 105.5
    with pytest.raises(RenderStalledError):
        w.check(("RUNNING", "speech", 95), "speech")


def test_the_cli_reports_a_stalled_render_as_one_line_with_its_stage(monkeypatch, tmp_path, capsys):
    from filmstudio import cli
    from filmstudio.localcloud import render

    def stalled(*a, **k):
        raise RenderStalledError("compose", "no progress for 10.0 minutes")
    monkeypatch.setattr(render, "render_locally", stalled)
    script = tmp_path / "s.txt"
    script.write_text("A lighthouse keeper waits for the storm.")
    assert cli.main(["render", str(script), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["filmstudio: render failed at stage compose: no progress for 10.0 minutes"]


def test_a_queued_media_task_keeps_its_heartbeat_until_a_worker_starts_it(monkeypatch):
    import json

    from filmstudio import aws
    from filmstudio.localcloud.runtime import LocalLambdaRuntime
    from filmstudio.settings import reset_settings

    beats = []

    class FakeSfn:
        def send_task_heartbeat(self, taskToken):
            beats.append(taskToken)

    monkeypatch.setenv("FILMSTUDIO_TASK_HEARTBEAT_S", "0.05")
    reset_settings()
    replaced = aws.replaced("stepfunctions", FakeSfn())  # what the task's heartbeats are sent to
    replaced.__enter__()
    runtime = LocalLambdaRuntime(workers=1)
    monkeypatch.setattr(runtime, "call", lambda name, body, asynchronous: ("", False, ""))
    release = threading.Event()
    try:
        runtime.pool.submit(0, release.wait)  # the only worker is busy: the next task waits in the queue
        task = runtime.submit("filmstudio-speech", json.dumps({"stage": "speech", "task_token": "tok"}))
        time.sleep(0.4)
        while_queued = len(beats)
        release.set()
        task.result(timeout=2)
        time.sleep(0.1)  # a beat already under way may land
        after_start = len(beats)
        time.sleep(0.3)
        assert while_queued >= 3 and set(beats) == {"tok"}
        assert len(beats) == after_start  # once a worker runs it, the task's own heartbeat takes over
    finally:
        release.set()
        runtime._stopping.set()
        runtime.pool.shutdown(wait=True)
        replaced.__exit__(None, None, None)
        reset_settings()


def test_a_free_worker_takes_a_scene_s_clips_before_its_panels_and_both_before_speech_and_music(monkeypatch):
    """The local runtime's queue order: the scenes' chain (motion, then storyboard) first, the rest
    in arrival order, so a line's speech or the score never holds the worker the longest scene waits for."""
    import json

    from filmstudio.localcloud.runtime import LocalLambdaRuntime

    runtime = LocalLambdaRuntime(workers=1)
    ran: list[str] = []
    monkeypatch.setattr(runtime, "call", lambda name, body, asynchronous: ran.append(json.loads(body)["stage"]))
    release = threading.Event()
    try:
        runtime.pool.submit(0, release.wait)  # the only worker is busy while the tasks queue up
        queued = [runtime.submit(f"filmstudio-{stage}", json.dumps({"stage": stage}))
                  for stage in ("speech", "music", "storyboard", "speech", "motion", "storyboard", "callback")]
        release.set()
        for task in queued:
            task.result(timeout=5)
        # A notification ("stage" names no media stage) is not held back behind media work.
        assert ran == ["motion", "callback", "storyboard", "storyboard", "speech", "music", "speech"]
    finally:
        release.set()
        runtime._stopping.set()
        runtime.pool.shutdown(wait=True)


def test_a_lower_ranked_task_is_not_held_back_past_its_rank_s_worth_of_waiting(monkeypatch):
    from filmstudio.localcloud import runtime as rt

    clock = [1000.0]
    monkeypatch.setattr(rt.time, "monotonic", lambda: clock[0])
    pool = rt.PriorityPool(0, "test")  # no workers: only the queue's order is looked at
    pool.submit(rt.priority({"stage": "speech"}), print)  # rank 2
    clock[0] += 2 * rt.RANK_SECONDS + 1  # a whole Scenes map of clips arrives later
    pool.submit(rt.priority({"stage": "motion"}), print)  # rank 0
    first = pool._queue.get_nowait()
    assert first[3] is print and first[0] == 1000.0 + 2 * rt.RANK_SECONDS  # the speech task
    pool.shutdown(wait=False)
    with pytest.raises(RuntimeError):
        pool.submit(0, print)


def test_the_api_client_reads_the_job_again_after_a_dropped_connection(monkeypatch):
    import httpx

    import filmstudio.api.client as mod
    from filmstudio.api.client import ApiClient

    client = ApiClient.__new__(ApiClient)
    answers = [httpx.ReadError("Connection reset by peer"), httpx.RemoteProtocolError("closed"),
               {"status": "SUCCEEDED", "stage": "publish", "progress": 100, "updated_at": "t"}]

    def job(job_id):
        a = answers.pop(0)
        if isinstance(a, Exception):
            raise a
        return a
    client.job = job
    monkeypatch.setattr(mod.time, "sleep", lambda s: None)
    assert client.wait("j")["status"] == "SUCCEEDED"
    client.job = lambda job_id: (_ for _ in ()).throw(httpx.ReadError("down"))
    with pytest.raises(httpx.ReadError):
        client.wait("j")
