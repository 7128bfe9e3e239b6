"""``netiquette suggest``: recurring phrasings no topic covers, counted by threads and people."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import pytest

from netiquette.cli import main
from netiquette.formats import load_path
from netiquette.matcher import PhraseMatcher
from netiquette.render import body_html, html_to_text
from netiquette.suggest import MinedText, PhraseMiner, runs, topics_toml
from netiquette.taxonomy import load_taxonomy
from tests.conftest import REAL_DIR

REAL_WXR = sorted((REAL_DIR / "wxr").glob("*.xml"))


def thread_line(thread_id: str, comments: list[tuple[str, str]]) -> str:
    """A JSON Lines thread whose comments are (author, body) pairs."""
    return json.dumps(
        {
            "id": thread_id,
            "title": f"Thread {thread_id}",
            "comments": [
                {"id": str(n), "author": author, "body": body}
                for n, (author, body) in enumerate(comments)
            ],
        }
    )


def suggest(tmp_path: Path, *args: str) -> tuple[Path, str]:
    out = tmp_path / "suggested.toml"
    assert main(["suggest", "--no-model", *args, "--output", str(out)]) == 0
    return out, out.read_text(encoding="utf-8")


def phrases_of(toml_text: str) -> list[str]:
    return re.findall(r'^phrases = \["(.*)"\]$', toml_text, re.M)


def test_real_export_gives_phrases_found_in_several_threads_and_a_loadable_file(tmp_path):
    if not REAL_WXR:
        pytest.skip("the shared real WXR exports are not available")
    out, text = suggest(tmp_path, *map(str, REAL_WXR), "--min-threads", "3")
    phrases = phrases_of(text)
    assert len(phrases) >= 5
    taxonomy = load_taxonomy([out])
    assert len(taxonomy) == len(load_taxonomy()) + len(phrases)
    threads = [t for path in REAL_WXR for t in load_path(path)]
    texts = [
        " ".join(
            " ".join(words)
            for segment in [*t.post.paragraphs, *(html_to_text(body_html(c)) for c in t.comments)]
            for words in runs(segment)
        )
        for t in threads
    ]
    for phrase in phrases[:10]:
        pattern = re.compile(rf"(?<![\w'-]){re.escape(phrase)}(?![\w'-])")
        assert sum(bool(pattern.search(text)) for text in texts) >= 3, phrase


def test_the_topics_file_loads_and_avoids_existing_slugs(tmp_path):
    miner = PhraseMiner()
    for number in range(4):
        miner.add_thread([MinedText("the unsubscribe link, as usual", f"name:b{number}", "f#2")])
    suggestions = miner.suggestions(min_threads=3)
    assert [s.phrase for s in suggestions] == ["unsubscribe link"]
    text = topics_toml(suggestions, ["unsubscribe-link"], "header line")
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    taxonomy = load_taxonomy([path])
    assert taxonomy.slugs[-1] == "unsubscribe-link-2"
    assert taxonomy.get("unsubscribe-link-2").phrases == ("unsubscribe link",)
    assert text.startswith("# header line")


def test_one_person_repeating_a_phrase_in_one_thread_is_not_recurring(tmp_path):
    lines = [thread_line("solo", [("Pat", "my cat ate the router cable") for _ in range(30)])]
    lines += [
        thread_line(
            f"t{n}",
            [
                (f"Person {n}", "the quarterly newsletter arrived"),
                (f"Other {n}", "so did the quarterly newsletter"),
            ],
        )  # fmt: skip
        for n in range(4)
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, text = suggest(tmp_path, str(path), "--min-threads", "1")
    phrases = phrases_of(text)
    assert "quarterly newsletter" in phrases
    assert not any("router" in phrase or "cat ate" in phrase for phrase in phrases)


def test_one_person_repeating_a_phrase_across_threads_is_not_recurring_either():
    miner = PhraseMiner()
    for number in range(10):
        miner.add_thread([MinedText("my signature pineapple emoji", "name:pat", f"t{number}#c")])
    assert miner.suggestions(min_threads=3) == []
    assert miner.suggestions(min_threads=3, min_people=1)[0].phrase == "signature pineapple emoji"


def test_phrases_a_topic_already_matches_are_not_suggested():
    miner = PhraseMiner()
    for number in range(4):
        miner.add_thread([MinedText("a generic LinkedIn invite", f"name:{number}", f"t{number}")])
    assert [s.phrase for s in miner.suggestions()] == ["generic linkedin invite"]
    assert miner.suggestions(matcher=PhraseMatcher(load_taxonomy())) == []


def test_counts_are_by_thread_and_person():
    miner = PhraseMiner()
    for number in range(5):
        miner.add_thread(
            [MinedText("a weekly digest email again", f"name:p{number}", f"t{number}#c1")] * 3
            + [MinedText("a weekly digest email again", "name:same", f"t{number}#c2")]
        )
    [best, *_] = miner.suggestions(min_threads=3)
    assert (best.phrase, best.threads, best.people) == ("weekly digest email", 5, 6)
    assert len(best.examples) == 3 and len({where for where, _ in best.examples}) == 3


def test_memory_stays_bounded_and_frequent_phrases_survive_pruning():
    rng = random.Random(1)
    miner = PhraseMiner(max_entries=2_000)
    for number in range(600):
        noise = " ".join("".join(rng.choices("bcdfghklmnprstvz", k=8)) for _ in range(30))
        miner.add_thread(
            [MinedText(f"{noise} the moderation queue backlog", f"name:{number}", f"t{number}#c")]
        )
        assert len(miner._entries) <= 2_000
    assert miner.pruned_below >= 2
    assert miner.suggestions(min_threads=3)[0].phrase == "moderation queue backlog"


SYNTHETIC_WORDS = """
people post blog comment reply network message friend work time think know good new share read
write follow page site link question answer idea week business client team meeting phone call
list group photo profile update news feed tool data product service the a to and of i you it is
that in my for on with this was but the a to and of
"""


def synthetic_corpus(path: Path, threads: int, comments: int) -> int:
    """A deterministic JSON Lines corpus of `threads` threads of `comments` comments each."""
    rng = random.Random(0)
    words = SYNTHETIC_WORDS.split()
    planted = ["unsubscribe link buried", "reply all storm", "cold pitch deck"]
    with path.open("w", encoding="utf-8") as out:
        for t in range(threads):
            pairs = []
            for _ in range(comments):
                body = " ".join(rng.choice(words) for _ in range(rng.randint(15, 50)))
                if rng.random() < 0.1:
                    body += ". Yet another " + rng.choice(planted) + "."
                pairs.append((f"user{rng.randrange(threads * comments // 4)}", body))
            out.write(thread_line(f"t{t}", pairs) + "\n")
    return threads * comments


def test_throughput_on_a_synthetic_corpus(tmp_path, capsys):
    total = synthetic_corpus(tmp_path / "synthetic.jsonl", 500, 20)
    started = time.perf_counter()
    _, text = suggest(tmp_path, str(tmp_path / "synthetic.jsonl"))
    rate = total / (time.perf_counter() - started)
    err = capsys.readouterr().err
    assert "comments/s" in err
    assert "unsubscribe link buried" in " ".join(phrases_of(text))
    print(f"suggest: {rate:,.0f} comments/s on {total:,} synthetic comments")
    assert rate > 1_000


def test_several_processes_give_the_same_topics_file_as_one(tmp_path, capsys):
    synthetic_corpus(tmp_path / "synthetic.jsonl", 240, 5)
    outputs = []
    for jobs in ("1", "2"):
        assert (
            main(["suggest", "--no-model", "--jobs", jobs, str(tmp_path / "synthetic.jsonl")]) == 0
        )
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "[[topic]]" in outputs[0]
