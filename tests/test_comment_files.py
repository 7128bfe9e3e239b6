"""Comment files as real pelican_comment_system blogs have them: headers, links, replies, formats."""

from __future__ import annotations

import os

import pytest

from netiquette.parsers.commentfiles import parse_comment_file, read_comment_folder


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_header_between_dashes_and_dots_is_read_and_never_shown(tmp_path):
    text = "---\nAuthor: Mira\nEmail: mira@example.org\nWebsite: https://mira.example/\n...\n\nHello **all**.\n"
    comment, problems = parse_comment_file(text.encode(), str(tmp_path / "3.md"))
    assert (comment.author, comment.author_url, comment.body) == (
        "Mira", "https://mira.example/", "Hello **all**.",
    )  # fmt: skip
    assert "mira@example.org" not in comment.body and problems == []


@pytest.mark.parametrize("key", ["url", "website", "link", "URL", "Link"])
def test_every_link_key_gives_the_authors_link(tmp_path, key):
    text = f"author: Ana\n{key}: https://ana.example/\n\nHi.\n"
    comment, _ = parse_comment_file(text.encode(), str(tmp_path / "1.md"))
    assert comment.author_url == "https://ana.example/"


def test_replies_name_their_parent_in_every_form_pelican_comment_system_blogs_use(tmp_path):
    write(tmp_path, "12.md", "author: A\ndate: 2024-01-01 10:00\n\nFirst.\n")
    write(
        tmp_path,
        "named.md",
        "author: B\nslug: the-first-answer\ndate: 2024-01-01 11:00\n\nSecond.\n",
    )
    for number, parent in enumerate(["12", "12.md", "12md", "the-first-answer", "named"]):
        write(
            tmp_path, f"r{number}.md", f"author: C\nreplyto: {parent}\ndate: 2024-01-02\n\nReply.\n"
        )
    comments, problems = read_comment_folder(tmp_path)
    parents = {c.id: c.parent_id for c in comments}
    assert parents["the-first-answer"] is None and parents["12"] is None
    assert [parents[f"r{n}"] for n in range(5)] == [
        "12",
        "12",
        "12",
        "the-first-answer",
        "the-first-answer",
    ]
    assert problems == []


def test_restructuredtext_and_html_comment_files_are_read(tmp_path):
    write(
        tmp_path,
        "a.rst",
        ":author: Rene\n:date: 2024-02-01\n\nAn *emphasised* word.\n\n.. raw:: html\n\n   <script>x</script>\n",
    )
    write(tmp_path, "b.html", '<html><head><meta name="author" content="Hana"><meta name="replyto" content="a">'
          "</head><body><p>Plain <b>HTML</b>.</p></body></html>")  # fmt: skip
    comments, _ = read_comment_folder(tmp_path)
    by_id = {c.id: c for c in comments}
    assert by_id["a"].author == "Rene" and by_id["a"].format == "html"
    assert "<em>emphasised</em>" in by_id["a"].body and "<script>" not in by_id["a"].body
    assert (by_id["b"].author, by_id["b"].parent_id) == ("Hana", "a")
    assert by_id["b"].body == "<p>Plain <b>HTML</b>.</p>"


def test_entries_that_are_not_regular_files_or_lead_outside_are_skipped_with_a_report(tmp_path):
    folder = tmp_path / "comments" / "post"
    folder.mkdir(parents=True)
    write(folder, "ok.md", "author: A\n\nFine.\n")
    (folder / "x.md").mkdir()
    os.mkfifo(folder / "pipe.md")
    secret = write(tmp_path, "secret.txt", "author: S\n\nnot a comment\n")
    (folder / "leak.md").symlink_to(secret)
    (folder / "zero.md").symlink_to("/dev/zero")
    comments, problems = read_comment_folder(folder)
    assert [c.id for c in comments] == ["ok"]
    reported = {os.path.basename(p.source): p.message for p in problems}
    assert set(reported) == {"x.md", "pipe.md", "leak.md", "zero.md"}
    assert "outside" in reported["leak.md"] and "not a regular file" in reported["pipe.md"]


