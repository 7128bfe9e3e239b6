"""Tag quality of the default taxonomy: the seed thread and the hand-labelled segments.

The seed (``shared/seed`` next to the repository, skipped when absent) says what a careful reader
finds: every `must` topic has to be found and nothing outside `must` + `may`. The labelled set
(`tests/data/labelled_segments.yaml`) is scored by micro precision and recall over
(segment, topic) pairs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from netiquette.tagger import default_tagger

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"
SEED_FILE = SEED_DIR / "000_3ec95f0b2dc2d7a2.txt"
LABELLED = Path(__file__).resolve().parent / "data" / "labelled_segments.yaml"

needs_seed = pytest.mark.skipif(
    not (SEED_FILE.exists() and (SEED_DIR / "expected.yaml").exists()), reason="no seed files"
)


def expected() -> dict:
    return yaml.safe_load((SEED_DIR / "expected.yaml").read_text(encoding="utf-8"))


def seed_lines_before_comments() -> list[str]:
    lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if re.match(r"\d+ thoughts on", line))
    return lines[:header]


def seed_comment_texts() -> list[str]:
    """The comment bodies in document order, via the text parser when it is available."""
    text = SEED_FILE.read_text(encoding="utf-8")
    try:
        from netiquette.parsers.text import parse_text_thread
    except ImportError:
        parse_text_thread = None
    if parse_text_thread is not None:
        return [comment.body for comment in parse_text_thread(text, str(SEED_FILE)).comments]
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if re.match(r"\d+ thoughts on", line))
    comments: list[list[str]] = []
    for line in lines[header + 1 :]:
        if line.startswith("Comments are closed"):
            break
        if "recently posted.." in line:
            continue
        item = re.match(r"\s*\d+\.\s+(.*)", line)
        if item:
            comments.append([item.group(1)])
        elif comments:
            comments[-1].append(line.strip())
    return ["\n".join(parts).strip() for parts in comments]


def check(found: set[str], must: list[str], may: list[str], what: str) -> list[str]:
    problems = []
    if missing := set(must) - found:
        problems.append(f"{what}: missing {sorted(missing)}")
    if extra := found - set(must) - set(may):
        problems.append(f"{what}: unexpected {sorted(extra)}")
    return problems


@needs_seed
def test_seed_segments_get_their_must_topics_and_nothing_outside_may():
    tagger = default_tagger()
    lines = seed_lines_before_comments()
    problems = []
    quoted = set()
    for segment in expected()["segments"]:
        line = next(line for line in lines if segment["quote"] in line)
        quoted.add(line)
        found = set(tagger.topics_of(line))
        problems += check(found, segment["must"], segment["may"], segment["quote"])
    for line in lines:
        if line not in quoted and (found := tagger.topics_of(line)):
            problems.append(f"{line[:50]!r}: unexpected {found}")
    assert not problems, "\n".join(problems)


@needs_seed
def test_seed_comments_get_their_must_topics_and_nothing_outside_may():
    tagger = default_tagger()
    comments = seed_comment_texts()
    problems = []
    for entry in expected()["comment_topics"]:
        found = set(tagger.topics_of(comments[entry["index"]]))
        problems += check(found, entry["must"], entry["may"], f"comment {entry['index']}")
    assert not problems, "\n".join(problems)


def score(items: list[dict]) -> tuple[float, float, list[str]]:
    """Micro precision and recall over (segment, topic) pairs, and the disagreements."""
    tagger = default_tagger()
    true_positive = false_positive = false_negative = 0
    disagreements = []
    for item in items:
        found, wanted = set(tagger.topics_of(item["text"])), set(item["topics"])
        true_positive += len(found & wanted)
        false_positive += len(found - wanted)
        false_negative += len(wanted - found)
        if found != wanted:
            disagreements.append(
                f"{item['text'][:70]!r}: extra {sorted(found - wanted)}, "
                f"missing {sorted(wanted - found)}"
            )
    precision = true_positive / max(1, true_positive + false_positive)
    recall = true_positive / max(1, true_positive + false_negative)
    return precision, recall, disagreements


def test_labelled_segments_are_tagged_with_high_precision_and_recall():
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    assert len(items) >= 100
    assert sum(1 for item in items if not item["topics"]) >= 25
    precision, recall, disagreements = score(items)
    print(f"\nlabelled segments: {len(items)}, precision {precision:.3f}, recall {recall:.3f}")
    print("\n".join(disagreements))
    assert precision >= 0.85
    assert recall >= 0.80
