"""The GPU containers' entry point: the SageMaker serving app on :8080, or one AWS Batch job.

    python -m filmstudio.studio.container serve                      # SageMaker (`docker run IMAGE serve`)
    python -m filmstudio.studio.container --request s3://b/k.json   # AWS Batch

Both import the family's `inference` module (gpu_containers/<family>/inference.py,
on the image's working directory) and call its model_fn / input_fn / predict_fn /
output_fn, so an endpoint and a Batch job run the same code. `/ping` answers 503
until model_fn has put the weights on the device, then 200; a failed load stays 503
with the reason, so SageMaker never routes traffic to a container that cannot serve.
"""


import argparse
import importlib
import logging
import os
import sys
import threading
from types import ModuleType
from typing import Any

from filmstudio.studio.contract import FAILURE_SUFFIX, RESPONSE_SUFFIX, failure_record
from filmstudio.studio.handler import RequestError, error_body

log = logging.getLogger(__name__)

# SageMaker puts the model artifact here; on our images it is the model directory copied from S3.
DEFAULT_MODEL_DIR = "/opt/ml/model"


class ModelServer:
    def __init__(self, inference: ModuleType, model_dir: str):
        self.inference, self.model_dir = inference, model_dir
        self.model: Any = None
        self.error: str | None = None
        self._lock = threading.Lock()
        self._invoke = threading.Lock()

    @property
    def ready(self) -> bool:
        return self.model is not None

    def load(self) -> None:
        with self._lock:
            if self.model is not None:
                return
            try:
                self.model = self.inference.model_fn(self.model_dir)
                self.error = None
            except Exception as exc:  # kept for /ping: the container stays up and says why
                log.exception("model_fn failed")
                self.error = f"{type(exc).__name__}: {exc}"

    def load_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.load, name="model_fn", daemon=True)
        thread.start()
        return thread

    def invoke(self, body: bytes, content_type: str | None, accept: str | None) -> tuple[int, bytes, str]:
        if not self.ready:
            raise RequestError(503, "MODEL_LOADING", self.error or "the model is still loading")
        request = self.inference.input_fn(body, content_type)
        with self._invoke:  # one request at a time on the device: SageMaker async queues the rest
            response = self.inference.predict_fn(request, self.model)
        payload, media_type = self.inference.output_fn(response, accept)
        return 200, payload, media_type


def create_app(server: ModelServer, *, load_on_startup: bool = True):
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse, Response

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(_app):
        if load_on_startup:  # /ping answers 503 at once while the weights load behind it
            server.load_in_background()
        yield

    app = FastAPI(title="filmstudio GPU stage", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.server = server

    @app.get("/ping")
    def ping():
        if server.ready:
            return {"status": "ready"}
        return JSONResponse({"status": "failed" if server.error else "loading", "error": server.error},
                            status_code=503)

    @app.post("/invocations")
    async def invocations(request: Request):
        body = await request.body()
        try:
            import anyio

            status, payload, media_type = await anyio.to_thread.run_sync(
                server.invoke, body, request.headers.get("content-type"), request.headers.get("accept"))
        except RequestError as exc:
            return JSONResponse(error_body(exc), status_code=exc.status)
        return Response(payload, status_code=status, media_type=media_type)

    return app


def run_batch(inference: ModuleType, request_uri: str, model_dir: str) -> int:
    """One request from S3, as an AWS Batch job: the response JSON on stdout and beside the output."""
    from filmstudio.storage.artifacts import ArtifactStore

    if not request_uri.startswith("s3://") or "/" not in request_uri[5:]:
        print(f"filmstudio-gpu: error: --request must be s3://bucket/key, not {request_uri!r} [INVALID_REQUEST]",
              file=sys.stderr)
        return 2
    bucket, key = request_uri[5:].split("/", 1)
    request = None
    try:
        body = ArtifactStore(bucket=bucket).get_bytes(key)
        request = inference.input_fn(body, "application/json")
        model = inference.model_fn(model_dir)
        response = inference.predict_fn(request, model)
        payload, _ = inference.output_fn(response, "application/json")
    except RequestError as exc:
        print(f"filmstudio-gpu: error: {exc.message} [{exc.code}]", file=sys.stderr)
        _record_failure(request, key, exc.code, exc.message)
        return 2
    except Exception as exc:  # noqa: BLE001 - out of GPU memory, a broken model file: the job's reason
        print(f"filmstudio-gpu: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        _record_failure(request, key, type(exc).__name__, str(exc))
        raise
    ArtifactStore(bucket=request.bucket).put_bytes(request.output_key + RESPONSE_SUFFIX, payload, "application/json")
    print(payload.decode("utf-8"))
    return 0


def _record_failure(request, request_key: str, code: str, message: str) -> None:
    """Why the job failed, beside the output it was to write: Batch's state change carries only
    its own reason and the exit code, and the callback reads this to name the real one."""
    if request is None:  # the request itself could not be read: there is no output key to write beside
        return
    from filmstudio.storage.artifacts import ArtifactStore

    body = failure_record(request_key, code, message)
    try:
        ArtifactStore(bucket=request.bucket).put_bytes(request.output_key + FAILURE_SUFFIX, body, "application/json")
    except Exception as exc:  # noqa: BLE001 - the job fails either way; its log keeps the reason
        print(f"filmstudio-gpu: could not record the failure: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m filmstudio.studio.container")
    parser.add_argument("command", nargs="?", choices=("serve",), help="serve the SageMaker contract on :8080")
    parser.add_argument("--request", help="run one request (s3://bucket/key.json) as a Batch job and exit")
    parser.add_argument("--inference", default="inference", help="the family's inference module")
    parser.add_argument("--model-dir", default=os.environ.get("FILMSTUDIO_MODEL_DIR", DEFAULT_MODEL_DIR))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SAGEMAKER_BIND_TO_PORT", "8080")))
    args = parser.parse_args(argv)
    sys.path.insert(0, os.getcwd())
    inference = importlib.import_module(args.inference)
    if args.request:
        return run_batch(inference, args.request, args.model_dir)
    if args.command != "serve":
        parser.error("say 'serve' or --request s3://...")
    import uvicorn

    uvicorn.run(create_app(ModelServer(inference, args.model_dir)), host="0.0.0.0", port=args.port,
                log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
