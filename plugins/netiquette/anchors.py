"""Phrase anchors: which of a phrase's words the automaton looks for, so rare keys stand for it.

A phrase's slot sequence is anchored on the run of words whose keys are least likely to occur in
blog text (estimated from `common_words.toml`), so the matcher tries a phrase only where its
rarest words are found.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from math import fsum
from pathlib import Path

from netiquette.spans import bounded

Slot = tuple[bool, tuple[int, ...], frozenset[str], int, frozenset[str], frozenset[str]]
"""A phrase slot as matched: whether it may be left out, the lengths of its strings, the strings,
the shortest length and the strings' beginnings and ends of that length (a quick first test)."""


WINDOW_KEYS = 256
"""Most automaton keys one slot sequence's anchor may expand to."""

COMMON_WORDS_FILE = Path(__file__).with_name("common_words.toml")
"""Common English words, most frequent first: how often a key is hit is estimated from them."""

_TOP_CHANCE = 0.06
"""Share of text words that are the most common word; the n-th is taken to be 1/n as common."""

KEY_CHAR_COST = 1e-8
"""Weight of a key character (automaton memory) against the chance of a hit."""


@lru_cache(maxsize=1)  # built for one compilation, then dropped with the other caches
def word_chances() -> tuple[dict[str, float], ...]:
    """Chance that a text word is, contains, ends with or starts with a string.

    A key is hit wherever it occurs, also inside longer words ("nag" in "manager"), and each hit
    costs time even when the word-boundary test then rejects it.
    """
    with COMMON_WORDS_FILE.open("rb") as file:
        words = list(dict.fromkeys(tomllib.load(file)["words"].split()))
    exact: dict[str, float] = {}
    within: defaultdict[str, float] = defaultdict(float)
    ending: defaultdict[str, float] = defaultdict(float)
    starting: defaultdict[str, float] = defaultdict(float)
    for rank, word in enumerate(words, start=1):
        chance = exact[word] = _TOP_CHANCE / rank
        size = len(word)
        for low in range(size):
            ending[word[low:]] += chance
            starting[word[: low + 1]] += chance
            for high in range(low + 1, size + 1):
                within[word[low:high]] += chance
    return exact, dict(within), dict(ending), dict(starting)


_RARE_CHANCE = _TOP_CHANCE / 2000
"""Chance of a word that is not among the common words."""


def _string_chance(string: str) -> float:
    """Rough chance that a key (words joined by spaces) is hit at a given word of a text."""
    exact, within, ending, starting = word_chances()
    rare = _RARE_CHANCE
    words = string.split(" ")
    if len(words) == 1:
        return within.get(string, 0.0) + rare
    chance = (ending.get(words[0], 0.0) + rare) * (starting.get(words[-1], 0.0) + rare)
    for word in words[1:-1]:
        chance *= exact.get(word, rare)
    return chance


_Anchoring = tuple[list[str], tuple[frozenset[str], ...], tuple[frozenset[str], ...]]

HOT_CHANCE = 1e-4
"""A key string hit more often than this is worth separating from the rest of its slot."""

SPLIT_DEPTH = 2
"""How many times one sequence may be split on the hot strings of a slot."""


def anchorings(sequence: tuple[frozenset[str], ...]) -> list[_Anchoring]:
    """How the forms of one slot sequence are found: (keys, slots before, slots after).

    The keys are the forms of the run of consecutive slots that is rarest in text (within
    `WINDOW_KEYS` keys); every form of the sequence holds one of them, so a hit on a key that the
    slots on each side extend in the text is exactly a form. A run must not be able to be empty:
    a sequence whose slots may all be left out is split on its first slot (present or absent).
    """
    return _anchor(sequence, SPLIT_DEPTH)[1]


