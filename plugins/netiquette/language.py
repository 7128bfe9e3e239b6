"""Is a segment English? The topics, phrases and model are English; other text is left untagged.

Most segments decide cheaply: a text in another script, or a long text with none of English's most
common words, is not English; a text in Latin letters where those words are common is. Only the rest
(long Latin-script text with few of them) goes to py3langid's classifier. Short texts ("Thanks,
Anna!") count as English: too little to tell, and tagging them by mistake costs little.
"""

from __future__ import annotations

import re

SHORT_WORDS = 6
"""Texts with fewer words than this are taken to be English."""

COMMON_SHARE = 0.22
"""Share of words that are common English words above which a text is taken to be English."""

READ_CHARS = 2000
"""Only the start of a long text is read to decide."""

_NOT_LATIN = re.compile(r"[^\W\d_A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_COMMON = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "don't",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "he",
        "her",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "like",
        "me",
        "more",
        "my",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "other",
        "our",
        "out",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def is_english(text: str) -> bool:
    """Whether ``text`` reads as English (or is too short to say otherwise)."""
    words = _WORD.findall(text[:READ_CHARS])
    if not words:
        return True
    if not text.isascii():
        foreign = len(_NOT_LATIN.findall(text[:READ_CHARS]))
        if foreign > 0.5 * sum(map(len, words)):
            return False
    if len(words) < SHORT_WORDS:
        return True
    common = sum(map(_COMMON.__contains__, map(str.lower, words)))
    if common >= COMMON_SHARE * len(words):
        return True
    return _classify(text) == "en"


def _classify(text: str) -> str:
    import py3langid

    return py3langid.classify(text)[0]
