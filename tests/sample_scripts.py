"""Scripts written for the tests (the tests never read ../shared): import them from here."""

# One scene, two speakers: the smallest script that exercises every stage.
ONE_SCENE = """Title: Two Cups

INT. KITCHEN - MORNING

Steam rises from a kettle. ASHA (30s) pours two cups of tea.

ASHA
You are late again.

VIKRAM
The bus broke down. I walked.
"""
