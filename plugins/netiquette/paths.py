"""Whether a path stays inside a folder once its links are followed.

A link in the content (``comments/x/1.md -> /etc/passwd``, ``posts -> /home``) must not pull a file
from elsewhere into pages and feeds; links that stay inside the folder are fine.
"""

from __future__ import annotations

import os
from pathlib import Path


def inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    """Whether `path`, every link on the way followed, lies within `root` (resolved too)."""
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):
        return False
