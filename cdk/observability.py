"""Dashboard over the state machine, every function and the stage metrics; alarms to SNS."""

from __future__ import annotations

from aws_cdk import Annotations, Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from cdk.config import METRICS_NAMESPACE, StudioConfig
from cdk.naming import api_name, pascal

PERIOD = Duration.minutes(5)
# Powertools Metrics (EMF) names the stage code emits; SEARCH picks up whatever dimensions they carry.
STAGE_METRICS = ("StageSeconds",)


class ObservabilityStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StudioConfig,
        state_machine: sfn.IStateMachine,
        functions: dict[str, lambda_.IFunction],
        table_names: dict[str, str] | None = None,
        async_functions: tuple[str, ...] = (),
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # Alarms publish through a customer-managed key: CloudWatch cannot use the AWS-managed SNS key.
        key = kms.Key(self, "AlarmTopicKey", enable_key_rotation=True,
                      description="Encrypts the Film Studio alarm topic")
        key.grant(iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*")
        self.alarm_topic = sns.Topic(self, "AlarmTopic", display_name="Film Studio alarms",
                                     master_key=key, enforce_ssl=True)
        if config.alarm_email:
            self.alarm_topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        else:
            Annotations.of(self.alarm_topic).add_warning_v2(
                "filmstudio:alarmsUnsubscribed",
                "No one is subscribed to the alarm topic: set alarm_email in the filmstudio context "
                "(docs/deploy.md), or subscribe to the topic yourself, or alarms reach nobody.")
        action = cw_actions.SnsAction(self.alarm_topic)

        self.alarms: list[cloudwatch.Alarm] = []
        failed = cloudwatch.Alarm(
            self, "StateMachineFailedAlarm",
            alarm_description="A film render execution failed",
            metric=state_machine.metric_failed(period=PERIOD, statistic="Sum"),
            threshold=1, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        timed_out = cloudwatch.Alarm(
            self, "StateMachineTimedOutAlarm",
            alarm_description="A film render execution timed out",
            metric=state_machine.metric_timed_out(period=PERIOD, statistic="Sum"),
            threshold=1, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.alarms += [failed, timed_out]
        for name, fn in sorted(functions.items()):
            self.alarms.append(cloudwatch.Alarm(
                self, f"{pascal(name)}ErrorsAlarm",
                alarm_description=f"The {name} function reported errors",
                metric=fn.metric_errors(period=PERIOD, statistic="Sum"),
                threshold=1, evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ))
        for name, fn in sorted(functions.items()):
            self.alarms.append(self._at_least_one(
                f"{pascal(name)}ThrottlesAlarm", f"The {name} function was throttled (concurrency limit reached)",
                fn.metric_throttles(period=PERIOD, statistic="Sum")))
        for name in async_functions:
            # An asynchronous event Lambda gave up on: its task fails through the on-failure destination,
            # but an operator should know the stage could not even start.
            self.alarms.append(self._at_least_one(
                f"{pascal(name)}AsyncEventsDroppedAlarm", f"Lambda dropped asynchronous events for {name}",
                functions[name].metric("AsyncEventsDropped", period=PERIOD, statistic="Sum")))
        for attr, table in sorted((table_names or {}).items()):
            def throttle(metric_name: str) -> cloudwatch.Metric:
                return cloudwatch.Metric(namespace="AWS/DynamoDB", metric_name=metric_name,
                                         dimensions_map={"TableName": table}, statistic="Sum", period=PERIOD)
            self.alarms.append(self._at_least_one(
                f"{pascal(attr)}ThrottlesAlarm", f"DynamoDB throttled requests on {table}",
                cloudwatch.MathExpression(expression="reads + writes", period=PERIOD, label=f"{table} throttles",
                                          using_metrics={"reads": throttle("ReadThrottleEvents"),
                                                         "writes": throttle("WriteThrottleEvents")})))
        for alarm in self.alarms:
            alarm.add_alarm_action(action)

        self.dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"{config.prefix}-pipeline",
                                              default_interval=Duration.hours(3))
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Film executions", width=12,
                left=[
                    state_machine.metric_started(period=PERIOD, statistic="Sum", label="started"),
                    state_machine.metric_succeeded(period=PERIOD, statistic="Sum", label="succeeded"),
                    state_machine.metric_failed(period=PERIOD, statistic="Sum", label="failed"),
                    state_machine.metric_timed_out(period=PERIOD, statistic="Sum", label="timed out"),
                ],
            ),
            cloudwatch.GraphWidget(
                title="Film execution time (ms)", width=12,
                left=[
                    state_machine.metric_time(period=PERIOD, statistic="p50", label="p50"),
                    state_machine.metric_time(period=PERIOD, statistic="p95", label="p95"),
                ],
            ),
        )
        names = sorted(functions)

        def per_function(title: str, metric) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, width=12, left=[metric(functions[n], n) for n in names])

        self.dashboard.add_widgets(
            per_function("Invocations", lambda fn, n: fn.metric_invocations(period=PERIOD, statistic="Sum", label=n)),
            per_function("Errors", lambda fn, n: fn.metric_errors(period=PERIOD, statistic="Sum", label=n)),
        )
        self.dashboard.add_widgets(
            per_function("Duration p95 (ms)", lambda fn, n: fn.metric_duration(period=PERIOD, statistic="p95", label=n)),
            per_function("Throttles", lambda fn, n: fn.metric_throttles(period=PERIOD, statistic="Sum", label=n)),
        )
        self.dashboard.add_widgets(*[
            cloudwatch.GraphWidget(
                title=f"{metric} by stage", width=24,
                left=[cloudwatch.MathExpression(
                    expression=f"SEARCH('{{{METRICS_NAMESPACE}}} MetricName=\"{metric}\"', 'Average', 300)",
                    label="", period=PERIOD,
                )],
            )
            for metric in STAGE_METRICS
        ])
        self._api(config, action)
        if config.studio:
            from cdk.gpu_observability import add_gpu_operations

            add_gpu_operations(self, config, state_machine, action)
        self.dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(title="Alarms", width=24, alarms=self.alarms),
        )

    def _at_least_one(self, construct_id: str, description: str, metric) -> cloudwatch.Alarm:
        return cloudwatch.Alarm(
            self, construct_id, alarm_description=description, metric=metric,
            threshold=1, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _api(self, config: StudioConfig, action: cw_actions.SnsAction) -> None:
        # API Gateway publishes by API name and stage, both fixed (api.py), so no reference to the API stack
        # is needed and this stack deploys before it.
        dims = {"ApiName": api_name(config), "Stage": config.api_stage_name}

        def metric(name: str, statistic: str, label: str | None = None) -> cloudwatch.Metric:
            return cloudwatch.Metric(namespace="AWS/ApiGateway", metric_name=name, dimensions_map=dims,
                                     statistic=statistic, period=PERIOD, label=label)

        server_errors = cloudwatch.Alarm(
            self, "Api5xxAlarm",
            alarm_description="The REST API answered with 5xx errors",
            metric=metric("5XXError", "Sum"),  # no label: a labelled metric turns the alarm into metric math
            threshold=5, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        server_errors.add_alarm_action(action)
        self.alarms.append(server_errors)
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(title="API requests", width=12, left=[
                metric("Count", "Sum", "requests"), metric("4XXError", "Sum", "4xx"), metric("5XXError", "Sum", "5xx")]),
            cloudwatch.GraphWidget(title="API latency (ms)", width=12, left=[
                metric("Latency", "p50", "p50"), metric("Latency", "p95", "p95"),
                metric("IntegrationLatency", "p95", "integration p95")]),
        )
