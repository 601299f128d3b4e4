"""Extraction: one document alone -> its paragraphs and their features.

Paragraphs (``text.segment``) -> keys (``text.normalize``) -> words
(``text.words``) -> shingles -> MinHash signatures and LSH band keys
(``signature``, ``index``), bundled per paragraph as an ``Item``, plus the
pairs of the document's own paragraphs that share a shingle.  It depends on
nothing but the document, so any number of worker processes gives the same
features; ``run.parallel`` moves them between processes.

Compiled with the typed core (``typed_core.MODULES``): in a worker, the interpreted glue between the
compiled steps (a paragraph's traits, its item, its place on the page, the caches) was half of
extraction's time once segmentation was fast.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

from dedup.config import Config
from dedup.matching.candidates import DocumentPostings
from dedup.matching.core import compiled_core
from dedup.matching.index import band_keys, band_layout
from dedup.matching.item import Item
from dedup.matching.recent import CACHED_KEYS, Recent
from dedup.matching.shingle import shingles as make_shingles
from dedup.matching.signature import sign
from dedup.records import Document, Key, Paragraph, PickledByInit, Shingles
from dedup.text.joins import BARE_NUMERAL, CLAUSE, DANGLING_WORDS, NOT_OPENING
from dedup.text.layout import Layout, first_blank, layout_of
from dedup.text.normalize import fold
from dedup.text.page import PageLine, is_bulleted, is_label, is_quotation, page_structure
from dedup.text.segment import split_paragraphs
from dedup.text.shape import ends_open
from dedup.text.words import tokenize

#: a key's shingles and LSH band keys (``None``: too short to sign)
Features = tuple[Shingles, np.ndarray | None]

#: what an item takes from its paragraph's raw text alone: key text, noise,
#: ragged, clauses, plain, dangling, bare numeral (see ``Item``); and for its
#: place on the page: quoted, bulleted, the key's hash, label (``place_on_page``)
Traits = tuple[str, int, int, int, bool, bool, bool, bool, bool, int, bool]

_NOISE = re.compile(
    r"(?<=\S)[ \u3000\t](?=\S)"  # a stray space inside the text
    r"|(?<=[^\x00-\x7f])[,;:?!()]"  # half-width punctuation amid Chinese
    r"|[\uff10-\uff5a]"  # full-width digits and letters
)


#: every character ``_NOISE`` can match: most paragraphs hold none, and finding that
#: out is one scan, where ``_NOISE`` tries its lookarounds at every position
_NOISE_CHARACTERS = re.compile(r"[ \u3000\t,;:?!()\uff10-\uff5a]")


def noise(raw: str) -> int:
    """Signs of a degraded copy: stray spaces, half-width punctuation amid
    Chinese, full-width digits and letters.  Of two equal copies the noisier
    one is removed.  Counted in C where built, else by ``pure_noise``."""
    core = compiled_core()
    if core is not None:
        return core.noise(raw)
    return pure_noise(raw)


def pure_noise(raw: str) -> int:
    """``noise`` in pure Python: the matches of ``_NOISE``, the definition."""
    if _NOISE_CHARACTERS.search(raw) is None:
        return 0
    return len(_NOISE.findall(raw))


def traits(raw: str) -> Traits:
    """What an item takes from its paragraph's raw text alone."""
    key = fold(raw)
    return (
        key,
        noise(raw),
        int(ends_open(raw)) + int(raw[0] in NOT_OPENING),
        len(CLAUSE.split(raw.rstrip("，,、：:"))),
        key == raw and not any(ch.isascii() for ch in raw),
        raw[-1] in "，,、" or raw[-1] in DANGLING_WORDS,
        bool(BARE_NUMERAL.fullmatch(raw)),
        is_quotation(raw),
        is_bulleted(raw),
        _key_hash(key),
        is_label(raw),
    )


#: a paragraph with content on its way to an item: raw text, traits, shingles
_Keyed = tuple[Paragraph, str, Traits, Shingles]
#: a document on its way to its items: layout, paragraphs, first blank line, paragraphs with content
_Page = tuple[Layout, list[Paragraph], int | None, list[_Keyed]]


def key_shingles(key: str, config: Config) -> Shingles:
    """The shingles of a key: its words (``config.segmenter``) in runs of ``config.shingle_size``."""
    return make_shingles(tokenize(key, config.segmenter), config.shingle_size)


