"""Phrase evidence of etiquette topics: exact spans that can be quoted and highlighted.

A `PhraseMatcher` compiles a whole `Taxonomy` once: every phrase form of every topic (and every exclusion)
goes into one Aho-Corasick automaton, and each regular-expression pattern is keyed to literals it
cannot match without, which go into the same automaton. Tagging a text is then one pass of the
automaton over a normalised copy of the text, a word-boundary check per candidate, and a pattern
tried only where its literals were seen: anchored at the literal when the pattern starts with it,
otherwise searched in a window around it.

The normalised copy is the text lowercased and put through a 1:1 character map (quotes, dashes,
spaces, accents; see `netiquette.morphology.normalise`), with runs of spaces collapsed; offsets are
mapped back, so every `Mention` points into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick

from netiquette.anchors import (
    Slot,
    anchorings,
    extended_spans,
    guards,
    intern_side,
    literal_key,
    word_chances,
)
from netiquette.literals import frequent, pattern_literals
from netiquette.model import Mention
from netiquette.morphology import normalise
from netiquette.phrases import forget_expansions, phrase_slots
from netiquette.sentences import SentenceBreaks
from netiquette.spans import (
    bounded,
    dedupe,
    hyphen_joins,
    original,
    searched_spans,
    shifts,
    starts_word,
    without_vetoed,
    word_end,
)
from netiquette.taxonomy import Taxonomy, compile_pattern, load_taxonomy

_LENGTH_BITS = 12
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1

_HYPHEN_CHARS = re.compile("[-\u2010\u2011\u00ad]")

JOIN_ALONE = 8
"""Most hyphens of one stretch of text that are also each joined alone (not only all at once)."""


@dataclass(frozen=True)
class _Pattern:
    topic: int
    veto: bool
    regex: re.Pattern[str]
    anchored: bool  # every match starts where one of its literals starts


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
        slots: dict[frozenset[str], Slot] = {}
        self._longest_form = 0
        for index, topic in enumerate(self.taxonomy.topics):
            for veto, phrases in ((False, topic.phrases), (True, topic.exclusions)):
                for phrase in phrases:
                    for sequence in phrase_slots(phrase):
                        longest = sum(max(map(len, slot)) + 1 for slot in sequence)
                        self._longest_form = max(self._longest_form, longest)
                        for keys, left, right in anchorings(sequence):
                            context = (
                                intern_side(left[::-1], slots),
                                intern_side(right, slots),
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
                        key = literal_key(literal)
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
                            (left, right, _unique(topics), _unique(vetoed), *guards(left, right))
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
        frequent.cache_clear()
        word_chances.cache_clear()

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
        spans = dedupe(without_vetoed(found, vetoes))
        return self._mentions(text, spans, shifts(spaced) if norm is not spaced else None)

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
        joins = hyphen_joins(text, spaced)
        if not joins:
            return
        reach = self._longest_form
        windows: list[list[int]] = []  # [low, high, join positions...] in norm offsets
        for join in joins:
            if windows and join - reach <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], word_end(norm, join + reach))
                windows[-1].append(join)
            else:
                low = join - reach
                low = norm.rfind(" ", 0, low) + 1 if low > 0 else 0
                windows.append([low, word_end(norm, join + reach), join])
        for low, high, *spaces in windows:
            self._join_window(norm, low, high, spaces, found, vetoes)
            if 1 < len(spaces) <= JOIN_ALONE:  # "e-mail-blast" for "email blast": each alone too
                for space in spaces:
                    low_one = space - reach
                    low_one = norm.rfind(" ", 0, low_one) + 1 if low_one > 0 else 0
                    high_one = word_end(norm, space + reach)
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
                if anchored and starts_word(norm, start):
                    tries.extend((number, start) for number in anchored)
                for number in windowed:
                    near.setdefault(number, []).append(start)
                for lengths, tails, anchored, windowed in checked:
                    if not any(norm[last + 1 : last + 1 + n] in tails for n in lengths):
                        continue
                    if anchored and starts_word(norm, start):
                        tries.extend((number, start) for number in anchored)
                    for number in windowed:
                        near.setdefault(number, []).append(start)
                if (topics or vetoed or extended) and bounded(norm, start, last + 1):
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
                        for span in extended_spans(norm, start, end, left, right):
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
            if match is None or match.end() == start or not bounded(norm, start, match.end()):
                continue
            if pattern.veto:
                vetoes.setdefault(pattern.topic, []).append((start, match.end()))
            else:
                found.append((pattern.topic, start, match.end()))
        for number, positions in near.items():
            pattern = patterns[number]
            for start, end in searched_spans(pattern.regex, norm, positions):
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
                start, end = original(start, shifts), original(end - 1, shifts) + 1
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
