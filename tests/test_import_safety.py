"""An import never overwrites what it did not write, and names every file safely.

The manifest decides what an import may replace: the demo site's own pages, a user's edits and
another format's files are left alone and reported, unless ``--force``; ``--dry-run`` writes
nothing. Comment files carry their format's prefix, so a WordPress and a Disqus import of one post
keep both threads; hostile ids get safe, distinct, stable names. Real exports still import and
build with their threads nested.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netiquette.commands import import_
from netiquette.importers.manifest import MANIFEST_NAME
from netiquette.importers.names import (
    MAX_NAME_LENGTH,
    RESERVED_NAMES,
    comment_stem,
    is_reserved,
    original_id,
    safe_name,
    slug_component,
)
from netiquette.importers.report import format_report
from netiquette.importers.writer import comment_path, write_content
from netiquette.model import Comment, Post, Thread
from netiquette.parsers.archive import ImportedPost, ImportResult
from netiquette.parsers.commentfiles import read_comment_folder
from netiquette.parsers.disqus import read_disqus
from netiquette.parsers.slugs import SlugRegistry
from netiquette.parsers.wxr import read_wxr
from tests.conftest import ROOT, build_site

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
REAL_WXR = sorted((REAL / "wxr").glob("*.xml")) + sorted(
    path for path in (REAL / "wxr_extra").glob("*.xml") if "disqus" not in path.name
)
SMALL_WXR = ROOT / "tests" / "data" / "import" / "small_wxr.xml"
LINK = "http://blog.example/2012/01/shared-post/"
DATE = datetime(2020, 1, 1, tzinfo=UTC)
SAFE_FILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")

WXR_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
    "<channel>\n"
)


def wxr_comment(cid: str, parent: str = "0", text: str = "") -> str:
    return (
        f"<wp:comment><wp:comment_id><![CDATA[{cid}]]></wp:comment_id>"
        f"<wp:comment_author>Author {len(cid)}</wp:comment_author>"
        "<wp:comment_date_gmt>2020-01-02 00:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content>{text or 'WordPress comment'}</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>"
        f"<wp:comment_parent><![CDATA[{parent}]]></wp:comment_parent></wp:comment>"
    )


def wxr_item(title: str, slug: str, comments: str = "", body: str = "Body.", kind="post") -> str:
    return (
        f"<item><title>{title}</title><link>{LINK if slug == 'shared-post' else ''}</link>"
        f"<wp:post_id>{len(slug)}</wp:post_id><wp:post_name>{slug}</wp:post_name>"
        "<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>"
        f"<wp:status>publish</wp:status><wp:post_type>{kind}</wp:post_type>"
        f"<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded>{comments}</item>\n"
    )


def wxr(*items: str) -> bytes:
    return (WXR_HEAD + "".join(items) + "</channel>\n</rss>\n").encode("utf-8")


def shared_post_wxr(text: str = "") -> bytes:
    comments = wxr_comment("1", text=text) + wxr_comment("2", "1")
    return wxr(wxr_item("Shared post", "shared-post", comments))


def disqus_export() -> bytes:
    posts = "".join(
        f'<post dsq:id="{cid}"><message><![CDATA[<p>Disqus {cid}</p>]]></message>'
        f"<createdAt>2020-01-03T00:00:0{cid}Z</createdAt><isDeleted>false</isDeleted>"
        f"<isSpam>false</isSpam><author><name>D{cid}</name></author>"
        f'<thread dsq:id="7"/>{parent}</post>\n'
        for cid, parent in (("1", ""), ("2", '<parent dsq:id="1"/>'))
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">\n'
        f'<thread dsq:id="7"><link>{LINK}</link><title>Shared post</title></thread>\n'
        f"{posts}</disqus>\n"
    ).encode()


def run_cli(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="netiquette")
    import_.configure(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["import", *argv])
    stdout, stderr = io.StringIO(), io.StringIO()
    code = args.func(args, stdout=stdout, stderr=stderr)
    assert code == 0, stderr.getvalue()
    return code, stdout.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def files_line(report: str) -> tuple[int, ...]:
    """The created/updated/unchanged/left-alone counts and the file total of a report."""
    match = re.search(
        r": (\d+) (?:created|to create), (\d+) (?:updated|to update), (\d+) unchanged, "
        r"(\d+) (?:left alone|to leave alone) \((\d+) files? for",
        report,
    )
    assert match, report
    return tuple(int(group) for group in match.groups())


@pytest.fixture
def demo(tmp_path) -> Path:
    """A copy of the demo site's content folder."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


