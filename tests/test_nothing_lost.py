"""Nothing is lost: every comment in the content is on its post's page exactly once, or held back.

The content mixes the demo site, the broken cases and the hostile corpus. What is expected is read
from the input itself: one anchor per comment file (named after the file), and for scraped text
threads one comment per numbered item after the comment header.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from netiquette.model import clean_id
from netiquette.parsers.commentfiles import COMMENT_EXTENSIONS
from netiquette.parsers.text import parse_text_thread
from netiquette.sources import read_text
from tests.conftest import ROOT, build_site
from tests.test_broken_input import write_broken_cases
from tests.test_hostile_content import built_once, write_hostile_content

_NUMBERED_ITEM = re.compile(r"^[ \t]*\d{1,9}[.)](?:[ \t]|$)")
_HEADER = re.compile(r"(?i)^(?:\d+|one|no)\s+(?:thoughts?|comments?|responses?|replies)\b")
_ANCHOR = re.compile(r'<article class="comment" id="(comment-[^"]*)"')


@dataclass
class Site:
    content: Path
    output: Path
    document: dict

    def post_for_source(self, path: Path) -> dict | None:
        """The analysis entry of the post read from ``path`` (sources may be absolute or relative)."""
        relative = path.relative_to(self.content).as_posix()
        for post in self.document["posts"]:
            source = Path(post["source"]).as_posix()
            if source == relative or source.endswith("/" + relative):
                return post
        return None

    def post_for_slug(self, slug: str) -> dict | None:
        return next((p for p in self.document["posts"] if p["slug"] == slug), None)

    def anchors(self, post: dict) -> Counter[str]:
        """How often each comment's own anchor occurs on the post's page (its HTML source)."""
        page = self.output / post["url"]
        return Counter(_ANCHOR.findall(page.read_text(encoding="utf-8")))

    def held_back_sources(self) -> set[str]:
        soup = BeautifulSoup((self.output / "held-back.html").read_bytes(), "lxml")
        return {code.get_text() for code in soup.select("td code")}


def build_mixed_site(root: Path) -> None:
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    write_broken_cases(content)
    write_hostile_content(content)
    build_site(content, root / "output")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    root = built_once(tmp_path_factory, "nothing-lost-site", build_mixed_site)
    document = json.loads((root / "output" / "analysis.json").read_text(encoding="utf-8"))
    return Site(root / "content", root / "output", document)


def expected_anchors(files: list[Path]) -> Counter[str]:
    """Anchors for a folder's comment files: one per file, duplicates numbered from 2."""
    ids = Counter(clean_id(path.stem) for path in files)
    anchors: Counter[str] = Counter()
    for base, count in ids.items():
        anchors[f"comment-{base}"] += 1
        for n in range(2, count + 1):
            anchors[f"comment-{base}-{n}"] += 1
    return anchors


def numbered_items(text: str) -> int:
    """Numbered list items after the last comment header line (0 when there is no header)."""
    lines = text.split("\n")
    headers = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    if not headers:
        return 0
    return sum(1 for line in lines[headers[-1] + 1 :] if _NUMBERED_ITEM.match(line))


def comment_folders(site: Site) -> list[Path]:
    root = site.content / "comments"
    return sorted(folder for folder in root.iterdir() if folder.is_dir())


def text_threads(site: Site) -> list[Path]:
    return sorted(p for p in site.content.rglob("*.txt") if "comments" not in p.parts)


def test_every_comment_file_is_on_its_page_once_or_held_back(site: Site) -> None:
    held = site.held_back_sources()
    missing: list[str] = []
    checked = 0
    for folder in comment_folders(site):
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in COMMENT_EXTENSIONS)
        post = site.post_for_slug(folder.name)
        if post is None:
            for path in files:
                checked += 1
                if path.relative_to(site.content).as_posix() not in held:
                    missing.append(f"{path}: neither published nor held back")
            continue
        on_page = site.anchors(post)
        for anchor, count in expected_anchors(files).items():
            checked += count
            if on_page[anchor] != count:
                missing.append(f"{folder.name}: {anchor} appears {on_page[anchor]} time(s)")
        if sum(on_page.values()) != len(files):
            missing.append(f"{folder.name}: {sum(on_page.values())} anchors for {len(files)} files")
    assert checked > 400
    assert missing == []


def test_every_numbered_comment_of_a_text_thread_is_on_its_page_once(site: Site) -> None:
    problems: list[str] = []
    for path in text_threads(site):
        text, _ = read_text(path)
        thread = parse_text_thread(text, str(path))
        post = site.post_for_source(path)
        assert post is not None, f"{path.name} was not published"
        numbered = numbered_items(text)
        on_page = site.anchors(post)
        expected = Counter(comment.anchor for comment in thread.comments)
        if numbered and numbered != len(thread.comments):
            problems.append(f"{path.name}: {numbered} numbered items, {len(thread.comments)} read")
        if on_page != expected:
            problems.append(f"{path.name}: page anchors differ from the thread's comments")
    assert problems == []


def test_published_and_held_back_add_up_to_everything_in_the_content(site: Site) -> None:
    counts = site.document["counts"]
    files = sum(
        1
        for folder in comment_folders(site)
        for p in folder.iterdir()
        if p.suffix.lower() in COMMENT_EXTENSIONS
    )
    scraped = sum(
        len(parse_text_thread(read_text(p)[0], str(p)).comments) for p in text_threads(site)
    )
    assert counts["comments"] + counts["held_back"] == files + scraped


def test_every_analysed_comment_has_exactly_one_anchor_on_its_page(site: Site) -> None:
    for post in site.document["posts"]:
        on_page = site.anchors(post)
        ids = [comment["anchor"] for comment in post["comments"]]
        assert len(ids) == len(set(ids)), post["slug"]
        assert on_page == Counter(ids), post["slug"]