def test_a_site_built_from_such_files_shows_authors_links_and_replies_but_no_email(tmp_path):
    from tests.conftest import build_site

    content = tmp_path / "content"
    folder = content / "comments" / "a-post"
    folder.mkdir(parents=True)
    write(content, "a-post.md", "Title: A post\nDate: 2024-01-02\n\nThe post.\n")
    write(folder, "1.md", "---\nauthor: Mira\nemail: mira@example.org\nwebsite: https://mira.example/\n"
          "date: 2024-01-03 10:00\n...\n\nFirst comment.\n")  # fmt: skip
    write(
        folder,
        "2.md",
        "---\nauthor: Tom\nemail: tom@example.org\nreplyto: 1.md\ndate: 2024-01-03 11:00\n---\n\nA reply.\n",
    )
    output = build_site(content, tmp_path / "out")
    page = (output / "posts/a-post.html").read_text("utf-8")
    assert 'href="https://mira.example/"' in page and 'aria-label="Comment by Tom"' in page
    assert page.index("First comment.") < page.index("A reply.")
    assert "comment-1" in page[page.index("A reply.") - 2000 : page.index("A reply.")]
    # pelican_comment_system's anchors still lead to the comments
    assert '<span id="comment-1md"></span>' in page and '<span id="comment-2.md"></span>' in page
    for path in output.rglob("*"):
        if path.is_file():
            assert "example.org" not in path.read_text("utf-8", "replace"), path


def test_a_slug_that_would_leave_the_output_folder_is_replaced_and_its_comments_stay(
    tmp_path, caplog
):
    from tests.conftest import build_site

    content = tmp_path / "site" / "content"
    (content / "comments" / "output-x").mkdir(parents=True)
    write(
        content, "escape.md", "Title: Escape\nDate: 2024-01-02\nSlug: ../../output-x\n\nThe post.\n"
    )
    write(content / "comments" / "output-x", "1.md", "author: Ann\n\nStill here.\n")
    output = build_site(content, tmp_path / "site" / "out")
    assert "Still here." in (output / "posts/output-x.html").read_text("utf-8")
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["content", "out"]
    assert "is not a single path segment; using 'output-x'" in caplog.text


def test_commenters_whose_names_slugify_alike_each_get_a_page_of_their_own(tmp_path):
    from tests.conftest import build_site

    content = tmp_path / "content"
    folder = content / "comments" / "a-post"
    folder.mkdir(parents=True)
    write(content, "a-post.md", "Title: A post\nDate: 2024-01-02\n\nThe post.\n")
    names = ["Hua Liang", "hua-liang", "Hua  Liang", "Index", "x" * 300]
    for number, name in enumerate(names * 2):
        write(
            folder,
            f"{number}.md",
            f"author: {name}\ndate: 2024-01-03 1{number % 10}:00\n\nHi {number}.\n",
        )
    first = build_site(content, tmp_path / "one")
    pages = sorted(p.name for p in (first / "commenters").iterdir())
    assert "index.html" in pages and len(pages) == len(names) + 1
    assert all(len(name) < 100 for name in pages)
    index = (first / "commenters/index.html").read_text("utf-8")
    assert all(
        f'href="../commenters/{page}"' in index or page in index
        for page in pages
        if page != "index.html"
    )
    again = build_site(content, tmp_path / "two")
    assert sorted(p.name for p in (again / "commenters").iterdir()) == pages


def test_a_commenters_page_lists_their_comments_oldest_first_across_posts(tmp_path):
    from tests.conftest import build_site

    content = tmp_path / "content"
    dates = {
        "a-post": ["2024-03-02 10:00", None],
        "b-post": ["2024-01-05 09:00", "2024-02-01 08:00"],
    }
    for slug, when in dates.items():
        write_to = content / "comments" / slug
        write_to.mkdir(parents=True)
        write(content, f"{slug}.md", f"Title: {slug}\nDate: 2024-01-01\n\nThe post.\n")
        for number, date in enumerate(when):
            header = "author: Ann\n" + (f"date: {date}\n" if date else "")
            write(write_to, f"{number}.md", header + f"\nSaid {slug} {date or 'undated'}.\n")
    output = build_site(content, tmp_path / "out")
    page = (output / "commenters/ann.html").read_text("utf-8")
    said = [page.index(f"Said {text}") for text in (
        "b-post 2024-01-05 09:00", "b-post 2024-02-01 08:00", "a-post 2024-03-02 10:00",
        "a-post undated",
    )]  # fmt: skip
    assert said == sorted(said)


def test_a_header_line_without_its_colon_is_read_reported_and_never_shown(tmp_path):
    text = "author Someone\ndate: 2024-13-45\nemail me@example.org\n\nHello.\n"
    comment, problems = parse_comment_file(text.encode(), str(tmp_path / "1.md"))
    assert (comment.author, comment.body, comment.date) == ("Someone", "Hello.", None)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (1, "header line 'author Someone' has no colon"),
        (3, "header line 'email me@example.org' has no colon"),
        (2, "unreadable date '2024-13-45' ignored"),
    ]


def test_a_body_that_starts_like_a_header_word_is_still_the_body(tmp_path):
    text = "Author Tom Clancy wrote it better.\n\nI agree.\n"
    comment, _ = parse_comment_file(text.encode(), str(tmp_path / "1.md"))
    assert comment.body.startswith("Author Tom Clancy") and comment.author == "Anonymous"
