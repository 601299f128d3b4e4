"""jieba's part-of-speech tables in a form that loads in milliseconds, for ``tagger``.

jieba's tagger (``jieba.posseg``) needs its dictionary (word frequencies and every word's prefixes,
about 580,000 keys), the words' tags and the tagging HMM; loading them the way jieba does takes one
to two CPU seconds and 100 MB per process, while the fact guard tags a few short windows per hundred
articles.  So the tables are read once from jieba itself (``jieba.dt`` and ``jieba.posseg``: exactly
what its tagger uses) and written to the user's cache directory (``$XDG_CACHE_HOME/dedup``, one
folder per jieba version and dictionary content, rebuilt when either changes):

- ``lexicon.txt``: every key of FREQ and of the tag table as sorted lines ``key TAB freq TAB tag``,
  read as bytes; a key is looked for among the lines of its first character (80 KB at most: a
  binary search over them where the compiled core is built, ``compiled_tagger.lexicon_find``) and
  remembered;
- ``tables.json``: the total, where each first character's lines are, the HMM's states, and the
  well-known names (``WELL_KNOWN``: what the fact guard looks for in a window before it tags one);
- ``*.npy`` (memory-mapped): start and transition log probabilities, and by character its emission
  log probabilities and the states it may take.

Where no cache directory is writable the tables live in memory for the process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from dedup.cache import cache_folder, content_digest
from dedup.matching.core import compiled_tagger

#: bump when the folder's layout changes
FORMAT = 4
#: what jieba's HMM gives an emission it never saw (``jieba.posseg.viterbi.MIN_FLOAT``)
MIN_FLOAT = -3.14e100
#: a lexicon field that is absent (the key is not in FREQ, or has no tag)
_MISSING = "-"
_ARRAYS = ("start", "trans", "has_trans", "emit", "allowed")
#: jieba's tags of proper nouns: person, place, organisation, other
PROPER = ("nr", "ns", "nt", "nz")
#: a name jieba's dictionary counts at least this often is well known: a misspelling the
#: dictionary happens to list (欧州, 4, for 欧洲, 9,256) is not
WELL_KNOWN = 100

Entry = tuple[int | None, str | None]


@dataclass(slots=True)
class Tables:
    """What ``jieba.posseg.cut`` reads.  States are numbered in sorted order, so that comparing
    numbers compares the (B|M|E|S, tag) tuples jieba compares."""

    total: int
    lexicon: bytes
    #: first character -> byte span of its lines in ``lexicon`` (with the newlines around them), as
    #: ``start << 32 | end`` (``span``: one int each, not a tuple for the garbage collector to track)
    index: dict[str, int]
    states: list[tuple[str, str]]
    #: start_P, and trans_P as a matrix (-inf where jieba has no transition) with its mask
    start: np.ndarray
    trans: np.ndarray
    has_trans: np.ndarray
    #: by character row: emit_P (MIN_FLOAT where absent), and char_state_tab_P as a mask
    emit: np.ndarray
    allowed: np.ndarray
    emit_row: dict[str, int]
    allowed_row: dict[str, int]
    #: the keys of two or more characters that FREQ counts at least ``WELL_KNOWN`` times and the
    #: tag table tags as proper nouns (``well_known``), and by first character the longest of them
    names: frozenset[str] = frozenset()
    name_reach: dict[str, int] = field(default_factory=dict)
    #: the entries looked up so far
    _entries: dict[str, Entry] = field(default_factory=dict)

    def entry(self, key: str) -> Entry:
        """``(FREQ.get(key), word_tag_tab.get(key))``."""
        found = self._entries.get(key)
        if found is None:
            found = self._entries[key] = self._find(key)
        return found

    def frequency(self, key: str) -> int | None:
        """``FREQ.get(key)``."""
        return self.entry(key)[0]

    def span(self, first: str) -> tuple[int, int] | None:
        """The byte span of the lines of the keys that start with ``first`` (``None``: no key does)."""
        where = self.index.get(first)
        return None if where is None else (where >> 32, where & 0xFFFFFFFF)

    def _find(self, key: str) -> Entry:
        where = self.span(key[:1])
        if where is None:
            return None, None
        head = b"\n" + key.encode("utf-8", "surrogatepass") + b"\t"
        core = compiled_tagger()
        if core is None:
            at = self.lexicon.find(head, where[0], where[1])
        else:  # a binary search over the first character's lines (up to 80 KB of them)
            at = core.lexicon_find(self.lexicon, where[0], where[1], head)
        if at < 0:
            return None, None
        freq, tag = self.lexicon[at + len(head) : self.lexicon.index(b"\n", at + 1)].decode().split("\t")
        return None if freq == _MISSING else int(freq), None if tag == _MISSING else tag


def _lexicon(freq: dict[str, int], tags: dict[str, str]) -> tuple[bytes, dict[str, list[int]]]:
    lines = []
    for key in sorted(freq.keys() | tags.keys()):
        if not key or "\t" in key or "\n" in key:
            raise ValueError(f"jieba's dictionary holds a key the lexicon cannot store: {key!r}")
        count = freq.get(key)
        lines.append(f"{key}\t{_MISSING if count is None else count}\t{tags.get(key, _MISSING)}".encode())
    # each line between newlines: a key's line is found as ``\nkey\t`` within its first character's span
    index: dict[str, list[int]] = {}
    at = 0
    for line in lines:
        span = index.setdefault(line.decode()[0], [at, at])
        at += len(line) + 1
        span[1] = at + 1
    return b"\n" + b"\n".join(lines) + b"\n", index


def well_known(freq: dict[str, int], tags: dict[str, str]) -> list[str]:
    """The well-known names of a dictionary (``FREQ``, ``word_tag_tab``), sorted: keys of two or
    more characters counted at least ``WELL_KNOWN`` times and tagged as proper nouns (江西, 广西)."""
    return sorted(
        key
        for key, tag in tags.items()
        if len(key) > 1 and tag.startswith(PROPER) and (freq.get(key) or 0) >= WELL_KNOWN
    )


def _source() -> tuple[bytes, dict[str, Any], dict[str, np.ndarray]]:
    """The tables as jieba's tagger holds them (this loads jieba: one to two seconds)."""
    import logging

    import jieba
    import jieba.posseg as posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    lexicon, index = _lexicon(jieba.dt.FREQ, posseg.dt.word_tag_tab)
    states = sorted(posseg.start_P)
    number = {state: i for i, state in enumerate(states)}
    size = len(states)
    trans = np.full((size, size), -np.inf)
    has_trans = np.zeros((size, size), dtype=np.uint8)
    for x, row in posseg.trans_P.items():
        for y, p in row.items():
            trans[number[x], number[y]] = p
            has_trans[number[x], number[y]] = 1
    emit_chars = sorted({char for row in posseg.emit_P.values() for char in row})
    emit_row = {char: i for i, char in enumerate(emit_chars)}
    emit = np.full((len(emit_chars), size), MIN_FLOAT)
    for state, row in posseg.emit_P.items():
        for char, p in row.items():
            emit[emit_row[char], number[state]] = p
    allowed_chars = sorted(posseg.char_state_tab_P)
    allowed = np.zeros((len(allowed_chars), size), dtype=np.uint8)
    for i, char in enumerate(allowed_chars):
        allowed[i, [number[s] for s in posseg.char_state_tab_P[char]]] = 1
    start = np.array([posseg.start_P[s] for s in states])
    names = well_known(jieba.dt.FREQ, posseg.dt.word_tag_tab)
    meta = {
        "format": FORMAT,
        "total": jieba.dt.total,
        # the index as two flat fields (a JSON object of 12,000 pairs parses several times slower)
        "index_chars": "".join(index),
        "index_bounds": [bound for span in index.values() for bound in span],
        "states": states,
        "emit_chars": "".join(emit_chars),
        "allowed_chars": "".join(allowed_chars),
        "names": names,
        "name_reach": _reach(names),
    }
    arrays = {"start": start, "trans": trans, "has_trans": has_trans, "emit": emit, "allowed": allowed}
    return lexicon, meta, arrays


