"""A review gathered by a process of its own (``ReviewApart``): the same page as one gathered in
the run's process, errors raised where the page is written, a dead or unneeded process never a
wait forever."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from sample_articles import A, B, C, article

import dedup
from dedup.errors import DedupError
from dedup.files import result_to_json
from dedup.files.jsonl import json_line
from dedup.review import Review
from dedup.review.apart import BATCH, ReviewApart

META = {"report": "r.jsonl", "settings": {"keep": "complete"}}


def _articles(count: int) -> list[tuple[dict[str, Any], str]]:
    """Report lines and texts of ``count`` articles that repeat one another (and one text with a
    lone surrogate, as an undecodable byte of a text file reads)."""
    pieces = [A, B, C, "坏字节\udcff在这里。"]
    texts = [article(*(pieces[(n + k) % len(pieces)] for k in range(1 + n % 3))) for n in range(count)]
    results = dedup.clean([dedup.Document(f"d{n}", text) for n, text in enumerate(texts)])
    return [(result_to_json(result), result.text) for result in results]


def _page(review: Review | ReviewApart, articles: list[tuple[dict[str, Any], str]], path: Path) -> bytes:
    try:
        for number, (line, text) in enumerate(articles):
            # the report's own line where a run writes one, else the line alone
            review.add(line, text, json_line(line) if number % 2 else None)
        review.write(path)
    finally:
        review.close()
    return path.read_bytes()


@pytest.mark.parametrize("count", [0, 3, 2 * BATCH + 5])
def test_the_page_is_the_one_gathered_in_the_process_of_the_run(tmp_path: Path, count: int) -> None:
    articles = _articles(count)
    here = _page(Review("t", META, limit=40), articles, tmp_path / "here.html")
    apart = _page(ReviewApart("t", META, limit=40), articles, tmp_path / "apart.html")
    assert apart == here
    assert sorted(p.name for p in tmp_path.iterdir()) == ["apart.html", "here.html"]


def test_an_error_while_gathering_is_raised_when_the_page_is_written(tmp_path: Path) -> None:
    review = ReviewApart("t", META)
    line, text = _articles(1)[0]
    try:
        review.add({"id": "x"}, "a line without its removals")  # (as no report line is)
        for _ in range(3 * BATCH):  # more than the pipe holds: read and dropped after the error
            review.add(line, text * 20)
        with pytest.raises(KeyError, match="removed"):
            review.write(tmp_path / "r.html")
    finally:
        review.close()
    assert list(tmp_path.iterdir()) == []


def test_an_error_writing_the_page_is_raised_as_it_was_met(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    here, apart = Review("t", META), ReviewApart("t", META)
    errors = []
    for review in (here, apart):
        with pytest.raises(DedupError) as raised:
            _page(review, _articles(2), tmp_path / "file" / "r.html")
        errors.append(str(raised.value))
    assert errors[0] == errors[1] and "file/r.html" in errors[0]


def test_a_dead_review_process_is_an_error_not_a_wait(tmp_path: Path) -> None:
    review = ReviewApart("t", META)
    line, text = _articles(1)[0]
    try:
        os.kill(review._process.pid, signal.SIGKILL)
        review._process.join(10)
        with pytest.raises(DedupError, match=r"the review's process died \(exit code -9\): no page written"):
            for _ in range(50 * BATCH):
                review.add(line, text)
            review.write(tmp_path / "r.html")
    finally:
        review.close()
    assert not (tmp_path / "r.html").exists()


def test_closed_without_a_page_the_process_stops_at_once() -> None:
    review = ReviewApart("t", META)
    line, text = _articles(1)[0]
    review.add(line, text)
    started = time.monotonic()
    review.close()
    assert not review._process.is_alive() and time.monotonic() - started < 3
