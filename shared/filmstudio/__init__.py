"""Film Studio: script in, film out."""

__version__ = "0.1.0"
