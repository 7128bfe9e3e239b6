"""Corpora in and out: ConvoKit and JSON Lines threads read, and ``netiquette export`` written."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import textwrap
from contextlib import redirect_stdout
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from netiquette.cli import main
from netiquette.dates import to_utc
from netiquette.formats import load_path
from netiquette.loaders import stream_jsonl
from netiquette.model import Problem, Thread
from netiquette.parsers.convokit import parse_convokit
from netiquette.parsers.jsonl import parse_jsonl, parse_line
from netiquette.pseudonymise import is_anonymous
from netiquette.render import body_html
from tests.conftest import REAL_DIR, ROOT, build_site

SMALL_WXR = ROOT / "tests" / "data" / "import" / "small_wxr.xml"
REAL_WXR = REAL_DIR / "wxr" / "04_jamesgecko_wordpress.xml"
DEMO = ROOT / "content"


def write_lines(path: Path, rows) -> Path:
    path.write_text("".join(r if isinstance(r, str) else json.dumps(r) + "\n" for r in rows))
    return path


def convokit_corpus(folder: Path) -> Path:
    folder.mkdir()
    write_lines(
        folder / "utterances.jsonl",
        [
            {"id": "p1", "speaker": "u1", "conversation_id": "p1", "reply-to": None,
             "timestamp": 1400000000, "text": "First paragraph.\n\nSecond paragraph.", "meta": {}},
            {"id": "c1", "speaker": "u2", "conversation_id": "p1", "reply-to": "p1",
             "timestamp": 1400000100, "text": "A top-level reply.", "meta": {}},
            {"id": "c2", "speaker": "u1", "conversation_id": "p1", "reply_to": "c1",
             "timestamp": "1400000200", "text": "A reply to the reply.", "meta": {}},
            "{not json\n",
            {"id": "q1", "speaker": "u3", "conversation_id": "q1", "reply-to": None,
             "timestamp": None, "text": "Another post.", "meta": {}},
            {"id": "d1", "speaker": "u2", "conversation_id": "q1", "reply-to": "q1",
             "timestamp": 1400000300, "text": "Hello.", "meta": {}},
        ],
    )  # fmt: skip
    (folder / "speakers.json").write_text(
        json.dumps(
            {"u1": {"meta": {"name": "Ada Lovelace"}, "vectors": []}, "u2": {"meta": {}}, "u3": {}}
        )  # fmt: skip
    )
    (folder / "conversations.json").write_text(
        json.dumps({"p1": {"meta": {"title": "On replies"}, "vectors": []}})
    )
    (folder / "corpus.json").write_text("{}")
    (folder / "index.json").write_text("{}")
    return folder


# --- ConvoKit in --------------------------------------------------------------------------------


def test_convokit_corpus_becomes_threads_with_posts_parents_authors_and_dates(tmp_path):
    threads = load_path(convokit_corpus(tmp_path / "corpus"))
    assert [t.post.title for t in threads] == ["On replies", "q1"]
    first = threads[0]
    assert first.post.paragraphs == ["First paragraph.", "Second paragraph."]
    assert first.post.author == "Ada Lovelace"
    assert [(c.id, c.parent_id, c.author) for c in first.comments] == [
        ("c1", None, "u2"),
        ("c2", "c1", "Ada Lovelace"),
    ]
    assert first.comments[0].date == datetime(2014, 5, 13, 16, 55, tzinfo=UTC)
    assert first.comments[1].date.tzinfo is not None
    bad = [p for p in first.problems if "invalid JSON" in p.message]
    assert bad and bad[0].line == 4 and bad[0].source.endswith("utterances.jsonl")


def test_a_folder_holding_a_corpus_reads_it_whole_and_not_its_files(tmp_path, capsys):
    convokit_corpus(tmp_path / "corpus")
    assert main(["analyze", "--json", "--no-model", str(tmp_path)]) == 0
    titles = [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()]
    assert titles == ["On replies", "q1"]


# --- JSON Lines in ------------------------------------------------------------------------------


def test_jsonl_threads_are_read_and_a_bad_line_is_reported_with_file_and_line(tmp_path, capsys):
    path = write_lines(
        tmp_path / "threads.jsonl",
        [
            {"id": "a", "title": "Post A", "author": "Bea", "date": "2020-01-02T03:04:05+02:00",
             "body": "<p>One</p><p>Two</p>", "format": "html",
             "comments": [{"id": "1", "author": "Cy", "body": "**Hi**", "format": "markdown"},
                          {"id": "2", "parent": "1", "body": "Reply", "date": 1600000000}]},
            '{"id": "broken", \n',
            ["not", "an", "object"],
            {"title": "Post C", "body": "Para one.\n\nPara two.", "comments": "nope"},
        ],
    )  # fmt: skip
    assert main(["analyze", "--json", "--no-model", str(path)]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["Post A", "Post C"]
    assert f"{path}:2: not read: invalid JSON" in err
    assert f"{path}:3: not read: a line must be a JSON object" in err
    assert f"{path}:4: thread: key 'comments' must be a list" in err
    assert f"{path}:1: comment #2: no 'author'" not in err  # an absent author is just Anonymous
    threads = load_path(path)
    post_a = threads[0]
    assert post_a.post.paragraphs == ["One", "Two"]
    assert post_a.post.date.utcoffset().total_seconds() == 7200
    assert [(c.id, c.parent_id, c.author, c.format) for c in post_a.comments] == [
        ("1", None, "Cy", "markdown"),
        ("2", "1", "Anonymous", "text"),
    ]
    assert post_a.comments[1].date == datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)
    assert threads[1].post.paragraphs == ["Para one.", "Para two."]


def test_jsonl_streams_line_by_line_with_the_same_result(tmp_path):
    path = write_lines(
        tmp_path / "t.jsonl",
        [{"id": str(n), "title": f"T{n}", "comments": [{"body": "x"}]} for n in range(5)]
        + ["oops\n"],
    )
    streamed = list(stream_jsonl(path))
    threads = [item for item in streamed if isinstance(item, Thread)]
    problems = [item for item in streamed if isinstance(item, Problem)]
    assert [t.post.title for t in threads] == [t.post.title for t in load_path(path)]
    assert [p.line for p in problems] == [6]


def test_jsonl_bodies_are_sanitized_like_every_comment(tmp_path):
    path = write_lines(
        tmp_path / "x.jsonl",
        [{"title": "x", "comments": [
            {"body": '<script>alert(1)</script><a href="javascript:alert(2)">x</a>',
             "format": "html"},
            {"body": "[x](javascript:alert(3)) <img src=x onerror=alert(4)>", "format": "markdown"},
        ]}],
    )  # fmt: skip
    for comment in load_path(path)[0].comments:
        html = str(body_html(comment))
        assert "<script" not in html and "javascript:" not in html and "onerror" not in html


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_KEYS = st.sampled_from(["id", "title", "author", "date", "url", "body", "format", "paragraphs",
                         "comments", "parent", "author_url", "text", "extra"])  # fmt: skip
_THREADISH = st.dictionaries(
    _KEYS,
    _JSON | st.lists(st.dictionaries(_KEYS, _JSON, max_size=6), max_size=3),
    max_size=8,
).map(json.dumps)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=60) | _THREADISH, min_size=1, max_size=6))
def test_jsonl_reader_never_crashes_and_reports_every_bad_line(lines):
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    result = parse_jsonl("\n".join(lines), "any.jsonl")
    read = len(result.threads)
    reported = {p.line for p in result.problems}
    for number, line in enumerate(lines, start=1):
        thread, problems = parse_line(line, "any.jsonl", number)
        if not line.strip():
            assert thread is None and not problems
        elif thread is None:
            assert number in reported and all(p.line == number for p in problems)
        else:
            for comment in thread.comments:
                body_html(comment)
    assert read == sum(parse_line(line, "x", 1)[0] is not None for line in lines)


_UTTERANCE = st.fixed_dictionaries(
    {"id": _JSON, "text": _JSON},
    optional={"speaker": _JSON, "conversation_id": _JSON, "reply-to": _JSON, "reply_to": _JSON,
              "timestamp": _JSON, "meta": _JSON},
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_UTTERANCE.map(json.dumps) | st.text(max_size=30), max_size=8), _JSON, _JSON)
def test_convokit_reader_never_crashes_on_odd_corpora(lines, speakers, conversations):
    text = "\n".join(line.replace("\n", " ") for line in lines)
    result = parse_convokit(text, json.dumps(speakers), json.dumps(conversations), "u.jsonl")
    for thread in result.threads:
        assert all(c.parent_id is None or c.parent_id in thread.by_id() for c in thread.comments)


def test_deeply_nested_json_is_a_reported_line_not_a_crash():
    thread, problems = parse_line("[" * 100_000, "deep.jsonl", 7)
    assert thread is None and problems[0].line == 7


# --- export -------------------------------------------------------------------------------------


def export(tmp_path: Path, fmt: str, *paths: Path, extra=(), name: str | None = None) -> Path:
    out = tmp_path / (name or fmt)
    args = ["export", "--format", fmt, "--no-model", *extra, *map(str, paths), "--output", str(out)]
    assert main(args) == 0
    return out


def comment_shape(threads: list[Thread]) -> list[list[tuple]]:
    return [[(c.id, c.parent_id, c.author) for c in t.comments] for t in threads]


@pytest.fixture(params=["demo", "real"])
def source(request) -> Path:
    if request.param == "real":
        if not REAL_WXR.exists():
            pytest.skip("the shared real WXR exports are not available")
        return REAL_WXR
    return DEMO


def test_convokit_export_reads_back_as_the_same_threads(tmp_path, source):
    original = load_path(source)
    back = load_path(export(tmp_path, "convokit", source))
    assert comment_shape(back) == comment_shape(original)
    assert [t.post.paragraphs for t in back] == [t.post.paragraphs for t in original]
    assert [t.post.title for t in back] == [t.post.title for t in original]
    dates = [c.date for t in original for c in t.comments]
    assert [c.date for t in back for c in t.comments] == [
        to_utc(d).replace(microsecond=0) if d else None for d in dates
    ]


def test_jsonl_export_reads_back_as_the_same_threads(tmp_path, source):
    original = load_path(source)
    back = load_path(export(tmp_path, "jsonl", source) / "threads.jsonl")
    assert comment_shape(back) == comment_shape(original)
    assert [t.post.paragraphs for t in back] == [t.post.paragraphs for t in original]
    assert not [p for t in back for p in t.problems if "unknown key" in p.message]


def test_csv_export_has_one_row_per_segment_with_parents_authors_and_aware_dates(tmp_path, source):
    original = load_path(source)
    with (export(tmp_path, "csv", source) / "segments.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    comments = [r for r in rows if r["kind"] == "comment"]
    paragraphs = [r for r in rows if r["kind"] == "paragraph"]
    assert len(paragraphs) == sum(len(t.post.paragraphs) for t in original)
    expected = [(c.id, c.parent_id or "", c.author) for t in original for c in t.comments]
    got = [(r["comment_id"], r["parent_id"], r["author"].removeprefix("'")) for r in comments]
    assert got == expected
    for row in rows:
        if row["date"]:
            assert datetime.fromisoformat(row["date"]).tzinfo is not None
        assert json.loads(row["mentions"]) is not None


def test_export_carries_topics_with_evidence_spans(tmp_path):
    out = tmp_path / "jsonl"
    assert main(["export", "--format", "jsonl", str(DEMO), "--output", str(out)]) == 0
    lines = [json.loads(line) for line in (out / "threads.jsonl").read_text().splitlines()]
    segments = [s for t in lines for s in [*t["paragraphs"], *t["comments"]]]
    mentions = [(s, m) for s in segments for m in s["mentions"]]
    assert mentions and {m["source"] for _, m in mentions} <= {"phrase", "model"}
    for segment, mention in mentions:
        text = segment.get("text", segment.get("body"))
        assert text[mention["start"] : mention["end"]] == mention["evidence"]
        assert mention["topic"] in segment["topics"]


def test_held_back_comments_are_excluded_and_counted_on_stderr(tmp_path, capsys):
    out = export(tmp_path, "csv", SMALL_WXR)
    err = capsys.readouterr().err
    assert "7 held-back comments excluded" in err
    rows = list(csv.DictReader(io.StringIO((out / "segments.csv").read_text())))
    assert sorted(r["comment_id"] for r in rows if r["kind"] == "comment") == sorted(
        c.id for t in load_path(SMALL_WXR) for c in t.comments
    )


def test_csv_cells_that_could_run_as_formulas_are_defused(tmp_path):
    path = write_lines(
        tmp_path / "evil.jsonl",
        [{"id": "t", "title": "=cmd|' /C calc'!A0", "comments": [
            {"id": "1", "author": "@SUM(A1:A9)", "body": '=HYPERLINK("http://x.invalid","click")'},
            {"id": "2", "author": "+1 Guy", "body": "-2+3 is what I think"},
            {"id": "3", "author": "Plain", "body": "safe text, with \"quotes\"\nand a line break"},
        ]}],
    )  # fmt: skip
    raw = (export(tmp_path, "csv", path) / "segments.csv").read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert rows[0]["thread_title"].startswith("'=")
    assert [r["author"] for r in rows] == ["'@SUM(A1:A9)", "'+1 Guy", "Plain"]
    assert rows[0]["text"].startswith("'=HYPERLINK")
    assert rows[1]["text"].startswith("'-2+3")
    assert rows[2]["text"] == 'safe text, with "quotes"\nand a line break'
    assert '"safe text, with ""quotes""\nand a line break"' in raw
    assert raw.count("\r\n") == 4  # RFC 4180 record ends; the line break inside stays as it was
    for row in rows:
        assert not any(str(v).startswith(("=", "+", "-", "@")) for v in row.values())


def test_anonymous_commenters_are_told_apart_by_link_else_per_comment(tmp_path):
    path = write_lines(
        tmp_path / "anon.jsonl",
        [{"id": "t", "title": "t", "comments": [
            {"id": "1", "author": "Anonymous", "author_url": "http://one.example/", "body": "a"},
            {"id": "2", "author": "Anonymous", "author_url": "http://ONE.example", "body": "b"},
            {"id": "3", "author": "Anonymous", "author_url": "http://two.example", "body": "c"},
            {"id": "4", "author": "Anonymous", "body": "d"},
            {"id": "5", "body": "e"},
            {"id": "6", "author": "Dee", "body": "f"},
            {"id": "7", "author": "Dee", "body": "g"},
        ]}],
    )  # fmt: skip
    for extra in ((), ("--pseudonymise", "--salt", "x")):
        out = export(tmp_path, "jsonl", path, extra=extra, name=f"anon{len(extra)}")
        line = json.loads((out / "threads.jsonl").read_text())
        speakers = [c["speaker"] for c in line["comments"]]
        assert speakers[0] == speakers[1] and speakers[5] == speakers[6]
        assert len(set(speakers)) == 5


# --- pseudonymisation ---------------------------------------------------------------------------


def _wxr_people(path: Path) -> tuple[set[str], set[str], set[str]]:
    """Names and links of published commenters and post authors, and every e-mail address."""
    root = etree.fromstring(path.read_bytes(), etree.XMLParser(recover=True, huge_tree=True))
    names, links, emails = set(), set(), set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rsplit("}", 1)[-1]
        if local.endswith("email") and element.text and "@" in element.text:
            emails.add(element.text.strip())
        elif local == "creator" and element.text:
            names.add(" ".join(element.text.split()))
        elif local == "comment":
            published = (element.findtext("{*}comment_approved") or "").strip() == "1"
            ordinary = (element.findtext("{*}comment_type") or "").strip() in ("", "comment")
            if published and ordinary:
                names.add(" ".join((element.findtext("{*}comment_author") or "").split()))
                links.add((element.findtext("{*}comment_author_url") or "").strip())
    return names, links, emails


def test_pseudonymised_export_of_a_real_export_holds_no_name_link_or_address(tmp_path, capsys):
    if not REAL_WXR.exists():
        pytest.skip("the shared real WXR exports are not available")
    files = sorted((REAL_DIR / "wxr").glob("*.xml"))
    names, links, emails = set(), set(), set()
    for path in files:
        found = _wxr_people(path)
        names |= found[0]
        links |= found[1]
        emails |= found[2]
    names = sorted((n for n in names if len(n) >= 3 and not is_anonymous(n)), key=len, reverse=True)
    people = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    stripped = {re.sub(r"^https?://(www\.)?", "", link).rstrip("/").casefold() for link in links}
    addresses = {a for a in stripped if len(a) > 4} | {e.casefold() for e in emails}
    for fmt in ("convokit", "csv", "jsonl"):
        out = export(tmp_path, fmt, *files, extra=["--pseudonymise"])
        data = b"".join(p.read_bytes() for p in sorted(out.iterdir())).decode("utf-8")
        found = {match.group() for match in people.finditer(data)}
        assert not found, (fmt, sorted(found)[:10])
        folded = data.casefold()
        assert not [a for a in addresses if a in folded], fmt
        assert "person-" in data
    assert "default salt, which is public" in capsys.readouterr().err


def test_pseudonyms_are_stable_across_files_and_runs_and_change_with_the_salt(tmp_path):
    first = export(tmp_path, "csv", DEMO, extra=["--pseudonymise"], name="a")
    second = export(tmp_path, "csv", SMALL_WXR, DEMO, extra=["--pseudonymise"], name="b")
    salted = export(tmp_path, "csv", DEMO, extra=["--pseudonymise", "--salt", "other"], name="c")

    def speakers(out: Path) -> dict[str, str]:
        rows = csv.DictReader(io.StringIO((out / "segments.csv").read_text()))
        return {r["text"]: r["speaker"] for r in rows if r["kind"] == "comment"}

    one, two, three = speakers(first), speakers(second), speakers(salted)
    assert one and all(two[text] == speaker for text, speaker in one.items())
    assert all(speaker.startswith("person-") for speaker in one.values())
    assert not set(one.values()) & set(three.values())


# --- ConvoKit's own loader ----------------------------------------------------------------------

CONVOKIT_CHECK = textwrap.dedent(
    """
    import json, sys
    from convokit import Corpus
    corpus = Corpus(filename=sys.argv[1])
    conversations = list(corpus.iter_conversations())
    print(json.dumps({
        "utterances": len(list(corpus.iter_utterances())),
        "conversations": len(conversations),
        "speakers": len(list(corpus.iter_speakers())),
        "intact": all(c.check_integrity(verbose=False) for c in conversations),
        "replies": sum(u.reply_to is not None for u in corpus.iter_utterances()),
        "topics": sorted({t for u in corpus.iter_utterances() for t in u.meta["topics"]}),
        "pseudonymised": corpus.meta["pseudonymised"],
    }))
    """
)


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_convokit_export_loads_in_convokit_itself(tmp_path, pseudonymise):
    python = os.environ.get("NETIQUETTE_CONVOKIT_PYTHON")
    if not python:
        pytest.skip("set NETIQUETTE_CONVOKIT_PYTHON to a Python with convokit installed")
    sources = [DEMO, SMALL_WXR] + ([REAL_WXR] if REAL_WXR.exists() else [])
    extra = ["--pseudonymise", "--salt", "t"] if pseudonymise else []
    out = tmp_path / "corpus"
    args = ["export", "--format", "convokit", *extra, *map(str, sources), "--output", str(out)]
    assert main(args) == 0
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        [python, "-c", CONVOKIT_CHECK, str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    threads = [t for source in sources for t in load_path(source)]
    assert found["conversations"] == len(threads)
    assert found["utterances"] == len(threads) + sum(len(t.comments) for t in threads)
    assert found["replies"] == sum(len(t.comments) for t in threads)
    assert found["intact"] and found["topics"] and found["pseudonymised"] is pseudonymise


# --- corpora in the site ------------------------------------------------------------------------


def test_the_site_publishes_every_thread_of_its_corpora_as_the_command_line_reads_them(
    tmp_path, caplog
):
    content = tmp_path / "content"
    content.mkdir()
    write_lines(
        content / "threads.jsonl",
        [
            {"id": "a", "title": "Spam weekly", "date": "2024-02-01T10:00:00Z",
             "body": "The spam in my inbox doubles weekly.",
             "comments": [{"id": "1", "author": "Bob", "body": "Mass mailing, every day."},
                          {"id": "2", "parent": "1", "author": "Cy", "body": "Report it."}]},
            "{not json\n",
            {"id": "b", "title": "Spam weekly", "body": "Counting followers is a vanity metric."},
        ],
    )  # fmt: skip
    convokit_corpus(content / "corpus")
    caplog.set_level("WARNING", logger="netiquette")
    site = build_site(content, tmp_path / "output")

    assert "threads.jsonl:2: not read: invalid JSON" in caplog.text
    document = json.loads((site / "analysis.json").read_text("utf-8"))
    posts = document["posts"]
    assert len(posts) == 4 and document["counts"]["comments"] == 5

    def shape(threads):
        return sorted(
            (sorted((c["id"], c["parent"], tuple(c["topics"])) for c in t["comments"]),
             tuple(t["topics"]), tuple(p["n"] for p in t["paragraphs"]))
            for t in threads
        )  # fmt: skip

    cli = [json.loads(line) for line in _analyze_lines(content)]
    assert shape(posts) == shape(cli)
    slugs = {p["url"] for p in posts}
    assert len(slugs) == 4, "two threads with one title still get a page each"
    for post in posts:
        page = (site / post["url"]).read_text("utf-8")
        assert all(f'id="{c["anchor"]}"' in page for c in post["comments"])


def _analyze_lines(folder: Path) -> list[str]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["analyze", "--json", str(folder)]) == 0
    return out.getvalue().splitlines()
