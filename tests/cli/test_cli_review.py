"""``dedup clean --review``, ``dedup review``, and the terminal output that goes with them:
``--summary --width``, the scan table when piped, characters removed in the summary line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "article.txt"
DEV = Path(__file__).resolve().parents[2] / "fixtures" / "review" / "dev_sample.jsonl"


def data_of(path: Path) -> dict[str, Any]:
    html = path.read_text("utf-8")
    found = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_clean_writes_a_review_beside_its_output(dedup, tmp_path: Path) -> None:
    run = dedup("clean", SEED, "-o", "out.txt", "--report", "r.jsonl", "--review", "pages/seed.html")
    assert run.code == 0
    data = data_of(tmp_path / "pages" / "seed.html")
    report = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    assert [a["r"] for a in data["articles"]] == report
    assert data["report"] == "../r.jsonl"  # linked relative to the page
    assert (tmp_path / "out.txt").read_bytes() == (SEED.parent / "expected.txt").read_bytes()


def test_the_review_does_not_change_the_output_or_the_report(dedup, tmp_path: Path) -> None:
    dedup("clean", DEV, "-o", "plain.jsonl", "--report", "plain-r.jsonl")
    dedup("clean", DEV, "-o", "with.jsonl", "--report", "with-r.jsonl", "--review", "r.html")
    assert (tmp_path / "plain.jsonl").read_bytes() == (tmp_path / "with.jsonl").read_bytes()
    assert (tmp_path / "plain-r.jsonl").read_bytes() == (tmp_path / "with-r.jsonl").read_bytes()


def test_review_of_a_saved_report_matches_the_one_made_while_cleaning(dedup, tmp_path: Path) -> None:
    dedup("clean", DEV, "-o", "out.jsonl", "--report", "r.jsonl", "--review", "during.html")
    run = dedup("review", "r.jsonl", "--input", DEV, "-o", "after.html")
    assert run.code == 0, run.err
    assert "wrote after.html: 60 articles" in run.err
    during, after = data_of(tmp_path / "during.html"), data_of(tmp_path / "after.html")
    assert during["articles"] == after["articles"] and during["copies"] == after["copies"]
    assert "The settings below made this report" in (tmp_path / "after.html").read_text("utf-8")


@pytest.mark.parametrize("report", [True, False])
def test_the_page_is_the_same_gathered_apart_or_in_the_run(dedup, tmp_path: Path, report: bool) -> None:
    # (with workers the review is gathered by a process of its own, from the report's JSON lines)
    pages = []
    for workers in ("1", "2"):
        (tmp_path / workers).mkdir()
        extra = ["--report", f"{workers}/r.jsonl"] if report else []
        run = dedup(
            "clean",
            DEV,
            "-o",
            f"{workers}/out.jsonl",
            *extra,
            "--review",
            f"{workers}/page.html",
            "--workers",
            workers,
        )
        assert run.code == 0, run.err
        pages.append((tmp_path / workers / "page.html").read_bytes())
    assert pages[0] == pages[1]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_page_that_cannot_be_written_is_one_line_naming_it(dedup, tmp_path: Path, workers: str) -> None:
    (tmp_path / "file").write_text("not a folder")
    run = dedup("clean", DEV, "-o", "out.jsonl", "--review", "file/page.html", "--workers", workers)
    assert run.code == 123
    assert run.err.startswith("dedup: error: file/page.html: cannot write") and run.err.count("\n") == 1


def test_review_names_the_report_line_that_does_not_fit_the_input(dedup, tmp_path: Path) -> None:
    dedup("clean", DEV, "-o", "out.jsonl", "--report", "r.jsonl")
    run = dedup("review", "r.jsonl", "--input", SEED, "-o", "x.html")
    assert run.code == 123
    assert run.err.startswith("dedup: error: r.jsonl:1: the report's article")
    assert not (tmp_path / "x.html").exists()


def test_the_review_goes_to_a_file_of_its_own(dedup) -> None:
    run = dedup("clean", SEED, "-o", "out.txt", "--report", "r.jsonl", "--review", "r.jsonl")
    assert run.code == 2 and "the review and the report cannot both go to r.jsonl" in run.err
    run = dedup("clean", SEED, "-o", "out.txt", "--review", "out.txt")
    assert run.code == 2 and "cleaned articles" in run.err
    run = dedup("clean", SEED, "-o", "out.txt", "--review", "-")
    assert run.code == 2 and "--review needs a file name" in run.err


def test_review_needs_the_inputs(dedup, tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_text("")
    run = dedup("review", "r.jsonl", "-o", "x.html")
    assert run.code == 2 and "--input" in run.err


def test_review_of_a_missing_report_is_an_input_error(dedup) -> None:
    run = dedup("review", "nowhere.jsonl", "--input", SEED, "-o", "x.html")
    assert run.code == 123 and "nowhere.jsonl: cannot read" in run.err


def test_summary_line_counts_characters_removed(dedup, tmp_path: Path) -> None:
    run = dedup("clean", SEED, "-o", "out.txt")
    text = SEED.read_text("utf-8")
    line = run.err.strip().splitlines()[-1]
    found = re.search(r"; ([\d,]+) of ([\d,]+) characters removed \((\d+\.\d) %\)", line)
    assert found is not None, line
    removed = int(found.group(1).replace(",", ""))
    assert int(found.group(2).replace(",", "")) == len(text)
    assert found.group(3) == f"{100 * removed / len(text):.1f}"
    report = json.loads(dedup("scan", SEED, "--jsonl").text)
    assert removed == sum(r["end"] - r["start"] for r in report["removed"])


def test_summary_width_gives_longer_or_whole_excerpts(dedup) -> None:
    def excerpts(*options: str) -> list[str]:
        err = dedup("scan", SEED, "--summary", *options).err
        return re.findall(r"removed ¶\d+ .*“(.*)”", err)

    short, wide, whole = excerpts(), excerpts("--width", "60"), excerpts("--width", "0")
    assert all(len(e) <= 24 for e in short)
    assert max(len(e) for e in wide) == 60
    text = " ".join(SEED.read_text("utf-8").split())
    assert all(not e.endswith("…") and e in text for e in whole)
    assert max(len(e) for e in whole) > 100


def test_scan_table_does_not_wrap_when_piped(dedup, tmp_path: Path) -> None:
    long_name = "a-very-long-directory-name-for-articles-from-a-newspaper-archive"
    corpus = tmp_path / long_name
    corpus.mkdir()
    shutil.copy(SEED, corpus / "seed-article-with-a-long-file-name.txt")
    run = dedup("scan", long_name)
    assert run.code == 1
    rows = [line for line in run.text.splitlines() if "seed-article-with-a-long-file-name.txt" in line]
    assert len(rows) == 1, run.text  # one row, path whole, not folded over several lines
    assert "splice 1" in rows[0]