# --- the manifest ------------------------------------------------------------------------------


def test_importing_into_the_demo_content_keeps_its_about_page(demo, tmp_path):
    before = tree(demo)
    _, out = run_cli("wxr", str(SMALL_WXR), "--output", str(demo))
    after = tree(demo)
    assert {name: after[name] for name in before} == before  # not one of the site's files changed
    assert "left alone: pages/about.md (it was not written by netiquette import; " in out
    assert "use --force to replace it)" in out
    # the archive's About page was not written, so its comments do not land on the demo's page
    assert not (demo / "comments" / "about").exists()
    assert "left alone: comments/about/wp-20.md" in out
    created, updated, unchanged, left, total = files_line(out)
    assert (created, updated, unchanged, left, total) == (6, 0, 0, 2, 8)
    recorded = json.loads((demo / MANIFEST_NAME).read_text())["files"]
    assert "pages/about.md" not in recorded
    assert set(recorded) == set(after) - set(before) - {MANIFEST_NAME}
    output = build_site(demo, tmp_path / "out")
    assert "This demo site is built by Netiquette" in (output / "pages" / "about.html").read_text()
    assert (output / "posts" / "hello-world.html").is_file()


def test_reimporting_the_same_archive_touches_nothing(tmp_path):
    run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}
    _, out = run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path))
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
    assert files_line(out) == (0, 0, 8, 0, 8)


def test_the_manifest_is_deterministic_json_with_sorted_keys(tmp_path):
    run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path / "a"))
    run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path / "b"))
    text = (tmp_path / "a" / MANIFEST_NAME).read_text(encoding="utf-8")
    assert text == (tmp_path / "b" / MANIFEST_NAME).read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    entry = document["files"]["comments/hello-world/wp-1.md"]
    assert entry["format"] == "wxr" and entry["archive"] == "small_wxr.xml"
    data = (tmp_path / "a" / "comments" / "hello-world" / "wp-1.md").read_bytes()
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_an_edited_file_is_left_alone_and_reported_until_forced(tmp_path):
    export = tmp_path / "blog.xml"
    export.write_bytes(shared_post_wxr())
    out_dir = tmp_path / "content"
    run_cli("wxr", str(export), "-o", str(out_dir))
    post = out_dir / "shared-post.md"
    comment = out_dir / "comments" / "shared-post" / "wp-1.md"
    post.write_text(post.read_text() + "\nMy own note.\n")
    export.write_bytes(shared_post_wxr(text="Edited on the blog"))  # the archive changed too
    _, out = run_cli("wxr", str(export), "-o", str(out_dir))
    assert post.read_text().endswith("My own note.\n")
    assert (
        "left alone: shared-post.md (it was changed after it was imported; "
        "use --force to replace it)"
    ) in out
    # an edited post is still the same post: its comments go on being updated
    assert "Edited on the blog" in comment.read_text()
    assert files_line(out) == (0, 1, 1, 1, 3)

    _, out = run_cli("wxr", str(export), "-o", str(out_dir))
    assert "left alone: shared-post.md" in out  # still protected on the next run

    _, out = run_cli("wxr", str(export), "-o", str(out_dir), "--force")
    assert "My own note." not in post.read_text()
    assert "replaced with --force: shared-post.md (it was changed after it was imported)" in out
    assert files_line(out) == (0, 1, 2, 0, 3)
    _, out = run_cli("wxr", str(export), "-o", str(out_dir))
    assert files_line(out) == (0, 0, 3, 0, 3)


def test_force_replaces_a_file_the_import_did_not_write(demo):
    _, out = run_cli("wxr", str(SMALL_WXR), "-o", str(demo), "--force")
    assert (demo / "pages" / "about.md").read_text().startswith("Title: About\n")
    assert "This demo site" not in (demo / "pages" / "about.md").read_text()
    assert "replaced with --force: pages/about.md (it was not written by netiquette import)" in out
    assert (demo / "comments" / "about" / "wp-20.md").is_file()
    recorded = json.loads((demo / MANIFEST_NAME).read_text())["files"]
    assert "pages/about.md" in recorded
    assert files_line(out) == (7, 1, 0, 0, 8)


