from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.callback import handle_event


@lambda_handler
def handler(event, context):
    return handle_event(event)
