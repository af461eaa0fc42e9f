"""The studio tier's GPU side in the local cloud (DESIGN §4): endpoints and Batch as a local worker pool.

Provisioned from the topology's GPU_FAMILIES, as the gpu stack provisions them on AWS:
per family a success and an error SNS topic subscribed by `gpu_callback`, a SageMaker
model, an endpoint config whose AsyncInferenceConfig names the output and failure paths
and the topics, and the endpoint; for Batch, the GPU job queue (on an unmanaged compute
environment: there are no instances here), a job definition per family, and the
EventBridge rule on "Batch Job State Change" events to `gpu_callback`.

moto answers `invoke_endpoint_async` and `submit_job` with canned data; here both hand the
request to a bounded pool of local workers instead, which run the container's own
inference code (`studio.handler`'s model_fn / input_fn / predict_fn / output_fn) in-process
against `FILMSTUDIO_MODEL_DIR`. An endpoint request's worker writes the answer where the
AsyncInferenceConfig says and publishes SageMaker's notification to the topic, which moto
delivers to the callback function; a Batch job's worker writes the response beside the
output (as the Batch entry does) and puts the state-change event on EventBridge. The
keeper's schedule (a heartbeat for every waiting task) runs on a timer, as EventBridge
Scheduler would run it.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

from filmstudio import aws, topology
from filmstudio.studio.contract import FAILURE_SUFFIX, RESPONSE_SUFFIX, failure_record

log = logging.getLogger(__name__)

# The same names the gpu stack gives these rules (cdk/gpu.py).
BATCH_RULE = f"{topology.GPU_QUEUE}-batch-state"
KEEPER_RULE = f"{topology.GPU_QUEUE}-keeper"
ENDPOINT_VARIANT = "AllTraffic"


def topic_names(family: topology.GpuFamilySpec) -> tuple[str, str]:
    return f"{family.local_name}-success", f"{family.local_name}-error"


def output_paths(bucket: str, family: topology.GpuFamilySpec) -> tuple[str, str]:
    return (f"s3://{bucket}/{topology.GPU_OUTPUTS_PREFIX}{family.family}/",
            f"s3://{bucket}/{topology.GPU_FAILURES_PREFIX}{family.family}/")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class LocalGpu:
    """The local stand-in for the GPU stack: provisioning, moto patches, and the worker pool."""

    def __init__(self, *, region: str, account: str, bucket: str, callback_arn: str, role_arn: str,
                 workers: int = 2, keeper_every_s: float | None = None, events: Any = None):
        self.region, self.account, self.bucket = region, account, bucket
        self.callback_arn, self.role_arn = callback_arn, role_arn
        # Bounded: each engine holds its own pipeline lock, so workers only overlap different models.
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="gpu-worker")
        self.pending: list[Future] = []
        self._lock = threading.Lock()
        self._models: dict[str, Any] = {}
        self._model_lock = threading.Lock()
        self._saved: dict[tuple[Any, str], Any] = {}
        self._stop = threading.Event()
        self._keeper_every_s = keeper_every_s
        # The local cloud's EventBridge -> Lambda delivery (localcloud/eventbridge.py) where it has one:
        # Batch's state changes are put on the bus through it, as the Batch service emits them.
        self.events = events
        self._keeper: threading.Thread | None = None
        self.handled: list[dict[str, Any]] = []  # what the workers ran (for tests and `filmstudio serve` logs)

    # -- provisioning ---------------------------------------------------------------------
    def provision(self) -> None:
        sns, sm = aws.client("sns"), aws.client("sagemaker")
        for family in topology.GPU_FAMILIES:
            arns = []
            for name in topic_names(family):
                arn = sns.create_topic(Name=name)["TopicArn"]
                sns.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=self.callback_arn)
                arns.append(arn)
            out, failures = output_paths(self.bucket, family)
            sm.create_model(ModelName=family.local_name, ExecutionRoleArn=self.role_arn, PrimaryContainer={
                "Image": f"{self.account}.dkr.ecr.{self.region}.amazonaws.com/{family.local_name}:local",
                "Environment": {"FILMSTUDIO_MODEL_S3": f"s3://{self.bucket}/{topology.MODEL_WEIGHTS_PREFIX}"}})
            sm.create_endpoint_config(
                EndpointConfigName=family.local_name,
                ProductionVariants=[{"VariantName": ENDPOINT_VARIANT, "ModelName": family.local_name,
                                     "InstanceType": family.instance_type, "InitialInstanceCount": 1}],
                AsyncInferenceConfig={
                    "ClientConfig": {"MaxConcurrentInvocationsPerInstance": family.max_concurrent_invocations},
                    "OutputConfig": {"S3OutputPath": out, "S3FailurePath": failures,
                                     "NotificationConfig": {"SuccessTopic": arns[0], "ErrorTopic": arns[1]}}})
            sm.create_endpoint(EndpointName=family.endpoint_name, EndpointConfigName=family.local_name)
        batch = aws.client("batch")
        env = batch.create_compute_environment(computeEnvironmentName=f"{topology.NAME_PREFIX}-gpu",
                                               type="UNMANAGED", state="ENABLED",
                                               serviceRole=self.role_arn)["computeEnvironmentArn"]
        batch.create_job_queue(jobQueueName=topology.GPU_QUEUE, state="ENABLED", priority=1,
                               computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env}])
        for family in topology.GPU_FAMILIES:
            batch.register_job_definition(
                jobDefinitionName=family.job_definition_name, type="container",
                containerProperties={
                    "image": f"{self.account}.dkr.ecr.{self.region}.amazonaws.com/{family.local_name}:local",
                    "command": ["--request", "Ref::request"],  # after the image's entrypoint, as on AWS
                    "resourceRequirements": [{"type": "VCPU", "value": str(family.batch_vcpus)},
                                             {"type": "MEMORY", "value": str(family.batch_memory_mb)},
                                             {"type": "GPU", "value": "1"}]})
        events = aws.client("events")
        events.put_rule(Name=BATCH_RULE, EventPattern=json.dumps({
            "source": ["aws.batch"], "detail-type": ["Batch Job State Change"],
            "detail": {"jobQueue": [self._queue_arn()], "status": ["SUCCEEDED", "FAILED"]}}))
        events.put_targets(Rule=BATCH_RULE, Targets=[{"Id": "gpu-callback", "Arn": self.callback_arn}])
        if self._keeper_every_s and self._keeper is None:  # once gpu_callback exists to be invoked
            self._keeper = threading.Thread(target=self._keep, daemon=True, name="gpu-keeper")
            self._keeper.start()

    def _queue_arn(self) -> str:
        return f"arn:aws:batch:{self.region}:{self.account}:job-queue/{topology.GPU_QUEUE}"

    # -- patching moto ----------------------------------------------------------------------
    def install(self) -> None:
        from moto.batch.models import BatchBackend
        from moto.batch.exceptions import ClientException
        from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

        gpu = self

        def invoke_endpoint_async(response: SageMakerRuntimeResponse):
            endpoint = response.path.split("/")[2]
            location = response.headers.get("X-Amzn-SageMaker-InputLocation")
            inference_id = response.headers.get("X-Amzn-SageMaker-Inference-Id") or str(uuid.uuid4())
            family = next((f for f in topology.GPU_FAMILIES if f.endpoint_name == endpoint), None)
            if family is None or not location:
                body = {"message": f"Could not find endpoint \"{endpoint}\"." if family is None
                        else "InputLocation is required"}
                return 400, {"x-amzn-ErrorType": "ValidationError"}, json.dumps(body)
            out, failures = gpu.async_paths(endpoint)
            gpu.submit(gpu.run_endpoint_request, family, endpoint, location, inference_id, out, failures)
            return 202, {"X-Amzn-SageMaker-OutputLocation": f"{out}{inference_id}.out",
                         "X-Amzn-SageMaker-FailureLocation": f"{failures}{inference_id}-error.out"}, \
                json.dumps({"InferenceId": inference_id})

        def submit_job(backend: BatchBackend, job_name: str, job_def_id: str, job_queue: str, *args, **kwargs):
            job_def, queue = backend.get_job_definition(job_def_id), backend.get_job_queue(job_queue)
            if job_def is None:
                raise ClientException(f"Job definition {job_def_id} does not exist")
            if queue is None:
                raise ClientException(f"Job queue {job_queue} does not exist")
            family = next((f for f in topology.GPU_FAMILIES if f.job_definition_name == job_def.name), None)
            overrides = kwargs.get("container_overrides") or {}
            command = list(overrides.get("command") or job_def.container_properties.get("command") or [])
            params = {**(job_def.parameters or {}), **(kwargs.get("parameters") or {})}
            command = [params.get(c[5:], c) if c.startswith("Ref::") else c for c in command]
            job_id = str(uuid.uuid4())
            arn = f"arn:aws:batch:{gpu.region}:{gpu.account}:job/{job_id}"
            if family is None or "--request" not in command:
                raise ClientException(f"job definition {job_def.name} is not a filmstudio GPU family's")
            request_uri = command[command.index("--request") + 1]
            gpu.submit(gpu.run_batch_job, family, job_name, job_id, queue.arn, job_def.arn, request_uri)
            return job_name, job_id, arn

        from moto.sagemaker.models import FakeEndpointConfig

        known = FakeEndpointConfig.validate_instance_type

        def validate_instance_type(config: FakeEndpointConfig, instance_type: str) -> None:
            # moto's list predates g5 and g6e, which the topology's families run on.
            if not instance_type.startswith(("ml.g5.", "ml.g6e.", "ml.g6.")):
                known(config, instance_type)

        self._patch(FakeEndpointConfig, "validate_instance_type", validate_instance_type)
        self._patch(SageMakerRuntimeResponse, "invoke_endpoint_async", invoke_endpoint_async)
        self._patch(BatchBackend, "submit_job", submit_job)
        if self.events is None:
            self._deliver_rules_to_lambda()

    def _deliver_rules_to_lambda(self) -> None:
        """moto's EventBridge has no Lambda targets: deliver an event matching a rule to a target
        function (asynchronously, as EventBridge invokes Lambda), other targets as moto does. Only
        where the local cloud brings no delivery of its own (`events`)."""
        from moto.awslambda.utils import get_backend
        from moto.events.models import Rule
        from moto.utilities.arns import parse_arn

        original = Rule.send_to_targets
        if getattr(original, "delivers_lambda", False):
            return  # the local cloud already delivers to functions

        def send_to_targets(rule: Rule, event: dict[str, Any], transform_input: bool = True) -> None:
            functions = [t for t in rule.targets if parse_arn(t["Arn"]).service == "lambda"]
            others = [t for t in rule.targets if t not in functions]
            if functions and rule.event_pattern.matches_event(event):
                for target in functions:
                    arn = parse_arn(target["Arn"])
                    fn = get_backend(arn.account, arn.region).get_function(target["Arn"])
                    fn.invoke(json.dumps(event), {"x-amz-invocation-type": "Event"}, {})
            if others:
                saved = rule.targets
                rule.targets = others
                try:
                    original(rule, event, transform_input)
                finally:
                    rule.targets = saved

        send_to_targets.delivers_lambda = True  # type: ignore[attr-defined]
        self._patch(Rule, "send_to_targets", send_to_targets)

    def _patch(self, owner: Any, name: str, fn: Any) -> None:
        self._saved[(owner, name)] = getattr(owner, name)
        setattr(owner, name, fn)

    def uninstall(self) -> None:
        self._stop.set()
        self.pool.shutdown(wait=True, cancel_futures=True)
        for (owner, name), original in self._saved.items():
            setattr(owner, name, original)
        self._saved.clear()

    def async_paths(self, endpoint: str) -> tuple[str, str]:
        """(S3OutputPath, S3FailurePath) from the endpoint's config, as SageMaker reads them: from the
        service's own records, not through an API call (which would be charged to the caller's role)."""
        from moto.sagemaker.models import sagemaker_backends

        backend = sagemaker_backends[self.account][self.region]
        config_name = backend.endpoints[endpoint].endpoint_config_name
        config = {"AsyncInferenceConfig": backend.endpoint_configs[config_name].async_inference_config}
        output = config["AsyncInferenceConfig"]["OutputConfig"]
        self._topics = getattr(self, "_topics", {})
        self._topics[endpoint] = output.get("NotificationConfig") or {}
        return output["S3OutputPath"], output.get("S3FailurePath") or output["S3OutputPath"]

    # -- the worker pool ----------------------------------------------------------------------
    def submit(self, fn, *args) -> Future:
        future = self.pool.submit(fn, *args)
        with self._lock:
            self.pending = [f for f in self.pending if not f.done()] + [future]
        return future

    def drain(self, timeout: float = 60) -> None:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                pending = [f for f in self.pending if not f.done()]
            if not pending:
                return
            try:
                pending[0].result(timeout=max(0.0, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001  (reported through the notification)
                continue

    def _model(self, family: str):
        from filmstudio.studio.handler import model_fn
        from filmstudio.studio.modeldir import model_dir

        with self._model_lock:  # one load per family, as one container loads its weights once
            if family not in self._models:
                root = model_dir()
                if root is None:
                    raise RuntimeError("FILMSTUDIO_MODEL_DIR is not set: the local GPU workers have no weights")
                self._models[family] = model_fn(root, family)
            return self._models[family]

    def _infer(self, family: str, body: bytes) -> bytes:
        """The container's four functions, exactly as the serving app calls them."""
        from filmstudio.studio.handler import input_fn, output_fn, predict_fn

        request = input_fn(body, "application/json")
        model = self._model(family)
        payload, _ = output_fn(predict_fn(request, model), "application/json")
        return payload

    def _read(self, uri: str) -> bytes:
        bucket, key = uri[5:].split("/", 1)
        return aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()

    def _write(self, uri: str, body: bytes, content_type: str) -> None:
        bucket, key = uri[5:].split("/", 1)
        aws.client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)

    def run_endpoint_request(self, family: topology.GpuFamilySpec, endpoint: str, location: str,
                             inference_id: str, out: str, failures: str) -> None:
        from filmstudio.studio.handler import RequestError, error_body

        received = _now()
        message: dict[str, Any] = {
            "awsRegion": self.region, "receivedTime": received, "inferenceId": inference_id,
            "requestParameters": {"contentType": "application/json", "endpointName": endpoint,
                                  "inputLocation": location},
            "eventVersion": "1.0", "eventSource": "aws:sagemaker", "eventName": "InferenceResult"}
        try:
            payload = self._infer(family.family, self._read(location))
            where = f"{out}{inference_id}.out"
            self._write(where, payload, "application/json")
            message.update(invocationStatus="Completed",
                           responseParameters={"contentType": "application/json", "outputLocation": where})
            topic = "SuccessTopic"
        except Exception as exc:  # noqa: BLE001  (any failure is the error notification's to report)
            if isinstance(exc, RequestError):
                status, body = exc.status, json.dumps(error_body(exc))
            else:
                log.exception("local GPU worker: %s request %s failed", family.family, inference_id)
                status, body = 500, json.dumps({"error": {"code": "INFERENCE_FAILED",
                                                          "message": f"{type(exc).__name__}: {exc}"}})
            where = f"{failures}{inference_id}-error.out"
            self._write(where, body.encode("utf-8"), "application/json")
            message.update(invocationStatus="Failed",
                           failureReason=f"ClientError: Received server error ({status}) from model. "
                                         "See the failure location for the model's answer.",
                           responseParameters={"contentType": "application/json", "failureLocation": where})
            topic = "ErrorTopic"
        message["eventTime"] = _now()
        self.handled.append({"backend": "endpoint", "family": family.family, "id": inference_id,
                             "status": message["invocationStatus"]})
        arn = (getattr(self, "_topics", {}).get(endpoint) or {}).get(topic)
        if arn:  # SageMaker sends nothing when no topic is configured
            aws.client("sns").publish(TopicArn=arn, Message=json.dumps(message))

    def run_batch_job(self, family: topology.GpuFamilySpec, name: str, job_id: str, queue_arn: str,
                      definition_arn: str, request_uri: str) -> None:
        from filmstudio.studio.handler import RequestError

        detail: dict[str, Any] = {"jobName": name, "jobId": job_id, "jobQueue": queue_arn,
                                  "jobDefinition": definition_arn, "createdAt": 0, "attempts": []}
        request: dict[str, Any] | None = None
        try:
            body = self._read(request_uri)
            try:
                request = json.loads(body)
            except ValueError:
                request = None
            payload = self._infer(family.family, body)
            # The Batch entry's answer, beside the output (studio/container.py run_batch).
            self._write(f"s3://{request['bucket']}/{request['output_key']}{RESPONSE_SUFFIX}", payload,
                        "application/json")
            detail.update(status="SUCCEEDED", statusReason="Essential container in task exited",
                          container={"exitCode": 0})
        except Exception as exc:  # noqa: BLE001
            code = exc.code if isinstance(exc, RequestError) else type(exc).__name__
            message = exc.message if isinstance(exc, RequestError) else str(exc)
            if not isinstance(exc, RequestError):
                log.exception("local GPU worker: Batch job %s failed", name)
            # As the container does (run_batch): its reason beside the output; Batch's own event
            # carries only the exit code.
            if isinstance(request, dict) and request.get("bucket") and request.get("output_key"):
                self._write(f"s3://{request['bucket']}/{request['output_key']}{FAILURE_SUFFIX}",
                            failure_record(request_uri, code, message), "application/json")
            detail.update(status="FAILED", statusReason="Essential container in task exited",
                          container={"exitCode": 2 if isinstance(exc, RequestError) else 1})
        self.handled.append({"backend": "batch", "family": family.family, "id": name, "status": detail["status"]})
        resources = [f"arn:aws:batch:{self.region}:{self.account}:job/{job_id}"]
        if self.events is not None:
            self.events.put({"source": "aws.batch", "detail-type": "Batch Job State Change", "detail": detail,
                             "resources": resources}, account=self.account, region=self.region)
            return
        aws.client("events").put_events(Entries=[{
            "Source": "aws.batch", "DetailType": "Batch Job State Change", "Detail": json.dumps(detail),
            "Resources": resources}])

    # -- the keeper's schedule ------------------------------------------------------------------
    def _keep(self) -> None:
        lam = None
        while not self._stop.wait(self._keeper_every_s):
            try:
                lam = lam or aws.client("lambda")
                lam.invoke(FunctionName=self.callback_arn, Payload=json.dumps({
                    "source": "aws.events", "detail-type": "Scheduled Event", "detail": {},
                    "resources": [f"arn:aws:events:{self.region}:{self.account}:rule/{KEEPER_RULE}"]}).encode())
            except Exception:  # noqa: BLE001  (the next beat tries again)
                log.warning("GPU keeper beat failed", exc_info=True)
