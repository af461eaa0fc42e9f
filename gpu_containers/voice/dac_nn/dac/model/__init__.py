# Vendored from descript-audio-codec-unofficial 1.0.0 (MIT, see LICENSE): DACFile and the Discriminator
# (training only) are not part of the network half kept here.
from .base import CodecMixin
from .dac import DAC
