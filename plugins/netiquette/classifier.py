"""The trained topic model: a linear classifier per topic over words, word pairs and phrase hits.

A segment's score for a topic is the logistic of the sum of

* a bag-of-words part: the segment's word and word-pair counts, weighted ``(1 + log count) * idf``
  and scaled to unit length, dotted with the topic's weights;
* the phrase part: a weight for each topic the phrases found in the segment, and another for
  each such topic when the segment has no word of the field (`FIELD_WORDS`);
* the topic's bias.

Everything is folded into per-token tables when the model is trained (`netiquette.training`),
so scoring a segment is a regular expression, dictionary lookups and a few small array sums.
The model file is gzipped JSON (its two large tables as base64 half-precision floats), written
deterministically: the same training data gives the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import re
import string
from collections.abc import Iterable, Sequence
from itertools import repeat
from pathlib import Path

import numpy as np

from netiquette.wordruns import AsciiWords

FORMAT = "netiquette-topic-model/1"
DEFAULT_FILE = Path(__file__).with_name("models") / "topics.json.gz"

_WORDS = AsciiWords(r"[a-z0-9]+(?:'[a-z]+)?", string.ascii_lowercase + string.digits + "'")
_INNER_HYPHEN = re.compile(r"(?<=[a-z])[-\u2010\u2011](?=[a-z])")
_POSSESSIVE = re.compile(r"'s\b")
_OTHER_APOSTROPHES = ("\u2019", "\u2018", "\u02bc", "`")
_HYPHENS = ("-", "\u2010", "\u2011")


FIELD_WORDS = frozenset(
    [
        "linkedin",
        "facebook",
        "twitter",
        "instagram",
        "tiktok",
        "reddit",
        "youtube",
        "substack",
        "quora",
        "slack",
        "whatsapp",
        "discord",
        "online",
        "internet",
        "website",
        "blog",
        "blogs",
        "blogger",
        "bloggers",
        "blogging",
        "comment",
        "comments",
        "commented",
        "commenter",
        "commenters",
        "commenting",
        "forum",
        "forums",
        "timeline",
        "tweet",
        "tweets",
        "tweeted",
        "retweet",
        "dm",
        "dms",
        "inbox",
        "email",
        "emails",
        "emailed",
        "messaged",
        "messaging",
        "texted",
        "reply",
        "replies",
        "replied",
        "profile",
        "profiles",
        "networking",
        "networker",
        "networkers",
        "contacts",
        "invite",
        "invites",
        "invited",
        "invitation",
        "invitations",
        "unfollow",
        "unfollowed",
        "unfriend",
        "unfriended",
        "recruiter",
        "recruiters",
        "career",
        "careers",
        "resume",
        "hiring",
        "employer",
        "employers",
        "colleague",
        "colleagues",
        "coworker",
        "coworkers",
        "salesperson",
        "salespeople",
        "marketer",
        "marketers",
        "newsletter",
        "subscribers",
        "stranger",
        "strangers",
        "social",
        "media",
    ]
)
"""Words of the field: a phrase hit in a segment with none of them (trolling for salmon, Spam in
a recipe, ``os.unlink``) is a feature of its own, which the model learns to distrust."""

FIELD_MIN_WORDS = 8
"""Shorter segments ("Never heard back.") are too short to tell they are from outside the field."""


def outside_field(text_words: Sequence[str]) -> bool:
    """Whether a segment reads as text from outside the field: long enough to tell
    (`FIELD_MIN_WORDS`), and none of its words a word of the field (`FIELD_WORDS`)."""
    return len(text_words) >= FIELD_MIN_WORDS and FIELD_WORDS.isdisjoint(text_words)


class ModelError(ValueError):
    """A model file that cannot be used; the message names the file."""


def words(text: str) -> list[str]:
    """The lowercase words of ``text`` as the model reads them: "E-mail" is "email", "it's" stays."""
    text = text.lower()
    if not text.isascii():
        for other in _OTHER_APOSTROPHES:
            if other in text:
                text = text.replace(other, "'")
        if any(hyphen in text for hyphen in _HYPHENS):
            text = _INNER_HYPHEN.sub("", text)
    else:
        if "`" in text:
            text = text.replace("`", "'")
        if "-" in text:
            text = _INNER_HYPHEN.sub("", text)
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    return _WORDS(text)


def tokens(text: str) -> list[str]:
    """Words and adjacent word pairs ("cold pitch"), the bag-of-words part's features."""
    found = words(text)
    return found + [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]


