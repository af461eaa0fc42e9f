"""The Workflow adapter against moto's Step Functions: the one way the API and the pipeline
start, describe and stop a job's execution."""

from __future__ import annotations


def test_start_describe_and_stop_an_execution(api_aws):
    from filmstudio.pipeline.execution import execution_arn
    from filmstudio.workflow import Workflow

    workflow = Workflow()
    arn = workflow.start("job-1", {"job_id": "job-1", "tier": "preview"})
    assert arn == execution_arn("job-1")  # named after the job, where cancel looks for it
    described = workflow.describe(arn)
    assert described["executionArn"] == arn and '"job_id": "job-1"' in described["input"]
    # A job whose execution never started: nothing to stop, and no error (intake stops it later).
    assert workflow.stop(execution_arn("job-never-started"), error="Cancelled", cause="test") is False


def test_a_replaced_client_is_what_every_adapter_gets(api_aws):
    from filmstudio import aws
    from filmstudio.pipeline.completion import report_success
    from filmstudio.workflow import Workflow

    sent = []

    class Recorder:
        def send_task_success(self, taskToken, output):
            sent.append((taskToken, output))

    with aws.replaced("stepfunctions", Recorder()):
        report_success("tok", {"stage": "motion"})
    assert sent == [("tok", '{"stage": "motion"}')]
    assert not isinstance(Workflow().sfn, Recorder)  # the real client again after the block
