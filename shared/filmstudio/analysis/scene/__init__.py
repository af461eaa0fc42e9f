"""What a scene is like, from its words: setting, time, weather, mood, cues and props
(`attributes`, from the word lists in `lexicons` and the shared `filmstudio.vocabulary`), and the
region and tradition of the script (`culture`).
"""
