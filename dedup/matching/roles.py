"""Which paragraphs may be removed as what, and which may stand for others: the page's structure first.

A paragraph's part of the page (``text.page``) decides what redundancy can mean for it before any text
is compared:

- the headline block is never a piece of the body, and a sentence in the article's flow is never a
  copy of its own headline (the title stands for the article; a body line that echoes it is text);
- a line of the front matter (deck, pull quote, box) or a highlight (a bulleted line above the
  lead) may go as a piece of a body paragraph, whatever its shape: that is what such lines are;
- in the body flow, a line that repeats one sentence of another paragraph from its middle is an echo
  (a subheading, an emphatic line), not a truncated copy: only a piece holding the start or the end of
  its source (a cut) goes as a fragment;
- a whole-line quotation standing as a heading is a heading;
- two equal short lines of a page that each go with different text (an attribution under each of
  several quotes) are not copies of each other.
"""

from __future__ import annotations

from dedup.config import Config
from dedup.matching.item import Item
from dedup.matching.shingle import bit_span
from dedup.text.normalize import piece_starts

#: a highlight or deck line shorter than this is a label, not a sentence
MIN_PIECE_CHARS = 8
#: characters a cut may lie from its source's edge (a broken word at the cut)
CUT_SLACK = 4


def may_be_fragment(p: Item, config: Config) -> bool:
    """``p`` may be removed as a piece of other paragraphs (a fragment or a splice)."""
    if p.in_headline or (p.quoted and p.paragraph.shape == "heading"):
        return False
    if p.front_matter or p.highlight:
        return p.size >= MIN_PIECE_CHARS
    return _body_or_cut_line(p, config)


def may_cover(q: Item, config: Config) -> bool:
    """``q`` may stand for part of another paragraph: body text and cut lines may; titles,
    subheadings, bylines and the page's furniture may not."""
    if q.in_headline or q.front_matter or q.highlight:
        return False
    return _body_or_cut_line(q, config)


def may_stand_for(q: Item, p: Item, config: Config) -> bool:
    """``q`` may stand for part of ``p`` (``may_cover``), or ``q`` is furniture that ``p`` was cut
    from.  A deck repeats the body, so the body keeps its copy; but a line holding the start or the
    end of a longer line above the lead is the truncated one, whatever either is called (the page's
    structure shifts once copies are gone: a second pass would find it)."""
    if may_cover(q, config):
        return True
    if not (q.front_matter or q.highlight) or q.in_headline:
        return False
    if p.paragraph.shape != "body" or q.size <= p.size or not same_page(p, q):
        return False
    return _holds_an_edge(p, q, q.covered_by(p.distinct))


def _body_or_cut_line(p: Item, config: Config) -> bool:
    """Body text long enough to compare, or a heading-shaped line that reads as a cut sentence."""
    if p.paragraph.shape == "body":
        return p.size >= config.min_chars
    # a line that stops on a comma or a word like 为 or 的 is a cut sentence,
    # however short, even right under the title
    if p.dangling and p.size >= 6 and not p.is_title:
        return True
    return not p.in_title_zone and p.size >= 16 and p.clauses >= 2


def is_cut_from(p: Item, q: Item, back: int | None = None) -> bool:
    """``p`` holds the start or the end of ``q``: a piece cut off it, not one of its sentences
    standing on its own.  Furniture (front matter, highlights) repeats from anywhere.  ``back``:
    ``q.covered_by(p.distinct)`` where the caller has it already (verification reads it again)."""
    if p.front_matter or p.highlight:
        return True
    return _holds_an_edge(p, q, q.covered_by(p.distinct) if back is None else back)


def _holds_an_edge(p: Item, q: Item, back: int) -> bool:
    if not back:
        return False
    first, end = bit_span(back)
    if first <= CUT_SLACK or end >= q.size - CUT_SLACK:
        return True
    # a paragraph that a join made: where its pieces met was a paragraph's edge on its page
    return any(abs(first - edge) <= CUT_SLACK or abs(end - edge) <= CUT_SLACK for edge in piece_starts(q.key))


def same_page(p: Item, q: Item) -> bool:
    return p.doc_id == q.doc_id and p.paragraph.doc == q.paragraph.doc


def may_be_copy_of(p: Item, q: Item) -> bool:
    """Whether ``q`` may count as a copy that makes ``p`` redundant at all."""
    if not same_page(p, q):
        return True
    if q.in_headline and p.paragraph.shape == "body" and not (p.in_headline or p.front_matter):
        # a sentence in the article's flow is never a copy of its own headline (a title
        # printed twice is a heading-shaped line)
        return False
    return not _belongs_elsewhere(p, q)


def _belongs_elsewhere(p: Item, q: Item) -> bool:
    """Two equal short lines of one page that each go with different text (an attribution line
    under each of several quotes, a repeated caption) are not copies: each belongs to its own
    neighbour.  A line printed twice stands next to its twin, or inside a copied run."""
    if p.paragraph.shape != "heading" or q.paragraph.shape != "heading" or q.in_headline:
        # (the headline printed again is a repeat wherever it stands)
        return False
    if not 0.7 <= p.size / max(1, q.size) <= 1.43:
        return False
    if abs(p.paragraph.index - q.paragraph.index) == 1:
        return False
    before, after = p.neighbours
    return before != q.neighbours[0] and after != q.neighbours[1]
