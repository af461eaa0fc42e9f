"""The studio tier on the operations dashboard, and its alarms on the alarm topic (with cdk config `studio`).

Everything is addressed by the gpu stack's fixed names (endpoints, the Batch job-state log group), so
the observability stack needs no reference to that stack and deploys before it.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_stepfunctions as sfn

from filmstudio import topology

from cdk.config import METRICS_NAMESPACE, StudioConfig
from cdk.gpu import VARIANT, batch_events_log_group_name
from cdk.naming import gpu_name, pascal

PERIOD = Duration.minutes(5)
# The EMF metric the GPU runtime emits per task (dimension Stage), in the stage metrics' namespace.
GPU_SECONDS_METRIC = "GpuSeconds"
# A request older than this is not waiting for a cold start any more (scaling from zero takes minutes).
BACKLOG_AGE_ALARM_S = 1800
# Batch publishes no queue-depth metric: count the jobs whose latest state change is still a waiting one.
QUEUE_DEPTH_QUERY = (
    "fields detail.jobId as job, detail.status as status, detail.jobDefinition as definition\n"
    "| stats latest(status) as last by job\n"
    "| filter last in ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING']\n"
    "| stats count(*) as waiting"
)


def add_gpu_operations(stack, config: StudioConfig, state_machine: sfn.IStateMachine,
                       action: cw_actions.SnsAction) -> list[cloudwatch.Alarm]:
    """Widgets on `stack.dashboard`; the alarms are appended to `stack.alarms` (and returned)."""
    endpoints = {spec.family: gpu_name(config.prefix, spec.endpoint_name) for spec in topology.GPU_FAMILIES}

    def endpoint_metric(family: str, name: str, statistic: str, period: Duration = PERIOD,
                        namespace: str = "AWS/SageMaker", variant: bool = False) -> cloudwatch.Metric:
        dims = {"EndpointName": endpoints[family]}
        if variant:
            dims["VariantName"] = VARIANT
        return cloudwatch.Metric(namespace=namespace, metric_name=name, dimensions_map=dims, statistic=statistic,
                                 period=period, label=family)

    alarms: list[cloudwatch.Alarm] = []
    for family in sorted(endpoints):
        alarms.append(cloudwatch.Alarm(
            stack, f"{pascal(family)}GpuBacklogNotDrainingAlarm",
            alarm_description=f"Requests have waited over {BACKLOG_AGE_ALARM_S // 60} minutes at the "
                              f"{endpoints[family]} endpoint: it is not scaling out (quota? failing container?)",
            metric=cloudwatch.Metric(namespace="AWS/SageMaker", metric_name="ApproximateAgeOfOldestRequest",
                                     dimensions_map={"EndpointName": endpoints[family]}, statistic="Maximum",
                                     period=PERIOD),
            threshold=BACKLOG_AGE_ALARM_S, evaluation_periods=3,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING))
        alarms.append(cloudwatch.Alarm(
            stack, f"{pascal(family)}GpuInvocationFailuresAlarm",
            alarm_description=f"Asynchronous invocations failed at the {endpoints[family]} endpoint",
            metric=cloudwatch.Metric(namespace="AWS/SageMaker", metric_name="InvocationFailures",
                                     dimensions_map={"EndpointName": endpoints[family]}, statistic="Sum",
                                     period=PERIOD),
            threshold=1, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING))
    for alarm in alarms:
        alarm.add_alarm_action(action)
    stack.alarms.extend(alarms)

    families = sorted(endpoints)
    gpu_seconds = cloudwatch.MathExpression(
        expression=f"SEARCH('{{{METRICS_NAMESPACE},Stage}} MetricName=\"{GPU_SECONDS_METRIC}\"', 'Sum', 300)",
        label="", period=PERIOD)
    per_film = cloudwatch.MathExpression(
        expression=f"SUM(SEARCH('{{{METRICS_NAMESPACE},Stage}} MetricName=\"{GPU_SECONDS_METRIC}\"', 'Sum', 300))"
                   " / films",
        using_metrics={"films": state_machine.metric_succeeded(period=PERIOD, statistic="Sum")},
        label="GPU-seconds per finished film", period=PERIOD)
    stack.dashboard.add_widgets(
        cloudwatch.GraphWidget(title="GPU endpoint backlog (requests waiting)", width=8, left=[
            endpoint_metric(f, "ApproximateBacklogSize", "Average") for f in families]),
        # Every in-service instance reports CPUUtilization once a minute: the sample count is the instance count.
        cloudwatch.GraphWidget(title="GPU instances in service", width=8, left=[
            endpoint_metric(f, "CPUUtilization", "SampleCount", Duration.minutes(1), "/aws/sagemaker/Endpoints",
                            variant=True) for f in families]),
        cloudwatch.GraphWidget(title="GPU invocations processed / failed", width=8,
                               left=[endpoint_metric(f, "InvocationsProcessed", "Sum") for f in families],
                               right=[endpoint_metric(f, "InvocationFailures", "Sum") for f in families]),
    )
    stack.dashboard.add_widgets(
        cloudwatch.LogQueryWidget(title="Batch GPU queue depth (jobs waiting)", width=8,
                                  log_group_names=[batch_events_log_group_name(config)],
                                  query_string=QUEUE_DEPTH_QUERY, view=cloudwatch.LogQueryVisualizationType.TABLE),
        cloudwatch.GraphWidget(title="GPU-seconds by stage", width=8, left=[gpu_seconds]),
        cloudwatch.GraphWidget(title="GPU-seconds per finished film", width=8, left=[per_film]),
    )
    return alarms
