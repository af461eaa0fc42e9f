"""The people of a script: who is a character, who says a line, and what the text says about them.

- `cast`: the one register of characters (names merged into people, age and gender votes);
- `mentions`: who prose narration names, introduces or refers to (its characters join the cast);
- `attribution`: who says a line of prose, from the speech verbs next to it and the cast;
- `addressing`: what being spoken to says about the listener ("Grandma, …");
- `kinship`, `name_patterns`, `attire`: the word lists behind them.
"""