def _tables(lexicon: bytes, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> Tables:
    bounds: list[int] = meta["index_bounds"]
    return Tables(
        total=meta["total"],
        lexicon=lexicon,
        index=dict(zip(meta["index_chars"], _packed(bounds), strict=True)),
        states=[(pos, tag) for pos, tag in meta["states"]],
        emit_row=dict(zip(meta["emit_chars"], range(len(meta["emit_chars"])), strict=True)),
        allowed_row=dict(zip(meta["allowed_chars"], range(len(meta["allowed_chars"])), strict=True)),
        # plain arrays over the mapped pages: a memmap's indexing costs a Python call each time
        start=np.asarray(arrays["start"]),
        trans=np.asarray(arrays["trans"]),
        has_trans=np.asarray(arrays["has_trans"]),
        emit=np.asarray(arrays["emit"]),
        allowed=np.asarray(arrays["allowed"]),
        names=frozenset(meta["names"]),
        name_reach=meta["name_reach"],
    )


def _packed(bounds: list[int]) -> list[int]:
    """``[start, end, start, end, ...]`` as ``start << 32 | end`` each (``Tables.index``)."""
    if max(bounds, default=0) >> 32:
        raise ValueError("a lexicon of 4 GB or more")
    return [start << 32 | end for start, end in zip(bounds[0::2], bounds[1::2], strict=True)]


def _reach(names: list[str]) -> dict[str, int]:
    """By first character, the length of the longest of ``names`` that starts with it."""
    reach: dict[str, int] = {}
    for name in names:
        reach[name[0]] = max(reach.get(name[0], 0), len(name))
    return reach


def cache_path() -> Path:
    """The folder of the installed jieba's tables (``dedup.cache``): named by jieba's version
    and its dictionary's content."""
    spec = find_spec("jieba")  # found, not imported: importing jieba takes a quarter second
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba")
    init = Path(spec.origin)
    return cache_folder() / f"posseg-{_version(init)}-{content_digest(init.with_name('dict.txt'))}-v{FORMAT}"


_VERSION = re.compile(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)


def _version(init: Path) -> str:
    """jieba's version as its ``__init__.py`` states it (read, not imported; nor asked of
    ``importlib.metadata``, whose import costs the main process a few hundredths of a second),
    else that file's size and time."""
    found = _VERSION.search(init.read_text(encoding="utf-8", errors="replace"))
    if found is not None:
        return found.group(1)
    stat = init.stat()
    return f"{stat.st_size}.{int(stat.st_mtime)}"


def build(path: Path) -> Tables:
    """The tables from jieba, written to ``path`` when it can be (a whole folder or nothing)."""
    lexicon, meta, arrays = _source()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".posseg-", dir=path.parent))
        try:
            (scratch / "lexicon.txt").write_bytes(lexicon)
            (scratch / "tables.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            for name, array in arrays.items():
                np.save(scratch / f"{name}.npy", array)
            if path.exists():  # unreadable (``_load`` failed): replaced whole
                shutil.rmtree(path, ignore_errors=True)
            os.replace(scratch, path)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    except OSError:
        pass  # no writable cache (or another process wrote it first): kept in memory
    return _tables(lexicon, meta, arrays)


def load(path: Path) -> Tables | None:
    """The tables written to ``path`` by ``build``, or ``None`` when they are missing or unreadable."""
    try:
        meta = json.loads((path / "tables.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            return None
        arrays = {name: np.load(path / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        return _tables((path / "lexicon.txt").read_bytes(), meta, arrays)
    except (OSError, ValueError, KeyError):
        return None


@cache
def tables() -> Tables:
    """The installed jieba's tagging tables, from the cache (built on first use)."""
    path = cache_path()
    return load(path) or build(path)