@dataclass(frozen=True, slots=True)
class Extracted(PickledByInit):
    """What extraction computes for one document: its paragraphs and their features.  Pickled as a
    call of itself (``records.PickledByInit``): compiled, the default way could not load a frozen
    record (Spark's parts carry them)."""

    #: the document's position in the input
    index: int
    document: Document
    #: how its lines make paragraphs (``text.layout``)
    layout: Layout
    paragraphs: list[Paragraph]
    #: one per paragraph with content, in order
    items: list[Item]
    #: paragraph index -> indices of the paragraphs of the same document sharing a shingle
    local: dict[int, list[int]]

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why)
    def __init__(
        self,
        index: int,
        document: Document,
        layout: Layout,
        paragraphs: list[Paragraph],
        items: list[Item],
        local: dict[int, list[int]],
    ) -> None:
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "document", document)
        object.__setattr__(self, "layout", layout)
        object.__setattr__(self, "paragraphs", paragraphs)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "local", local)


class Extractor:
    """Per-process state of extraction: caches of shingles and signatures by
    key, so exact copies (boilerplate, syndicated text: most paragraphs of a
    scraped corpus) are segmented and signed once.

    ``known_shingles`` gives the shingles of a key already known elsewhere (the
    pre-commit index holds those of every indexed paragraph), or ``None``; they
    are taken as they are, and what it does not know is computed.  Without
    ``sign``, no paragraph is signed (``dedup.clean_text``: nothing to look up).
    """

    def __init__(
        self,
        config: Config,
        known_shingles: Callable[[str], Shingles | None] | None = None,
        sign: bool = True,
    ) -> None:
        self.config = config
        self._known = known_shingles
        # signatures only find candidates in other documents: one document alone needs none
        self._sign = sign and config.scope == "corpus"
        self._shingles: Recent[str, Shingles] = Recent(CACHED_KEYS)
        # (not ``_signed``: mypyc names its field ``__signed``, a keyword of GCC's C)
        self._signed_keys: Recent[str, tuple[np.ndarray, np.ndarray]] = Recent(CACHED_KEYS)
        # most paragraphs of a scraped corpus are exact copies: what depends on
        # the raw text alone is computed once per text
        self._traits: Recent[str, Traits] = Recent(CACHED_KEYS)
        self.bands, self.rows = band_layout(config.lsh_threshold, config.num_perm)

    def shingles(self, key: str) -> Shingles:
        if self._known is not None:
            known = self._known(key)
            if known is not None:
                return known
        cached = self._shingles.get(key)
        if cached is None:
            cached = key_shingles(key, self.config)
            self._shingles.remember(key, cached)
        return cached

    def _signatures(self, wanted: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Signature and band keys of each key (given its distinct shingles):
        remembered, or signed together in one bulk call."""
        found = {key: self._signed_keys[key] for key in wanted if key in self._signed_keys}
        fresh = [key for key in wanted if key not in found]
        if fresh:
            signatures = sign([wanted[key] for key in fresh], self.config)
            rows = band_keys(signatures, self.bands, self.rows)
            for key, signature, row in zip(fresh, signatures, rows, strict=True):
                found[key] = (signature, row)
                self._signed_keys.remember(key, found[key])
        return found

    def _signable(self, key: str, shingled: Shingles) -> bool:
        return self._sign and len(key) >= self.config.min_chars and len(shingled.distinct) > 0

    def band_keys_of(self, key: str, shingled: Shingles) -> np.ndarray | None:
        """The band keys of a paragraph whose shingles are already known (one a join
        made), or ``None`` when it is too short to sign."""
        if not self._signable(key, shingled):
            return None
        return self._signatures({key: shingled.distinct})[key][1]

    def features(self, key: str) -> Features:
        """Shingles and band keys of one key (what a worker did not send again)."""
        shingled = self.shingles(key)
        if not self._signable(key, shingled):
            return shingled, None
        return shingled, self._signatures({key: shingled.distinct})[key][1]

    def __call__(self, number: int, document: Document) -> Extracted:
        """The features of the document at position ``number`` of the input."""
        return self.many([(number, document)])[0]

    def many(self, numbered: Sequence[tuple[int, Document]]) -> list[Extracted]:
        """The features of several documents (each with its position in the
        input), the same as one at a time: their new keys are signed in one
        call, which costs less than one per document."""
        found = [self._keyed(number, document) for number, document in numbered]
        # the paragraphs long enough to sign are signed together, before their
        # items are made: an item is complete when made
        wanted: dict[str, np.ndarray] = {}
        for _, _, _, keyed in found:
            for _, _, traits_of, sh in keyed:
                # each key once: most of a chunk's paragraphs are copies
                if traits_of[0] not in wanted and self._signable(traits_of[0], sh):
                    wanted[traits_of[0]] = sh.distinct
        signed = self._signatures(wanted)
        return [
            self._finish(number, document, page, signed)
            for (number, document), page in zip(numbered, found, strict=True)
        ]

    def _keyed(self, number: int, document: Document) -> _Page:
        """A document's layout, its paragraphs, where its first blank line is
        (``first_blank``), and for each paragraph with content its raw text,
        traits and shingles."""
        text = document.text
        layout = self.layout(text)
        paragraphs = split_paragraphs(text, number, layout)
        # now, while ``lines_of`` still holds this text's lines (the pure path)
        blank = first_blank(text)
        known, shingled = self._traits, self._shingles
        keyed: list[_Keyed] = []
        for p in paragraphs:
            if p.content_end > p.content_start:
                raw = text[p.content_start : p.content_end]
                found = known.get(raw)
                if found is None:
                    found = traits(raw)
                    known.remember(raw, found)
                # (the cache looked at first: ``shingles`` asks ``known_shingles`` before it)
                sh = shingled.get(found[0]) if self._known is None else None
                keyed.append((p, raw, found, self.shingles(found[0]) if sh is None else sh))
        return layout, paragraphs, blank, keyed

    def _finish(
        self,
        number: int,
        document: Document,
        page: _Page,
        signed: dict[str, tuple[np.ndarray, np.ndarray]],
    ) -> Extracted:
        """The document's items, their place on the page, and its local pairs."""
        layout, paragraphs, blank, keyed = page
        items = [self._item(document.id, p, raw, found, sh, signed) for p, raw, found, sh in keyed]
        seen_body = False
        for it in items:
            it.in_title_zone = not seen_body
            seen_body = seen_body or it.paragraph.shape == "body"
        if items:
            items[0].is_title = True
        place_on_page(items, [found for _, _, found, _ in keyed], document.text, layout, blank)
        local = DocumentPostings(items).local()
        by_index = {
            it.paragraph.index: [items[q].paragraph.index for q in found]
            for it, found in zip(items, local, strict=True)
        }
        return Extracted(number, document, layout, paragraphs, items, by_index)

    @staticmethod
    def _item(
        doc_id: str,
        p: Paragraph,
        raw: str,
        found: Traits,
        sh: Shingles,
        signed: dict[str, tuple[np.ndarray, np.ndarray]],
    ) -> Item:
        key, noise, ragged, clauses, plain, dangling, bare = found[:7]
        signature, bands = signed.get(key, (None, None))
        # positional: keywords cost more than the rest of making an item
        return Item(
            doc_id,
            p,
            Key(key, raw, p.content_start),
            sh,
            sh.distinct,
            noise,
            False,  # is_title (the caller sets it)
            False,  # in_title_zone (the caller sets it)
            ragged,
            clauses,
            plain,
            dangling,
            bare,
            False,  # in_headline (place_on_page sets it, and the rest of the page)
            False,
            False,
            False,
            (0, 0),
            signature,
            bands,
        )

    def layout(self, text: str) -> Layout:
        """The document's layout: the configured one, or the one its text shows."""
        return layout_of(text, self.config.paragraphs)


def _key_hash(key: str) -> int:
    return xxhash.xxh64_intdigest(key.encode("utf-8", "surrogatepass"))


def _paragraph_start(it: Item) -> int:
    return it.paragraph.start


def place_on_page(
    items: Sequence[Item], found: Sequence[Traits], text: str, layout: Layout, blank: int | None
) -> None:
    """Set each item's part of the page (``text.page``): headline, front matter, bullet,
    quotation, and the keys next to it (``found``: each item's traits; ``blank``: where
    ``first_blank`` is)."""
    # items are in page order: those starting before ``blank`` come first
    first_block = 0 if blank is None else bisect_left(items, blank, key=_paragraph_start)
    lines = []
    for it, traits_of in zip(items, found, strict=True):
        p = it.paragraph
        it.quoted = traits_of[7]
        line_start = text.rfind("\n", 0, p.start) + 1
        indent = text[line_start : p.start]
        previous = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : max(0, line_start - 1)]
        after_separator = line_start > 0 and (not previous or previous.isspace())
        lines.append(
            PageLine(
                p.index,
                it.key.text,
                p.shape,
                traits_of[8],
                indent,
                after_separator,
                None,
                traits_of[10],
                it.key.source,
            )
        )
    structure = page_structure(lines, first_block, separated=layout == "blank-lines")
    hashes = [traits_of[9] for traits_of in found]
    last = len(items) - 1
    for position, it in enumerate(items):
        index = it.paragraph.index
        it.in_headline = index in structure.headline
        it.front_matter = index in structure.front_matter
        it.highlight = index in structure.highlights
        it.neighbours = (
            hashes[position - 1] if position else 0,
            hashes[position + 1] if position < last else 0,
        )
