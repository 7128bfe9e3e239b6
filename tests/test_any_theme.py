"""The plugin in someone else's Pelican site: Pelican's own settings, any theme, no theme edits.

A small site of its own (two Markdown posts with comment files, a scraped text thread, a comment
for a post that does not exist) is built in-process with Pelican's default settings, changing only
the paths, the theme and ``PLUGINS``, with the themes Pelican ships (``notmyidea``, ``simple``) and
a third-party one from the package index (Reflex). Each build is looked at as a visitor would:
threads with badges on post pages inside the theme's layout, Netiquette's pages inside the
theme's base, the stylesheet linked once in the head, feeds without threads, every link resolving.
The hostile corpus of ``test_hostile_content`` built the same way (autoescape off, as Pelican has
it) leaves nothing live. One slower test installs the built wheel into a fresh virtual environment
and builds the site with ``python -m pelican`` there, as ``pip install netiquette`` would.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from tests.site_crawl import broken_links
from tests.test_hostile_content import built_once, markup_problems, write_hostile_content

pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")

SITE_URL = "http://blog.example.test"
CSS = "netiquette/netiquette.css"
TOPIC_SENTENCE = "Stop the spam, the hard sales pitches and the vanity metrics."

# What each theme's own base.html writes, so a page can be seen to be inside it.
THEME_MARKERS = {
    "notmyidea": "header#banner",
    "simple": "body > header hgroup",
    "reflex": "aside",
}


def _reflex() -> str | None:
    spec = importlib.util.find_spec("pelican.themes.reflex")
    if spec is None:
        return None
    from pelican.themes import reflex

    return reflex.path()


THEMES = {"notmyidea": "notmyidea", "simple": "simple", "reflex": _reflex()}
# Reflex's footer reads CC_LICENSE['icon'] even when CC_LICENSE is unset; its own examples set it.
THEME_SETTINGS = {"reflex": {"CC_LICENSE": None}}


def write_site(content: Path) -> None:
    """Two posts with comment files, a scraped thread, a page, and a comment whose post is
    missing."""
    files = {
        "first-post.md": f"""\
            Title: Counting "connections"
            Slug: first-post
            Date: 2024-04-01 09:00
            Author: Ana Host
            Tags: networking, Q&A
            Category: Notes

            A post about requests from strangers. {TOPIC_SENTENCE}
            """,
        "second-post.md": """\
            Title: A quieter inbox
            Slug: second-post
            Date: 2024-04-02 09:00
            Author: Ana Host
            Category: Notes

            The inbox got quieter after a month of unsubscribing.
            """,
        "comments/first-post/1.md": f"""\
            author: Priya Example
            date: 2024-04-01 10:00
            url: https://priya.example.net/

            Same here. {TOPIC_SENTENCE}
            """,
        "comments/first-post/2.md": """\
            author: Ana Host
            date: 2024-04-01 11:00
            replyto: 1

            Thank you, Priya.
            """,
        "comments/second-post/1.md": f"""\
            author: Priya Example
            date: 2024-04-02 10:00

            Quieter is better. {TOPIC_SENTENCE}
            """,
        "pages/about.md": """\
            Title: About

            A page without comments.
            """,
        "comments/no-such-post/1.md": """\
            author: Nobody

            A comment whose post is not there.
            """,
        "scraped-thread.txt": f"""\
            Title: A scraped thread
            Date: 2024-04-03
            Author: Lee Writer

            This page was saved from another blog. {TOPIC_SENTENCE}

            2 thoughts on “A scraped thread”

              1. I agree with every word. {TOPIC_SENTENCE}

                Kim Reader recently posted..Ten tips

                1. Thanks Kim, glad it helped.

            """,
    }
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def default_settings(content: Path, output: Path, theme: str, **overrides) -> dict:
    """Pelican's default settings, but for the paths, the theme and `overrides`."""
    from pelican.settings import read_settings

    settings = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "THEME": theme,
        "CACHE_PATH": str(output.parent / "cache"),
        "SITEURL": SITE_URL,
        **overrides,
    }
    return read_settings(None, override=settings)


def build(root: Path, theme: str, **overrides) -> Path:
    from pelican import Pelican

    content, output = root / "content", root / "output"
    if not content.exists():
        write_site(content)
    Pelican(default_settings(content, output, theme, **overrides)).run()
    return output


