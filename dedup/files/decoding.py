"""Text files: one article each, decoded from whatever encoding they were saved in.

Scraped Chinese text is mostly UTF-8 but not always (legacy encodings such as GB18030 turn
up): valid UTF-8 is taken as it is, anything else is decoded with the encoding
charset-normalizer finds, and the record keeps that encoding so that the cleaned
copy is written back in it.
"""

from __future__ import annotations

import codecs
from contextlib import suppress

from dedup.errors import InputError
from dedup.files.compression import DECOMPRESSION_ERRORS, read_all
from dedup.files.reasons import reason
from dedup.files.record import Record
from dedup.files.sources import Source, source_size
from dedup.records import Document


def decode_text(data: bytes, path: str | None = None) -> tuple[str, str]:
    """``data`` as text and the codec that decoded it: UTF-8 (with or without a
    byte-order mark) when it is valid UTF-8, else what charset-normalizer finds."""
    if data.startswith(codecs.BOM_UTF8):
        with suppress(UnicodeDecodeError):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    with suppress(UnicodeDecodeError):
        return data.decode("utf-8"), "utf-8"
    # imported only for a file that is not UTF-8: it costs about 40 ms to import
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if "\x00" not in text:
                return text, best.encoding
    raise InputError("cannot decode: not UTF-8, and no other text encoding fits", path)


def text_record(data: bytes, source: Source, position: int) -> Record:
    """The one article of a text file (or of standard input) whose bytes are ``data``; its id is its path."""
    text, encoding = decode_text(data, source.path)
    return Record(
        Document(source.path, text, source.path), source, "text", encoding=encoding, position=position
    )


def read_text_file(source: Source) -> Record:
    """The article of a text file (decompressed when it is gzip, Zstandard, bzip2 or xz)."""
    data = _read_bytes(source.path)
    return text_record(data, source, source_size(source) or len(data))


def _read_bytes(path: str) -> bytes:
    try:
        return read_all(path)
    except DECOMPRESSION_ERRORS as err:
        raise InputError(f"cannot read: {reason(err)}", path) from None
