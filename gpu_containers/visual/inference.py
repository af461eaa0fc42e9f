"""The visual family's SageMaker inference functions: SDXL base + IP-Adapter key frames and LTX-Video image-to-video clips.

SageMaker's contract split into its four functions (filmstudio.studio.handler.contract_for),
which run the same engines the local pipeline runs.
Stages served: "storyboard" and "motion".
"""

from filmstudio.studio.handler import contract_for

FAMILY = "visual"

model_fn, input_fn, predict_fn, output_fn = contract_for(FAMILY)
