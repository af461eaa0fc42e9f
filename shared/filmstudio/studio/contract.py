"""The one request/response contract between the submit Lambda, the GPU containers and the callback.

Keys, never payloads: every input and output is an S3 key in the job's bucket, so a
request fits a SageMaker asynchronous invocation, a Batch job's parameters and a
Step Functions state alike. Unknown fields are refused, so a typo in a caller is a
400 with a code, not a silently ignored parameter.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Stage = Literal["storyboard", "motion", "speech", "music"]
CONTRACT_VERSION = "1"

# A Batch job writes its answer beside its output key: the response, or why it failed
# (Batch's own state change carries only an exit code and its own reason).
RESPONSE_SUFFIX = ".response.json"
FAILURE_SUFFIX = ".error.json"

# Which container family serves each stage (their pins differ; see gpu_containers/).
FAMILY: dict[str, str] = {"storyboard": "visual", "motion": "visual", "speech": "voice", "music": "music"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Inputs(_Strict):
    plan: str  # the Plan JSON
    panel: str | None = None  # motion: the key frame
    references: dict[str, str] = Field(default_factory=dict)  # character id -> reference portrait (PNG)


class Parameters(_Strict):
    seed: int | None = None  # None: the engine's own stable seed from the bible and the ids
    steps: int | None = Field(default=None, ge=1, le=200)
    width: int | None = Field(default=None, ge=16, le=4096, multiple_of=8)
    height: int | None = Field(default=None, ge=16, le=4096, multiple_of=8)
    duration: float | None = Field(default=None, gt=0, le=600)


class StudioRequest(_Strict):
    contract: Literal["1"] = CONTRACT_VERSION
    stage: Stage
    engine_version: str
    job_id: str = Field(min_length=1, max_length=128)
    bucket: str = Field(min_length=3, max_length=63)
    scene_id: str | None = None
    shot_id: str | None = None
    line_id: str | None = None
    inputs: Inputs
    output_key: str = Field(min_length=1, max_length=1024)
    parameters: Parameters = Field(default_factory=Parameters)

    @model_validator(mode="after")
    def _ids_for_stage(self) -> "StudioRequest":
        need = {"storyboard": ("scene_id", "shot_id"), "motion": ("scene_id", "shot_id"),
                "speech": ("line_id",), "music": ("scene_id",)}[self.stage]
        missing = [name for name in need if not getattr(self, name)]
        if missing:
            raise ValueError(f"a {self.stage} request needs {', '.join(missing)}")
        if self.stage == "speech" and self.parameters.steps is not None:
            raise ValueError("speech has no denoising steps; leave parameters.steps out")
        if self.stage == "motion" and not self.inputs.panel:
            raise ValueError("a motion request needs inputs.panel (the key frame's key)")
        return self


class StudioResponse(_Strict):
    contract: Literal["1"] = CONTRACT_VERSION
    stage: Stage
    job_id: str
    output_key: str
    duration: float | None = None  # seconds of audio or video written
    gpu_seconds: float  # device time spent on this request
    device: str
    model_ids: dict[str, str]  # model folder -> fingerprint of its configs
    engine: str  # name@version of the engine that rendered it
    fallback: str | None = None  # set when a preview engine stood in (speech in a language Parler-TTS lacks)


def failure_record(request_key: str, code: str, message: str) -> bytes:
    """The body of `<output key>.error.json`. Its request id (the request object's name, the
    dispatcher's task id) lets the callback tell this job's record from an older one left at
    the same content-addressed key by another job's failure."""
    request_id = request_key.rsplit("/", 1)[-1].removesuffix(".json")
    return json.dumps({"request_id": request_id, "error": {"code": code, "message": message[:2000]}}).encode("utf-8")
