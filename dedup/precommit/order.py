"""Which of two copies is the repeat: one order over all paragraphs of a corpus.

Paragraphs already committed (in ``HEAD``) come before new ones, then by path
and position.  So a new paragraph is reported against the committed copy, and
of two new copies only the second one in path order is, which is what makes
``--fix`` safe and independent of how pre-commit splits the file list.
"""

from __future__ import annotations

from dedup.errors import InputError
from dedup.files.decoding import decode_text
from dedup.precommit.records import key_hash
from dedup.precommit.repository import Repository
from dedup.text.layout import layout_of
from dedup.text.normalize import normalize
from dedup.text.segment import split_paragraphs


class Order:
    """The one order over all paragraphs: committed before new, then path, then position.

    ``changed`` are the files that differ from ``HEAD`` (``None``: no commit
    yet, everything is new); in a changed file, a paragraph whose key the
    committed version already had is not new.
    """

    def __init__(self, repo: Repository, changed: set[str] | None, paragraphs: str = "auto") -> None:
        self.repo = repo
        self.changed = changed
        #: the ``paragraphs`` setting: committed text is read as the check reads new text
        self.paragraphs = paragraphs
        self._head: dict[str, frozenset[int]] = {}

    def is_new(self, path: str, key: int) -> bool:
        if self.changed is None:
            return True
        if path not in self.changed:
            return False
        return key not in self._head_keys(path)

    def key(self, path: str, index: int, key: int) -> tuple[bool, str, int]:
        """The sort key of paragraph ``index`` of ``path`` whose key hash is ``key``."""
        return (self.is_new(path, key), path, index)

    def _head_keys(self, path: str) -> frozenset[int]:
        """Key hashes of the paragraphs of ``path`` as committed."""
        if path not in self._head:
            keys: set[int] = set()
            data = self.repo.committed(path)
            if data is not None:
                try:
                    text = decode_text(data, path)[0]
                except InputError:
                    text = ""
                for p in split_paragraphs(text, layout=layout_of(text, self.paragraphs)):
                    if p.has_content:
                        keys.add(
                            key_hash(normalize(text[p.content_start : p.content_end], p.content_start).text)
                        )
            self._head[path] = frozenset(keys)
        return self._head[path]
