"""Recurring phrasings no topic covers yet: candidates for new topics, as a topics file to edit.

What is mined: the English segments (post paragraphs, comments) that got no topic, and the
sentences the model alone tagged (their phrasings are what the phrases miss). From each, word
n-grams of 2 to 4 words, lower-cased, that neither start nor end with a stop word, contain a word
outside the common-words list (so "long time" and "great post" never come up) and do not cross
punctuation.

Counting is by distinct threads and distinct people: a phrase counts once per thread, and a person
(`netiquette.pseudonymise.identity`) counts once however often they repeat it, so one commenter
saying the same thing in every comment of a thread is no recurring phrasing. A suggestion needs
``min_threads`` threads and ``min_people`` people. Its score is::

    score = sqrt(threads * people) * (1 + 0.5 * (words - 2))

the geometric mean of its spread over threads and over people, longer phrasings weighing more as
they say more. A phrase is left out for a longer phrasing holding it that has at least
`SUBSUMED_SHARE` of its threads and of its people.

Memory is bounded for corpora of any size: threads stream through, and when more than
`max_entries` distinct n-grams are held the rarest (fewest threads) are dropped. Counts of the
rest can then be too low, never too high; `PhraseMiner.pruned_below` says how rare the dropped
were. Every step is linear in the text read.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from unidecode import unidecode

from netiquette.analysis import ThreadAnalysis
from netiquette.language import is_english
from netiquette.matcher import PhraseMatcher
from netiquette.model import Thread
from netiquette.phrases import check_phrase
from netiquette.pseudonymise import common_words, identity
from netiquette.render import html_to_text
from netiquette.segments import paragraph_anchor
from netiquette.sources import remove_controls
from netiquette.taxonomy import TaxonomyError

MIN_WORDS, MAX_WORDS = 2, 4
EXAMPLES = 3
PEOPLE_CAP = 1000
"""Distinct people counted per phrase at most: enough to rank, bounded in memory."""
MAX_ENTRIES = 250_000
"""Distinct n-grams held before the rarest are dropped (about 130 MB)."""
SUBSUMED_SHARE = 0.75
PLACE_KEYS = ("slug", "id", "conversation_id", "wordpress_id")
"""Post metadata naming a thread within its file."""
CONTEXT_WORDS = 4
"""Words either side of a phrase in an example."""

_STOP_WORDS = """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've
    if in into is isn't it it's its itself just let's me more most mustn't my myself no nor not
    of off on once only or other ought our ours ourselves out over own same shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them themselves
    then there there's these they they'd they'll they're they've this those through to too under
    until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's with won't would wouldn't you you'd you'll
    you're you've your yours yourself yourselves also really even much many lot lots get got
    one ones will shall may might must yes oh ok okay well like just still yet ever never always
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
"""Function words: a phrase never starts or ends with one ("of the spam" is "spam")."""

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_BREAK = re.compile(r"[^\w\s'’-]+|[\d_]+|\s[-'’]+(?=\s)|--+")
_SLUG_RUN = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class MinedText:
    """A text to mine: who wrote it, where it is (``file#anchor``) and the topic the model gave
    it when it is a model-only sentence."""

    text: str
    person: str
    where: str
    hint: str | None = None


@dataclass
class Suggestion:
    phrase: str
    words: int
    threads: int
    people: int
    score: float
    examples: list[tuple[str, str]]
    """(where, the words around the phrase) from different threads."""
    hint: str | None = None
    """The topic the model gave most of the phrase's model-only sentences, if any."""

    @property
    def people_text(self) -> str:
        return f"{self.people}+" if self.people >= PEOPLE_CAP else str(self.people)


def mined_texts(analysis: ThreadAnalysis, *, paragraphs: bool = True) -> list[MinedText]:
    """What of an analysed thread no phrase evidenced: untopical segments and the sentences of
    model-only decisions (of the comments alone, without `paragraphs`)."""
    thread = analysis.thread
    post = thread.post
    texts: list[MinedText] = []
    check = analysis.not_english > 0
    place = thread_place(thread)
    post_person = identity(post.author, None, f"{place}#post")
    for number, paragraph in enumerate(post.paragraphs if paragraphs else [], start=1):
        where = f"{place}#{paragraph_anchor(number)}"
        mentions = analysis.paragraph_mentions.get(number, [])
        _add(texts, paragraph, mentions, post_person, where, check)
    for comment in thread.comments:
        result = analysis.comments[comment.id]
        own_file = comment.source and comment.source != post.source
        where = f"{comment.source if own_file else place}#{comment.anchor}"
        person = identity(comment.author, comment.author_url, where)
        text = html_to_text(result.html) if not result.mentions else ""
        _add(texts, text, result.mentions, person, where, check)
    return texts


