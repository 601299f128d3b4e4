"""The corpus page's charts, drawn as inline SVG when the page is written.

Every bar carries its number as text and every colour (a CSS class per removal
kind, see ``review.css``) also has a written label, so the charts read in
grey-scale and need no script.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

_ROW = 22
_LABEL_W = 110
_BAR_W = 360


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its length, the text written after it, and its CSS class."""

    label: str
    value: float
    note: str
    css: str = "bar"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(title: str, bars: Sequence[Bar]) -> str:
    """Horizontal bars, one row each, scaled to the longest."""
    if not bars:
        return f'<p class="empty">{escape(title)}: nothing to show.</p>'
    top = max(bar.value for bar in bars) or 1.0
    body = []
    for i, bar in enumerate(bars):
        y = i * _ROW
        length = max(1.0, _BAR_W * bar.value / top) if bar.value else 0.0
        body.append(
            f'<text x="{_LABEL_W - 6}" y="{y + 15}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect class="{escape(bar.css)}" x="{_LABEL_W}" y="{y + 3}" '
            f'width="{length:.1f}" height="{_ROW - 6}"/>'
            f'<text x="{_LABEL_W + length + 6:.1f}" y="{y + 15}">{escape(bar.note)}</text>'
        )
    return _svg(_LABEL_W + _BAR_W + 200, len(bars) * _ROW + 4, title, body)


def histogram(title: str, counts: Sequence[int], labels: Sequence[str], css: str = "bar") -> str:
    """Vertical bars over ``labels`` (one per bin); each bar's count is written above it."""
    width, height, base = 26, 120, 140
    top = max(counts) if counts else 0
    body = []
    for i, (n, label) in enumerate(zip(counts, labels, strict=True)):
        x = 40 + i * width
        h = 0.0 if not top else max(1.0 if n else 0.0, height * n / top)
        body.append(
            f'<rect class="{css}" x="{x}" y="{base - h:.1f}" width="{width - 4}" height="{h:.1f}">'
            f"<title>{escape(label)}: {n:,}</title></rect>"
        )
        if n:
            body.append(
                f'<text class="small" x="{x + (width - 4) / 2}" y="{base - h - 3:.1f}" '
                f'text-anchor="middle">{n:,}</text>'
            )
        if i % 2 == 0 or len(labels) <= 12:
            body.append(
                f'<text class="small" x="{x + (width - 4) / 2}" y="{base + 14}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    body.append(f'<line class="axis" x1="36" y1="{base}" x2="{40 + len(counts) * width}" y2="{base}"/>')
    return _svg(60 + len(counts) * width, base + 22, title, body)


def share_histogram(shares: Sequence[int]) -> str:
    """Articles by the share of their text removed: none, then 5 % steps."""
    labels = ["0"] + [f"≤{5 * i}%" for i in range(1, len(shares))]
    return histogram("articles by share of text removed", shares, labels)


def score_histograms(scores: dict[str, Counter[float]], kinds: Sequence[str]) -> str:
    """One small histogram of scores per removal kind, over the same range of bins."""
    present = [k for k in kinds if scores.get(k)]
    if not present:
        return '<p class="empty">No removals, so no scores.</p>'
    low = min(min(scores[k]) for k in present)
    start = max(0.0, min(0.9, int(low * 20) / 20))  # 0.05 steps, at most 0.90
    step = (1.0 - start) / 10
    labels = [f"{start + i * step:.2f}" for i in range(10)] + ["1.00"]
    parts = []
    for kind in present:
        counts = [0] * 11
        for score, n in scores[kind].items():
            b = 10 if score >= 1.0 else max(0, min(9, int((score - start) / step + 1e-9)))
            counts[b] += n
        parts.append(
            f'<figure class="small-multiple"><figcaption>{escape(kind)} '
            f"({sum(counts):,})</figcaption>"
            f"{histogram(f'scores of {kind} removals', counts, labels, css=f'k-{kind}')}</figure>"
        )
    return "".join(parts)
