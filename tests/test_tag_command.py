"""``netiquette tag``: tables and JSON lines for text files, errors as exit code 2."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from netiquette.commands import tag

TEXT = (
    "First paragraph about nothing in particular.\n\n"
    "He slid into my DMs, then sent an e\u2011blast.\r\n \r\n"
    "Third: never heard back.\n"
)


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="netiquette")
    tag.configure(parser.add_subparsers())
    args = parser.parse_args(["tag", *argv])
    return args.func(args)


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "post.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    return path


def test_json_prints_one_object_per_segment(text_file, capsys):
    assert run("--json", str(text_file)) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["segment"] for line in lines] == [1, 2, 3]
    assert lines[0]["topics"] == [] and lines[0]["mentions"] == []
    second = lines[1]
    assert second["file"] == str(text_file)
    assert second["topics"] == ["unwanted-advances", "spam"]
    for mention in second["mentions"]:
        assert second["text"][mention["start"] : mention["end"]] == mention["phrase"]
        assert set(mention) == {"topic", "start", "end", "phrase", "sentence", "source", "score"}
        assert mention["source"] in ("phrase", "model")
    assert lines[2]["topics"] == ["ignored-messages"]


def test_table_lists_topics_with_their_evidence_aligned(text_file, capsys):
    assert run(str(text_file)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["FILE", "SEG", "TOPIC", "EVIDENCE"]
    assert len(out) == 4
    assert "\u201cslid into my DMs\u201d" in out[1] and "unwanted-advances" in out[1]
    assert len({line.index("TOPIC") if i == 0 else None for i, line in enumerate(out)}) >= 1
    columns = {line.find(" 1  ") for line in out[1:3]}
    assert len(columns) == 1


def test_standard_input_is_read_with_a_dash(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("That comment is spam."))
    assert run("--json", "-") == 0
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert line["file"] == "-" and line["topics"] == ["spam"]


def test_missing_file_is_reported_with_exit_code_2(text_file, tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert run("--json", str(missing), str(text_file)) == 2
    captured = capsys.readouterr()
    assert str(missing) in captured.err
    assert len(captured.out.splitlines()) == 3


def test_broken_taxonomy_is_reported_with_exit_code_2(text_file, tmp_path, capsys):
    broken = tmp_path / "topics.toml"
    broken.write_text('[[topic]]\nslug = "spam"\nmode = "extend"\nphrase = ["x"]\n')
    assert run("--topics", str(broken), str(text_file)) == 2
    err = capsys.readouterr().err
    assert str(broken) in err and "'phrase'" in err


def test_extra_topics_file_is_used(text_file, tmp_path, capsys):
    extra = tmp_path / "topics.toml"
    extra.write_text('[[topic]]\nslug = "nothingness"\nphrases = ["nothing in particular"]\n')
    assert run("--json", "--topics", str(extra), str(text_file)) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["topics"] == ["nothingness"]


def test_a_closed_pipe_ends_quietly(tmp_path):
    import subprocess
    import sys

    big = tmp_path / "big.txt"
    big.write_text("Buy my product now, it is on sale.\n\n" * 5000, encoding="utf-8")
    command = f"{sys.executable} -m netiquette tag {big} | head -n 1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    assert result.stdout.startswith("FILE")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_html_input_is_tagged_as_text_with_a_pointer_to_analyze(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body><p>Stop the spam.</p></body></html>")
    assert run(str(page)) == 0
    assert f"netiquette analyze {page}" in capsys.readouterr().err
    assert run(str(tmp_path / "missing.txt")) == 2


@pytest.mark.parametrize(
    "command", ["tag", "analyze", "import", "train", "evaluate", "export", "suggest"]
)
def test_each_commands_help_shows_an_example_and_its_exit_status(command, capsys):
    from netiquette.cli import main

    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert f"netiquette {command} " in text.split("example", 1)[1] and "exit status" in text
