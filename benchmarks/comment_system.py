"""The virtual environment of the benchmark's Pelican + pelican-comment-system case.

pelican-comment-system 1.4.0 is what the benchmark compares Netiquette with, never something the
project needs, so it lives in a virtual environment of its own, made on first use under a cache
folder (``$NETIQUETTE_BENCH_CACHE``, else ``$XDG_CACHE_HOME/netiquette-bench``, else
``~/.cache/netiquette-bench``) and reused while its requirements stay the same. Pelican, Markdown and
every other package both environments hold are pinned to the versions of the environment running
the benchmark, so the two Pelican builds differ by the plugin alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

PLUGIN = "pelican-comment-system==1.4.0"
PILLOW = "pillow==13.0.0"
"""The plugin's one other dependency (its identicons; none are drawn with its default settings)."""
SETTINGS_FILE = Path(__file__).resolve().parent / "comment_system_conf.py"
_MARKER = "netiquette-bench-requirements.txt"
_EXCLUDED = {"netiquette", "pip", "setuptools", "wheel"}


class EnvironmentFailed(RuntimeError):
    """The case's virtual environment could not be made."""


def default_folder() -> Path:
    base = os.environ.get("NETIQUETTE_BENCH_CACHE")
    if base:
        return Path(base) / "comment-system-venv"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "netiquette-bench" / "comment-system-venv"


def requirements() -> list[str]:
    """The plugin, Pillow, and Pelican with Markdown at the running environment's versions."""
    return [
        f"pelican[markdown]=={metadata.version('pelican')}",
        f"markdown=={metadata.version('markdown')}",
        PLUGIN,
        PILLOW,
    ]


def constraints() -> list[str]:
    """Every package of the running environment at its version (pip uses those it installs)."""
    pins = {}
    for distribution in metadata.distributions():
        name = (distribution.metadata["Name"] or "").lower()
        if name and name not in _EXCLUDED:
            pins[name] = f"{name}=={distribution.version}"
    return sorted(pins.values())


def _python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure(folder: Path | None = None, progress=print) -> Path:
    """The interpreter of the case's environment, made (or remade) when its requirements changed."""
    folder = (folder or default_folder()).resolve()
    wanted = "\n".join([*requirements(), "# constraints", *constraints()]) + "\n"
    marker = folder / _MARKER
    if _python(folder).exists() and marker.exists() and marker.read_text("utf-8") == wanted:
        return _python(folder)
    progress(f"making the pelican-comment-system environment in {folder} (once)")
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    pinned = folder / "constraints.txt"
    try:
        _run([sys.executable, "-m", "venv", str(folder)])
        pinned.write_text("\n".join(constraints()) + "\n", encoding="utf-8")
        _run(
            [
                str(_python(folder)),
                *("-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
                *("--constraint", str(pinned)),
                *requirements(),
            ]
        )
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", None) or str(error)
        raise EnvironmentFailed(f"cannot make {folder}: {detail[-2000:]}") from error
    marker.write_text(wanted, encoding="utf-8")  # last: a half-made environment is made again
    return _python(folder)


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)
