"""The review page as written: self-contained, its data model intact, a saved report read back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sample_articles import A, B, C, article

import dedup
from dedup.errors import InputError
from dedup.files import result_to_json
from dedup.review import Review, saved

TEXTS = {
    "a": article(A, B),
    "b": article(C, A + "<script>alert(1)</script>"),
    "c": article(B, C, A),
}


def _review(limit: int = 2000) -> tuple[Review, list[dict[str, Any]]]:
    results = list(dedup.clean([dedup.Document(k, v) for k, v in TEXTS.items()]))
    page = Review(title="t", meta={"report": "r.jsonl", "settings": {"keep": "complete"}}, limit=limit)
    lines = [result_to_json(result) for result in results]
    for line, result in zip(lines, results, strict=True):
        page.add(line, result.text)
    return page, lines


def data_of(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_the_page_is_self_contained() -> None:
    page, _ = _review()
    html = page.html()
    page.close()
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # nothing to fetch: no external scripts, styles, images or fonts
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "@import" not in html and "url(http" not in html
    # the article text cannot close the data element early
    assert html.count("</script>") == 2
    assert "<script>alert(1)" not in html


def test_the_data_model_mirrors_the_report_and_links_surviving_copies() -> None:
    page, lines = _review()
    data = data_of(page.html())
    page.close()
    assert [a["r"] for a in data["articles"]] == lines
    assert [a["n"] for a in data["articles"]] == [1, 2, 3]
    assert [a["t"] for a in data["articles"]] == list(TEXTS.values())
    for art in data["articles"]:
        for removal, copies in zip(art["r"]["removed"], art["c"], strict=True):
            assert len(copies) == len(removal["matches"])
            for match, index in zip(removal["matches"], copies, strict=True):
                expected = TEXTS[match["id"]][match["start"] : match["end"]]
                removed = art["t"][removal["start"] : removal["end"]]
                assert (data["copies"][index] if index >= 0 else removed) == expected


def test_sampling_is_said_on_the_corpus_page() -> None:
    page, _ = _review(limit=2)
    html = page.html()
    page.close()
    assert len(data_of(html)["articles"]) == 2
    assert "This review shows 2 of 3 articles in full" in html


def test_write_is_atomic_and_complete(tmp_path: Path) -> None:
    page, _ = _review()
    page.write(tmp_path / "r.html")
    page.close()
    html = (tmp_path / "r.html").read_text("utf-8")
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_undecodable_bytes_of_a_text_survive_into_the_page(tmp_path: Path) -> None:
    text = article(A, "坏字节\udcff在这里。", A)
    removal = {"paragraph": 2, "start": text.rindex(A), "end": len(text) - 1, "kind": "exact", "score": 1.0}
    removal["matches"] = [{"id": "x", "paragraph": 0, "start": 0, "end": len(A)}]
    line = {"id": "x", "paragraphs": 3, "changed": True, "removed": [removal], "joins": [], "flags": []}
    page = Review()
    page.add(line, text)
    page.write(tmp_path / "r.html")
    page.close()
    data = data_of((tmp_path / "r.html").read_bytes().decode("utf-8"))  # valid UTF-8 throughout
    assert data["articles"][0]["t"] == text


def _report(tmp_path: Path, lines: list[dict[str, Any]]) -> str:
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return str(path)


def test_a_saved_report_pairs_with_its_input(tmp_path: Path) -> None:
    _, lines = _review()
    report = _report(tmp_path, lines)
    documents = [dedup.Document(k, v) for k, v in TEXTS.items()]
    pairs = list(saved.paired(report, saved.read_report(report), documents))
    assert [text for _, text in pairs] == list(TEXTS.values())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda docs: docs[1:], r"r\.jsonl:1: the report's article 'a' is 'b' in the input"),
        (lambda docs: docs[:2], r"r\.jsonl:3: the report has more articles than the input"),
        (lambda docs: [*docs, dedup.Document("d", "x")], "the input has more articles than the report"),
        (lambda docs: [dedup.Document("a", "short"), *docs[1:]], r"r\.jsonl:1: a removal .* lies outside"),
    ],
)
def test_a_report_and_another_input_are_refused(tmp_path: Path, change: Any, message: str) -> None:
    _, lines = _review()
    lines[0]["removed"] = lines[0]["removed"] or [{"start": 0, "end": 30, "matches": []}]
    report = _report(tmp_path, lines)
    documents = change([dedup.Document(k, v) for k, v in TEXTS.items()])
    with pytest.raises(InputError, match=message):
        list(saved.paired(report, saved.read_report(report), documents))


def test_a_line_that_is_not_a_report_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "removed": [], "joins": [], "flags": [], "paragraphs": 1}\n\n[1]\n')
    with pytest.raises(InputError, match=r"r\.jsonl:3: not a dedup report line"):
        list(saved.read_report(str(path)))
    path.write_text("{oops\n")
    with pytest.raises(InputError, match=r"r\.jsonl:1: invalid JSON"):
        list(saved.read_report(str(path)))
