"""tagger: the port of jieba's part-of-speech tagger gives jieba.posseg's (word, flag) sequence exactly.

``jieba.posseg.cut`` (HMM on) is the definition: the port is compared with it on every paragraph of
the fixtures, on short windows of them (what the fact guard tags), on edge cases and on generated
text; the compiled Viterbi is compared with the numpy one, the compiled route (the word cut's trie of
jieba's dictionary) with the pure one, the pure path (``DEDUP_PURE=1``) with the compiled one; the
cached tables with jieba's own.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from math import log
from pathlib import Path

import numpy as np
import pytest
from compiled_parts import built
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.matching import lexicon
from dedup.matching.core import TaggerCore, compiled_tagger
from dedup.matching.tagger import (
    compiled_route,
    cut,
    may_name_across,
    observations,
    proper_nouns,
    route,
    viterbi,
    well_known_names,
)
from dedup.text import wordcut
from dedup.text.words import compiled_words

ROOT = Path(__file__).resolve().parents[2]


def _jieba(text: str) -> list[tuple[str, str]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return [(pair.word, pair.flag) for pair in jieba.posseg.cut(text)]


def _fixture_paragraphs() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "fixtures").rglob("*.txt"))]
    with (ROOT / "fixtures" / "review" / "dev_sample.jsonl").open(encoding="utf-8") as lines:
        texts += [json.loads(line)["text"] for line in lines]
    return [paragraph for text in texts for paragraph in text.split("\n\n") if paragraph.strip()]


def test_the_fixtures_paragraphs_are_tagged_as_jieba_tags_them() -> None:
    paragraphs = _fixture_paragraphs()
    assert len(paragraphs) > 1000
    mismatched = [p for p in paragraphs if cut(p) != _jieba(p)]
    assert mismatched == []


def test_short_windows_are_tagged_as_jieba_tags_them() -> None:
    rng = random.Random(15)
    paragraphs = _fixture_paragraphs()
    windows = []
    for paragraph in rng.sample(paragraphs, 300):
        for at in range(0, len(paragraph), 5):
            windows.append(paragraph[at : at + rng.randint(1, 24)])
    assert [w for w in windows if cut(w) != _jieba(w)] == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\r\n",
        "a",
        "AT&T公司和c#程序员",
        "3.14和abc 123、４５",
        "张三丰李四光王五赵六钱七孙八周九吴十",
        "\u3000\u3000习近平主持会议。\r\n国务院总理李强出席。",
        "𠮷野家",
        "😀中文",
    ],
)
def test_edge_cases_are_tagged_as_jieba_tags_them(text: str) -> None:
    assert cut(text) == _jieba(text)


ALPHABET = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说年张李王京沪华"
ALPHABET += "aZ09.#&_+ 　\r\n，。！"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30))
def test_generated_text_is_tagged_as_jieba_tags_it(text: str) -> None:
    assert cut(text) == _jieba(text)


def test_proper_nouns_are_the_spans_of_name_place_and_organisation_tags() -> None:
    text = "国务院总理李强在北京会见联合国秘书长。"
    expected = []
    position = 0
    for word, flag in _jieba(text):
        if flag.startswith(("nr", "ns", "nt", "nz")):
            expected.append((position, position + len(word)))
        position += len(word)
    assert proper_nouns(text) == tuple(expected)
    assert expected  # the sentence has names: the test reads something


def _observations(text: str) -> tuple[np.ndarray, np.ndarray]:
    tables = lexicon.tables()
    every = np.ones(len(tables.states), dtype=np.uint8)
    no_emission = np.full(len(tables.states), lexicon.MIN_FLOAT)
    allowed = np.stack(
        [tables.allowed[tables.allowed_row[c]] if c in tables.allowed_row else every for c in text]
    )
    emit = np.stack([tables.emit[tables.emit_row[c]] if c in tables.emit_row else no_emission for c in text])
    return allowed, emit


@pytest.fixture
def core() -> TaggerCore:
    """The compiled tagger, or the test is skipped where it is not built."""
    found = compiled_tagger()
    if found is None:
        pytest.skip("the compiled core is not built here (no C compiler at install time)")
    return found


def test_the_compiled_viterbi_is_the_numpy_viterbi(core: TaggerCore) -> None:
    tables = lexicon.tables()
    rng = random.Random(7)
    texts = [p[: rng.randint(1, 40)] for p in rng.sample(_fixture_paragraphs(), 200)]
    texts += [
        "".join(rng.choice("张李王中国人民政府会议𠮷x") for _ in range(rng.randint(1, 12)))
        for _ in range(100)
    ]
    texts += [p[:80] for p in rng.sample(_fixture_paragraphs(), 20)]  # longer than its first scratch
    # a run longer than the scratch kept, and short ones after it
    texts.insert(100, "".join(rng.choice("张李王中国人民政府会议") for _ in range(300)))
    args = (tables.start, tables.trans, tables.has_trans)
    held = core.PosHmm(*args, tables.allowed, tables.emit, lexicon.MIN_FLOAT)
    for text in texts:
        allowed, emit = _observations(text)
        expected = viterbi(allowed, emit, *args)
        assert core.pos_viterbi(allowed, emit, *args).tolist() == expected, text
        rows = [tables.allowed_row.get(c, -1) for c in text], [tables.emit_row.get(c, -1) for c in text]
        assert held.best(*rows) == expected, text
    assert held.best([], []) == []
    with pytest.raises(IndexError):
        held.best([len(tables.states) * 10**6], [0])


def test_the_cached_tables_are_jiebas(tmp_path: Path) -> None:
    import jieba
    import jieba.posseg as posseg

    jieba.dt.check_initialized()
    lexicon.build(tmp_path / "tables")
    tables = lexicon.load(tmp_path / "tables")
    assert tables is not None
    assert tables.total == jieba.dt.total
    rng = random.Random(3)
    keys = rng.sample(sorted(jieba.dt.FREQ), 3000) + rng.sample(sorted(posseg.dt.word_tag_tab), 3000)
    for key in [*keys, "不在词典里的词", "x"]:
        assert tables.entry(key) == (jieba.dt.FREQ.get(key), posseg.dt.word_tag_tab.get(key)), key
    number = {state: i for i, state in enumerate(tables.states)}
    assert sorted(number) == sorted(posseg.start_P)
    for state, row in rng.sample(sorted(posseg.emit_P.items()), 20):
        for char, p in row.items():
            assert tables.emit[tables.emit_row[char], number[state]] == p
    for x, row in posseg.trans_P.items():
        for y, p in row.items():
            assert tables.trans[number[x], number[y]] == p and tables.has_trans[number[x], number[y]]
    assert int(np.asarray(tables.has_trans).sum()) == sum(len(row) for row in posseg.trans_P.values())
    assert tables.names == frozenset(lexicon.well_known(jieba.dt.FREQ, posseg.dt.word_tag_tab))


def test_unreadable_tables_are_not_loaded(tmp_path: Path) -> None:
    assert lexicon.load(tmp_path / "missing") is None
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "tables.json").write_text("{", encoding="utf-8")
    assert lexicon.load(tmp_path / "broken") is None


def test_the_observations_are_the_tables_rows() -> None:
    tables = lexicon.tables()
    for text in ["张三丰", "𠮷野家", "\ue000中", "x"]:
        allowed, emit = observations(text, tables)
        expected_allowed, expected_emit = _observations(text)
        assert np.array_equal(allowed, expected_allowed) and np.array_equal(emit, expected_emit), text


#: jieba.posseg's blocks of characters cut with the dictionary: what the route reads
_BLOCK = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+")


def _compiled_route() -> Callable[[str], list[int]]:
    return built(compiled_route(), "the compiled word cut")


def test_the_compiled_route_is_the_pure_route_on_the_fixtures() -> None:
    fast = _compiled_route()
    tables = lexicon.tables()
    paragraphs = _fixture_paragraphs()
    # whole paragraphs too: punctuation, spaces and astral characters no key starts with
    texts = [block for p in paragraphs for block in _BLOCK.findall(p)] + paragraphs[:300]
    assert [t for t in texts if fast(t) != route(t, tables.frequency, tables.total)] == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET + "𠮷é\ue000长江大桥研究生命", max_size=40))
def test_the_compiled_route_is_the_pure_route_on_generated_text(text: str) -> None:
    fast = _compiled_route()
    tables = lexicon.tables()
    assert fast(text) == route(text, tables.frequency, tables.total)


def test_both_routes_give_ties_to_the_longer_word() -> None:
    core = compiled_words()
    if core is None:
        pytest.skip("the compiled word cut is not built here (or DEDUP_PURE=1)")
    data = b"a 4 n\nb 4 n\nab 1 n\nc 7 n\n"
    freq, total = wordcut.read_dictionary(data)
    # ab alone weighs exactly what a then b weigh: jieba's max((p, x)) takes the larger x
    assert log(1) - log(total) + 0.0 == (log(4) - log(total)) + (log(4) - log(total) + 0.0)
    assert route("ab", freq.get, total) == [1, 1]
    words = core.Words(data)
    for text in ("ab", "abab", "cab", "xab", "a𠮷b", "aab", ""):
        assert words.route(text) == route(text, freq.get, total), text


def test_the_route_is_the_tagger_tables_dictionary() -> None:
    _compiled_route()
    from dedup.text.words import word_table

    table = word_table()
    assert table is not None and table.total == lexicon.tables().total


def test_the_pure_path_tags_as_the_compiled_one() -> None:
    _compiled_route()
    texts = random.Random(5).sample(_fixture_paragraphs(), 150)
    code = (
        "import json, sys\n"
        "from dedup.matching.core import TaggerCore, compiled_tagger\n"
        "from dedup.matching.tagger import compiled_hmm, compiled_route, cut\n"
        "assert compiled_route() is None and compiled_tagger() is None and compiled_hmm() is None\n"
        "print(json.dumps([cut(t) for t in json.load(sys.stdin)], ensure_ascii=False))\n"
    )
    env = {**os.environ, "DEDUP_PURE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == [[list(pair) for pair in cut(t)] for t in texts]


def test_the_compiled_lexicon_search_finds_what_bytes_find_finds(core: TaggerCore) -> None:
    tables = lexicon.tables()
    rng = random.Random(11)
    lines = tables.lexicon.split(b"\n")
    keys = [line.split(b"\t")[0].decode() for line in rng.sample(lines[1:-1], 3000)]
    keys += [key[:-1] for key in keys if len(key) > 1] + [key + "的" for key in keys]
    keys += ["中", "中国", "\ud800", "𠮷", "中\ue000", "a", "zzzz", "A", "."]
    for key in keys:
        where = tables.span(key[:1])
        if where is None:
            continue
        head = b"\n" + key.encode("utf-8", "surrogatepass") + b"\t"
        assert core.lexicon_find(tables.lexicon, *where, head) == tables.lexicon.find(head, *where), key
    small = b"\nab\t1\tn\nabc\t2\t-\nb\t-\tx\n"
    for key in ("a", "ab", "abc", "abd", "b", "c", ""):
        head = b"\n" + key.encode() + b"\t"
        assert core.lexicon_find(small, 0, len(small), head) == small.find(head), key
    with pytest.raises(ValueError):
        core.lexicon_find(small, 0, len(small), b"ab")


def test_a_well_known_name_is_seen_before_tagging() -> None:
    """``may_name_across`` is a necessary condition: wherever ``well_known_names`` finds a name
    overlapping a stretch, it says there may be one (the fact guard skips the tagger otherwise)."""
    rng = random.Random(5)
    paragraphs = [re.sub(r"[\W_]+", "", p) for p in _fixture_paragraphs()]
    windows = [p[i : i + 20] for p in paragraphs if len(p) > 20 for i in range(0, len(p) - 20, 37)]
    windows += ["广西壮族自治区南宁市", "江西省南昌市", "北京上海", "欧州联盟"]
    seen = skipped = 0
    for window in rng.sample(windows, min(400, len(windows))) + windows[-4:]:
        spans = well_known_names(window)
        for start in range(len(window)):
            for end in (start + 1, start + 2):
                found = any(s < end and start < e for s, e in spans)
                assert not found or may_name_across(window, start, end), (window, start, end)
                seen += found
                skipped += not may_name_across(window, start, end)
    assert seen and skipped  # both answers occur


def _walk(text: str, start: int, end: int) -> bool:
    """The definition of ``may_name_across``: from each start, the stretches read through the
    dictionary (``Tables.entry``) until one is no key of FREQ, any of them a well-known name that
    overlaps ``[start, end)``."""
    tables = lexicon.tables()
    for first in range(min(end, len(text))):
        last = first + 1
        while last <= len(text):
            count, listed = tables.entry(text[first:last])
            if count is None:
                break
            if last - first > 1 and last > start and listed is not None:
                if listed.startswith(lexicon.PROPER) and count >= lexicon.WELL_KNOWN:
                    return True
            last += 1
    return False


def test_the_well_known_names_are_the_lexicons_and_every_prefix_is_a_key() -> None:
    """``Tables.names`` holds every line of the lexicon that ``_walk`` takes for a name, and the walk
    reaches each (FREQ holds all its prefixes): a set lookup answers as the walk does."""
    tables = lexicon.tables()
    found = set()
    for line in tables.lexicon.split(b"\n")[1:-1]:
        key, count, tag = line.decode().split("\t")
        if (
            len(key) > 1
            and count != "-"
            and int(count) >= lexicon.WELL_KNOWN
            and tag.startswith(lexicon.PROPER)
        ):
            found.add(key)
    assert found == tables.names and len(found) > 1000
    assert all(tables.entry(name[:end])[0] is not None for name in found for end in range(1, len(name)))
    assert tables.name_reach == {
        first: max(len(n) for n in found if n[0] == first) for first in {n[0] for n in found}
    }


def test_may_name_across_answers_as_the_walk_through_the_dictionary() -> None:
    rng = random.Random(7)
    paragraphs = [re.sub(r"[\W_]+", "", p) for p in _fixture_paragraphs()]
    windows = [p[i : i + rng.randint(2, 24)] for p in paragraphs for i in range(0, len(p), 41)]
    names = sorted(lexicon.tables().names)
    # invented variants: names (whole, cut, with a character changed) spliced into windows
    for window in rng.sample(windows, 400):
        name = rng.choice(names)
        at = rng.randint(0, len(window))
        for piece in (name, name[:-1], name[1:], name[: len(name) // 2] + "的" + name[len(name) // 2 + 1 :]):
            windows.append(window[:at] + piece + window[at:])
    windows += ["广西壮族自治区南宁市", "江西省南昌市", "北京上海", "欧州联盟", "", "a", "𠮷野家"]
    assert len(windows) > 3000
    seen = 0
    for window in windows:
        for start in range(len(window) + 1):
            for end in (start + 1, start + 2, start + 5):
                expected = _walk(window, start, end)
                assert may_name_across(window, start, end) == expected, (window, start, end)
                seen += expected
    assert seen > 1000


def test_the_tables_folder_is_named_by_jiebas_version() -> None:
    from importlib.metadata import version

    assert lexicon.cache_path().name.startswith(f"posseg-{version('jieba')}-")
