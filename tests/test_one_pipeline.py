"""`netiquette analyze --json` and a built site's analysis.json agree on the same content."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from netiquette.cli import main
from tests.conftest import REAL_DIR, ROOT, build_site


def analyze(folder, *options) -> dict[str, dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["analyze", "--json", *options, str(folder)]) == 0
    threads = [json.loads(line) for line in out.getvalue().splitlines()]
    return {str(Path(t["source"]).relative_to(folder)): t for t in threads}


def assert_same(site: dict, cli: dict[str, dict]) -> int:
    compared = 0
    for post in site["posts"]:
        thread = cli[post["source"]]
        for key in ("topics", "paragraphs", "comments"):
            assert thread[key] == post[key], (post["source"], key)
        compared += len(post["comments"])
    assert sorted(cli) == sorted(p["source"] for p in site["posts"])
    return compared


def test_the_demo_site_and_the_command_line_find_the_same(demo_site):
    site = json.loads((demo_site / "analysis.json").read_text("utf-8"))
    assert assert_same(site, analyze(ROOT / "content")) > 0


def test_a_real_import_with_shortcodes_and_renamed_comment_folder_agrees(tmp_path):
    export = REAL_DIR / "wxr" / "01_wpimporter_theme-unit-test-data.xml"
    if not export.exists():
        pytest.skip("the shared real exports are not available")
    content = tmp_path / "content"
    assert main(["import", "wxr", str(export), "--output", str(content)]) == 0
    shutil.move(content / "comments", content / "replies")
    assert any("[caption" in p.read_text("utf-8") for p in content.glob("*.md"))
    output = build_site(content, tmp_path / "out", NETIQUETTE_COMMENTS_PATH="replies")
    site = json.loads((output / "analysis.json").read_text("utf-8"))
    assert assert_same(site, analyze(content, "--comments-path", "replies")) >= 20
