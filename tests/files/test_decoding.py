"""``dedup.files.decoding``: text files in whatever encoding they were saved in."""

from __future__ import annotations

import pytest

from dedup.errors import InputError
from dedup.files.decoding import decode_text


def test_encodings() -> None:
    text = "习近平回信勉励武汉东湖新城社区全体社区工作者。社区是疫情防控的最前线。"
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    decoded, encoding = decode_text(text.encode("gb18030"))
    assert decoded == text and decoded.encode(encoding) == text.encode("gb18030")
    with pytest.raises(InputError, match=r"^x\.txt: cannot decode"):
        decode_text(bytes(range(256)) * 4, "x.txt")
