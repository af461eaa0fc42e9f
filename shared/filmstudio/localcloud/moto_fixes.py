"""Where moto behaves unlike AWS in ways our code can notice, the local cloud corrects it.

Each fix is a context manager that patches one moto behaviour and undoes it on exit;
`LocalCloud` enters all of them. None of our code knows about them.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import logging
import threading
from typing import Any, Iterator

# A film has dozens of waiting tasks in sequence; moto polls each token every 0.5 s.
CALLBACK_POLL_S = 0.02

# DynamoDB applies each write (and each transaction) atomically; moto's in-memory tables
# do not lock, so concurrent writers can interleave inside one update (a list_append or a
# conditional reservation is lost). Serialising moto's item operations gives it the
# isolation DynamoDB guarantees; the conditions stay ours to get right.
_DYNAMODB_OPERATIONS = ("put_item", "update_item", "delete_item", "get_item", "query", "scan", "batch_get_item",
                        "batch_write_item", "transact_write_items", "transact_get_items")

_ABSENT = object()


@contextlib.contextmanager
def replaced(owner: Any, name: str, value: Any) -> Iterator[None]:
    saved = owner.__dict__.get(name, _ABSENT) if isinstance(owner, type) else getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        if saved is _ABSENT:
            delattr(owner, name)
        else:
            setattr(owner, name, saved)


@contextlib.contextmanager
def atomic_dynamodb() -> Iterator[None]:
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()

    def locked(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with lock:
                return fn(*args, **kwargs)
        return wrapper

    with contextlib.ExitStack() as stack:
        for name in _DYNAMODB_OPERATIONS:
            stack.enter_context(replaced(DynamoDBBackend, name, locked(getattr(DynamoDBBackend, name))))
        yield


@contextlib.contextmanager
def s3_notifies_after_metadata() -> Iterator[None]:
    """S3 sends ObjectCreated once the object is complete, metadata and Content-Type included;
    moto sends it from inside its backend's put_object, before the PUT handler sets them, so
    the trigger would see an upload without its `x-amz-meta-*`. Defer the notification to the
    end of the PUT request, as S3 behaves."""
    import moto.s3.models as s3_models
    import moto.s3.notifications as s3_notifications
    import moto.s3.responses as s3_responses

    pending = threading.local()
    backend_put = s3_models.S3Backend.put_object
    response_put = s3_responses.S3Response.put_object

    def put_object(backend, bucket_name, key_name, *args, **kwargs):
        deferred = getattr(pending, "events", None)
        if deferred is None or kwargs.get("disable_notification"):
            return backend_put(backend, bucket_name, key_name, *args, **kwargs)
        kwargs["disable_notification"] = True
        key = backend_put(backend, bucket_name, key_name, *args, **kwargs)
        deferred.append((backend, bucket_name, key))
        return key

    def put_request(response, *args, **kwargs):
        pending.events = []
        try:
            result = response_put(response, *args, **kwargs)
        finally:
            deferred, pending.events = pending.events, None
        for backend, bucket_name, key in deferred:
            s3_notifications.send_event(backend.account_id,
                                        s3_notifications.S3NotificationEvent.OBJECT_CREATED_PUT_EVENT,
                                        backend.get_bucket(bucket_name), key)
        return result

    with replaced(s3_models.S3Backend, "put_object", put_object), \
            replaced(s3_responses.S3Response, "put_object", put_request):
        yield


@contextlib.contextmanager
def s3_events_carry_version() -> Iterator[None]:
    """S3 puts the object's versionId in notifications from a versioned bucket; moto leaves it out."""
    import moto.s3.notifications as s3_notifications

    original = s3_notifications._get_s3_event

    def with_version(event_name, bucket, key, notification_id):
        event = original(event_name, bucket, key, notification_id)
        version = getattr(key, "version_id", None)
        if version and version != "null":
            event["Records"][0]["s3"]["object"]["versionId"] = version
        return event

    with replaced(s3_notifications, "_get_s3_event", with_version):
        yield


@contextlib.contextmanager
def fast_task_token_polling() -> Iterator[None]:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service_callback as callback_mod,
    )

    with replaced(callback_mod, "_DELAY_SECONDS_SYNC_CONDITION_CHECK", CALLBACK_POLL_S):
        yield


