"""Shared fixtures: paths to the repository and the shared inputs, and whole-site builds."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seed"
SEED_FILE = SEED_DIR / "000_3ec95f0b2dc2d7a2.txt"
REAL_DIR = SHARED / "real"


def build_site(content: Path, output: Path, **overrides) -> Path:
    """Run Pelican with the project's settings on ``content`` into ``output``; returns output."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "THEME": str(ROOT / "theme"),
        "CACHE_PATH": str(output.parent / (output.name + "-cache")),
        "LOAD_CONTENT_CACHE": False,
        "CACHE_CONTENT": False,
    }
    settings.update(overrides)
    Pelican(read_settings(str(ROOT / "pelicanconf.py"), override=settings)).run()
    return output


@pytest.fixture(autouse=True)
def _fresh_pelican_log_filter():
    """Each test sees every message, as a build in a fresh process does: Pelican's log filter
    drops a message already logged once in the process (by an earlier test's build)."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    yield


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo site (content/ as shipped), built once per test session."""
    output = tmp_path_factory.mktemp("demo") / "output"
    logging.getLogger("netiquette").setLevel(logging.WARNING)
    return build_site(ROOT / "content", output)


@pytest.fixture
def seed_text() -> str:
    if not SEED_FILE.exists():
        pytest.skip("the shared seed file is not available")
    return SEED_FILE.read_text(encoding="utf-8")
