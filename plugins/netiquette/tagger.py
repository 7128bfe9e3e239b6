"""The one way a segment of text gets its etiquette topics: phrases, then the trained model.

Every caller (the site build, ``netiquette tag``, ``analyze``, ``evaluate``) goes through `Tagger`.
For each segment:

1. text that is not English is left untagged (`Tagging.english` says so, for the build summary);
2. the `PhraseMatcher` finds exact phrase evidence;
3. the `TopicModel` scores every topic it was trained on, with the phrase hits among its inputs.
   A topic the phrases found is kept; a topic they did not find is added from the topic's `add`
   threshold up, with the sentence the model scores highest as its evidence (``source="model"``). Phrase evidence keeps its exact spans (``source="phrase"``). Phrase hits
   in a segment with no word of the field (`netiquette.classifier.FIELD_WORDS`), in itself or in
   its context, are kept only from the topic's `keep` threshold up: that is how "trolling for
   salmon" and Spam in a recipe stay untagged.

Topics the model does not know (a user's own) are decided by their phrases alone; topics the
taxonomy removes are dropped from the model's output too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from netiquette.classifier import FIELD_WORDS, TopicModel, load_model, outside_field, words
from netiquette.language import is_english
from netiquette.matcher import PhraseMatcher
from netiquette.model import Mention
from netiquette.sentences import SentenceBreaks
from netiquette.taxonomy import Taxonomy, load_taxonomy

DEFAULT_MODEL = "default"
"""Stands for the model shipped with Netiquette wherever a model file may be named."""


@dataclass(frozen=True, slots=True)
class Tagging:
    """A segment's mentions; ``english`` is False when the segment was left untagged as not English."""

    mentions: list[Mention]
    english: bool = True


class Tagger:
    """A taxonomy's phrases and a topic model, compiled once and applied to many segments."""

    def __init__(
        self,
        taxonomy: Taxonomy | None = None,
        model: TopicModel | str | Path | None = DEFAULT_MODEL,
    ) -> None:
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        self.matcher = PhraseMatcher(self.taxonomy)
        if isinstance(model, str | Path):
            model = load_model(None if model == DEFAULT_MODEL else model)
        self.model = model.restricted(self.taxonomy.slugs) if model is not None else None
        digest = hashlib.sha256(self.taxonomy.fingerprint.encode())
        digest.update(b"\0" + (self.model.digest if self.model else "no model").encode())
        self.fingerprint = digest.hexdigest()
        """Changes whenever the taxonomy or the model does, so cached results can be dropped."""

    def tag(self, text: str) -> list[Mention]:
        """Every mention in ``text``, sorted by (start, topic)."""
        return self.read(text).mentions

    def topics_of(self, text: str) -> list[str]:
        """The topics ``text`` raises, in taxonomy order."""
        present = {mention.topic for mention in self.tag(text)}
        return [slug for slug in self.taxonomy.slugs if slug in present]

    def read(self, text: str, context: str = "") -> Tagging:
        """The mentions of ``text``, or none with ``english=False`` when it is not English.

        ``context`` is text around the segment (the post's title, the comment replied to): it
        only tells whether the segment is about the field at all, it is never tagged itself.
        """
        return self.read_many([text], [context])[0]

    def read_many(self, texts: Sequence[str], contexts: Sequence[str]) -> list[Tagging]:
        """`read` for the segments of one thread at once (the model scores them together)."""
        english = [not text.strip() or is_english(text) for text in texts]
        phrases = [
            self.matcher.tag(t) if e and t.strip() else []
            for t, e in zip(texts, english, strict=True)
        ]
        if self.model is None:
            return [Tagging(p, e) for p, e in zip(phrases, english, strict=True)]
        scored = [i for i, text in enumerate(texts) if english[i] and text.strip()]
        found = [{m.topic for m in phrases[i]} for i in scored]
        all_scores = self.model.scores_many([texts[i] for i in scored], found)
        results = [Tagging(p, e) for p, e in zip(phrases, english, strict=True)]
        for i, topics, scores in zip(scored, found, all_scores, strict=True):
            results[i] = Tagging(self._decide(texts[i], contexts[i], phrases[i], topics, scores))
        return results

    def _decide(
        self,
        text: str,
        context: str,
        phrases: list[Mention],
        found: set[str],
        scores: dict[str, float],
    ) -> list[Mention]:
        outside = (
            bool(found) and outside_field(words(text)) and FIELD_WORDS.isdisjoint(words(context))
        )
        kept = [m for m in phrases if m.topic not in scores]
        breaks: SentenceBreaks | None = None
        for topic, score in scores.items():
            if topic in found:
                if outside and score < self.model.keep[topic]:
                    continue
            elif score < self.model.add[topic]:
                continue
            rounded = round(score, 3)
            evidence = [replace(m, score=rounded) for m in phrases if m.topic == topic]
            if not evidence:
                breaks = breaks or SentenceBreaks(text)
                evidence = [self._model_mention(text, topic, rounded, breaks)]
            kept.extend(evidence)
        kept.sort(key=_order)
        return kept

    def _model_mention(
        self, text: str, topic: str, score: float, breaks: SentenceBreaks
    ) -> Mention:
        """The sentence of ``text`` that the model scores highest for ``topic``, as evidence."""
        spans = breaks.sentences() or [(0, len(text))]
        if len(spans) > 1:
            scores = self.model.sentence_scores([text[a:b] for a, b in spans], topic)
            best = spans[max(range(len(spans)), key=lambda i: (scores[i], -i))]
        else:
            best = spans[0]
        start, end = best
        sentence = text[start:end]
        return Mention(topic, start, end, sentence, sentence, start, "model", score)


def _order(mention: Mention) -> tuple[int, str]:
    return mention.start, mention.topic


_COMPILED: dict[tuple[str, str], Tagger] = {}


def tagger_for(taxonomy: Taxonomy, model: str | Path | None = DEFAULT_MODEL) -> Tagger:
    """A tagger for ``taxonomy`` and ``model``, reused while neither changes."""
    key = (taxonomy.fingerprint, str(model))
    if key not in _COMPILED:
        if len(_COMPILED) >= 4:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = Tagger(taxonomy, model)
    return _COMPILED[key]


def default_tagger() -> Tagger:
    """The tagger for the default taxonomy and model, compiled once per process."""
    return tagger_for(load_taxonomy())
