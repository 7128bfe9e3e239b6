"""Rebuilds that render only the pages whose inputs changed, and the digests that decide it."""

from __future__ import annotations

import filecmp
import logging
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from pelican import signals
from pelican.plugins.netiquette.incremental import Describer, TemplateInputs, Volatile

from tests.conftest import ROOT, build_site

CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}


@dataclass
class _Card:
    title: str
    when: datetime
    tags: list[str]
    body: Markup = field(default=Markup(""), metadata={"digest": False})


def _describer() -> Describer:
    return Describer({"SITENAME": "A site", "FILTERS": {"shout": str.upper}})


def test_equal_values_built_apart_have_one_digest():
    first = _Card("Hello", datetime(2024, 3, 1, 12, 0), ["a", "b"])
    second = _Card("Hello", datetime(2024, 3, 1, 12, 0), ["a", "b"])
    assert _describer().digest([first, {"n": 1}]) == _describer().digest([second, {"n": 1}])


@pytest.mark.parametrize(
    "changed",
    [
        _Card("Hello!", datetime(2024, 3, 1, 12, 0), ["a", "b"]),
        _Card("Hello", datetime(2024, 3, 1, 12, 1), ["a", "b"]),
        _Card("Hello", datetime(2024, 3, 1, 12, 0), ["b", "a"]),
    ],
)
def test_any_described_change_changes_the_digest(changed):
    original = _Card("Hello", datetime(2024, 3, 1, 12, 0), ["a", "b"])
    assert _describer().digest(original) != _describer().digest(changed)


def test_strings_and_numbers_that_print_alike_differ():
    assert _describer().digest(["1"]) != _describer().digest([1])
    assert _describer().digest([None]) != _describer().digest(["None"])


def test_fields_marked_derived_are_left_out():
    plain = _Card("Hello", datetime(2024, 3, 1), [])
    rich = _Card("Hello", datetime(2024, 3, 1), [], Markup("<p>long body</p>"))
    assert _describer().digest(plain) == _describer().digest(rich)


def test_an_object_of_unknown_type_has_no_digest():
    class Opaque:
        pass

    with pytest.raises(Volatile, match="Opaque"):
        _describer().digest({"value": Opaque()})


def test_a_cycle_is_described_without_recursing_forever():
    @dataclass
    class Node:
        name: str
        next: list

    a = Node("a", [])
    a.next.append(Node("b", [a]))
    assert len(_describer().digest(a)) == 20


def test_template_inputs_follow_extends_include_and_import():
    environment = Environment(
        loader=DictLoader(
            {
                "base.html": "{{ SITENAME }}{% block body %}{% endblock %}",
                "page.html": '{% extends "base.html" %}{% from "m.html" import m with context %}'
                '{% block body %}{{ m(article) }}{% include "foot.html" %}{% endblock %}',
                "m.html": "{% macro m(x) %}{{ x.title }}{{ SITEURL }}{% endmacro %}",
                "foot.html": "{% for p in pages %}{{ p }}{% endfor %}",
                "dynamic.html": "{% include article.template %}",
            }
        )
    )
    inputs = TemplateInputs(environment)
    digest, variables = inputs.of("page.html")
    assert {"SITENAME", "article", "SITEURL", "pages"} <= variables
    assert "x" not in variables and "p" not in variables
    assert inputs.of("dynamic.html") is None


def _edit(path: Path, added: str) -> None:
    path.write_text(path.read_text("utf-8") + added, "utf-8")


def _counts(text: str) -> tuple[int, int]:
    found = re.findall(r"pages: (\d+) rendered, (\d+) unchanged", text)
    assert found, "no page count was logged"
    rendered, unchanged = found[-1]
    return int(rendered), int(unchanged)


@pytest.fixture
def site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = str(tmp_path / "cache")

    def build(**overrides):
        settings = {"CACHE_PATH": cache, **CACHED, **overrides}
        return build_site(content, tmp_path / "out", **settings)

    return content, build


def test_an_unchanged_rebuild_renders_no_page(site, caplog):
    _, build = site
    output = build()
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*.html")}
    caplog.set_level(logging.INFO, logger="netiquette")
    build()
    rendered, unchanged = _counts(caplog.text)
    assert rendered == 0 and unchanged > 20
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*.html")} == before


def test_an_edited_comment_renders_its_post_and_the_pages_that_quote_it(site, caplog):
    content, build = site
    output = build()
    post = output / "posts/cold-pitches-in-my-inbox.html"
    other = output / "posts/why-i-stopped-counting-followers.html"
    other_written = other.stat().st_mtime_ns
    _edit(content / "comments/cold-pitches-in-my-inbox/3.md", "\nAlso, the spam never stops.\n")
    caplog.set_level(logging.INFO, logger="netiquette")
    build()
    rendered, unchanged = _counts(caplog.text)
    assert rendered > 0 and unchanged > 0
    assert "the spam never stops" in post.read_text("utf-8")
    assert "the <mark>spam</mark> never stops" in (output / "topics/spam.html").read_text("utf-8")
    assert other.stat().st_mtime_ns == other_written


def test_a_changed_template_renders_the_pages_that_use_it(site, caplog, tmp_path):
    _, build = site
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    build(THEME=str(theme))
    override = theme / "templates/netiquette/thread.html"
    override.parent.mkdir()
    override.write_text('{% include "!netiquette/thread.html" %}<!-- thread footer -->\n', "utf-8")
    caplog.set_level(logging.INFO, logger="netiquette")
    output = build(THEME=str(theme))
    assert "thread footer" in (output / "posts/cold-pitches-in-my-inbox.html").read_text("utf-8")
    assert "thread footer" not in (output / "topics/index.html").read_text("utf-8")
    rendered, unchanged = _counts(caplog.text)
    assert rendered > 0 and unchanged > 0


def test_a_deleted_page_is_written_again(site):
    _, build = site
    output = build()
    page = output / "topics/spam.html"
    expected = page.read_bytes()
    page.unlink()
    build()
    assert page.read_bytes() == expected


def test_a_changed_setting_renders_every_page(site, caplog):
    _, build = site
    build()
    caplog.set_level(logging.INFO, logger="netiquette")
    output = build(SITENAME="Another name")
    assert "pages:" not in caplog.text
    assert "Another name" in (output / "topics/index.html").read_text("utf-8")


def test_skipping_is_off_when_another_plugin_wants_every_page(site):
    _, build = site
    output = build()
    pages = sorted(str(p) for p in output.rglob("*.html"))
    seen: list[str] = []

    def listener(path, context):
        seen.append(path)

    signals.content_written.connect(listener)
    try:
        build()
    finally:
        signals.content_written.disconnect(listener)
    assert sorted(seen) == pages


def test_skipping_can_be_turned_off(site, caplog):
    _, build = site
    build(NETIQUETTE_SKIP_UNCHANGED_PAGES=False)
    caplog.set_level(logging.INFO, logger="netiquette")
    build(NETIQUETTE_SKIP_UNCHANGED_PAGES=False)
    assert "pages:" not in caplog.text


def test_a_rebuild_after_a_new_post_matches_a_full_build(site, tmp_path):
    content, build = site
    build()
    (content / "a-new-post.md").write_text(
        "Title: A new post\nDate: 2024-05-01\nTags: linkedin\n\n"
        "Please stop sending me a sales pitch with every connection request.\n",
        "utf-8",
    )
    cached = build()
    full = build_site(content, tmp_path / "full")
    files = sorted(p.relative_to(full) for p in full.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(cached) for p in cached.rglob("*") if p.is_file())
    for relative in files:
        assert filecmp.cmp(cached / relative, full / relative, shallow=False), relative
