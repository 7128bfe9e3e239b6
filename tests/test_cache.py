"""Cached rebuilds: reuse what did not change, and write exactly what a full build writes."""

from __future__ import annotations

import filecmp
import logging
import re
import shutil
from pathlib import Path

from netiquette.site.cache import AnalysisCache
from netiquette.taxonomy import load_taxonomy
from tests.conftest import ROOT, build_site

CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}


def tree(root: Path, *folders: str) -> list[Path]:
    return sorted(
        p.relative_to(root) for f in folders for p in (root / f).rglob("*") if p.is_file()
    )


def test_cached_rebuild_after_an_edit_matches_a_full_build(tmp_path, caplog):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cached = tmp_path / "cached"
    build_site(content, cached, CACHE_PATH=str(tmp_path / "cache"), **CACHED)

    comment = content / "comments/cold-pitches-in-my-inbox/3.md"
    comment.write_text(comment.read_text("utf-8") + "\nAlso, the spam never stops.\n", "utf-8")
    post = content / "why-i-stopped-counting-followers.md"
    post.write_text(post.read_text("utf-8") + "\nI still get the odd sales pitch.\n", "utf-8")
    caplog.set_level(logging.INFO, logger="netiquette")
    build_site(content, cached, CACHE_PATH=str(tmp_path / "cache"), **CACHED)
    reused = re.search(r"analysis cache: (\d+) of (\d+) threads reused", caplog.text)
    assert reused and 0 < int(reused.group(1)) < int(reused.group(2))

    rendered = re.search(r"pages: (\d+) rendered, (\d+) unchanged", caplog.text)
    assert rendered and int(rendered.group(1)) > 0 and int(rendered.group(2)) > 0

    full = build_site(content, tmp_path / "full")
    assert tree(cached, ".") == tree(full, ".")
    for relative in tree(full, "."):
        assert filecmp.cmp(cached / relative, full / relative, shallow=False), relative
    assert "the <mark>spam</mark> never stops" in (full / "topics/spam.html").read_text("utf-8")
    followers = (cached / "posts/why-i-stopped-counting-followers.html").read_text("utf-8")
    assert "odd <mark" in followers and "sales pitch</mark>" in followers
    assert followers.count('class="comment"') == 4


def test_a_rebuild_with_other_summary_settings_matches_a_full_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cached = tmp_path / "cached"
    cache = str(tmp_path / "cache")
    long = build_site(content, cached, CACHE_PATH=cache, SUMMARY_MAX_LENGTH=40, **CACHED)
    long_index = (long / "index.html").read_text("utf-8")
    build_site(content, cached, CACHE_PATH=cache, SUMMARY_MAX_LENGTH=4, **CACHED)
    full = build_site(content, tmp_path / "full", SUMMARY_MAX_LENGTH=4)
    index = (full / "index.html").read_text("utf-8")
    assert index != long_index
    for relative in tree(full, "."):
        assert filecmp.cmp(cached / relative, full / relative, shallow=False), relative


def test_what_a_build_prepared_is_reused_for_the_same_text_only(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path), "NETIQUETTE_MODEL": None, **CACHED}
    calls = []

    def number(text):
        calls.append(text)
        return text.upper()

    first = AnalysisCache(settings, load_taxonomy())
    assert first.prepared("paragraphs", "one", lambda: number("one")) == "ONE"
    assert first.prepared("paragraphs", "one", lambda: number("one")) == "ONE"
    first.save()
    second = AnalysisCache(settings, load_taxonomy())
    assert second.prepared("paragraphs", "one", lambda: number("one")) == "ONE"
    assert second.prepared("summary", "one", lambda: number("one!")) == "ONE!"
    assert second.prepared("paragraphs", "two", lambda: number("two")) == "TWO"
    assert calls == ["one", "one!", "two"]
    uncached = AnalysisCache({"CACHE_PATH": str(tmp_path), "NETIQUETTE_MODEL": None},
                             load_taxonomy())  # fmt: skip
    assert uncached.prepared("paragraphs", "one", lambda: number("one")) == "ONE"
    assert calls[-1] == "one"


def test_changing_the_taxonomy_invalidates_the_cache(tmp_path, caplog):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    topics = tmp_path / "extra.toml"
    topics.write_text(
        '[[topic]]\nslug = "gratitude"\nname = "Gratitude"\ndescription = "Thanks."\n'
        'phrases = ["thanks for replying"]\n',
        "utf-8",
    )
    cache = str(tmp_path / "cache")
    build_site(content, tmp_path / "a", CACHE_PATH=cache, **CACHED)
    caplog.set_level(logging.INFO, logger="netiquette")
    output = build_site(
        content, tmp_path / "b", CACHE_PATH=cache, NETIQUETTE_TOPICS=[str(topics)], **CACHED
    )
    assert "analysis cache: 0 of" in caplog.text
    assert "Thanks for replying" in (output / "topics/gratitude.html").read_text("utf-8")


def test_a_corrupt_cache_is_reported_and_rebuilt(tmp_path, caplog):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "first", CACHE_PATH=str(cache), **CACHED)
    written = sorted(p.name for p in cache.glob("netiquette-*.pickle"))
    assert written == [
        "netiquette-analysis.pickle",
        "netiquette-pages.pickle",
        "netiquette-tagger.pickle",
    ]
    for name in written:
        (cache / name).write_bytes(b"not a pickle")
    output = build_site(content, tmp_path / "second", CACHE_PATH=str(cache), **CACHED)
    assert caplog.text.count("cache unreadable") == 3
    first = (tmp_path / "first" / "analysis.json").read_bytes()
    assert (output / "analysis.json").read_bytes() == first


def test_an_unchanged_rebuild_does_not_rewrite_the_cache(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "out", CACHE_PATH=str(cache), **CACHED)
    stored = cache / "netiquette-analysis.pickle"
    before = stored.stat().st_mtime_ns
    build_site(content, tmp_path / "out", CACHE_PATH=str(cache), **CACHED)
    assert stored.stat().st_mtime_ns == before
    (content / "comments/cold-pitches-in-my-inbox/5.md").write_text(
        "author: Tom Becker\ndate: 2024-03-12 10:02\nreplyto: 4\n\nNoted, thanks.\n", "utf-8"
    )
    build_site(content, tmp_path / "out", CACHE_PATH=str(cache), **CACHED)
    assert stored.stat().st_mtime_ns != before
