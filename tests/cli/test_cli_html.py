"""Scraped HTML pages: the article's paragraphs extracted (trafilatura), then cleaned.

The pages are written here: a site's page frame (menu, sidebar, footer) around an
article made of real paragraphs of the seed article.
"""

from __future__ import annotations

import gzip
import json
from html import escape
from pathlib import Path

import pytest

pytest.importorskip("trafilatura", reason="the html extra (trafilatura) is not installed")

TITLE = "复工复产工作积极有序推进"


def page(title: str, paragraphs: list[str], url: str, heading: str | None = None) -> str:
    body = [f"<p>{escape(p)}</p>" for p in paragraphs]
    if heading is not None:
        body.insert(1, f"<h2>{escape(heading)}</h2>")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{escape(title)}——新华网</title>
<link rel="canonical" href="{url}">
</head><body>
<div class="nav"><a href="/">首页</a> <a href="/politics">时政</a> <a href="/world">国际</a></div>
<div class="side"><ul><li><a href="/1">热点新闻排行一</a></li>
<li><a href="/2">热点新闻排行二</a></li></ul></div>
<div class="main"><article>
<h1>{escape(title)}</h1>
{"".join(body)}
</article></div>
<div class="footer">版权所有 新华网 ICP备案号 京ICP备000000号</div>
</body></html>
"""


def paragraphs_of(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


@pytest.fixture
def site(tmp_path: Path, articles) -> Path:
    first = [p for p in articles.first.split("\n\n") if p.strip()]
    second = [p for p in articles.second.split("\n\n") if p.strip()]
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(page(TITLE, first, "http://news.example.cn/a.htm", "一、稳步推进"), "utf-8")
    (pages / "b.HTM").write_text(page("第二篇报道", second, "http://news.example.cn/b.htm"), "utf-8")
    return pages


def test_a_page_gives_its_article_paragraphs_and_headings(dedup, site: Path, articles) -> None:
    run = dedup("clean", site / "a.html", "-o", "-")
    assert run.code == 0, run.err
    paragraphs = paragraphs_of(run.text)
    first = [p for p in articles.first.split("\n\n") if p.strip()]
    assert paragraphs == [TITLE, first[0], "一、稳步推进", *first[1:]]
    assert "首页" not in run.text and "版权所有" not in run.text and "热点新闻" not in run.text


def test_pages_in_a_directory_are_cleaned_as_text(dedup, site: Path, articles, tmp_path: Path) -> None:
    run = dedup("clean", site, "-o", "out", "--report", "r.jsonl")
    assert run.code == 0, run.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "b.txt"]
    second = (tmp_path / "out" / "b.txt").read_text("utf-8")
    assert articles.shared not in second and paragraphs_of(second)[0] == "第二篇报道"
    report = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    assert [r["removed"][0]["kind"] for r in report if r["removed"]] == ["exact"]


def test_jsonl_output_carries_the_metadata_found(dedup, site: Path, articles, tmp_path: Path) -> None:
    (site / "b.HTM").write_bytes(gzip.compress((site / "b.HTM").read_bytes()))
    (site / "b.HTM").rename(site / "b.htm.gz")
    run = dedup("clean", site, "-o", "all.jsonl")
    assert run.code == 0, run.err
    rows = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text("utf-8").splitlines()]
    assert [r["url"] for r in rows] == ["http://news.example.cn/a.htm", "http://news.example.cn/b.htm"]
    assert rows[0]["title"] == TITLE and rows[0]["id"] == str(site / "a.html")
    assert articles.shared in rows[0]["text"] and articles.shared not in rows[1]["text"]


def test_input_format_html_reads_any_name_and_stdin(dedup, site: Path, articles) -> None:
    (site / "a.html").rename(site / "a.page")
    run = dedup("clean", site / "a.page", "-o", "-", "--input-format", "html")
    assert run.code == 0 and paragraphs_of(run.text)[0] == TITLE
    run = dedup("clean", "-", "-o", "-", stdin=(site / "a.page").read_bytes())
    assert run.code == 0 and paragraphs_of(run.text)[0] == TITLE


def test_pages_are_not_rewritten_in_place(dedup, site: Path) -> None:
    run = dedup("clean", site, "--in-place")
    assert run.code == 2
    assert "an HTML page is not rewritten in place" in run.err
