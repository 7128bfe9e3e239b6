"""Phrase evidence of etiquette topics: exact spans that can be quoted and highlighted.

A `PhraseMatcher` compiles a whole `Taxonomy` once: every phrase form of every topic (and every exclusion)
goes into one Aho-Corasick automaton, and each regular-expression pattern is keyed to literals it
cannot match without, which go into the same automaton. Tagging a text is then one pass of the
automaton over a normalised copy of the text, a word-boundary check per candidate, and a pattern
tried only where its literals were seen: anchored at the literal when the pattern starts with it,
otherwise searched in a window around it.

The normalised copy is the text lowercased and put through a 1:1 character map (quotes, dashes,
spaces, accents; see `netiquette.taxonomy.normalise`), with runs of spaces collapsed; offsets are
mapped back, so every `Mention` points into the original text.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from math import fsum
from pathlib import Path

import ahocorasick

from netiquette.model import Mention
from netiquette.sentences import SentenceBreaks
from netiquette.taxonomy import (
    Taxonomy,
    compile_pattern,
    forget_expansions,
    load_taxonomy,
    normalise,
    phrase_slots,
)

_LENGTH_BITS = 12
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1

PATTERN_WINDOW = 250
"""Characters searched on each side of a pattern's literal; a pattern match is shorter than this."""

_SPACES = re.compile(r"  +")
_HYPHEN_CHARS = re.compile("[-\u2010\u2011\u00ad]")
_INNER_HYPHEN = re.compile("(?<=[^\\W_])[-\u2010\u2011\u00ad](?=[^\\W_])")
_STOPS = (". ", "! ", "? ")

JOIN_ALONE = 8
"""Most hyphens of one stretch of text that are also each joined alone (not only all at once)."""


@dataclass(frozen=True)
class _Pattern:
    topic: int
    veto: bool
    regex: re.Pattern[str]
    anchored: bool  # every match starts where one of its literals starts


_Slot = tuple[bool, tuple[int, ...], frozenset[str], int, frozenset[str], frozenset[str]]
"""A phrase slot as matched: whether it may be left out, the lengths of its strings, the strings,
the shortest length and the strings' beginnings and ends of that length (a quick first test)."""


@dataclass(frozen=True)
class PatternLiterals:
    """Strings one of which every match of a pattern contains (normalised, like the text)."""

    literals: tuple[str, ...]
    at_start: bool
    """True when every match starts with one of the literals, so it can be tried right there."""


