"""The studio tier's GPUs: per family a SageMaker asynchronous endpoint that scales to zero, and AWS Batch.

Per `topology.GPU_FAMILIES` entry: the container image (gpu_containers/Dockerfile with FAMILY=<family>, staged at
synth, built only at deploy), a SageMaker Model whose model data is the weights prefix of the media
bucket (SageMaker copies it to /opt/ml/model, where `studio.container` loads it), an EndpointConfig
with AsyncInferenceConfig (outputs and failures under the GPU prefixes, a success and an error SNS
topic, both subscribed by gpu_callback), the Endpoint, and Application Auto Scaling from 0: target
tracking on ApproximateBacklogSizePerInstance scales out and back in to zero, and a step policy on
the HasBacklogWithoutCapacity alarm wakes an endpoint that has no instance at all (target tracking
never sees a per-instance backlog without an instance).

Batch: one job queue (topology.GPU_QUEUE) over a Spot compute environment and an on-demand one
behind it, both at 0 vCPUs when idle, and one job definition per family running the same image
with `--request s3://...` (its entrypoint copies the weights from FILMSTUDIO_MODEL_S3 first). An
EventBridge rule sends the queue's SUCCEEDED/FAILED job state changes to gpu_callback.

The functions live in the pipeline stack under fixed names, and the bucket in the storage stack:
both are addressed here by name and ARN, so this stack depends on them and nothing depends on it
(gpu_submit's grants name the endpoints, queue and definitions by their fixed names too).
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import ArnFormat, Duration, IgnoreMode, Size, Stack, Tags, Token
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_batch as batch
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from filmstudio import topology
from filmstudio.storage.keys import GENERATED_KEYS_PATTERN
from filmstudio.topology import GpuFamilySpec

from cdk import nag
from cdk.config import StudioConfig
from cdk.naming import function_name, gpu_name, media_bucket_name, pascal
from cdk.pipeline import retention
from cdk.storage import removal_policy

GPU_CONTAINERS = "gpu_containers"
VARIANT = "AllTraffic"
CONTAINER_MODEL_DIR = "/opt/ml/model"  # SageMaker's model data location; studio.container's default
# Where the Batch queue's job state changes are kept (EventBridge log targets must sit under /aws/events/).
BATCH_EVENTS_LOG_PREFIX = "/aws/events/"
# Names the local cloud gives the same rules (filmstudio.localcloud.gpu).
BATCH_RULE = f"{topology.GPU_QUEUE}-batch-state"
KEEPER_RULE = f"{topology.GPU_QUEUE}-keeper"
# EventBridge's shortest rate; well inside the media tasks' HeartbeatSeconds (120 s in the ASL).
KEEPER_EVERY = Duration.minutes(1)
# Wake from zero the way SageMaker documents it: HasBacklogWithoutCapacity averaged over 1-minute periods.
WAKE_PERIOD = Duration.minutes(1)
# Reads the GPU containers need besides the weights: plans, key frames and reference portraits are stage
# outputs (cache/) or a job's generated files; the request object sits under the requests prefix.
_CONTAINER_READS = (topology.MODEL_WEIGHTS_PREFIX + "*", topology.GPU_REQUESTS_PREFIX + "*", "cache/*",
                    GENERATED_KEYS_PATTERN)


def batch_events_log_group_name(config: StudioConfig) -> str:
    return f"{BATCH_EVENTS_LOG_PREFIX}{gpu_name(config.prefix, topology.GPU_QUEUE)}-jobs"


def container_writes(spec: GpuFamilySpec) -> list[str]:
    """Object key patterns a family's containers may write: its stages' outputs and the GPU result prefixes."""
    return [f"cache/{stage}/*" for stage in spec.stages] + [topology.GPU_OUTPUTS_PREFIX + "*",
                                                            topology.GPU_FAILURES_PREFIX + "*"]


GPU_DOCKERFILE = f"{GPU_CONTAINERS}/Dockerfile"


def dockerignore_patterns(repo_root: Path, family: str) -> list[str]:
    """The GPU Dockerfile's own Dockerfile.dockerignore (which BuildKit applies at build), narrowed to this
    family's folder. CDK stages the context from the repo root's .dockerignore (which leaves gpu_containers/
    out, for the media image), so these patterns go after it as the asset's excludes: the staged context is
    exactly what the Dockerfile copies for this family (`--build-arg FAMILY=<family>`)."""
    text = (repo_root / f"{GPU_DOCKERFILE}.dockerignore").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [line.replace(f"{GPU_CONTAINERS}/*/", f"{GPU_CONTAINERS}/{family}/") for line in lines]


class GpuStack(Stack):
    """Exposes `images`, `models`, `endpoints`, `topics` (family -> (success, error)), `job_queue`,
    `job_definitions`, `compute_environments`, `execution_roles` and `job_roles`."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StudioConfig,
                 families: tuple[GpuFamilySpec, ...] = topology.GPU_FAMILIES, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.config = config
        self.families = families
        self.bucket_name = media_bucket_name(config.prefix, self.account, self.region)
        self.bucket_arn = self.format_arn(service="s3", region="", account="", resource=self.bucket_name)
        self.weights_uri = f"s3://{self.bucket_name}/{topology.MODEL_WEIGHTS_PREFIX}"
        callback_arn = self.format_arn(service="lambda", resource="function",
                                       resource_name=function_name(config.prefix, "gpu_callback"),
                                       arn_format=ArnFormat.COLON_RESOURCE_NAME)
        # Imported by ARN: the subscription's and the rule's invoke permissions then live in this stack.
        self.callback = lambda_.Function.from_function_attributes(
            self, "GpuCallbackFunctionRef", function_arn=callback_arn, same_environment=True)

        # SNS encrypts the notifications with a key of its own; SageMaker publishes through the endpoint's role.
        self.topic_key = kms.Key(self, "GpuTopicKey", enable_key_rotation=True,
                                 description="Encrypts the Film Studio GPU completion topics",
                                 removal_policy=removal_policy(config))

        self.images: dict[str, ecr_assets.DockerImageAsset] = {}
        self.topics: dict[str, tuple[sns.Topic, sns.Topic]] = {}
        self.execution_roles: dict[str, iam.Role] = {}
        self.models: dict[str, sagemaker.CfnModel] = {}
        self.endpoint_configs: dict[str, sagemaker.CfnEndpointConfig] = {}
        self.endpoints: dict[str, sagemaker.CfnEndpoint] = {}
        self.scalable_targets: dict[str, appscaling.ScalableTarget] = {}
        self.wake_alarms: dict[str, cloudwatch.Alarm] = {}
        for spec in families:
            self.images[spec.family] = self._image(spec)
            self.topics[spec.family] = self._topics(spec)
            self.execution_roles[spec.family] = self._execution_role(spec)
            self._endpoint(spec)
            self._scaling(spec)

        self.vpc, self.security_group = self._network()
        self.compute_environments = self._compute_environments()
        self.job_queue = batch.JobQueue(
            self, "GpuJobQueue", job_queue_name=gpu_name(config.prefix, topology.GPU_QUEUE), priority=1,
            compute_environments=[batch.OrderedComputeEnvironment(compute_environment=ce, order=order)
                                  for order, ce in enumerate(self.compute_environments, start=1)])
        self.job_roles: dict[str, iam.Role] = {}
        self.job_definitions: dict[str, batch.EcsJobDefinition] = {}
        for spec in families:
            self.job_roles[spec.family] = self._job_role(spec)
            self.job_definitions[spec.family] = self._job_definition(spec)
        self._batch_events()
        self._acknowledgments()

    # -- names and ARNs ---------------------------------------------------------------------------

    def endpoint_name(self, spec: GpuFamilySpec) -> str:
        return gpu_name(self.config.prefix, spec.endpoint_name)

    # Each family answers under its own folder of the GPU output and failure prefixes (as the local cloud does).
    def output_path(self, spec: GpuFamilySpec) -> str:
        return f"s3://{self.bucket_name}/{topology.GPU_OUTPUTS_PREFIX}{spec.family}/"

    def failure_path(self, spec: GpuFamilySpec) -> str:
        return f"s3://{self.bucket_name}/{topology.GPU_FAILURES_PREFIX}{spec.family}/"

    def _container_env(self, spec: GpuFamilySpec) -> dict[str, str]:
        # The region explicitly, as the functions get it: Settings' default (us-east-1) would send the
        # container's S3 calls to another region's endpoint wherever the stack is not in us-east-1.
        return {"FILMSTUDIO_GPU_FAMILY": spec.family, "FILMSTUDIO_BUCKET": self.bucket_name,
                "FILMSTUDIO_REGION": self.region}

    def _objects(self, patterns) -> list[str]:
        return [f"{self.bucket_arn}/{pattern}" for pattern in patterns]

    # -- per family ---------------------------------------------------------------------------------

    def _image(self, spec: GpuFamilySpec) -> ecr_assets.DockerImageAsset:
        repo_root = self.config.repo_root
        folder = repo_root / GPU_CONTAINERS / spec.family
        missing = [name for name in ("requirements.txt", "inference.py") if not (folder / name).is_file()]
        if missing:
            raise ValueError(f"GPU family {spec.family!r}: {GPU_CONTAINERS}/{spec.family}/ lacks {', '.join(missing)}")
        return ecr_assets.DockerImageAsset(
            self, f"{pascal(spec.family)}Image", directory=str(repo_root), file=GPU_DOCKERFILE,
            build_args={"FAMILY": spec.family},
            platform=ecr_assets.Platform.LINUX_AMD64, ignore_mode=IgnoreMode.DOCKER,
            exclude=dockerignore_patterns(repo_root, spec.family),
            display_name=f"filmstudio-gpu-{spec.family}")

    def _topics(self, spec: GpuFamilySpec) -> tuple[sns.Topic, sns.Topic]:
        pair = []
        for kind, local in (("Success", spec.success_topic_name), ("Error", spec.error_topic_name)):
            topic = sns.Topic(self, f"{pascal(spec.family)}{kind}Topic", topic_name=gpu_name(self.config.prefix, local),
                              display_name=f"Film Studio {spec.family} GPU {kind.lower()}",
                              master_key=self.topic_key, enforce_ssl=True)
            topic.add_subscription(subscriptions.LambdaSubscription(self.callback))
            pair.append(topic)
        return pair[0], pair[1]

    def _container_statements(self, spec: GpuFamilySpec) -> list[iam.PolicyStatement]:
        """What a family's container reads and writes in the media bucket: the weights read-only."""
        return [
            iam.PolicyStatement(sid="ReadWeightsRequestsAndInputs", actions=["s3:GetObject"],
                                resources=self._objects(_CONTAINER_READS)),
            # Copying the weights (SageMaker's S3Prefix model data, the Batch entrypoint) lists the prefix.
            iam.PolicyStatement(sid="ListWeights", actions=["s3:ListBucket"], resources=[self.bucket_arn],
                                conditions={"StringLike": {"s3:prefix": [topology.MODEL_WEIGHTS_PREFIX + "*"]}}),
            iam.PolicyStatement(sid="WriteOutputs", actions=["s3:PutObject", "s3:AbortMultipartUpload"],
                                resources=self._objects(container_writes(spec))),
        ]

    def _execution_role(self, spec: GpuFamilySpec) -> iam.Role:
        role = iam.Role(self, f"{pascal(spec.family)}EndpointRole",
                        assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
                        description=f"SageMaker execution role of the Film Studio {spec.family} endpoint")
        for statement in self._container_statements(spec):
            role.add_to_policy(statement)
        success, error = self.topics[spec.family]
        role.add_to_policy(iam.PolicyStatement(sid="Notify", actions=["sns:Publish"],
                                               resources=[success.topic_arn, error.topic_arn]))
        self.topic_key.grant(role, "kms:GenerateDataKey", "kms:Decrypt")
        endpoint_logs = self.format_arn(service="logs", resource="log-group",
                                        resource_name=f"/aws/sagemaker/Endpoints/{self.endpoint_name(spec)}:*",
                                        arn_format=ArnFormat.COLON_RESOURCE_NAME)
        role.add_to_policy(iam.PolicyStatement(
            sid="EndpointLogs", resources=[endpoint_logs],
            actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]))
        # The instance metrics (CPU, GPU, memory, disk) SageMaker publishes for the endpoint's instances.
        role.add_to_policy(iam.PolicyStatement(
            sid="EndpointInstanceMetrics", actions=["cloudwatch:PutMetricData"], resources=["*"],
            conditions={"StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}}))
        self.images[spec.family].repository.grant_pull(role)
        return role

    def _endpoint(self, spec: GpuFamilySpec) -> None:
        family, cid = spec.family, pascal(spec.family)
        name = self.endpoint_name(spec)
        role = self.execution_roles[family]
        model = sagemaker.CfnModel(
            self, f"{cid}Model", execution_role_arn=role.role_arn,
            primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
                image=self.images[family].image_uri,
                # The model directory, uncompressed: SageMaker copies the prefix to /opt/ml/model before
                # the container starts, and studio.container loads FILMSTUDIO_MODEL_DIR from there.
                model_data_source=sagemaker.CfnModel.ModelDataSourceProperty(
                    s3_data_source=sagemaker.CfnModel.S3DataSourceProperty(
                        s3_uri=self.weights_uri, s3_data_type="S3Prefix", compression_type="None")),
                environment={"FILMSTUDIO_MODEL_DIR": CONTAINER_MODEL_DIR, **self._container_env(spec)}))
        model.node.add_dependency(role)  # the role's policy must exist before SageMaker checks image access
        success, error = self.topics[family]
        endpoint_config = sagemaker.CfnEndpointConfig(
            self, f"{cid}EndpointConfig",
            production_variants=[sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name=VARIANT, model_name=model.attr_model_name,
                instance_type=self.config.gpu_instance_type(spec),
                # An instance-based variant starts with at least one instance; scaling takes it to zero
                # once the backlog is empty (docs/deploy.md: what a deploy costs).
                initial_instance_count=1, initial_variant_weight=1,
                # Tens of GB of weights to copy, then to move onto the GPU: far past the defaults.
                model_data_download_timeout_in_seconds=1800,
                container_startup_health_check_timeout_in_seconds=1800)],
            async_inference_config=sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty(
                client_config=sagemaker.CfnEndpointConfig.AsyncInferenceClientConfigProperty(
                    max_concurrent_invocations_per_instance=spec.max_concurrent_invocations),
                output_config=sagemaker.CfnEndpointConfig.AsyncInferenceOutputConfigProperty(
                    s3_output_path=self.output_path(spec), s3_failure_path=self.failure_path(spec),
                    notification_config=sagemaker.CfnEndpointConfig.AsyncInferenceNotificationConfigProperty(
                        success_topic=success.topic_arn, error_topic=error.topic_arn))))
        endpoint = sagemaker.CfnEndpoint(self, f"{cid}Endpoint", endpoint_name=name,
                                         endpoint_config_name=endpoint_config.attr_endpoint_config_name)
        Tags.of(endpoint).add("filmstudio:gpu-family", family)
        self.models[family], self.endpoint_configs[family], self.endpoints[family] = model, endpoint_config, endpoint

    def _scaling(self, spec: GpuFamilySpec) -> None:
        family, cid = spec.family, pascal(spec.family)
        name = self.endpoint_name(spec)
        target = appscaling.ScalableTarget(
            self, f"{cid}ScalableTarget", service_namespace=appscaling.ServiceNamespace.SAGEMAKER,
            resource_id=f"endpoint/{name}/variant/{VARIANT}",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=spec.min_capacity, max_capacity=spec.max_capacity)
        target.node.add_dependency(self.endpoints[family])

        def endpoint_metric(metric_name: str, period: Duration) -> cloudwatch.Metric:
            return cloudwatch.Metric(namespace="AWS/SageMaker", metric_name=metric_name,
                                     dimensions_map={"EndpointName": name}, statistic="Average", period=period)

        target.scale_to_track_metric(
            f"{cid}BacklogTracking", target_value=spec.target_backlog_per_instance,
            custom_metric=endpoint_metric("ApproximateBacklogSizePerInstance", Duration.minutes(1)),
            # Scale in slowly (a cold start costs minutes), out quickly.
            scale_in_cooldown=Duration.minutes(10), scale_out_cooldown=Duration.minutes(5))
        wake = appscaling.StepScalingAction(
            self, f"{cid}WakeFromZero", scaling_target=target,
            adjustment_type=appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
            metric_aggregation_type=appscaling.MetricAggregationType.AVERAGE, cooldown=Duration.minutes(5))
        wake.add_adjustment(adjustment=1, lower_bound=0)
        alarm = cloudwatch.Alarm(
            self, f"{cid}HasBacklogWithoutCapacity",
            alarm_description=f"Requests wait at the {name} endpoint while it has no instance: add one",
            metric=endpoint_metric("HasBacklogWithoutCapacity", WAKE_PERIOD),
            threshold=1, evaluation_periods=2, datapoints_to_alarm=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.MISSING)
        alarm.add_alarm_action(cw_actions.ApplicationScalingAction(wake))
        self.scalable_targets[family], self.wake_alarms[family] = target, alarm

    # -- Batch --------------------------------------------------------------------------------------

    def _network(self) -> tuple[ec2.Vpc, ec2.SecurityGroup]:
        # Public subnets and no NAT gateway: an idle queue then costs nothing. Instances take no inbound
        # traffic (the security group admits none); S3 traffic stays on the gateway endpoint.
        vpc = ec2.Vpc(self, "BatchVpc", max_azs=3, nat_gateways=0,
                      subnet_configuration=[ec2.SubnetConfiguration(name="batch", subnet_type=ec2.SubnetType.PUBLIC,
                                                                    cidr_mask=20, map_public_ip_on_launch=True)],
                      gateway_endpoints={"S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)})
        flow_logs = logs.LogGroup(self, "BatchVpcFlowLogs", retention=retention(self.config.log_retention_days),
                                  removal_policy=removal_policy(self.config))
        vpc.add_flow_log("FlowLog", destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs))
        group = ec2.SecurityGroup(self, "BatchSecurityGroup", vpc=vpc, allow_all_outbound=True,
                                  description="Film Studio GPU Batch instances: outbound only")
        return vpc, group

    def _compute_environments(self) -> list[batch.ManagedEc2EcsComputeEnvironment]:
        instance_types = sorted({t for spec in self.families for t in spec.batch_instance_types})
        # One role for the instances of both environments: what the ECS agent needs (register, pull images,
        # ship logs); the jobs' own S3 access is their job role's.
        self.instance_role = iam.Role(
            self, "GpuInstanceRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description="Film Studio GPU Batch instances: the ECS container agent",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AmazonEC2ContainerServiceforEC2Role")])
        common = dict(
            instance_role=self.instance_role,
            vpc=self.vpc, vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            security_groups=[self.security_group], minv_cpus=0, maxv_cpus=self.config.gpu_batch_max_vcpus,
            instance_types=[ec2.InstanceType(t) for t in instance_types], use_optimal_instance_classes=False,
            # The NVIDIA ECS AMI: drivers and the container toolkit for the GPU resource requirement.
            images=[batch.EcsMachineImage(image_type=batch.EcsMachineImageType.ECS_AL2023_NVIDIA)])
        spot = batch.ManagedEc2EcsComputeEnvironment(
            self, "GpuSpotCompute", spot=True,
            allocation_strategy=batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED, **common)
        on_demand = batch.ManagedEc2EcsComputeEnvironment(
            self, "GpuOnDemandCompute", spot=False,
            allocation_strategy=batch.AllocationStrategy.BEST_FIT_PROGRESSIVE, **common)
        return [spot, on_demand]

    def _job_role(self, spec: GpuFamilySpec) -> iam.Role:
        role = iam.Role(self, f"{pascal(spec.family)}JobRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
                        description=f"Film Studio {spec.family} Batch jobs")
        for statement in self._container_statements(spec):
            role.add_to_policy(statement)
        return role

    def _job_definition(self, spec: GpuFamilySpec) -> batch.EcsJobDefinition:
        cid = pascal(spec.family)
        log_group = logs.LogGroup(self, f"{cid}JobLogs", retention=retention(self.config.log_retention_days),
                                  removal_policy=removal_policy(self.config))
        container = batch.EcsEc2ContainerDefinition(
            self, f"{cid}JobContainer", image=ecs.ContainerImage.from_docker_image_asset(self.images[spec.family]),
            cpu=spec.batch_vcpus, memory=Size.mebibytes(spec.batch_memory_mb), gpu=1,
            # gpu_submit passes the request object as the job's `request` parameter.
            command=["--request", "Ref::request"], job_role=self.job_roles[spec.family],
            environment={"FILMSTUDIO_MODEL_S3": self.weights_uri, "FILMSTUDIO_MODEL_DIR": CONTAINER_MODEL_DIR,
                         **self._container_env(spec)},
            logging=ecs.LogDriver.aws_logs(stream_prefix=spec.family, log_group=log_group))
        return batch.EcsJobDefinition(
            self, f"{cid}JobDefinition", container=container,
            job_definition_name=gpu_name(self.config.prefix, spec.job_definition_name),
            timeout=Duration.seconds(spec.batch_timeout_s), propagate_tags=True,
            # A reclaimed Spot instance is retried (on whichever environment has capacity); a failing
            # request is not: the callback reports its reason at once.
            retry_attempts=3, retry_strategies=[
                batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
                batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom(on_reason="*"))])

    def _batch_events(self) -> None:
        queue_arn = self.job_queue.job_queue_arn
        self.batch_rule = events.Rule(
            self, "GpuBatchJobsDone", rule_name=gpu_name(self.config.prefix, BATCH_RULE),
            description="The GPU queue's finished Batch jobs: gpu_callback completes or fails their tasks",
            event_pattern=events.EventPattern(source=["aws.batch"], detail_type=["Batch Job State Change"],
                                              detail={"status": ["SUCCEEDED", "FAILED"], "jobQueue": [queue_arn]}),
            targets=[targets.LambdaFunction(self.callback, retry_attempts=4)])
        # Nothing heartbeats a request still waiting in a backlog (an endpoint waking from zero takes
        # minutes, past the tasks' HeartbeatSeconds): gpu_callback's schedule beats every waiting task.
        self.keeper_rule = events.Rule(
            self, "GpuTaskKeeper", rule_name=gpu_name(self.config.prefix, KEEPER_RULE),
            description="Heartbeat every studio task still waiting for a GPU result (gpu_callback)",
            schedule=events.Schedule.rate(KEEPER_EVERY), targets=[targets.LambdaFunction(self.callback, retry_attempts=2)])
        # Every state change of the queue's jobs, kept for the dashboard (queue depth, from the latest state
        # of each job) and for operators: Batch publishes no queue-depth metric.
        log_group = logs.LogGroup(self, "GpuBatchJobEvents", log_group_name=batch_events_log_group_name(self.config),
                                  retention=retention(self.config.log_retention_days),
                                  removal_policy=removal_policy(self.config))
        logs.CfnResourcePolicy(
            self, "GpuBatchJobEventsDelivery", policy_name=f"{gpu_name(self.config.prefix, topology.GPU_QUEUE)}-events",
            policy_document=Stack.of(self).to_json_string({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow",
                               "Principal": {"Service": ["events.amazonaws.com", "delivery.logs.amazonaws.com"]},
                               "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                               "Resource": f"{log_group.log_group_arn}"}]}))
        events.CfnRule(
            self, "GpuBatchJobStates",
            description="Every state change of the GPU queue's Batch jobs, to a log group for the dashboard",
            event_pattern={"source": ["aws.batch"], "detail-type": ["Batch Job State Change"],
                           "detail": {"jobQueue": [queue_arn]}},
            # The log group's ARN without the ":*" stream suffix: what EventBridge takes as a logs target.
            targets=[events.CfnRule.TargetProperty(id="JobStateLog", arn=self.format_arn(
                service="logs", resource="log-group", resource_name=log_group.log_group_name,
                arn_format=ArnFormat.COLON_RESOURCE_NAME))])

    # -- cdk-nag --------------------------------------------------------------------------------------

    def _printed(self, value: str, pseudo: str) -> str:
        return f"<{pseudo}>" if Token.is_unresolved(value) else value

    def _acknowledgments(self) -> None:
        account, region = self._printed(self.account, "AWS::AccountId"), self._printed(self.region, "AWS::Region")
        bucket = media_bucket_name(self.config.prefix, account, region)
        for spec in self.families:
            reads = [f"Resource::arn:<AWS::Partition>:s3:::{bucket}/{p}" for p in _CONTAINER_READS]
            writes = [f"Resource::arn:<AWS::Partition>:s3:::{bucket}/{p}" for p in container_writes(spec)]
            for role in (self.execution_roles[spec.family], self.job_roles[spec.family]):
                nag.acknowledge(
                    role, "AwsSolutions-IAM5",
                    "Object keys are content hashes and per-job ids: reads are confined to the weights, the "
                    "request objects, stage outputs and jobs' generated files, writes to this family's stage "
                    "outputs and the GPU output/failure prefixes; the weights are never writable.",
                    findings=reads + writes)
            nag.acknowledge(
                self.execution_roles[spec.family], "AwsSolutions-IAM5",
                "ecr:GetAuthorizationToken and cloudwatch:PutMetricData (conditioned on the endpoints' "
                "metric namespace) have no resource-level permission, and SageMaker names the endpoint's "
                "log streams itself under its own /aws/sagemaker/Endpoints/<endpoint> group.",
                findings=["Resource::*",
                          f"Resource::arn:<AWS::Partition>:logs:{region}:{account}:log-group:"
                          f"/aws/sagemaker/Endpoints/{self.endpoint_name(spec)}:*"])
            nag.acknowledge(
                self.endpoint_configs[spec.family], "AwsSolutions-SM2",
                "g4dn, g5 and g6e instances have NVMe instance storage, which SageMaker encrypts itself; "
                "CreateEndpointConfig refuses a KmsKeyId for instances with local storage.")
        nag.acknowledge(
            self.instance_role, "AwsSolutions-IAM4",
            "AmazonEC2ContainerServiceforEC2Role is what AWS Batch documents for the ECS instance role; its "
            "actions are the ECS agent's own, and the jobs' data access is granted to their job roles only.",
            findings=["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"])
        for role in self.node.find_all():
            if isinstance(role, iam.Role) and role.node.path.endswith("ExecutionRole") and "JobContainer" in role.node.path:
                nag.acknowledge(
                    role, "AwsSolutions-IAM5",
                    "The Batch task execution role pulls the family image (ecr:GetAuthorizationToken has no "
                    "resource-level permission) and writes only the job definition's own log group.",
                    findings=["Resource::*"])
