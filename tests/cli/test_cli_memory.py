"""``--memory-budget``: where a run keeps its state, never what it decides."""

from __future__ import annotations

from pathlib import Path


def test_a_budget_that_spills_at_once_gives_the_same_output_and_report(
    dedup, articles, tmp_path: Path
) -> None:
    for name, text in (
        ("a", articles.first),
        ("b", articles.second),
        ("c", articles.copy),
        ("d", articles.unique),
    ):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    runs = {}
    for budget in ("none", "0"):
        run = dedup(
            "clean",
            "a.txt",
            "b.txt",
            "c.txt",
            "d.txt",
            "-o",
            f"out-{budget}",
            "--report",
            f"r-{budget}.jsonl",
            "--memory-budget",
            budget,
        )
        assert run.code == 0, run.err
        runs[budget] = [(tmp_path / f"out-{budget}" / f"{n}.txt").read_bytes() for n in "abcd"]
        runs[budget].append((tmp_path / f"r-{budget}.jsonl").read_bytes())
    assert runs["0"] == runs["none"]
    assert runs["none"][1].decode("utf-8").count(articles.shared) == 0


def test_a_budget_that_is_not_a_size_is_a_usage_error(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first, encoding="utf-8")
    run = dedup("clean", "a.txt", "-o", "out", "--memory-budget", "lots")
    assert run.code == 2
    assert "memory_budget" in run.err