def thread_place(thread: Thread) -> str:
    """Where a thread is: its file, and the post's slug or id in files that hold many."""
    post = thread.post
    key = next((post.metadata[k] for k in PLACE_KEYS if post.metadata.get(k)), None)
    return f"{post.source}:{key}" if key else post.source


def _add(texts: list[MinedText], text: str, mentions, person: str, where: str, check: bool):
    """Add `text` if no topic covers it (and, when `check`, it is English: the tagger found
    a segment of the thread that is not), or its model-only sentences."""
    if not mentions:
        if text.strip() and (not check or is_english(text)):
            texts.append(MinedText(text, person, where))
        return
    phrased = {m.topic for m in mentions if m.source == "phrase"}
    for mention in mentions:
        if mention.source == "model" and mention.topic not in phrased:
            texts.append(MinedText(mention.sentence, person, where, mention.topic))


def runs(text: str) -> Iterator[list[str]]:
    """The lower-cased words of `text` in runs that no punctuation, digit or dash interrupts."""
    for chunk in _BREAK.split(text.lower().replace("’", "'")):
        words = _WORD.findall(chunk)
        if words:
            yield words


class PhraseMiner:
    """Counts n-grams by distinct threads and people, one thread at a time, in bounded memory."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.pruned_below = 0
        """Dropped n-grams had fewer than this many threads (0: nothing was dropped)."""
        # phrase -> [threads, people (one hash, or a set), examples, hint counts or None]
        self._entries: dict[str, list] = {}
        self._common = common_words()

    def add_thread(self, texts: Iterable[MinedText]) -> None:
        """Count the n-grams of one thread's texts: each once for the thread, once per person."""
        local: dict[str, list] = {}
        for item in texts:
            person = hash(item.person)
            for run in runs(item.text):
                for phrase, start, end in self._grams(run):
                    seen = local.get(phrase)
                    if seen is None:
                        local[phrase] = [{person}, item.where, run, start, end, item.hint]
                    else:
                        seen[0].add(person)
                        if seen[5] is None:
                            seen[5] = item.hint
        entries = self._entries
        for phrase, (people, where, run, start, end, hint) in local.items():
            entry = entries.get(phrase)
            if entry is None:
                example = ((where, _context(run, start, end)),)
                entries[phrase] = [1, next(iter(people)) if len(people) == 1 else people,
                                   example, {hint: 1} if hint else None]  # fmt: skip
                continue
            entry[0] += 1
            entry[1] = _merge_people(entry[1], people)
            if len(entry[2]) < EXAMPLES:
                entry[2] = (*entry[2], (where, _context(run, start, end)))
            if hint:
                hints = entry[3] = entry[3] or {}
                hints[hint] = hints.get(hint, 0) + 1
        if len(entries) > self.max_entries:
            self._prune()

    def _grams(self, run: list[str]) -> Iterator[tuple[str, int, int]]:
        stop, common = STOP_WORDS, self._common
        size = len(run)
        for start in range(size):
            first = run[start]
            if first in stop:
                continue
            rare = first not in common
            for end in range(
                start + MIN_WORDS - 1, start + MAX_WORDS if start + MAX_WORDS < size else size
            ):
                last = run[end]
                rare = rare or last not in common
                if last in stop or not rare:
                    continue
                yield " ".join(run[start : end + 1]), start, end + 1

    def _prune(self) -> None:
        """Drop the rarest n-grams until the table is down to 60% of its bound."""
        target = int(self.max_entries * 0.6)
        counts: dict[int, int] = {}
        for entry in self._entries.values():
            counts[entry[0]] = counts.get(entry[0], 0) + 1
        remaining, floor = len(self._entries), 0
        for threads in sorted(counts):
            if remaining <= target:
                break
            remaining -= counts[threads]
            floor = threads
        self._entries = {k: e for k, e in self._entries.items() if e[0] > floor}
        self.pruned_below = max(self.pruned_below, floor + 1)

    def suggestions(
        self,
        min_threads: int = 3,
        min_people: int = 2,
        limit: int = 50,
        matcher: PhraseMatcher | None = None,
    ) -> list[Suggestion]:
        """The best-scoring recurring phrasings, longer forms replacing the shorter they hold;
        with `matcher`, phrasings a topic's phrases already match are left out."""
        candidates: dict[str, Suggestion] = {}
        for phrase, (threads, people, examples, hints) in self._entries.items():
            people_count = len(people) if isinstance(people, set) else 1
            if threads < min_threads or people_count < min_people:
                continue
            words = phrase.count(" ") + 1
            score = math.sqrt(threads * people_count) * (1 + 0.5 * (words - 2))
            hint = max(hints, key=lambda t: (hints[t], t)) if hints else None
            candidates[phrase] = Suggestion(
                phrase, words, threads, people_count, round(score, 2), list(examples), hint
            )
        for suggestion in list(candidates.values()):
            words = suggestion.phrase.split()
            for size in range(MIN_WORDS, len(words)):
                for start in range(len(words) - size + 1):
                    inner = candidates.get(" ".join(words[start : start + size]))
                    if inner is not None and _covers(suggestion, inner):
                        inner.score = -1
        ranked = sorted(
            (s for s in candidates.values() if s.score >= 0),
            key=lambda s: (-s.score, -s.threads, s.phrase),
        )
        chosen = []
        for suggestion in ranked:
            if matcher is not None and matcher.tag(suggestion.phrase):
                continue
            chosen.append(suggestion)
            if len(chosen) == limit:
                break
        return chosen


