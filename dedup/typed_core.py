"""The typed core: resolution's modules compiled by mypyc, where ``pip install`` can.

Resolution (verification, the fact guard, the order of removals, the corpus's bookkeeping) is
plain Python checked by ``mypy --strict``, and it is what the main process of a run spends its
time on.  ``setup.py`` compiles the modules named in ``MODULES`` with mypyc: C extension modules
beside their sources (``verify.cpython-311-….so`` next to ``verify.py``), sharing one library
(``GROUP`` + ``__mypyc``).  Python imports an extension module in place of the source beside it.
Nothing else changes: the sources are the only code there is, and the compiled build writes the
same bytes (the tests compare the two).

The sources are imported instead (``choose``), all of them or none, since compiled modules call
each other directly rather than through their modules:

- when ``DEDUP_PURE=1`` asks for the pure path (as it does for the Cython parts);
- when the sources are not the ones the build compiled (a checkout edited since it was
  installed; ``make install`` builds again): the build keeps a digest of them, and of the
  modules whose constants it took in (``BUILT_IN``), in ``DIGEST_FILE``.

``setup.py`` reads ``MODULES``, ``GROUP``, ``DIGEST_FILE`` and ``sources_digest`` from this file
without importing dedup, so nothing of dedup's is imported at its top (``choose`` imports what it
asks at run time).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

#: the modules mypyc compiles: resolution and what it calls per paragraph, and extraction's glue.
#: A class here must extend only classes of these modules, builtins and the typing ABCs (mypyc lays
#: out a native class's fields itself: ``run/parallel.py``'s ``Sent``, over ``recent.Recent``,
#: an ``OrderedDict``, crashed compiled, and stays out); nor may callers monkeypatch these modules.
MODULES: tuple[str, ...] = (
    "dedup.matching.align",
    "dedup.matching.bits",
    "dedup.matching.candidates",
    "dedup.matching.facts",
    "dedup.matching.features",
    "dedup.matching.index",
    "dedup.matching.item",
    "dedup.matching.lexicon",
    "dedup.matching.resolve",
    "dedup.matching.roles",
    "dedup.matching.sentences",
    "dedup.matching.shingle",
    "dedup.matching.tagger",
    "dedup.matching.verify",
    "dedup.records",
    "dedup.run.corpus",
    "dedup.run.document",
    "dedup.run.tiers",
    "dedup.run.packing",
    "dedup.text.joins",
    "dedup.text.page",
    "dedup.text.rewrite",
    "dedup.text.segment",
    "dedup.text.shape",
)

#: modules the compiled code takes values from when it is built (their ``Final`` constants are
#: written into it): a change to them calls for a new build as much as a change to ``MODULES``
BUILT_IN: tuple[str, ...] = ("dedup.limits",)

#: the shared library's module is ``GROUP + "__mypyc"``, inside the package
GROUP = "dedup.typed_core"

#: written by the build beside this file: the digest of the sources it compiled
DIGEST_FILE = "typed_core.digest"

#: what ``choose`` found: ``compiled``, or why the sources run instead
_state = "not chosen yet"


def package_root() -> str:
    """The folder holding the ``dedup`` package."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def source_path(module: str, root: str) -> str:
    return os.path.join(root, *module.split(".")) + ".py"


def sources_digest(root: str, modules: Sequence[str] = MODULES + BUILT_IN) -> str:
    """A digest of the sources a build compiles or takes values from, under ``root``."""
    digest = hashlib.sha256()
    for module in modules:
        with open(source_path(module, root), "rb") as source:
            data = source.read()
        digest.update(module.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


def _built(root: str) -> bool:
    """Whether every compiled module and the shared library are there."""
    return all(_has_extension(os.path.join(root, *name.split("."))) for name in (*MODULES, GROUP + "__mypyc"))


def _built_from_these_sources(root: str) -> bool:
    try:
        with open(os.path.join(root, "dedup", DIGEST_FILE), encoding="ascii") as stamp:
            built = stamp.read().strip()
        return built == sources_digest(root)
    except OSError:
        return False


def choose() -> None:
    """Use the compiled modules, or make their sources be imported instead: ``DEDUP_PURE=1``,
    or a build of other sources.  Called by ``dedup/__init__.py`` before any of them is imported."""
    from dedup.config import pure_requested  # (not at the top: setup.py runs this file alone)

    global _state
    if _SOURCES in sys.meta_path:
        return
    # (always there: it also keeps an extension module left over from a module no longer in
    # ``MODULES`` from standing in for its source)
    sys.meta_path.insert(0, _SOURCES)
    root = package_root()
    if not _built(root):
        _state = "sources: not compiled (no C compiler or no mypyc at install time, or the build failed)"
    elif pure_requested():
        _state = "sources: DEDUP_PURE=1"
    elif not _built_from_these_sources(root):
        _state = "sources: the build compiled other sources (install again)"
    else:
        _state = "compiled"
    _SOURCES.core_as_sources = _state != "compiled"


def state() -> str:
    """``compiled``, or ``sources: `` and why."""
    return _state


class _SourceFinder:
    """Finds a module of ``MODULES`` as its ``.py`` source when the typed core is not used, ahead of
    the extension module Python would otherwise import in its place; and any other dedup module
    with a source as that source, whatever extension module stands beside it."""

    def __init__(self) -> None:
        self.core_as_sources = True

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not name.startswith("dedup.") or not path:
            return None
        if name in MODULES and not self.core_as_sources:
            return None
        leaf = name.rpartition(".")[2]
        for folder in path:
            source = os.path.join(folder, leaf + ".py")
            if os.path.exists(source):
                if name in MODULES or _has_extension(os.path.join(folder, leaf)):
                    return importlib.util.spec_from_file_location(name, source)
                return None
        return None


def _has_extension(stem: str) -> bool:
    """Whether an extension module ``stem`` + one of this Python's suffixes exists."""
    return any(os.path.exists(stem + suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES)


_SOURCES = _SourceFinder()
