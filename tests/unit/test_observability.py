"""Stage metrics leave as CloudWatch EMF, and handlers log with the job id as correlation id."""

import io
import json

from filmstudio.observability import handler, logger, stage_metrics


def test_stage_metrics_are_emf(capsys, monkeypatch):
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    stage_metrics("motion", "preview", 2.5, rendered=3, reused=1)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    by_name = {d["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"]: d for d in lines}
    assert by_name["StageSeconds"]["StageSeconds"] in (2.5, [2.5])
    assert by_name["StageSeconds"]["stage"] == "motion"
    assert by_name["StageSeconds"]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "FilmStudio"
    assert by_name["ArtifactsRendered"]["ArtifactsRendered"] in (3, [3])
    assert by_name["ArtifactsReused"]["ArtifactsReused"] in (1, [1])


def test_stage_metrics_stay_quiet_when_disabled(capsys, monkeypatch):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    stage_metrics("motion", "preview", 2.5, rendered=3, reused=1)
    assert capsys.readouterr().out == ""


def test_handler_logs_carry_the_job_id(lambda_context):
    stream = io.StringIO()
    previous = logger.registered_handler.setStream(stream)

    @handler
    def work(event, context):
        logger.warning("working")
        return "ok"

    try:
        assert work({"job_id": "job123", "stage": "plan"}, lambda_context) == "ok"
        work({}, lambda_context)
    finally:
        logger.registered_handler.setStream(previous)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["correlation_id"] == "job123" and first["job_id"] == "job123" and first["stage"] == "plan"
    assert first["message"] == "working"
    assert second.get("correlation_id") is None and "job_id" not in second  # nothing leaks to the next event


def test_gpu_seconds_leave_as_emf_by_stage(capsys, monkeypatch):
    from filmstudio.observability import gpu_metrics

    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    gpu_metrics("motion", 12.5)
    (line,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    metrics = line["_aws"]["CloudWatchMetrics"][0]
    assert metrics["Namespace"] == "FilmStudio" and metrics["Metrics"][0]["Name"] == "GpuSeconds"
    assert "Stage" in metrics["Dimensions"][0] and line["Stage"] == "motion" and line["GpuSeconds"] in (12.5, [12.5])
