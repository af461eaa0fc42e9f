"""The network half of Descript's audio codec (descript-audio-codec 1.0.0, MIT), importable as `dac`.

Vendored for the voice family: Parler-TTS only builds `dac.model.DAC` (encoder, residual vector
quantizer, decoder) and calls its encode/decode/quantizer.from_codes. The upstream package also
imports descript-audiotools at import time, which pulls torchaudio (no build for torch 2.13),
matplotlib, librosa, tensorboard and more; none of that is here. See docs/models.md.
"""

__version__ = "1.0.0"

# preserved here for legacy reasons
__model_version__ = "latest"

from . import nn
from . import model
from .model import DAC