class TopicModel:
    """Per-topic linear scores over a segment's tokens and phrase hits, with a threshold each."""

    def __init__(self, data: dict, digest: str = "") -> None:
        self.topics: tuple[str, ...] = tuple(data["topics"])
        vocabulary: list[str] = data["vocabulary"]
        # Rows count from 1 (0: not in the vocabulary). Every word of a token gets a number, so
        # a word pair is found as one integer key among the pairs' keys, by array search.
        self._rows = len(vocabulary)
        self._word_number: dict[str, int] = {}
        for token in vocabulary:
            for word in token.split(" "):
                self._word_number.setdefault(word, len(self._word_number) + 1)
        self._span = len(self._word_number) + 1
        self._word_row = np.zeros(self._span, dtype=np.int64)
        pairs: list[tuple[int, int]] = []
        for row, token in enumerate(vocabulary, start=1):
            first, _, second = token.partition(" ")
            if " " in second:
                continue  # no segment has longer tokens than word pairs
            if second:
                key = self._word_number[first] * self._span + self._word_number[second]
                pairs.append((key, row))
            else:
                self._word_row[self._word_number[first]] = row
        pairs.sort()
        self._pair_keys = np.asarray([key for key, _ in pairs], dtype=np.int64)
        self._pair_rows = np.asarray([row for _, row in pairs], dtype=np.int64)
        self._topic_row = {topic: row for row, topic in enumerate(self.topics)}
        n = len(self.topics)
        self.gate_power: float = data.get("gate_power", 0)
        """With a gate, every topic's probability is multiplied by the gate's to this power."""
        m = n + 1 if self.gate_power else n  # the gate is the last column
        self._idf = decode_array(data["idf"])
        self._bow = decode_array(data["bow"]).reshape(len(vocabulary), m)
        self._phrase = np.asarray(data["phrase"], dtype=np.float32).reshape(n, m)
        self._phrase_outside = np.asarray(data["phrase_outside"], dtype=np.float32).reshape(n, m)
        self._bias = np.asarray(data["bias"], dtype=np.float32)
        self.keep: dict[str, float] = dict(zip(self.topics, data["keep"], strict=True))
        """Phrase hits of a topic scoring below this are dropped."""
        self.add: dict[str, float] = dict(zip(self.topics, data["add"], strict=True))
        """A topic without phrase hits is tagged from this score up."""
        self.digest = digest or hashlib.sha256(dumps(data)).hexdigest()
        self._columns = np.arange(n)

    def restricted(self, slugs: Iterable[str]) -> TopicModel:
        """The same model answering only for the topics in ``slugs`` (others are dropped)."""
        keep = set(slugs)
        if keep >= set(self.topics):
            return self
        copy = object.__new__(TopicModel)
        copy.__dict__.update(self.__dict__)
        copy._columns = np.asarray([i for i, t in enumerate(self.topics) if t in keep], dtype=int)
        copy.keep = {t: v for t, v in self.keep.items() if t in keep}
        copy.add = {t: v for t, v in self.add.items() if t in keep}
        copy.digest = hashlib.sha256(f"{self.digest}:{sorted(keep)}".encode()).hexdigest()
        return copy

    def scores(self, text: str, phrase_topics: set[str]) -> dict[str, float]:
        """Each topic's probability for ``text``, given the topics its phrases evidence."""
        return self.scores_many([text], [phrase_topics])[0]

    def scores_many(
        self, texts: Sequence[str], phrase_topics: Sequence[set[str]]
    ) -> list[dict[str, float]]:
        """`scores` of many texts at once: the array work is done once for all of them."""
        logits = self._logits(texts, phrase_topics)
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        if self.gate_power:
            probabilities = probabilities[:, :-1] * probabilities[:, -1:] ** self.gate_power
        names = [self.topics[i] for i in self._columns]
        return [
            dict(zip(names, row.tolist(), strict=True)) for row in probabilities[:, self._columns]
        ]

    def sentence_scores(self, sentences: Sequence[str], topic: str) -> list[float]:
        """How strongly each sentence alone speaks for ``topic`` (without phrase hits)."""
        logits = self._logits(sentences, [set()] * len(sentences))
        return logits[:, self._topic_row[topic]].tolist()

    def _logits(self, texts: Sequence[str], phrase_topics: Sequence[set[str]]) -> np.ndarray:
        logits = np.tile(self._bias, (len(texts), 1))
        number_of = self._word_number.get
        numbers: list[int] = []
        lengths: list[int] = []
        for text_number, (text, topics) in enumerate(zip(texts, phrase_topics, strict=True)):
            found = words(text)
            numbers.extend(map(number_of, found, repeat(0)))
            lengths.append(len(found))
            if topics:
                outside = outside_field(found)
                # In the model's order, not the set's: float sums in another order round apart.
                for row in sorted(self._topic_row[t] for t in topics if t in self._topic_row):
                    logits[text_number] += self._phrase[row]
                    if outside:
                        logits[text_number] += self._phrase_outside[row]
        known = np.asarray(numbers, dtype=np.int64)
        segments = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        rows, row_segments = self._word_row[known], segments
        if len(self._pair_keys) and len(known) > 1:
            # Adjacent words of one text, both in the vocabulary's words, may be a known pair.
            joined = (segments[1:] == segments[:-1]) & (known[1:] > 0) & (known[:-1] > 0)
            keys = known[:-1][joined] * self._span + known[1:][joined]
            at = np.minimum(np.searchsorted(self._pair_keys, keys), len(self._pair_keys) - 1)
            hit = self._pair_keys[at] == keys
            rows = np.concatenate([rows, self._pair_rows[at[hit]]])
            row_segments = np.concatenate([segments, segments[:-1][joined][hit]])
        present = rows > 0
        if present.any():
            # One sort counts every (segment, token) pair of every text at once.
            span = self._rows + 1
            keys = np.sort(row_segments[present] * span + rows[present])
            first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
            counts = np.diff(np.append(first, len(keys)))
            segments, rows = np.divmod(keys[first], span)
            rows -= 1
            weights = (1.0 + np.log(counts.astype(np.float32))) * self._idf[rows]
            norms = np.sqrt(np.bincount(segments, weights * weights, minlength=len(texts)))
            weights = weights / norms[segments]
            contributions = self._bow[rows] * weights[:, None]
            starts = np.flatnonzero(np.concatenate(([True], segments[1:] != segments[:-1])))
            logits[segments[starts]] += np.add.reduceat(contributions, starts)
        return logits


