"""The preview tier: CPU-only engines (procedural panels, ffmpeg camera moves, eSpeak NG, numpy music, ffmpeg compose)."""