class PhraseMatcher:
    """All topics of a taxonomy compiled into one matcher, applied to many texts."""

    def __init__(self, taxonomy: Taxonomy | None = None) -> None:
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        self._slugs = self.taxonomy.slugs
        self._patterns: list[_Pattern] = []
        self._unanchored: list[int] = []
        rules: defaultdict[str, dict[tuple, tuple[list[int], list[int]]]] = defaultdict(dict)
        anchors: defaultdict[str, defaultdict[int, set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )
        slots: dict[frozenset[str], _Slot] = {}
        self._longest_form = 0
        for index, topic in enumerate(self.taxonomy.topics):
            for veto, phrases in ((False, topic.phrases), (True, topic.exclusions)):
                for phrase in phrases:
                    for sequence in phrase_slots(phrase):
                        longest = sum(max(map(len, slot)) + 1 for slot in sequence)
                        self._longest_form = max(self._longest_form, longest)
                        for keys, left, right in _anchorings(sequence):
                            context = (
                                _intern_side(left[::-1], slots),
                                _intern_side(right, slots),
                            )
                            for key in keys:
                                rules[key].setdefault(context, ([], []))[veto].append(index)
            for veto, sources in ((False, topic.patterns), (True, topic.exclusion_patterns)):
                for source in sources:
                    number = len(self._patterns)
                    found = pattern_literals(source)
                    anchored = found is not None and found.at_start
                    self._patterns.append(_Pattern(index, veto, compile_pattern(source), anchored))
                    if found is None:
                        self._unanchored.append(number)
                    for literal in found.literals if found else ():
                        key = _literal_key(literal)
                        anchors[key][number].add(literal[len(key) :])

        self._automaton: ahocorasick.Automaton | None = None
        keys = rules.keys() | anchors.keys()
        # Keys store plain ints (no Python object per key): the index of what the key stands for in
        # `_meanings`, shifted left past the key's length. Most keys share a meaning.
        meanings: dict[tuple, int] = {}
        if keys:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            empty: tuple[int, ...] = ()
            for key in sorted(keys, key=_by_letter_frequency):
                if len(key) > _LENGTH_MASK:
                    raise ValueError(f"phrase form longer than {_LENGTH_MASK} characters: {key!r}")
                plain: list[int] = []
                checked: defaultdict[frozenset[str], list[int]] = defaultdict(list)
                for number, tails in anchors.get(key, {}).items():
                    if "" in tails:
                        plain.append(number)
                    else:
                        checked[frozenset(tails)].append(number)
                direct: tuple[tuple[int, ...], tuple[int, ...]] = (empty, empty)
                extended = []
                for (left, right), (topics, vetoed) in rules.get(key, {}).items():
                    if left or right:
                        extended.append(
                            (left, right, _unique(topics), _unique(vetoed), *_guards(left, right))
                        )
                    else:
                        direct = (_unique(topics), _unique(vetoed))
                meaning = (
                    *direct,
                    tuple(extended),
                    *self._split_anchored(plain),
                    tuple(
                        (
                            tuple(sorted({len(t) for t in tails})),
                            tails,
                            *self._split_anchored(numbers),
                        )
                        for tails, numbers in checked.items()
                    ),
                )
                index = meanings.setdefault(meaning, len(meanings))
                automaton.add_word(key, index << _LENGTH_BITS | len(key))
            automaton.make_automaton()
            self._automaton = automaton
        self._meanings = list(meanings)
        self.key_count = len(keys)
        forget_expansions()
        _frequent.cache_clear()
        _word_chances.cache_clear()

    def _split_anchored(self, numbers: list[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Patterns tried where a literal starts a word, and patterns searched around it."""
        return (
            _unique([n for n in numbers if self._patterns[n].anchored]),
            _unique([n for n in numbers if not self._patterns[n].anchored]),
        )

    def tag(self, text: str) -> list[Mention]:
        """Every topic mention in ``text``, sorted by (start, topic)."""
        if not text:
            return []
        spaced = normalise(text)
        norm = spaced
        while "  " in norm:  # runs of spaces become one, as in the phrase forms
            norm = norm.replace("  ", " ")
        found, vetoes = self._spans(norm)
        if _HYPHEN_CHARS.search(text):
            self._joined_spans(text, spaced, norm, found, vetoes)
        if not found:
            return []
        spans = _dedupe(_without_vetoed(found, vetoes))
        return self._mentions(text, spans, _shifts(spaced) if norm is not spaced else None)

    def _joined_spans(
        self,
        text: str,
        spaced: str,
        norm: str,
        found: list[tuple[int, int, int]],
        vetoes: dict[int, list[tuple[int, int]]],
    ) -> None:
        """Add the phrase spans that need a hyphen of the text joined ("un-follow" as unfollow).

        A hyphen inside a word of the text is a space in ``norm``; phrases are also looked for in
        a copy of the text around it with that space removed, and what spans a removed space is
        mapped back to ``norm`` offsets. Patterns see only ``norm`` (they are written for it).
        """
        joins = _joins(text, spaced)
        if not joins:
            return
        reach = self._longest_form
        windows: list[list[int]] = []  # [low, high, join positions...] in norm offsets
        for join in joins:
            if windows and join - reach <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], _word_end(norm, join + reach))
                windows[-1].append(join)
            else:
                low = join - reach
                low = norm.rfind(" ", 0, low) + 1 if low > 0 else 0
                windows.append([low, _word_end(norm, join + reach), join])
        for low, high, *spaces in windows:
            self._join_window(norm, low, high, spaces, found, vetoes)
            if 1 < len(spaces) <= JOIN_ALONE:  # "e-mail-blast" for "email blast": each alone too
                for space in spaces:
                    low_one = space - reach
                    low_one = norm.rfind(" ", 0, low_one) + 1 if low_one > 0 else 0
                    high_one = _word_end(norm, space + reach)
                    self._join_window(norm, low_one, high_one, [space], found, vetoes)

    def _join_window(
        self,
        norm: str,
        low: int,
        high: int,
        spaces: list[int],
        found: list[tuple[int, int, int]],
        vetoes: dict[int, list[tuple[int, int]]],
    ) -> None:
        """Phrase spans of ``norm[low:high]`` with the ``spaces`` removed that cross one of them."""
        pieces, points, previous = [], [], low
        for space in spaces:
            pieces.append(norm[previous:space])
            previous = space + 1
            points.append(previous - low - len(points) - 1)  # where the joined word resumes
        pieces.append(norm[previous:high])
        more, more_vetoes = self._spans("".join(pieces), patterns=False)

        def back(index: int) -> int:
            return low + index + bisect_right(points, index)

        for topic, start, end in more:
            if any(start < point < end for point in points):
                found.append((topic, back(start), back(end - 1) + 1))
        for topic, spans in more_vetoes.items():
            for start, end in spans:
                if any(start < point < end for point in points):
                    vetoes.setdefault(topic, []).append((back(start), back(end - 1) + 1))

    def _spans(
        self, norm: str, patterns: bool = True
    ) -> tuple[list[tuple[int, int, int]], dict[int, list[tuple[int, int]]]]:
        """Candidate (topic, start, end) spans and veto spans per topic, in ``norm`` offsets.

        With ``patterns`` false, only phrases (and exclusions) are matched.
        """
        found: list[tuple[int, int, int]] = []
        vetoes: dict[int, list[tuple[int, int]]] = {}
        tries: list[tuple[int, int]] = []  # (pattern, start) for patterns anchored at a literal
        near: dict[int, list[int]] = {}  # pattern -> positions of its literals
        if self._automaton is not None:
            meanings = self._meanings
            for last, value in self._automaton.iter(norm):
                meaning = meanings[value >> _LENGTH_BITS]
                topics, vetoed, extended, anchored, windowed, checked = meaning
                start = last - (value & _LENGTH_MASK) + 1
                if anchored and _starts_word(norm, start):
                    tries.extend((number, start) for number in anchored)
                for number in windowed:
                    near.setdefault(number, []).append(start)
                for lengths, tails, anchored, windowed in checked:
                    if not any(norm[last + 1 : last + 1 + n] in tails for n in lengths):
                        continue
                    if anchored and _starts_word(norm, start):
                        tries.extend((number, start) for number in anchored)
                    for number in windowed:
                        near.setdefault(number, []).append(start)
                if (topics or vetoed or extended) and _bounded(norm, start, last + 1):
                    for topic in topics:
                        found.append((topic, start, last + 1))
                    for topic in vetoed:
                        vetoes.setdefault(topic, []).append((start, last + 1))
                    end = last + 1
                    for left, right, topics, vetoed, before, tails, after, heads in extended:
                        if before and not (
                            start > before
                            and norm[start - 1] == " "
                            and norm[start - 1 - before : start - 1] in tails
                        ):
                            continue
                        if after and not (
                            norm[end : end + 1] == " " and norm[end + 1 : end + 1 + after] in heads
                        ):
                            continue
                        for span in _extended(norm, start, end, left, right):
                            for topic in topics:
                                found.append((topic, *span))
                            for topic in vetoed:
                                vetoes.setdefault(topic, []).append(span)
        if not patterns:
            return found, vetoes
        for number in self._unanchored:
            near.setdefault(number, [])
        if tries or near:
            self._pattern_spans(norm, tries, near, found, vetoes)
        return found, vetoes

    def _pattern_spans(
        self,
        norm: str,
        tries: list[tuple[int, int]],
        near: dict[int, list[int]],
        found: list[tuple[int, int, int]],
        vetoes: dict[int, list[tuple[int, int]]],
    ) -> None:
        """Add the matches of regular-expression patterns whose literals were seen."""
        patterns = self._patterns
        for number, start in set(tries):
            pattern = patterns[number]
            match = pattern.regex.match(norm, start)
            if match is None or match.end() == start or not _bounded(norm, start, match.end()):
                continue
            if pattern.veto:
                vetoes.setdefault(pattern.topic, []).append((start, match.end()))
            else:
                found.append((pattern.topic, start, match.end()))
        for number, positions in near.items():
            pattern = patterns[number]
            for start, end in _searched_spans(pattern.regex, norm, positions):
                if pattern.veto:
                    vetoes.setdefault(pattern.topic, []).append((start, end))
                else:
                    found.append((pattern.topic, start, end))

    def topics_of(self, text: str) -> list[str]:
        """The topics ``text`` has, in taxonomy order."""
        present = {mention.topic for mention in self.tag(text)}
        return [slug for slug in self._slugs if slug in present]

    def _mentions(
        self,
        text: str,
        spans: Iterable[tuple[int, int, int]],
        shifts: tuple[list[int], list[int]] | None,
    ) -> list[Mention]:
        breaks = SentenceBreaks(text)
        mentions = []
        for topic, start, end in spans:
            if shifts is not None:
                start, end = _original(start, shifts), _original(end - 1, shifts) + 1
            sentence, sentence_start = breaks.sentence(start, end)
            mentions.append(
                Mention(self._slugs[topic], start, end, text[start:end], sentence, sentence_start)
            )
        if len(mentions) > 1:
            mentions.sort(key=_mention_order)
        return mentions


# pyahocorasick scans a node's children in the order they were added; adding keys sorted by how
# common their letters are in English puts the transitions taken most often first.
class _LetterRank(dict):
    """Each character mapped to a character ordered by its rank (others after, by code point)."""

    def __missing__(self, code: int) -> int:
        return 64 + code


_LETTER_RANK = _LetterRank(
    {ord(char): rank for rank, char in enumerate(" etaoinsrhldcumfpgwybvk.,'xjqz;")}
)


def _by_letter_frequency(key: str) -> str:
    return key.translate(_LETTER_RANK)


def _unique(numbers: Sequence[int]) -> tuple[int, ...]:
    return tuple(numbers) if len(numbers) < 2 else tuple(sorted(set(numbers)))


def _mention_order(mention: Mention) -> tuple[int, str]:
    return mention.start, mention.topic


# --- phrase anchors ------------------------------------------------------------------------------

WINDOW_KEYS = 256
"""Most automaton keys one slot sequence's anchor may expand to."""

COMMON_WORDS_FILE = Path(__file__).with_name("common_words.toml")
"""Common English words, most frequent first: how often a key is hit is estimated from them."""

_TOP_CHANCE = 0.06
"""Share of text words that are the most common word; the n-th is taken to be 1/n as common."""

KEY_CHAR_COST = 1e-8
"""Weight of a key character (automaton memory) against the chance of a hit."""


@lru_cache(maxsize=1)  # built for one compilation, then dropped with the other caches
def _word_chances() -> tuple[dict[str, float], ...]:
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
    exact, within, ending, starting = _word_chances()
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


def _anchorings(sequence: tuple[frozenset[str], ...]) -> list[_Anchoring]:
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


def _literal_key(literal: str) -> str:
    """The start of ``literal`` that keys it: its first words, at least `LITERAL_KEY` long."""
    space = literal.find(" ", max(LITERAL_KEY, literal.find(" ") + 1))
    return literal if space < 0 else literal[:space]


def _join(head: str, tail: str) -> str:
    return f"{head} {tail}" if head and tail else head or tail


def _intern_side(
    side: tuple[frozenset[str], ...], slots: dict[frozenset[str], _Slot]
) -> tuple[_Slot, ...]:
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


def _guards(left: tuple[_Slot, ...], right: tuple[_Slot, ...]) -> tuple:
    """Quick tests of the text next to a key: the required slot nearest on each side, if any."""
    before = (left[0][3], left[0][5]) if left and not left[0][0] else _NO_GUARD
    after = (right[0][3], right[0][4]) if right and not right[0][0] else _NO_GUARD
    return (*before, *after)


def _extended(
    text: str, start: int, end: int, left: tuple[_Slot, ...], right: tuple[_Slot, ...]
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
    return [(s, e) for s in starts for e in ends if _bounded(text, s, e)]


# --- matching helpers ----------------------------------------------------------------------------


def _shifts(spaced: str) -> tuple[list[int], list[int]]:
    """Where runs of spaces were made single in ``spaced``, to map offsets back to the text.

    For each run: its position in the collapsed text, and how many characters were removed up
    to and including it. Computed only for texts that have mentions.
    """
    starts: list[int] = []
    removed: list[int] = []
    total = 0
    for match in _SPACES.finditer(spaced):
        begin, finish = match.span()
        starts.append(begin - total)
        total += finish - begin - 1
        removed.append(total)
    return starts, removed


def _joins(text: str, spaced: str) -> list[int]:
    """Where ``text`` has a hyphen between two letters or digits, in offsets of the collapsed
    copy of ``spaced`` (``text`` normalised 1:1, where the hyphen is a space)."""
    joins = []
    runs = _SPACES.finditer(spaced)
    run = next(runs, None)
    removed = 0
    for match in _INNER_HYPHEN.finditer(text):
        position = match.start()
        while run is not None and run.end() <= position:
            removed += run.end() - run.start() - 1
            run = next(runs, None)
        joins.append(position - removed)
    return joins


def _word_end(text: str, index: int) -> int:
    """The end of the word at ``index`` (or ``len(text)``), so a window never cuts a word."""
    if index >= len(text):
        return len(text)
    end = text.find(" ", index)
    return len(text) if end < 0 else end


def _original(index: int, shifts: tuple[list[int], list[int]]) -> int:
    starts, removed = shifts
    runs_before = bisect_left(starts, index)
    return index + (removed[runs_before - 1] if runs_before else 0)


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not part of a longer word (letters or digits run on)."""
    if not _starts_word(text, start):
        return False
    last = text[end - 1]
    if end < len(text) and last.isalnum():
        after = text[end]
        if after.isalnum() and after.isdigit() == last.isdigit():
            return False
    return True


def _starts_word(text: str, start: int) -> bool:
    if start == 0:
        return True
    before, first = text[start - 1], text[start]
    return not (before.isalnum() and first.isalnum() and before.isdigit() == first.isdigit())


def _searched_spans(regex: re.Pattern[str], text: str, positions: list[int]):
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
            starts = [i + 2 for i in (text.rfind(stop, low, position) for stop in _STOPS) if i >= 0]
            low = max([low, *starts])
            ends = [i for i in (text.find(stop, position, high) for stop in _STOPS) if i >= 0]
            high = min(ends) + 1 if ends else high
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(high, windows[-1][1]))
            else:
                windows.append((low, high))
    for low, high in windows:
        for match in regex.finditer(text, low, high):
            start, end = match.span()
            if start < end and _bounded(text, start, end):
                yield start, end


def _without_vetoed(
    found: list[tuple[int, int, int]], vetoes: dict[int, list[tuple[int, int]]]
) -> list[tuple[int, int, int]]:
    if not vetoes:
        return found
    return [
        (topic, start, end)
        for topic, start, end in found
        if not any(v_start < end and start < v_end for v_start, v_end in vetoes.get(topic, ()))
    ]


def _dedupe(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
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


# --- pattern literals ----------------------------------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words so frequent in blog text that keying a pattern to them would try it everywhere; a literal
# that is one of them, or begins one, is used only when a pattern offers nothing rarer.
_FREQUENT = _word_set(
    """the be to of and a in that have i it for not on with he as you do at this but his by from
    they we say her she or an will my one all would there their what so up out if about who get
    which go me when make can like time no just him know take people into year your good some
    could them see other than then now look only come its over think also back after use two how
    our work first well way even new want because any these give day most us is are was were been
    has had did does said made got went thing things really very much many more still off never
    its their them him her me my mine yours where why how whom whose each every both few some
    always often every need feel try ask tell find help show share post link feed today whole
    email message comment blog social media network connect connection linkedin invite invitation
    request friend follow business site page group online team client people person someone"""
)


_FREQUENT_STARTS = frozenset(word[:end] for word in _FREQUENT for end in range(1, len(word)))


@lru_cache(maxsize=65536)  # the literal sets of one pattern's parts share most of their strings
def _frequent(literal: str) -> bool:
    """Whether every word of ``literal`` is (or begins) one of the very frequent words."""
    return all(
        word in _FREQUENT or (len(word) < 7 and word in _FREQUENT_STARTS)
        for word in literal.split()
    )


@lru_cache(maxsize=2048)
def pattern_literals(pattern: str) -> PatternLiterals | None:
    """What the matcher keys ``pattern`` to; None when it requires no usable literal.

    The literals are the most selective strings one of which every match must contain, found in
    the parsed pattern (``(me|us) to (follow|like)`` gives "me to follow", "us to like", ...). A
    pattern then costs nothing on text without them. A pattern with no literal of three characters
    runs on every text, which is slower but still correct.
    """
    try:
        from re import _constants as sre_constants
        from re import _parser as sre_parser

        items = list(sre_parser.parse(pattern, re.IGNORECASE))
        finder = _LiteralFinder(sre_constants)
        prefix = finder.prefix(items)
        anywhere = finder.anywhere(items)
    except Exception:  # an unfamiliar parser: fall back to always running the pattern
        return None
    choices = []
    if prefix is not None:
        literals = {normalise(literal).rstrip() for literal in prefix}
        if literals and all(len(x) >= 3 and not x[0].isspace() for x in literals):
            choices.append((_strength(literals), 1, PatternLiterals(tuple(sorted(literals)), True)))
    if anywhere is not None:
        literals = {normalise(literal).strip() for literal in anywhere}
        if literals and all(len(x) >= 3 for x in literals):
            choices.append(
                (_strength(literals), 0, PatternLiterals(tuple(sorted(literals)), False))
            )
    return max(choices, key=lambda choice: choice[:2])[2] if choices else None


class _LiteralFinder:
    """Required literals of a parsed regular expression (``re._parser`` items)."""

    LIMIT = 1024  # most strings in one literal set

    def __init__(self, constants) -> None:
        c = constants
        self.c = c
        self.repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}
        self.zero_width = {c.AT, c.ASSERT, c.ASSERT_NOT}

    def language(self, items: list) -> set[str] | None:
        """Every string ``items`` can match, if that is a small finite set."""
        result = {""}
        for item in items:
            part = self._item_language(item)
            if part is None or len(result) * len(part) > self.LIMIT:
                return None
            result = {head + tail for head in result for tail in part}
        return result

    def _item_language(self, item) -> set[str] | None:
        c = self.c
        op, av = item
        if op is c.LITERAL:
            return {chr(av)}
        if op in self.zero_width:
            return {""}
        if op is c.IN:
            if all(member_op is c.LITERAL for member_op, _ in av):
                return {chr(value) for _, value in av}
            return None
        if op is c.SUBPATTERN:
            return self.language(list(av[-1]))
        if op is getattr(c, "ATOMIC_GROUP", None):
            return self.language(list(av))
        if op is c.BRANCH:
            result: set[str] = set()
            for branch in av[1]:
                part = self.language(list(branch))
                if part is None:
                    return None
                result |= part
            return result if len(result) <= self.LIMIT else None
        if op in self.repeats and av[1] <= 3:
            inner = self.language(list(av[2]))
            if inner is None:
                return None
            result, power = set(), {""}
            for count in range(av[1] + 1):
                if count >= av[0]:
                    result |= power
                power = {head + tail for head in power for tail in inner}
            return result if len(result) <= self.LIMIT else None
        return None

    def prefix(self, items: list) -> set[str] | None:
        """Strings one of which every match starts with."""
        c = self.c
        start = 0
        while start < len(items) and items[start][0] in self.zero_width:
            start += 1
        best = None
        result = {""}
        for item in items[start:]:
            part = self._item_language(item)
            if part is None or len(result) * len(part) > self.LIMIT:
                break
            result = {head + tail for head in result for tail in part}
            best = result
        if best is not None and "" not in best:
            return best
        if best is None and start < len(items):
            op, av = items[start]
            if op is c.SUBPATTERN:
                return self.prefix(list(av[-1]))
            if op is c.BRANCH:
                parts = [self.prefix(list(branch)) for branch in av[1]]
                if all(parts):
                    return set(chain.from_iterable(parts))  # type: ignore[arg-type]
            if op in self.repeats and av[0] >= 1:
                return self.prefix(list(av[2]))
        return None

    def anywhere(self, items: list) -> set[str] | None:
        """The most selective set of strings one of which every match contains."""
        c = self.c
        best: set[str] | None = None

        def offer(candidate: set[str] | None) -> None:
            nonlocal best
            if not candidate or any(not x.strip() for x in candidate):
                return
            if best is None or _strength(candidate) > _strength(best):
                best = candidate

        parts = [self._item_language(item) for item in items]
        literal = [op is c.LITERAL for op, _ in items] + [False]
        for first in range(len(items)):
            if first and literal[first - 1]:
                continue  # never start inside a run of literal characters
            result = {""}
            for last in range(first, len(items)):
                part = parts[last]
                if part is None or len(result) * len(part) > self.LIMIT:
                    break
                result = {head + tail for head in result for tail in part}
                if not literal[last + 1]:
                    offer(result)
        for (op, av), part in zip(items, parts, strict=True):
            if part is not None:
                continue
            if op is c.SUBPATTERN:
                offer(self.anywhere(list(av[-1])))
            elif op is getattr(c, "ATOMIC_GROUP", None):
                offer(self.anywhere(list(av)))
            elif op is c.BRANCH:
                alternatives = [self.anywhere(list(branch)) for branch in av[1]]
                if all(alternatives):
                    offer(set(chain.from_iterable(alternatives)))  # type: ignore[arg-type]
            elif op in self.repeats and av[0] >= 1:
                offer(self.anywhere(list(av[2])))
        return best


def _strength(literals: set[str]) -> tuple[bool, int]:
    """How selective a set of literals is: free of very frequent words first, then length."""
    return (
        not any(map(_frequent, literals)),
        min(map(len, map(str.strip, literals))),
    )
