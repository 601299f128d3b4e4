"""Text files: one article each, decoded from whatever encoding they were saved in.

Scraped Chinese text comes in a few encodings, tried in this order: a byte-order
mark says UTF-8, UTF-16 or UTF-32 (and its byte order); valid UTF-8 is UTF-8;
then GB18030 (a superset of GBK and GB2312) and Big5, each taken only when the
text it gives is confirmed as Chinese: nearly all of its non-ASCII characters
are Han characters or CJK punctuation (:func:`chinese_share`), the better of the
two winning.  Only a file that is none of these is handed to charset-normalizer,
whose guess is held to the same test when it is a Chinese encoding.  Any
decoding must give the file's bytes back when encoded again, so a cleaned copy
written in the same encoding keeps every byte outside the changes.

The record keeps the codec, so that the cleaned copy is written back in it; a
file with a UTF-16 or UTF-32 byte-order mark keeps its mark and its byte order
(``utf-16-be-bom`` and the like, codecs registered here).
"""

from __future__ import annotations

import codecs
from contextlib import suppress
from typing import TYPE_CHECKING

from dedup.errors import InputError
from dedup.files.compression import DECOMPRESSION_ERRORS, read_all
from dedup.files.reasons import reason
from dedup.files.record import Record
from dedup.files.sources import Source, source_size
from dedup.records import Document

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12

#: byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le-bom"),
    (codecs.BOM_UTF32_BE, "utf-32-be-bom"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le-bom"),
    (codecs.BOM_UTF16_BE, "utf-16-be-bom"),
)
#: the legacy encodings Chinese text comes in, in order of preference
CHINESE_ENCODINGS = ("gb18030", "big5")
#: the share of non-ASCII characters that must be Han or CJK punctuation
CHINESE_SHARE = 0.9
#: what Chinese text is made of: Han characters, CJK and general punctuation, full-width forms,
#: and the numbered and shaped marks of GB2312 (Ⅰ ① ㈠ ■ → ·)
_CHINESE_RANGES = (
    (0x4E00, 0xA000),
    (0x3000, 0x3040),
    (0xFF00, 0xFFF0),
    (0x2000, 0x2070),
    (0x2150, 0x2200),
    (0x2460, 0x2500),
    (0x25A0, 0x2700),
    (0x3200, 0x3300),
    (0xB7, 0xB8),
)


def _bom_codec(name: str) -> codecs.CodecInfo | None:
    """``utf-16-le-bom`` and the like: that codec with its byte-order mark written first."""
    normal = name.lower().replace("_", "-")
    if not normal.endswith("-bom") or normal[:-4] not in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        return None
    base = codecs.lookup(normal[:-4])
    bom = "\ufeff".encode(base.name)

    def encode(text: str, errors: str = "strict", /) -> tuple[bytes, int]:
        data, used = base.encode(text, errors)
        return bom + data, used

    def decode(data: Buffer, errors: str = "strict", /) -> tuple[str, int]:
        raw = bytes(data)
        body = raw[len(bom) :] if raw.startswith(bom) else raw
        text, _ = base.decode(body, errors)
        return text, len(raw)

    return codecs.CodecInfo(encode, decode, name=normal)


codecs.register(_bom_codec)


def chinese_share(text: str) -> float:
    """The share of ``text``'s non-ASCII characters that Chinese text is made of
    (1.0 when all of it is ASCII)."""
    others = [ord(ch) for ch in text if ord(ch) > 0x7F]
    if not others:
        return 1.0
    chinese = sum(any(low <= code < high for low, high in _CHINESE_RANGES) for code in others)
    return chinese / len(others)


def _exactly(data: bytes, encoding: str) -> str | None:
    """``data`` decoded with ``encoding`` when it decodes and encodes back to the same bytes."""
    try:
        text = data.decode(encoding)
        if text.encode(encoding) != data:
            return None
    except (UnicodeError, LookupError):
        return None
    return text if "\x00" not in text else None


def _marked(data: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _exactly(data, encoding)
            return (text, encoding) if text is not None else None
    return None


def _as_chinese(data: bytes) -> tuple[str, str] | None:
    """The best of the legacy Chinese encodings that decodes ``data`` as Chinese text."""
    best: tuple[float, str, str] | None = None
    for encoding in CHINESE_ENCODINGS:
        text = _exactly(data, encoding)
        if text is None:
            continue
        share = chinese_share(text)
        if share >= CHINESE_SHARE and (best is None or share > best[0]):
            best = (share, text, encoding)
    return (best[1], best[2]) if best is not None else None


def _guessed(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's guess, for text in none of the usual encodings."""
    from charset_normalizer import from_bytes  # about 40 ms to import: only for such a file

    best = from_bytes(data).best()
    if best is None:
        return None
    text = _exactly(data, best.encoding)
    if text is None:
        return None
    if chinese_share(text) < CHINESE_SHARE and any(0x4E00 <= ord(ch) < 0xA000 for ch in text):
        return None  # a few Han characters among others: a misreading
    return text, best.encoding


def decode_text(data: bytes, path: str | None = None, encoding: str | None = None) -> tuple[str, str]:
    """``data`` as text and the codec that decoded it (see the module's docstring);
    ``encoding`` forces one.  An InputError names the file when nothing fits."""
    if encoding is not None:
        text = _exactly(data, encoding)
        if text is None:
            raise InputError(f"cannot decode as {encoding}", path)
        return text, encoding
    for attempt in (_marked, _utf8, _as_chinese, _guessed):
        found = attempt(data)
        if found is not None:
            return found
    raise InputError(
        "cannot decode: not UTF-8, GB18030, Big5 or UTF-16, and no other text encoding fits", path
    )


def _utf8(data: bytes) -> tuple[str, str] | None:
    with suppress(UnicodeDecodeError):
        return data.decode("utf-8"), "utf-8"
    return None


def text_record(data: bytes, source: Source, position: int, encoding: str | None = None) -> Record:
    """The one article of a text file (or of standard input) whose bytes are ``data``; its id is its path."""
    text, used = decode_text(data, source.path, encoding)
    return Record(Document(source.path, text, source.path), source, "text", encoding=used, position=position)


def read_text_file(source: Source, encoding: str | None = None) -> Record:
    """The article of a text file (decompressed when it is gzip, Zstandard, bzip2 or xz)."""
    data = _read_bytes(source.path)
    return text_record(data, source, source_size(source) or len(data), encoding)


def _read_bytes(path: str) -> bytes:
    try:
        return read_all(path)
    except DECOMPRESSION_ERRORS as err:
        raise InputError(f"cannot read: {reason(err)}", path) from None
