from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.ingest import handle_s3_event


@lambda_handler
def handler(event, context):
    return handle_s3_event(event)
