"""The studio tier: generated key frames, moving shots, neural voices and music (docs/studio.md).

Nothing here imports torch at import time: the plan stage, intake and the CLI use
the model directory and the contract on machines without the GPU stack.
"""
