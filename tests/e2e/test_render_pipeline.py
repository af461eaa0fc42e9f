"""Whole renders through the real state machine in the local cloud (DESIGN §4)."""

from __future__ import annotations

import json

import pytest

from filmstudio import aws
from filmstudio.models.job import STAGES, JobStatus
from filmstudio.models.plan import Plan
from filmstudio.localcloud.render import render_locally
from filmstudio.settings import get_settings
from probe import kinds, parse_srt_starts, probe

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("render")]


def _render(cloud, data: bytes, out, name="two_cups.fountain"):
    return render_locally(data, name, out, cloud=cloud)


def test_render_succeeds_with_streams_of_the_planned_length(cloud, short_screenplay, tmp_path):
    result = _render(cloud, short_screenplay, tmp_path / "out")
    job = result.job
    assert job.status == JobStatus.SUCCEEDED, job.error
    sfn = aws.client("stepfunctions")
    assert sfn.describe_execution(executionArn=job.execution_arn)["status"] == "SUCCEEDED"
    assert set(job.timings) == set(STAGES), "every stage reports a timing"
    assert all(t.wall_seconds >= 0 and t.tasks >= 1 for t in job.timings.values())

    out = result.out_dir
    plan = Plan.model_validate_json((out / "plan.json").read_text())
    info = probe(out / "film.mp4")
    assert kinds(info) >= {"video", "audio", "subtitle"}
    assert info["duration"] == pytest.approx(plan.duration, abs=0.5)
    video = next(s for s in info["streams"] if s.kind == "video")
    assert video.codec == "h264"
    assert next(s for s in info["streams"] if s.kind == "audio").codec == "aac"

    starts = parse_srt_starts((out / "film.srt").read_text(encoding="utf-8"))
    assert len(starts) == len(plan.lines()) == 3
    assert (out / "film.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    assert len(list((out / "storyboard").glob("*.png"))) == len(plan.shots())
    for name in ("contact_sheet.png", "thumbnail.jpg"):
        assert (out / name).stat().st_size > 1000
    qc = json.loads((out / "qc.json").read_text(encoding="utf-8"))  # published beside the film
    assert qc["passed"] is True and qc["checks"]["lines"]["spoken"] == 3

    record = json.loads((out / "job.json").read_text())
    assert record["status"] == "SUCCEEDED" and record["history_events"] > 20
    assert set(record["timings"]) == set(STAGES)


def _rendered(job) -> dict[str, int]:
    return {stage: t.rendered for stage, t in job.timings.items()}


def test_rerender_reuses_everything_and_an_edit_rerenders_only_its_scene(cloud, short_screenplay, tmp_path):
    first = _render(cloud, short_screenplay, tmp_path / "a").job
    assert first.status == JobStatus.SUCCEEDED, first.error
    plan = Plan.model_validate_json((tmp_path / "a" / "plan.json").read_text())

    again = _render(cloud, short_screenplay, tmp_path / "b").job
    assert again.status == JobStatus.SUCCEEDED, again.error
    for stage in ("analyze", "plan", "storyboard", "motion", "speech", "music", "compose"):
        assert again.timings[stage].rendered == 0, f"{stage} re-rendered an unchanged script"
        assert again.timings[stage].reused >= 1
    assert again.timings["storyboard"].reused == len(plan.shots())
    assert again.timings["speech"].reused == len(plan.lines())

    # Edit one line of the second scene's dialogue.
    edited_text = short_screenplay.decode().replace("Next time, call me.", "Next time, call me from the bus stop.")
    edited = _render(cloud, edited_text.encode(), tmp_path / "c").job
    assert edited.status == JobStatus.SUCCEEDED, edited.error
    scene = plan.scenes[1]
    work = _rendered(edited)
    assert work["speech"] == 1
    assert work["storyboard"] <= len(scene.shots)
    assert 1 <= work["motion"] <= len(scene.shots)
    assert work["music"] <= 1
    assert work["compose"] == 1
    assert edited.timings["storyboard"].reused >= len(plan.scenes[0].shots)
    assert edited.timings["speech"].reused == len(plan.lines()) - 1


def test_a_permanent_stage_failure_fails_the_job_through_the_catch_path(cloud, short_screenplay, tmp_path,
                                                                         monkeypatch):
    from filmstudio.engines.registry import get_engine

    from filmstudio.engines.base import frame_count
    from filmstudio.engines.preview import ffmpeg

    motion = get_engine("motion", "preview")

    def careless(self, plan, scene, shot, panel_path, out_path):
        # x264's own defaults: keyframes where x264 likes, the index at the end. The motion task
        # refuses such a clip (engines.base.ClipFormat): compose could not stream-copy it.
        ffmpeg.run(["-loop", "1", "-i", str(panel_path), "-frames:v", str(frame_count(shot.duration, plan.fps)),
                    "-r", str(plan.fps), "-vf", "format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast",
                    str(out_path)], stage="motion")

    monkeypatch.setattr(type(motion), "render_clip", careless)
    result = _render(cloud, short_screenplay, tmp_path / "out")
    job = result.job
    assert job.status == JobStatus.FAILED
    assert job.error.stage == "motion"
    assert "breaks the clip format compose joins by stream copy" in job.error.reason
    assert "no keyframe on frame" in job.error.reason and "+faststart" in job.error.reason
    s3 = aws.client("s3")  # and none was stored, for a later render to reuse
    bucket = get_settings().bucket
    assert not [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
                for o in page.get("Contents", []) if o["Key"].endswith(".mp4")]
    sfn = aws.client("stepfunctions")
    assert sfn.describe_execution(executionArn=job.execution_arn)["status"] == "FAILED"
    history = sfn.get_execution_history(executionArn=job.execution_arn, maxResults=1000)["events"]
    entered = {e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e}
    assert {"RenderFailed", "RecordFailure", "Failed"} <= entered
    assert not (result.out_dir / "film.mp4").exists()