def _anchor(sequence: tuple[frozenset[str], ...], depth: int) -> tuple[float, list[_Anchoring]]:
    """The cheapest anchorings of ``sequence`` and their cost (`_run_cost`, summed).

    When the best run is one slot holding a few common strings ("rude" among rare insults), the
    sequence may be split in two: one with the slot's rare strings, anchored there, and one per
    common string, whose run can then reach over the neighbouring slots.
    """
    if not sequence:
        return 0.0, []
    if all("" in slot for slot in sequence):
        first, rest = sequence[0], sequence[1:]
        present = (first - {""}, *rest)
        cost, found = _anchor(present, depth) if present[0] else (0.0, [])
        more, others = _anchor(rest, depth)
        return cost + more, found + others
    best: tuple[tuple[float, int], int, int, list[str]] | None = None
    for low in range(len(sequence)):
        forms = [""]
        for high in range(low + 1, len(sequence) + 1):
            slot = sequence[high - 1]
            if len(forms) * len(slot) > WINDOW_KEYS and high > low + 1:
                break
            forms = sorted({_join(head, tail) for head in forms for tail in slot})
            if "" in forms:
                continue
            score = (_run_cost(forms), len(forms))
            if best is None or score < best[0]:
                best = (score, low, high, forms)
    assert best is not None
    (cost, _), low, high, forms = best
    anchoring = (forms, sequence[:low], sequence[high:])
    if depth and high == low + 1 and len(sequence) > 1:
        slot = sequence[low]
        hot = sorted(s for s in slot if s and _string_chance(s) > HOT_CHANCE)
        if hot and len(hot) < len(slot - {""}):
            parts = [slot - set(hot), *({s} for s in hot)]
            split = [
                _anchor((*sequence[:low], frozenset(p), *sequence[high:]), depth - 1) for p in parts
            ]
            if sum(c for c, _ in split) < cost:
                return sum(c for c, _ in split), [a for _, found in split for a in found]
    return cost, [anchoring]


def _run_cost(forms: list[str]) -> float:
    """How much keying a run to ``forms`` costs: expected hits per text word, plus key memory."""
    return fsum(map(_string_chance, forms)) + KEY_CHAR_COST * sum(map(len, forms))


LITERAL_KEY = 10
"""Shortest key for a pattern literal (at least two words are taken when there are two)."""


def literal_key(literal: str) -> str:
    """The start of ``literal`` that keys it: its first words, at least `LITERAL_KEY` long."""
    space = literal.find(" ", max(LITERAL_KEY, literal.find(" ") + 1))
    return literal if space < 0 else literal[:space]


def _join(head: str, tail: str) -> str:
    return f"{head} {tail}" if head and tail else head or tail


def intern_side(
    side: tuple[frozenset[str], ...], slots: dict[frozenset[str], Slot]
) -> tuple[Slot, ...]:
    """The slots of one side as matched, nearest the key first; equal slots shared."""
    result = []
    for strings in side:
        if strings not in slots:
            words = strings - {""}
            lengths = tuple(sorted({len(word) for word in words}))
            shortest = lengths[0] if lengths else 0
            heads = frozenset(word[:shortest] for word in words)
            tails = frozenset(word[-shortest:] for word in words)
            slots[strings] = ("" in strings, lengths, words, shortest, heads, tails)
        result.append(slots[strings])
    return tuple(result)


_NO_GUARD: tuple[int, frozenset[str]] = (0, frozenset())


def guards(left: tuple[Slot, ...], right: tuple[Slot, ...]) -> tuple:
    """Quick tests of the text next to a key: the required slot nearest on each side, if any."""
    before = (left[0][3], left[0][5]) if left and not left[0][0] else _NO_GUARD
    after = (right[0][3], right[0][4]) if right and not right[0][0] else _NO_GUARD
    return (*before, *after)


def extended_spans(
    text: str, start: int, end: int, left: tuple[Slot, ...], right: tuple[Slot, ...]
) -> list[tuple[int, int]]:
    """The bounded spans around a key at ``text[start:end]`` that its side slots extend it to."""
    starts: Iterable[int] = (start,)
    for optional, lengths, strings, *_ in left:
        reached = set(starts) if optional else set()
        for position in starts:
            if position < 2 or text[position - 1] != " ":
                continue
            for length in lengths:
                begin = position - 1 - length
                if begin >= 0 and text[begin : position - 1] in strings:
                    reached.add(begin)
        if not reached:
            return []
        starts = reached
    ends: Iterable[int] = (end,)
    size = len(text)
    for optional, lengths, strings, *_ in right:
        reached = set(ends) if optional else set()
        for position in ends:
            if text[position : position + 1] != " ":
                continue
            for length in lengths:
                finish = position + 1 + length
                if finish <= size and text[position + 1 : finish] in strings:
                    reached.add(finish)
        if not reached:
            return []
        ends = reached
    return [(s, e) for s in starts for e in ends if bounded(text, s, e)]
