"""``dedup check``: keep a corpus of articles in git free of repeated paragraphs,
commit by commit.

A commit may not add a paragraph that the corpus already has (exactly, nearly,
or as a piece of a larger one), nor an article that is a near-copy of one
already there.  pre-commit hands the changed files over in batches, so each
batch is compared with the whole corpus through the persistent index
(:mod:`dedup.precommit.store`), which holds every corpus file: the repository's tracked
files that match the ``files`` setting, plus the files being checked.  Before
each check the index catches up with the working tree (:mod:`dedup.precommit.sync`).

Decisions are the cleaner's own: a checked file is extracted by the cleaner's
:class:`~dedup.matching.features.Extractor`, its candidates gathered by the
cleaner's :func:`~dedup.matching.candidates.earlier_candidates` from what the
index finds (:mod:`dedup.precommit.candidates`), and it is resolved by the
cleaner's :func:`~dedup.run.document.clean_document` (repeated joins included),
so ``dedup check`` reports what ``dedup clean`` would remove.  Which of two
copies is the repeat follows one order over all paragraphs
(:class:`dedup.precommit.order.Order`): committed before new, then path and position.

The library never prints: progress goes to an optional callback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dedup.config import Config
from dedup.errors import DedupError, IndexDamaged, InputError
from dedup.files.atomic import atomic_write
from dedup.matching.features import Extracted
from dedup.matching.item import Item
from dedup.matching.verify import Decision
from dedup.precommit.candidates import IndexCandidates
from dedup.precommit.file_cache import FileCache
from dedup.precommit.order import Order
from dedup.precommit.records import FileState, IndexStats, line_col, line_starts
from dedup.precommit.repository import (
    Repository,
    changed_paths,
    corpus_matcher,
    corpus_paths,
    read_file,
)
from dedup.precommit.store import Store, describe_mismatch, is_redis, open_store
from dedup.precommit.sync import Progress, SyncReport, open_index, replace_damaged, silent, sync
from dedup.records import NearCopy
from dedup.run.document import clean_document
from dedup.text.layout import layout_of
from dedup.text.rewrite import rewrite_page
from dedup.text.segment import split_paragraphs

# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a corpus file (repo-relative path, 1-based line and column)."""

    path: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Finding:
    """A repeated paragraph (``kind`` is a removal kind) or a near-copy article
    (``kind == "near-copy"``, ``paragraph == -1``), with what it repeats."""

    path: str
    line: int
    col: int
    kind: str
    score: float
    matches: tuple[Location, ...]
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The findings in one checked file; ``fixed`` when ``--fix`` rewrote it."""

    path: str
    findings: tuple[Finding, ...] = ()
    fixed: bool = False
    #: why findings were left in place by ``--fix``
    unfixed: str | None = None


@dataclass(frozen=True, slots=True)
class CheckReport:
    files: tuple[FileCheck, ...]
    index: SyncReport
    fingerprint: dict[str, str] = field(default_factory=dict)
    #: paths given that are not corpus files (``files`` / ``exclude`` settings)
    ignored: tuple[str, ...] = ()

    @property
    def findings(self) -> int:
        return sum(len(f.findings) for f in self.files)

    @property
    def fixed(self) -> int:
        return sum(1 for f in self.files if f.fixed)

    @property
    def duplicates_found(self) -> bool:
        return any(f.findings for f in self.files)


@dataclass(frozen=True, slots=True)
class Verification:
    location: str
    problems: tuple[str, ...]
    stale: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.stale


# --------------------------------------------------------------------------- checking one file


def _by_path(doc_id: str) -> str:
    """The corpus order of files, for the near-copy choice: of two earlier files
    repeated as much, the first in path order is named the source."""
    return doc_id


@dataclass
class _Checker:
    store: Store
    repo: Repository
    config: Config
    files: FileCache
    candidates: IndexCandidates
    targets: Sequence[str]
    tracked: Sequence[str]

    def _sync(self) -> None:
        sync(self.store, self.repo, self.config, extra=self.targets, corpus=self.tracked)

    def check_file(self, path: str, fix: bool) -> FileCheck:
        """A file resolved as the cleaner resolves a document
        (:func:`~dedup.run.document.clean_document`), against the paragraphs of
        other files that come before its own."""
        extracted = self._extracted(path)
        external = self.candidates.external(path, extracted.items)
        resolution = clean_document(extracted, external, self.config, _by_path)
        decisions = resolution.decisions
        copy = resolution.result.near_copy_of
        if copy is not None and copy.action == "keep":
            # kept by policy: the article was resolved against itself alone
            copy = None
        findings = self._findings(path, extracted.items, decisions, copy)
        if not fix or not findings:
            return FileCheck(path, findings)
        if copy is not None and copy.action == "drop":
            return FileCheck(path, findings, unfixed="a near-copy article is not deleted by --fix")
        self._rewrite(path, set(decisions))
        return FileCheck(path, findings, fixed=True)

    def _extracted(self, path: str) -> Extracted:
        """The checked file's features, signed (indexed again if it changed a moment ago)."""
        extracted = self.files.extracted(path, signed=True)
        if extracted is None:
            # changed since it was indexed a moment ago: index it again
            self._sync()
            self.files.forget(path)
            extracted = self.files.extracted(path, signed=True)
            if extracted is None:
                raise InputError("changed while being checked", path)
        return extracted

    def _location(self, path: str, offset: int) -> Location:
        return Location(path, *self.files.location(path, offset))

    def _findings(
        self, path: str, items: Sequence[Item], decisions: dict[int, Decision], copy: NearCopy | None
    ) -> tuple[Finding, ...]:
        text = self.files.text(path) or ""
        starts = line_starts(text)
        out: list[Finding] = []
        if copy is not None:
            first = items[0].paragraph
            line, col = line_col(starts, first.start)
            source_start = self.files.item(copy.id, 0)
            where = (
                self._location(copy.id, source_start.paragraph.start)
                if source_start is not None
                else Location(copy.id, 1, 1)
            )
            out.append(Finding(path, line, col, "near-copy", copy.similarity, (where,), -1, 0, len(text)))
        for index in sorted(decisions):
            decision = decisions[index]
            p = decision.item.paragraph
            line, col = line_col(starts, p.start)
            matches = tuple(self._location(m.id, m.start) for m in decision.matches)
            out.append(
                Finding(path, line, col, decision.kind, decision.score, matches, p.index, p.start, p.end)
            )
        return tuple(out)

    def _rewrite(self, path: str, removed: set[int]) -> None:
        target = self.repo.root / path
        _, text, encoding = read_file(target, path)
        # read as the check read it, and written as the cleaner writes that layout
        layout = layout_of(text, self.config.paragraphs)
        paragraphs = [
            dataclasses.replace(p, content_start=p.start, content_end=p.end, is_marker=False)
            for p in split_paragraphs(text, layout=layout)
        ]
        cleaned = rewrite_page(text, paragraphs, removed, set(), layout)
        try:
            data = cleaned.encode(encoding)
        except UnicodeEncodeError as err:
            raise DedupError(f"{path}: cannot write back as {encoding}: {err.reason}") from None
        atomic_write(target, data)
        self.files.forget(path)
        self._sync()


