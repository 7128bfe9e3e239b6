"""Training the topic model from labelled segments, and measuring it honestly.

Input is YAML in the format of the labelled sets (a list of segments, each with ``page`` or
``url``, ``text``, ``must`` and ``may`` topics). Training fits one logistic regression per topic over
the features `netiquette.classifier` scores (words and word pairs, and the phrase hits), then folds it into the per-token tables the model file holds.

A segment whose ``may`` holds a topic says nothing either way about it: it is left out of that
topic's fit and of its threshold. Thresholds are chosen on out-of-fold scores of a cross-validation
grouped by page (repeated over `REPEATS` splits and averaged), so no page is scored by a model that
saw it; the figures printed are those out-of-fold scores, the only honest measure on the training
data.

scikit-learn and PyYAML are needed here only (``pip install "netiquette[train]"``); the model
itself runs on numpy alone. Everything is deterministic: the same files give the same model bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from netiquette.classifier import FORMAT, encode_array, outside_field, tokens, words
from netiquette.matcher import PhraseMatcher
from netiquette.taxonomy import Taxonomy, load_taxonomy

FOLDS = 5
REPEATS = 3
"""Cross-validation runs this many times over differently shuffled page splits, and every
segment's out-of-fold scores are averaged. Thresholds chosen on one split's scores follow that
split's luck: on `offtopic-dev.yaml`, single splits gave 1.8% to 3.0% of segments a false topic,
five different sets of three averaged splits 1.5% each."""
GATE = ""
"""The extra column of a model trained with text from outside the field: is a segment in it?"""
GATE_POWER = 3
"""A topic's score is its probability times the gate's to this power."""
C = 4.0
"""Inverse regularisation strength of every topic's logistic regression."""
MIN_PRECISION = 0.85
"""Thresholds are the most recall-giving ones whose out-of-fold precision reaches this."""
COSTS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
"""Costs of a false positive (in true positives) tried in turn when choosing thresholds."""
OUTSIDE_COST = 5.0
"""How many false positives on the field's own pages one on a page from outside it counts as:
a topic on a recipe or a fishing report is a worse mistake than a debatable one on a post about
networking, and text from outside the field is what most blogs are."""
KEEP_GRID = np.round(np.arange(0.0, 0.61, 0.05), 2)
ADD_GRID = np.round(np.arange(0.05, 1.001, 0.025), 3)
NEGATIVES_FILE = Path(__file__).with_name("models") / "negatives.yaml"
"""Paragraphs from outside the field (written for the project), mixed in as topic-free segments."""


class TrainingError(ValueError):
    """Labelled input that cannot be trained on; the message names the file and the entry."""


@dataclass(frozen=True)
class Segment:
    text: str
    group: str
    must: frozenset[str]
    may: frozenset[str]
    field: bool = True
    """False for paragraphs from outside the field, the gate's negatives."""


@dataclass
class Figures:
    """Out-of-fold counts per topic: true positives, false positives, false negatives."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    segments: int = 0
    false_segments: int = 0

    def micro(self) -> tuple[float, float, float]:
        tp = sum(c[0] for c in self.counts.values())
        fp = sum(c[1] for c in self.counts.values())
        fn = sum(c[2] for c in self.counts.values())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def table(self) -> str:
        lines = [f"{'topic':24s}   tp   fp   fn  precision  recall"]
        for topic, (tp, fp, fn) in sorted(self.counts.items()):
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            lines.append(f"{topic:24s} {tp:4d} {fp:4d} {fn:4d}  {precision:9.2f}  {recall:6.2f}")
        p, r, f1 = self.micro()
        share = self.false_segments / self.segments if self.segments else 0.0
        lines.append(
            f"micro: precision {p:.3f} recall {r:.3f} F1 {f1:.3f} over {self.segments} segments; "
            f"{self.false_segments} ({share:.1%}) get a false topic"
        )
        return "\n".join(lines)


def read_labelled(
    paths: Sequence[str | Path], topics: Sequence[str], *, field: bool = True
) -> list[Segment]:
    """The segments of labelled YAML files; unknown topics and malformed entries are errors.

    ``field=False`` marks them as text from outside the field (topic-free by definition)."""
    import yaml

    known = set(topics)
    segments = []
    for path in paths:
        path = Path(path)
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise TrainingError(f"{path}: cannot read labelled segments ({error})") from None
        if not isinstance(entries, list):
            raise TrainingError(f"{path}: expected a YAML list of segments")
        for number, entry in enumerate(entries, start=1):
            where = f"{path}: segment {number}"
            if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
                raise TrainingError(f"{where}: needs a 'text' string")
            labels = []
            for key in ("must", "may"):
                value = entry.get(key) or []
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise TrainingError(f"{where}: '{key}' must be a list of topic slugs")
                if unknown := set(value) - known:
                    raise TrainingError(f"{where}: unknown topic(s) {sorted(unknown)} in '{key}'")
                labels.append(frozenset(value))
            page = entry.get("url") or f"{path.name}:{entry.get('page', number)}"
            text = " ".join(entry["text"].split())
            if not field and labels[0]:
                raise TrainingError(f"{where}: text from outside the field has no 'must' topics")
            segments.append(Segment(text, str(page), labels[0], labels[1] - labels[0], field))
    return segments


def evaluate(tagger, segments: Sequence[Segment]) -> Figures:
    """How ``tagger`` (a `netiquette.tagger.Tagger`) does on each segment alone, scored as the
    labelled sets are judged: a topic in ``must`` is right, one in neither ``must`` nor ``may``
    is wrong, a ``must`` topic not found is missed."""
    topics = sorted({t for s in segments for t in s.must} | set(tagger.taxonomy.slugs))
    chosen = np.asarray(
        [
            [t in found for t in topics]
            for found in (set(tagger.topics_of(s.text)) for s in segments)
        ]
    ).reshape(len(segments), len(topics))
    figures = _figures(chosen, segments, topics)
    figures.counts = {t: c for t, c in figures.counts.items() if any(c)}
    return figures


def phrase_hits(texts: Sequence[str], matcher: PhraseMatcher, topics: Sequence[str]) -> np.ndarray:
    """One column per topic: 1 where the topic's phrases match the text."""
    column = {t: i for i, t in enumerate(topics)}
    hits = np.zeros((len(texts), len(topics)))
    for row, text in enumerate(texts):
        for mention in matcher.tag(text):
            if mention.topic in column:
                hits[row, column[mention.topic]] = 1.0
    return hits


