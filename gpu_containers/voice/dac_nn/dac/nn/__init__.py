# Vendored from descript-audio-codec-unofficial 1.0.0 (MIT, see LICENSE): loss.py (training only) is not kept.
from . import layers
from . import quantize
