from filmstudio.observability import handler as lambda_handler
from filmstudio.pipeline.completion import run_and_report
from filmstudio.pipeline.stages import StageContext, run_media_task


@lambda_handler
def handler(event, context):
    # Invoked asynchronously by gpu_submit with the task token; reports through it.
    return run_and_report("music", event["task_token"], lambda: run_media_task(StageContext(), {**event, "stage": "music"}),
                          event=event)
