"""Offsets between a text and its normalised, space-collapsed form, and the spans found in it."""

from __future__ import annotations

import re
from bisect import bisect_left

PATTERN_WINDOW = 250
"""Characters searched on each side of a pattern's literal; a pattern match is shorter than this."""

SPACES = re.compile(r"  +")
_HYPHEN_CHARS = re.compile("[-\u2010\u2011\u00ad]")
INNER_HYPHEN = re.compile("(?<=[^\\W_])[-\u2010\u2011\u00ad](?=[^\\W_])")
STOPS = (". ", "! ", "? ")


def shifts(spaced: str) -> tuple[list[int], list[int]]:
    """Where runs of spaces were made single in ``spaced``, to map offsets back to the text.

    For each run: its position in the collapsed text, and how many characters were removed up
    to and including it. Computed only for texts that have mentions.
    """
    starts: list[int] = []
    removed: list[int] = []
    total = 0
    for match in SPACES.finditer(spaced):
        begin, finish = match.span()
        starts.append(begin - total)
        total += finish - begin - 1
        removed.append(total)
    return starts, removed


def hyphen_joins(text: str, spaced: str) -> list[int]:
    """Where ``text`` has a hyphen between two letters or digits, in offsets of the collapsed
    copy of ``spaced`` (``text`` normalised 1:1, where the hyphen is a space)."""
    joins = []
    runs = SPACES.finditer(spaced)
    run = next(runs, None)
    removed = 0
    for match in INNER_HYPHEN.finditer(text):
        position = match.start()
        while run is not None and run.end() <= position:
            removed += run.end() - run.start() - 1
            run = next(runs, None)
        joins.append(position - removed)
    return joins


def word_end(text: str, index: int) -> int:
    """The end of the word at ``index`` (or ``len(text)``), so a window never cuts a word."""
    if index >= len(text):
        return len(text)
    end = text.find(" ", index)
    return len(text) if end < 0 else end


def original(index: int, shifts: tuple[list[int], list[int]]) -> int:
    starts, removed = shifts
    runs_before = bisect_left(starts, index)
    return index + (removed[runs_before - 1] if runs_before else 0)


def bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not part of a longer word (letters or digits run on)."""
    if not starts_word(text, start):
        return False
    last = text[end - 1]
    if end < len(text) and last.isalnum():
        after = text[end]
        if after.isalnum() and after.isdigit() == last.isdigit():
            return False
    return True


def starts_word(text: str, start: int) -> bool:
    if start == 0:
        return True
    before, first = text[start - 1], text[start]
    return not (before.isalnum() and first.isalnum() and before.isdigit() == first.isdigit())


def searched_spans(regex: re.Pattern[str], text: str, positions: list[int]):
    """Bounded matches of ``regex`` in the sentences around ``positions`` (the whole text if none).

    A window reaches at most `PATTERN_WINDOW` characters either side of a position and stops at
    sentence punctuation followed by a space.
    """
    if not positions or len(text) <= PATTERN_WINDOW:
        windows = [(0, len(text))]
    else:
        windows = []
        for position in sorted(set(positions)):
            if windows and position < windows[-1][1]:
                continue
            low = max(0, position - PATTERN_WINDOW)
            high = min(len(text), position + PATTERN_WINDOW)
            starts = [i + 2 for i in (text.rfind(stop, low, position) for stop in STOPS) if i >= 0]
            low = max([low, *starts])
            ends = [i for i in (text.find(stop, position, high) for stop in STOPS) if i >= 0]
            high = min(ends) + 1 if ends else high
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(high, windows[-1][1]))
            else:
                windows.append((low, high))
    for low, high in windows:
        for match in regex.finditer(text, low, high):
            start, end = match.span()
            if start < end and bounded(text, start, end):
                yield start, end


def without_vetoed(
    found: list[tuple[int, int, int]], vetoes: dict[int, list[tuple[int, int]]]
) -> list[tuple[int, int, int]]:
    if not vetoes:
        return found
    return [
        (topic, start, end)
        for topic, start, end in found
        if not any(v_start < end and start < v_end for v_start, v_end in vetoes.get(topic, ()))
    ]


def dedupe(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """One span per topic and cluster of overlapping spans: the longest, earliest one."""
    if len(found) == 1:
        return found
    result = []
    best: tuple[int, int, int] | None = None
    reach = -1
    for topic, start, end in sorted(set(found), key=lambda f: (f[0], f[1], -f[2])):
        if best is not None and topic == best[0] and start < reach:
            reach = max(reach, end)
            if end - start > best[2] - best[1]:
                best = (topic, start, end)
            continue
        if best is not None:
            result.append(best)
        best, reach = (topic, start, end), end
    if best is not None:
        result.append(best)
    return result
