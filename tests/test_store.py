"""The thread store: analyses on disk by key, read back by the page that shows them."""

from __future__ import annotations

import gc
import logging
import re
import shutil
import tempfile

import pytest

from netiquette.analysis import analyze_thread
from netiquette.model import Comment, Post, Thread
from netiquette.store import ThreadStore
from netiquette.tagger import default_tagger
from tests.conftest import ROOT, build_site


def _analysis(text: str):
    thread = Thread(Post(title="A post", paragraphs=[text]), [Comment("1", "Ana", "Pure spam.")])
    return analyze_thread(thread, default_tagger())


def test_an_analysis_comes_back_as_it_was_stored(tmp_path):
    store = ThreadStore(tmp_path / "threads")
    stored = _analysis("He asked me for a job.")
    store.put("abc", stored)
    loaded = store.get("abc")
    assert loaded.paragraph_mentions == stored.paragraph_mentions
    assert loaded.comments == stored.comments
    assert loaded.thread.post.paragraphs == ["He asked me for a job."]


def test_texts_stored_with_an_analysis_are_read_back_alone(tmp_path):
    store = ThreadStore(tmp_path / "threads")
    store.put("abc", _analysis("Hi."), {"excerpts": "first\nsecond", "json": '"topics":[]}'})
    assert store.text("abc", "excerpts").split("\n") == ["first", "second"]
    assert store.text("abc", "json") == '"topics":[]}'
    assert store.text("abc", "other") is None
    store.prune([])
    assert list((tmp_path / "threads").iterdir()) == []


def test_a_missing_key_is_a_key_error_and_the_fallback_is_read(tmp_path):
    old = ThreadStore(tmp_path / "old")
    old.put("kept", _analysis("Nice photos!"))
    store = ThreadStore(tmp_path / "new", fallback=tmp_path / "old")
    assert store.has("kept") and store.get("kept").thread.post.paragraphs == ["Nice photos!"]
    with pytest.raises(KeyError):
        store.get("never-stored")


def test_prune_removes_only_what_is_no_longer_used(tmp_path):
    store = ThreadStore(tmp_path / "threads")
    for key in ("a", "b", "c"):
        store.put(key, _analysis(key))
    store.prune(["a", "c"])
    assert sorted(p.name for p in (tmp_path / "threads").iterdir()) == ["a.pickle", "c.pickle"]


def test_a_temporary_store_is_removed_on_close():
    store = ThreadStore()
    store.put("a", _analysis("a"))
    folder = store.folder
    assert folder.is_dir()
    store.close()
    assert not folder.exists()


def test_a_build_without_cache_leaves_no_temporary_store(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    output = build_site(ROOT / "content", tmp_path / "out")
    assert (output / "analysis.json").exists()
    assert list(scratch.iterdir()) == []


def test_a_lost_thread_file_is_analysed_again(tmp_path, caplog):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cached = {
        "CACHE_PATH": str(tmp_path / "cache"),
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
    }
    first = build_site(content, tmp_path / "first", **cached)
    expected = (first / "posts/cold-pitches-in-my-inbox.html").read_bytes()
    threads = tmp_path / "cache/netiquette-threads"
    lost = sorted(threads.iterdir())
    assert lost
    for path in lost:
        path.unlink()
    caplog.set_level(logging.INFO, logger="netiquette")
    second = build_site(content, tmp_path / "second", **cached)
    reused = re.search(r"analysis cache: (\d+) of (\d+) threads reused", caplog.text)
    assert reused and reused.group(1) == "0"
    assert (second / "posts/cold-pitches-in-my-inbox.html").read_bytes() == expected
    assert sorted(p.name for p in threads.iterdir()) == sorted(p.name for p in lost)


def test_a_temporary_store_left_open_goes_with_its_object():
    store = ThreadStore()
    folder = store.folder
    store.put("a", _analysis("a"))
    del store
    gc.collect()
    assert not folder.exists()