def test_a_file_another_format_wrote_is_left_alone(tmp_path):
    result = read_wxr(shared_post_wxr(), "blog.xml")
    write_content(result, tmp_path)
    other = read_wxr(shared_post_wxr(), "pages.html")
    other.format = "html"
    other.posts[0].body_html = "<p>as the saved page shows it</p>"
    report = write_content(other, tmp_path)
    reasons = {p.name: reason for p, reason in report.left_alone}
    assert reasons.pop("shared-post.md") == (
        "it was written by the wxr import of blog.xml; use --force to replace it"
    )
    # the comments belong to a post that was not written: they would show under the other one
    assert sorted(reasons) == ["html-1.md", "html-2.md"]
    assert all("its post's file shared-post.md is left alone" in r for r in reasons.values())
    assert "<p>Body.</p>" in (tmp_path / "shared-post.md").read_text()
    assert (
        report.created == [] and not (tmp_path / "comments" / "shared-post" / "html-1.md").exists()
    )


def test_a_deleted_imported_file_is_written_again(tmp_path):
    run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path))
    (tmp_path / "hello-world.md").unlink()
    _, out = run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path))
    assert (tmp_path / "hello-world.md").is_file()
    assert files_line(out) == (1, 0, 7, 0, 8)


def test_an_unreadable_manifest_protects_every_file(tmp_path):
    run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path))
    (tmp_path / MANIFEST_NAME).write_text("{not json")
    result = read_wxr(SMALL_WXR.read_bytes().replace(b"First!", b"Second!"), "small_wxr.xml")
    report = write_content(result, tmp_path)
    assert any(MANIFEST_NAME in p.source and "not a valid" in p.message for p in report.problems)
    assert report.updated == [] and report.created == []
    assert report.unchanged + len(report.left_alone) == report.files == 8


def test_links_out_of_the_output_folder_are_never_followed(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "wp-1.md").write_text("not yours\n")
    out_dir = tmp_path / "content"
    (out_dir / "comments").mkdir(parents=True)
    (out_dir / "comments" / "shared-post").symlink_to(outside, target_is_directory=True)
    report = write_content(read_wxr(shared_post_wxr(), "blog.xml"), out_dir, force=True)
    assert (outside / "wp-1.md").read_text() == "not yours\n"
    assert sorted(p.name for p in outside.iterdir()) == ["wp-1.md"]
    assert [p.name for p, _ in report.left_alone] == ["wp-1.md", "wp-2.md"]
    assert all("out of the output folder" in reason for _, reason in report.left_alone)


def test_the_invoke_task_passes_dry_run_and_force_through(demo):
    from tests.test_tasks import run_invoke

    args = ("import", "--kind", "wxr", "--path", str(SMALL_WXR), "--output", str(demo))
    before = tree(demo)
    dry = run_invoke(*args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run, nothing written" in dry.stdout and tree(demo) == before
    forced = run_invoke(*args, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "replaced with --force: pages/about.md" in forced.stdout


# --- dry run -------------------------------------------------------------------------------------


def test_dry_run_writes_nothing_not_even_the_folder(tmp_path):
    out_dir = tmp_path / "new"
    _, out = run_cli("wxr", str(SMALL_WXR), "-o", str(out_dir), "--dry-run")
    assert not out_dir.exists()
    assert f"dry run, nothing written to {out_dir}: 8 to create" in out
    assert "    would create: comments/hello-world/wp-1.md" in out
    assert files_line(out) == (8, 0, 0, 0, 8)


def test_dry_run_on_existing_content_says_what_would_happen_and_why(demo):
    run_cli("wxr", str(SMALL_WXR), "-o", str(demo))
    (demo / "hello-world.md").write_text("Title: mine\n\nMine.\n")
    (demo / "hello-world-2.md").unlink()
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in demo.rglob("*") if p.is_file()}
    _, out = run_cli("wxr", str(SMALL_WXR), "-o", str(demo), "--dry-run", "--drafts")
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in demo.rglob("*") if p.is_file()}
    assert after == before
    assert "would create: hello-world-2.md" in out
    assert "would create: unicode-draft.md" in out
    assert (
        "would leave alone: hello-world.md (it was changed after it was imported; "
        "use --force to replace it)"
    ) in out
    assert "would leave alone: pages/about.md (it was not written by netiquette import;" in out
    _, forced = run_cli("wxr", str(SMALL_WXR), "-o", str(demo), "--dry-run", "--force")
    assert "would replace with --force: pages/about.md" in forced
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in demo.rglob("*") if p.is_file()} == (
        before
    )


