"""An in-process Lambda runtime behind moto.

moto routes every invocation (Step Functions tasks, S3 notifications, direct invokes)
through `LambdaFunction.invoke` -> `LambdaFunction._invoke_lambda`. We replace
`_invoke_lambda` to call our handler, resolved from the topology, with a Lambda-like
context and Lambda's error shape; and `invoke` to run InvocationType=Event calls on a
worker pool, as Lambda's asynchronous invocation does.

Lambda starts an asynchronous invocation within moments at our concurrency; the local pool
has a few workers, so a media task can wait in its queue longer than its HeartbeatSeconds
while earlier ones render. An invocation that carries a task token therefore gets
heartbeats from the runtime while it waits (the function's own timer takes over once it
starts): a queue of ours must not time out a task that on AWS would be running.

Which queued invocation a free worker takes is ours to choose too (on AWS they would all be
running): the scenes' media tasks first, later stages of a scene's chain before earlier ones,
then the other media tasks, each rank worth RANK_SECONDS of waiting (`priority`). A scene's pictures then its clips are
the film's long chain; a line's speech or the score finish in moments beside it, but taken
first they hold a worker while the longest scene's clips wait, and the film waits on those.
"""

from __future__ import annotations

import importlib
import itertools
import json
import logging
import queue
import threading
import time
import traceback
import uuid
from concurrent.futures import TimeoutError as FutureTimeout, Future
from dataclasses import dataclass, field
from typing import Any

from moto.awslambda.models import LambdaFunction

from filmstudio.topology import FUNCTIONS, FunctionSpec

log = logging.getLogger(__name__)


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    timeout_s: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self.invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{self.function_name}"
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass
class Invocation:
    function: str
    start: float
    end: float
    error: str | None
    asynchronous: bool


# A rank is worth this many seconds of waiting: a task ranked below another still starts before it
# once it has waited that much longer, so a line's speech is never held back for the whole Scenes map
# (its TimeoutSeconds would run out) and only reordered among tasks queued about the same time.
RANK_SECONDS = 20.0


def priority(event: Any) -> int:
    """Lower starts first: a scene's media task (its chain's later stages first), then the other media
    tasks. Invocations that are not media tasks (S3 and GPU notifications, schedules) rank first: they
    are short, and a callback waits for nobody."""
    from filmstudio import media_stages

    stage = event.get("stage") if isinstance(event, dict) else None
    if stage not in media_stages.names():
        return 0
    rows = [row.name for row in media_stages.STAGES if row.unit == "scene"]
    return len(rows) - rows.index(stage) - 1 if stage in rows else len(rows)


class PriorityPool:
    """A fixed set of worker threads; each takes the queued call that arrived earliest, counting each
    rank as RANK_SECONDS later."""

    def __init__(self, workers: int, name: str):
        self._queue: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._closed = False
        self._threads = [threading.Thread(target=self._work, daemon=True, name=f"{name}-{i}") for i in range(workers)]
        for t in self._threads:
            t.start()

    def submit(self, rank: int, fn, *args) -> Future:
        if self._closed:
            raise RuntimeError("cannot submit to a pool that is shut down")
        future: Future = Future()
        self._queue.put((time.monotonic() + rank * RANK_SECONDS, next(self._order), future, fn, args))
        return future

    def _work(self) -> None:
        while True:
            _, _, future, fn, args = self._queue.get()
            if future is None:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - the caller reads it from the future
                future.set_exception(exc)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self._closed = True
        if cancel_futures:
            while True:
                try:
                    _, _, future, _, _ = self._queue.get_nowait()
                except queue.Empty:
                    break
                if future is not None:
                    future.cancel()
        for _ in self._threads:  # after every queued call (sentinels sort last)
            self._queue.put((float("inf"), next(self._order), None, None, ()))
        if wait:
            for t in self._threads:
                t.join()


