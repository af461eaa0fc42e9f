"""The voice family's SageMaker inference functions: Indic Parler-TTS lines (eSpeak NG where it has no voice for the language).

SageMaker's contract split into its four functions; the work itself is
filmstudio.studio.handler's, which runs the same engines the local pipeline runs.
Stages served: "speech".
"""

from filmstudio.studio import handler

FAMILY = "voice"


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
