"""One site build in this process, timed, reporting its own peak memory as JSON.

The harness runs every build in a fresh interpreter through this module, so each build's peak
memory is its own and no import or cache survives from one build to the next. The peak reported
here (``VmHWM``) is this process's alone: it misses the workers a Netiquette build forks, which the
harness counts by sampling the whole process tree from outside (`benchmarks.memory`); it is kept
because it is exact for this process, even for a spike shorter than the harness's sampling interval.

Cases:

- ``netiquette``: the project's ``pelicanconf.py`` with the Netiquette plugin and theme, search off;
- ``netiquette_search``: the same with search (Pagefind) on, as in the demo;
- ``plain``: the same settings with no plugin, Pelican's default ``notmyidea`` theme and Pelican's
  default Jinja environment (the theme expects it);
- ``comment_system``: the plain case with pelican-comment-system 1.4.0 reading the comment files
  (`comment_system_conf.py`, the case's settings file); run by the interpreter of the case's own
  virtual environment (`benchmarks.comment_system`), where the plugin is installed.

``PATH``, ``OUTPUT_PATH`` and ``CACHE_PATH`` are always overridden; ``--caching`` turns on Pelican's
content cache (``CACHE_CONTENT`` and ``LOAD_CONTENT_CACHE``), otherwise both are off.

Usage: ``python -m benchmarks.build_once --case netiquette --content DIR --output DIR
--cache DIR --result FILE [--caching]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = ROOT / "pelicanconf.py"
COMMENT_SYSTEM_SETTINGS_FILE = ROOT / "benchmarks" / "comment_system_conf.py"
CASES = ("netiquette", "plain", "comment_system", "netiquette_search")


class _Counter(logging.Handler):
    """Counts the warnings and errors logged during the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _plain_overrides() -> dict[str, Any]:
    import pelican
    from pelican.settings import DEFAULT_CONFIG

    return {
        "THEME": str(Path(pelican.__file__).parent / "themes" / "notmyidea"),
        "PLUGINS": [],
        "PLUGIN_PATHS": [],
        "JINJA_ENVIRONMENT": dict(DEFAULT_CONFIG["JINJA_ENVIRONMENT"]),
    }


def _netiquette_overrides(search: bool = False) -> dict[str, Any]:
    """The demo's settings; search (on in the demo) only for the ``netiquette_search`` case, so
    A builds what B and C build and the index is measured apart, as D."""
    return {"THEME": str(ROOT / "theme"), "NETIQUETTE_SEARCH": search}


def build_settings(
    case: str, content: Path, output: Path, cache: Path, caching: bool, **extra: Any
) -> dict:
    """Pelican settings for ``case`` building ``content`` into ``output`` (``extra`` on top)."""
    from pelican.settings import read_settings

    settings_file = SETTINGS_FILE
    if case == "comment_system":
        settings_file, overrides = COMMENT_SYSTEM_SETTINGS_FILE, {}
    elif case == "plain":
        overrides = _plain_overrides()
    else:
        overrides = _netiquette_overrides(search=case == "netiquette_search")
    overrides.update(
        {
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            "CACHE_CONTENT": caching,
            "LOAD_CONTENT_CACHE": caching,
            **extra,
        }
    )
    return read_settings(str(settings_file), override=overrides)


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB.

    Linux's ``VmHWM`` belongs to this program's own address space; ``ru_maxrss`` can also count
    the parent's memory at the time it forked, so it is only the fallback (in bytes on macOS, KiB
    elsewhere).
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    unit = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / unit


def _cpu_seconds() -> float:
    """CPU time (user and system) of this process and of its children that have ended.

    A build's workers and its tagger's child are joined before it ends, so they count: on a busy
    machine this is steadier than the wall-clock time, which waits for other programs too.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build(
    case: str, content: Path, output: Path, cache: Path, caching: bool, **extra: Any
) -> dict[str, Any]:
    """Build once; returns seconds, peak memory and the count of warnings logged."""
    from pelican import Pelican

    counter = _Counter()
    logging.getLogger().addHandler(counter)
    cpu_before = _cpu_seconds()
    start = time.perf_counter()
    Pelican(build_settings(case, content, output, cache, caching, **extra)).run()
    seconds = time.perf_counter() - start
    return {
        "case": case,
        "caching": caching,
        "seconds": seconds,
        "cpu_s": _cpu_seconds() - cpu_before,
        "peak_rss_mib": peak_rss_mib(),
        "warnings": counter.count,
    }


def _quiet(level: str) -> None:
    logging.basicConfig(level=getattr(logging, level), format="%(levelname)s %(name)s: %(message)s")
    for name in ("pelican", "netiquette", "markdown", "MARKDOWN", "pelican_comment_system"):
        logging.getLogger(name).setLevel(getattr(logging, level))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES, required=True)
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--caching", action="store_true")
    parser.add_argument("--log-level", default="WARNING", choices=("WARNING", "ERROR"))
    args = parser.parse_args(argv)
    _quiet(args.log_level)
    result = build(args.case, args.content, args.output, args.cache, args.caching)
    args.result.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
