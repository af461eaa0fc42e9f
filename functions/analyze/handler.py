from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.analysis_cache import preflight
from filmstudio.pipeline.stages import StageContext, analyze_stage


@lambda_handler
def handler(event, context):
    # Intake (api, ingest) asks for a script's analysis and plan before it writes a job; the Analyze
    # state then finds them stored under their content keys.
    if "preflight" in event:
        return preflight(event["preflight"])
    return analyze_stage(StageContext(), event["job_id"], event["script_key"], event.get("language"))
