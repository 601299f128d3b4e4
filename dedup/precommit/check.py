"""``dedup check``: keep a corpus of articles in git free of repeated paragraphs,
commit by commit.

A commit may not add a paragraph that the corpus already has (exactly, nearly,
or as a piece of a larger one), nor an article that is a near-copy of one
already there.  pre-commit hands the changed files over in batches, so each
batch is compared with the whole corpus through the persistent index
(:mod:`dedup.precommit.store`), which holds every corpus file: the repository's tracked
files that match the ``files`` setting, plus the files being checked.  Before
each check the index catches up with the working tree (new, changed and
deleted files; unchanged ones are recognised by size and time).

Decisions are the cleaner's own: the paragraphs of a checked file are resolved
with :func:`dedup.matching.resolve.resolve_document` against candidates from the index,
so ``dedup check`` reports what ``dedup clean`` would remove.  Which of two
copies is the repeat follows one order over all paragraphs: paragraphs already
committed (in ``HEAD``) come before new ones, then by path and position.  So a
new paragraph is reported against the committed copy, and of two new copies
only the second one in path order is, which is what makes ``--fix`` safe and
independent of how pre-commit splits the file list.

The library never prints: progress goes to an optional callback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

from dedup.config import Config
from dedup.errors import ConfigError, DedupError, InputError
from dedup.matching.item import Item
from dedup.matching.resolve import repeated_share, resolve_document
from dedup.matching.verify import Decision
from dedup.precommit.store import (
    FileRecord,
    FileState,
    IndexDamaged,
    IndexStats,
    ParagraphRecord,
    Probe,
    SQLiteStore,
    Store,
    describe_mismatch,
    open_store,
)
from dedup.records import Document, Shingles

Progress = Callable[[str], None]

#: paragraphs sharing anchor shingles that are verified per paragraph (as in the cleaner)
MAX_SHARED = 16
#: files written to the index per transaction
_BATCH = 256
#: files indexed by worker processes only when there are at least this many
_PARALLEL_FROM = 400
#: candidate files whose items are kept in memory during one run
_CACHED_FILES = 2048
#: a file changed this recently may change again within the same clock tick
_RACY_NS = 2_000_000_000


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


# --------------------------------------------------------------------------- the repository


@dataclass(frozen=True, slots=True)
class Repository:
    """The directory a corpus lives in: a git work tree, or a plain directory."""

    root: Path
    git: bool

    def relative(self, path: str | os.PathLike[str], cwd: Path | None = None) -> str:
        """``path`` (relative to ``cwd``) as a POSIX path relative to the root."""
        absolute = Path(os.path.abspath((cwd or Path.cwd()) / path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            raise ConfigError(f"{path}: outside the repository {self.root}") from None

    def _git(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], cwd=self.root, capture_output=True, check=False)


def find_repository(start: Path | None = None) -> Repository:
    """The git work tree holding ``start`` (default: the current directory), or
    ``start`` itself when it is not inside one."""
    start = (start or Path.cwd()).resolve()
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, check=False, text=True
        )
    except OSError:
        return Repository(start, git=False)
    if done.returncode != 0 or not done.stdout.strip():
        return Repository(start, git=False)
    return Repository(Path(done.stdout.strip()).resolve(), git=True)


def _matcher(config: Config, repo: Repository, location: str) -> Callable[[str], bool]:
    include = re.compile(config.files)
    exclude = re.compile(config.exclude) if config.exclude else None
    hidden: list[str] = []
    if not location.startswith(("redis://", "rediss://", "unix://")):
        index_path = Path(location) if os.path.isabs(location) else repo.root / location
        try:
            hidden.append(index_path.parent.resolve().relative_to(repo.root).as_posix() + "/")
        except ValueError:
            pass

    def wanted(path: str) -> bool:
        if path.startswith(".git/") or any(path.startswith(h) for h in hidden if h != "./"):
            return False
        return bool(include.search(path)) and not (exclude and exclude.search(path))

    return wanted


def corpus_paths(repo: Repository, config: Config, location: str | None = None) -> list[str]:
    """The corpus: tracked files (``git ls-files``) matching the ``files`` setting,
    or, outside git, such files under the root (hidden directories skipped)."""
    wanted = _matcher(config, repo, location or config.index)
    if repo.git:
        done = repo._git("ls-files", "-z", "--cached")
        if done.returncode != 0:
            raise DedupError(
                f"{repo.root}: git ls-files failed: {done.stderr.decode(errors='replace').strip()}"
            )
        names = [n for n in done.stdout.decode("utf-8", errors="surrogateescape").split("\0") if n]
    else:
        names = []
        for folder, dirs, files in os.walk(repo.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            base = Path(folder).relative_to(repo.root)
            names.extend((base / name).as_posix() for name in files)
    return sorted({n for n in names if wanted(n)})


def changed_paths(repo: Repository) -> set[str] | None:
    """Files that differ from the last commit (staged or not); ``None`` when there
    is no commit yet (everything is new)."""
    if not repo.git:
        return set()
    if repo._git("rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        return None
    done = repo._git("diff", "--name-only", "-z", "--no-renames", "HEAD")
    if done.returncode != 0:
        return None
    return {n for n in done.stdout.decode("utf-8", errors="surrogateescape").split("\0") if n}


# --------------------------------------------------------------------------- reading files


def _read(path: Path, shown: str) -> tuple[bytes, str, str]:
    """Bytes, text and encoding of a corpus file."""
    from dedup.files.decoding import decode_text

    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", shown) from None
    text, encoding = decode_text(data, shown)
    return data, text, encoding


def key_hash(text: str) -> int:
    """64-bit hash of a paragraph key, signed (as SQLite stores integers)."""
    value = xxhash.xxh3_64_intdigest(text.encode("utf-8"))
    return value - (1 << 64) if value >= 1 << 63 else value


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _line_col(starts: Sequence[int], offset: int) -> tuple[int, int]:
    import bisect

    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def _token_lengths(sh: Shingles) -> np.ndarray:
    """Word lengths of a key, recovered from its shingle spans."""
    if not sh.tokens:
        return np.zeros(0, dtype=np.int32)
    count = len(sh.hashes)
    width = sh.tokens - count + 1
    bounds = np.zeros(sh.tokens + 1, dtype=np.int64)
    bounds[:count] = sh.spans[:, 0]
    bounds[width : width + count] = sh.spans[:, 1]
    return np.diff(bounds).astype(np.int32)


def _records(text: str, items: Sequence[Item]) -> tuple[ParagraphRecord, ...]:
    starts = _line_starts(text)
    out: list[ParagraphRecord] = []
    for it in items:
        p = it.paragraph
        line, col = _line_col(starts, p.start)
        out.append(
            ParagraphRecord(
                index=p.index,
                line=line,
                col=col,
                start=p.start,
                end=p.end,
                content_start=p.content_start,
                content_end=p.content_end,
                shape=p.shape,
                key_hash=key_hash(it.key.text),
                size=it.size,
                hashes=np.asarray(it.shingles.hashes, dtype=np.uint32),
                tokens=_token_lengths(it.shingles),
                signature=it.signature,
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- items


@lru_cache(maxsize=1)
def _known_extractor() -> type[Any]:
    from dedup.matching.features import Extractor

    class Known(Extractor):
        """The cleaner's own feature extraction, fed with shingles from the index
        where it has them (by key hash), so indexed files are not segmented again."""

        def __init__(self, config: Config, known: dict[int, Shingles]) -> None:
            super().__init__(config)
            self.known = known

        def shingles(self, key: str) -> Shingles:
            found = self.known.get(key_hash(key))
            return found if found is not None else super().shingles(key)

    return Known


def _items(document: Document, number: int, config: Config, known: dict[int, Shingles]) -> list[Item]:
    """The items of a document exactly as the cleaner makes them."""
    return list(_known_extractor()(config, known)(number, document).items)


class _Corpus:
    """Corpus files read back for verification: their items by paragraph index."""

    def __init__(self, store: Store, repo: Repository, config: Config) -> None:
        self.store = store
        self.repo = repo
        self.config = config
        self._plain = config.replace(scope="document")
        self._docs: dict[str, dict[int, Item] | None] = {}
        self.texts: dict[str, str] = {}
        self._numbers: dict[str, int] = {}

    def number(self, path: str) -> int:
        return self._numbers.setdefault(path, len(self._numbers))

    def text(self, path: str) -> str | None:
        if path not in self.texts:
            try:
                self.texts[path] = _read(self.repo.root / path, path)[1]
            except InputError:
                return None
        return self.texts[path]

    def items(self, path: str, signed: bool = False) -> list[Item] | None:
        """Items of a whole indexed file (``None`` when the file no longer matches
        its index entry); ``signed`` adds signatures and band keys."""
        text = self.text(path)
        if text is None:
            return None
        stored = self.store.file_paragraphs(path)
        known = {s.record.key_hash: s.record.shingles(self.config.shingle_size) for s in stored}
        config = self.config if signed else self._plain
        items = _items(Document(path, text, path), self.number(path), config, known)
        expected = [(s.record.index, s.record.key_hash) for s in stored]
        if [(it.paragraph.index, key_hash(it.key.text)) for it in items] != expected:
            return None
        return items

    def item(self, path: str, index: int) -> Item | None:
        if path not in self._docs:
            if len(self._docs) >= _CACHED_FILES:
                # checking a whole corpus: keep memory bounded
                self._docs.pop(next(iter(self._docs)))
                self.texts.clear()
            items = self.items(path)
            self._docs[path] = None if items is None else {it.paragraph.index: it for it in items}
        doc = self._docs[path]
        return None if doc is None else doc.get(index)

    def forget(self, path: str) -> None:
        self._docs.pop(path, None)
        self.texts.pop(path, None)

    def location(self, path: str, offset: int) -> Location:
        text = self.text(path) or ""
        line, col = _line_col(_line_starts(text[: offset + 1]), offset)
        return Location(path, line, col)


# --------------------------------------------------------------------------- the index


def open_index(
    repo: Repository,
    config: Config,
    location: str | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> tuple[Store, str | None]:
    """The index, ready to be brought up to date: emptied (with a reason) when it
    is new, was made under another fingerprint, or is damaged."""
    say = progress or (lambda message: None)
    location = location or config.index
    try:
        store = open_store(location, repo.root, config)
        stored = store.fingerprint()
    except IndexDamaged as err:
        store = _replace_damaged(location, repo, config, err, say)
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


def _replace_damaged(
    location: str, repo: Repository, config: Config, err: IndexDamaged, say: Progress
) -> Store:
    if location.startswith(("redis://", "rediss://", "unix://")):
        say(f"{err}; clearing it and rebuilding")
        store = open_store(location, repo.root, config)
        store.reset()
        return store
    path = Path(location) if os.path.isabs(location) else repo.root / location
    aside = path.with_name(path.name + ".damaged")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            shutil.move(source, Path(f"{aside}{suffix}"))
    say(f"{err}; moved it to {aside.name} and rebuilding")
    return open_store(location, repo.root, config)


def _stat(path: Path) -> os.stat_result | None:
    try:
        st = path.stat()
    except OSError:
        return None
    import stat as stat_module

    return st if stat_module.S_ISREG(st.st_mode) else None


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
    say = progress or (lambda message: None)
    began = time.perf_counter()
    wanted = set(corpus_paths(repo, config, store.location) if corpus is None else corpus) | set(extra)
    known = store.files()
    now = time.time_ns()
    stale: list[tuple[str, os.stat_result]] = []
    missing: list[str] = []
    unchanged = 0
    for path in sorted(wanted):
        st = _stat(repo.root / path)
        if st is None:
            if path in extra:
                raise InputError("cannot read: no such file", path)
            missing.append(path)
            continue
        entry = known.get(path)
        if entry is not None and not rehash and entry.size == st.st_size and entry.mtime_ns == st.st_mtime_ns:
            unchanged += 1
        else:
            stale.append((path, st))

    touched: list[FileState] = []
    skipped: list[tuple[str, str]] = []
    if len(stale) > _PARALLEL_FROM or rebuilt:
        what = "building" if rebuilt else "updating"
        say(f"{what} index {store.location} from {len(stale):,} files")

    def changed_files() -> Iterator[tuple[FileState, str]]:
        """Stale files whose content did change, read one at a time (a build streams the corpus)."""
        for path, st in stale:
            try:
                data, text, _ = _read(repo.root / path, path)
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

    gone = sorted(p for p in known if p not in wanted or p in missing)
    store.write(removed=gone)
    indexed = _index(store, changed_files(), len(stale), config, workers, say)
    unreadable = sorted({path for path, _ in skipped} & set(known))
    store.write(removed=unreadable, touched=touched)
    return SyncReport(
        location=store.location,
        files=len(wanted) - len(missing) - len(skipped),
        indexed=indexed,
        removed=len(gone) + len(unreadable),
        unchanged=unchanged + len(touched),
        seconds=round(time.perf_counter() - began, 3),
        skipped=tuple(skipped),
        rebuilt=rebuilt,
    )


def _index(
    store: Store,
    files: Iterator[tuple[FileState, str]],
    expected: int,
    config: Config,
    workers: int,
    say: Progress,
) -> int:
    """Extract and write files in batches of one transaction each; returns how many."""
    from dedup.run.parallel import extract_all

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
        batch.append(FileRecord(state, _records(text, extracted.items)))
        if len(batch) >= _BATCH:
            store.write(batch)
            done += len(batch)
            batch = []
            if expected > _PARALLEL_FROM and done % step < _BATCH:
                say(f"indexed {done:,}/{expected:,} files")
    store.write(batch)
    return done + len(batch)


# --------------------------------------------------------------------------- checking


class _Order:
    """The one order over all paragraphs: committed before new, then path, then position."""

    def __init__(self, repo: Repository, changed: set[str] | None) -> None:
        self.repo = repo
        self.changed = changed
        self._head: dict[str, frozenset[int]] = {}

    def is_new(self, path: str, key: int) -> bool:
        if self.changed is None:
            return True
        if path not in self.changed:
            return False
        return key not in self._head_keys(path)

    def key(self, path: str, index: int, key: int) -> tuple[bool, str, int]:
        return (self.is_new(path, key), path, index)

    def _head_keys(self, path: str) -> frozenset[int]:
        if path not in self._head:
            from dedup.files.decoding import decode_text
            from dedup.text.normalize import normalize
            from dedup.text.segment import split_paragraphs

            keys: set[int] = set()
            done = self.repo._git("cat-file", "blob", f"HEAD:{path}")
            if done.returncode == 0:
                try:
                    text = decode_text(done.stdout, path)[0]
                except InputError:
                    text = ""
                for p in split_paragraphs(text):
                    if p.has_content:
                        keys.add(
                            key_hash(normalize(text[p.content_start : p.content_end], p.content_start).text)
                        )
            self._head[path] = frozenset(keys)
        return self._head[path]


def _probe(it: Item) -> Probe:
    return Probe(key_hash(it.key.text), np.asarray(it.distinct, dtype=np.uint32), it.signature)


@dataclass
class _Checker:
    store: Store
    repo: Repository
    config: Config
    order: _Order
    corpus: _Corpus
    targets: Sequence[str]
    tracked: Sequence[str]

    def _sync(self) -> None:
        sync(self.store, self.repo, self.config, extra=self.targets, corpus=self.tracked)

    def external(self, path: str, items: Sequence[Item]) -> dict[int, list[Item]]:
        """Candidates from other files that come before each paragraph in the order."""
        if self.config.scope != "corpus" or not items:
            return {}
        hits = self.store.lookup([_probe(it) for it in items])
        places = self.store.locate({i for h in hits for i in (*h.exact, *h.near, *(s[0] for s in h.shared))})
        external: dict[int, list[Item]] = {}
        for it, hit in zip(items, hits, strict=True):
            mine = self.order.key(path, it.paragraph.index, key_hash(it.key.text))

            def before(pid: int, mine: tuple[bool, str, int] = mine) -> bool:
                place = places.get(pid)
                return (
                    place is not None
                    and place.path != path
                    and self.order.key(place.path, place.index, place.key_hash) < mine
                )

            chosen = [pid for pid in (*hit.exact, *hit.near) if before(pid)]
            shared = [pid for pid, _ in hit.shared if before(pid)][:MAX_SHARED]
            found: dict[tuple[str, int], Item] = {}
            for pid in dict.fromkeys([*chosen, *shared]):
                place = places[pid]
                q = self.corpus.item(place.path, place.index)
                if q is not None and key_hash(q.key.text) == place.key_hash:
                    found[(place.path, place.index)] = q
            if found:
                ranked = sorted(
                    found.items(), key=lambda kv: self.order.key(kv[0][0], kv[0][1], key_hash(kv[1].key.text))
                )
                external[it.paragraph.index] = [q for _, q in ranked]
        return external

    def near_copy(self, items: Sequence[Item], decisions: dict[int, Decision]) -> tuple[str, float] | None:
        """The earlier article this one mostly repeats (as the cleaner decides it)."""
        shares = repeated_share(items, decisions)
        if not shares:
            return None
        # most text shared; of equals, the first in path order
        source, similarity = min(shares.items(), key=lambda kv: (-kv[1], kv[0]))
        if similarity < self.config.near_copy_threshold:
            return None
        return source, round(similarity, 4)

    def check_file(self, path: str, fix: bool) -> FileCheck:
        items = self.corpus.items(path, signed=True)
        if items is None:
            # changed since it was indexed a moment ago: index it again
            self._sync()
            self.corpus.forget(path)
            items = self.corpus.items(path, signed=True)
            if items is None:
                raise InputError("changed while being checked", path)
        external = self.external(path, items)
        decisions = resolve_document(items, external, self.config)
        copy = self.near_copy(items, decisions) if external else None
        if copy is not None and self.config.duplicate_articles == "keep":
            decisions = resolve_document(items, {}, self.config)
            copy = None
        findings = self._findings(path, items, decisions, copy)
        if not fix or not findings:
            return FileCheck(path, findings)
        if copy is not None and self.config.duplicate_articles == "drop":
            return FileCheck(path, findings, unfixed="a near-copy article is not deleted by --fix")
        self._rewrite(path, set(decisions))
        return FileCheck(path, findings, fixed=True)

    def _findings(
        self, path: str, items: Sequence[Item], decisions: dict[int, Decision], copy: tuple[str, float] | None
    ) -> tuple[Finding, ...]:
        text = self.corpus.text(path) or ""
        starts = _line_starts(text)
        out: list[Finding] = []
        if copy is not None:
            first = items[0].paragraph
            line, col = _line_col(starts, first.start)
            source_start = self.corpus.item(copy[0], 0)
            where = (
                self.corpus.location(copy[0], source_start.paragraph.start)
                if source_start is not None
                else Location(copy[0], 1, 1)
            )
            out.append(Finding(path, line, col, "near-copy", copy[1], (where,), -1, 0, len(text)))
        for index in sorted(decisions):
            decision = decisions[index]
            p = decision.item.paragraph
            line, col = _line_col(starts, p.start)
            matches = tuple(self.corpus.location(m.id, m.start) for m in decision.matches)
            out.append(
                Finding(path, line, col, decision.kind, decision.score, matches, p.index, p.start, p.end)
            )
        return tuple(out)

    def _rewrite(self, path: str, removed: set[int]) -> None:
        from dedup.files.atomic import atomic_write
        from dedup.text.rewrite import rewrite
        from dedup.text.segment import split_paragraphs

        target = self.repo.root / path
        _, text, encoding = _read(target, path)
        paragraphs = [
            dataclasses.replace(p, content_start=p.start, content_end=p.end, is_marker=False)
            for p in split_paragraphs(text)
        ]
        cleaned = rewrite(text, paragraphs, removed, set())
        try:
            data = cleaned.encode(encoding)
        except UnicodeEncodeError as err:
            raise DedupError(f"{path}: cannot write back as {encoding}: {err.reason}") from None
        atomic_write(target, data)
        self.corpus.forget(path)
        self._sync()


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
    wanted = _matcher(config, repo, location or config.index)
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
    say = progress or (lambda message: None)
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
            checker = _Checker(
                store, repo, config, _Order(repo, changed), _Corpus(store, repo, config), targets, tracked
            )
            files = tuple(checker.check_file(path, fix) for path in targets)
            return CheckReport(
                files=files, index=index, fingerprint=store.wanted_fingerprint(), ignored=tuple(ignored)
            )
        except IndexDamaged as err:
            if attempt == 2 or not isinstance(store, SQLiteStore):
                raise
            store.close()
            _replace_damaged(location, repo, config, err, say).close()
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
    say = progress or (lambda message: None)
    store, rebuilt = open_index(repo, config, location, say, rebuild=rebuild)
    try:
        return sync(store, repo, config, workers=workers, progress=say, rehash=rehash, rebuilt=rebuilt)
    finally:
        store.close()


@dataclass(frozen=True, slots=True)
class Verification:
    location: str
    problems: tuple[str, ...]
    stale: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.stale


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
        return Verification(store.location, tuple(problems), tuple(stale))
    finally:
        store.close()


def stats(repo: Repository, config: Config, location: str | None = None) -> IndexStats:
    """Counts, size and fingerprint of the index."""
    store = open_store(location or config.index, repo.root, config)
    try:
        return store.stats()
    finally:
        store.close()
