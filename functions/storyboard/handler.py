from filmstudio.pipeline.media_handler import media_handler

handler = media_handler("storyboard")
