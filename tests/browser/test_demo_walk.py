"""The demo site in a real browser: a reader's walk through it, and axe-core on every page type.

The walk goes from the index to the seed's post, clicks a topic badge, then clicks the evidence link
to a comment and lands on that comment. Screenshots of each step go to ``test-artifacts/``. Every
page type is then checked with axe-core; serious and critical violations fail the test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import Tab, screenshot, serve

pytestmark = pytest.mark.browser

SEED_TITLE = "My LinkedIn Policy, Revisited"
SEED_SLUG = "my-linkedin-policy-revisited"
FAILING_IMPACTS = ("serious", "critical")
RUN_AXE = "async () => await axe.run(document, {resultTypes: ['violations']})"


def analysis(demo_site: Path) -> dict:
    return json.loads((demo_site / "analysis.json").read_text(encoding="utf-8"))


def seed_comment_with_topic(demo_site: Path) -> tuple[dict, dict]:
    """A comment of the seed's post that raises a topic, and that topic."""
    document = analysis(demo_site)
    topics = {topic["slug"]: topic for topic in document["topics"]}
    post = next(p for p in document["posts"] if p["slug"] == SEED_SLUG)
    for comment in post["comments"]:
        if comment["topics"]:
            return comment, topics[comment["topics"][0]]
    pytest.fail("no comment of the seed's post raises a topic")


def test_reader_walks_from_index_to_post_to_topic_to_quoted_comment(
    tab: Tab, demo_url: str, demo_site: Path
) -> None:
    page = tab.page
    comment, topic = seed_comment_with_topic(demo_site)

    page.goto(demo_url, wait_until="load")
    assert page.locator("h1").first.inner_text() == "Posts"
    screenshot(page, "walk-1-index")

    page.get_by_role("link", name=SEED_TITLE, exact=True).first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"posts/{SEED_SLUG}.html")
    assert page.locator("article.post h1").inner_text() == SEED_TITLE
    assert page.locator("article.comment").count() == 4
    screenshot(page, "walk-2-post")
    # Paragraphs that raise a topic carry its badges, and their evidence is marked and visible.
    assert page.locator(".post-body .netiquette-marks a.badge").count() > 0
    assert page.locator(".post-body [id^='p-'] mark.netiquette-evidence").first.is_visible()

    exact_name = re.compile(rf"^\s*{re.escape(topic['name'])}\s*$")
    page.locator("main .badges a.badge").filter(has_text=exact_name).first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(topic["url"])
    assert page.locator("main h1").inner_text() == topic["name"]
    screenshot(page, "walk-3-topic")

    fragment = "#" + comment["anchor"]
    evidence = page.locator(f'.evidence a[href$="{SEED_SLUG}.html{fragment}"]')
    assert evidence.count() >= 1, f"the topic page does not link to {fragment}"
    evidence.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"posts/{SEED_SLUG}.html{fragment}")
    target = page.evaluate(
        "() => { const t = document.querySelector(':target');"
        " return t && {id: t.id, tag: t.tagName, cls: t.className}; }"
    )
    assert target == {"id": comment["anchor"], "tag": "ARTICLE", "cls": "comment"}
    assert page.locator(fragment).is_visible()
    screenshot(page, "walk-4-comment")
    assert tab.page_errors == [] and tab.console_errors == [] and tab.blocked == []


def page_types(demo_site: Path) -> dict[str, str]:
    """One URL path (relative to the site) of every page type."""
    document = analysis(demo_site)
    topic = next(t for t in document["topics"] if t["comments"] or t["paragraphs"])
    commenter = next(
        p for p in sorted((demo_site / "commenters").glob("*.html")) if p.stem != "index"
    )
    tag = next(iter(sorted((demo_site / "tags").glob("*.html"))))
    return {
        "index": "index.html",
        "post": f"posts/{SEED_SLUG}.html",
        "topics-index": "topics/index.html",
        "topic": topic["url"],
        "commenters-index": "commenters/index.html",
        "commenter": commenter.relative_to(demo_site).as_posix(),
        "archives": "archives.html",
        "tags": "tags.html",
        "tag": tag.relative_to(demo_site).as_posix(),
        "held-back": "held-back.html",
    }


PAGE_TYPES = (
    "index", "post", "topics-index", "topic", "commenters-index", "commenter", "archives", "tags",
    "tag", "held-back",
)  # fmt: skip


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(
                f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return "\n".join(lines)


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_type_has_no_serious_accessibility_violations(
    tab: Tab, demo_url: str, demo_site: Path, axe_script: Path, kind: str
) -> None:
    path = page_types(demo_site)[kind]
    assert (demo_site / path).is_file(), path
    tab.page.goto(demo_url + path, wait_until="load")
    tab.page.add_script_tag(path=str(axe_script))
    results = tab.page.evaluate(RUN_AXE)
    failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    if results["violations"]:
        print(f"{kind} ({path}):\n{describe(results['violations'])}")
    assert failing == [], f"{kind} ({path}):\n{describe(failing)}"
    screenshot(tab.page, f"page-{kind}")


def test_the_accessibility_check_catches_known_violations(
    tab: Tab, axe_script: Path, tmp_path: Path
) -> None:
    (tmp_path / "page.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>t</title><main><h1>t</h1>'
        '<img src="x.png"><p style="color:#ddd;background:#fff">faint</p></main></html>',
        encoding="utf-8",
    )
    with serve(tmp_path) as base:
        tab.page.goto(base + "page.html", wait_until="load")
        tab.page.add_script_tag(path=str(axe_script))
        results = tab.page.evaluate(RUN_AXE)
    failing = {v["id"] for v in results["violations"] if v["impact"] in FAILING_IMPACTS}
    assert {"image-alt", "color-contrast"} <= failing
