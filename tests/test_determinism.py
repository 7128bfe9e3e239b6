"""The same content builds to the same bytes, whatever the folder, time zone, locale or hash seed.

Two copies of one content tree (the demo content, the broken cases and the hostile corpus), with
different modification times, are built in two fresh interpreters that differ in ``TZ``, locale and
``PYTHONHASHSEED``, into two different folders; every file written must be identical.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_broken_input import write_broken_cases
from tests.test_hostile_content import built_once, write_hostile_content

BUILD = (
    "import sys; from pathlib import Path; from tests.conftest import build_site; "
    "build_site(Path(sys.argv[1]), Path(sys.argv[2]))"
)
ENVIRONMENTS = (
    {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONHASHSEED": "1"},
    {"TZ": "America/Adak", "LC_ALL": "POSIX", "LANG": "POSIX", "PYTHONHASHSEED": "4242"},
)
MTIMES = (978_307_200, 1_900_000_000)  # 2001-01-01 and 2030-03-17


def build_elsewhere(content: Path, output: Path, environment: dict[str, str]) -> None:
    env = {**os.environ, **environment}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(content), str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def first_difference(name: str, one: bytes, two: bytes) -> str:
    diff = difflib.unified_diff(
        one.decode("utf-8", "replace").splitlines(),
        two.decode("utf-8", "replace").splitlines(),
        f"first/{name}",
        f"second/{name}",
        lineterm="",
        n=1,
    )
    return "\n".join(list(diff)[:12])


def build_twice(root: Path) -> None:
    source = root / "source"
    shutil.copytree(ROOT / "content", source)
    write_broken_cases(source)
    write_hostile_content(source)
    for index, (environment, mtime) in enumerate(zip(ENVIRONMENTS, MTIMES, strict=True)):
        content = root / f"copy-{index}" / "content"
        shutil.copytree(source, content, copy_function=shutil.copy)
        for path in content.rglob("*"):
            os.utime(path, (mtime, mtime))
        build_elsewhere(content, root / f"site-{index}" / "output", environment)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    root = built_once(tmp_path_factory, "determinism", build_twice)
    return files(root / "site-0" / "output"), files(root / "site-1" / "output")


def test_both_builds_write_the_same_files(two_builds) -> None:
    first, second = two_builds
    assert len(first) > 50
    assert sorted(first) == sorted(second)


def test_every_file_is_identical_byte_for_byte(two_builds) -> None:
    first, second = two_builds
    different = sorted(name for name in first.keys() & second.keys() if first[name] != second[name])
    report = "\n\n".join(first_difference(n, first[n], second[n]) for n in different[:5])
    assert different == [], f"{len(different)} file(s) differ:\n{report}"
