"""The Netiquette benchmark: build time against plain Pelican, rebuilds, memory, linearity, tagger.

One run measures, on synthetic content (`benchmarks.synthetic`, seeded):

1. cold full builds (no output folder, caching off, no cache folder) of the same site three ways:
   A, Netiquette (the project's settings, posts plus comment files); B, plain Pelican with the
   comments inline in the posts (default theme, no plugin); C, Pelican with pelican-comment-system
   1.4.0 reading the same comment files (default theme and a small template that draws the
   threads, `benchmarks/comment_system_conf.py`), run in a virtual environment of its own
   (`benchmarks.comment_system`). The build budget is A/B ≤ 1.5 and A/C ≤ 0.8; D, A with the
   search index (Pagefind) that neither B nor C has, is measured for its cost, D/A;
2. a rebuild with Pelican's content cache on, after editing one post and one of its comment files
   (the cache is warmed by a full build first), as a ratio to the full build; the same for plain
   Pelican, for context;
3. the peak memory of every build (each build runs in a fresh interpreter, `benchmarks.build_once`),
   see below;
4. the tagger's throughput with 12 and 500 topics (`netiquette.bench_tagger.measure_throughput`);
5. the time per post of the full Netiquette build at half, one, two and four times the number of
   posts: 500 to 4,000 by default, the range over which cost must grow linearly (skipped with
   ``--short``).

The tagger runs first (it is quickest, and a crash there should not waste the builds' time). Cases
alternate within every round (A B C, then the two rebuilds, then again) so drift on a noisy machine spreads
over all of them; figures are medians over the rounds, and a ratio is the median of the ratios
within each round. Each figure is printed with its target and PASS or MISS; misses never change
the exit status, which is 1 only when a step crashes.

Peak memory. A Netiquette build forks workers (``NETIQUETTE_PROCESSES``) that share the build
process's pages copy-on-write, so neither the build process's own peak nor a sum of resident sizes
is honest. While a build runs, this process sums the PSS of the build process and all its
descendants every `memory.INTERVAL_S` or so (`benchmarks.memory`; less often when sampling
would take over a tenth of a core), from outside so the build does no extra work: PSS splits a shared page between the processes mapping it, so a page shared by the
build and its workers counts once. The build process also reports its own ``VmHWM``, exact but
blind to the workers. A build's peak memory (``*_memory_mib``, the figure judged) is the larger of
the two, because each is a lower bound of the true peak, the resident pages of the whole tree each
counted once: the tree's PSS sum misses spikes between samples and gives away the share of the
interpreter's and libraries' file pages that other processes on the machine also map (about 10 MiB
here), while ``VmHWM`` misses the workers but counts those pages in full and catches every spike.
For a single-process build (plain Pelican, or a site too small for workers) ``VmHWM`` is the exact
peak and wins; with workers the tree sum wins, understated by at most that shared-file share. Both
are kept per build (``*_tree_pss_mib``, ``*_rss_mib``). Where ``/proc`` has no PSS (not Linux),
the peak is the build process's own, as the report says.

Usage: ``python -m benchmarks.run [--posts N] [--comments M] [--repeat R] [--short] [--json FILE]
[--comment-system-env DIR]``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import operator
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import comment_system, corpus, memory, synthetic

ROOT = Path(__file__).resolve().parents[1]
SHORT_POSTS, SHORT_COMMENTS, SHORT_TAGGER_MB = 20, 5, 1.0
DEFAULT_TAGGER_MB = 20.0
SWEEP_FACTORS = (0.5, 1.0, 2.0, 4.0)
MIB = "{:.0f} MiB"
TAGGER_TOPICS = (12, 500)
MEMORY_BUILDS = {
    "full_netiquette": "netiquette",
    "full_plain": "plain",
    "full_comment_system": "comment_system",
    "rebuild_netiquette": "rebuild_netiquette",
    "rebuild_plain": "rebuild_plain",
}
"""Sample key prefixes of the builds whose peak memory is reported, and their figure names."""


class StepFailed(RuntimeError):
    """A build or measurement crashed; the benchmark stops and exits with status 1."""


@dataclass(frozen=True)
class Target:
    """A figure's goal: ``value <op> bound`` passes."""

    figure: str
    label: str
    symbol: str
    bound: float

    def passes(self, value: float) -> bool:
        compare: Callable[[float, float], bool] = operator.le if self.symbol == "≤" else operator.ge
        return compare(value, self.bound)


