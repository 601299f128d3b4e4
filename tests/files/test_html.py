"""``dedup.files.html``: a page's article as paragraphs, with the metadata found."""

from __future__ import annotations

import pytest

pytest.importorskip("trafilatura", reason="the html extra (trafilatura) is not installed")

from dedup.files.html import extract_article

PAGE = """<html><head><title>数据发布——统计网</title>
<link rel="canonical" href="https://stats.example.cn/2024/07/15/a.html">
</head><body><div class="menu"><a href="/">首页</a> <a href="/data">数据</a></div><article><h1>数据发布</h1>
<p>国家统计局今天发布了上半年的主要经济数据，
各项指标总体平稳，稳中有进。</p>
<table><tr><td>指标</td><td>数值</td></tr><tr><td>国内生产总值</td><td>45.1万亿元</td></tr></table>
<ul><li>第一项：稳就业措施持续发力，城镇新增就业人数创历史新高。</li><li>第二项：稳外贸政策效果显现。</li></ul>
</article><div class="footer">版权所有</div></body></html>"""


def test_blocks_become_paragraphs_and_metadata_is_kept() -> None:
    text, metadata = extract_article(PAGE.encode("utf-8"))
    assert text.split("\n\n") == [
        "数据发布",
        # trafilatura reads the source's line break as a space (a space is text: it stays)
        "国家统计局今天发布了上半年的主要经济数据， 各项指标总体平稳，稳中有进。",
        "指标 数值",
        "国内生产总值 45.1万亿元",
        "第一项：稳就业措施持续发力，城镇新增就业人数创历史新高。",
        "第二项：稳外贸政策效果显现。\n",
    ]
    assert metadata["url"] == "https://stats.example.cn/2024/07/15/a.html"
    assert metadata["title"] == "数据发布"
    assert "filedate" not in metadata  # the day of extraction would make outputs change by the day


def test_a_page_without_an_article_gives_no_text() -> None:
    assert extract_article(b"<html><body></body></html>") == ("", {})
