"""Stage spans are totals per stage: the job record stays small whatever the film's size."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from filmstudio import aws
from filmstudio.jobs.store import JobStore
from filmstudio.models.job import Job


def _job(job_id: str) -> Job:
    now = datetime.now(timezone.utc)
    return Job(job_id=job_id, project_id="p1", user_id="u1", created_at=now, updated_at=now)


def _item_bytes(job_id: str) -> int:
    from filmstudio.db.records import JobRecord

    raw = aws.client("dynamodb").get_item(TableName=JobRecord.Meta.table_name, Key={"job_id": {"S": job_id}})
    return len(json.dumps(raw["Item"]))


def test_many_spans_keep_the_record_small_and_the_times_exact(cloud):
    store = JobStore()
    store.create(_job("big"))
    store.start_stage("big", "speech")
    store.record_span("big", "speech", 100.0, 101.0, rendered=1, of_total=600)
    small = _item_bytes("big")
    # Out of order and concurrent: a later task may finish first, an earlier one last.
    starts = [100.0 + (i * 37) % 150 for i in range(150)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda s: store.record_span("big", "speech", s, s + 2.0, rendered=1, of_total=600), starts))
    store.record_span("big", "speech", 40.0, 41.0, reused=1, of_total=600)
    timing = store.get("big").timings["speech"]
    assert timing.tasks == 152 and timing.rendered == 151 and timing.reused == 1
    assert timing.wall_seconds == pytest.approx(max(starts) + 2.0 - 40.0)
    assert timing.busy_seconds == pytest.approx(1.0 + 150 * 2.0 + 1.0)
    assert _item_bytes("big") < small + 200  # 152 spans cost what one did
