"""Film Studio CDK app: `python cdk/app.py [--outdir cdk.out]` synthesizes offline (no Docker, no network).

The CDK CLI runs the same file through cdk.json (`npx aws-cdk@2.1148.1 synth|deploy`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

# Node 20 prints an end-of-life banner on every jsii start; it is noise for synth and tests.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

if __package__ in (None, ""):
    # `python cdk/app.py` (what cdk.json runs): the app imports itself as the `cdk` package, from the repo root.
    sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

import json  # noqa: E402

from aws_cdk import App, Environment, Stack  # noqa: E402

from filmstudio import topology  # noqa: E402

from cdk import nag  # noqa: E402
from cdk.config import CONTEXT_KEY, EDGE_REGION, StudioConfig  # noqa: E402
from cdk.api import ApiStack  # noqa: E402
from cdk.bucket_policy import MediaBucketPolicyStack  # noqa: E402
from cdk.edge import EdgeStack  # noqa: E402
from cdk.gpu import GpuStack  # noqa: E402
from cdk.observability import ObservabilityStack  # noqa: E402
from cdk.pipeline import PipelineStack  # noqa: E402
from cdk.storage import StorageStack  # noqa: E402

CDK_JSON = Path(__file__).resolve().parents[1] / "cdk.json"


@dataclass
class FilmStudio:
    app: App
    storage: StorageStack
    pipeline: PipelineStack
    observability: ObservabilityStack
    api: ApiStack | None = None
    edge: EdgeStack | None = None
    bucket_policy: MediaBucketPolicyStack | None = None
    gpu: GpuStack | None = None

    @property
    def stacks(self) -> list[Stack]:
        return [s for s in (self.storage, self.pipeline, self.observability, self.api, self.edge, self.bucket_policy,
                            self.gpu)
                if s is not None]


def cdk_json_context() -> dict:
    """Feature flags and settings from cdk.json, so tests synthesize exactly what the CLI does."""
    if not CDK_JSON.is_file():
        return {}
    return dict(json.loads(CDK_JSON.read_text(encoding="utf-8")).get("context", {}))


def build(app: App | None = None, config: StudioConfig | None = None, *, checks: bool = True) -> FilmStudio:
    app = app or App(context=cdk_json_context())
    config = config or StudioConfig.from_context(app.node.try_get_context(CONTEXT_KEY))
    env = Environment(account=config.account, region=config.region) if (config.account or config.region) else None
    prefix = config.prefix

    storage = StorageStack(app, f"{prefix}-storage", config=config, table_models=topology.table_specs(), env=env,
                           description="Film Studio: media bucket, tables, signing-key secret")
    pipeline = PipelineStack(app, f"{prefix}-pipeline", config=config, table_shapes=storage.table_shapes, env=env,
                             description="Film Studio: functions, film state machine, upload trigger")
    pipeline.add_stack_dependency(storage, "functions address the bucket, tables and secret by name")
    observability = ObservabilityStack(app, f"{prefix}-observability", config=config,
                                       state_machine=pipeline.state_machine, functions=pipeline.functions,
                                       table_names=pipeline.table_names, async_functions=topology.MEDIA_STAGES,
                                       env=env,
                                       description="Film Studio: dashboard and alarms")
    studio = FilmStudio(app, storage, pipeline, observability)
    _add_api_and_edge(studio, config, env)
    _add_bucket_policy(studio, config, env)
    if config.studio:
        studio.gpu = GpuStack(app, f"{prefix}-gpu", config=config, env=env,
                              description="Film Studio: studio-tier GPU endpoints (scale to zero) and Batch queue")
        studio.gpu.add_stack_dependency(pipeline, "notifications go to gpu_callback, addressed by name")
    if checks:
        nag.add_checks(app)
    return studio


def _add_api_and_edge(studio: FilmStudio, config: StudioConfig, env: Environment | None) -> None:
    prefix = config.prefix
    studio.api = ApiStack(studio.app, f"{prefix}-api", config=config, env=env,
                          description="Film Studio: REST API and its JWT authorizer")
    studio.api.add_stack_dependency(studio.pipeline, "the API invokes the api and authorizer functions by name")
    if not config.edge_stack:
        return
    # CloudFront's WAF WebACL can only be created in us-east-1. With a known region elsewhere the edge stack
    # gets its own env and CDK's cross-region references; environment-agnostic apps deploy everything to one
    # region, which must then be us-east-1 (docs/deploy.md).
    edge_env, cross_region = env, False
    if config.region and config.region != EDGE_REGION:
        edge_env, cross_region = Environment(account=config.account, region=EDGE_REGION), True
    studio.edge = EdgeStack(studio.app, f"{prefix}-edge", config=config, api=studio.api.api,
                            bucket_region=config.region, env=edge_env, cross_region_references=cross_region,
                            description="Film Studio: CloudFront and WAF in front of the API and final outputs")
    studio.edge.add_stack_dependency(studio.storage, "the media origin is the storage stack's bucket, by name")


def _add_bucket_policy(studio: FilmStudio, config: StudioConfig, env: Environment | None) -> None:
    """The media bucket's policy names the distribution, so it is deployed after the edge stack
    (cdk/bucket_policy.py); in the bucket's region, reading the distribution's ID across regions
    when the edge stack is in us-east-1 and the bucket is not."""
    edge = studio.edge
    cross_region = edge is not None and bool(config.region) and config.region != EDGE_REGION
    studio.bucket_policy = MediaBucketPolicyStack(
        studio.app, f"{config.prefix}-bucket-policy", config=config,
        distribution_id=edge.distribution.distribution_id if edge is not None else None, env=env,
        cross_region_references=cross_region,
        description="Film Studio: the media bucket's policy (TLS only; CloudFront reads as this distribution)")
    studio.bucket_policy.add_stack_dependency(studio.storage, "the policy is the storage stack's bucket's")
    if edge is not None:
        studio.bucket_policy.add_stack_dependency(edge, "the policy names the edge stack's distribution")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outdir", default=None,
                        help="cloud assembly directory (default: $CDK_OUTDIR from the CLI, else cdk.out)")
    args = parser.parse_args(argv)
    outdir = args.outdir or os.environ.get("CDK_OUTDIR") or str(Path(__file__).resolve().parents[1] / "cdk.out")
    app = App(outdir=outdir, context=cdk_json_context())
    build(app)
    assembly = app.synth()
    # The CDK CLI prints these; a direct `python cdk/app.py` would otherwise swallow them.
    for stack in assembly.stacks:
        for message in stack.messages:
            print(f"[{message.level}] {message.id}: {message.entry.data}", file=sys.stderr)
    print(f"synthesized {len(assembly.stacks)} stacks to {assembly.directory}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
