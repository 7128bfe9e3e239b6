"""The invoke tasks a user runs: they exist, and publishing refuses clearly without a target."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

INVOKE = str(Path(sys.executable).with_name("invoke"))


def run_invoke(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("NETIQUETTE_PUBLISH")
    } | env
    return subprocess.run(
        [INVOKE, *args], cwd=ROOT, capture_output=True, text=True, env=environment, check=False
    )


def test_every_documented_task_is_listed():
    listed = run_invoke("--list").stdout
    for name in ("build", "rebuild", "clean", "serve", "regenerate", "livereload", "preview",
                 "publish", "test", "bench"):  # fmt: skip
        assert f"  {name}" in listed, name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = 'pip install -e ".[dev]" -c constraints.txt'
    assert f"{setup} && invoke build" in readme
    assert setup in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "invoke test" in readme


def test_publish_without_a_target_refuses_before_building():
    result = run_invoke("publish")
    assert result.returncode != 0
    assert "NETIQUETTE_PUBLISH_DIR" in result.stderr + result.stdout


def test_publish_refuses_a_placeholder_address_before_building(tmp_path):
    for url in ("", "https://example.org", "https://blog.example.com/", "http://localhost:8000"):
        result = run_invoke(
            "publish", NETIQUETTE_PUBLISH_DIR=str(tmp_path / "site"), NETIQUETTE_SITEURL=url
        )
        assert result.returncode != 0, url
        assert "placeholder" in result.stderr and "NETIQUETTE_SITEURL" in result.stderr, url
    assert not (tmp_path / "site").exists()


def test_publish_leaves_a_folder_it_did_not_fill_before_building(tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = run_invoke(
        "publish", NETIQUETTE_PUBLISH_DIR=str(target), NETIQUETTE_SITEURL="https://blog.mira.net"
    )
    assert result.returncode != 0
    assert "was not filled by invoke publish" in result.stderr and "--force" in result.stderr
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_a_publish_replaces_only_an_earlier_publish_of_the_same_site(tmp_path):
    sys.path.insert(0, str(ROOT))
    try:
        import tasks
    finally:
        sys.path.remove(str(ROOT))
    built = tmp_path / "output"
    built.mkdir()
    (built / "index.html").write_text("new")
    target = tmp_path / "www"
    tasks.replace_folder(built, target, "https://blog.mira.net")
    (target / "stale.html").write_text("old")
    tasks.replace_folder(built, target, "https://blog.mira.net")
    assert sorted(p.name for p in target.iterdir()) == [".netiquette-publish", "index.html"]
    with pytest.raises(SystemExit, match="was published for https://blog.mira.net"):
        tasks.replace_folder(built, target, "https://other.site")
    assert (target / "index.html").read_text() == "new"
    tasks.replace_folder(built, target, "https://other.site", force=True)
    assert (target / ".netiquette-publish").read_text().strip() == "https://other.site"


def test_tasks_work_from_any_folder_of_the_project():
    export = ROOT.parent / "shared" / "real" / "wxr" / "01_wpimporter_theme-unit-test-data.xml"
    if not export.exists():
        pytest.skip("the shared real exports are not available")
    result = subprocess.run(
        [INVOKE, "import", "wxr", str(export), "--dry-run"],
        cwd=ROOT / "content", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"nothing written to {ROOT / 'content'}:" in result.stdout
