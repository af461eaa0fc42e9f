"""Script understanding: screenplay, prose or topic in, ScriptAnalysis out.

`analyze(text, language=None)` is the entry point of the analyze stage.
"""

from filmstudio.analysis.analyzer import analyze, detect_format
from filmstudio.analysis.limits import MAX_SCENES, MAX_SCRIPT_CHARS

__all__ = ["analyze", "detect_format", "MAX_SCENES", "MAX_SCRIPT_CHARS"]
