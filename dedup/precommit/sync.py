"""Bringing the index up to date with the corpus before a check.

New and changed files are indexed, deleted ones forgotten; an unchanged file is
recognised by its size and modification time without being read, a touched but
unchanged one by the SHA-256 of its bytes.  An index made under another
fingerprint, or damaged, is emptied first (:func:`open_index`), so a check
never compares against data made under other settings.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dedup.config import Config
from dedup.errors import IndexDamaged, InputError
from dedup.precommit.records import FileRecord, FileState, paragraph_records
from dedup.precommit.repository import Repository, corpus_paths, read_file
from dedup.precommit.store import Store, describe_mismatch, is_redis, open_store, sqlite_path
from dedup.records import Document
from dedup.run.parallel import extract_all

Progress = Callable[[str], None]

#: files written to the index per transaction
_BATCH = 256
#: files indexed by worker processes only when there are at least this many
_PARALLEL_FROM = 400
#: a file changed this recently may change again within the same clock tick
_RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What bringing the index up to date did."""

    location: str
    files: int
    indexed: int
    removed: int
    unchanged: int
    seconds: float
    #: files of the corpus that could not be read (path, reason)
    skipped: tuple[tuple[str, str], ...] = ()
    #: why the index was rebuilt from scratch, if it was
    rebuilt: str | None = None


def silent(message: str) -> None:
    """The progress callback that says nothing."""


# --------------------------------------------------------------------------- opening


