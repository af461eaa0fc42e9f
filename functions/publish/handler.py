from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.stages import StageContext, publish_stage


@lambda_handler
def handler(event, context):
    return publish_stage(StageContext(), event["job_id"], event["outputs_key"])
