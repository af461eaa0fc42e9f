"""The visual family's SageMaker inference functions: SDXL base + IP-Adapter key frames and LTX-Video image-to-video clips.

SageMaker's contract split into its four functions; the work itself is
filmstudio.studio.handler's, which runs the same engines the local pipeline runs.
Stages served: "storyboard" and "motion".
"""

from filmstudio.studio import handler

FAMILY = "visual"


def model_fn(model_dir):
    """Put this family's pipelines on the device; /ping answers 200 only after this returns."""
    return handler.model_fn(model_dir, FAMILY)


def input_fn(body, content_type):
    """One StudioRequest (JSON, keys never payloads); a bad one raises a 4xx RequestError."""
    return handler.input_fn(body, content_type)


def predict_fn(request, model):
    """Read the request's keys from S3, render, write output_key; a StudioResponse."""
    return handler.predict_fn(request, model)


def output_fn(response, accept):
    return handler.output_fn(response, accept)
