"""The scraped plain-text thread parser: the seed thread read exactly as a careful reader does,
the header wordings and layouts other scrapes use, and robustness on hostile input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netiquette.model import Thread
from netiquette.parsers.text import clean_line, parse_text_thread

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"
SEED_TEXT = SEED / "000_3ec95f0b2dc2d7a2.txt"
SEED_EXPECTED = SEED / "expected.yaml"


def parse(text: str) -> Thread:
    return parse_text_thread(dedent(text).lstrip("\n"), "test.txt")


def messages(thread: Thread) -> str:
    return "\n".join(problem.message for problem in thread.problems)


# --- the seed thread -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[Thread, dict]:
    if not SEED_TEXT.is_file() or not SEED_EXPECTED.is_file():
        pytest.skip(f"seed files not found in {SEED}")
    yaml = pytest.importorskip("yaml")
    thread = parse_text_thread(SEED_TEXT.read_text(encoding="utf-8"), str(SEED_TEXT))
    return thread, yaml.safe_load(SEED_EXPECTED.read_text(encoding="utf-8"))


def test_seed_post_title_and_inferred_author(seed: tuple[Thread, dict]) -> None:
    thread, expected = seed
    assert thread.post.title == expected["post"]["title"]
    assert thread.post.author == expected["post"]["author"]
    assert thread.post.is_inferred("author") is expected["post"]["author_inferred"]
    assert not thread.post.is_inferred("title")


def test_seed_declared_count_matches_comments_without_problems(seed: tuple[Thread, dict]) -> None:
    thread, expected = seed
    assert thread.declared_count == expected["post"]["declared_comment_count"]
    assert len(thread.comments) == thread.declared_count
    assert thread.problems == []


def test_seed_boilerplate_is_absent_from_post_and_comments(seed: tuple[Thread, dict]) -> None:
    thread, expected = seed
    texts = [thread.post.title, *thread.post.paragraphs, *(c.body for c in thread.comments)]
    for debris in expected["post"]["boilerplate_removed"]:
        assert not any(debris in text for text in texts), debris


def test_seed_numbered_list_before_header_stays_in_post(seed: tuple[Thread, dict]) -> None:
    thread, expected = seed
    for item in expected["post"]["in_post_list"]:
        holding = [p for p in thread.post.paragraphs if item in p]
        assert len(holding) == 1, item
    bodies = " ".join(comment.body for comment in thread.comments)
    assert "Crickets." not in bodies


def test_seed_comments_in_order_with_parents_authors_and_signatures(
    seed: tuple[Thread, dict],
) -> None:
    thread, expected = seed
    comments = thread.comments
    assert len(comments) == len(expected["comments"])
    for comment, want in zip(comments, expected["comments"], strict=True):
        parent = want["parent"]
        assert comment.parent_id == (None if parent is None else comments[parent].id)
        assert comment.author == want["author"]
        assert comment.is_inferred("author") is want.get("author_inferred", False)
        assert comment.body.startswith(want["starts_with"])
        assert comment.signature == want.get("signature")
        if comment.signature:
            assert comment.signature not in comment.body
            assert "recently posted" not in comment.body


def test_seed_segment_quotes_each_in_exactly_one_post_paragraph(
    seed: tuple[Thread, dict],
) -> None:
    thread, expected = seed
    for segment in expected["segments"]:
        holding = [p for p in thread.post.paragraphs if segment["quote"] in p]
        assert len(holding) == 1, segment["quote"]


def test_seed_comments_carry_source_and_first_line(seed: tuple[Thread, dict]) -> None:
    thread, _ = seed
    lines = SEED_TEXT.read_text(encoding="utf-8").split("\n")
    for comment in thread.comments:
        assert comment.source == str(SEED_TEXT)
        assert comment.body.split("\n")[0] in lines[comment.line - 1]
        assert comment.format == "text"
        assert comment.date is None


# --- header wordings and metadata ------------------------------------------------------------


def test_responses_to_header_starts_comment_section() -> None:
    thread = parse("""
        Etiquette of Replies
        A post paragraph.
        2 responses to “Etiquette of Replies”
          1. First answer.
          2. Second answer.
    """)
    assert thread.declared_count == 2
    assert [c.body for c in thread.comments] == ["First answer.", "Second answer."]
    assert thread.post.paragraphs == ["A post paragraph."]


def test_one_thought_on_header_declares_one() -> None:
    thread = parse("""
        Short Post
        Body.
        One thought on “Short Post”
          1. Only one.
    """)
    assert thread.declared_count == 1
    assert len(thread.comments) == 1
    assert thread.problems == []


@pytest.mark.parametrize(
    ("header", "count"),
    [
        ("No comments yet", 0),
        ("0 comments", 0),
        ("12 Comments", 12),
        ("Twelve thoughts on “Post”", 12),
        ("One response to “Post", 1),
        ("3 thoughts on Post", 3),
    ],
)
def test_header_wordings_declare_their_count(header: str, count: int) -> None:
    thread = parse_text_thread(f"Post\n\nText.\n\n{header}\n", "t")
    assert thread.declared_count == count
    assert thread.post.paragraphs == ["Text."]


def test_sentence_starting_like_a_header_but_naming_something_else_stays_in_post() -> None:
    thread = parse_text_thread("Post\n\nOne thought on patience: wait.\n", "t")
    assert thread.declared_count is None
    assert thread.post.paragraphs == ["One thought on patience: wait."]


def test_metadata_overrides_title_date_and_author() -> None:
    thread = parse("""
        Title: The Real Title
        date: 2013-05-06 10:30
        Author: Davina K. Brewer
        Tags: linkedin, spam

        Body first line.
        1 comment
          1. Hi Someone, nice.
    """)
    post = thread.post
    assert post.title == "The Real Title"
    assert post.date == datetime(2013, 5, 6, 10, 30)
    assert post.author == "Davina K. Brewer"
    assert not post.is_inferred("author")
    assert post.metadata == {
        "title": "The Real Title",
        "date": "2013-05-06 10:30",
        "author": "Davina K. Brewer",
        "tags": "linkedin, spam",
    }
    assert post.paragraphs == ["Body first line."]


def test_metadata_without_title_keeps_first_line_as_title() -> None:
    thread = parse("""
        Slug: my-post

        Actual Title
        Body.
    """)
    assert thread.post.title == "Actual Title"
    assert thread.post.metadata == {"slug": "my-post"}
    assert thread.post.paragraphs == ["Body."]


def test_title_is_the_first_line_left_after_removing_debris() -> None:
    thread = parse("""
        IMG_1234.jpg
        Real Title
        Body.
    """)
    assert thread.post.title == "Real Title"
    assert thread.post.paragraphs == ["Body."]


def test_file_of_only_debris_is_untitled_and_reported() -> None:
    thread = parse_text_thread("Reply\nLike\n", "t")
    assert thread.post.title == "Untitled" and thread.post.is_inferred("title")
    assert "no title" in messages(thread)


def test_unparseable_metadata_date_is_reported_and_ignored() -> None:
    thread = parse("""
        Title: T
        Date: last Tuesday

        Body.
    """)
    assert thread.post.date is None
    assert "date" not in thread.post.metadata
    [problem] = thread.problems
    assert problem.line == 2 and "last Tuesday" in problem.message


def test_text_without_comment_header_is_all_post() -> None:
    thread = parse("""
        A Title
        Intro.
          1. A list item.
          2. Another.
    """)
    assert thread.comments == []
    assert thread.declared_count is None
    assert thread.post.paragraphs == ["Intro.", "1. A list item.", "2. Another."]


def test_header_count_mismatch_is_reported() -> None:
    thread = parse("""
        T
        5 comments
          1. Only this one.
    """)
    assert len(thread.comments) == 1
    [problem] = thread.problems
    assert "declares 5" in problem.message and "1 were found" in problem.message
    assert problem.line == 2 and problem.level == "warning"


# --- comment structure and authors -----------------------------------------------------------


def test_three_level_nesting_links_each_reply_to_the_item_above() -> None:
    thread = parse("""
        T
        3 comments
          1. Top.
            more of top
            1. Middle.
              1. Bottom.
    """)
    top, middle, bottom = thread.comments
    assert top.parent_id is None and top.body == "Top.\n\nmore of top"
    assert middle.parent_id == top.id
    assert bottom.parent_id == middle.id
    assert [c.line for c in thread.comments] == [3, 5, 6]


def test_continuation_after_reply_returns_to_shallower_comment() -> None:
    thread = parse("""
        T
        Comments
          1. Top.
            1. Reply.
            Back in top.
    """)
    top, reply = thread.comments
    assert top.body == "Top.\n\nBack in top."
    assert reply.body == "Reply."


def test_commentluv_line_becomes_signature_not_body() -> None:
    thread = parse("""
        T
        1 comment
          1. Nice post.
            Kim Yuhl recently posted..How to Write a Headline
    """)
    [comment] = thread.comments
    assert comment.author == "Kim Yuhl" and not comment.is_inferred("author")
    assert comment.signature == "How to Write a Headline"
    assert comment.body == "Nice post."


def test_commentluv_glued_to_the_end_of_a_sentence_is_split_off() -> None:
    thread = parse("""
        T
        1 comment
          1. Great read, thanks!Judy Gombita recently posted…Crisis Communication
    """)
    [comment] = thread.comments
    assert comment.author == "Judy Gombita"
    assert comment.signature == "Crisis Communication"
    assert comment.body == "Great read, thanks!"


def test_says_line_and_signoff_name_the_author() -> None:
    thread = parse("""
        T
        2 comments
          1. Mary Ann says:
            Lovely.
          2. Good points here.
            — Bob Smith
    """)
    assert [(c.author, c.body) for c in thread.comments] == [
        ("Mary Ann", "Lovely."),
        ("Bob Smith", "Good points here."),
    ]


def test_unsigned_reply_under_comment_greeting_author_is_the_post_author() -> None:
    thread = parse("""
        Post
        2 comments
          1. Hey Davina, loved it.
            Kim recently posted..Mine
            1. Thanks Kim, glad you did.
    """)
    assert thread.post.author == "Davina" and thread.post.is_inferred("author")
    kim, reply = thread.comments
    assert kim.author == "Kim"
    assert reply.author == "Davina" and reply.is_inferred("author")


def test_reply_to_the_post_author_is_not_attributed_to_them() -> None:
    thread = parse("""
        Author: Davina

        Post
        3 comments
          1. Nice.
            Kim recently posted..Mine
            1. Thanks Kim.
              1. You are welcome.
    """)
    kim, davina, unknown = thread.comments
    assert davina.author == "Davina" and davina.is_inferred("author")
    assert unknown.author == "Anonymous" and unknown.is_inferred("author")


def test_comment_without_any_author_is_anonymous() -> None:
    thread = parse("""
        T
        1 comment
          1. Who wrote me?
    """)
    [comment] = thread.comments
    assert comment.author == "Anonymous" and comment.is_inferred("author")
    assert thread.post.author is None


def test_greeting_everyone_does_not_name_the_post_author() -> None:
    thread = parse("""
        T
        2 comments
          1. Hi all, hello.
          2. Thanks for writing.
    """)
    assert thread.post.author is None


def test_numbering_gap_is_reported() -> None:
    thread = parse("""
        T
        Comments
          1. One.
          3. Three.
    """)
    assert "numbered 3 follows 1" in messages(thread)


def test_text_before_first_comment_is_reported_not_silently_dropped() -> None:
    thread = parse("""
        T
        2 comments
        Something odd
          1. One.
          2. Two.
    """)
    [problem] = thread.problems
    assert problem.line == 3 and "before the first comment" in problem.message


def test_identical_sibling_comments_get_unique_ids_and_keep_their_replies() -> None:
    thread = parse("""
        T
        4 comments
          1. +1
            1. Reply to first.
          2. +1
            1. Reply to second.
    """)
    first, reply1, second, reply2 = thread.comments
    assert len({c.id for c in thread.comments}) == 4
    assert reply1.parent_id == first.id and reply2.parent_id == second.id
    assert "duplicate comment id" in messages(thread)


def test_ids_stay_stable_when_an_earlier_comment_is_added() -> None:
    before = parse("T\n1 comment\n  1. Mine.\n    1. Reply.\n")
    after = parse("T\n2 comments\n  1. New one.\n  2. Mine.\n    1. Reply.\n")
    assert [c.id for c in before.comments] == [c.id for c in after.comments[1:]]


# --- debris ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scraped", "clean"),
    [
        ("tumblr_mivvfqP9w81r9pgsuo1_1280Generic, random", "Generic, random"),
        ("tumblr_abc123.jpgHello there", "Hello there"),
        ("IMG_1234Generic text", "Generic text"),
        ("IMG_1234.JPGThe photo", "The photo"),
        ("DSC_0042.jpg Sunset", "Sunset"),
        ("See DSCN0042 here", "See here"),
        ("holiday-photo.pngWe went", "We went"),
        ("COVID-19 and IMGs stay", "COVID-19 and IMGs stay"),
        ("Save it as logo.png first", "Save it as logo.png first"),
    ],
)
def test_image_file_names_glued_to_words_are_removed(scraped: str, clean: str) -> None:
    assert clean_line(scraped) == clean


@pytest.mark.parametrize(
    "line",
    [
        "Reply",
        "Reply ↓",
        "Like",
        "Liked by 3 people",
        "Leave a Reply",
        "Leave a Comment",
        "Comments are closed.",
        "Want More? Keep Reading.",
        "Photo credit: Someone on Flickr",
    ],
)
def test_debris_lines_are_dropped(line: str) -> None:
    assert clean_line(f"  {line} ") == ""


def test_debris_is_removed_from_comments_and_sentences_starting_like_debris_stay() -> None:
    thread = parse("""
        T
        Like most people, I reply.
        1 comment
          1. Good one.
            Reply
            Like
            Liked by 2 people
    """)
    assert thread.post.paragraphs == ["Like most people, I reply."]
    assert thread.comments[0].body == "Good one."


# --- hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\t"])
def test_empty_input_gives_untitled_post_and_an_error(text: str) -> None:
    thread = parse_text_thread(text, "empty.txt")
    assert thread.post.title == "Untitled" and thread.post.is_inferred("title")
    assert thread.comments == [] and thread.post.paragraphs == []
    assert thread.problems[0].level == "error"


def test_binary_garbage_does_not_raise() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 40
    thread = parse_text_thread(garbage, "garbage.bin")
    assert isinstance(thread.post.title, str)


def test_one_megabyte_comment() -> None:
    words = "word " * 200_000
    huge = words + "recently posted..x " + "a" * 50_000 + "tumblr_"
    thread = parse_text_thread(f"T\n1 comment\n  1. {huge}\n    {words}\n", "big.txt")
    [comment] = thread.comments
    assert comment.body == f"{words.strip()}\n\n{words.strip()}"
    assert comment.signature is not None and comment.signature.startswith("x aaa")


@pytest.mark.parametrize("unit", ["a", " ", "tumblr_", "IMG_1", ".png", "recently posted..", "Hi "])
def test_long_lines_of_repeated_patterns_stay_linear(unit: str) -> None:
    line = "x" + unit * (200_000 // len(unit))
    thread = parse_text_thread(f"{line}\n{line}\n1 comment\n  1. {line}\n", "big.txt")
    assert len(thread.comments) == 1


def test_ten_thousand_comments() -> None:
    lines = ["T", "10000 comments"]
    lines += [f"  {n}. Comment number {n}." for n in range(1, 10_001)]
    thread = parse_text_thread("\n".join(lines), "many.txt")
    assert len(thread.comments) == 10_000
    assert thread.problems == []


def test_nesting_two_hundred_deep_has_no_recursion_limit() -> None:
    lines = ["T", "200 comments"]
    lines += [f"{' ' * (2 * depth)}1. Level {depth}." for depth in range(200)]
    thread = parse_text_thread("\n".join(lines), "deep.txt")
    comments = thread.comments
    assert len(comments) == 200
    pairs = zip(comments, comments[1:], strict=False)
    assert all(child.parent_id == parent.id for parent, child in pairs)


# --- properties ------------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "",
        "Title",
        "Title: X",
        "Date: 2020-01-01",
        "Date: nope",
        "3 thoughts on “Title”",
        "No comments yet",
        "Comments",
        "1. Hi Davina, hello",
        "2. Thanks Kim.",
        "1. +1",
        "Reply",
        "Like",
        "Kim Yuhl recently posted..A Post",
        "done.Judy recently posted..B",
        "Mary says:",
        "— Bob",
        "tumblr_x_500Word",
        "continuation text",
    ]
)
_LINES = st.lists(
    st.tuples(st.integers(0, 8), _FRAGMENTS | st.text(max_size=12)).map(
        lambda pair: " " * pair[0] + pair[1]
    ),
    max_size=25,
).map("\n".join)


def assert_well_formed(thread: Thread) -> None:
    ids = [comment.id for comment in thread.comments]
    assert len(ids) == len(set(ids))
    parents = {comment.id: comment.parent_id for comment in thread.comments}
    for comment in thread.comments:
        seen: set[str] = set()
        current: str | None = comment.id
        while current is not None:
            assert current in parents and current not in seen
            seen.add(current)
            current = parents[current]


_PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_ANY_TEXT = st.one_of(_LINES, st.text(max_size=300))


@_PROPERTY
@given(_ANY_TEXT)
def test_any_text_parses_without_raising_to_a_forest_with_unique_ids(text: str) -> None:
    assert_well_formed(parse_text_thread(text, "fuzz.txt"))


@_PROPERTY
@given(_ANY_TEXT)
def test_parsing_is_deterministic(text: str) -> None:
    assert parse_text_thread(text, "fuzz.txt") == parse_text_thread(text, "fuzz.txt")