def test_report_counts_add_up(demo):
    result = read_wxr(SMALL_WXR.read_bytes(), "small_wxr.xml")
    report = write_content(result, demo)
    text = format_report(result, report)
    created, updated, unchanged, left, total = files_line(text)
    assert created + updated + unchanged + left == total == report.files
    assert total == report.posts + report.pages + report.drafts + report.comments
    assert text.count("    left alone: ") == left


# --- comments from two archives ------------------------------------------------------------------


def test_wordpress_then_disqus_of_the_same_post_keeps_both_threads(tmp_path):
    export, disqus = tmp_path / "blog.xml", tmp_path / "disqus.xml"
    export.write_bytes(shared_post_wxr())
    disqus.write_bytes(disqus_export())
    content = tmp_path / "content"
    run_cli("wxr", str(export), "-o", str(content))
    wordpress_files = tree(content)
    _, out = run_cli("disqus", str(disqus), "-o", str(content))
    folder = content / "comments" / "shared-post"
    assert sorted(p.name for p in folder.iterdir()) == [
        "disqus-1.md",
        "disqus-2.md",
        "wp-1.md",
        "wp-2.md",
    ]
    assert all(
        tree(content)[name] == data
        for name, data in wordpress_files.items()
        if name != MANIFEST_NAME
    )
    assert "replyto: wp-1\n" in (folder / "wp-2.md").read_text()
    assert "replyto: disqus-1\n" in (folder / "disqus-2.md").read_text()
    assert files_line(out) == (2, 0, 0, 0, 2)
    formats = {
        name: entry["format"]
        for name, entry in json.loads((content / MANIFEST_NAME).read_text())["files"].items()
    }
    assert formats == {
        "comments/shared-post/disqus-1.md": "disqus",
        "comments/shared-post/disqus-2.md": "disqus",
        "comments/shared-post/wp-1.md": "wxr",
        "comments/shared-post/wp-2.md": "wxr",
        "shared-post.md": "wxr",
    }

    comments, problems = read_comment_folder(folder)
    assert problems == []
    assert {c.id: c.parent_id for c in comments} == {
        "wp-1": None,
        "wp-2": "wp-1",
        "disqus-1": None,
        "disqus-2": "disqus-1",
    }
    output = build_site(content, tmp_path / "out")
    [post] = json.loads((output / "analysis.json").read_text())["posts"]
    assert {c["id"]: c["parent"] for c in post["comments"]} == {
        "wp-1": None,
        "wp-2": "wp-1",
        "disqus-1": None,
        "disqus-2": "disqus-1",
    }
    page = (output / "posts" / "shared-post.html").read_text()
    assert 'id="comment-wp-1"' in page and 'id="comment-disqus-1"' in page
    # both archives called their first comment 1: the old anchor would be ambiguous, so neither has it
    assert 'id="comment-1"' not in page


def test_a_comment_an_earlier_version_named_without_prefix_is_reported(tmp_path):
    run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path))
    folder = tmp_path / "comments" / "hello-world"
    (folder / "wp-1.md").rename(folder / "1.md")  # the name and bytes imports used to write
    (tmp_path / MANIFEST_NAME).unlink()  # which kept no manifest
    _, out = run_cli("wxr", str(SMALL_WXR), "-o", str(tmp_path))
    assert (
        f"{folder / '1.md'}: an earlier import wrote this comment here; it is now wp-1.md: "
        "delete 1.md, or the comment is shown twice"
    ) in out
    assert (folder / "1.md").is_file() and (folder / "wp-1.md").is_file()
    assert files_line(out) == (1, 0, 7, 0, 8)


def test_an_imported_comment_keeps_the_anchor_its_blog_gave_it(tmp_path):
    write_content(read_wxr(shared_post_wxr(), "blog.xml"), tmp_path / "content")
    output = build_site(tmp_path / "content", tmp_path / "out")
    page = (output / "posts" / "shared-post.html").read_text()
    assert '<article class="comment" id="comment-wp-2"' in page
    assert '<span id="comment-2"></span>' in page  # WordPress's own #comment-2 still lands


# --- safe names ----------------------------------------------------------------------------------

HOSTILE_IDS = [".", "..", "-", " ", "con", "COM1.txt", "a" * 300, "Abc", "abc", "x", "Nul", "lpt9"]


