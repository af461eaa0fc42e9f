"""Job status transitions: the diagram is enforced and a stale writer loses."""

from datetime import datetime, timezone

import pytest

from filmstudio.errors import IllegalTransitionError, StaleWriteError
from filmstudio.jobs.store import JobStore
from filmstudio.models.job import Job, JobStatus


def _job(job_id="j1") -> Job:
    now = datetime.now(timezone.utc)
    return Job(job_id=job_id, project_id="p1", user_id="u1", created_at=now, updated_at=now)


def test_lifecycle_and_illegal_transition(cloud):
    store = JobStore()
    store.create(_job())
    assert store.transition("j1", JobStatus.RUNNING).status == JobStatus.RUNNING
    done = store.transition("j1", JobStatus.SUCCEEDED)
    assert done.status == JobStatus.SUCCEEDED and done.progress == 100 and done.finished_at
    with pytest.raises(IllegalTransitionError):
        store.transition("j1", JobStatus.RUNNING)
    assert store.get("j1").status == JobStatus.SUCCEEDED


def test_stale_writer_loses(cloud):
    store = JobStore()
    store.create(_job())
    seen = store.get("j1").version
    store.transition("j1", JobStatus.RUNNING, expected_version=seen)
    with pytest.raises(StaleWriteError):
        store.transition("j1", JobStatus.CANCELLED, expected_version=seen)
    assert store.get("j1").status == JobStatus.RUNNING


def test_failure_records_stage_and_reason(cloud):
    store = JobStore()
    store.create(_job())
    store.start_stage("j1", "analyze")
    job = store.fail("j1", "motion", "the encoder crashed")
    assert job.status == JobStatus.FAILED
    assert (job.error.stage, job.error.reason) == ("motion", "the encoder crashed")


def test_concurrent_spans_are_all_kept(cloud):
    from concurrent.futures import ThreadPoolExecutor

    store = JobStore()
    store.create(_job())
    store.start_stage("j1", "storyboard")
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda i: store.record_span("j1", "storyboard", 10.0 + i, 11.0 + i, rendered=1, of_total=8),
                      range(8)))
    timing = store.get("j1").timings["storyboard"]
    assert timing.tasks == 8 and timing.rendered == 8
    assert timing.wall_seconds == pytest.approx(8.0)
    assert timing.busy_seconds == pytest.approx(8.0)
