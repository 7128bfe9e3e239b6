"""The record an import keeps of the files it wrote, so that a later import replaces nothing else.

``.netiquette-imports.json`` in the output folder maps each file's path (relative, with ``/``) to
the sha256 of the bytes the import wrote and to the format and file name of the archive they came
from. A file that is not listed, or whose bytes no longer match, was written or edited by someone
else, and an import leaves it alone unless told to replace it. The JSON has sorted keys and no
timestamps, so importing the same archive twice leaves it byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from netiquette.model import Problem

MANIFEST_NAME = ".netiquette-imports.json"
VERSION = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ABOUT = (
    "Files written by `netiquette import`. An import replaces only the files listed here whose "
    "sha256 still matches; keep this file with the content."
)


@dataclass(frozen=True)
class Entry:
    """What one import wrote to one file."""

    sha256: str
    format: str
    archive: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_manifest(out_dir: Path) -> tuple[dict[str, Entry], list[Problem]]:
    """The entries recorded in `out_dir`; an unreadable manifest counts as empty, and is reported.

    Reading it as empty is the safe side: every file already there is then left alone.
    """
    path = out_dir / MANIFEST_NAME
    if not path.is_file():
        return {}, []
    try:
        document = json.loads(path.read_bytes())
        files = document["files"]
        if not isinstance(files, dict):
            raise TypeError("'files' is not an object")
    except (OSError, ValueError, KeyError, TypeError) as error:
        reason = "cannot be read" if isinstance(error, OSError) else "is not a valid manifest"
        return {}, [
            Problem(
                str(path),
                f"{reason} ({error}); every file already in the folder is left alone",
            )
        ]
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    for key, value in sorted(files.items()):
        try:
            entry = Entry(str(value["sha256"]), str(value["format"]), str(value["archive"]))
        except (KeyError, TypeError):
            entry = None
        if entry is None or not _SHA256.fullmatch(entry.sha256):
            problems.append(
                Problem(str(path), f"entry {key!r} is not valid; that file is left alone")
            )
            continue
        entries[key] = entry
    return entries, problems


def dump_manifest(entries: dict[str, Entry]) -> bytes:
    """The manifest's bytes: the same entries always give the same bytes."""
    document = {
        "about": _ABOUT,
        "files": {key: asdict(entries[key]) for key in sorted(entries)},
        "version": VERSION,
    }
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def save_manifest(out_dir: Path, entries: dict[str, Entry]) -> bool:
    """Write the manifest unless its bytes would not change; True when it was written.

    It is written beside itself and then renamed, so an interrupted import never leaves half a
    manifest (which would orphan every file it listed).
    """
    path = out_dir / MANIFEST_NAME
    if not entries and not path.exists():
        return False
    data = dump_manifest(entries)
    if path.is_file() and path.read_bytes() == data:
        return False
    out_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{MANIFEST_NAME}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True
