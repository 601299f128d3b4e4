"""Word segmentation of matching keys: jieba's words with HMM off.

jieba runs with HMM off: new-word guessing changes the words of half of all
paragraphs depending on context, which is noise for matching, and with HMM off
three implementations give the same words (tests compare them): jieba itself,
its Rust port rjieba, and the compiled ``Words`` (``compiled_words.pyx``; ``dedup.text.wordcut``
is its pure twin).  ``auto`` runs the compiled one where the core is built: its
table of jieba's dictionary is built once per machine and memory-mapped from
the user's cache directory (``$XDG_CACHE_HOME/dedup``) afterwards, so it loads
in a millisecond where rjieba takes a tenth of a second and jieba a second;
otherwise rjieba when installed, else jieba.  ``auto`` still *names* rjieba or
jieba (``config.resolved_segmenter``: what a result's fingerprint records),
since the words are theirs.  One segmenter per process, loaded lazily.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from dedup.cache import cache_folder, content_digest, write_atomically
from dedup.config import compiled_extension, resolved_segmenter
from dedup.errors import ConfigError

Cut = Callable[[str], list[str]]

_SURROGATES = re.compile("[\ud800-\udfff]")
#: bump when the compiled word table's layout changes
TABLE_FORMAT = 2


def table_path(dictionary: Path) -> Path:
    """Where the compiled table of ``dictionary`` is cached (one file per dictionary's content)."""
    return cache_folder() / f"words-{content_digest(dictionary)}-v{TABLE_FORMAT}.bin"


def _word_table(core: Any) -> Any:
    """The compiled ``Words`` over jieba's dictionary: the cached table memory-mapped, or
    built from ``dict.txt`` (a tenth of a second) and cached when the cache is writable."""
    from dedup.text.wordcut import dictionary_path

    dictionary = dictionary_path()
    path = table_path(dictionary)
    try:
        with path.open("rb") as file:
            return core.Words.load(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):
        pass  # not cached yet, or unreadable: built again
    words = core.Words(dictionary.read_bytes())
    # where no cache is writable, built in each process
    write_atomically(path, words.table())
    return words


def compiled_words() -> Any | None:
    """The compiled word cut's module (``compiled_words.pyx``), or ``None``: not built here (no C
    compiler at install time), or ``DEDUP_PURE=1`` (as for the matching core)."""
    return compiled_extension("dedup.text.compiled_words")


def _loaded_words() -> Any | None:
    """The compiled ``Words`` over jieba's dictionary, loaded (``_word_table``), or ``None`` where
    it is not built, ``DEDUP_PURE=1``, or jieba's dictionary cannot be read as jieba reads it."""
    core = compiled_words()
    if core is None:
        return None
    try:
        return _word_table(core)
    except (OSError, ValueError, ModuleNotFoundError):
        return None


@cache
def word_table() -> Any | None:
    """``_loaded_words`` once per process: the segmenter's cut and the tagger's route
    (``dedup.matching.tagger``) share one table."""
    return _loaded_words()


def compiled_cut() -> Cut | None:
    """The compiled cut, loaded anew (``segmenter`` keeps the process's), or ``None`` where it is
    not built (or jieba's dictionary cannot be read as jieba reads it)."""
    words = _loaded_words()
    if words is None:
        return None
    cut: Cut = words.cut
    return cut


@cache
def segmenter(name: str = "auto") -> Cut:
    """The word segmenter called ``name``, loaded once per process."""
    if name == "auto":
        words = word_table()
        if words is not None:
            fastest: Cut = words.cut
            return fastest
    name = resolved_segmenter(name)
    if name == "rjieba":
        try:
            import rjieba
        except ImportError:
            raise ConfigError("segmenter 'rjieba' is not installed: pip install rjieba") from None

        def cut_rjieba(text: str) -> list[str]:
            return list(rjieba.cut(text, hmm=False))

        return cut_rjieba

    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()

    def cut_jieba(text: str) -> list[str]:
        return list(tokenizer.cut(text, HMM=False))

    return cut_jieba


def tokenize(key: str, name: str = "auto") -> list[str]:
    """Words of a (normalised) key, in order; their lengths add up to ``len(key)``.

    A lone surrogate (text from JSON may hold one) cannot go to rjieba, which
    takes UTF-8: such text is cut with U+FFFD in its place, one character for one.
    """
    if not key:
        return []
    try:
        return segmenter(name)(key)
    except UnicodeEncodeError:
        return segmenter(name)(_SURROGATES.sub("\ufffd", key))
