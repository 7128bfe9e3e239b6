"""Profile one full Netiquette build (cProfile) and list the costs in Netiquette's own code.

Generates the synthetic site, builds it once in this process under cProfile (caching off, no
worker processes; only the tagger's compilation runs in a child, unprofiled) and prints a
Markdown table of the functions in ``plugins/netiquette`` and the templates in ``theme``
with the most cumulative time, with their share of the whole profiled build. Cumulative times
nest (a caller includes its callees), so shares do not add up.

cProfile slows Python code down two to three times; read the shares, not the seconds, against the
unprofiled build times of ``invoke bench``.

Usage: ``python -m benchmarks.profile_build [--posts 2000] [--comments 20] [--top 25]
[--stats FILE]``.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import synthetic
from benchmarks.build_once import build

ROOT = Path(__file__).resolve().parents[1]
OWN_CODE = (ROOT / "plugins" / "netiquette", ROOT / "theme")


@dataclass(frozen=True)
class Row:
    """One function's line in the table."""

    where: str
    calls: int
    own_seconds: float
    cumulative_seconds: float
    share: float


def profile_build(workdir: Path, posts: int, comments: int, seed: int) -> pstats.Stats:
    """Generate the site into ``workdir`` and profile one full build of it."""
    content = workdir / "content"
    synthetic.write_site("netiquette", content, posts, comments, seed)
    logging.basicConfig(level=logging.WARNING)
    profiler = cProfile.Profile()
    # One process, so the profile holds the whole analysis (workers would take half of it).
    profiler.runcall(
        build,
        "netiquette",
        content,
        workdir / "output",
        workdir / "cache",
        False,
        NETIQUETTE_PROCESSES=1,
    )
    return pstats.Stats(profiler)


def _is_own(filename: str) -> bool:
    path = Path(filename)
    return any(path.is_relative_to(folder) for folder in OWN_CODE)


def _where(filename: str, line: int, function: str) -> str:
    return f"{Path(filename).relative_to(ROOT)}:{line} {function}"


def own_rows(stats: pstats.Stats, top: int) -> list[Row]:
    """The ``top`` functions of Netiquette's code and theme by cumulative time."""
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = [
        Row(_where(filename, line, function), calls, own, cumulative, cumulative / total)
        for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items()  # type: ignore[attr-defined]
        if _is_own(filename)
    ]
    rows.sort(key=lambda row: row.cumulative_seconds, reverse=True)
    return rows[:top]


def markdown_table(rows: Sequence[Row], total: float) -> str:
    lines = [
        f"Profiled build: {total:.1f} s in all (under cProfile).",
        "",
        "| function | calls | own s | cumulative s | share |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| `{row.where}` | {row.calls} | {row.own_seconds:.2f} | "
        f"{row.cumulative_seconds:.2f} | {row.share:.0%} |"
        for row in rows
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=synthetic.DEFAULT_POSTS)
    parser.add_argument("--comments", type=int, default=synthetic.DEFAULT_COMMENTS)
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--stats", type=Path, help="also save the raw profile here (pstats)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="netiquette-profile-"))
    try:
        stats = profile_build(workdir, args.posts, args.comments, args.seed)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.stats:
        stats.dump_stats(args.stats)
    print(markdown_table(own_rows(stats, args.top), stats.total_tt))  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
