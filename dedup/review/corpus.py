"""The corpus page of a review, written as HTML when the page is written: totals,
removals by kind, the charts, the most repeated paragraphs and the run's settings."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from dedup.review import charts
from dedup.review.sample import Selection
from dedup.review.stats import CorpusStats


def _n(value: int) -> str:
    return f"{value:,}"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "0 %"


def _table(caption: str, rows: list[tuple[str, str]], css: str = "totals") -> str:
    body = "".join(f"<tr><th scope=row>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table class="{css}">{title}{body}</table>'


def totals(stats: CorpusStats) -> str:
    rows = [
        ("articles", f"{_n(stats.articles)} ({_n(stats.changed)} changed)"),
        ("paragraphs", _n(stats.paragraphs)),
        ("characters in", _n(stats.chars_in)),
        (
            "characters removed",
            f"{_n(stats.chars_removed)} ({_share(stats.chars_removed, stats.chars_in)})",
        ),
        ("characters out", _n(stats.chars_out)),
        ("removals", _n(sum(stats.removals.values()))),
        ("joins", _n(stats.joins)),
        ("flags", _n(stats.flags)),
        ("near-copy articles", f"{_n(stats.near_copies)} ({_n(stats.dropped)} dropped)"),
    ]
    return _table("Totals", rows)


def by_kind(stats: CorpusStats) -> str:
    kinds = stats.kinds()
    head = "<tr><th>kind</th><th>removals</th><th>characters</th><th>share of text</th></tr>"
    rows = "".join(
        f'<tr><th scope=row><span class="tag k-{escape(k)}">{escape(k)}</span></th>'
        f"<td>{_n(stats.removals[k])}</td><td>{_n(stats.removal_chars[k])}</td>"
        f"<td>{_share(stats.removal_chars[k], stats.chars_in)}</td></tr>"
        for k in kinds
    )
    table = f'<table class="kinds"><caption>Removals by kind</caption>{head}{rows}</table>'
    bars = [
        charts.Bar(
            k, stats.removals[k], f"{_n(stats.removals[k])} · {_n(stats.removal_chars[k])} chars", f"k-{k}"
        )
        for k in kinds
    ]
    return table + charts.bar_chart("removals by kind", bars)


def repeated(stats: CorpusStats) -> str:
    top = stats.most_repeated()
    if not top:
        return '<p class="empty">No paragraph was removed as a copy of another.</p>'
    head = "<tr><th>copies removed</th><th>paragraph</th><th>surviving copy</th></tr>"
    rows = "".join(
        f"<tr><td>{_n(r.count)}</td><td class=zh>{escape(r.text)}</td>"
        f'<td><a class="goto" data-id="{escape(r.id)}" href="#">{escape(r.id)}</a> ¶{r.paragraph}</td></tr>'
        for r in top
    )
    return f'<table class="repeated">{head}{rows}</table>'


def sampling(selection: Selection) -> str:
    """What the article list holds, said plainly when it is not every article."""
    if not selection.sampled:
        return f'<p class="note" id="sampling">All {_n(selection.seen)} articles are in the article list.</p>'
    return (
        f'<p class="note sampled" id="sampling">This review shows {_n(selection.limit)} of '
        f"{_n(selection.seen)} articles in full: the {_n(selection.most_changed)} with the most text "
        f"removed and a sample of {_n(selection.sample_size)} of the others (seeded, seed "
        f"{selection.seed}: the same articles on every run). The totals and charts on this page cover "
        f"all {_n(selection.seen)}.</p>"
    )


def settings(meta: Mapping[str, Any], stats: CorpusStats) -> str:
    made_by = "".join(
        f"<li><code>{escape(stamp or '(none)')}</code>: {_n(n)} articles</li>"
        for stamp, n in stats.made_by.most_common()
    )
    rows = [(str(k), f"<code>{escape(str(v))}</code>") for k, v in meta.get("settings", {}).items()]
    rows += [
        (f"fingerprint: {k}", f"<code>{escape(str(v))}</code>")
        for k, v in meta.get("fingerprint", {}).items()
    ]
    note = f'<p class="note">{escape(meta["settings_note"])}</p>' if meta.get("settings_note") else ""
    return f"<h3>Settings</h3>{note}<p>made_by:</p><ul>{made_by}</ul>" + _table("", rows, "settings")


def corpus_page(stats: CorpusStats, selection: Selection, meta: Mapping[str, Any]) -> str:
    scores = charts.score_histograms(stats.scores, stats.kinds())
    return (
        '<section id="corpus" aria-label="corpus">'
        f"<h2>Corpus</h2>{sampling(selection)}"
        f"<div class=cols>{totals(stats)}<div>{by_kind(stats)}</div></div>"
        "<h3>Share of text removed per article</h3>"
        f"{charts.share_histogram(stats.shares)}"
        f"<h3>Scores by kind</h3><div class=multiples>{scores}</div>"
        f"<h3>Most repeated paragraphs</h3>{repeated(stats)}"
        f"{settings(meta, stats)}</section>"
    )
