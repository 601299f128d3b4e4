"""Matching keys: text folded for comparison only, never written to the output.

Folding: NFKC (full-width letters, digits and punctuation become half-width),
lower case, whitespace and punctuation removed, Traditional characters written
in Simplified (OpenCC's character table: a page and its Traditional edition are
copies).  Digits are kept, so two reports that differ only in their figures stay
apart.  A lone surrogate (valid in JSON, not in UTF-8) becomes U+FFFD, so that a
key can always be encoded (the segmenters need UTF-8); the text keeps it.
Every step maps one character to at most one, so a key character still points
at the character it came from.

The key of a paragraph is made with one ``str.translate`` (NFKC itself is slow
and needed only for the rare character outside the table).  Building that table
takes a fifth of a second, so it is shipped in the package (``fold_table.json``,
written by ``tools/tables.py``) and used when it was made with this machine's
Unicode and OpenCC versions; otherwise it is built on first use.  Where a key
character came from in the original text is only needed to report a match,
so ``origin`` recomputes it, character by character, on demand.  Where it is built
(``compiled_fold.pyx``, ``pip install .`` with a C compiler), the table is also an array that
folds text of the Basic Multilingual Plane one lookup per character (``compiled_folder``; same
strings, about ten times as fast; ``DEDUP_PURE=1`` turns it off).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from dedup.config import compiled_extension
from dedup.records import Key
from dedup.versions import installed_version

if TYPE_CHECKING:
    from dedup.text.compiled_fold import Folder

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
#: what a lone surrogate becomes in a key
_REPLACEMENT = "\ufffd"


def _dropped(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] == "P"


#: the blocks of Han characters that have Traditional forms
_HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@lru_cache(maxsize=1)
def _simplified() -> dict[str, str]:
    """Traditional -> Simplified, one character for one (OpenCC's ``t2s`` on each character
    alone; chains followed to their end, so folding stays idempotent)."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    table: dict[str, str] = {}
    for first, end in _HAN_BLOCKS:
        for code in range(first, end):
            ch = chr(code)
            simple = convert(ch)
            if simple != ch and len(simple) == 1:
                table[ch] = simple
    for ch, simple in table.items():
        while simple in table and table[simple] != simple:
            simple = table[simple]
        table[ch] = simple
    return table


def _fold_char(ch: str) -> str:
    """What one character becomes in a key (possibly nothing, possibly several)."""
    if "\ud800" <= ch <= "\udfff":
        return _REPLACEMENT
    out = unicodedata.normalize("NFKC", ch) if not unicodedata.is_normalized("NFKC", ch) else ch
    simplified = _simplified()
    return "".join(simplified.get(c, c).lower() for c in out if not _dropped(c))


#: the fold table shipped with the package, and the versions it was built with
SHIPPED_TABLE = Path(__file__).with_name("fold_table.json")


def fold_table_versions() -> dict[str, str]:
    """What the fold table depends on: Python's Unicode database and OpenCC."""
    return {"unicode": unicodedata.unidata_version, "opencc": installed_version("opencc")}


