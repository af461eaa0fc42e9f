"""One Lambda per topology function, the film state machine, the S3 trigger and least-privilege grants."""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import Annotations, ArnFormat, CfnParameter, CfnRule, CfnRuleAssertion, Duration, Fn, Size, Stack, Tags, Token
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.aws_ecr_assets import Platform
from constructs import Construct

from filmstudio import topology
from filmstudio.storage.keys import GENERATED_KEYS_PATTERN, RAW_KEYS_PATTERN
from filmstudio.topology import FunctionSpec

from cdk import assets_staging, lambda_runtime, nag
from cdk.config import METRICS_NAMESPACE, StudioConfig
from cdk.naming import FUNCTION_TAG, function_id, function_name, media_bucket_name, table_name
from cdk.storage import removal_policy
from cdk.tables import TableShape

# One interpreter everywhere (cdk/lambda_runtime.py): the media image's base and the layer's wheels match it.
RUNTIME = lambda_.Runtime.PYTHON_3_13
if RUNTIME.name != lambda_runtime.lambda_runtime_name():
    raise RuntimeError(f"pipeline.RUNTIME {RUNTIME.name} differs from cdk/lambda_runtime.py")
ARCHITECTURE = lambda_.Architecture.X86_64

PLACEHOLDER_LAYER_REFUSAL = ("The dependencies layer is the placeholder: run `make layer` and synthesize again "
                             "before deploying.")
# An event for a media stage waits in Lambda's asynchronous queue no longer than its task's heartbeat
# window (HeartbeatSeconds in the ASL): later, the task has failed anyway.
ASYNC_EVENT_MAX_AGE = Duration.seconds(120)

# Which functions hold the JWT key ring is the topology's `FunctionSpec.jwt_secret` ("none", "read",
# "read_write"); the grants below give each exactly its access, on the one secret's ARN.

# Explicit actions instead of CDK's grant_* wildcards (s3:GetObject*, s3:List*...): what the code calls.
_S3_OBJECT_ACTIONS = {
    "read": ["s3:GetObject", "s3:GetObjectVersion"],
    "intake": ["s3:GetObject", "s3:GetObjectVersion"],  # plus the narrower grants in _grants
    # Multipart uploads of rendered video need AbortMultipartUpload; delete tidies half-written outputs.
    "read_write": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject",
                   "s3:AbortMultipartUpload"],
}
# ListBucket lets a missing cache key read as 404 (reuse check) rather than 403.
_S3_BUCKET_ACTIONS = ["s3:ListBucket"]
_DYNAMODB_ACTIONS = [
    "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
]
_SECRET_ACTIONS = {
    "read": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
    "read_write": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue"],
}

_STATE_MACHINE_ACTIONS = {
    "start": ["states:StartExecution"],
    "control": ["states:StartExecution"],
    "callback": ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
}
_EXECUTION_ACTIONS = {"control": ["states:StopExecution", "states:DescribeExecution"]}


