"""Sentence boundaries in a segment: where a quoted piece of evidence begins and ends."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

SENTENCE_REACH = 1500
"""Longest stretch searched for a sentence boundary on each side of a mention."""

_SENTENCE_END = re.compile(r"[.!?\u2026][.!?\u2026\"'\u201d\u2019)\]*]*\s+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


class SentenceBreaks:
    """Sentence boundaries of one text, found once and looked up for each mention."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = [match.span() for match in _SENTENCE_END.finditer(text)]
        if "\n" in text:
            spans = sorted(spans + [match.span() for match in _BLANK_LINE.finditer(text)])
        self.spans = spans
        self.cache: dict[tuple[int, int], tuple[str, int]] = {}

    def sentence(self, start: int, end: int) -> tuple[str, int]:
        """The stripped sentence holding ``text[start:end]`` and its offset."""
        text = self.text
        spans = self.spans
        before = bisect_right(spans, start, key=_end)
        begin = spans[before - 1][1] if before else 0
        after = bisect_left(spans, end, key=_start)
        finish = spans[after][1] if after < len(spans) else len(text)
        if start - begin > SENTENCE_REACH:  # no punctuation for a long way: cut at a space
            space = text.find(" ", start - SENTENCE_REACH, start)
            begin = space + 1 if space >= 0 else start - SENTENCE_REACH
        if finish - end > SENTENCE_REACH:
            space = text.rfind(" ", end, end + SENTENCE_REACH)
            finish = space if space >= 0 else end + SENTENCE_REACH
        key = (begin, finish)
        if key not in self.cache:
            raw = text[begin:finish]
            self.cache[key] = (raw.strip(), begin + len(raw) - len(raw.lstrip()))
        return self.cache[key]

    def sentences(self) -> list[tuple[int, int]]:
        """The (start, end) of every non-blank sentence, in order, stripped of surrounding space."""
        found = []
        begin = 0
        for _, finish in [*self.spans, (len(self.text), len(self.text))]:
            raw = self.text[begin:finish]
            if raw.strip():
                start = begin + len(raw) - len(raw.lstrip())
                found.append((start, start + len(raw.strip())))
            begin = finish
        return found


def _start(span: tuple[int, int]) -> int:
    return span[0]


def _end(span: tuple[int, int]) -> int:
    return span[1]
