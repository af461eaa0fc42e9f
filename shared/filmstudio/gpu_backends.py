"""The adapter for the studio tier's GPU services: SageMaker asynchronous endpoints and AWS Batch.

`pipeline/gpu_dispatch.py` sends each GPU request through here, so the dispatch logic names
no AWS client and the calls the submit function makes (sagemaker:InvokeEndpointAsync,
batch:SubmitJob) sit in one place for its IAM grants.
"""

from __future__ import annotations

from filmstudio.aws import client
from filmstudio.settings import Settings, get_settings


class GpuBackends:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()

    def deployed(self, name: str) -> str:
        """A topology name as deployed (a prefix may change it: FILMSTUDIO_GPU_NAMES)."""
        return self.settings.gpu_names.get(name, name)

    def invoke_endpoint_async(self, endpoint: str, input_uri: str, inference_id: str, timeout_s: int) -> None:
        """Queue one request on the endpoint; it answers on the endpoint's SNS topics."""
        client("sagemaker-runtime", self.settings).invoke_endpoint_async(
            EndpointName=self.deployed(endpoint), InputLocation=input_uri, InferenceId=inference_id,
            ContentType="application/json", Accept="application/json", InvocationTimeoutSeconds=timeout_s)

    def submit_job(self, name: str, queue: str, definition: str, parameters: dict[str, str]) -> str:
        """Submit one Batch job; its state changes reach EventBridge. Returns the job id."""
        return client("batch", self.settings).submit_job(
            jobName=name, jobQueue=self.deployed(queue), jobDefinition=self.deployed(definition),
            parameters=parameters)["jobId"]
