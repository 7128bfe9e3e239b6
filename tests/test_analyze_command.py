"""`netiquette analyze`: whole threads from any content format, with who replied to whom."""

from __future__ import annotations

import json

import pytest

from netiquette.cli import main
from tests.conftest import ROOT, SEED_FILE

DEMO_POST = ROOT / "content" / "cold-pitches-in-my-inbox.md"


def test_markdown_post_is_printed_as_a_reply_tree_with_topics(capsys):
    assert main(["analyze", str(DEMO_POST)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Cold Pitches in My Inbox")
    priya = next(i for i, line in enumerate(lines) if "Priya Natarajan #1" in line)
    reply = lines[priya + 1]
    assert "Marta Keane #2" in reply
    assert reply.index("└") > lines[priya].index("└")
    assert "hard-selling" in lines[priya]


def test_json_output_has_one_object_per_thread_with_parents(capsys):
    if not SEED_FILE.exists():
        pytest.skip("seed not available")
    assert main(["analyze", "--json", str(SEED_FILE), str(DEMO_POST)]) == 0
    threads = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [t["title"] for t in threads] == [
        "My LinkedIn Policy, Revisited",
        "Cold Pitches in My Inbox: A Week of Counting",
    ]
    seed = threads[0]
    assert [c["author"] for c in seed["comments"]] == [
        "Kim Yuhl",
        "Davina",
        "Judy Gombita",
        "Davina",
    ]
    assert seed["comments"][1]["parent"] == seed["comments"][0]["id"]
    assert seed["comments"][1]["author_inferred"] is True
    assert "job-begging" in seed["comments"][2]["topics"]


def test_a_folder_is_searched_and_comment_files_are_not_threads(capsys):
    assert main(["analyze", "--json", str(ROOT / "content")]) == 0
    titles = [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()]
    assert "Why I Stopped Counting Followers" in titles
    assert len(titles) == len(set(titles))
    assert not any(title in ("1", "a") for title in titles)


def test_missing_file_and_unknown_format_fail_with_the_file_named(tmp_path, capsys):
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"x")
    assert main(["analyze", str(tmp_path / "missing.txt"), str(odd)]) == 2
    err = capsys.readouterr().err
    assert "missing.txt" in err and "notes.docx" in err


def test_a_missing_path_is_named_without_an_errno(tmp_path, capsys):
    from netiquette.cli import main

    assert main(["analyze", str(tmp_path / "nope.txt")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"netiquette analyze: {tmp_path / 'nope.txt'}: no such file or folder"
    )