def open_index(
    repo: Repository,
    config: Config,
    location: str | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> tuple[Store, str | None]:
    """The index, ready to be brought up to date: emptied (with a reason) when it
    is new, was made under another fingerprint, or is damaged."""
    say = progress or silent
    location = location or config.index
    try:
        store = open_store(location, repo.root, config)
        stored = store.fingerprint()
    except IndexDamaged as err:
        store = replace_damaged(location, repo, config, err, say)
        stored = None
    wanted = store.wanted_fingerprint()
    reason: str | None = None
    if rebuild:
        reason = "rebuild requested"
    elif stored is None:
        reason = "no index yet"
    elif stored != wanted:
        reason = f"built with other settings ({describe_mismatch(stored, wanted)})"
        say(f"index {store.location} was {reason}; rebuilding it")
    if reason is not None:
        # a run that started at the same time may have reset it a moment ago
        store.reset(force=rebuild)
    return store, reason


def replace_damaged(
    location: str, repo: Repository, config: Config, err: IndexDamaged, say: Progress
) -> Store:
    """A new, empty index in place of a damaged one: a SQLite file is moved aside
    (``index.sqlite.damaged``, for a post-mortem), a Redis index is cleared."""
    if is_redis(location):
        say(f"{err}; clearing it and rebuilding")
        store = open_store(location, repo.root, config)
        store.reset()
        return store
    path = sqlite_path(location, repo.root)
    aside = path.with_name(path.name + ".damaged")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            shutil.move(source, Path(f"{aside}{suffix}"))
    say(f"{err}; moved it to {aside.name} and rebuilding")
    return open_store(location, repo.root, config)


# --------------------------------------------------------------------------- syncing


@dataclass
class _Survey:
    """The corpus files compared with the index, before any is read."""

    wanted: set[str]
    #: files whose size or time differ from their entry (or that have none)
    stale: list[tuple[str, os.stat_result]] = field(default_factory=list)
    #: files named by the corpus that are not there any more
    missing: list[str] = field(default_factory=list)
    unchanged: int = 0


def sync(
    store: Store,
    repo: Repository,
    config: Config,
    extra: Sequence[str] = (),
    corpus: Sequence[str] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    rehash: bool = False,
    rebuilt: str | None = None,
) -> SyncReport:
    """Bring the index up to date with the corpus (plus the ``extra`` files being
    checked): index new and changed files, forget deleted ones.  ``rehash``
    reads every file instead of trusting unchanged sizes and times; ``corpus``
    saves listing the repository again."""
    say = progress or silent
    began = time.perf_counter()
    wanted = set(corpus_paths(repo, config, store.location) if corpus is None else corpus) | set(extra)
    known = store.files()
    now = time.time_ns()
    survey = _survey(repo, wanted, known, extra, rehash)
    if len(survey.stale) > _PARALLEL_FROM or rebuilt:
        what = "building" if rebuilt else "updating"
        say(f"{what} index {store.location} from {len(survey.stale):,} files")
    touched: list[FileState] = []
    skipped: list[tuple[str, str]] = []
    gone = sorted(p for p in known if p not in wanted or p in survey.missing)
    store.write(removed=gone)
    changed = _changed_files(repo, survey.stale, known, extra, now, touched, skipped)
    indexed = _index(store, changed, len(survey.stale), config, workers, say)
    unreadable = sorted({path for path, _ in skipped} & set(known))
    store.write(removed=unreadable, touched=touched)
    return SyncReport(
        location=store.location,
        files=len(wanted) - len(survey.missing) - len(skipped),
        indexed=indexed,
        removed=len(gone) + len(unreadable),
        unchanged=survey.unchanged + len(touched),
        seconds=round(time.perf_counter() - began, 3),
        skipped=tuple(skipped),
        rebuilt=rebuilt,
    )


def _survey(
    repo: Repository, wanted: set[str], known: dict[str, FileState], extra: Sequence[str], rehash: bool
) -> _Survey:
    """Which wanted files may have changed, by size and time alone (every one with ``rehash``)."""
    survey = _Survey(wanted)
    for path in sorted(wanted):
        st = _stat(repo.root / path)
        if st is None:
            if path in extra:
                raise InputError("cannot read: no such file", path)
            survey.missing.append(path)
            continue
        entry = known.get(path)
        if entry is not None and not rehash and entry.size == st.st_size and entry.mtime_ns == st.st_mtime_ns:
            survey.unchanged += 1
        else:
            survey.stale.append((path, st))
    return survey


def _stat(path: Path) -> os.stat_result | None:
    """The status of a regular file; ``None`` when it is not one (or not there)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def _changed_files(
    repo: Repository,
    stale: Sequence[tuple[str, os.stat_result]],
    known: dict[str, FileState],
    extra: Sequence[str],
    now: int,
    touched: list[FileState],
    skipped: list[tuple[str, str]],
) -> Iterator[tuple[FileState, str]]:
    """Stale files whose content did change, read one at a time (a build streams
    the corpus).  Files whose content is unchanged go to ``touched``; corpus files
    that cannot be read to ``skipped`` (a file being checked must be readable).
    ``now`` is when the survey began."""
    for path, st in stale:
        try:
            data, text, _ = read_file(repo.root / path, path)
        except InputError as err:
            if path in extra:
                raise
            skipped.append((path, str(err)))
            continue
        # a file written within the last clock tick may change again unseen: record no time for it
        mtime = st.st_mtime_ns if now - st.st_mtime_ns > _RACY_NS else 0
        state = FileState(path, hashlib.sha256(data).hexdigest(), st.st_size, mtime)
        entry = known.get(path)
        if entry is not None and entry.sha == state.sha:
            touched.append(state)
        else:
            yield state, text


def _index(
    store: Store,
    files: Iterator[tuple[FileState, str]],
    expected: int,
    config: Config,
    workers: int,
    say: Progress,
) -> int:
    """Extract and write files in batches of one transaction each; returns how many."""
    queue: deque[tuple[FileState, str]] = deque()

    def documents() -> Iterator[Document]:
        for state, text in files:
            queue.append((state, text))
            yield Document(state.path, text, state.path)

    use = workers if expected >= _PARALLEL_FROM else 1
    batch: list[FileRecord] = []
    done = 0
    step = max(1000, expected // 10)
    for extracted in extract_all(documents(), config, use):
        state, text = queue.popleft()
        batch.append(FileRecord(state, paragraph_records(text, extracted.items)))
        if len(batch) >= _BATCH:
            store.write(batch)
            done += len(batch)
            batch = []
            if expected > _PARALLEL_FROM and done % step < _BATCH:
                say(f"indexed {done:,}/{expected:,} files")
    store.write(batch)
    return done + len(batch)
