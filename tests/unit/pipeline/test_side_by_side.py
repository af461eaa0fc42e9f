"""A task's units on the stage row's threads: all of them, or the first failure and no more started."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from filmstudio.errors import StageFailedError
from filmstudio.pipeline.stages import side_by_side


def test_a_motion_task_renders_its_clips_two_at_a_time():
    running, most, lock = [0], [0], threading.Lock()
    done: list[int] = []

    def render(item: int) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
            done.append(item)

    side_by_side(SimpleNamespace(stage="motion"), range(6), render)
    assert sorted(done) == list(range(6)) and most[0] == 2


def test_the_first_failure_stops_what_has_not_started_and_is_raised():
    started: list[int] = []

    def render(item: int) -> None:
        started.append(item)
        if item == 1:
            raise StageFailedError("motion", "shot 1 failed")
        time.sleep(0.1)

    with pytest.raises(StageFailedError, match="shot 1 failed"):
        side_by_side(SimpleNamespace(stage="motion"), range(8), render)
    assert len(started) < 8  # the queued shots were never started


def test_a_stage_of_one_worker_renders_in_order_on_the_calling_thread():
    seen: list[tuple[int, str]] = []
    side_by_side(SimpleNamespace(stage="storyboard"), range(3),
                 lambda i: seen.append((i, threading.current_thread().name)))
    assert [i for i, _ in seen] == [0, 1, 2] and {n for _, n in seen} == {threading.current_thread().name}