class Features:
    """The model's inputs: tf-idf of words and word pairs fitted on some texts, then phrase hits."""

    def __init__(self, texts: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(
            analyzer=tokens, sublinear_tf=True, min_df=2, dtype=np.float64
        )
        self.vectorizer.fit(texts)

    def matrix(self, texts: Sequence[str], hits: np.ndarray):
        import scipy.sparse as sparse

        bow = self.vectorizer.transform(texts)
        outside = np.asarray([[outside_field(words(text))] for text in texts], dtype=float)
        return sparse.hstack(
            [bow, sparse.csr_matrix(hits), sparse.csr_matrix(hits * outside)], format="csr"
        )


def train(
    segments: Sequence[Segment],
    taxonomy: Taxonomy | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[dict, Figures]:
    """The model file's data and the out-of-fold figures, for topics with enough positives.

    Linear algebra runs on one thread: sums done in another order round differently, and the
    model file must come out byte for byte the same on every machine."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _train(segments, taxonomy, progress)


def _train(
    segments: Sequence[Segment],
    taxonomy: Taxonomy | None,
    progress: Callable[[str], None],
) -> tuple[dict, Figures]:
    from sklearn.model_selection import GroupKFold

    taxonomy = taxonomy or load_taxonomy()
    groups = [s.group for s in segments]
    if len(set(groups)) < FOLDS:
        raise TrainingError(
            f"segments from at least {FOLDS} pages are needed for cross-validation by page; "
            f"these come from {len(set(groups))}"
        )
    topics = [t for t in taxonomy.slugs if sum(t in s.must for s in segments) >= FOLDS]
    if not topics:
        raise TrainingError("no topic has enough labelled examples to train on")
    texts = [s.text for s in segments]
    progress(f"phrase hits of {len(texts)} segments")
    hits = phrase_hits(texts, PhraseMatcher(taxonomy), topics)
    gated = any(not s.field for s in segments)
    columns = [*topics, GATE] if gated else topics
    out_of_fold = np.zeros((len(texts), len(topics)))
    for repeat in range(REPEATS):
        scores = np.zeros((len(texts), len(columns)))
        splits = GroupKFold(FOLDS, shuffle=True, random_state=repeat).split(texts, groups=groups)
        for number, (fit_rows, test_rows) in enumerate(splits, start=1):
            progress(f"cross-validation {repeat + 1} of {REPEATS}, fold {number} of {FOLDS}")
            fold = Features([texts[i] for i in fit_rows])
            fit_matrix = fold.matrix([texts[i] for i in fit_rows], hits[fit_rows])
            test_matrix = fold.matrix([texts[i] for i in test_rows], hits[test_rows])
            for column, topic in enumerate(columns):
                model = _fit(fit_matrix, [segments[i] for i in fit_rows], topic)
                scores[test_rows, column] = model.predict_proba(test_matrix)[:, 1]
        if gated:
            scores = scores[:, :-1] * scores[:, -1:] ** GATE_POWER
        out_of_fold += scores / REPEATS
    thresholds = _all_thresholds(out_of_fold, hits, segments, topics)
    keep = np.asarray([k for k, _ in thresholds])
    add = np.asarray([a for _, a in thresholds])
    outside = np.asarray([outside_field(words(text)) for text in texts])
    chosen = decide(out_of_fold, hits, outside[:, None], keep, add)
    figures = _figures(chosen, segments, topics)
    progress("final fit on every segment")
    features = Features(texts)
    matrix = features.matrix(texts, hits)
    models = [_fit(matrix, segments, topic) for topic in columns]
    return _fold(features, models, topics, thresholds, gated), figures


def _fit(matrix, segments: Sequence[Segment], topic: str):
    from sklearn.linear_model import LogisticRegression

    if topic == GATE:
        labels = np.asarray([s.field for s in segments], dtype=int)
        weights = np.where(labels == 1, 1.0, labels.sum() / max(1, len(labels) - labels.sum()))
    else:
        labels = np.asarray([topic in s.must for s in segments], dtype=int)
        weights = np.asarray([0.0 if topic in s.may else 1.0 for s in segments])
    model = LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=0)
    return model.fit(matrix, labels, sample_weight=weights)


def _all_thresholds(
    scores: np.ndarray, hits: np.ndarray, segments: Sequence[Segment], topics: Sequence[str]
) -> list[tuple[float, float]]:
    """Every topic's thresholds for the cheapest cost of a false positive (see `_thresholds`)
    that keeps the out-of-fold micro precision at `MIN_PRECISION` or above."""
    outside = np.asarray([outside_field(words(s.text)) for s in segments])
    for cost in COSTS:
        thresholds = [
            _thresholds(scores[:, c], hits[:, c], outside, segments, t, cost)
            for c, t in enumerate(topics)
        ]
        keep = np.asarray([k for k, _ in thresholds])
        add = np.asarray([a for _, a in thresholds])
        chosen = decide(scores, hits, outside[:, None], keep, add)
        if _figures(chosen, segments, topics).micro()[0] >= MIN_PRECISION:
            break
    return thresholds


def _thresholds(
    scores: np.ndarray,
    hits: np.ndarray,
    outside: np.ndarray,
    segments: Sequence[Segment],
    topic: str,
    cost: float,
) -> tuple[float, float]:
    """The (keep, add) thresholds of a topic. Phrase hits in segments of the field are always
    kept; hits outside it (no word of the field) are kept from `keep` up, and segments without a
    hit are tagged from `add` up. Chosen on out-of-fold scores to maximise ``tp - cost * fp``;
    on ties, the lower `keep` and the higher `add` (the phrases' own verdict) win."""
    must = np.asarray([topic in s.must for s in segments])
    neutral = np.asarray([topic in s.may for s in segments])
    weight = np.asarray([1.0 if s.field else OUTSIDE_COST for s in segments])
    hit = hits.astype(bool)
    best: tuple[float, int, float, float] | None = None
    for keep in KEEP_GRID:
        for add in ADD_GRID[::-1]:
            chosen = decide(scores, hit, outside, keep, add)
            tp = int((chosen & must).sum())
            fp = float(weight[chosen & ~must & ~neutral].sum())
            if best is None or (tp - cost * fp, tp) > best[:2]:
                best = (tp - cost * fp, tp, float(keep), float(add))
    return best[2], best[3]


def decide(scores: np.ndarray, hits: np.ndarray, outside: np.ndarray, keep, add) -> np.ndarray:
    """Which topics are tagged, by the rule `netiquette.tagger.Tagger` applies; ``outside`` must
    broadcast against ``scores`` (a column for a matrix of topics)."""
    return np.where(hits.astype(bool), ~outside | (scores >= keep), scores >= add)


def _figures(chosen: np.ndarray, segments: Sequence[Segment], topics: Sequence[str]) -> Figures:
    figures = Figures({t: [0, 0, 0] for t in topics}, segments=len(segments))
    for row, segment in enumerate(segments):
        wrong = False
        for column, topic in enumerate(topics):
            if chosen[row, column] and topic in segment.must:
                figures.counts[topic][0] += 1
            elif chosen[row, column] and topic not in segment.may:
                figures.counts[topic][1] += 1
                wrong = True
            elif topic in segment.must:
                figures.counts[topic][2] += 1
        figures.false_segments += wrong
    return figures


def _fold(
    features: Features,
    models,
    topics: Sequence[str],
    thresholds: Sequence[tuple[float, float]],
    gated: bool,
) -> dict:
    """The fitted models as the per-token tables `netiquette.classifier.TopicModel` reads."""
    vocabulary = list(features.vectorizer.get_feature_names_out())
    coefficients = np.vstack([m.coef_[0] for m in models])  # topics x features
    size, count = len(vocabulary), len(topics)
    return {
        "format": FORMAT,
        "topics": list(topics),
        "gate_power": GATE_POWER if gated else 0,
        "keep": [keep for keep, _ in thresholds],
        "add": [add for _, add in thresholds],
        "bias": _rounded([m.intercept_[0] for m in models]),
        "vocabulary": vocabulary,
        "idf": encode_array(features.vectorizer.idf_),
        "bow": encode_array(coefficients[:, : len(vocabulary)].T.ravel()),
        "phrase": _rounded(coefficients[:, size : size + count].T.ravel()),
        "phrase_outside": _rounded(coefficients[:, size + count :].T.ravel()),
    }


def _rounded(values) -> list[float]:
    """Five significant digits: plenty for a linear model, and stable text in the file."""
    return [float(f"{v:.5g}") if math.isfinite(v) else 0.0 for v in np.asarray(values, dtype=float)]
