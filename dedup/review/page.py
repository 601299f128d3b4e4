"""The review page: one self-contained HTML file, its style and script inline.

The page's Content-Security-Policy forbids every request (no network, no CDN:
it opens from disk anywhere); ``review.css`` and ``review.js`` beside this
module are read once and inlined.  The corpus page is written here as HTML;
the article list and the article view are drawn by the script from the data
model, only what is on screen (the list a few hundred rows at a time, one
article at a time), so a page of thousands of articles opens at once.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


@cache
def _asset(name: str) -> str:
    return files("dedup.review").joinpath(name).read_text(encoding="utf-8")


def _filters() -> str:
    return (
        '<form id="filters" class="filters" onsubmit="return false">'
        '<fieldset id="kinds"><legend>kind</legend></fieldset>'
        '<label>score from <input id="score-min" type="number" min="0" max="1" step="0.01" value="0"></label>'
        '<label>to <input id="score-max" type="number" min="0" max="10" step="0.01" value="10"></label>'
        '<label><input id="changed-only" type="checkbox"> changed only</label>'
        '<label>article id <input id="search" type="search" placeholder="search ids"></label>'
        '<output id="count" aria-live="polite"></output></form>'
    )


def _articles() -> str:
    return (
        '<section id="articles" aria-label="articles"><h2>Articles</h2>'
        '<p class="hint">Keys: <kbd>j</kbd>/<kbd>→</kbd> next changed article, <kbd>k</kbd>/<kbd>←</kbd> '
        "previous, <kbd>Esc</kbd> back to the list. Filters apply to both.</p>"
        f"{_filters()}"
        '<table id="list"><thead><tr><th>#</th><th>article</th><th>¶</th><th>removed</th>'
        "<th>characters removed</th><th>joins</th><th>flags</th></tr></thead><tbody></tbody></table>"
        '<p><button id="more" type="button" hidden>show more</button></p></section>'
        '<section id="article" aria-label="article view" hidden></section>'
    )


def document(title: str, corpus_html: str, data_json: str) -> str:
    """The whole page: ``corpus_html`` as written, ``data_json`` (see :mod:`.model`) for the script."""
    return (
        "<!doctype html>\n"
        '<html lang="zh"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{_asset('review.css')}</style></head>"
        f'<body><header><h1>{escape(title)}</h1><nav><a href="#corpus" id="nav-corpus">corpus</a> '
        '<a href="#list" id="nav-articles">articles</a></nav></header><main>'
        f"{corpus_html}{_articles()}</main>"
        f'<script type="application/json" id="review-data">{data_json}</script>'
        f"<script>{_asset('review.js')}</script></body></html>\n"
    )
