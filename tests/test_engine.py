"""The per-thread map gives the same analysis in one process, on a process pool and on Dask."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stdout

import pytest

from netiquette import engine
from netiquette.cli import main
from tests.conftest import REAL_DIR

EXPORT = REAL_DIR / "wxr" / "03_timothyfitz_wordpress.xml"


def analyze(*options: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["analyze", "--json", *options, str(EXPORT)]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def alone() -> str:
    if not EXPORT.exists():
        pytest.skip("the shared real exports are not available")
    return analyze("--jobs", "1")


def test_a_process_pool_gives_the_same_lines_in_the_same_order(alone, monkeypatch):
    monkeypatch.setattr(engine, "BATCH", 2)
    assert alone.count("\n") > 2 * 2
    assert analyze("--jobs", "2") == alone


def test_a_local_dask_cluster_gives_the_same_lines(alone, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(engine, "BATCH", 4)
    environment = dict(os.environ)
    assert analyze("--dask", "local") == alone
    assert dict(os.environ) == environment


def test_input_is_read_lazily_in_batches(monkeypatch):
    from netiquette.model import Post, Thread

    monkeypatch.setattr(engine, "BATCH", 4)
    read = []

    def threads():
        for number in range(20):
            read.append(number)
            yield Thread(Post(title=f"Post {number}", paragraphs=["Stop the spam."]))

    results = engine.analyse_all(threads(), (), None)
    first = next(results)
    assert first.thread.post.title == "Post 0" and len(read) <= 2 * 4 + 1
    assert [a.thread.post.title for a in results][-1] == "Post 19"
