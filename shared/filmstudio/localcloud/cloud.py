"""Provision the topology in moto and run it in-process.

    with LocalCloud() as cloud:
        job = start_job(...)          # or put an object under users/.../raw/
        job = cloud.wait(job.job_id)

Everything is created from `filmstudio.topology` with the same names, environment and
ASL substitutions the CDK app uses; nothing in functions/ or filmstudio's stage code
knows it runs locally.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import time
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from filmstudio import aws, topology
from filmstudio.db.base import bind_tables
from filmstudio.jobs.store import JobStore
from filmstudio.localcloud import moto_fixes
from filmstudio.localcloud.datastore import DataStore, WriteThrough
from filmstudio.localcloud.eventbridge import EventBridgeDelivery
from filmstudio.localcloud.runtime import LocalLambdaRuntime
from filmstudio.malloc import limit_arenas
from filmstudio.models.job import Job
from filmstudio.settings import get_settings

ACCOUNT = "123456789012"  # moto's default account
SERVER_STOPPED = "the server stopped while the job was running"


def _dummy_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("README.txt", "Handlers run in-process from the repository (filmstudio.localcloud).")
    return buf.getvalue()


class LocalCloud:
    """`data_dir`: keep state in that directory's SQLite store (`datastore.py`), everything
    (`data_scope="all"`, `filmstudio serve`) or only the content-addressed cache (`"cache"`,
    `filmstudio render`); None keeps it in memory. `task_timing` ({"heartbeat_s", "timeout_s"})
    shortens the media tasks' HeartbeatSeconds/TimeoutSeconds, so tests of slow stages take seconds."""

    def __init__(self, *, region: str = "us-east-1", workers: int | None = None, data_dir: Path | None = None,
                 data_scope: str = "all", task_timing: dict[str, float] | None = None, gpu_workers: int = 2):
        self.region = region
        self.workers = workers or max(2, min(4, os.cpu_count() or 2))
        self.data_dir, self.data_scope, self.task_timing = data_dir, data_scope, task_timing
        self.store: DataStore | None = None
        self._write_through: WriteThrough | None = None
        self.restored: dict[str, int] = {}
        self.recovered: list[str] = []
        self.role_arn = f"arn:aws:iam::{ACCOUNT}:role/filmstudio-local-lambda"
        self.state_machine_arn = (
            f"arn:aws:states:{region}:{ACCOUNT}:stateMachine:{topology.FILM_STATE_MACHINE.local_name}")
        self._saved_env: dict[str, str | None] = {}
        self._mock = None
        self._fixes = None
        limit_arenas()  # before the runtime's threads exist (filmstudio/malloc.py)
        self.runtime = LocalLambdaRuntime(self.workers)
        self.events = EventBridgeDelivery(self.runtime)  # rules -> Lambda targets (moto has no such delivery)
        self.gpu = None  # the GPU stack's local stand-in (localcloud/gpu.py), made on entry
        self.gpu_workers = gpu_workers

    # -- environment ------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        """The union of every function's environment (they agree: one process runs them all)."""
        env = {
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": self.region, "AWS_REGION": self.region,
            "FILMSTUDIO_REGION": self.region, "FILMSTUDIO_STATE_MACHINE_ARN": self.state_machine_arn,
            # EMF metrics go to stdout for CloudWatch to pick up; locally there is no CloudWatch.
            "POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_METRICS_DISABLED": "true",
            # moto keeps an S3 object under this size in memory and a larger one in a temporary
            # file; at its 5 MB default a long film's hundreds of panels, clips and WAVs held
            # the process's memory in proportion to the film's length.
            "MOTO_S3_DEFAULT_KEY_BUFFER_SIZE": str(256 * 1024),
        }
        for spec in topology.FUNCTIONS:
            env.update(self.function_environment(spec))
        env.pop("POWERTOOLS_SERVICE_NAME", None)
        return env

    def function_environment(self, spec: topology.FunctionSpec) -> dict[str, str]:
        settings_defaults = get_settings().__class__.model_construct()
        return topology.function_environment(
            spec,
            table_name=lambda attr: getattr(settings_defaults, attr),
            bucket_name=topology.MEDIA_BUCKET.local_name,
            function_name=lambda name: topology.function(name).local_name,
            state_machine_arn=self.state_machine_arn,
            jwt_secret_name=settings_defaults.jwt_secret_name,
            region=self.region,
        )

    def function_arn(self, name: str) -> str:
        return f"arn:aws:lambda:{self.region}:{ACCOUNT}:function:{topology.function(name).local_name}"

    # -- lifecycle ----------------------------------------------------------------------
    def __enter__(self) -> "LocalCloud":
        from moto import mock_aws

        for key, value in self.environment().items():
            self._saved_env[key] = os.environ.get(key)
            os.environ[key] = value
        aws.reset()  # every per-process cache (settings, clients, tables, keys) now reads this cloud
        self._mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
        self._mock.start()
        self._fixes = ExitStack()
        self._fixes.enter_context(moto_fixes.applied())
        self.runtime.install()
        self.events.install()
        from filmstudio.localcloud.gpu import LocalGpu

        self.gpu = LocalGpu(region=self.region, account=ACCOUNT, bucket=get_settings().bucket,
                            callback_arn=self.function_arn("gpu_callback"), role_arn=self.role_arn,
                            workers=self.gpu_workers, keeper_every_s=get_settings().task_heartbeat_s,
                            events=self.events)
        self.gpu.install()
        try:
            if self.data_dir is not None:
                self.store = DataStore(self.data_dir, scope=self.data_scope)
                if self.data_scope == "all":
                    self.store.claim()
                self._write_through = WriteThrough(self.store)
                self._fixes.enter_context(self._write_through.applied())
            self.provision()
            if self._write_through is not None:
                self.restored = self._write_through.restore(ACCOUNT, self.region)
                if self.data_scope == "all":
                    self.recovered = self.recover_interrupted_jobs()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if self.gpu is not None:
                self.gpu.drain(timeout=30)
            self.runtime.drain(timeout=30)
        finally:
            if self.gpu is not None:
                self.gpu.uninstall()
                self.gpu = None
            self.events.uninstall()
            self.runtime.uninstall()
            if self._fixes is not None:
                self._fixes.close()
                self._fixes = None
            if self.store is not None:
                self.store.close()
                self.store = None
                self._write_through = None
            if self._mock is not None:
                self._mock.stop()
                self._mock = None
            for key, value in self._saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            aws.reset()

    # -- provisioning -------------------------------------------------------------------
    def provision(self) -> None:
        settings = get_settings()
        s3 = aws.client("s3")
        s3.create_bucket(Bucket=settings.bucket)
        s3.put_bucket_versioning(Bucket=settings.bucket, VersioningConfiguration={"Status": "Enabled"})

        models = topology.table_specs()  # imports (registers) every model before they are bound
        bind_tables(settings)
        for model in models.values():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=False)

        # The storage stack creates the API's key-ring secret with a cursor key and no key pair (private
        # keys never pass through a template); the api function adds the first pair on first use. The
        # local cloud starts from the same document, so a first run takes the path it takes on AWS.
        aws.client("secretsmanager").create_secret(
            Name=settings.jwt_secret_name,
            SecretString=json.dumps({"active_kid": "", "keys": [], "cursor_key": secrets.token_hex(32)}))

        iam = aws.client("iam")
        role_arn = iam.create_role(
            RoleName="filmstudio-local-lambda",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        )["Role"]["Arn"]
        lam = aws.client("lambda")
        code = _dummy_zip()
        for spec in topology.FUNCTIONS:
            lam.create_function(
                FunctionName=spec.local_name, Runtime="python3.11", Role=role_arn, Handler=spec.handler,
                Code={"ZipFile": code}, Timeout=spec.timeout_s, MemorySize=spec.memory_mb,
                Description=spec.description, Environment={"Variables": self.function_environment(spec)},
            )

        sm = topology.FILM_STATE_MACHINE
        sfn = aws.client("stepfunctions")
        sfn.create_state_machine(
            name=sm.local_name, roleArn=role_arn, type="STANDARD",
            definition=self._timed(sm.definition(sm.substitutions(self.function_arn))),
        )

        if self.gpu is not None:  # entered (not a bare provision, as cdk/package_check does against a moto server)
            self.gpu.provision()  # endpoints, topics, Batch queue and rule, from topology.GPU_FAMILIES

        # The S3 trigger as the pipeline stack builds it: the bucket's events go to EventBridge, and a rule
        # matching uploads only (topology.BucketSpec.upload_event_pattern) targets ingest.
        s3.put_bucket_notification_configuration(Bucket=settings.bucket,
                                                 NotificationConfiguration={"EventBridgeConfiguration": {}})
        rules = aws.client("events")
        for spec in topology.FUNCTIONS:
            if spec.s3_trigger:
                rule = f"{spec.local_name}-uploads"
                rules.put_rule(Name=rule, State="ENABLED", EventPattern=json.dumps(
                    topology.MEDIA_BUCKET.upload_event_pattern(settings.bucket)))
                rules.put_targets(Rule=rule, Targets=[{"Id": spec.name, "Arn": self.function_arn(spec.name)}])

    def _timed(self, definition: str) -> str:
        if not self.task_timing:
            return definition
        doc = json.loads(definition)

        def walk(states: dict[str, Any]) -> None:
            for state in states.values():
                if str(state.get("Resource", "")).endswith(".waitForTaskToken"):
                    if "heartbeat_s" in self.task_timing:
                        state["HeartbeatSeconds"] = self.task_timing["heartbeat_s"]
                    if "timeout_s" in self.task_timing:
                        state["TimeoutSeconds"] = self.task_timing["timeout_s"]
                for branch in state.get("Branches", []):
                    walk(branch["States"])
                if "ItemProcessor" in state:
                    walk(state["ItemProcessor"]["States"])
        walk(doc["States"])
        return json.dumps(doc)

    # -- restarts -----------------------------------------------------------------------
    def recover_interrupted_jobs(self) -> list[str]:
        """Jobs that were QUEUED or RUNNING when the last process stopped have no execution any
        more (executions live in memory): each is failed, saying why, and refunded."""
        from filmstudio.errors import IllegalTransitionError
        from filmstudio.models.job import JobError, JobStatus
        from filmstudio.pipeline import accounting

        failed = []
        for job in JobStore().unfinished():
            stage = job.stage or "queued"
            error = JobError(stage=stage, reason=SERVER_STOPPED, error_type="ServerStopped")
            try:  # the status and the refund in one transaction, as the fail path does
                accounting.finish(job, JobStatus.FAILED, error=error.model_dump(), stage=stage)
            except IllegalTransitionError:
                continue
            failed.append(job.job_id)
        return failed

    # -- waiting ------------------------------------------------------------------------
    def wait(self, job_id: str, *, timeout: float | None = None, poll: float = 0.1, on_progress=None,
             stall_seconds: float | None = None) -> Job:
        """Poll the job record until it is terminal and its execution has ended.

        No overall limit unless `timeout` is given: a render is waited for as long as its
        record moves (`jobs.watch`); one that has not moved for `stall_seconds` raises
        RenderStalledError naming its stage. An execution that ends while the job is still
        open (its fail path could not record the failure either) is reported at once."""
        from filmstudio.jobs.watch import ProgressWatch, RenderFailedError, job_signature

        jobs = JobStore()
        sfn = aws.client("stepfunctions")
        deadline = None if timeout is None else time.monotonic() + timeout
        watch = ProgressWatch(stall_seconds)
        next_check = time.monotonic() + 1.0
        while True:
            job = jobs.get(job_id)
            if on_progress:
                on_progress(job)
            checking = job.terminal or time.monotonic() >= next_check
            if checking and job.execution_arn:
                next_check = time.monotonic() + 1.0
                execution = sfn.describe_execution(executionArn=job.execution_arn)
                if execution["status"] != "RUNNING":
                    if self.gpu is not None:
                        self.gpu.drain(timeout=30)
                    self.runtime.drain(timeout=30)
                    job = jobs.get(job_id)
                    if job.terminal:
                        return job
                    raise RenderFailedError(job.stage, f"the execution ended {execution['status']} but the job is "
                                            f"still {job.status.value}: {execution.get('error', '')} "
                                            f"{execution.get('cause', '')}"[:2000])
            elif job.terminal:
                return job
            watch.check(job_signature(job), job.stage)
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job.status.value} after {timeout:.0f} s")
            time.sleep(poll)

    def history_event_count(self, execution_arn: str) -> int:
        sfn = aws.client("stepfunctions")
        return sum(len(page["events"]) for page in
                   sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn))