def hostile_wxr() -> bytes:
    comments = "".join(
        wxr_comment(cid, parent="abc" if cid == "Abc" else "0") for cid in HOSTILE_IDS
    )
    return wxr(
        wxr_item("Hostile", "hostile", comments),
        wxr_item("CON", "con", wxr_comment("..")),
        wxr_item("Long " * 80, "", wxr_comment("1")),
    )


def test_hostile_ids_get_distinct_safe_stable_names(tmp_path):
    first = write_content(read_wxr(hostile_wxr(), "hostile.xml"), tmp_path / "a")
    again = write_content(read_wxr(hostile_wxr(), "hostile.xml"), tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert (first.left_alone, again.left_alone, first.problems) == ([], [], [])
    folder = tmp_path / "a" / "comments" / "hostile"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == len(HOSTILE_IDS)
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        stem = name.removesuffix(".md")
        assert name.endswith(".md") and SAFE_FILE_NAME.fullmatch(stem), name
        assert not is_reserved(stem) and len(name) <= 80
    assert "wp-abc.md" in names and "wp-x.md" in names
    # reserved words are never files, neither as comments nor as posts
    posts = sorted(p.name for p in (tmp_path / "a").glob("*.md"))
    assert "con.md" not in posts and "con-2.md" in posts
    assert all(len(name) <= 90 for name in posts)
    comments, problems = read_comment_folder(folder)
    assert problems == []
    by_id = {c.id: c for c in comments}
    capital = next(c for c in comments if c.id.startswith("wp-abc_"))
    assert capital.parent_id == "wp-abc" and "wp-abc" in by_id


def test_raw_hostile_ids_given_to_the_writer_get_distinct_safe_names(tmp_path):
    raw = [*HOSTILE_IDS, "ABC", "aux.md", "x/../../etc", "a\\b", "", "\x00", "wp-1", "1"]
    comments = [
        Comment(id=cid, author="A", body=f"body {n}", parent_id=raw[0] if n else None)
        for n, cid in enumerate(raw)
    ]
    thread = Thread(Post(title="T", date=DATE, source="x.xml"), comments=comments)
    result = ImportResult(
        source="x.xml", posts=[ImportedPost(thread=thread, slug="t")], format="disqus"
    )
    report = write_content(result, tmp_path)
    assert report.problems == [] and len(report.created) == len(raw) + 1
    folder = tmp_path / "comments" / "t"
    names = [p.name for p in folder.iterdir()]
    assert len({name.casefold() for name in names}) == len(raw)
    assert all(SAFE_FILE_NAME.fullmatch(name.removesuffix(".md")) for name in names)
    read, problems = read_comment_folder(folder)
    assert problems == []
    first = comment_stem("disqus", raw[0])
    assert {c.parent_id for c in read if c.id != first} == {first}


def test_hostile_content_builds(tmp_path):
    result = read_wxr(hostile_wxr(), "hostile.xml")
    write_content(result, tmp_path / "content")
    output = build_site(tmp_path / "content", tmp_path / "out")
    document = json.loads((output / "analysis.json").read_text())
    assert document["counts"]["comments"] == result.counts.published
    assert document["counts"]["held_back"] == 0


@pytest.mark.parametrize("raw", HOSTILE_IDS + ["", "a/b", "a\\b", "CON.", "con ", "ü", "\x00"])
def test_each_hostile_id_is_one_safe_component(raw):
    name = safe_name(raw)
    assert SAFE_FILE_NAME.fullmatch(name) and len(name) <= MAX_NAME_LENGTH
    assert not is_reserved(name) and name not in (".", "..")
    assert safe_name(raw) == name


def test_plain_ids_and_slugs_keep_their_names():
    assert safe_name("12") == "12" and safe_name("a1b2c3") == "a1b2c3"
    assert comment_stem("wxr", "12") == "wp-12" and comment_stem("disqus", "12") == "disqus-12"
    assert comment_stem("html", "a1") == "html-a1"
    assert original_id("wp-12") == "12" and original_id("disqus-1-2") == "1-2"
    assert original_id("wp-abc_0123456789ab") is None and original_id("12") is None
    assert slug_component("Hello_World") == "Hello_World"
    assert slug_component("con") != "con" and slug_component("../up") != "../up"
    assert comment_path("hello", "wxr", "..").as_posix().startswith("comments/hello/wp-id_")


def test_slugs_are_never_device_names_and_never_too_long():
    slugs = SlugRegistry()
    assert [slugs.claim(title) for title in ("CON", "com1", "Lpt9", "con", "aux file")] == [
        "con-2",
        "com1-2",
        "lpt9-2",
        "con-3",
        "aux-file",
    ]
    assert len(slugs.claim("word " * 100)) <= 80


_RESERVED_FORMS = st.builds(
    lambda name, upper, extension: (name.upper() if upper else name) + extension,
    st.sampled_from(sorted(RESERVED_NAMES)),
    st.booleans(),
    st.sampled_from(["", ".txt", ".md", ".", " ", ".tar.gz"]),
)
_IDS = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list('aAbB1.-_ /\\:*?"<>|\x00ü')), max_size=12),
    _RESERVED_FORMS,
    st.text(alphabet="ab-", min_size=50, max_size=400),
)


