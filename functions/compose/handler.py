from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.stages import StageContext, compose_stage


@lambda_handler
def handler(event, context):
    return compose_stage(StageContext(), event["job_id"], event["manifest_key"])
