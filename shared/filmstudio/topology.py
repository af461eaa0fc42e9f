"""The single source of truth for what the pipeline is made of.

The CDK app (`cdk/`) and the local cloud (`filmstudio.localcloud`) both iterate over
this module: functions (name, handler, packaging, memory, timeout, what each may
touch), tables (the PynamoDB models), the media bucket, and the state machine with
its ASL file and substitutions. A test asserts the synthesized template and the local
cloud agree with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal

from filmstudio import media_stages

REPO_ROOT = Path(__file__).resolve().parents[2]
NAME_PREFIX = "filmstudio"

Packaging = Literal["zip", "image"]


@dataclass(frozen=True)
class FunctionSpec:
    name: str  # logical name; the physical one is f"{NAME_PREFIX}-{name}" locally
    handler: str  # dotted module path and function, importable from the repo root
    packaging: Packaging
    memory_mb: int
    timeout_s: int
    description: str
    tables: tuple[str, ...] = ()  # Settings attributes of the tables it reads/writes
    # intake: read anything; write and delete only a job's generated files (the script a job starts
    # from, undone if the start fails) and delete only raw uploads (a rejected upload is dropped).
    bucket: Literal["none", "read", "intake", "read_write"] = "read_write"
    # logical names of functions it invokes: media stages asynchronously (gpu_submit), analyze
    # synchronously (intake's one analysis, see pipeline/analysis_cache.py)
    invokes: tuple[str, ...] = ()
    state_machine: Literal["none", "start", "callback", "control"] = "none"
    s3_trigger: bool = False  # fed by S3 ObjectCreated under the upload prefix
    jwt_secret: Literal["none", "read", "read_write"] = "none"  # the JWT signing key ring in Secrets Manager
    # Lambda's /tmp (EphemeralStorage), MB: 512 is the free default; benchmarks/bench_sizing.py measures the rest.
    ephemeral_mb: int = 512
    # hands studio tasks to the gpu stack's endpoints and Batch queue (its grants and names, cdk/pipeline.py)
    dispatches_gpu: bool = False

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def attr(self) -> str:
        return self.handler.rsplit(".", 1)[1]

    @property
    def local_name(self) -> str:
        return f"{NAME_PREFIX}-{self.name}"


def _fn(name: str, packaging: Packaging, memory_mb: int, timeout_s: int, description: str, **kw) -> FunctionSpec:
    return FunctionSpec(name, f"functions.{name}.handler.handler", packaging, memory_mb, timeout_s, description, **kw)


# Media stages that the submit Lambda dispatches (with a task token) by tier: the rows of
# filmstudio/media_stages.py, which also give each its function below and its state in the ASL.
MEDIA_STAGES: tuple[str, ...] = media_stages.names()


def _media_fn(row: media_stages.MediaStage) -> FunctionSpec:
    return _fn(row.name, "image", row.memory_mb, row.timeout_s, row.description, tables=("jobs_table",),
               state_machine="callback", ephemeral_mb=row.ephemeral_mb)


FUNCTIONS: tuple[FunctionSpec, ...] = (
    _fn("api", "zip", 1024, 29, "REST API: FastAPI through Mangum (auth, projects, assets, jobs, credits)",
        tables=("users_table", "refresh_tokens_table", "projects_table", "assets_table", "jobs_table",
                "ledger_table", "idempotency_table"), state_machine="control", jwt_secret="read_write",
        invokes=("analyze",)),
    _fn("authorizer", "zip", 256, 10, "API Gateway Lambda authorizer: verifies RS256 access tokens",
        tables=(), bucket="none", jwt_secret="read"),
    _fn("ingest", "zip", 512, 60, "S3 upload -> job record + execution (idempotent per object version)",
        tables=("jobs_table", "projects_table", "assets_table", "idempotency_table"), bucket="intake",
        state_machine="start", invokes=("analyze",),
        s3_trigger=True),
    _fn("analyze", "image", 2048, 120, "Detect language and parse the script into scenes, characters and lines",
        tables=("jobs_table",)),
    _fn("plan", "image", 1024, 60, "Shot list, durations, character bible and the content-addressed work manifest",
        tables=("jobs_table",)),
    _fn("gpu_submit", "zip", 256, 30, "Dispatch a media task by tier: async Lambda (preview) or a GPU endpoint (studio)",
        # callback: a task whose artifacts are all cached (or whose job ended) is reported at once
        tables=("jobs_table", "gpu_tasks_table"), bucket="read", invokes=MEDIA_STAGES, state_machine="callback",
        dispatches_gpu=True),
    # jobs_table: the GPU-seconds a container reported, a fallback's note, the stage's span
    _fn("gpu_callback", "zip", 256, 30, "GPU completion notification -> Step Functions task success/failure",
        tables=("jobs_table", "gpu_tasks_table"), bucket="read", state_machine="callback"),
    *(_media_fn(row) for row in media_stages.STAGES),
    # 3008 MB: the most an account at the default Lambda memory quota may configure (cdk config
    # `memory_mb` raises it where the quota allows). /tmp holds every clip, line and cue plus the film.
    _fn("compose", "image", 3008, 900, "Cut, mix, subtitle and encode the film", tables=("jobs_table",),
        ephemeral_mb=4096),
    _fn("publish", "zip", 512, 60, "Write outputs, settle credits, mark the job SUCCEEDED",
        tables=("jobs_table", "users_table", "ledger_table")),
    _fn("fail", "zip", 512, 60, "Mark the job FAILED with stage and reason, refund credits",
        tables=("jobs_table", "users_table", "ledger_table"), bucket="none"),
    _fn("rotate_keys", "zip", 256, 60, "Scheduled: add a JWT signing key to the ring, drop keys no token names",
        tables=(), bucket="none", jwt_secret="read_write"),
)


GpuBackend = Literal["endpoint", "batch"]


@dataclass(frozen=True)
class GpuFamilySpec:
    """One GPU container family (`gpu_containers/<family>/`): the studio stages it serves and where it runs.

    Each family is one SageMaker asynchronous endpoint that scales to zero, and one Batch job
    definition on the shared GPU queue. A stage goes to the endpoint unless its work is longer
    than `batch_over_s` seconds of media (a long clip or cue would outlive the endpoint's
    invocation limit) or the job asks for bulk rendering; then it goes to Batch.
    """

    family: str
    stages: tuple[str, ...]
    instance_type: str = "ml.g5.xlarge"  # g4dn and g6e selectable in cdk config `gpu_instance_type`
    min_capacity: int = 0  # scale to zero: an idle GPU costs about $1/hour
    max_capacity: int = 2
    max_concurrent_invocations: int = 1  # per instance: one diffusion pipeline fills a 24 GB GPU
    batch_instance_types: tuple[str, ...] = ("g5.xlarge", "g4dn.xlarge")
    batch_vcpus: int = 4
    batch_memory_mb: int = 15000
    batch_over_s: float = 60.0
    batch_timeout_s: int = 4 * 3600  # a Batch job: long clips and bulk renders, past the endpoint's hour
    invocation_timeout_s: int = 3600  # SageMaker async: the most one request may run
    # Target tracking's goal for the endpoint's ApproximateBacklogSizePerInstance: with one request at a
    # time per GPU, two waiting per instance adds an instance before a queue of minutes builds up.
    target_backlog_per_instance: float = 2.0

    @property
    def local_name(self) -> str:
        return f"{NAME_PREFIX}-{self.family}"

    @property
    def endpoint_name(self) -> str:
        return f"{NAME_PREFIX}-{self.family}"

    @property
    def job_definition_name(self) -> str:
        return f"{NAME_PREFIX}-{self.family}"

    # The endpoint's AsyncInferenceConfig notifies these SNS topics; gpu_callback is subscribed to both.
    @property
    def success_topic_name(self) -> str:
        return f"{NAME_PREFIX}-{self.family}-success"

    @property
    def error_topic_name(self) -> str:
        return f"{NAME_PREFIX}-{self.family}-error"


GPU_FAMILIES: tuple[GpuFamilySpec, ...] = (
    GpuFamilySpec("visual", ("storyboard", "motion")),
    GpuFamilySpec("music", ("music",)),
    GpuFamilySpec("voice", ("speech",), instance_type="ml.g4dn.xlarge"),
)
GPU_QUEUE = f"{NAME_PREFIX}-gpu"  # the one Batch job queue every family's job definition runs on
MODEL_WEIGHTS_PREFIX = "models/"  # the model directory in the media bucket, read-only to the containers
GPU_REQUESTS_PREFIX = "gpu/requests/"  # request objects gpu_submit writes (one per task)
GPU_OUTPUTS_PREFIX = "gpu/outputs/"  # AsyncInferenceConfig S3OutputPath
GPU_FAILURES_PREFIX = "gpu/failures/"  # AsyncInferenceConfig S3FailurePath


def gpu_family(stage: str) -> GpuFamilySpec:
    for spec in GPU_FAMILIES:
        if stage in spec.stages:
            return spec
    raise KeyError(stage)


def function(name: str) -> FunctionSpec:
    for spec in FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(name)


@dataclass(frozen=True)
class BucketSpec:
    name: str  # logical
    local_name: str
    # ObjectCreated for a key matching this EventBridge wildcard starts a job (storage/keys.py's layout).
    # S3 notification filters allow only a prefix and a suffix, and uploads sit in the middle of the key,
    # so the bucket sends its events to EventBridge and a rule with this pattern targets ingest.
    upload_keys: str = "users/*/projects/*/raw/*"
    upload_suffixes: tuple[str, ...] = ()

    def upload_event_pattern(self, bucket_name: str) -> dict:
        """The EventBridge pattern of the S3 trigger: the same dict in the CDK rule and the local cloud."""
        keys = [f"{self.upload_keys}{suffix}" for suffix in self.upload_suffixes] or [self.upload_keys]
        return {"source": ["aws.s3"], "detail-type": ["Object Created"],
                "detail": {"bucket": {"name": [bucket_name]},
                           "object": {"key": [{"wildcard": key} for key in keys]}}}


MEDIA_BUCKET = BucketSpec("media", f"{NAME_PREFIX}-media")


@dataclass(frozen=True)
class StateMachineSpec:
    name: str
    asl_path: Path
    # ASL placeholder -> logical function name whose ARN replaces it
    function_arns: dict[str, str] = field(default_factory=dict)
    # the task state every media stage's state is made from, where the ASL's "MediaStages" markers say
    media_task_path: Path | None = None

    @property
    def local_name(self) -> str:
        return f"{NAME_PREFIX}-{self.name}"

    def template(self) -> str:
        """The ASL file with the media stages' states put in (media_stages.expand), `${Placeholder}`s kept:
        what the CDK app deploys with its DefinitionSubstitutions."""
        definition = json.loads(self.asl_path.read_text(encoding="utf-8"))
        if self.media_task_path is not None:
            task = json.loads(self.media_task_path.read_text(encoding="utf-8"))
            definition = media_stages.expand(definition, task)
        return json.dumps(definition, indent=2)

    def definition(self, substitutions: dict[str, str]) -> str:
        """The template with `${Placeholder}`s replaced, exactly as CDK's DefinitionSubstitutions do."""
        text = self.template()
        for key, value in substitutions.items():
            text = text.replace("${" + key + "}", value)
        if "${" in text:
            missing = sorted(set(part.split("}", 1)[0] for part in text.split("${")[1:]))
            raise ValueError(f"unsubstituted placeholders in {self.asl_path.name}: {missing}")
        json.loads(text)  # a broken definition fails here, not inside Step Functions
        return text

    def substitutions(self, function_arn: Callable[[str], str]) -> dict[str, str]:
        return {placeholder: function_arn(fn) for placeholder, fn in self.function_arns.items()}


