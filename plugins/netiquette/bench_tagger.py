"""Tagger throughput on synthetic blog-like text, used by ``invoke bench``.

The text is deterministic for a given seed and size and does not depend on the taxonomy, so runs
with 12 and with 500 topics tag exactly the same paragraphs. Run ``python -m
netiquette.bench_tagger`` for both figures.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from functools import lru_cache

from netiquette.phrases import expand_phrase
from netiquette.tagger import DEFAULT_MODEL, Tagger
from netiquette.taxonomy import Taxonomy, Topic, load_taxonomy


def _words(text: str) -> list[str]:
    return text.split()


_VOCABULARY = _words(
    """
the a to and of i you it is that in my for on with this was but not have be they are we so at as
just what about people when like your if from or one can all an would more time there them their
out get up how some me do no know think really because network social media linkedin twitter blog
post comment connection invite message email business professional friend follow work new good
great year week day today last first next little other same own right well even back still also
write writing read reading share sharing learn team client clients customer brand content story
article reader readers audience community conversation question answer idea ideas advice tip tips
online offline event conference meetup coffee lunch office home phone call list group page site
website profile photo picture link links update updates news feed platform app tool tools data
market marketing sales product service services company career job role manager colleague boss
value trust respect courtesy manners etiquette policy rule rules habit mistake lesson example
always never sometimes often usually maybe probably actually honestly simply quickly slowly
better best worse worst easy hard simple clear useful helpful polite rude kind busy quiet loud
small big long short whole half early late real true different important interesting personal
make made take took give gave find found tell told ask asked feel felt keep kept start started
try tried help helped show showed play turn move live believe hold bring happen happened sit
stand lose pay meet include continue set change lead understand watch speak stop send build stay
fall cut reach remain suggest raise report decide pull plan spend grow open walk win offer remember
love consider appear buy wait serve die expect serve create speak allow add explain agree hope
morning evening night summer winter spring autumn weekend holiday trip travel city town street
garden kitchen dinner breakfast recipe book books music movie film game sport team season
"""
)

_SENTENCE_ENDS = (". ", ". ", ". ", "? ", "! ")
POOL_TOPICS = 500
THREAD_PARAGRAPHS = 20
"""Paragraphs per call when tagging is measured as a build calls it: a post's and its comments'."""
_RARER = _VOCABULARY[len(_VOCABULARY) // 3 :]
"""Less frequent words: generated topics are made of these, as real topic phrases are."""


def synthetic_paragraphs(megabytes: float = 20, seed: int = 0) -> list[str]:
    """Blog-like paragraphs totalling about ``megabytes`` (UTF-8), with topic phrases sprinkled in.

    Phrases of the default topics and of the first `POOL_TOPICS` generated topics are sprinkled,
    so every taxonomy size finds its own share of mentions in the same text.
    """
    return list(_paragraphs(megabytes, seed))


@lru_cache(maxsize=1)  # the same text serves every taxonomy size in a benchmark run
def _paragraphs(megabytes: float, seed: int) -> tuple[str, ...]:
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(_VOCABULARY))]
    sprinkles = _default_phrase_forms(rng)
    generated = [p for topic in _generated_topics(POOL_TOPICS, seed) for p in topic.phrases]
    target = int(megabytes * 1_000_000)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        sentences = []
        for _ in range(rng.randint(3, 8)):
            words = rng.choices(_VOCABULARY, weights, k=rng.randint(8, 22))
            if rng.random() < 0.08:
                words[rng.randrange(len(words))] = f"\u201c{rng.choice(_VOCABULARY)}\u201d"
            if rng.random() < 0.05:
                words.insert(rng.randrange(len(words)), "\u2014")
            if rng.random() < 0.05:
                words.insert(rng.randrange(len(words)), rng.choice(sprinkles))
            if rng.random() < 0.03:
                words.insert(rng.randrange(len(words)), rng.choice(generated))
            sentence = " ".join(words)
            sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(_SENTENCE_ENDS))
        paragraph = "".join(sentences).strip().replace(" i ", " I ").replace("'", "\u2019")
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return tuple(paragraphs)


def _default_phrase_forms(rng: random.Random) -> list[str]:
    forms = []
    for topic in load_taxonomy().topics:
        for phrase in topic.phrases:
            forms.append(rng.choice(expand_phrase(phrase)))
    return forms


def _pseudo_word(rng: random.Random) -> str:
    syllables = [
        rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
    ]
    return "".join(syllables) + rng.choice(("", "n", "r", "s", "t"))


def _generated_topics(count: int, seed: int) -> list[Topic]:
    """``count`` made-up topics: phrases of invented words mixed with ordinary ones, a pattern."""
    rng = random.Random(seed + 1)
    topics = []
    for number in range(count):
        own = [_pseudo_word(rng) for _ in range(6)]
        phrases = tuple(
            " ".join(rng.sample(own, rng.randint(1, 2)) + rng.sample(_RARER, rng.randint(0, 1)))
            for _ in range(rng.randint(8, 16))
        )
        topics.append(
            Topic(
                slug=f"generated-{number:03d}",
                name=f"Generated topic {number}",
                phrases=phrases,
                patterns=(rf"\b{own[0]} (\w+ )?{own[1]}\b",),
                exclusions=(f"{own[2]} {rng.choice(_RARER)}",),
            )
        )
    return topics


def synthetic_taxonomy(size: int = 12, seed: int = 0) -> Taxonomy:
    """The default topics (or the first ``size`` of them) plus generated topics up to ``size``."""
    default = load_taxonomy().topics
    if size <= len(default):
        return Taxonomy(default[:size])
    return Taxonomy(default + _generated_topics(size - len(default), seed))


def measure_throughput(
    taxonomy_size: int = 12,
    megabytes: float = 20,
    seed: int = 0,
    runs: int = 3,
    model: str | None = DEFAULT_MODEL,
    batch: int = 1,
) -> dict:
    """Median MB/s of `Tagger.tag` over synthetic paragraphs, one call per paragraph, one core;
    with the topic model, or (``model=None``) the phrases alone. With ``batch`` above 1, that many
    paragraphs go to each `Tagger.read_many` call instead, as a build reads a thread.

    Times are CPU time rather than wall time, so other work on the machine disturbs the figure
    less; compiling the taxonomy is reported separately and not counted.
    """
    taxonomy = synthetic_taxonomy(taxonomy_size, seed)
    paragraphs = synthetic_paragraphs(megabytes, seed)
    started = time.perf_counter()
    tagger = Tagger(taxonomy, model)
    compile_seconds = time.perf_counter() - started
    size = sum(len(p.encode("utf-8")) for p in paragraphs) / 1_000_000
    seconds = []
    mentions = 0
    tag = tagger.tag
    groups = [paragraphs[i : i + batch] for i in range(0, len(paragraphs), batch)]
    for _ in range(runs):
        started = time.process_time()
        if batch == 1:
            mentions = sum(len(tag(paragraph)) for paragraph in paragraphs)
        else:
            mentions = sum(
                len(tagging.mentions)
                for group in groups
                for tagging in tagger.read_many(group, [""] * len(group))
            )
        seconds.append(time.process_time() - started)
    median = statistics.median(seconds)
    return {
        "topics": len(taxonomy),
        "megabytes": round(size, 2),
        "paragraphs": len(paragraphs),
        "runs_seconds": [round(s, 3) for s in seconds],
        "mb_per_s": round(size / median, 1),
        "compile_seconds": round(compile_seconds, 2),
        "automaton_keys": tagger.matcher.key_count,
        "model": model is not None,
        "batch": batch,
        "mentions": mentions,
    }


if __name__ == "__main__":
    size = float(sys.argv[1]) if len(sys.argv) > 1 else 20
    small = measure_throughput(12, megabytes=size)
    large = measure_throughput(500, megabytes=size)
    phrases = measure_throughput(12, megabytes=size, model=None)
    threads = measure_throughput(12, megabytes=size, batch=THREAD_PARAGRAPHS)
    print(small)
    print(large)
    print(phrases)
    print(threads)
    print(f"the topic model: {phrases['mb_per_s'] / small['mb_per_s']:.2f}x the phrases' time")
    print(f"500 topics: {small['mb_per_s'] / large['mb_per_s']:.2f}x the time of 12 topics")
