"""Text into draft scenes: one parser per format (`screenplay`, `prose`, `topic`), with the text
clean-up they share (`markup`) and prose's quoting and paragraph rules (`prose_text`).

Parsers decide where scenes begin and which words are dialogue; who a character is and who says
a line they leave to `filmstudio.analysis.people`.
"""