@contextlib.contextmanager
def task_tokens_as_step_functions_keeps_them() -> Iterator[None]:
    """Task tokens with Step Functions' lifecycle:
    - once a waiting task times out, Step Functions answers TaskTimedOut to its heartbeats and
      results; moto keeps accepting them (and drops them), so a worker would never learn that
      its task is gone;
    - each attempt of a retried task has a new token; moto reuses the first, with its outcome;
    - a heartbeat is accepted from the moment the task starts (see notify_heartbeat);
    - a result sent while the invoked function still runs (a studio task whose every artifact is
      cached reports at once) completes the task; moto arms the heartbeat timer after the
      function returns and then waits for a beat, ignoring the result it already holds."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
        StateTaskServiceCallback,
    )
    from moto.stepfunctions.parser.asl.eval.callback.callback import (
        CallbackConsumerTimeout,
        CallbackEndpoint,
        CallbackOutcomeTimedOut,
        HeartbeatTimedOut,
    )

    original_wait = StateTaskServiceCallback._eval_wait_for_task_token
    original_execution = StateTaskServiceCallback._eval_execution

    def wait(state, env, timeout_seconds, callback_endpoint, heartbeat_endpoint):
        outcome = original_wait(state, env, timeout_seconds, callback_endpoint, heartbeat_endpoint)
        if isinstance(outcome, (CallbackOutcomeTimedOut, HeartbeatTimedOut)):
            callback_endpoint.report(CallbackConsumerTimeout())
        return outcome

    def execution(state, env):
        # Step Functions gives every attempt of a retried task a new token; moto reuses the
        # first, so a retry would inherit its timed-out (or failed) outcome.
        if state._is_integration_pattern():
            token = (env.states.context_object.context_object_data.get("Task") or {}).get("Token")
            endpoint = env.callback_pool_manager.get(token) if token else None
            if endpoint is not None and endpoint._notify_event.is_set():
                env.callback_pool_manager.add(env.states.context_object.update_task_token())
        return original_execution(state, env)

    def notify_heartbeat(endpoint) -> bool:
        # moto arms a task's heartbeat timer only after the invoked function returns, and answers
        # InvalidToken to a heartbeat that comes sooner (a fast asynchronous worker's first beat).
        # Step Functions accepts it: the token is valid from the moment the task starts.
        if endpoint._heartbeat_endpoint is None:
            return True
        endpoint._heartbeat_endpoint.notify()
        return True

    def wait_heartbeat(state, env, callback_endpoint, heartbeat_endpoint):
        outcome = callback_endpoint.get_outcome()
        while outcome is None and env.is_running():
            received = heartbeat_endpoint.clear_and_wait()
            # A result that landed between the check and the wait is read before calling it a timeout.
            outcome = callback_endpoint.get_outcome()
            if outcome is None and not received and env.is_running():
                outcome = HeartbeatTimedOut()
        return outcome

    with replaced(StateTaskServiceCallback, "_eval_wait_for_task_token", wait), \
            replaced(StateTaskServiceCallback, "_wait_for_task_token_heartbeat", wait_heartbeat), \
            replaced(StateTaskServiceCallback, "_eval_execution", execution), \
            replaced(CallbackEndpoint, "notify_heartbeat", notify_heartbeat):
        yield


@contextlib.contextmanager
def task_failure_keeps_cause() -> Iterator[None]:
    """moto's SendTaskFailure drops the `cause`; Step Functions passes it to Catch as $.error.Cause."""
    from moto.core.responses import EmptyResult
    from moto.stepfunctions.responses import StepFunctionResponse

    def send_task_failure(response):
        response.stepfunction_backend.send_task_failure(
            response._get_param("taskToken"), error=response._get_param("error"),
            cause=response._get_param("cause"))
        return EmptyResult()

    with replaced(StepFunctionResponse, "send_task_failure", send_task_failure):
        yield


@contextlib.contextmanager
def executions_start_again() -> Iterator[None]:
    """moto deep-copies the state machine to start an execution, with every earlier execution
    and their thread locks, so a second execution fails to start. The copy needs no history."""
    from moto.stepfunctions.models import StateMachineInstance

    def __deepcopy__(machine, memo):
        cls = machine.__class__
        clone = cls.__new__(cls)
        memo[id(machine)] = clone
        for name, value in machine.__dict__.items():
            setattr(clone, name, [] if name == "executions" else copy.deepcopy(value, memo))
        return clone

    with replaced(StateMachineInstance, "__deepcopy__", __deepcopy__):
        yield


@contextlib.contextmanager
def executions_stop_while_starting() -> Iterator[None]:
    """moto's execution builds its interpreter environment on its own thread; StopExecution in
    the moment before that fails with AttributeError (a 500). Step Functions stops a RUNNING
    execution at any moment, so the stop waits for the environment to exist."""
    import time

    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    original = ExecutionWorker.stop

    def stop(worker, stop_date, error, cause):
        deadline = time.monotonic() + 10
        while getattr(worker, "env", None) is None and time.monotonic() < deadline:
            time.sleep(0.005)
        return original(worker, stop_date=stop_date, error=error, cause=cause)

    with replaced(ExecutionWorker, "stop", stop):
        yield


@contextlib.contextmanager
def quiet_moto() -> Iterator[None]:
    """moto's interpreter logs whole syntax trees at ERROR on every caught failure."""
    with replaced(logging.getLogger("moto"), "level", logging.CRITICAL):
        yield


ALL = (atomic_dynamodb, s3_notifies_after_metadata, s3_events_carry_version, fast_task_token_polling,
       task_tokens_as_step_functions_keeps_them, task_failure_keeps_cause, executions_start_again,
       executions_stop_while_starting, quiet_moto)


@contextlib.contextmanager
def applied() -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for fix in ALL:
            stack.enter_context(fix())
        yield