class LocalLambdaRuntime:
    def __init__(self, workers: int = 2):
        self.by_name: dict[str, FunctionSpec] = {spec.local_name: spec for spec in FUNCTIONS}
        self.pool = PriorityPool(workers, "lambda-async")
        self.invocations: list[Invocation] = []
        self.pending: list[Future] = []
        self._lock = threading.Lock()
        self._saved: dict[str, Any] = {}
        self._tickets = itertools.count()
        self.queued_tokens: dict[int, str] = {}  # invocation id -> task token, while waiting for a worker
        self._queue_beat: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- patching moto ------------------------------------------------------------------
    def install(self) -> None:
        runtime = self
        self._saved = {"_invoke_lambda": LambdaFunction._invoke_lambda, "invoke": LambdaFunction.invoke}

        def _invoke_lambda(fn: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
            return runtime.call(fn.function_name, event, asynchronous=False)

        def invoke(fn: LambdaFunction, body: Any, request_headers: Any, response_headers: Any) -> str | bytes:
            kind = _header(request_headers, "x-amz-invocation-type") or "RequestResponse"
            if kind == "Event":
                fut = runtime.submit(fn.function_name, body)  # queued tasks get heartbeats until they start
                with runtime._lock:
                    runtime.pending.append(fut)
                return b""
            return runtime._saved["invoke"](fn, body, request_headers, response_headers)

        LambdaFunction._invoke_lambda = _invoke_lambda
        LambdaFunction.invoke = invoke

    def uninstall(self) -> None:
        for name, original in self._saved.items():
            setattr(LambdaFunction, name, original)
        self._stopping.set()
        self.pool.shutdown(wait=True, cancel_futures=True)

    # -- asynchronous invocations ----------------------------------------------------------
    def submit(self, function_name: str, body: Any) -> Future:
        token, event = None, None
        try:
            event = json.loads(body) if isinstance(body, (str, bytes)) else body
            token = event.get("task_token") if isinstance(event, dict) else None
        except ValueError:
            pass
        rank = priority(event)
        if token is None:
            return self.pool.submit(rank, self.call, function_name, body, True)
        ticket = next(self._tickets)
        with self._lock:
            self.queued_tokens[ticket] = token
            if self._queue_beat is None:
                self._queue_beat = threading.Thread(target=self._beat_queued, daemon=True, name="lambda-queue-beat")
                self._queue_beat.start()

        def run() -> tuple[str, bool, str]:
            with self._lock:
                self.queued_tokens.pop(ticket, None)
            return self.call(function_name, body, True)
        return self.pool.submit(rank, run)

    def _beat_queued(self) -> None:
        from filmstudio.aws import client
        from filmstudio.pipeline.completion import TOKEN_GONE, error_code
        from filmstudio.settings import get_settings

        sfn = client("stepfunctions")
        while not self._stopping.wait(get_settings().task_heartbeat_s):
            with self._lock:
                waiting = list(self.queued_tokens.items())
            for ticket, token in waiting:
                try:
                    sfn.send_task_heartbeat(taskToken=token)
                except Exception as exc:  # noqa: BLE001
                    if error_code(exc) in TOKEN_GONE:
                        with self._lock:
                            self.queued_tokens.pop(ticket, None)

    # -- running handlers ----------------------------------------------------------------
    def resolve(self, function_name: str):
        spec = self.by_name.get(function_name)
        if spec is None:
            raise LookupError(f"no handler for function {function_name!r} in the topology")
        module = importlib.import_module(spec.module)
        return spec, getattr(module, spec.attr)

    def call(self, function_name: str, event: Any, asynchronous: bool = False) -> tuple[str, bool, str]:
        """Run the handler; return (payload, errored, logs) the way moto expects."""
        start = time.time()
        error = None
        if isinstance(event, (str, bytes)):
            event = json.loads(event or "{}")
        try:
            spec, fn = self.resolve(function_name)
            context = LambdaContext(function_name, spec.memory_mb, spec.timeout_s)
            result = fn(event, context)
            payload = json.dumps(result, default=str)
            errored = False
        except Exception as exc:  # Lambda's error shape: Step Functions matches errorType
            error = type(exc).__name__
            payload = json.dumps({
                "errorMessage": str(exc),
                "errorType": error,
                "stackTrace": traceback.format_tb(exc.__traceback__)[-5:],
            })
            errored = True
            if asynchronous:
                log.error("asynchronous invocation of %s failed: %s", function_name, exc)
        with self._lock:
            self.invocations.append(Invocation(function_name, start, time.time(), error, asynchronous))
        return payload, errored, ""

    def drain(self, timeout: float = 60) -> None:
        """Wait for asynchronous invocations in flight (tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = [f for f in self.pending if not f.done()]
                self.pending = pending
            if not pending or time.monotonic() > deadline:
                return
            try:
                pending[0].result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                return  # still running at the deadline: the caller goes on without it
            except Exception:
                continue  # its failure was reported through its task token (or logged)


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    for key in (name, name.title(), "X-Amz-Invocation-Type"):
        try:
            value = headers.get(key)
        except AttributeError:
            return None
        if value:
            return value
    return None
