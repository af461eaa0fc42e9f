"""The voice family's SageMaker inference functions: Indic Parler-TTS lines (eSpeak NG where it has no voice for the language).

SageMaker's contract split into its four functions (filmstudio.studio.handler.contract_for),
which run the same engines the local pipeline runs.
Stages served: "speech".
"""

from filmstudio.studio.handler import contract_for

FAMILY = "voice"

model_fn, input_fn, predict_fn, output_fn = contract_for(FAMILY)
