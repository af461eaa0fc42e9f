from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.callback import handle_failed_invocation, handle_notification, is_failed_invocation


@lambda_handler
def handler(event, context):
    # A media stage's asynchronous invocation that failed (its on-failure destination), or SNS records
    # from a SageMaker asynchronous endpoint's success/error topics.
    if is_failed_invocation(event):
        return handle_failed_invocation(event)
    return [handle_notification(record) for record in event.get("Records", [])]