FILM_STATE_MACHINE = StateMachineSpec(
    name="film",
    asl_path=REPO_ROOT / "state_machines" / "film.asl.json",
    media_task_path=REPO_ROOT / "state_machines" / "media_task.asl.json",
    function_arns={
        "AnalyzeFunctionArn": "analyze",
        "PlanFunctionArn": "plan",
        "GpuSubmitFunctionArn": "gpu_submit",
        "ComposeFunctionArn": "compose",
        "PublishFunctionArn": "publish",
        "FailFunctionArn": "fail",
    },
)

STATE_MACHINES: tuple[StateMachineSpec, ...] = (FILM_STATE_MACHINE,)


def table_specs() -> dict[str, type]:
    """Settings attribute -> PynamoDB model, for every table the project defines."""
    # Imported here so that importing the topology stays cheap for the CDK app's tooling.
    import filmstudio.db.records  # noqa: F401  (registers the pipeline's models)
    import filmstudio.db.accounts  # noqa: F401  (users, tokens, credits: the API's models)
    from filmstudio.db.base import table_models

    return {attr: model for model, attr in table_models().items()}


def function_environment(
    spec: FunctionSpec,
    *,
    table_name: Callable[[str], str],
    bucket_name: str,
    function_name: Callable[[str], str],
    state_machine_arn: str | None,
    jwt_secret_name: str | None = None,
    region: str | None = None,
) -> dict[str, str]:
    """The environment a function gets, the same on AWS (tokens) and locally (names)."""
    env = {"FILMSTUDIO_BUCKET": bucket_name, "POWERTOOLS_SERVICE_NAME": f"{NAME_PREFIX}-{spec.name}"}
    for attr in spec.tables:
        env[f"FILMSTUDIO_{attr.upper()}"] = table_name(attr)
    stages = [name for name in spec.invokes if name in MEDIA_STAGES]
    if stages:
        env["FILMSTUDIO_STAGE_FUNCTIONS"] = json.dumps({name: function_name(name) for name in stages})
    if "analyze" in spec.invokes:
        env["FILMSTUDIO_ANALYZE_FUNCTION"] = function_name("analyze")
    if spec.state_machine in ("start", "control") and state_machine_arn:
        env["FILMSTUDIO_STATE_MACHINE_ARN"] = state_machine_arn
    if spec.jwt_secret != "none" and jwt_secret_name:
        env["FILMSTUDIO_JWT_SECRET_NAME"] = jwt_secret_name
    if region:
        env["FILMSTUDIO_REGION"] = region
    return env
