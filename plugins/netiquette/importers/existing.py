"""The posts a site already has, so imported comment threads can be matched to them by link.

Only the metadata header of each Markdown file is read: its ``Slug`` (or the file name) and its
``Link``, the original address that the WordPress import records and a Disqus thread refers to.
"""

from __future__ import annotations

import re
from pathlib import Path

from netiquette.sources import read_text

_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def read_header(path: Path) -> dict[str, str]:
    """The metadata fields at the top of a Markdown file, keys lower-cased.

    The file is decoded as every other source is (`read_text`), so a post saved as UTF-16 matches
    too; decoding problems are the build's to report, not the import's.
    """
    fields: dict[str, str] = {}
    text, _ = read_text(path)
    for line in text.split("\n"):
        match = _FIELD.match(line)
        if match is None:
            break
        fields.setdefault(match.group(1).lower(), match.group(2).strip())
    return fields


def posts_by_link(content_dir: Path) -> dict[str, str]:
    """Link (or slug, for posts without one) of every post and page under `content_dir`, to its slug.

    The ``comments`` folder is skipped: its files are comments, not posts.
    """
    found: dict[str, str] = {}
    if not content_dir.is_dir():
        return found
    for path in sorted(content_dir.rglob("*.md")):
        if "comments" in path.relative_to(content_dir).parts:
            continue
        header = read_header(path)
        slug = header.get("slug") or path.stem
        found.setdefault(header.get("link") or slug, slug)
    return found
