"""Comments posted twice are reported, and both stay published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from netiquette.model import Comment, Post, Thread, repair_structure
from tests.conftest import REAL_DIR

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)


def thread_of(*comments: Comment) -> Thread:
    thread = Thread(Post(title="A post", source="post.md"), list(comments))
    repair_structure(thread)
    return thread


def repeats(thread: Thread) -> list[str]:
    return [p.message for p in thread.problems if "repeats" in p.message]


def test_the_same_text_by_the_same_author_minutes_apart_is_reported_once():
    thread = thread_of(
        Comment("1", "Rob", "Version 9 handles it.", date=T0),
        Comment("2", "rob", "Version  9 handles\nit.", date=T0 + timedelta(seconds=47)),
        Comment("3", "Ann", "Version 9 handles it.", date=T0 + timedelta(minutes=2)),
    )
    assert repeats(thread) == [
        "comment '2' repeats comment '1' (same author and text); both are published: "
        "delete one if it was posted twice"
    ]
    assert [c.id for c in thread.comments] == ["1", "2", "3"]


def test_a_text_said_again_days_later_or_an_empty_one_is_not_a_repeat():
    thread = thread_of(
        Comment("1", "Rob", "Thanks!", date=T0),
        Comment("2", "Rob", "Thanks!", date=T0 + timedelta(days=3)),
        Comment("3", "Rob", "", date=T0),
        Comment("4", "Rob", "", date=T0),
    )
    assert repeats(thread) == []


def test_a_real_export_with_double_posts_reports_them():
    path = REAL_DIR / "wxr" / "04_jamesgecko_wordpress.xml"
    if not path.exists():
        pytest.skip("the shared real exports are not available")
    from netiquette.parsers.wxr import read_wxr

    result = read_wxr(path.read_bytes(), str(path))
    found = [p for p in result.all_problems() if "repeats comment" in p.message]
    published = sum(len(post.thread.comments) for post in result.posts)
    assert 10 <= len(found) < published / 2
    clean = REAL_DIR / "wxr" / "03_timothyfitz_wordpress.xml"
    assert not [
        p for p in read_wxr(clean.read_bytes(), str(clean)).all_problems() if "repeats" in p.message
    ]
