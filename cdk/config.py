"""Deployment knobs, in one frozen object the stacks take as an argument (DESIGN §6).

Defaults suit a first deploy; `cdk.json`'s context key `filmstudio` (or `-c filmstudio='{...}'`)
overrides any field, so nothing here needs editing per environment.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from filmstudio.topology import NAME_PREFIX, REPO_ROOT

CDK_DIR = Path(__file__).resolve().parent
# Shared with the functions' Powertools Metrics (POWERTOOLS_METRICS_NAMESPACE) and the dashboard.
METRICS_NAMESPACE = "FilmStudio"
# CloudFront's WAF and its WebACL scope only exist in us-east-1.
EDGE_REGION = "us-east-1"
LAYER_BUILD_DIR = CDK_DIR / ".layer"
LAYER_PLACEHOLDER_DIR = CDK_DIR / "layer_placeholder"
CONTEXT_KEY = "filmstudio"
# SageMaker instance types a GPU family may run on: one 16-48 GB NVIDIA GPU each (T4, A10G, L40S).
GPU_INSTANCE_TYPES = ("ml.g4dn.xlarge", "ml.g4dn.2xlarge", "ml.g5.xlarge", "ml.g5.2xlarge", "ml.g6e.xlarge",
                      "ml.g6e.2xlarge")


@dataclass(frozen=True)
class StudioConfig:
    prefix: str = NAME_PREFIX  # physical names that must be known before deploy (state machine, secret)
    account: str | None = None
    region: str | None = None  # None: environment-agnostic stacks (synth needs no credentials)
    repo_root: Path = REPO_ROOT
    # Lambda layer with the zip functions' third-party packages; None: the built one or the placeholder.
    layer_dir: Path | None = None
    removal: Literal["retain", "destroy"] = "retain"  # what happens to data when a stack is deleted

    # storage
    cache_expiry_days: int = 30
    noncurrent_version_expiry_days: int = 30
    intelligent_tiering_after_days: int = 30
    abort_multipart_after_days: int = 2
    access_log_expiry_days: int = 90
    # Origins that may upload to (presigned POST/PUT) and read from the bucket in a browser, e.g.
    # ("https://studio.example.com",). Empty: no CORS rule, so only non-browser clients upload directly.
    cors_allowed_origins: tuple[str, ...] = ()

    # functions
    # Memory per function (MB) above the topology's default, e.g. {"compose": 4096}: defaults stay at or
    # under 3008 MB, the most an account at the default Lambda quota may configure.
    memory_mb: dict[str, int] = field(default_factory=dict)
    log_level: str = "INFO"
    log_retention_days: int = 30
    # How often the rotate_keys function adds a JWT signing key to the ring (auth/rotation.py).
    jwt_key_rotation_days: int = 30

    # observability
    alarm_email: str | None = None

    # api
    api_stage_name: str = "prod"
    api_rate_limit: float = 50.0  # requests per second, stage-wide
    api_burst_limit: int = 100
    api_daily_quota: int = 100_000  # usage plan quota per caller identity
    auth_rate_limit: float = 10.0  # /v1/auth/*: login and sign-up attempts per second, stage-wide
    auth_burst_limit: int = 20
    authorizer_cache_ttl_s: int = 300

    # edge
    waf_rate_limit_per_5min: int = 1000  # per client IP
    # A custom domain for the distribution: ACM certificate ARN (in us-east-1) and its names.
    edge_certificate_arn: str | None = None
    edge_domain_names: tuple[str, ...] = ()
    # PEM file of the RSA public key whose private half signs CloudFront URLs for final outputs. CloudFront
    # serves outputs only through signed URLs: without a key it serves none (the API's presigned URLs still
    # deliver them), never an unsigned URL anyone holding it could read.
    edge_signing_public_key_file: Path | None = None
    edge_stack: bool = True

    # studio tier (cdk/gpu.py, docs/deploy.md "Studio tier"): off by default, so a preview-only deploy
    # creates no GPU endpoint (its first instance is billed until it scales in) and needs no GPU quota.
    studio: bool = False
    # Per GPU family (topology.GPU_FAMILIES), the SageMaker instance type instead of the topology's, e.g.
    # {"visual": "ml.g6e.xlarge"}: one of GPU_INSTANCE_TYPES.
    gpu_instance_types: dict[str, str] = field(default_factory=dict)
    gpu_batch_max_vcpus: int = 16  # the Batch queue's ceiling per compute environment: 4 g5.xlarge at once

    def __post_init__(self) -> None:
        from filmstudio.topology import GPU_FAMILIES

        families = {spec.family for spec in GPU_FAMILIES}
        unknown = sorted(set(self.gpu_instance_types) - families)
        if unknown:
            raise ValueError(f"gpu_instance_types: unknown GPU families {unknown}; known: {sorted(families)}")
        for family, instance_type in sorted(self.gpu_instance_types.items()):
            if instance_type not in GPU_INSTANCE_TYPES:
                raise ValueError(f"gpu_instance_types[{family!r}]: {instance_type!r} is not one of "
                                 f"{', '.join(GPU_INSTANCE_TYPES)}")
        if self.gpu_batch_max_vcpus < 4:
            raise ValueError("gpu_batch_max_vcpus: at least 4 (one g4dn/g5.xlarge)")

    def gpu_instance_type(self, family) -> str:
        return self.gpu_instance_types.get(family.family, family.instance_type)

    @property
    def cloudfront_serves_outputs(self) -> bool:
        """Final outputs through CloudFront: only with the edge stack and a signing key (signed URLs only)."""
        return self.edge_stack and self.edge_signing_public_key_file is not None

    @property
    def state_machine_name(self) -> str:
        # Deterministic so function environments can carry its ARN without depending on it (see pipeline.py).
        from filmstudio.topology import FILM_STATE_MACHINE

        return f"{self.prefix}-{FILM_STATE_MACHINE.name}"

    @property
    def jwt_secret_name(self) -> str:
        from cdk.naming import jwt_secret_name

        return jwt_secret_name(self.prefix)

    @classmethod
    def from_context(cls, context: dict[str, Any] | None) -> "StudioConfig":
        config = cls(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
            region=os.environ.get("CDK_DEFAULT_REGION"),
        )
        if not context:
            return config
        if isinstance(context, str):  # `-c filmstudio='{...}'` arrives as a string
            context = json.loads(context)
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(context) - set(known))
        if unknown:
            raise ValueError(f"unknown {CONTEXT_KEY} context keys: {unknown}")
        values: dict[str, Any] = {}
        for key, value in context.items():
            if key in ("repo_root", "layer_dir", "edge_signing_public_key_file") and value is not None:
                value = Path(value)
            elif key == "gpu_instance_types":
                value = dict(value)
            elif key in ("cors_allowed_origins", "edge_domain_names"):
                value = tuple(value)
            values[key] = value
        return replace(config, **values)
