from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.callback import handle_notification


@lambda_handler
def handler(event, context):
    # SNS records from a SageMaker asynchronous endpoint's success/error topics.
    return [handle_notification(record) for record in event.get("Records", [])]