@pytest.fixture(scope="module", params=sorted(THEMES))
def site(request, tmp_path_factory) -> tuple[str, Path]:
    name = request.param
    if THEMES[name] is None:
        pytest.skip("the Reflex theme is not installed: pip install -e '.[dev]' -c constraints.txt")
    settings = {"PLUGINS": ["netiquette"], **THEME_SETTINGS.get(name, {})}
    root = built_once(
        tmp_path_factory, f"any-theme-{name}", lambda f: build(f, THEMES[name], **settings)
    )
    return name, root / "output"


def page(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "lxml")


def in_theme(soup: BeautifulSoup, theme: str) -> bool:
    return soup.select_one(THEME_MARKERS[theme]) is not None


def stylesheet_links(soup: BeautifulSoup) -> list:
    return [
        link for link in soup.select("link[rel~=stylesheet]") if link.get("href", "").endswith(CSS)
    ]


def test_post_pages_show_their_threads_with_badges_inside_the_theme(site) -> None:
    theme, output = site
    for path, comments in (("first-post.html", 2), ("second-post.html", 1)):
        soup = page(output, path)
        assert in_theme(soup, theme), path
        assert len(soup.select("#comments")) == 1, f"{path}: one thread, not two"
        assert len(soup.select("#comments article.comment")) == comments
        assert soup.select("#comments .badge"), f"{path}: no topic badge"
        assert len(stylesheet_links(soup)) == 1
        assert stylesheet_links(soup)[0].find_parent("head") is not None
    first = page(output, "first-post.html")
    reply = first.select_one("#comment-1 #comment-2")
    assert reply is not None, "the reply is nested in the comment it answers"
    # The thread follows the post's text, inside the theme's own markup for it.
    body = first.find(string=lambda s: s and "requests from strangers" in s).find_parent()
    assert body.find_next("section", id="comments") is not None
    assert (output / CSS).read_bytes() == (
        ROOT / "plugins/pelican/plugins/netiquette/static/netiquette.css"
    ).read_bytes()


def test_names_print_as_text_and_keep_their_addresses(site) -> None:
    _, output = site
    assert (output / "tag/qa.html").is_file()
    links = page(output, "first-post.html").select('a[href$="tag/qa.html"]')
    assert links and {a.get_text(strip=True) for a in links} == {"Q&A"}


def test_a_scraped_thread_reads_as_a_post_with_its_comments(site) -> None:
    theme, output = site
    soup = page(output, "a-scraped-thread.html")
    assert in_theme(soup, theme)
    authors = [a.get_text(strip=True) for a in soup.select("#comments .comment-author")]
    assert authors[0] == "Kim Reader"
    assert "Ten tips" in soup.select_one("#comments .signature").get_text()


def test_netiquette_pages_render_inside_the_themes_base(site) -> None:
    theme, output = site
    commenter = next(p for p in (output / "commenters").glob("*.html") if p.stem != "index")
    pages = {
        "topics/index.html": "Etiquette topics",
        "topics/spam.html": None,
        "commenters/index.html": "Commenters",
        commenter.relative_to(output).as_posix(): "Priya Example",
        "held-back.html": "Comments held back",
    }
    for path, heading in pages.items():
        soup = page(output, path)
        assert in_theme(soup, theme), path
        h1 = soup.select_one(".netiquette-page h1")
        assert h1 is not None, path
        if heading:
            assert h1.get_text(strip=True) == heading, path
        assert len(stylesheet_links(soup)) == 1, path
    assert "no-such-post" in page(output, "held-back.html").get_text()
    topic = page(output, "topics/spam.html")
    assert topic.select(".evidence mark"), "the topic page quotes what raised it"
    assert topic.select_one("head link[type='application/atom+xml'][href*='feeds/topics/spam']")


def test_feeds_list_the_posts_without_their_threads(site) -> None:
    _, output = site
    parsed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    titles = {entry.title for entry in parsed.entries}
    assert {"Counting “connections”", "A quieter inbox", "A scraped thread"} <= titles
    for entry in parsed.entries:
        text = " ".join(c.value for c in entry.get("content", [])) + entry.get("summary", "")
        assert "comments-heading" not in text and "comment-author" not in text
    topic = feedparser.parse((output / "feeds/topics/spam.atom.xml").read_bytes())
    assert topic.bozo == 0 and topic.entries


def test_lists_of_posts_and_pages_without_comments_show_no_threads(site) -> None:
    _, output = site
    for path in ("index.html", "archives.html", "category/notes.html", "pages/about.html"):
        assert 'id="comments"' not in (output / path).read_text(encoding="utf-8"), path


