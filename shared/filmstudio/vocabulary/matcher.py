"""Find lexicon words in text in any script.

Latin-script words match on word boundaries ("rain" must not fire inside
"train"); words in Indic and other scripts match as prefixes of a word, since
those languages glue case endings onto nouns ("மதுரையில்", "मंदिर" in
"मंदिरों").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping


_VIRAMAS = "\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d"


_CASE_ENDING = r"(?:(?![\w\u0900-\u0DFF])|(?=யி|யை|யு|க்கு|ில|ின|ிட|லோ|లో|కు|ని|తో|তে|র|কে|ে|ों|ें))"


def _trie(words: Iterable[str]) -> str:
    """One regex alternation for the words, factored by common prefixes.

    Python's re tries a flat alternation word by word at every position; a trie tries
    one character at a time. Greedy optional tails keep "longest word first".
    """
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return emit(root)


def _is_latin(word: str) -> bool:
    return all(ord(c) < 0x0370 for c in word)


class LexiconMatcher:
    """Maps lexicon words (any language) to their canonical class."""

    def __init__(self, classes: Mapping[str, Iterable[str]]):
        self._class_of: dict[str, str] = {}
        latin: list[str] = []
        other: list[str] = []
        for cls, words in classes.items():
            for word in words:
                # Texts reach us NFC-normalised; the word lists must match that form.
                key = unicodedata.normalize("NFC", word).casefold()
                if not _is_latin(key) and not key.endswith("$"):
                    # A final virama is where a case ending attaches: "கோயில்" is
                    # written "கோயிலுக்கு" (to the temple), so match the stem.
                    key = key.rstrip(_VIRAMAS) or key
                self._class_of.setdefault(key.rstrip("$"), cls)
                (latin if _is_latin(word) else other).append(key)
        # Longest first, so "post office" wins over "office" and "அதிகாலை" over "காலை".
        latin.sort(key=len, reverse=True)
        other.sort(key=len, reverse=True)
        parts = []
        if latin:
            parts.append(r"(?<![\w])(?:" + _trie(latin) + r")(?![\w])")
        if other:
            # Indic vowel signs are not \w, so the lookbehind names the blocks too:
            # "காலை" (morning) must not fire inside "அதிகாலை" (dawn).
            before = r"(?<![\w\u0900-\u0DFF\u0300-\u036F])"
            stems = [w for w in other if not w.endswith("$")]
            strict = [w[:-1] for w in other if w.endswith("$")]
            if stems:
                parts.append(before + "(?:" + _trie(stems) + ")")
            if strict:
                # Words marked "$" in a lexicon are prefixes of too many other words ("கடை", shop,
                # of "கடைசி", last): they must end the word or go on with a case ending.
                parts.append(before + "(?:" + _trie(strict) + ")" + _CASE_ENDING)
        # Keys are casefolded and so is the text we search: no IGNORECASE, which
        # makes large alternations markedly slower.
        self._regex = re.compile("|".join(parts) if parts else r"(?!)")

    def finditer(self, text: str) -> Iterable[tuple[int, str, str]]:
        """(position, canonical class, the word as written) for each match, in order."""
        for m in self._regex.finditer(text.casefold()):
            word = m.group(0)
            key = word.casefold()
            # Strict ("$") words keep their final virama; stems were stored without it.
            cls = self._class_of.get(key) or self._class_of[key.rstrip(_VIRAMAS) or key]
            yield m.start(), cls, word

    def classes(self, text: str) -> list[str]:
        """Distinct classes found, in order of first appearance."""
        seen: dict[str, None] = {}
        for _, cls, _ in self.finditer(text):
            seen.setdefault(cls, None)
        return list(seen)

    def first(self, text: str) -> str | None:
        for _, cls, _ in self.finditer(text):
            return cls
        return None

    def hits(self, text: str) -> list[tuple[str, str]]:
        return [(cls, word) for _, cls, word in self.finditer(text)]