# --------------------------------------------------------------------------- entry points


def select(
    paths: Iterable[str],
    repo: Repository,
    config: Config,
    location: str | None = None,
    cwd: Path | None = None,
) -> tuple[list[str], list[str]]:
    """The corpus files among ``paths`` as repo-relative paths (a directory stands
    for the files under it that the ``files`` setting selects), and the paths
    given by name that the settings leave out of the corpus."""
    wanted = corpus_matcher(config, repo, location or config.index)
    chosen: list[str] = []
    ignored: list[str] = []
    for raw in paths:
        rel = repo.relative(raw, cwd)
        full = repo.root / rel
        if full.is_dir():
            for folder, dirs, files in os.walk(full):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    candidate = (Path(folder) / name).relative_to(repo.root).as_posix()
                    if wanted(candidate):
                        chosen.append(candidate)
        elif not full.is_file():
            raise InputError("cannot read: no such file", str(raw))
        elif wanted(rel):
            chosen.append(rel)
        else:
            ignored.append(rel)
    return sorted(set(chosen)), ignored


def check(
    paths: Sequence[str] | None,
    repo: Repository,
    config: Config,
    *,
    fix: bool = False,
    location: str | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    cwd: Path | None = None,
) -> CheckReport:
    """Check ``paths`` (every corpus file when ``None``) against the whole corpus;
    with ``fix``, rewrite them without their repeated paragraphs."""
    say = progress or silent
    location = location or config.index
    tracked = corpus_paths(repo, config, location)
    ignored: list[str] = []
    if paths is None:
        targets = tracked
    else:
        targets, ignored = select(paths, repo, config, location, cwd)
    changed = changed_paths(repo)
    if changed is not None:
        # files being checked that git does not know yet are new too
        changed |= set(targets) - set(tracked)
    for attempt in (1, 2):
        store, rebuilt = open_index(repo, config, location, say)
        try:
            index = sync(
                store,
                repo,
                config,
                extra=targets,
                corpus=tracked,
                workers=workers,
                progress=say,
                rebuilt=rebuilt,
            )
            files = FileCache(store, repo, config)
            candidates = IndexCandidates(store, files, Order(repo, changed, config.paragraphs), config)
            checker = _Checker(store, repo, config, files, candidates, targets, tracked)
            checked = tuple(checker.check_file(path, fix) for path in targets)
            return CheckReport(
                files=checked, index=index, fingerprint=store.wanted_fingerprint(), ignored=tuple(ignored)
            )
        except IndexDamaged as err:
            # a SQLite index damaged under us is moved aside and built again, once
            if attempt == 2 or is_redis(location):
                raise
            store.close()
            replace_damaged(location, repo, config, err, say).close()
        finally:
            store.close()
    raise AssertionError("unreachable")


