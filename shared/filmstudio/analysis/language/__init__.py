"""The language of a script and of each line, and what follows from a language alone.

- `identify`: writing system first, then lingua (`detect_language`, `detect_line_language`,
  `normalize_hint`, re-exported here: the API and intake read the hint through this package);
- `writing_systems`: Unicode ranges to writing systems;
- `transliterate`: ASCII ids for names in any script;
- `speech_timing`: how long a line takes to say, from syllables and each language's rate.
"""

from filmstudio.analysis.language.identify import detect_language, detect_line_language, normalize_hint

__all__ = ["detect_language", "detect_line_language", "normalize_hint"]
