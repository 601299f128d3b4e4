"""``dedup.files.decoding``: text files in whatever encoding they were saved in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.files.decoding import chinese_share, decode_text


def test_encodings() -> None:
    text = "习近平回信勉励武汉东湖新城社区全体社区工作者。社区是疫情防控的最前线。"
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    decoded, encoding = decode_text(text.encode("gb18030"))
    assert decoded == text and decoded.encode(encoding) == text.encode("gb18030")
    with pytest.raises(InputError, match=r"^x\.txt: cannot decode"):
        decode_text(bytes(range(256)) * 4, "x.txt")


SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "expected.txt"


def _seed_paragraphs() -> list[str]:
    text = SEED.read_text("utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _dev_like() -> list[str]:
    """Articles like the dev set's P0059, P0137, P0276, P0278 and P0295, which
    charset-normalizer could not read as GB18030: full-width Latin letters and
    digits (a web address, an English name), 【】 and 〔〕 brackets, ● bullets."""
    p = _seed_paragraphs()
    return [
        "\n\n".join([p[0], "【本报讯】●" + p[3], p[4]]) + "\n",
        "\n\n".join([p[5], p[6] + "〔记者　王平〕"]) + "\n",
        "\n\n".join(["ｗｗｗ．ｐｅｏｐｌｅ．ｃｏｍ．ｃｎ " + p[5], p[7]]) + "\n",
        "\n\n".join([p[6] + "（ｃｅｎｔｒａｌ　ｐａｒｔｙ，２０２０）", p[7], p[8]]) + "\n",
    ]


@pytest.mark.parametrize("index", range(4))
def test_gb18030_articles_that_charset_normalizer_rejects(index: int) -> None:
    text = _dev_like()[index]
    data = text.encode("gb18030")
    assert decode_text(data) == (text, "gb18030")


@pytest.mark.parametrize("text", ["①表示：", "中国", "社区工作", "（二○○○年）", "第十条"])
def test_short_gb18030_text_is_gb18030(text: str) -> None:
    """A few characters are too little for a statistical guess (one came out as Thai, cp874)."""
    assert decode_text(text.encode("gb18030")) == (text, "gb18030")


def test_big5_traditional_text() -> None:
    text = "習近平回信勉勵武漢東湖新城社區全體社區工作者。社區是疫情防控的最前線。\n"
    assert decode_text(text.encode("big5")) == (text, "big5")


@pytest.mark.parametrize("codec", ["utf-16-le-bom", "utf-16-be-bom", "utf-32-le-bom", "utf-32-be-bom"])
def test_byte_order_marks_keep_their_byte_order(codec: str) -> None:
    text = _dev_like()[0]
    data = text.encode(codec)
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff", b"\x00\x00")
    assert decode_text(data) == (text, codec)
    if codec == "utf-16-be-bom":
        assert data == b"\xfe\xff" + text.encode("utf-16-be")


def test_forced_encoding() -> None:
    text = "社区工作"
    assert decode_text(text.encode("gb18030"), encoding="gb18030") == (text, "gb18030")
    with pytest.raises(InputError, match=r"^a\.txt: cannot decode as utf-8$"):
        decode_text(text.encode("gb18030"), "a.txt", encoding="utf-8")


def test_decoding_gives_the_bytes_back() -> None:
    """What is decoded encodes to the same bytes: a cleaned copy changes nothing else."""
    for text in _dev_like():
        for codec in ("gb18030", "utf-8", "utf-8-sig", "utf-16-be-bom"):
            data = text.encode(codec)
            decoded, used = decode_text(data)
            assert decoded.encode(used) == data


def test_chinese_share() -> None:
    assert chinese_share("abc") == 1.0
    assert chinese_share("中文，ｃ①") == 1.0
    assert chinese_share("Кириллица") == 0.0
