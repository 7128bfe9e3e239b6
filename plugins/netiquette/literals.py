"""Pattern literals: the plain strings a topic's regular expression cannot match without.

A pattern is tried only where one of its literals occurs, so a pattern keyed to rare literals
costs almost nothing on text that lacks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from netiquette.morphology import normalise


@dataclass(frozen=True)
class PatternLiterals:
    """Strings one of which every match of a pattern contains (normalised, like the text)."""

    literals: tuple[str, ...]
    at_start: bool
    """True when every match starts with one of the literals, so it can be tried right there."""


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
def frequent(literal: str) -> bool:
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
        not any(map(frequent, literals)),
        min(map(len, map(str.strip, literals))),
    )
