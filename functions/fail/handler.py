from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.stages import StageContext, fail_stage


@lambda_handler
def handler(event, context):
    return fail_stage(StageContext(), event["job_id"], event.get("stage") or "unknown", event.get("error"))
