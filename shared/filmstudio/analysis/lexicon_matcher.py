"""The matcher moved to `filmstudio.vocabulary.matcher` (shared by analysis and the storyboard)."""

from filmstudio.vocabulary.matcher import LexiconMatcher  # noqa: F401