def test_every_link_resolves(site) -> None:
    _, output = site
    assert broken_links(output, SITE_URL) == []


def test_the_plugin_is_found_without_plugins_set(tmp_path) -> None:
    output = build(tmp_path, "notmyidea")
    assert default_settings(tmp_path / "content", output, "notmyidea")["PLUGINS"] is None
    assert (output / "topics/index.html").is_file()
    assert page(output, "first-post.html").select("#comments article.comment")


def test_a_theme_that_includes_the_thread_gets_it_once_where_it_says(tmp_path) -> None:
    theme = tmp_path / "theme"
    (theme / "static").mkdir(parents=True)
    article = theme / "templates" / "article.html"
    article.parent.mkdir()
    article.write_text(
        '{% extends "!simple/article.html" %}{% block content %}{{ super() }}'
        '<aside id="mine">{% include "netiquette/thread.html" %}</aside>{% endblock %}',
        encoding="utf-8",
    )
    output = build(tmp_path, str(theme), PLUGINS=["netiquette"])
    soup = page(output, "first-post.html")
    assert len(soup.select("#comments")) == 1
    assert soup.select_one("aside#mine #comments") is not None


def test_hostile_content_leaves_nothing_live_under_pelicans_defaults(tmp_path) -> None:
    content = tmp_path / "content"
    write_hostile_content(content)
    settings = default_settings(content, tmp_path / "output", "notmyidea")
    assert "autoescape" not in settings["JINJA_ENVIRONMENT"], "Pelican's default: autoescape off"
    output = build(tmp_path, "notmyidea", PLUGINS=["netiquette"])
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 50
    problems = {
        str(path.relative_to(output)): found
        for path in pages
        if (found := markup_problems(path.read_text(encoding="utf-8"), page=True))
    }
    assert problems == {}
    for feed in sorted((output / "feeds").rglob("*.xml")):
        parsed = feedparser.parse(feed.read_bytes(), sanitize_html=False)
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            fragments = [c.value for c in entry.get("content", [])]
            fragments += [entry.get(key, "") for key in ("summary", "title", "author")]
            fragments += [tag.get("term") or "" for tag in entry.get("tags", [])]
            for fragment in fragments:
                assert markup_problems(fragment, page=False) == [], (feed.name, fragment[:200])


# --- installed from a wheel, as a user would -------------------------------------------------


def _pip(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "pip", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


@pytest.mark.install
def test_the_built_wheel_works_in_a_fresh_environment_with_pelicans_defaults(tmp_path) -> None:
    """``pip install`` of the wheel (not the checkout) into a new virtual environment, then
    ``python -m pelican`` with PLUGINS unset and the default theme: templates and stylesheet
    must come with the package."""
    source, wheels = tmp_path / "source", tmp_path / "wheels"
    # A copy of what the build reads: setuptools leaves a build/ folder in the tree it builds.
    ignored = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "plugins", source / "plugins", ignore=ignored)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    made = _pip(
        Path(sys.executable),
        "wheel",
        "--no-deps",
        "-q",
        "-w",
        str(wheels),
        str(source),
        cwd=tmp_path,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot build the wheel (no package index?): {made.stderr.strip()[-300:]}")
    wheel = next(wheels.glob("netiquette-*.whl"))
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    installed = _pip(
        python, "install", "-q", str(wheel), "-c", str(ROOT / "constraints.txt"), cwd=tmp_path
    )
    if installed.returncode != 0:
        pytest.skip(f"cannot install from the package index: {installed.stderr.strip()[-300:]}")
    write_site(tmp_path / "content")
    (tmp_path / "pelicanconf.py").write_text(
        f'PATH = "content"\nSITEURL = "{SITE_URL}"\nTIMEZONE = "UTC"\n', encoding="utf-8"
    )
    run = subprocess.run(
        [str(python), "-m", "pelican", "-s", "pelicanconf.py", "-o", "output"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    output = tmp_path / "output"
    assert (output / CSS).is_file()
    soup = page(output, "first-post.html")
    assert in_theme(soup, "notmyidea")
    assert len(soup.select("#comments article.comment")) == 2
    assert len(stylesheet_links(soup)) == 1
    assert in_theme(page(output, "topics/index.html"), "notmyidea")
    assert broken_links(output, SITE_URL) == []
