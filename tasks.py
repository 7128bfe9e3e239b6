"""Tasks for building, serving, publishing and testing the site (run `invoke --list`)."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
CONFIG = {
    "settings_base": str(ROOT / "pelicanconf.py"),
    "settings_publish": str(ROOT / "publishconf.py"),
    "deploy_path": str(ROOT / "output"),
    "host": "127.0.0.1",
    "port": 8000,
}


def _pelican(c, *args: str) -> None:
    cmd = [sys.executable, "-m", "pelican", *args]
    c.run(shlex.join(cmd), pty=False)


@task
def clean(c):
    """Remove the built site and the content cache."""
    for folder in (CONFIG["deploy_path"], str(ROOT / "cache")):
        if os.path.isdir(folder):
            shutil.rmtree(folder)


@task
def build(c):
    """Build the site into output/ with the development settings."""
    _pelican(c, "-s", CONFIG["settings_base"])


@task(clean)
def rebuild(c):
    """Clean, then build."""
    build(c)


@task
def regenerate(c):
    """Rebuild automatically whenever content, theme or settings change."""
    _pelican(c, "-r", "-s", CONFIG["settings_base"])


@task
def serve(c):
    """Serve output/ at http://127.0.0.1:8000 (the address pelicanconf's feeds point to)."""
    _pelican(
        c, "-l", "-s", CONFIG["settings_base"], "-b", CONFIG["host"], "-p", str(CONFIG["port"])
    )


@task
def livereload(c):
    """Rebuild on change and serve with automatic reload."""
    _pelican(
        c,
        "-l",
        "-r",
        "-s",
        CONFIG["settings_base"],
        "-b",
        CONFIG["host"],
        "-p",
        str(CONFIG["port"]),
    )


@task
def preview(c):
    """Build with the publish settings (absolute URLs), for a last look before publishing."""
    _pelican(c, "-s", CONFIG["settings_publish"])


def _publish_target() -> tuple[str, str]:
    sys.path.insert(0, str(ROOT))
    try:
        from pelican.settings import read_settings

        settings = read_settings(CONFIG["settings_publish"])
    finally:
        sys.path.remove(str(ROOT))
    return settings.get("NETIQUETTE_PUBLISH_DIR", ""), settings.get("NETIQUETTE_PUBLISH_BRANCH", "")


@task
def publish(c):
    """Build with the publish settings and deploy to NETIQUETTE_PUBLISH_DIR or _BRANCH."""
    directory, branch = _publish_target()
    if not directory and not branch:
        sys.exit(
            "publish: no deploy target. Set NETIQUETTE_PUBLISH_DIR (a folder) or "
            "NETIQUETTE_PUBLISH_BRANCH (a git branch), in publishconf.py or the environment."
        )
    preview(c)
    output = CONFIG["deploy_path"]
    if directory:
        target = Path(directory).expanduser().resolve()
        if target == Path(output).resolve():
            sys.exit("publish: NETIQUETTE_PUBLISH_DIR must not be the output folder itself.")
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(output, target)
        print(f"Published {output} to {target}")
    if branch:
        c.run(
            shlex.join(
                [sys.executable, "-m", "ghp_import", "-b", branch, "-m", "Publish site", output]
            )
        )
        print(f"Published {output} to branch {branch}")


@task(
    name="import",
    help={
        "kind": "wxr, disqus or html",
        "path": "the export file (or saved page)",
        "output": "content folder to write into (default: content)",
        "drafts": "also import drafts (wxr)",
        "create_posts": "create a post stub per Disqus thread without a matching post",
    },
)
def import_archive(c, kind, path, output="content", drafts=False, create_posts=False):
    """Import a WordPress export, a Disqus export or a saved page as native content."""
    args = [sys.executable, "-m", "netiquette", "import", kind, path, "--output", output]
    if drafts:
        args.append("--drafts")
    if create_posts:
        args.append("--create-posts")
    c.run(shlex.join(args), pty=False)


@task(help={"fast": "skip the browser tests", "k": "only tests matching this expression"})
def test(c, fast=False, k=""):
    """Run the test suite (unit tests, whole-site builds, browser tests)."""
    args = [sys.executable, "-m", "pytest", "-q", "-n", "2"]
    if fast:
        args += ["-m", "not browser"]
    if k:
        args += ["-k", k]
    c.run(shlex.join(args), pty=False)


@task(
    help={
        "short": "a tiny site, one round, no linearity sweep (what CI runs)",
        "posts": "number of posts (0: 2000, or 20 with --short)",
        "comments": "comments per post (0: 20, or 5 with --short)",
        "repeat": "rounds per figure, medians are reported (0: 3, or 1 with --short)",
        "json": "also write every figure and sample to this JSON file",
    }
)
def bench(c, short=False, posts=0, comments=0, repeat=0, json=""):
    """Benchmark full builds against plain Pelican, rebuilds, memory, linearity and the tagger."""
    args = [sys.executable, "-m", "benchmarks.run"]
    if short:
        args.append("--short")
    for option, value in (("--posts", posts), ("--comments", comments), ("--repeat", repeat)):
        if value:
            args += [option, str(value)]
    if json:
        args += ["--json", str(Path(json).resolve())]
    with c.cd(str(ROOT)):
        c.run(shlex.join(args), pty=False)