def shipped_fold_table() -> dict[int, str | None] | None:
    """The shipped table, or ``None`` when it is missing or made with other versions."""
    try:
        data = json.loads(SHIPPED_TABLE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if data.get("versions") != fold_table_versions():
        return None
    return {int(code): folded or None for code, folded in data["table"].items()}


@lru_cache(maxsize=1)
def _table() -> dict[int, str | None]:
    """translate table for the Basic Multilingual Plane: every character whose
    folding differs from itself (shipped, or built)."""
    shipped = shipped_fold_table()
    return shipped if shipped is not None else build_fold_table()


def build_fold_table() -> dict[int, str | None]:
    """The fold table computed character by character (what ``fold_table.json`` holds)."""
    table: dict[int, str | None] = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            table[code] = _REPLACEMENT
            continue
        ch = chr(code)
        folded = _fold_char(ch)
        if folded != ch:
            table[code] = folded or None
    return table


@lru_cache(maxsize=1)
def _translation() -> list[int | str | None]:
    """The fold table as a list indexed by code point (the character itself where
    folding leaves it alone): ``str.translate`` looks a code point up in a dict by
    raising and clearing a ``KeyError`` for every character the dict lacks (most
    of a Chinese text), in a list without one (twice as fast).  Code points past
    the list are left alone, as with the dict."""
    translation: list[int | str | None] = list(range(0x10000))
    for code, folded in _table().items():
        translation[code] = folded
    return translation


@lru_cache(maxsize=8)
def compiled_folder(ends: str = "") -> Folder | None:
    """The compiled fold (``compiled_fold.Folder``: the fold table as an array, with ``ends``
    written as ``PIECE_END``), or ``None``: not built here, or ``DEDUP_PURE=1``."""
    module = compiled_extension("dedup.text.compiled_fold")
    return None if module is None else cast("Folder", module.Folder(_translation(), ends))


def fold(text: str) -> str:
    """The folded form of ``text`` (idempotent: ``fold(fold(t)) == fold(t)``)."""
    folder = compiled_folder()
    if folder is not None:
        quick = folder.fold(text)
        if quick is not None:
            return quick
    return pure_fold(text)


def pure_fold(text: str) -> str:
    """``fold`` in Python alone (the definition the compiled fold is tested against)."""
    folded = text.translate(_translation())
    if not _ASTRAL.search(folded):
        return folded
    return "".join(_fold_char(ch) for ch in folded)


#: what ``fold_marked`` writes for the end of a piece: no character folds to it (folding drops
#: whitespace), so it marks exactly the ends given
PIECE_END = "\n"


@lru_cache(maxsize=8)
def _marking(ends: str) -> list[int | str | None]:
    """``_translation`` with each of ``ends`` written as ``PIECE_END``."""
    translation = list(_translation())
    for ch in ends:
        translation[ord(ch)] = PIECE_END
    return translation


def fold_marked(text: str, ends: str) -> str:
    """The pieces of ``text`` between characters of ``ends`` (characters of the Basic Multilingual
    Plane), each folded, joined by ``PIECE_END``: ``fold`` of each piece in one ``str.translate``
    (folding is character by character), or piece by piece where an astral character needs
    ``fold``'s slow path."""
    folder = compiled_folder(ends)
    if folder is not None:
        quick = folder.fold(text)
        if quick is not None:
            return quick
    folded = text.translate(_marking(ends))
    if not _ASTRAL.search(folded):
        return folded
    return PIECE_END.join(fold(piece) for piece in re.split(f"[{re.escape(ends)}]", text))


def normalize(text: str, offset: int = 0) -> Key:
    """Key of ``text``; ``offset`` is where ``text`` starts in its document."""
    return Key(fold(text), text, offset)


@lru_cache(maxsize=1)
def _kept() -> tuple[np.ndarray, bool]:
    """Per BMP code point: does it survive folding as exactly one character?"""
    table = _table()
    kept = np.ones(0x10000, dtype=bool)
    for code, folded in table.items():
        kept[code] = folded is not None and len(folded) == 1
    expanding = any(folded is not None and len(folded) > 1 for folded in table.values())
    return kept, expanding


def piece_starts(key: Key) -> tuple[int, ...]:
    """Where in ``key.text`` each later piece of a joined paragraph starts (``Key.breaks``): edges of
    paragraphs on the page it came from."""
    return tuple(len(fold(key.source[:at])) for at, _ in key.breaks)


@lru_cache(maxsize=1 << 14)
def pauses(key: Key) -> frozenset[int]:
    """Characters of ``key.text`` after which the source has something the key leaves out
    (punctuation, a space, the edge of a joined piece): where what is said pauses.  Remembered
    by key: verification asks again for each candidate cover of the same paragraph."""
    if not key.breaks:
        quick = _pauses_of_one(key)
        if quick is not None:
            return quick
    positions = _origin_array(key)
    if positions is not None:
        return frozenset(np.flatnonzero(np.diff(positions) != 1).tolist())
    slow = _origin_slow(key)
    return frozenset(i for i in range(len(slow) - 1) if slow[i + 1] != slow[i] + 1)


@lru_cache(maxsize=1)
def _dropped_runs() -> re.Pattern[str]:
    """Runs of the characters that folding drops (punctuation, spaces: ``None`` in the table)."""
    codes = sorted(code for code, folded in _table().items() if folded is None)
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]+")


def _pauses_of_one(key: Key) -> frozenset[int] | None:
    """``pauses`` of a key made of one piece, read off the runs of dropped characters of its
    source: the kept character before each run pauses (but the last).  ``None`` where folding is
    not one character for one (an astral character, one folded into several): ``origin`` tells."""
    source = key.source
    if _ASTRAL.search(source):
        return None
    found: list[int] = []
    dropped = 0
    last = len(key.text) - 1
    for run in _dropped_runs().finditer(source):
        before = run.start() - dropped - 1
        if 0 <= before < last:
            found.append(before)
        dropped += run.end() - run.start()
    if len(source) - dropped != len(key.text):
        return None
    return frozenset(found)


def origin(key: Key) -> tuple[int, ...]:
    """For each character of ``key.text``, the document offset of the character it came from."""
    positions = _origin_array(key)
    return tuple(positions.tolist()) if positions is not None else _origin_slow(key)


def _origin_array(key: Key) -> np.ndarray | None:
    """``origin`` as an array, where the fold table alone tells it (no astral character, none
    folded into several); else ``None``."""
    kept, _ = _kept()
    codes = np.frombuffer(key.source.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(codes) and int(codes.max()) < 0x10000:
        indices = np.flatnonzero(kept[codes])
        if len(indices) == len(key.text):
            positions = indices + key.offset
            for at, shift in key.breaks:
                positions[indices >= at] = indices[indices >= at] + key.offset + shift
            return positions
    return None


def _origin_slow(key: Key) -> tuple[int, ...]:
    positions: list[int] = []
    table = _table()
    shifts = dict(key.breaks)
    shift = 0
    for i, ch in enumerate(key.source):
        shift = shifts.get(i, shift)
        code = ord(ch)
        folded = table.get(code, ch) if code < 0x10000 else _fold_char(ch)
        if folded:
            positions.extend([key.offset + shift + i] * len(folded))
    return tuple(positions)


if sys.flags.optimize == 0:  # keep the table honest when assertions are on
    assert fold("Ａ，ｂ　１２") == "ab12"