@given(_IDS, _IDS)
def test_id_to_name_is_safe_and_injective(first, second):
    for raw in (first, second):
        name = safe_name(raw)
        assert SAFE_FILE_NAME.fullmatch(name), name
        assert len(name) <= MAX_NAME_LENGTH
        assert not is_reserved(name)
        assert safe_name(raw) == name
    if first != second:
        assert safe_name(first).casefold() != safe_name(second).casefold()
        assert comment_stem("wxr", first) != comment_stem("wxr", second)
    assert comment_stem("wxr", first) != comment_stem("disqus", second)


# --- real exports --------------------------------------------------------------------------------


@pytest.mark.skipif(not REAL.is_dir(), reason="shared/real not available")
@pytest.mark.parametrize("path", REAL_WXR, ids=lambda path: path.name)
def test_real_export_imports_and_builds_with_threads_nested(path, tmp_path):
    logging.getLogger("netiquette").setLevel(logging.WARNING)
    result = read_wxr(path.read_bytes(), path.name)
    report = write_content(result, tmp_path / "content")
    assert report.left_alone == [] and report.files == len(report.created)
    output = build_site(tmp_path / "content", tmp_path / "out")
    document = json.loads((output / "analysis.json").read_text())
    built = {
        (post["slug"], comment["id"]): comment["parent"]
        for post in document["posts"]
        for comment in post["comments"]
    }
    expected = {
        (post.slug, comment_stem("wxr", c.id)): comment_stem("wxr", c.parent_id)
        if c.parent_id
        else None
        for post in result.posts
        for c in post.thread.comments
    }
    assert built == expected
    assert document["counts"]["held_back"] == 0


@pytest.mark.skipif(not REAL.is_dir(), reason="shared/real not available")
def test_real_disqus_export_over_a_wordpress_import_adds_without_replacing(tmp_path):
    wordpress = REAL / "wxr_extra" / "isso_tests_wordpress.xml"
    disqus = REAL / "wxr_extra" / "isso_tests_disqus.xml"
    content = tmp_path / "content"
    write_content(read_wxr(wordpress.read_bytes(), wordpress.name), content)
    before = tree(content)
    found = read_disqus(disqus.read_bytes(), disqus.name, create_posts=True)
    report = write_content(found, content)
    after = tree(content)
    assert all(after[name] == data for name, data in before.items() if name != MANIFEST_NAME)
    assert report.updated == []
    assert len(report.created) + len(report.left_alone) + report.unchanged == report.files


def test_an_imported_posts_body_is_published_sanitized(tmp_path):
    from tests.test_hostile_content import markup_problems

    body = (
        "Hello <script>alert('XSS-1')</script> <img src=x onerror=\"alert('XSS-2')\"> "
        '<a href="javascript:alert(3)">x</a> <span style="color:#ccc">grey</span> '
        '<iframe src="http://evil.example/"></iframe> <img src="/cat.png" alt="The cat">'
    )
    export = tmp_path / "hostile.xml"
    export.write_bytes(wxr(wxr_item("Shared post", "shared-post", body=body)))
    content = tmp_path / "content"
    run_cli("wxr", str(export), "--output", str(content))
    written = (content / "shared-post.md").read_text(encoding="utf-8")
    assert "<script" not in written and "onerror" not in written and "style=" not in written
    site = build_site(content, tmp_path / "output")
    page = (site / "posts" / "shared-post.html").read_text(encoding="utf-8")
    assert markup_problems(page, page=True) == []
    assert "grey" in page and ">image: The cat</a>" in page
    assert 'href="http://blog.example/cat.png"' in page