TARGETS = (
    Target("full_build_ratio", "full build vs plain Pelican", "≤", 1.5),
    Target(
        "full_build_comment_system_ratio",
        "full build vs Pelican + pelican-comment-system",
        "≤",
        0.8,
    ),
    Target("rebuild_ratio", "rebuild after one edit vs full build", "≤", 0.3),
    Target("per_post_spread", "per-post time max/min across N", "≤", 1.2),
    Target("peak_memory_ratio", "peak memory vs plain Pelican", "≤", 1.5),
    Target("tagger_12_mb_s", "tagger throughput, 12 topics (MB/s)", "≥", 25.0),
    Target("tagger_slowdown", "tagger slowdown 12 → 500 topics", "≤", 1.5),
    Target("dev_precision", "tagging precision, labelled dev.yaml", "≥", 0.85),
    Target("dev_recall", "tagging recall, labelled dev.yaml", "≥", 0.75),
    Target("offtopic_false_share", "off-topic segments given a false topic", "≤", 0.02),
)
LABELLED = Path(__file__).resolve().parents[2] / "shared" / "labelled"
"""Real labelled segments (never trained on: dev.yaml, offtopic-dev.yaml), when present."""


@dataclass(frozen=True)
class Config:
    """What one run measures."""

    posts: int
    comments: int
    repeat: int
    short: bool
    seed: int
    tagger_megabytes: float
    workdir: Path
    sample_tree: bool = field(default_factory=memory.available)
    comment_system_env: Path | None = None
    """The pelican-comment-system case's virtual environment (None: `comment_system`'s default)."""

    @property
    def sweep(self) -> tuple[int, ...]:
        if self.short:
            return ()
        return tuple(max(1, round(self.posts * factor)) for factor in SWEEP_FACTORS)

    def sweep_repeats(self, posts: int) -> int:
        """Sizes above the main one run fewer rounds (at least one) to bound the total time."""
        return self.repeat if posts <= self.posts else max(1, self.repeat // 2)


@dataclass
class Results:
    """Raw samples per measurement, and progress reporting to stderr."""

    started: float = field(default_factory=time.perf_counter)
    samples: dict[str, list[float]] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Lines printed after the table: skipped steps, per-topic quality."""

    def add(self, key: str, value: float) -> None:
        self.samples.setdefault(key, []).append(value)

    def median(self, key: str) -> float:
        return statistics.median(self.samples[key])

    def paired_ratio(self, numerator: str, denominator: str) -> float:
        """The median of the ratios of samples taken in the same round.

        Builds of one round run back to back, so they share the machine's load at that moment; on
        a shared machine whose speed drifts, pairing them is steadier than dividing two medians.
        """
        ours, theirs = self.samples[numerator], self.samples[denominator]
        if len(ours) != len(theirs):
            return self.median(numerator) / self.median(denominator)
        return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))

    def progress(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[{elapsed:7.1f} s] {message}", file=sys.stderr, flush=True)


# Content


def prepare_content(config: Config, results: Results, posts: int, variant: str) -> Path:
    """Synthetic content for ``posts`` posts in ``variant``, written afresh."""
    root = config.workdir / "content" / f"{variant}-{posts}"
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    files = synthetic.write_site(variant, root, posts, config.comments, config.seed)
    seconds = time.perf_counter() - start
    results.progress(f"generated {variant} content, {posts} posts: {files} files, {seconds:.1f} s")
    return root


def edit_post(content: Path, variant: str, round_number: int) -> Path:
    """Edit one post (and, for Netiquette, one of its comment files); returns the post's path."""
    posts = sorted(content.glob("*.md"))
    post = posts[(len(posts) // 2 + round_number) % len(posts)]
    added = f"An added paragraph, written for edit number {round_number}."
    text = post.read_text(encoding="utf-8")
    if variant == "plain" and "\n## Comments\n" in text:
        text = text.replace("\n## Comments\n", f"\n{added}\n\n## Comments\n", 1)
    else:
        text = f"{text}\n{added}\n"
    post.write_text(text, encoding="utf-8")
    comment = content / "comments" / post.stem / "1.md"
    if variant == "netiquette" and comment.exists():
        body = comment.read_text(encoding="utf-8")
        comment.write_text(f"{body}\nEdited to add: thanks, edit {round_number}.\n", "utf-8")
    return post


# Builds


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def run_build(
    case: str,
    content: Path,
    output: Path,
    caching: bool,
    fresh: bool = True,
    sample_tree: bool = True,
    python: Path | None = None,
) -> dict[str, Any]:
    """One build in a fresh interpreter: what `benchmarks.build_once` reports, plus the tree's peak.

    Adds ``peak_tree_pss_mib`` (None unless ``sample_tree``), ``processes`` (the most alive at
    once), ``pss_interval_ms`` (the mean wait between samples), ``sampling_cpu_share`` (of one core)
    and ``peak_memory_mib``, the figure compared between cases (see the module's docstring).
    """
    cache = output.with_name(output.name + "-cache")
    if fresh:
        for folder in (output, cache):
            shutil.rmtree(folder, ignore_errors=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    result_file = output.with_name(output.name + "-result.json")
    result_file.unlink(missing_ok=True)
    command = [
        str(python or sys.executable),
        "-m",
        "benchmarks.build_once",
        *("--case", case, "--content", str(content), "--output", str(output)),
        *("--cache", str(cache), "--result", str(result_file)),
        *(["--caching"] if caching else []),
    ]
    sampler = None
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        if sample_tree:
            returncode, sampler = memory.run_sampled(command, ROOT, stdout, stderr)
        else:
            returncode = subprocess.run(
                command, cwd=ROOT, stdout=stdout, stderr=stderr, check=False
            ).returncode
        if returncode != 0 or not result_file.exists():
            output_text = [_read_back(stream) for stream in (stderr, stdout)]
            raise StepFailed(
                f"{case} build of {content} crashed (exit {returncode}):\n"
                + _tail(output_text[0] or output_text[1])
            )
    report = json.loads(result_file.read_text(encoding="utf-8"))
    sampled = sampler is not None and sampler.samples > 0
    report["peak_tree_pss_mib"] = sampler.peak_mib if sampled else None
    report["processes"] = sampler.most_processes if sampled else None
    report["pss_interval_ms"] = sampler.mean_interval_ms if sampled else None
    report["sampling_cpu_share"] = sampler.cpu_s / sampler.elapsed_s if sampled else None
    report["peak_memory_mib"] = max(report["peak_rss_mib"], report["peak_tree_pss_mib"] or 0.0)
    return report


def _read_back(stream: Any) -> str:
    stream.seek(0)
    return stream.read().decode("utf-8", errors="replace")


def record_build(results: Results, key: str, report: dict[str, Any], label: str) -> None:
    results.add(f"{key}_s", report["seconds"])
    if "cpu_s" in report:
        results.add(f"{key}_cpu_s", report["cpu_s"])
    results.add(f"{key}_memory_mib", report["peak_memory_mib"])
    results.add(f"{key}_rss_mib", report["peak_rss_mib"])
    memory_note = f"build process {report['peak_rss_mib']:.0f}"
    if report["peak_tree_pss_mib"] is not None:
        results.add(f"{key}_tree_pss_mib", report["peak_tree_pss_mib"])
        results.add(f"{key}_processes", report["processes"])
        results.add(f"{key}_pss_interval_ms", report["pss_interval_ms"])
        results.add(f"{key}_sampling_cpu_share", report["sampling_cpu_share"])
        memory_note = (
            f"tree PSS {report['peak_tree_pss_mib']:.0f}, {memory_note}, "
            f"up to {report['processes']} processes, sampled every "
            f"{report['pss_interval_ms']:.0f} ms"
        )
    results.warnings[key] = max(results.warnings.get(key, 0), report["warnings"])
    warned = f", {report['warnings']} warnings" if report["warnings"] else ""
    results.progress(
        f"{label}: {report['seconds']:.2f} s, peak {report['peak_memory_mib']:.0f} MiB "
        f"({memory_note}){warned}"
    )


FULL_BUILDS = (
    ("netiquette", "netiquette", "Netiquette"),
    ("plain", "plain", "plain Pelican"),
    ("comment_system", "netiquette", "Pelican + pelican-comment-system"),
    ("netiquette_search", "netiquette", "Netiquette with search (Pagefind)"),
)
"""The cold full builds of every round, in order: case, content variant it reads, label."""


def comment_system_python(config: Config, results: Results) -> Path:
    """The interpreter of the pelican-comment-system case, its environment made if need be."""
    try:
        return comment_system.ensure(config.comment_system_env, progress=results.progress)
    except comment_system.EnvironmentFailed as error:
        raise StepFailed(str(error)) from error


def measure_builds(config: Config, results: Results) -> None:
    """Cold full builds of the three cases and cached rebuilds of two, alternating in each round."""
    pythons = {"comment_system": comment_system_python(config, results)}
    contents = {
        case: prepare_content(config, results, config.posts, case)
        for case in ("netiquette", "plain")
    }
    builds = config.workdir / "builds"
    for case, content in contents.items():
        report = run_build(
            case, content, builds / f"rebuild-{case}", caching=True, sample_tree=config.sample_tree
        )
        record_build(results, f"warm_{case}", report, f"warm the cache, {case} (full build)")
    for round_number in range(config.repeat):
        step = f"round {round_number + 1}/{config.repeat}"
        for case, variant, label in FULL_BUILDS:
            report = run_build(
                case,
                contents[variant],
                builds / f"full-{case}",
                caching=False,
                sample_tree=config.sample_tree,
                python=pythons.get(case),
            )
            record_build(results, f"full_{case}", report, f"cold full build, {label}, {step}")
        for case, content in contents.items():
            edited = edit_post(content, case, round_number)
            report = run_build(
                case,
                content,
                builds / f"rebuild-{case}",
                caching=True,
                fresh=False,
                sample_tree=config.sample_tree,
            )
            record_build(
                results,
                f"rebuild_{case}",
                report,
                f"rebuild after editing {edited.name}, {case}, {step}",
            )


def measure_sweep(config: Config, results: Results) -> None:
    """Full Netiquette builds at every sweep size; the main size reuses the full-build samples."""
    sizes = [posts for posts in config.sweep if posts != config.posts]
    contents = {posts: prepare_content(config, results, posts, "netiquette") for posts in sizes}
    for round_number in range(config.repeat):
        for posts, content in contents.items():
            if round_number >= config.sweep_repeats(posts):
                continue
            output = config.workdir / "builds" / f"sweep-{posts}"
            report = run_build(
                "netiquette", content, output, caching=False, sample_tree=config.sample_tree
            )
            label = f"sweep, full build, {posts} posts, round {round_number + 1}"
            record_build(results, f"sweep_{posts}", report, label)


# Tagger


def _megabytes_per_second(report: Any) -> float:
    """The throughput from `measure_throughput`'s report (a number, or a dict holding one)."""
    if isinstance(report, int | float):
        return float(report)
    for key in ("mb_per_s", "mb_s", "megabytes_per_second", "throughput_mb_s", "throughput"):
        if key in report:
            return float(report[key])
    per_second = [key for key in report if "per_s" in key or key.endswith("_s")]
    if len(per_second) == 1:
        return float(report[per_second[0]])
    raise StepFailed(f"no throughput in the tagger's report: {sorted(report)}")


def measure_tagger(config: Config, results: Results) -> None:
    """Tagger throughput for each taxonomy size, alternating sizes within each round."""
    try:
        from netiquette.bench_tagger import THREAD_PARAGRAPHS, measure_throughput
    except ImportError as error:
        raise StepFailed(f"the tagger benchmark cannot be imported: {error}") from error
    # One timed pass per call: the rounds here alternate the sizes instead of repeating one.
    once = {"runs": 1} if "runs" in inspect.signature(measure_throughput).parameters else {}
    for round_number in range(config.repeat):
        for topics in TAGGER_TOPICS:
            try:
                report = measure_throughput(
                    taxonomy_size=topics,
                    megabytes=config.tagger_megabytes,
                    seed=config.seed,
                    **once,
                )
            except Exception as error:
                raise StepFailed(
                    f"the tagger benchmark ({topics} topics) crashed: {error!r}"
                ) from error
            value = _megabytes_per_second(report)
            results.add(f"tagger_{topics}_mb_s", value)
            results.progress(
                f"tagger, {topics} topics, {config.tagger_megabytes:g} MB, "
                f"round {round_number + 1}: {value:.1f} MB/s"
            )
        # For context, 12 topics two more ways: the phrases alone, and as a build calls the tagger.
        for key, label, how in (
            ("tagger_phrases_12_mb_s", "phrases alone", {"model": None}),
            ("tagger_threads_12_mb_s", f"{THREAD_PARAGRAPHS} paragraphs a call",
             {"batch": THREAD_PARAGRAPHS}),
        ):  # fmt: skip
            report = measure_throughput(
                taxonomy_size=12,
                megabytes=config.tagger_megabytes,
                seed=config.seed,
                **how,
                **once,
            )
            value = _megabytes_per_second(report)
            results.add(key, value)
            results.progress(f"{label}, 12 topics, round {round_number + 1}: {value:.1f} MB/s")


def measure_quality(config: Config, results: Results) -> None:
    """The shipped tagger on real labelled segments it was not trained on, scored one by one."""
    if not (LABELLED / "dev.yaml").exists():
        results.notes.append(f"quality skipped: no labelled segments at {LABELLED}")
        return
    from netiquette.tagger import default_tagger
    from netiquette.training import evaluate, read_labelled

    tagger = default_tagger()
    dev = evaluate(tagger, read_labelled([LABELLED / "dev.yaml"], tagger.taxonomy.slugs))
    precision, recall, f1 = dev.micro()
    results.add("dev_precision", precision)
    results.add("dev_recall", recall)
    results.add("dev_f1", f1)
    results.notes.append("dev.yaml per topic:\n" + dev.table())
    off = evaluate(tagger, read_labelled([LABELLED / "offtopic-dev.yaml"], tagger.taxonomy.slugs))
    results.add("offtopic_false_share", off.false_segments / off.segments)
    results.progress(
        f"quality: dev P {precision:.3f} R {recall:.3f}; off-topic "
        f"{off.false_segments}/{off.segments} segments with a false topic"
    )


# Figures


def build_figures(config: Config, results: Results) -> dict[str, float]:
    """Medians, and ratios as medians of the ratios within each round."""
    median = results.median
    figures = {
        "full_build_netiquette_s": median("full_netiquette_s"),
        "full_build_plain_s": median("full_plain_s"),
        "full_build_comment_system_s": median("full_comment_system_s"),
        "full_build_search_s": median("full_netiquette_search_s"),
        "rebuild_netiquette_s": median("rebuild_netiquette_s"),
        "rebuild_plain_s": median("rebuild_plain_s"),
        "tagger_12_mb_s": median("tagger_12_mb_s"),
        "tagger_500_mb_s": median("tagger_500_mb_s"),
        "tagger_phrases_12_mb_s": median("tagger_phrases_12_mb_s"),
        "tagger_threads_12_mb_s": median("tagger_threads_12_mb_s"),
    }
    for key in ("dev_precision", "dev_recall", "dev_f1", "offtopic_false_share"):
        if key in results.samples:
            figures[key] = median(key)
    for build, name in MEMORY_BUILDS.items():
        for measure in ("memory", "tree_pss", "rss"):
            key = f"{build}_{measure}_mib"
            if key in results.samples:
                figures[f"peak_{measure}_{name}_mib"] = median(key)
    paired = results.paired_ratio
    figures["full_build_ratio"] = paired("full_netiquette_s", "full_plain_s")
    figures["full_build_comment_system_ratio"] = paired(
        "full_netiquette_s", "full_comment_system_s"
    )
    # CPU time (the build and its workers): context for a busy machine, where wall time waits.
    for case in ("netiquette", "plain", "comment_system"):
        if f"full_{case}_cpu_s" in results.samples:
            figures[f"full_build_{case}_cpu_s"] = median(f"full_{case}_cpu_s")
    if "full_build_plain_cpu_s" in figures and "full_build_netiquette_cpu_s" in figures:
        figures["full_build_cpu_ratio"] = paired("full_netiquette_cpu_s", "full_plain_cpu_s")
    if "full_build_comment_system_cpu_s" in figures and "full_build_netiquette_cpu_s" in figures:
        figures["full_build_comment_system_cpu_ratio"] = paired(
            "full_netiquette_cpu_s", "full_comment_system_cpu_s"
        )
    figures["search_ratio"] = paired("full_netiquette_search_s", "full_netiquette_s")
    if "full_netiquette_search_memory_mib" in results.samples:
        figures["peak_memory_search_mib"] = median("full_netiquette_search_memory_mib")
    figures["rebuild_ratio"] = paired("rebuild_netiquette_s", "full_netiquette_s")
    figures["rebuild_plain_ratio"] = paired("rebuild_plain_s", "full_plain_s")
    for measure in ("memory", "tree_pss", "rss"):
        if f"peak_{measure}_plain_mib" in figures:
            figures[f"peak_{measure}_ratio"] = paired(
                f"full_netiquette_{measure}_mib", f"full_plain_{measure}_mib"
            )
        if f"peak_{measure}_comment_system_mib" in figures:
            figures[f"peak_{measure}_comment_system_ratio"] = paired(
                f"full_netiquette_{measure}_mib", f"full_comment_system_{measure}_mib"
            )
    figures["tagger_slowdown"] = paired("tagger_12_mb_s", "tagger_500_mb_s")
    figures["classifier_cost"] = paired("tagger_phrases_12_mb_s", "tagger_12_mb_s")
    per_post = per_post_ms(config, results)
    for posts, milliseconds in per_post.items():
        figures[f"per_post_ms_{posts}"] = milliseconds
    if per_post:
        figures["per_post_spread"] = max(per_post.values()) / min(per_post.values())
    return figures


def per_post_ms(config: Config, results: Results) -> dict[int, float]:
    """Median full-build time per post, in milliseconds, at every sweep size."""
    times: dict[int, float] = {}
    for posts in config.sweep:
        key = "full_netiquette_s" if posts == config.posts else f"sweep_{posts}_s"
        times[posts] = results.median(key) / posts * 1000
    return times


def checks(figures: dict[str, float]) -> list[dict[str, Any]]:
    """Every target with its figure and PASS, MISS or SKIPPED."""
    rows = []
    for target in TARGETS:
        value = figures.get(target.figure)
        verdict = "SKIPPED" if value is None else ("PASS" if target.passes(value) else "MISS")
        rows.append(
            {
                "figure": target.figure,
                "label": target.label,
                "target": f"{target.symbol} {target.bound:g}",
                "value": value,
                "result": verdict,
            }
        )
    return rows


# Report


def _row(label: str, value: str, target: str = "", verdict: str = "") -> str:
    return f"{label:<46} {value:>12}  {target:<10} {verdict}"


def _verdicts(figures: dict[str, float]) -> dict[str, tuple[str, str]]:
    return {row["figure"]: (row["target"], row["result"]) for row in checks(figures)}


def report_lines(config: Config, figures: dict[str, float], results: Results) -> list[str]:
    """The table printed at the end of a run."""
    verdict = _verdicts(figures)

    def line(label: str, key: str, fmt: str) -> str:
        target, result = verdict.get(key, ("", ""))
        return _row(label, fmt.format(figures[key]), target, result)

    comments = config.posts * config.comments
    lines = [
        f"Netiquette benchmark: {config.posts} posts x {config.comments} comments "
        f"({comments} comments), medians of {config.repeat} round(s)",
        _row("figure", "value", "target", "result"),
        _row("-" * 46, "-" * 12, "-" * 10, "------"),
        line("A cold full build, Netiquette", "full_build_netiquette_s", "{:.2f} s"),
        line("B plain Pelican (comments inline)", "full_build_plain_s", "{:.2f} s"),
        line("C Pelican + pelican-comment-system 1.4.0", "full_build_comment_system_s", "{:.2f} s"),
        line("  ratio A / B", "full_build_ratio", "{:.2f}x"),
        line("  ratio A / C", "full_build_comment_system_ratio", "{:.2f}x"),
        line("D Netiquette with search (context)", "full_build_search_s", "{:.2f} s"),
        line("  ratio D / A: the cost of the search index", "search_ratio", "{:.2f}x"),
        line("  peak memory D", "peak_memory_search_mib", MIB),
        *_cpu_lines(figures, line),
        line("rebuild after one edit, Netiquette (cached)", "rebuild_netiquette_s", "{:.2f} s"),
        line("  ratio to full build", "rebuild_ratio", "{:.2f}x"),
        line("rebuild after one edit, plain (context)", "rebuild_plain_s", "{:.2f} s"),
        line("  ratio to plain full build", "rebuild_plain_ratio", "{:.2f}x"),
    ]
    lines += _memory_lines(config, figures, results, line)
    lines += [
        line("tagger, 12 topics", "tagger_12_mb_s", "{:.1f} MB/s"),
        line("tagger, 500 topics", "tagger_500_mb_s", "{:.1f} MB/s"),
        line("  slowdown 12 -> 500 topics", "tagger_slowdown", "{:.2f}x"),
        line("phrases alone, 12 topics (context)", "tagger_phrases_12_mb_s", "{:.1f} MB/s"),
        line(
            "a thread's paragraphs a call, as a build (context)",
            "tagger_threads_12_mb_s",
            "{:.1f} MB/s",
        ),
        line("  time with the model / phrases alone", "classifier_cost", "{:.2f}x"),
    ]
    if "dev_precision" in figures:
        lines += [
            line("tagging precision, dev.yaml", "dev_precision", "{:.3f}"),
            line("tagging recall, dev.yaml", "dev_recall", "{:.3f}"),
            line("off-topic segments with a false topic", "offtopic_false_share", "{:.1%}"),
        ]
    lines += results.notes
    lines += _sweep_lines(config, figures, line)
    warned = {key: count for key, count in results.warnings.items() if count}
    if warned:
        lines.append(f"note: builds logged warnings: {warned}")
    return lines


def _cpu_lines(figures: dict[str, float], line: Callable[[str, str, str], str]) -> list[str]:
    """CPU seconds of the three cold builds (the build process and its workers), for context."""
    keys = ("full_build_netiquette_cpu_s", "full_build_plain_cpu_s")
    if not all(key in figures for key in keys):
        return []
    text = "/".join(
        f"{figures[key]:.1f}"
        for key in (*keys, "full_build_comment_system_cpu_s")
        if key in figures
    )
    lines = [_row("  CPU time A / B / C (s, build and workers)", text)]
    lines.append(line("  CPU ratio A / B (context)", "full_build_cpu_ratio", "{:.2f}x"))
    if "full_build_comment_system_cpu_ratio" in figures:
        lines.append(
            line("  CPU ratio A / C (context)", "full_build_comment_system_cpu_ratio", "{:.2f}x")
        )
    return lines


def _memory_lines(
    config: Config,
    figures: dict[str, float],
    results: Results,
    line: Callable[[str, str, str], str],
) -> list[str]:
    tree = "peak_tree_pss_plain_mib" in figures
    scope = "" if tree else " (build process only)"
    lines = []
    for name, label in (("netiquette", "Netiquette"), ("plain", "plain")):
        lines.append(
            line(f"peak memory, {label} full build{scope}", f"peak_memory_{name}_mib", MIB)
        )
        if tree:
            lines.append(line("  process tree PSS, sampled", f"peak_tree_pss_{name}_mib", MIB))
            lines.append(line("  build process alone, VmHWM", f"peak_rss_{name}_mib", MIB))
    lines.append(line("  ratio Netiquette / plain", "peak_memory_ratio", "{:.2f}x"))
    if "peak_memory_comment_system_mib" in figures:
        lines.append(
            line(
                f"peak memory, Pelican + comment system{scope}",
                "peak_memory_comment_system_mib",
                MIB,
            )
        )
    for name, label in (("netiquette", "Netiquette"), ("plain", "plain")):
        lines.append(
            line(f"peak memory, {label} rebuild{scope}", f"peak_memory_rebuild_{name}_mib", MIB)
        )
    if tree:
        full = {
            case: {
                measure: max(results.samples.get(f"full_{case}_{measure}", [0]))
                for measure in ("processes", "pss_interval_ms", "sampling_cpu_share")
            }
            for case in ("netiquette", "plain")
        }
        notes = [
            "memory: peak = max(PSS summed over the build's process tree, sampled from outside; "
            "the build process's VmHWM)",
            *(
                f"memory: full {case} build: up to {full[case]['processes']:.0f} process(es), "
                f"sampled every {full[case]['pss_interval_ms']:.0f} ms at "
                f"{full[case]['sampling_cpu_share']:.0%} of one core"
                for case in ("netiquette", "plain")
            ),
        ]
    else:
        notes = [
            "memory: no PSS in /proc here, so each peak is the build process's own "
            "(VmHWM or ru_maxrss); forked workers are not counted"
        ]
    return [*lines, *notes]


def _sweep_lines(
    config: Config, figures: dict[str, float], line: Callable[[str, str, str], str]
) -> list[str]:
    if "per_post_spread" not in figures:
        return [_row("per-post time across N", "skipped", "≤ 1.2", "SKIPPED")]
    lines = []
    for posts in config.sweep:
        rounds = config.sweep_repeats(posts)
        label = f"per-post time, {posts} posts ({rounds} round{'s' if rounds > 1 else ''})"
        lines.append(line(label, f"per_post_ms_{posts}", "{:.2f} ms"))
    lines.append(line("  max / min", "per_post_spread", "{:.2f}x"))
    return lines


def document(config: Config, figures: dict[str, float], results: Results) -> dict[str, Any]:
    """Everything measured, for ``--json``."""
    return {
        "command": shlex.join([Path(sys.executable).name, "-m", "benchmarks.run", *sys.argv[1:]]),
        "config": {
            "posts": config.posts,
            "comments": config.comments,
            "repeat": config.repeat,
            "short": config.short,
            "seed": config.seed,
            "tagger_megabytes": config.tagger_megabytes,
            "sweep": list(config.sweep),
        },
        "cases": {
            "A": "netiquette: the project's settings, posts plus comment files",
            "B": "plain: Pelican, comments inline in the posts, notmyidea theme",
            "C": "comment_system: Pelican + pelican-comment-system, the same comment files "
            "(benchmarks/comment_system_conf.py)",
            "cold": "no output folder, caching off, no cache folder",
            "comment_system_env": str(config.comment_system_env or comment_system.default_folder()),
            "comment_system_requirements": comment_system.requirements(),
        },
        "memory": {
            "peak": "max(tree_pss, rss)" if config.sample_tree else "rss",
            "tree_pss": "sum of Pss over the build process and its descendants, sampled"
            if config.sample_tree
            else None,
            "rss": "the build process's own VmHWM (ru_maxrss where there is no /proc)",
            "interval_ms": memory.INTERVAL_S * 1000 if config.sample_tree else None,
            "max_sampling_cpu_share": memory.MAX_CPU_SHARE if config.sample_tree else None,
        },
        "figures": figures,
        "checks": checks(figures),
        "skipped": [row["figure"] for row in checks(figures) if row["result"] == "SKIPPED"],
        "samples": results.samples,
        "warnings": results.warnings,
        "total_seconds": time.perf_counter() - results.started,
    }


# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--posts", type=int, help="posts (default 1000; 20 with --short)")
    parser.add_argument(
        "--comments", type=int, help="comments per post (default 20; 5 with --short)"
    )
    parser.add_argument("--repeat", type=int, help="rounds per figure (default 3; 1 with --short)")
    parser.add_argument("--short", action="store_true", help="tiny site, one round, no sweep")
    parser.add_argument("--json", type=Path, help="also write every figure and sample here")
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--workdir", type=Path, help="keep content and builds here (kept)")
    parser.add_argument(
        "--comment-system-env",
        type=Path,
        help="the pelican-comment-system case's virtual environment, made there if need be "
        f"(default {comment_system.default_folder()})",
    )
    return parser.parse_args(argv)


def make_config(args: argparse.Namespace, workdir: Path) -> Config:
    short = args.short
    posts = args.posts or (SHORT_POSTS if short else synthetic.DEFAULT_POSTS)
    comments = args.comments if args.comments is not None else None
    if comments is None:
        comments = SHORT_COMMENTS if short else synthetic.DEFAULT_COMMENTS
    return Config(
        posts=posts,
        comments=comments,
        repeat=max(1, args.repeat or (1 if short else 3)),
        short=short,
        seed=args.seed,
        tagger_megabytes=SHORT_TAGGER_MB if short else DEFAULT_TAGGER_MB,
        workdir=workdir,
        comment_system_env=args.comment_system_env,
    )


def run(config: Config, results: Results) -> dict[str, float]:
    """Every measurement into ``results``, quickest first; returns the figures."""
    results.progress(
        f"benchmark: {config.posts} posts x {config.comments} comments, {config.repeat} round(s), "
        f"work folder {config.workdir}"
    )
    measure_tagger(config, results)
    measure_quality(config, results)
    measure_builds(config, results)
    measure_sweep(config, results)
    results.progress("corpus analysis: 1, 2 and every core; memory at 1x and 10x")
    results.notes += corpus.measure(
        config.workdir, config.posts, config.comments, config.seed, config.repeat
    )
    return build_figures(config, results)


def partial_lines(results: Results) -> list[str]:
    """Medians of what was measured before a crash."""
    return [
        f"  {key}: median {statistics.median(values):.2f} of {len(values)}"
        for key, values in sorted(results.samples.items())
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="netiquette-bench-"))
    config = make_config(args, workdir.resolve())
    results = Results()
    try:
        figures = run(config, results)
    except StepFailed as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        print("\n".join(["measured before the failure:", *partial_lines(results)]), file=sys.stderr)
        return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join(report_lines(config, figures, results)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(document(config, figures, results), indent=1) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
