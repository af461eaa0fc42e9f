from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.callback import (
    handle_batch_event,
    handle_failed_invocation,
    handle_notification,
    is_batch_event,
    is_failed_invocation,
    is_schedule,
    keep_waiting_tasks,
)


@lambda_handler
def handler(event, context):
    # A media stage's asynchronous invocation that failed (its on-failure destination); a Batch job
    # state change (EventBridge); the GPU task keeper's schedule; or SNS records from a SageMaker
    # asynchronous endpoint's success/error topics.
    if is_failed_invocation(event):
        return handle_failed_invocation(event)
    if is_batch_event(event):
        return handle_batch_event(event)
    if is_schedule(event):
        return keep_waiting_tasks()
    return [handle_notification(record) for record in event.get("Records", [])]
