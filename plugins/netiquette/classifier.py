"""The trained topic model: a linear classifier per topic over words, word pairs and phrase hits.

A segment's score for a topic is the logistic of the sum of

* a bag-of-words part: the segment's word and word-pair counts, weighted ``(1 + log count) * idf``
  and scaled to unit length, dotted with the topic's weights;
* the phrase part: a weight for each topic the phrases found in the segment, and another for
  each such topic when the segment has no word of the field (`FIELD_WORDS`);
* the topic's bias.

Everything is folded into per-token tables when the model is trained (`netiquette.training`),
so scoring a segment is a regular expression, dictionary lookups and a few small array sums.
The model file is gzipped JSON, written deterministically: the same training data gives the same
bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

FORMAT = "netiquette-topic-model/1"
DEFAULT_FILE = Path(__file__).with_name("models") / "topics.json.gz"

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_INNER_HYPHEN = re.compile(r"(?<=[a-z])[-\u2010\u2011](?=[a-z])")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


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


def in_field(text_words: Iterable[str]) -> bool:
    """Whether any word of the field (`FIELD_WORDS`) is among ``text_words``."""
    return not FIELD_WORDS.isdisjoint(text_words)


class ModelError(ValueError):
    """A model file that cannot be used; the message names the file."""


def words(text: str) -> list[str]:
    """The lowercase words of ``text`` as the model reads them: "E-mail" is "email", "it's" stays."""
    text = _INNER_HYPHEN.sub("", text.lower().translate(_APOSTROPHES))
    return [word[:-2] if word.endswith("'s") else word for word in _WORD.findall(text)]


def tokens(text: str) -> list[str]:
    """Words and adjacent word pairs ("cold pitch"), the bag-of-words part's features."""
    found = words(text)
    return found + [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]


class TopicModel:
    """Per-topic linear scores over a segment's tokens and phrase hits, with a threshold each."""

    def __init__(self, data: dict, digest: str = "") -> None:
        self.topics: tuple[str, ...] = tuple(data["topics"])
        vocabulary: list[str] = data["vocabulary"]
        self._index = {token: number for number, token in enumerate(vocabulary)}
        n = len(self.topics)
        self._idf = np.asarray(data["idf"], dtype=np.float32)
        self._bow = np.asarray(data["bow"], dtype=np.float32).reshape(len(vocabulary), n)
        self._phrase = np.asarray(data["phrase"], dtype=np.float32).reshape(n, n)
        self._phrase_outside = np.asarray(data["phrase_outside"], dtype=np.float32).reshape(n, n)
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
        logits = self._logits(text, phrase_topics)
        return {self.topics[i]: float(_sigmoid(logits[i])) for i in self._columns}

    def sentence_score(self, sentence: str, topic: str) -> float:
        """How strongly ``sentence`` alone speaks for ``topic`` (without phrase hits)."""
        return float(self._logits(sentence, set())[self.topics.index(topic)])

    def _logits(self, text: str, phrase_topics: set[str]) -> np.ndarray:
        logits = self._bias.copy()
        counts: dict[int, int] = {}
        index = self._index
        found = words(text)
        pairs = [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]
        for token in found + pairs:
            number = index.get(token)
            if number is not None:
                counts[number] = counts.get(number, 0) + 1
        if counts:
            rows = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            weights = tf * self._idf[rows]
            norm = float(np.sqrt(weights @ weights))
            if norm:
                logits += (weights / norm) @ self._bow[rows]
        outside = not in_field(found)
        for topic in phrase_topics:
            if topic in self.topics:
                row = self.topics.index(topic)
                logits += self._phrase[row]
                if outside:
                    logits += self._phrase_outside[row]
        return logits


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


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
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(f"{path}: broken topic model ({error}); retrain it") from None
