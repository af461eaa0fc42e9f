"""The music family's SageMaker inference functions: ACE-Step 1.5 scene cues, 48 kHz stereo.

SageMaker's contract split into its four functions (filmstudio.studio.handler.contract_for),
which run the same engines the local pipeline runs.
Stages served: "music".
"""

from filmstudio.studio.handler import contract_for

FAMILY = "music"

model_fn, input_fn, predict_fn, output_fn = contract_for(FAMILY)
