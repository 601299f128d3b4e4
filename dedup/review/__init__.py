"""A self-contained HTML review of what a run removed, joined and flagged.

:class:`Review` takes a run's report lines one at a time, each with its
article's original text (``dedup clean --review`` as results come;
``dedup review`` from a saved report and its input), and writes one HTML file
that opens from disk with no network: the corpus page (totals, removals by
kind, charts, the most repeated paragraphs, the settings) and an article view
of each shown article, every removal linked to its surviving copy and its
report line.

One file per job::

    build    Review: report lines in, the page out
    apart    ReviewApart: the same review gathered by a process of its own (a run with workers)
    saved    a saved report read back and paired with its input
    stats    corpus statistics from report lines (CorpusStats)
    sample   which articles are shown in full (Selection); texts of surviving copies (TextStore)
    model    the data the page's script reads (article_model, embed)
    charts   inline SVG charts
    corpus   the corpus page's HTML
    page     the HTML document; review.css and review.js are its style and script

Like the rest of the library this never prints or exits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dedup.review.build import Review
    from dedup.review.sample import DEFAULT_LIMIT

__all__ = ["DEFAULT_LIMIT", "Review"]


def __getattr__(name: str) -> Any:
    # the page's modules load on first use, so that the command line starts fast
    if name == "Review":
        from dedup.review.build import Review

        return Review
    if name == "DEFAULT_LIMIT":
        from dedup.review.sample import DEFAULT_LIMIT

        return DEFAULT_LIMIT
    raise AttributeError(name)
