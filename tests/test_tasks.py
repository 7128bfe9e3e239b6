"""The invoke tasks a user runs: they exist, and publishing refuses clearly without a target."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    assert 'pip install -e ".[dev]" && invoke build' in readme
    assert "invoke test" in readme


def test_publish_without_a_target_refuses_before_building():
    result = run_invoke("publish")
    assert result.returncode != 0
    assert "NETIQUETTE_PUBLISH_DIR" in result.stderr + result.stdout
