"""A crawler over a built site's files: every internal link and anchor must resolve."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup


def page_ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        cache[path] = {el["id"] for el in soup.find_all(id=True)}
    return cache[path]


def broken_links(output: Path, site_url: str) -> list[str]:
    """Every internal href/src in every page whose file or fragment does not exist."""
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    base = site_url.rstrip("/") + "/"
    for page in sorted(output.rglob("*.html")):
        page_url = base + page.relative_to(output).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for element in soup.find_all(["a", "link", "script", "img"]):
            target = element.get("href") or element.get("src")
            if not target:
                continue
            absolute = urljoin(page_url, target)
            if not absolute.startswith(base):
                continue
            parts = urlsplit(absolute)
            relative = unquote(parts.path[len(urlsplit(base).path) :])
            path = output / relative
            if relative == "" or relative.endswith("/"):
                path = path / "index.html"
            where = f"{page.relative_to(output)}: {target}"
            if not path.is_file():
                problems.append(f"{where} (no file {path.relative_to(output)})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and path.suffix == ".html" and fragment not in page_ids(path, ids):
                problems.append(f"{where} (no anchor #{parts.fragment})")
    return problems