def _covers(longer: Suggestion, shorter: Suggestion) -> bool:
    """Whether the longer phrasing is where nearly all of the shorter one's uses are."""
    return (
        longer.threads >= SUBSUMED_SHARE * shorter.threads
        and longer.people >= SUBSUMED_SHARE * shorter.people
    )


def _merge_people(held, people: set[int]):
    if not isinstance(held, set):
        if len(people) == 1 and held in people:
            return held
        held = {held}
    if len(held) < PEOPLE_CAP:
        held |= people
    return held


def _context(run: list[str], start: int, end: int) -> str:
    before = run[max(0, start - CONTEXT_WORDS) : start]
    after = run[end : end + CONTEXT_WORDS]
    return " ".join(
        [
            *(["…"] if start > CONTEXT_WORDS else []),
            *before,
            *run[start:end],
            *after,
            *(["…"] if end + CONTEXT_WORDS < len(run) else []),
        ]  # fmt: skip
    )


# --- the topics file ----------------------------------------------------------------------------


def topics_toml(suggestions: list[Suggestion], taken: Iterable[str], header: str = "") -> str:
    """A ready-to-edit user topics file: one ``[[topic]]`` per suggestion, its counts and
    examples as comments above it. Slugs avoid `taken` (the existing topics')."""
    used = set(taken)
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [
        "# Suggested topics: recurring phrasings no topic covers yet, best first.",
        "# Keep the ones that name an etiquette topic, merge those that mean the same (one",
        "# [[topic]] can have many phrases), write a real name and description, and delete the",
        "# rest. Then use the file with --topics, or NETIQUETTE_TOPICS in pelicanconf.py.",
        "# Score = sqrt(threads x people) x (1 + 0.5 x (words - 2)).",
        "",
    ]
    for suggestion in suggestions:
        phrase = suggestion.phrase
        try:
            check_phrase(phrase)
        except (TaxonomyError, ValueError):
            continue
        slug = _slug(phrase, used)
        lines.append(
            f"# {_comment(phrase)}: {suggestion.threads} threads, {suggestion.people_text} people, "
            f"score {suggestion.score}"
        )
        for where, context in suggestion.examples:
            lines.append(f"#   {_comment(where)}: {_comment(context)}")
        if suggestion.hint:
            lines.append(
                f"#   the model tagged these sentences {suggestion.hint!r}: to widen that topic "
                f'instead, set slug = "{suggestion.hint}", mode = "extend" and drop name and '
                "description."
            )
        lines += [
            "[[topic]]",
            f"slug = {_string(slug)}",
            f"name = {_string(phrase[:1].upper() + phrase[1:])}",
            f"description = {_string(f'Recurring phrasing {phrase!r}: describe the topic.')}",
            f"phrases = [{_string(phrase)}]",
            "",
        ]
    return "\n".join(lines)


def _slug(phrase: str, used: set[str]) -> str:
    base = _SLUG_RUN.sub("-", unidecode(phrase).lower()).strip("-") or "suggested"
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    used.add(slug)
    return slug


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, bar DEL, which TOML wants escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")


def _comment(value: str) -> str:
    return " ".join(remove_controls(value).split())
