"""Environment, read once into a settings model (one per process).

Every name here is also what the CDK app sets on the functions (see `topology`),
so the same code runs on AWS and in the local cloud.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FILMSTUDIO_", extra="ignore")

    region: str = "us-east-1"
    bucket: str = "filmstudio-media"
    jobs_table: str = "filmstudio-jobs"
    projects_table: str = "filmstudio-projects"
    assets_table: str = "filmstudio-assets"
    users_table: str = "filmstudio-users"
    refresh_tokens_table: str = "filmstudio-refresh-tokens"
    gpu_tasks_table: str = "filmstudio-gpu-tasks"
    ledger_table: str = "filmstudio-credit-ledger"
    idempotency_table: str = "filmstudio-idempotency"
    state_machine_arn: str = ""
    # Media stage -> function name, for the preview tier's asynchronous dispatch.
    stage_functions: dict[str, str] = {}
    # The analyze function, which intake (api, ingest) asks for a script's analysis and plan: the
    # language detector it needs ships only in the media image (pipeline/analysis_cache.py).
    analyze_function: str = ""
    # The tier used when a job does not say (uploads through the S3 trigger).
    default_tier: str = "preview"
    # Keep artifacts under cache/ shared across jobs: a re-render reuses them.
    cache_enabled: bool = True
    # API auth: the Secrets Manager secret holding the RS256 key set (created on first use
    # when absent), and the issuer/audience every access token is checked against.
    jwt_secret_name: str = "filmstudio/jwt-keys"
    jwt_issuer: str = "filmstudio"
    jwt_audience: str = "filmstudio-api"
    # A waiting media task's heartbeat interval; the state machine's HeartbeatSeconds (120) is
    # several of these, so a late or failed beat is retried in time.
    task_heartbeat_s: float = 20.0
    # Where the studio tier's weights are: "local" (FILMSTUDIO_MODEL_DIR must verify, the local
    # cloud's GPU workers load it) or "s3" (the gpu stack is deployed: its containers copy the
    # weights from MODEL_WEIGHTS_PREFIX; the CDK app sets this on the intake functions).
    studio_weights: str = "local"
    # The gpu stack's deployed names (endpoints, job definitions, the queue) by their topology names,
    # where a deployment prefix changes them; absent names are the topology's own (the local cloud).
    gpu_names: dict[str, str] = {}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the local cloud change the environment)."""
    get_settings.cache_clear()
