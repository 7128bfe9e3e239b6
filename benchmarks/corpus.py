"""Corpus analysis on one machine: comments per second with 1, 2 and every core, and peak memory
at the benchmark site's size and at ten times it, to show the cost stays linear.

Each case runs ``netiquette analyze --json --jobs N`` on the synthetic site's content (posts with
comment files), output to a file, in rounds that alternate the cases; figures are medians.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from benchmarks import memory, synthetic


def _analyze(content: Path, jobs: int, out: Path) -> tuple[float, float]:
    """Seconds and peak MiB of one ``analyze`` run over `content`."""
    command = [sys.executable, "-m", "netiquette", "analyze", "--json", "--jobs", str(jobs)]
    with out.open("wb") as stdout, (out.with_suffix(".err")).open("wb") as stderr:
        code, sampler = memory.run_sampled([*command, str(content)], stdout=stdout, stderr=stderr)
    if code:
        raise RuntimeError(f"analyze failed ({code}): {out.with_suffix('.err').read_text()[-400:]}")
    return sampler.elapsed_s, sampler.peak_mib


def measure(workdir: Path, posts: int, comments: int, seed: int, repeat: int) -> list[str]:
    """Report lines: throughput per core count, and memory at 1× and 10× the site."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    sizes = {"1x": posts, "10x": posts * 10}
    roots = {}
    for label, count in sizes.items():
        root = workdir / f"corpus-{label}"
        if not root.exists():
            synthetic.write_site("netiquette", root, count, comments, seed)
        roots[label] = root
    counts = sorted({1, min(2, cores or 1), cores or 1})
    seconds: dict[int, list[float]] = {n: [] for n in counts}
    for _ in range(repeat):
        for jobs in counts:
            elapsed, _ = _analyze(roots["1x"], jobs, workdir / "corpus.jsonl")
            seconds[jobs].append(elapsed)
    peaks = {}
    for label, root in roots.items():
        _, peaks[label] = _analyze(root, cores or 1, workdir / "corpus.jsonl")
    total = posts * comments
    lines = [f"corpus analysis ({posts} posts x {comments} comments, netiquette analyze --json):"]
    for jobs in counts:
        median = sorted(seconds[jobs])[len(seconds[jobs]) // 2]
        lines.append(f"  {jobs} process(es): {total / median:,.0f} comments/s ({median:.1f} s)")
    lines.append(
        f"  peak memory: {peaks['1x']:.0f} MiB at {posts} posts, {peaks['10x']:.0f} MiB at "
        f"{posts * 10} posts ({peaks['10x'] / peaks['1x']:.2f}x for 10x the input)"
    )
    return lines


def main() -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netiquette-corpus-") as folder:
        print("\n".join(measure(Path(folder), args.posts, args.comments, args.seed, args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
