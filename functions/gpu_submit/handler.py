from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.dispatch import submit


@lambda_handler
def handler(event, context):
    return submit(event)
