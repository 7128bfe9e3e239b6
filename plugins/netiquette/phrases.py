"""Phrase syntax: a taxonomy phrase expanded into the word sequences it matches.

The syntax is described in `netiquette.taxonomy`: alternatives ``(a|b)``, optional groups ``[a|b]``,
exact words ``=word``, and every other word with its inflections (`netiquette.morphology`).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from netiquette.morphology import word_forms

MAX_VARIANTS = 20_000
"""Most surface forms one phrase may expand to; more is almost certainly a mistake."""

_TOKEN = re.compile(r"=\(|[()\[\]|]|[^\s()\[\]|]+")

Word = tuple[str, bool]  # (word, inflect)


def expand_phrase(phrase: str) -> list[str]:
    """Every surface form ``phrase`` stands for, normalised for matching.

    Raises ValueError for unbalanced groups, an empty phrase or too many forms.
    """
    return list(_expand(phrase))


def check_phrase(phrase: str) -> None:
    """Raise the ValueError `expand_phrase` would raise for ``phrase``, if any.

    Forms are counted as sums and products over the groups, which bounds their number from above
    without building them; only a phrase near the limit or malformed is expanded for the verdict.
    Loading a taxonomy validates every phrase, so this keeps loading fast.
    """
    tokens = _TOKEN.findall(phrase)
    if tokens:
        parser = _GroupParser(tokens)
        try:
            bound = parser.form_bound(exact=False)
        except ValueError:
            bound = MAX_VARIANTS + 1
        if parser.pos == len(tokens) and bound <= MAX_VARIANTS and parser.worded:
            return
    _expand(phrase)


def forget_expansions() -> None:
    """Drop the memoised phrase forms; a compiled tagger has its own copy in its automaton."""
    _expand.cache_clear()
    word_forms.cache_clear()


@lru_cache(maxsize=4096)
def _expand(phrase: str) -> tuple[str, ...]:
    tokens = _TOKEN.findall(phrase)
    if not tokens:
        raise ValueError("empty phrase")
    parser = _GroupParser(tokens)
    sequences = parser.alternatives(exact=False)
    if parser.pos != len(tokens):
        raise ValueError(f"unexpected {tokens[parser.pos]!r}")
    forms: dict[str, None] = {}
    for words in sequences:
        if not words:
            continue
        options = [word_forms(word, inflect) for word, inflect in words]
        count = 1
        for option in options:
            count *= len(option)
        if count + len(forms) > MAX_VARIANTS:
            raise ValueError(f"expands to more than {MAX_VARIANTS} forms; split it or mark words =")
        for combination in itertools.product(*options):
            forms[" ".join(part for part in combination if part)] = None
    forms.pop("", None)
    if not forms:
        raise ValueError("phrase has no words")
    return tuple(forms)


def phrase_slots(phrase: str) -> list[tuple[frozenset[str], ...]]:
    """``phrase`` as alternative sequences of slots, without multiplying the slots out.

    A slot is the set of strings one word or group of the phrase can be ("" when it may be left
    out). The forms of `expand_phrase` are exactly the non-empty products of a sequence's slots,
    joined by single spaces with empty parts dropped: a matcher can look for one slot and check
    its neighbours in the text instead of holding every form.
    """
    tokens = _TOKEN.findall(phrase)
    if not tokens:
        raise ValueError("empty phrase")
    parser = _GroupParser(tokens)
    sequences = parser.slotted()
    if parser.pos != len(tokens):
        raise ValueError(f"unexpected {tokens[parser.pos]!r}")
    result = [tuple(slots) for slots in sequences if any(slot - {""} for slot in slots)]
    if not result:
        raise ValueError("phrase has no words")
    return result


def _joined_forms(words: list[Word]) -> frozenset[str]:
    """Every surface form of one word sequence ("" for none or only empty words)."""
    options = [word_forms(word, inflect) for word, inflect in words]
    return frozenset(" ".join(p for p in parts if p) for parts in itertools.product(*options))


class _GroupParser:
    """Recursive descent over ``(a|b)``, ``[a|b]`` and ``=( )`` groups, yielding word sequences."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.worded = False

    def alternatives(self, exact: bool) -> list[list[Word]]:
        result = self.sequence(exact)
        while self._peek() == "|":
            self.pos += 1
            result += self.sequence(exact)
        return result

    def sequence(self, exact: bool) -> list[list[Word]]:
        result: list[list[Word]] = [[]]
        while (token := self._peek()) is not None and token not in ("|", ")", "]"):
            inner = self.item(exact)
            if len(result) * len(inner) > MAX_VARIANTS:
                raise ValueError(f"expands to more than {MAX_VARIANTS} forms")
            result = [head + tail for head in result for tail in inner]
        return result

    def form_bound(self, exact: bool) -> int:
        """At least as many as the forms `alternatives` stands for, parsed the same way.

        Sets ``worded`` when a word with a non-empty form is seen.
        """
        total = self._sequence_bound(exact)
        while self._peek() == "|":
            self.pos += 1
            total += self._sequence_bound(exact)
        return total

    def _sequence_bound(self, exact: bool) -> int:
        product = 1
        while (token := self._peek()) is not None and token not in ("|", ")", "]"):
            self.pos += 1
            if token in ("(", "=(", "["):
                inner = self.form_bound(exact or token == "=(")
                closing = "]" if token == "[" else ")"
                if self._peek() != closing:
                    raise ValueError(f"missing {closing!r}")
                self.pos += 1
                product *= inner + 1 if token == "[" else inner
                continue
            word = token.lstrip("=")
            if not word:
                raise ValueError("'=' without a word")
            forms = word_forms(word, not (exact or token.startswith("=")))
            self.worded = self.worded or forms != ("",)
            product *= len(forms)
        return product

    def slotted(self) -> list[list[frozenset[str]]]:
        """Top-level alternatives as sequences of slots (see `phrase_slots`)."""
        result = [self.slot_sequence()]
        while self._peek() == "|":
            self.pos += 1
            result.append(self.slot_sequence())
        return result

    def slot_sequence(self) -> list[frozenset[str]]:
        slots = []
        while (token := self._peek()) is not None and token not in ("|", ")", "]"):
            slots.append(frozenset().union(*map(_joined_forms, self.item(exact=False))))
        return slots

    def item(self, exact: bool) -> list[list[Word]]:
        """The word sequences of the word or group at the current token."""
        token = self.tokens[self.pos]
        self.pos += 1
        if token in ("(", "=(", "["):
            inner = self.alternatives(exact or token == "=(")
            closing = "]" if token == "[" else ")"
            if self._peek() != closing:
                raise ValueError(f"missing {closing!r}")
            self.pos += 1
            return [[], *inner] if token == "[" else inner
        word = token.lstrip("=")
        if not word:
            raise ValueError("'=' without a word")
        return [[(word, not (exact or token.startswith("=")))]]

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None
