"""The review page in a real browser: Debian's chromium driven by Playwright.

Skipped, with the reason, where ``/usr/bin/chromium`` (``apt-get install chromium``)
or the ``playwright`` package (the dev extra) is missing; Playwright never
downloads a browser here, it launches the system one.  The tests save
screenshots of the corpus page and of an article view to ``build/screenshots/``
(or ``$DEDUP_SCREENSHOTS``) for a person to look at; ``docs/review-*.png`` are
copies of them.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seed" / "article.txt"
DEV = ROOT / "fixtures" / "review" / "dev_sample.jsonl"
CHROMIUM = os.environ.get("DEDUP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("DEDUP_SCREENSHOTS") or ROOT / "build" / "screenshots")


def _missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


pytestmark = [pytest.mark.browser, pytest.mark.skipif(_missing() is not None, reason=str(_missing()))]


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed's and the dev sample's reviews, written by ``dedup clean --review``."""
    out = tmp_path_factory.mktemp("reviews")
    pages = {}
    for name, source in (("seed", SEED), ("dev", DEV)):
        page, report = out / f"{name}.html", out / f"{name}.jsonl"
        args = [str(source), "-o", str(out / f"{name}.out"), "--report", str(report), "--review", str(page)]
        assert main(["clean", *args, "--quiet"]) == 0
        pages[name] = page
    return pages


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


class Opened:
    """A review open in a page, with every console error and every request it made."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-ready='1']", timeout=20_000)

    def visible(self) -> int:
        return int(self.page.get_attribute("#count", "data-visible"))

    def article_id(self) -> str:
        return str(self.page.inner_text("#article-id"))

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_review(path: Path) -> Opened:
        pages.append(Opened(browser, path))
        return pages[-1]

    yield open_review
    for page in pages:
        page.close()


def _report(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.with_suffix(".jsonl").read_text("utf-8").splitlines()]


@pytest.mark.parametrize("name", ["seed", "dev"])
def test_loads_with_no_console_error_and_no_request(opened, reviews, name: str) -> None:
    review = opened(reviews[name])
    assert review.errors == []
    assert all(url.startswith(("file:", "data:")) for url in review.requests), review.requests
    assert review.visible() == len(_report(reviews[name]))
    assert review.page.is_visible("#corpus svg.chart")


def test_a_filter_changes_the_visible_count(opened, reviews) -> None:
    review = opened(reviews["dev"])
    everything = review.visible()
    report = _report(reviews["dev"])
    with_near = sum(any(r["kind"] == "near" for r in line["removed"]) for line in report)
    for box in review.page.query_selector_all("#kinds input"):
        if box.get_attribute("value") != "near":
            box.uncheck()
    assert review.visible() == with_near < everything
    review.page.fill("#score-max", "0.95")
    below = sum(any(r["kind"] == "near" and r["score"] <= 0.95 for r in line["removed"]) for line in report)
    assert review.visible() == below < with_near
    review.page.fill("#score-max", "10")
    for box in review.page.query_selector_all("#kinds input"):
        box.check()
    assert review.visible() == everything
    review.page.fill("#search", report[5]["id"])
    assert review.visible() == sum(report[5]["id"] in line["id"] for line in report)


def test_clicking_a_removal_shows_its_surviving_copy(opened, reviews) -> None:
    review = opened(reviews["seed"])
    (line,) = _report(reviews["seed"])
    text = SEED.read_text("utf-8")
    review.page.click("#list tbody tr")
    number = next(i for i, r in enumerate(line["removed"]) if r["kind"] == "exact")
    removal = line["removed"][number]
    review.page.click(f'del.rm[data-rm="{number}"]')
    (match,) = removal["matches"]
    copy = review.page.inner_text("#detail .side.copy .piece")
    assert text[match["start"] : match["end"]] in copy
    assert f"¶{match['paragraph']}" in copy
    review.page.click("#detail .report-link")
    assert json.loads(review.page.inner_text("#detail pre.line")) == line
    SHOTS.mkdir(parents=True, exist_ok=True)
    review.page.screenshot(path=str(SHOTS / "review-seed-article.png"))


def test_an_edited_copy_shows_the_characters_that_differ(opened, reviews) -> None:
    review = opened(reviews["dev"])
    report = _report(reviews["dev"])
    line = next(line for line in report if any(r["kind"] == "near" for r in line["removed"]))
    review.page.fill("#search", line["id"])
    review.page.click(f'#list tbody tr[data-index="{report.index(line)}"]')
    number = next(i for i, r in enumerate(line["removed"]) if r["kind"] == "near")
    review.page.click(f'button.label[data-rm="{number}"] >> nth=0')
    assert review.page.query_selector_all("#detail mark.diff")  # an edited copy differs somewhere
    SHOTS.mkdir(parents=True, exist_ok=True)
    review.page.screenshot(path=str(SHOTS / "review-article.png"))


def test_the_keyboard_moves_between_changed_articles(opened, reviews) -> None:
    review = opened(reviews["dev"])
    changed = [line["id"] for line in _report(reviews["dev"]) if line["changed"] or line["removed"]]
    review.page.keyboard.press("j")
    assert review.article_id() == changed[0]
    review.page.keyboard.press("j")
    review.page.keyboard.press("ArrowRight")
    assert review.article_id() == changed[2]
    review.page.keyboard.press("k")
    assert review.article_id() == changed[1]
    review.page.keyboard.press("Escape")
    assert review.page.is_hidden("#article") and review.page.is_visible("#list")
    assert review.errors == []


def test_screenshot_of_the_corpus_page(opened, reviews) -> None:
    review = opened(reviews["dev"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    review.page.screenshot(path=str(SHOTS / "review-corpus.png"))
    assert (SHOTS / "review-corpus.png").stat().st_size > 10_000
