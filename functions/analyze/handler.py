from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.stages import StageContext, analyze_stage


@lambda_handler
def handler(event, context):
    return analyze_stage(StageContext(), event["job_id"], event["script_key"], event.get("language"))
