"""A render survives media tasks slower than their HeartbeatSeconds while another process keeps
every core busy: heartbeats come from a timer (also while a task waits for a local worker),
a failed beat is retried, and a task that does time out runs once more.

HeartbeatSeconds is shrunk to 2 s and the beat to 0.2 s, so what takes minutes on a loaded
laptop with the shipped settings takes seconds here."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sample_scripts import ONE_SCENE

pytestmark = pytest.mark.slow

HEARTBEAT_S = 2
BEAT_S = 0.2
# One scene, two lines: five media tasks for two local workers, so some wait in the queue
# while others render, as in a long film.
SCRIPT = ONE_SCENE

# Bounded: each spinner stops after LOAD_LIMIT_S or as soon as the process that started it is gone,
# so a test runner killed mid-test leaves no load behind.
LOAD_LIMIT_S = 300
BURN = "import multiprocessing as m, os, sys, time\n" \
       "def spin(parent, until):\n" \
       "    while os.getppid() == parent and time.monotonic() < until:\n" \
       "        for _ in range(100000): pass\n" \
       "if __name__ == '__main__':\n" \
       "    until = time.monotonic() + float(sys.argv[2])\n" \
       "    ps = [m.Process(target=spin, args=(os.getpid(), until), daemon=True) for _ in range(int(sys.argv[1]))]\n" \
       "    [p.start() for p in ps]; [p.join() for p in ps]\n"


@pytest.fixture
def busy_cores():
    """Another process with one spinning worker per core (its own process group, killed whole)."""
    import signal

    proc = subprocess.Popen([sys.executable, "-c", BURN, str(max(2, os.cpu_count() or 2)), str(LOAD_LIMIT_S)],
                            start_new_session=True)
    yield proc
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_a_render_survives_tasks_slower_than_their_heartbeat_on_a_busy_machine(busy_cores, tmp_path, monkeypatch):
    from filmstudio.db.records import JobRecord
    from filmstudio.localcloud import LocalCloud
    from filmstudio.localcloud.render import render_locally

    monkeypatch.setenv("FILMSTUDIO_TASK_HEARTBEAT_S", str(BEAT_S))
    with LocalCloud(workers=2, task_timing={"heartbeat_s": HEARTBEAT_S, "timeout_s": 300}) as cloud:
        result = render_locally(SCRIPT.encode(), "two-cups.fountain", tmp_path / "out", cloud=cloud)
        record = JobRecord.get(result.job.job_id, consistent_read=True)
        spans = record.spans.as_dict()
        events = cloud.history_event_count(result.job.execution_arn)
    assert busy_cores.poll() is None, "the load process died: the test proved nothing"
    job = result.job
    assert job.status.value == "SUCCEEDED", (job.error, job.retries)
    assert (tmp_path / "out" / "film.mp4").read_bytes()[4:8] == b"ftyp"
    # The render really had tasks that needed their heartbeats: the slowest outlasted several
    # beats, and the media stages together (tasks waiting for a worker included) outlasted
    # HeartbeatSeconds, which no single silent wait could have survived.
    # The job keeps one total per stage ({tasks, start, end, busy, ...}): the slowest stage's mean task
    # stands in for the slowest task.
    media = [spans[stage] for stage in ("storyboard", "motion", "speech", "music") if stage in spans]
    assert max(float(a["busy"]) / int(a["tasks"]) for a in media) > 5 * BEAT_S
    assert max(float(a["end"]) for a in media) - min(float(a["start"]) for a in media) > HEARTBEAT_S
    assert events > 0