def encode_array(values) -> dict:
    """A large table as half-precision floats, little-endian, base64: a compact, exact file
    format that loads without making a Python object per number."""
    raw = np.asarray(values, dtype="<f2").tobytes()
    return {"float16": base64.b64encode(raw).decode("ascii")}


def decode_array(value) -> np.ndarray:
    """The float32 array of `encode_array`'s output, or of a plain list of numbers."""
    if isinstance(value, dict):
        raw = base64.b64decode(value["float16"], validate=True)
        return np.frombuffer(raw, dtype="<f2").astype(np.float32)
    return np.asarray(value, dtype=np.float32)


def dumps(data: dict) -> bytes:
    """The model's canonical bytes: sorted keys, compact JSON."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def save_model(data: dict, path: Path) -> None:
    """Write ``data`` gzipped with no timestamp or name in the header, so the bytes are reproducible."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(dumps(data), compresslevel=9, mtime=0))


def load_model(path: str | Path | None = None) -> TopicModel:
    """The model in ``path``, or the shipped one."""
    path = Path(path) if path is not None else DEFAULT_FILE
    try:
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    except OSError as error:
        raise ModelError(
            f"{path}: cannot read the topic model ({error.strerror or error})"
        ) from None
    except (ValueError, EOFError) as error:
        raise ModelError(f"{path}: not a topic model file ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{path}: not a topic model file (expected format {FORMAT!r}); "
                         "make one with `netiquette train`")  # fmt: skip
    try:
        return TopicModel(data, hashlib.sha256(raw).hexdigest())
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise ModelError(f"{path}: broken topic model ({error}); retrain it") from None
