"""The benchmark: synthetic content is deterministic, the memory sampler sees a whole process
tree, and the short run reports every figure.

The figures' values depend on the machine and are not checked here; only that each is measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import memory, run, synthetic  # noqa: E402

needs_pss = pytest.mark.skipif(not memory.available(), reason="no PSS in /proc (not Linux)")

FIGURES = (
    "full_build_netiquette_s",
    "full_build_plain_s",
    "full_build_ratio",
    "full_build_comment_system_s",
    "full_build_comment_system_ratio",
    "peak_memory_comment_system_mib",
    "full_build_netiquette_cpu_s",
    "full_build_cpu_ratio",
    "full_build_comment_system_cpu_ratio",
    "rebuild_netiquette_s",
    "rebuild_ratio",
    "rebuild_plain_s",
    "rebuild_plain_ratio",
    "peak_memory_netiquette_mib",
    "peak_memory_plain_mib",
    "peak_memory_ratio",
    "peak_memory_rebuild_netiquette_mib",
    "peak_memory_rebuild_plain_mib",
    "peak_rss_netiquette_mib",
    "peak_rss_plain_mib",
    "peak_rss_ratio",
    "peak_rss_rebuild_netiquette_mib",
    "peak_rss_rebuild_plain_mib",
    "tagger_12_mb_s",
    "tagger_500_mb_s",
    "tagger_slowdown",
)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_writes_the_same_bytes(tmp_path):
    for name in ("a", "b"):
        synthetic.write_site("netiquette", tmp_path / name, posts=5, comments=6, seed=3)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_a_smaller_site_is_the_start_of_a_larger_one():
    small = list(synthetic.generate(posts=3, comments=4, seed=1))
    large = list(synthetic.generate(posts=6, comments=4, seed=1))
    assert small == large[:3]


def test_both_variants_carry_the_same_posts_and_comments(tmp_path):
    posts = list(synthetic.generate(posts=4, comments=8, seed=2))
    synthetic.write_netiquette(posts, tmp_path / "netiquette")
    synthetic.write_plain(posts, tmp_path / "plain")
    for post in posts:
        plain = (tmp_path / "plain" / f"{post.slug}.md").read_text(encoding="utf-8")
        assert plain.startswith(synthetic.post_markdown(post))
        assert "\n## Comments\n" in plain
        folder = tmp_path / "netiquette" / "comments" / post.slug
        assert len(list(folder.glob("*.md"))) == len(post.comments) == 8
        for comment in post.comments:
            assert comment.body.split("\n")[0] in plain


def test_replies_are_about_a_third_and_point_to_earlier_comments_of_the_same_post():
    posts = list(synthetic.generate(posts=60, comments=20, seed=0))
    comments = [c for post in posts for c in post.comments]
    share = sum(c.reply_to is not None for c in comments) / len(comments)
    assert 0.2 < share < 0.4
    assert max(c.depth for c in comments) == synthetic.MAX_REPLY_DEPTH - 1
    for post in posts:
        seen: set[str] = set()
        for comment in post.comments:
            assert comment.reply_to is None or comment.reply_to in seen
            seen.add(comment.id)


def test_lengths_are_in_the_documented_ranges():
    posts = list(synthetic.generate(posts=30, comments=10, seed=0))
    for post in posts:
        words = sum(len(paragraph.split()) for paragraph in post.paragraphs)
        assert 380 <= words <= 960
        assert len(post.paragraphs) >= synthetic.POST_PARAGRAPHS[0]
        for comment in post.comments:
            assert 15 <= len(comment.body.split()) <= 170


# A child that forks a grandchild holding 50 MiB for a while; the child prints its own peak.
FORKING_CHILD = textwrap.dedent(
    """
    import os, time
    pid = os.fork()
    if pid == 0:
        block = b"x" * (50 << 20)
        time.sleep(0.5)
        os._exit(0)
    os.waitpid(pid, 0)
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    print(pid, int(status.split()[0]) / 1024)
    """
)


@needs_pss
@pytest.mark.parametrize("listing", ["children files", "parents in stat"])
def test_the_sampled_peak_includes_a_forked_grandchilds_memory(tmp_path, monkeypatch, listing):
    if listing == "parents in stat":
        monkeypatch.setattr(memory, "_children_from_tasks", lambda pid: None)
    with (tmp_path / "out").open("w+b") as out:
        returncode, sampler = memory.run_sampled([sys.executable, "-c", FORKING_CHILD], stdout=out)
        out.seek(0)
        grandchild, child_peak_mib = out.read().split()
    assert returncode == 0
    assert int(grandchild) in sampler.pids_seen
    assert sampler.most_processes == 2
    assert sampler.samples >= 5
    assert sampler.cpu_s <= sampler.elapsed_s * memory.MAX_CPU_SHARE * 2
    assert float(child_peak_mib) < 40
    # The grandchild's 50 MiB are its own; the rest is shared with every Python running (PSS).
    assert sampler.peak_mib > 50


@needs_pss
def test_pages_shared_after_a_fork_count_once():
    forked_copy = textwrap.dedent(
        """
        import os, time
        block = b"x" * (60 << 20)
        pid = os.fork()
        time.sleep(0.5)
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        """
    )
    returncode, sampler = memory.run_sampled([sys.executable, "-c", forked_copy])
    assert returncode == 0
    assert sampler.most_processes == 2
    assert 60 < sampler.peak_mib < 60 + 40


def _short_run(tmp_path: Path) -> tuple[dict, str]:
    """``python -m benchmarks.run --short --json FILE``: the JSON document and the printed table."""
    report = tmp_path / "bench.json"
    process = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--short", "--json", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-4000:]
    return json.loads(report.read_text(encoding="utf-8")), process.stdout


# One test for the whole short run, so parallel workers never run the benchmark twice.
def test_short_run_reports_every_figure_and_judges_every_target(tmp_path):
    document, table = _short_run(tmp_path)
    figures = document["figures"]
    for name in FIGURES:
        assert name in figures, name
        assert isinstance(figures[name], float | int) and figures[name] > 0, name

    verdicts = {row["figure"]: row["result"] for row in document["checks"]}
    assert set(verdicts) == {target.figure for target in run.TARGETS}
    assert document["skipped"] == ["per_post_spread"]
    for figure, verdict in verdicts.items():
        assert verdict in ({"SKIPPED"} if figure == "per_post_spread" else {"PASS", "MISS"})
    assert table.count("PASS") + table.count("MISS") == len(run.TARGETS) - 1

    assert document["config"]["short"] is True
    assert document["config"]["sweep"] == []
    for key in (
        "full_netiquette_s",
        "full_plain_s",
        "full_comment_system_s",
        "rebuild_netiquette_s",
        "tagger_12_mb_s",
    ):
        assert len(document["samples"][key]) == document["config"]["repeat"]

    assert "peak memory, Netiquette full build" in table
    assert "corpus analysis (" in table and "1 process(es):" in table and "comments/s" in table
    assert "for 10x the input" in table
    if not memory.available():
        assert "forked workers are not counted" in table
        return
    assert document["memory"]["peak"] == "max(tree_pss, rss)"
    assert "process tree PSS, sampled" in table
    for name in ("netiquette", "plain", "rebuild_netiquette", "rebuild_plain"):
        tree = figures[f"peak_tree_pss_{name}_mib"]
        assert isinstance(tree, float) and tree > 0, name
        peak = figures[f"peak_memory_{name}_mib"]
        assert peak >= max(tree, figures[f"peak_rss_{name}_mib"]) * 0.999, name
    for key in ("full_netiquette", "full_plain", "rebuild_netiquette", "rebuild_plain"):
        assert all(value > 0 for value in document["samples"][f"{key}_tree_pss_mib"]), key
        assert all(count >= 1 for count in document["samples"][f"{key}_processes"]), key


def test_replies_name_their_parent_as_pelican_comment_system_does_and_netiquette_reads_it(tmp_path):
    from netiquette.parsers.commentfiles import read_comment_folder

    posts = list(synthetic.generate(posts=3, comments=12, seed=4))
    synthetic.write_netiquette(posts, tmp_path)
    for post in posts:
        folder = tmp_path / "comments" / post.slug
        slugs = {path.name.replace(".", "") for path in folder.glob("*.md")}
        for comment in post.comments:
            text = (folder / f"{comment.id}.md").read_text(encoding="utf-8")
            if comment.reply_to:
                assert f"\nreplyto: {comment.reply_to}md\n" in text
                assert f"{comment.reply_to}md" in slugs
        parsed, problems = read_comment_folder(folder)
        assert problems == []
        assert {c.id: c.parent_id for c in parsed} == {c.id: c.reply_to for c in post.comments}
