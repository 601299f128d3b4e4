"""wordcut and the compiled core's Words: jieba's cut with HMM off, word for word.

jieba (``Tokenizer.cut(text, HMM=False)``) is the definition; the pure twin
(``dedup.text.wordcut``), the compiled ``Words`` and rjieba must give its words on
every fixture text (whole, line by line, folded or not) and on random text mixing
the characters each rule of the cut treats apart.
"""

from __future__ import annotations

import logging
import os
import random
from pathlib import Path

import pytest
from compiled_parts import built

from dedup.text import wordcut
from dedup.text.normalize import fold
from dedup.text.words import compiled_cut, compiled_words, table_path, tokenize

#: characters each rule of jieba's cut treats apart: dictionary words, ASCII letters and digits
#: glued together, the other characters of its han class, spaces, CR LF, punctuation, astral
_ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说年"
    "长江大桥研究生命温泉办事处党委书记余敏刚提出号召社区工作者"
    "1aAz9é😀 \r\n\t\u3000\u00a0.+#&_%-，。、「」（）"
)


@pytest.fixture(scope="module")
def jieba_cut():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@pytest.fixture(scope="module")
def dictionary() -> tuple[dict[str, int], int]:
    return wordcut.read_dictionary(wordcut.dictionary_path().read_bytes())


@pytest.fixture(scope="module")
def texts(fixtures_dir: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(fixtures_dir.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".jsonl", ".md", ".html"):
            text = path.read_bytes().decode("utf-8", errors="replace")
            found += [text, *text.split("\n")]
    rng = random.Random(15)
    found += ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    return found + [fold(text) for text in found]


def _core():  # type: ignore[no-untyped-def]
    return built(compiled_words(), "the compiled word cut")


def test_the_dictionary_is_read_as_jieba_reads_it(jieba_cut, dictionary) -> None:  # type: ignore[no-untyped-def]
    freq, total = dictionary
    assert freq == jieba_cut.FREQ
    assert total == jieba_cut.total


def test_the_pure_cut_gives_jiebas_words(jieba_cut, dictionary, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    freq, total = dictionary
    for text in texts:
        assert wordcut.cut(text, freq, total) == list(jieba_cut.cut(text, HMM=False)), text[:60]


def test_the_compiled_cut_gives_the_pure_cuts_words(dictionary, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    words = _core().Words(wordcut.dictionary_path().read_bytes())
    freq, total = dictionary
    assert (words.size, words.total) == (len(freq), total)
    for text in texts:
        assert words.cut(text) == wordcut.cut(text, freq, total), text[:60]


def test_rjieba_gives_the_same_words(texts: list[str]) -> None:
    rjieba = pytest.importorskip("rjieba")
    words = _core().Words(wordcut.dictionary_path().read_bytes())
    for text in texts:
        assert words.cut(text) == list(rjieba.cut(text, hmm=False)), text[:60]


def test_a_saved_table_cuts_as_the_one_built(texts: list[str]) -> None:
    core = _core()
    built = core.Words(wordcut.dictionary_path().read_bytes())
    loaded = core.Words.load(built.table())
    assert (loaded.size, loaded.total) == (built.size, built.total)
    for text in texts[:2000]:
        assert loaded.cut(text) == built.cut(text)


@pytest.mark.parametrize("table", [b"", b"x" * 100, b"DIEBAW01" + bytes(32)])
def test_a_damaged_table_is_refused(table: bytes) -> None:
    with pytest.raises(ValueError):
        _core().Words.load(table)


def test_a_table_damaged_past_its_header_cuts_within_it(texts: list[str]) -> None:
    # a slot is always masked and a frequency's number always in range: wrong words at worst,
    # never a read outside the table
    table = bytearray(_core().Words(wordcut.dictionary_path().read_bytes()).table())
    rng = random.Random(5)
    body = range(40, len(table))
    for at in rng.sample(body, 20_000):
        table[at] = rng.randrange(256)
    for at in rng.sample(body, 200):  # whole words of ones, as a free slot, and of anything
        table[at - at % 8 : at - at % 8 + 8] = rng.choice([b"\xff" * 8, rng.randbytes(8)])
    damaged = _core().Words.load(bytes(table))
    for text in texts[:500]:
        assert "".join(damaged.cut(text)) == text


@pytest.mark.parametrize(
    "line", [b"word", b"word +3", b"word 3_0", b"word \xd9\xa3", b"", b"word  3", b"word 3x n"]
)
def test_a_line_jieba_would_read_otherwise_is_refused(line: bytes) -> None:
    data = b"a 1 n\n" + line + b"\nb 2 n\n"
    with pytest.raises(ValueError):
        _core().Words(data)
    with pytest.raises(ValueError):
        wordcut.read_dictionary(data)


def test_a_small_dictionary_is_read_as_jieba_reads_it() -> None:
    # a later line sets a word that was a prefix; a prefix never overrides a word; CR LF lines
    data = "长江 5 ns\r\n长 2 a\n长江大 1 n\nx 0\n".encode()
    freq, total = wordcut.read_dictionary(data)
    assert freq == {"长江": 5, "长": 2, "长江大": 1, "x": 0}
    assert total == 8
    words = _core().Words(data)
    assert (words.size, words.total) == (4, 8)
    for text in ("长江大", "长江长", "x长江大长", "长 江", ""):
        assert words.cut(text) == wordcut.cut(text, freq, total)


def test_auto_cuts_with_the_compiled_core_and_caches_its_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, texts: list[str]
) -> None:
    _core()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = table_path(wordcut.dictionary_path())
    assert path.parent == tmp_path / "dedup"
    first = compiled_cut()
    assert first is not None and path.is_file()
    again = compiled_cut()  # memory-mapped from the file
    damaged = tmp_path / "damaged"
    damaged.write_bytes(path.read_bytes()[:1000])
    os.replace(damaged, path)  # as a cache is written: never in place (a mapped file stays whole)
    rebuilt = compiled_cut()
    assert again is not None and rebuilt is not None
    for text in texts[:500]:
        assert first(text) == again(text) == rebuilt(text) == tokenize(text, "auto")


def test_auto_gives_jiebas_words(texts: list[str]) -> None:
    for text in texts[:3000]:
        assert tokenize(text, "auto") == tokenize(text, "jieba"), text[:60]
