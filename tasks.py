"""Tasks for building, serving, publishing and testing the site (run `invoke --list`)."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

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
    with c.cd(str(ROOT)):
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
    """Build, serve, and on every change rebuild and reload the browser (python-livereload)."""
    from livereload import Server

    def rebuild():
        _pelican(c, "-s", CONFIG["settings_base"], "-e", "CACHE_CONTENT=true",
                 "LOAD_CONTENT_CACHE=true")  # fmt: skip

    rebuild()
    server = Server()
    for pattern in (
        CONFIG["settings_base"],
        "content/**/*",
        "theme/**/*",
        "plugins/netiquette/**/*.py",
        "plugins/netiquette/**/*.toml",
        "plugins/pelican/plugins/netiquette/**/*",
    ):
        server.watch(str(ROOT / pattern), rebuild)
    server.serve(host=CONFIG["host"], port=CONFIG["port"], root=CONFIG["deploy_path"])


@task
def preview(c):
    """Build with the publish settings (absolute URLs), for a last look before publishing."""
    _pelican(c, "-s", CONFIG["settings_publish"])


PUBLISH_MARK = ".netiquette-publish"
"""Left in a folder `invoke publish` filled, naming the site's address: only such a folder is replaced."""
_PLACEHOLDER_HOSTS = {"", "example.org", "example.com", "example.net", "localhost", "127.0.0.1"}


def _publish_settings() -> dict:
    sys.path.insert(0, str(ROOT))
    try:
        from pelican.settings import read_settings

        return read_settings(CONFIG["settings_publish"])
    finally:
        sys.path.remove(str(ROOT))


def check_site_url(siteurl: str) -> None:
    """Refuse to publish a site whose links would point at a placeholder address."""
    host = urlsplit(siteurl or "").hostname or ""
    reserved = (
        ".example",
        ".invalid",
        ".test",
        ".localhost",
        *(f".{h}" for h in _PLACEHOLDER_HOSTS),
    )
    if host in _PLACEHOLDER_HOSTS or host.endswith(reserved):
        sys.exit(
            f"publish: the site's address is {siteurl or 'empty'!r}, a placeholder: every link and "
            "feed would point there. Set NETIQUETTE_SITEURL=https://your.site (in the environment) "
            "or PUBLISH_SITEURL in publishconf.py."
        )


def check_target(target: Path, siteurl: str, force: bool = False) -> None:
    """Publish only into an empty or missing folder, or over an earlier publish of the same site
    (one whose `PUBLISH_MARK` names `siteurl`), unless `force`."""
    if not target.exists() or force:
        return
    if not target.is_dir():
        sys.exit(f"publish: {target} is a file, not a folder; choose another target.")
    mark = target / PUBLISH_MARK
    earlier = mark.read_text(encoding="utf-8").strip() if mark.is_file() else None
    if earlier != siteurl and any(target.iterdir()):
        why = f"was published for {earlier}" if earlier else "was not filled by invoke publish"
        sys.exit(
            f"publish: {target} is not empty and {why}; it is left as it is. Empty it, set "
            "NETIQUETTE_PUBLISH_DIR to another folder, or run `invoke publish --force`."
        )


def replace_folder(output: Path, target: Path, siteurl: str, force: bool = False) -> None:
    """Put a copy of `output` at `target` (checked by `check_target`), marked as this site's."""
    check_target(target, siteurl, force)
    staging = target.with_name(f".{target.name}.publishing")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(output, staging)
    (staging / PUBLISH_MARK).write_text(siteurl + "\n", encoding="utf-8")
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    staging.rename(target)


@task(help={"force": "replace the target folder even if it holds something else"})
def publish(c, force=False):
    """Build with the publish settings and deploy to NETIQUETTE_PUBLISH_DIR or _BRANCH."""
    settings = _publish_settings()
    directory = settings.get("NETIQUETTE_PUBLISH_DIR", "")
    branch = settings.get("NETIQUETTE_PUBLISH_BRANCH", "")
    if not directory and not branch:
        sys.exit(
            "publish: no deploy target. Set NETIQUETTE_PUBLISH_DIR (a folder) or "
            "NETIQUETTE_PUBLISH_BRANCH (a git branch), in publishconf.py or the environment."
        )
    siteurl = str(settings.get("SITEURL", ""))
    check_site_url(siteurl)
    output = Path(CONFIG["deploy_path"])
    target = Path(directory).expanduser().resolve() if directory else None
    if target is not None:
        if target == output.resolve() or output.resolve().is_relative_to(target):
            sys.exit("publish: NETIQUETTE_PUBLISH_DIR must not be the output folder or hold it.")
        check_target(target, siteurl, force)
    preview(c)
    if target is not None:
        replace_folder(output, target, siteurl, force)
        print(f"Published {output} to {target}")
    if branch:
        c.run(
            shlex.join(
                [
                    sys.executable,
                    "-m",
                    "ghp_import",
                    "-b",
                    branch,
                    "-m",
                    "Publish site",
                    str(output),
                ]
            )
        )
        print(f"Published {output} to branch {branch}")


@task(
    name="import",
    help={
        "kind": "wxr, disqus or html",
        "path": "the export file (or saved page)",
        "output": "content folder to write into, relative to the project (default: content)",
        "drafts": "also import drafts (wxr)",
        "create_posts": "create a post stub per Disqus thread without a matching post",
        "force": "also replace files the import did not write, or that were edited since",
        "dry_run": "only report what would be written; write nothing",
        "quiet": "report the counts only: no progress, no list of warnings or files",
    },
)
def import_archive(
    c,
    kind,
    path,
    output="content",
    drafts=False,
    create_posts=False,
    force=False,
    dry_run=False,
    quiet=False,
):
    """Import a WordPress export, a Disqus export or a saved page as native content."""
    target = ROOT / output
    args = [sys.executable, "-m", "netiquette", "import", kind, path, "--output", str(target)]
    for flag, wanted in (
        ("--drafts", drafts),
        ("--create-posts", create_posts),
        ("--force", force),
        ("--dry-run", dry_run),
        ("--quiet", quiet),
    ):
        if wanted:
            args.append(flag)
    c.run(shlex.join(args), pty=False)


@task(
    help={
        "fast": "skip the browser tests and the install from a built wheel",
        "k": "only tests matching this expression",
    }
)
def test(c, fast=False, k=""):
    """Run the test suite (unit tests, whole-site builds, an install, browser tests)."""
    args = [sys.executable, "-m", "pytest", "-q", "-n", "2"]
    if fast:
        args += ["-m", "not browser and not install"]
    if k:
        args += ["-k", k]
    with c.cd(str(ROOT)):
        c.run(shlex.join(args), pty=False)


@task(
    help={
        "short": "a tiny site, one round, no linearity sweep (what CI runs)",
        "posts": "number of posts (0: 1000, or 20 with --short)",
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
