"""Links in the content folder cannot pull a file from outside it into pages, feeds or the output."""

from __future__ import annotations

import os

from tests.conftest import build_site


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_links_leaving_the_content_are_not_read_and_links_inside_it_are(tmp_path, caplog):
    outside = tmp_path / "private"
    write(outside / "leak.md", "Title: Leak\nDate: 2024-01-01\n\nSECRET-POST\n")
    write(outside / "folder" / "deep.md", "Title: Deep\nDate: 2024-01-01\n\nSECRET-FOLDER\n")
    write(outside / "comment.md", "author: Eve\n\nSECRET-COMMENT\n")
    write(outside / "thread" / "1.md", "author: Eve\n\nSECRET-THREAD\n")
    write(outside / "picture.png", "SECRET-STATIC")
    content = tmp_path / "content"
    write(content / "a-post.md", "Title: A post\nDate: 2024-01-02\n\nThe post.\n")
    write(content / "b-post.md", "Title: B post\nDate: 2024-01-03\n\nAnother post.\n")
    write(content / "comments" / "a-post" / "1.md", "author: Ann\n\nA real comment.\n")
    write(content / "notes" / "kept.txt", "author: Bob\n\nLinked from inside.\n")
    write(content / "images" / "real.png", "PNG")
    os.symlink(outside / "leak.md", content / "leak.md")
    os.symlink(outside / "folder", content / "linked")
    os.symlink(outside / "comment.md", content / "comments" / "a-post" / "2.md")
    os.symlink(content / "notes" / "kept.txt", content / "comments" / "a-post" / "3.md")
    os.symlink(outside / "thread", content / "comments" / "b-post")
    os.symlink(outside / "picture.png", content / "images" / "leak.png")
    os.symlink(content / "images" / "real.png", content / "images" / "alias.png")

    output = build_site(content, tmp_path / "out", STATIC_PATHS=["images"], IGNORE_FILES=["notes"])

    texts = [p.read_bytes() for p in output.rglob("*") if p.is_file()]
    assert not [t for t in texts if b"SECRET-" in t]
    page = (output / "posts/a-post.html").read_text("utf-8")
    assert "A real comment." in page and "Linked from inside." in page
    assert (output / "images/alias.png").read_text() == "PNG"
    assert not (output / "images/leak.png").exists()
    for name in ("leak.md", "linked/deep.md", "comments/a-post/2.md", "images/leak.png"):
        assert name in caplog.text
    assert "comments/b-post: a link to a folder outside the content" in caplog.text
