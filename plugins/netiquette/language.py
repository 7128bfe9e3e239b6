"""Is a segment English? The topics, phrases and model are English; other text is left untagged.

Most segments decide cheaply: a text in another script, or a long text with none of English's most
common words, is not English; a text in Latin letters where those words are common is. Only the rest
(long Latin-script text with few of them) goes to py3langid's classifier. Short texts ("Thanks,
Anna!") count as English: too little to tell, and tagging them by mistake costs little.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SHORT_WORDS = 6
"""Texts with fewer words than this are taken to be English."""

COMMON_SHARE = 0.22
"""Share of words that are common English words above which a text is taken to be English."""

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
    words = _WORD.findall(text)
    if not words:
        return True
    letters = "".join(words)
    latin = sum(1 for ch in letters if ch < "\u0250" or _is_latin(ch))
    if latin < 0.5 * len(letters):
        return False
    if len(words) < SHORT_WORDS:
        return True
    common = sum(1 for word in words if word.lower() in _COMMON)
    if common >= COMMON_SHARE * len(words):
        return True
    return _classify(text) == "en"


@lru_cache(maxsize=1024)
def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def _classify(text: str) -> str:
    import py3langid

    return py3langid.classify(text)[0]
