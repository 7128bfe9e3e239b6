"""Posts, pages, tags, categories, authors and topics that would share an address each get their own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from netiquette.naming import MAX_SLUG, distinct, reads_as, suffixed
from tests.conftest import build_site

LONG = "x" * 300


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def html_pages(output):
    return sorted(str(p.relative_to(output)) for p in output.rglob("*.html"))


def test_a_shared_slug_stays_with_its_owner_and_the_others_get_stable_suffixes():
    changes, shared = distinct(
        {"Hua Liang": "hua-liang", "华亮": "hua-liang", "Mira": "mira"},
        owner=lambda ids: next((i for i in ids if reads_as(i, "hua-liang")), None),
    )
    assert set(changes) == {"华亮"} and changes["华亮"].startswith("hua-liang-")
    assert shared == [("hua-liang", ["Hua Liang", "华亮"])]
    again, _ = distinct({"华亮": "hua-liang", "Hua Liang": "hua-liang", "Mira": "mira"},
                        owner=lambda ids: "Hua Liang")  # fmt: skip
    assert again == changes


def test_empty_long_and_taken_slugs_are_suffixed_whoever_holds_them():
    changes, _ = distinct(
        {"a": "", "b": LONG, "c": "index", "d": "fine"}, taken={"index"}.__contains__
    )
    assert set(changes) == {"a", "b", "c"}
    assert all(len(slug) <= MAX_SLUG + 9 and slug.strip("-") == slug for slug in changes.values())


@given(st.lists(st.text(max_size=120), min_size=2, max_size=6, unique=True))
def test_suffixes_keep_distinct_keys_apart(keys):
    slugs = [suffixed("same", key) for key in keys]
    assert len(set(slugs)) == len(keys)
    assert all(len(slug) <= MAX_SLUG + 9 for slug in slugs)


def test_a_site_whose_names_collide_builds_with_every_page_of_its_own(tmp_path, caplog):
    content = tmp_path / "content"
    write(content / "a.md", f"Title: One\nDate: 2024-01-01\nSlug: same\nTags: Hello World, C, {LONG}\n"
          "Category: News\nAuthor: Hua Liang\n\nOne.\n")  # fmt: skip
    write(content / "b.md", "Title: Two\nDate: 2024-01-02\nSlug: same\nTags: hello-world, C++\n"
          "Category: news\nAuthor: 华亮\n\nTwo.\n")  # fmt: skip
    write(
        content / "c.md",
        f"Title: {LONG}\nDate: 2024-01-03\nCategory: {LONG}\nAuthor: {LONG}\n\nThree.\n",
    )
    write(content / "pages/a.md", "Title: About\nSlug: same\n\nPage one.\n")
    write(content / "pages/b.md", "Title: About too\nSlug: same\n\nPage two.\n")
    write(content / "threads/empty-1.txt", "")
    write(content / "threads/empty-2.txt", "")
    write(tmp_path / "topics.toml", '[[topic]]\nslug = "index"\nphrases = ["kumquat"]\n')
    write(content / "d.md", "Title: Fruit\nDate: 2024-01-04\n\nA kumquat a day.\n")
    overrides = {"NETIQUETTE_TOPICS": [str(tmp_path / "topics.toml")]}

    first = build_site(content, tmp_path / "one", **overrides)
    pages = html_pages(first)
    assert all(len(part) < 100 for page in pages for part in page.split("/"))
    one = (first / "posts/same.html").read_text("utf-8")
    assert "One." in one and "Two." not in one
    others = [p for p in pages if p.startswith("posts/same-")]
    assert len(others) == 1 and "Two." in (first / others[0]).read_text("utf-8")
    assert "Page one." in (first / "pages/same.html").read_text("utf-8")
    assert sum(p.startswith("pages/same-") for p in pages) == 1
    assert "tags/hello-world.html" in pages and "tags/c.html" in pages
    assert sum(p.startswith("tags/c-") for p in pages) == 1
    assert "authors/hua-liang.html" in pages
    assert sum(p.startswith("authors/hua-liang-") for p in pages) == 1
    assert "Hua Liang" in (first / "authors/hua-liang.html").read_text("utf-8")
    topic = [p for p in pages if p.startswith("topics/index-")]
    assert len(topic) == 1 and "kumquat" in (first / topic[0]).read_text("utf-8")
    assert "Topics" in (first / "topics/index.html").read_text("utf-8")
    assert "slug 'same' is an older post's" in caplog.text
    assert "tag names 'C', 'C++' share the slug 'c'" in caplog.text

    again = build_site(content, tmp_path / "two", **overrides)
    assert html_pages(again) == pages