class PipelineStack(Stack):
    """Exposes `functions` (topology name -> Function), `state_machine` and `state_machine_arn`.

    Storage is addressed by its fixed names (cdk/naming.py), not by cross-stack references: every IAM
    statement then names an exact ARN, and the upload trigger can live here without a stack cycle.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StudioConfig,
        table_shapes: dict[str, TableShape],
        functions: tuple[FunctionSpec, ...] = topology.FUNCTIONS,
        state_machine_spec: topology.StateMachineSpec = topology.FILM_STATE_MACHINE,
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.config = config
        self.specs = {spec.name: spec for spec in functions}
        missing = sorted({attr for spec in functions for attr in spec.tables} - set(table_shapes))
        if missing:
            raise ValueError(f"functions use tables no PynamoDB model defines: {missing}")
        repo_root = config.repo_root

        self.bucket_name = media_bucket_name(config.prefix, self.account, self.region)
        self.bucket_arn = self.format_arn(service="s3", region="", account="", resource=self.bucket_name)
        self.table_names = {attr: table_name(config.prefix, attr) for attr in table_shapes}
        self.table_shapes = table_shapes
        self.jwt_secret_name = config.jwt_secret_name

        # The state machine depends on every task function's ARN, and "start"/"control" functions need
        # its ARN in their environment and policy: a cycle if both referred to each other's attributes.
        # A deterministic name lets the ARN be computed (format_arn) instead of referenced.
        self.state_machine_name = config.state_machine_name
        self.state_machine_arn = self.format_arn(
            service="states",
            resource="stateMachine",
            resource_name=self.state_machine_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        self.execution_arns = self.format_arn(
            service="states",
            resource="execution",
            resource_name=f"{self.state_machine_name}:*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )

        self.layer = self._dependencies_layer()
        self.functions: dict[str, lambda_.Function] = {}
        for spec in functions:
            self.functions[spec.name] = self._function(spec, repo_root)
        for spec in functions:
            self._environment(spec)
            self._grants(spec)
            self._async_invoke_config(spec)

        self.state_machine = self._state_machine(state_machine_spec)
        self._record_unrecorded_ends()
        self._s3_triggers(functions)
        self._key_rotation_schedule()
        self._acknowledgments()

    # -- functions -------------------------------------------------------------------------------

    def _dependencies_layer(self) -> lambda_.LayerVersion:
        directory, built = assets_staging.layer_directory(self.config)
        layer = lambda_.LayerVersion(
            self,
            "DependenciesLayer",
            code=lambda_.Code.from_asset(str(directory)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="Third-party packages of the zip functions (cdk/layer-requirements.txt)",
        )
        if not built:
            Annotations.of(layer).add_warning_v2(
                "filmstudio:placeholderLayer",
                "Synthesized with the placeholder dependencies layer: run `python cdk/layer.py` (make layer) "
                "before deploying, or the zip functions fail on their first third-party import.",
            )
            self._refuse_deploy(PLACEHOLDER_LAYER_REFUSAL)
        return layer

    def _refuse_deploy(self, message: str) -> None:
        """Synth (and the tests) go on; CloudFormation refuses the stack before it creates anything.

        A template rule is checked when a change set is made, so `cdk deploy` stops with this one
        line instead of deploying functions that cannot import their dependencies."""
        state = CfnParameter(self, "DependenciesLayerState", type="String", default="placeholder",
                             allowed_values=["placeholder"],
                             description="Whether the dependencies layer was built (make layer) when synthesized")
        CfnRule(self, "DependenciesLayerBuilt", assertions=[CfnRuleAssertion(
            assert_=Fn.condition_equals(state.value_as_string, "built"), assert_description=message)])

    def _function(self, spec: FunctionSpec, repo_root: Path) -> lambda_.Function:
        fid = function_id(spec.name)
        log_group = logs.LogGroup(
            self,
            f"{fid}Logs",
            retention=retention(self.config.log_retention_days),
            removal_policy=removal_policy(self.config),
        )
        # An explicit role with write access to this function's own log group only, instead of the
        # AWSLambdaBasicExecutionRole managed policy (which may create and write any log group).
        role = iam.Role(self, f"{fid}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"Film Studio {spec.name} function")
        log_group.grant_write(role)
        common = dict(
            function_name=function_name(self.config.prefix, spec.name),
            description=spec.description[:256],
            memory_size=self.config.memory_mb.get(spec.name, spec.memory_mb),
            ephemeral_storage_size=Size.mebibytes(spec.ephemeral_mb),
            timeout=Duration.seconds(spec.timeout_s),
            architecture=ARCHITECTURE,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            role=role,
        )
        if spec.packaging == "image":
            fn = lambda_.DockerImageFunction(
                self,
                fid,
                code=lambda_.DockerImageCode.from_image_asset(
                    directory=str(repo_root),
                    file=assets_staging.MEDIA_DOCKERFILE,
                    cmd=[spec.handler],
                    platform=Platform.LINUX_AMD64,
                ),
                **common,
            )
        else:
            fn = lambda_.Function(
                self,
                fid,
                runtime=RUNTIME,
                handler=spec.handler,
                code=lambda_.Code.from_asset(str(assets_staging.stage_zip_code(spec, repo_root))),
                layers=[self.layer],
                **common,
            )
        fn.node.add_dependency(log_group)
        if not assets_staging.handler_file(spec, repo_root).is_file():
            Annotations.of(fn).add_warning_v2(
                "filmstudio:missingHandler",
                f"{spec.handler}: {assets_staging.handler_file(spec, repo_root).relative_to(repo_root)} does not exist yet",
            )
        Tags.of(fn).add(FUNCTION_TAG, spec.name)
        return fn

    def _async_invoke_config(self, spec: FunctionSpec) -> None:
        """Media stages run from gpu_submit's asynchronous invoke with a task token: the state machine owns
        retries, so Lambda retries none, and an invocation that dies without reporting (timeout, out of
        memory, a crash at import) goes to gpu_callback, which fails the waiting task at once instead of
        leaving it to its heartbeat timeout."""
        if spec.name not in topology.MEDIA_STAGES:
            return
        fn, callback = self.functions[spec.name], self.functions["gpu_callback"]
        # L1, not configure_async_invoke: CDK's LambdaDestination grants invoke on `<arn>:*` (every version)
        # too, and the destination is only ever the unqualified function.
        config = lambda_.CfnEventInvokeConfig(
            self, f"{function_id(spec.name)}AsyncInvoke", function_name=fn.function_name, qualifier="$LATEST",
            maximum_retry_attempts=0, maximum_event_age_in_seconds=int(ASYNC_EVENT_MAX_AGE.to_seconds()),
            destination_config=lambda_.CfnEventInvokeConfig.DestinationConfigProperty(
                on_failure=lambda_.CfnEventInvokeConfig.OnFailureProperty(destination=callback.function_arn)))
        fn.add_to_role_policy(iam.PolicyStatement(actions=["lambda:InvokeFunction"],
                                                  resources=[callback.function_arn]))
        # The destination is checked for invoke permission when the config is created.
        config.node.add_dependency(fn)

    def _environment(self, spec: FunctionSpec) -> None:
        fn = self.functions[spec.name]
        env = topology.function_environment(
            spec,
            table_name=lambda attr: self.table_names[attr],
            bucket_name=self.bucket_name,
            function_name=lambda name: function_name(self.config.prefix, name),
            state_machine_arn=self.state_machine_arn,
            jwt_secret_name=self.jwt_secret_name,
            region=self.region,
        )
        env.update(self._studio_environment(spec))
        env.setdefault("POWERTOOLS_LOG_LEVEL", self.config.log_level)
        env.setdefault("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE)
        for key, value in sorted(env.items()):
            fn.add_environment(key, value)

    def table_arns(self, attr: str) -> list[str]:
        """The table and each of its indexes, named one by one (no index/* wildcard)."""
        arn = self.format_arn(service="dynamodb", resource="table", resource_name=self.table_names[attr])
        shape = self.table_shapes[attr]
        return [arn] + [f"{arn}/index/{index.name}" for index in shape.global_indexes + shape.local_indexes]

    def _grants(self, spec: FunctionSpec) -> None:
        fn = self.functions[spec.name]
        statements: list[iam.PolicyStatement] = []
        if spec.tables:
            statements.append(iam.PolicyStatement(
                actions=_DYNAMODB_ACTIONS,
                resources=[arn for attr in spec.tables for arn in self.table_arns(attr)],
            ))
        if spec.bucket in _S3_OBJECT_ACTIONS:
            statements.append(iam.PolicyStatement(actions=_S3_OBJECT_ACTIONS[spec.bucket],
                                                  resources=[f"{self.bucket_arn}/*"]))
            statements.append(iam.PolicyStatement(actions=_S3_BUCKET_ACTIONS, resources=[self.bucket_arn]))
        if spec.bucket == "intake":
            statements.append(iam.PolicyStatement(actions=["s3:PutObject", "s3:DeleteObject"],
                                                  resources=[f"{self.bucket_arn}/{GENERATED_KEYS_PATTERN}"]))
            statements.append(iam.PolicyStatement(actions=["s3:DeleteObject"],
                                                  resources=[f"{self.bucket_arn}/{RAW_KEYS_PATTERN}"]))
        if spec.invokes:
            # The unqualified ARNs only: the code invokes $LATEST by name, never a version or alias.
            statements.append(iam.PolicyStatement(
                actions=["lambda:InvokeFunction"],
                resources=[self.functions[target].function_arn for target in spec.invokes],
            ))
        if spec.state_machine in _STATE_MACHINE_ACTIONS:
            statements.append(iam.PolicyStatement(actions=_STATE_MACHINE_ACTIONS[spec.state_machine],
                                                  resources=[self.state_machine_arn]))
        if spec.state_machine in _EXECUTION_ACTIONS:
            statements.append(iam.PolicyStatement(actions=_EXECUTION_ACTIONS[spec.state_machine],
                                                  resources=[self.execution_arns]))
        access = spec.jwt_secret
        if access != "none":
            # Secrets Manager appends six random characters to a secret's ARN.
            secret_arn = self.format_arn(service="secretsmanager", resource="secret",
                                         resource_name=f"{self.jwt_secret_name}-??????",
                                         arn_format=ArnFormat.COLON_RESOURCE_NAME)
            statements.append(iam.PolicyStatement(actions=_SECRET_ACTIONS[access], resources=[secret_arn]))
        statements += self._gpu_statements(spec)
        for statement in statements:
            fn.add_to_role_policy(statement)

    def _studio_environment(self, spec: FunctionSpec) -> dict[str, str]:
        """With the gpu stack: intake (the functions that start jobs) accepts tier=studio on the weights in S3,
        and gpu_submit learns the GPU resources' deployed names (a prefix renames them; filmstudio.settings
        `studio_weights`, `gpu_names`)."""
        if not self.config.studio:
            return {}
        from cdk.naming import gpu_name

        env = {}
        if spec.state_machine in ("start", "control"):
            env["FILMSTUDIO_STUDIO_WEIGHTS"] = "s3"
        if spec.dispatches_gpu:
            local = [topology.GPU_QUEUE] + [n for f in topology.GPU_FAMILIES
                                            for n in (f.endpoint_name, f.job_definition_name)]
            env["FILMSTUDIO_GPU_NAMES"] = json.dumps({n: gpu_name(self.config.prefix, n) for n in sorted(set(local))},
                                                     sort_keys=True)
        return env

    def gpu_dispatch_arns(self) -> dict[str, list[str]]:
        """The studio tier's targets by their fixed names (cdk/gpu.py): endpoints, the queue, job definitions."""
        from cdk.naming import gpu_name

        prefix = self.config.prefix
        definitions = [self.format_arn(service="batch", resource="job-definition",
                                       resource_name=gpu_name(prefix, f.job_definition_name)) for f in topology.GPU_FAMILIES]
        return {
            # SageMaker writes endpoint names into ARNs in lower case.
            "endpoints": [self.format_arn(service="sagemaker", resource="endpoint",
                                          resource_name=gpu_name(prefix, f.endpoint_name).lower())
                          for f in topology.GPU_FAMILIES],
            "queue": [self.format_arn(service="batch", resource="job-queue", resource_name=gpu_name(prefix, topology.GPU_QUEUE))],
            # SubmitJob names a definition with or without its revision.
            "definitions": definitions + [f"{arn}:*" for arn in definitions],
        }

    def _gpu_statements(self, spec: FunctionSpec) -> list[iam.PolicyStatement]:
        """gpu_submit hands studio tasks to the gpu stack's endpoints and Batch queue (only when it is deployed);
        gpu_callback's reads of the outputs, its task tokens and gpu_tasks come from its topology entry."""
        if not self.config.studio or not spec.dispatches_gpu:
            return []
        arns = self.gpu_dispatch_arns()
        return [
            iam.PolicyStatement(actions=["sagemaker:InvokeEndpointAsync"], resources=arns["endpoints"]),
            iam.PolicyStatement(actions=["batch:SubmitJob"], resources=arns["queue"] + arns["definitions"]),
            iam.PolicyStatement(actions=["s3:PutObject"],
                                resources=[f"{self.bucket_arn}/{topology.GPU_REQUESTS_PREFIX}*"]),
        ]

    # -- orchestration ---------------------------------------------------------------------------

    def _state_machine(self, spec: topology.StateMachineSpec) -> sfn.StateMachine:
        log_group = logs.LogGroup(
            self,
            "FilmStateMachineLogs",
            # The /aws/vendedlogs/ prefix keeps Step Functions' log delivery under the resource policy size limit.
            log_group_name=f"/aws/vendedlogs/states/{self.state_machine_name}",
            retention=retention(self.config.log_retention_days),
            removal_policy=removal_policy(self.config),
        )
        machine = sfn.StateMachine(
            self,
            "FilmStateMachine",
            state_machine_name=self.state_machine_name,
            state_machine_type=sfn.StateMachineType.STANDARD,
            # from_string, not from_file: from_file uploads the ASL as an S3 asset, which would hide the
            # definition from the template (and from the parity test that compares it with the local cloud).
            definition_body=sfn.DefinitionBody.from_string(spec.template()),  # the ASL with the media stages in
            definition_substitutions=spec.substitutions(lambda name: self.functions[name].function_arn),
            logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
            tracing_enabled=True,
        )
        # Exactly the functions the ASL names, unqualified (the definition uses plain ARNs).
        machine.add_to_role_policy(iam.PolicyStatement(
            actions=["lambda:InvokeFunction"],
            resources=[self.functions[name].function_arn for name in sorted(set(spec.function_arns.values()))],
        ))
        return machine

    def _record_unrecorded_ends(self) -> None:
        """An execution that times out (the definition's TimeoutSeconds) ends without running any Catch, so
        RecordFailure never sees it and the job would stay RUNNING with its credits held. Step Functions'
        status-change event reaches the fail function instead; the execution is named after the job, and
        fail ignores a job that is already terminal (the FAILED executions RecordFailure did record)."""
        events.Rule(
            self, "UnrecordedExecutionEnds",
            description="Film executions that timed out or failed: the fail function records and refunds them",
            event_pattern=events.EventPattern(
                source=["aws.states"], detail_type=["Step Functions Execution Status Change"],
                detail={"status": ["TIMED_OUT", "FAILED"], "stateMachineArn": [self.state_machine_arn]}),
            targets=[targets.LambdaFunction(self.functions["fail"], retry_attempts=4, event=events.RuleTargetInput.from_object({
                "job_id": events.EventField.from_path("$.detail.name"),
                "stage": "execution",
                "error": {"Error": events.EventField.from_path("$.detail.status"),
                          "Cause": "the film execution ended without recording its failure (e.g. its TimeoutSeconds)"},
            }))],
        )

    def _s3_triggers(self, functions: tuple[FunctionSpec, ...]) -> None:
        # S3 notification filters know only a prefix and a suffix, and uploads sit in the middle of the key
        # (users/{u}/projects/{p}/raw/{file}), so a notification would also fire for every generated and
        # final object. Instead the bucket sends its events to EventBridge and a rule whose `object.key`
        # wildcard matches uploads only targets ingest (the local cloud provisions the same pattern).
        # EventBridge is switched on through an imported reference, so it lives in this stack
        # (a `Custom::S3BucketNotifications` with `Managed: false`, which merges with other notifications).
        spec_bucket = topology.MEDIA_BUCKET
        imported = s3.Bucket.from_bucket_attributes(
            self, "MediaBucketNotifications", bucket_arn=self.bucket_arn, bucket_name=self.bucket_name)
        imported.enable_event_bridge_notification()
        pattern = spec_bucket.upload_event_pattern(self.bucket_name)
        for spec in functions:
            if not spec.s3_trigger:
                continue
            events.Rule(
                self, f"{function_id(spec.name)}Uploads",
                description=f"Uploads (keys {spec_bucket.upload_keys}) to the media bucket start {spec.name}",
                event_pattern=events.EventPattern(source=pattern["source"], detail_type=pattern["detail-type"],
                                                  detail=pattern["detail"]),
                # EventBridge retries a failed asynchronous invoke; ingest is idempotent per object version.
                targets=[targets.LambdaFunction(self.functions[spec.name], retry_attempts=4,
                                                max_event_age=Duration.hours(2))],
            )

    def _key_rotation_schedule(self) -> None:
        """rotate_keys adds a signing key to the JWT key ring and drops keys no live token names
        (auth/rotation.py); Secrets Manager's own rotation would replace the ring and drop live keys."""
        fn = self.functions.get("rotate_keys")
        if fn is None:
            return
        events.Rule(
            self, "JwtKeyRotation",
            description="Adds a JWT signing key to the key ring and drops keys no live token names",
            schedule=events.Schedule.rate(Duration.days(self.config.jwt_key_rotation_days)),
            targets=[targets.LambdaFunction(fn, retry_attempts=2)],
        )

    # -- cdk-nag ---------------------------------------------------------------------------------

    def _as_nag_prints_it(self, value: str, pseudo: str) -> str:
        # Finding IDs must be plain strings: cdk-nag prints unresolved pseudo parameters as <AWS::AccountId>,
        # and concrete ones (an app with a known account/region) as they are.
        return f"<{pseudo}>" if Token.is_unresolved(value) else value

    def _bucket_name_as_nag_prints_it(self) -> str:
        return media_bucket_name(self.config.prefix, self._as_nag_prints_it(self.account, "AWS::AccountId"),
                                 self._as_nag_prints_it(self.region, "AWS::Region"))

    def _acknowledgments(self) -> None:
        for name, fn in self.functions.items():
            nag.acknowledge(
                fn.role, "AwsSolutions-IAM5",
                "X-Ray trace submission (xray:PutTraceSegments/PutTelemetryRecords, added by active tracing) "
                "and ecr:GetAuthorizationToken (image functions) have no resource-level permissions.",
                findings=["Resource::*"],
            )
            if self.specs[name].packaging == "zip":
                # cdk-nag's L1 wants the newest Python this aws-cdk-lib knows (3.14). 3.13 is what is verified:
                # `make package-check` runs every zip function in a 3.13 interpreter against the layer's cp313
                # wheels, and the media image's base is python:3.13; no 3.14 interpreter checks a build here.
                nag.acknowledge(
                    fn, "AwsSolutions-L1",
                    f"Runs {RUNTIME.name} on Amazon Linux 2023, the newest runtime make package-check verifies: "
                    "it runs each zip function in a 3.13 interpreter against the cp313 layer, and the media "
                    "image's base is the same python:3.13. A newer runtime is adopted once that check runs on it.",
                )
        api = self.specs.get("api")
        if api is not None and api.state_machine in _EXECUTION_ACTIONS:
            nag.acknowledge(
                self.functions["api"].role, "AwsSolutions-IAM5",
                "Executions get generated names; the wildcard is confined to executions of the film state "
                "machine (execution:<name>:*) for stop/describe.",
                findings=[f"Resource::arn:<AWS::Partition>:states:"
                          f"{self._as_nag_prints_it(self.region, 'AWS::Region')}:"
                          f"{self._as_nag_prints_it(self.account, 'AWS::AccountId')}:execution:"
                          f"{self.state_machine_name}:*"],
            )
        for spec in self.specs.values():
            if spec.bucket in _S3_OBJECT_ACTIONS:
                nag.acknowledge(
                    self.functions[spec.name].role, "AwsSolutions-IAM5",
                    "Object keys are per user, project and job, so object access is granted on the media "
                    "bucket's keys (bucket/*); the actions are listed one by one.",
                    findings=[f"Resource::arn:<AWS::Partition>:s3:::{self._bucket_name_as_nag_prints_it()}/*"],
                )
            if spec.bucket == "intake":
                nag.acknowledge(
                    self.functions[spec.name].role, "AwsSolutions-IAM5",
                    "Intake writes (and on failure deletes) a job's script under generated/, and deletes a "
                    "rejected upload under raw/; each grant is confined to that part of every user's projects.",
                    findings=[f"Resource::arn:<AWS::Partition>:s3:::{self._bucket_name_as_nag_prints_it()}/{pattern}"
                              for pattern in (GENERATED_KEYS_PATTERN, RAW_KEYS_PATTERN)],
                )
        if self.config.studio:
            from cdk.naming import gpu_name

            region, account = (self._as_nag_prints_it(self.region, "AWS::Region"),
                               self._as_nag_prints_it(self.account, "AWS::AccountId"))
            for name in (spec.name for spec in topology.FUNCTIONS if spec.dispatches_gpu):
                if name not in self.functions:
                    continue
                nag.acknowledge(
                    self.functions[name].role, "AwsSolutions-IAM5",
                    "Request objects are one per task under the GPU requests prefix; SubmitJob names a job "
                    "definition by any revision, confined to the GPU families' own definitions.",
                    findings=[f"Resource::arn:<AWS::Partition>:s3:::{self._bucket_name_as_nag_prints_it()}/"
                              f"{topology.GPU_REQUESTS_PREFIX}*"]
                    + [f"Resource::arn:<AWS::Partition>:batch:{region}:{account}:job-definition/"
                       f"{gpu_name(self.config.prefix, f.job_definition_name)}:*" for f in topology.GPU_FAMILIES])
        nag.acknowledge(
            self.state_machine.role, "AwsSolutions-IAM5",
            "Step Functions log delivery (logs:CreateLogDelivery and friends) and X-Ray actions have no "
            "resource-level permissions; CDK adds them for logging and tracing.",
            findings=["Resource::*"],
        )
        for child in self.node.children:
            if child.node.id.startswith("BucketNotificationsHandler"):
                nag.acknowledge(
                    child, "AwsSolutions-IAM4",
                    "CDK's bucket-notifications custom resource handler only writes its logs through "
                    "AWSLambdaBasicExecutionRole; it runs at deploy time only.",
                    findings=["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
                )
                nag.acknowledge(
                    child, "AwsSolutions-IAM5",
                    "CDK grants its bucket-notifications handler s3:PutBucketNotification on '*' when the "
                    "bucket is referenced by name; it runs at deploy time only.",
                    findings=["Resource::*"],
                )


_RETENTION = {
    1: logs.RetentionDays.ONE_DAY, 3: logs.RetentionDays.THREE_DAYS, 7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS, 30: logs.RetentionDays.ONE_MONTH, 60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS, 180: logs.RetentionDays.SIX_MONTHS, 365: logs.RetentionDays.ONE_YEAR,
    731: logs.RetentionDays.TWO_YEARS,
}


def retention(days: int) -> logs.RetentionDays:
    """The shortest CloudWatch retention that keeps logs at least `days`."""
    for limit in sorted(_RETENTION):
        if limit >= days:
            return _RETENTION[limit]
    return _RETENTION[max(_RETENTION)]
