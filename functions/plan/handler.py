from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.stages import StageContext, plan_stage


@lambda_handler
def handler(event, context):
    return plan_stage(StageContext(), event["job_id"], event["analysis_key"], event.get("tier", "preview"),
                      event.get("options"))