def build(
    repo: Repository,
    config: Config,
    *,
    location: str | None = None,
    rebuild: bool = False,
    rehash: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
) -> SyncReport:
    """``dedup index build`` (``rebuild``) and ``update``: bring the index up to date."""
    say = progress or silent
    store, rebuilt = open_index(repo, config, location, say, rebuild=rebuild)
    try:
        return sync(store, repo, config, workers=workers, progress=say, rehash=rehash, rebuilt=rebuilt)
    finally:
        store.close()


def verify(repo: Repository, config: Config, location: str | None = None) -> Verification:
    """Check the index without changing it: storage integrity, fingerprint, and
    whether every entry still matches its file."""
    location = location or config.index
    try:
        store = open_store(location, repo.root, config)
    except IndexDamaged as err:
        return Verification(location, (str(err),), ())
    try:
        problems: list[str] = []
        try:
            stored = store.fingerprint()
            if stored is None:
                problems.append("the index is empty: run `dedup index build`")
            elif stored != store.wanted_fingerprint():
                problems.append(
                    f"built with other settings ({describe_mismatch(stored, store.wanted_fingerprint())})"
                )
            problems.extend(store.verify())
            known = store.files()
        except IndexDamaged as err:
            return Verification(store.location, (*problems, str(err)), ())
        return Verification(store.location, tuple(problems), tuple(_stale(repo, config, store, known)))
    finally:
        store.close()


def _stale(repo: Repository, config: Config, store: Store, known: dict[str, FileState]) -> list[str]:
    """Index entries that no longer match their file, and corpus files not indexed."""
    corpus = {p for p in corpus_paths(repo, config, store.location) if (repo.root / p).is_file()}
    stale: list[str] = []
    for path, entry in sorted(known.items()):
        full = repo.root / path
        if not full.is_file():
            stale.append(f"{path}: deleted")
            continue
        if hashlib.sha256(full.read_bytes()).hexdigest() != entry.sha:
            stale.append(f"{path}: changed since it was indexed")
    stale.extend(f"{path}: not indexed" for path in sorted(corpus - set(known)))
    return stale


def stats(repo: Repository, config: Config, location: str | None = None) -> IndexStats:
    """Counts, size and fingerprint of the index."""
    store = open_store(location or config.index, repo.root, config)
    try:
        return store.stats()
    finally:
        store.close()
