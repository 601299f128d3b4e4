"""The index in Redis (``redis://host:port/db``), for an index shared by a team.

The same records as the SQLite index, with datasketch's ``MinHashLSH`` on Redis
storage for the bands.  Keys (under ``<prefix>:``): ``meta`` (hash), ``files``
(hash: path -> JSON with the content hash and paragraph ids), ``para`` (hash:
id -> packed record), ``key:<hash>`` and ``anchor:<hash>`` (sets of ids),
``next`` (id counter), and datasketch ``MinHashLSH`` storage under ``<prefix>:lsh``.

A packed record is a fixed head (``<iiiiiiiBqiII``: index, line, col, start,
end, content start and end, shape code, key hash, size, and the byte lengths of
the shingles and tokens), then the path (uint32 length, UTF-8), the shingle
hashes and the word lengths as :mod:`dedup.precommit.records` encodes them.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from dedup.config import Config
from dedup.errors import ConfigError, IndexDamaged, IndexUnavailable
from dedup.limits import MAX_POSTINGS
from dedup.matching.signature import to_datasketch
from dedup.precommit.records import (
    FileRecord,
    FileState,
    Hits,
    IndexStats,
    ParagraphRecord,
    Place,
    Probe,
    StoredParagraph,
    pack_hashes,
    pack_tokens,
    stored_fields,
    stored_paragraph,
)
from dedup.precommit.store import (
    Store,
    anchor_hashes,
    batches,
    most_shared,
    signable,
    signatures,
)

if TYPE_CHECKING:
    from datasketch import MinHashLSH


def redis_settings(url: str) -> tuple[dict[str, Any], str]:
    """``redis.Redis`` keyword arguments and the key prefix for a ``redis://`` URL
    (``redis://[:password@]host:port/db?prefix=NAME``)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    prefix = query.get("prefix", ["dedup"])[0]
    if parts.scheme == "unix":
        params: dict[str, Any] = {"unix_socket_path": parts.path, "db": int(query.get("db", ["0"])[0])}
    else:
        try:
            db = int(parts.path.strip("/") or 0)
            port = parts.port or 6379
        except ValueError:
            raise ConfigError(f"index {url!r}: expected redis://host:port/db") from None
        params = {"host": parts.hostname or "localhost", "port": port, "db": db}
        if parts.scheme == "rediss":
            params["ssl"] = True
    if parts.password:
        params["password"] = parts.password
    if parts.username:
        params["username"] = parts.username
    return params, prefix


_RECORD_HEAD = struct.Struct("<iiiiiiiBqiII")


def pack_record(path: str, p: ParagraphRecord) -> bytes:
    """A paragraph and its file's path as one Redis value."""
    shingles = pack_hashes(p.hashes)
    tokens = pack_tokens(p.tokens)
    name = path.encode("utf-8")
    head = _RECORD_HEAD.pack(*stored_fields(p), len(shingles), len(tokens))
    return head + struct.pack("<I", len(name)) + name + shingles + tokens


def unpack_record(pid: int, blob: bytes) -> StoredParagraph:
    (index, line, col, start, end, cstart, cend, shape, key, size, n_sh, n_tok) = _RECORD_HEAD.unpack_from(
        blob
    )
    at = _RECORD_HEAD.size
    (n_name,) = struct.unpack_from("<I", blob, at)
    at += 4
    path = blob[at : at + n_name].decode("utf-8")
    at += n_name
    shingles = blob[at : at + n_sh]
    at += n_sh
    tokens = blob[at : at + n_tok]
    if at + n_tok != len(blob):
        raise ValueError("record length does not add up")
    fields = (index, line, col, start, end, cstart, cend, shape, key, size)
    return stored_paragraph(pid, path, fields, shingles, tokens)


def _file_json(state: FileState, ids: Sequence[int]) -> str:
    return json.dumps({"sha": state.sha, "size": state.size, "mtime_ns": state.mtime_ns, "ids": list(ids)})


class RedisStore(Store):
    """The index in Redis, shared by everyone who points at the same server.
    Each file is written in one MULTI/EXEC transaction, the LSH entries next to it."""

    def __init__(self, url: str, config: Config) -> None:
        try:
            import redis
        except ImportError:
            raise ConfigError("a redis:// index needs the redis extra: pip install 'dedup[redis]'") from None
        self.location = url
        self.config = config
        self._params, prefix = redis_settings(url)
        self._prefix = prefix + ":"
        self._params["socket_timeout"] = 30
        self._redis = redis.Redis(**self._params)
        self._redis_errors: tuple[type[BaseException], ...] = (redis.RedisError,)
        self._lsh_cache: MinHashLSH | None = None
        with self._guard():
            self._redis.ping()

    def _k(self, *parts: str | int) -> str:
        return self._prefix + ":".join(str(p) for p in parts)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._redis_errors as err:
            raise IndexUnavailable(f"{self.location}: {err}") from None

    @property
    def _lsh(self) -> MinHashLSH:
        if self._lsh_cache is None:
            from datasketch import MinHashLSH

            self._lsh_cache = MinHashLSH(
                threshold=self.config.lsh_threshold,
                num_perm=self.config.num_perm,
                weights=(0.1, 0.9),
                storage_config={
                    "type": "redis",
                    "basename": self._k("lsh").encode("utf-8"),
                    "redis": dict(self._params),
                },
                prepickle=False,
            )
        return self._lsh_cache

    def close(self) -> None:
        self._redis.close()

    # -- meta

    def fingerprint(self) -> dict[str, str] | None:
        with self._guard():
            raw = self._redis.hget(self._k("meta"), "fingerprint")
        if raw is None:
            if self._any_keys():
                raise IndexDamaged(self.location, "keys without a fingerprint")
            return None
        return self.read_fingerprint(raw)

    def _any_keys(self) -> bool:
        with self._guard():
            cursor, keys = self._redis.scan(0, match=self._prefix + "*", count=100)
            while not keys and cursor:
                cursor, keys = self._redis.scan(cursor, match=self._prefix + "*", count=1000)
        return bool(keys)

    def reset(self, force: bool = True) -> None:
        if not force and self.fingerprint() == self.wanted_fingerprint():
            return
        with self._guard():
            batch: list[bytes] = []
            for key in self._redis.scan_iter(match=self._prefix + "*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    self._redis.delete(*batch)
                    batch = []
            if batch:
                self._redis.delete(*batch)
            self._redis.hset(self._k("meta"), mapping={k: v for k, v in self.new_meta().items()})
        self._lsh_cache = None

    # -- files

    def _file_entries(self) -> dict[str, dict[str, Any]]:
        with self._guard():
            raw = self._redis.hgetall(self._k("files"))
        out: dict[str, dict[str, Any]] = {}
        for path, value in raw.items():
            try:
                entry = json.loads(value)
                out[path.decode("utf-8") if isinstance(path, bytes) else path] = {
                    "sha": str(entry["sha"]),
                    "size": int(entry["size"]),
                    "mtime_ns": int(entry["mtime_ns"]),
                    "ids": [int(i) for i in entry["ids"]],
                }
            except (ValueError, KeyError, TypeError) as err:
                raise IndexDamaged(self.location, f"unreadable file entry: {err}") from None
        return out

    def files(self) -> dict[str, FileState]:
        return {
            path: FileState(path, e["sha"], e["size"], e["mtime_ns"])
            for path, e in self._file_entries().items()
        }

    def write(
        self,
        records: Sequence[FileRecord] = (),
        removed: Sequence[str] = (),
        touched: Sequence[FileState] = (),
    ) -> None:
        if not records and not removed and not touched:
            return
        entries = self._file_entries()
        dropped: list[int] = []
        inserted: list[tuple[int, ParagraphRecord]] = []
        with self._guard():
            for path in removed:
                if path in entries:
                    dropped.extend(self._drop(path, entries[path]["ids"]))
            for state in touched:
                self._touch(state, entries)
            for record in records:
                if self._touch(record.state, entries):
                    continue
                entry = entries.get(record.state.path)
                if entry is not None:
                    dropped.extend(self._drop(record.state.path, entry["ids"]))
                inserted.extend(self._write_file(record))
            self._lsh_forget(dropped)
            self._lsh_insert(inserted)

    def _touch(self, state: FileState, entries: dict[str, dict[str, Any]]) -> bool:
        """Update the size and time of a file indexed with this content; whether it was."""
        entry = entries.get(state.path)
        if entry is None or entry["sha"] != state.sha:
            return False
        self._redis.hset(self._k("files"), state.path, _file_json(state, entry["ids"]))
        return True

    def _write_file(self, record: FileRecord) -> list[tuple[int, ParagraphRecord]]:
        """A file's records, in one transaction (readers see all of it or none);
        returns the paragraphs that go into the LSH, with their ids."""
        state = record.state
        count = len(record.paragraphs)
        last = int(self._redis.incrby(self._k("next"), count)) if count else 0
        ids = list(range(last - count + 1, last + 1))
        signed: list[tuple[int, ParagraphRecord]] = []
        pipe = self._redis.pipeline(transaction=True)
        for p, pid in zip(record.paragraphs, ids, strict=True):
            pipe.hset(self._k("para"), str(pid), pack_record(state.path, p))
            pipe.sadd(self._k("key", p.key_hash), pid)
            if signable(p, self.config):
                for h in anchor_hashes(p.hashes):
                    pipe.sadd(self._k("anchor", h), pid)
                signed.append((pid, p))
        pipe.hset(self._k("files"), state.path, _file_json(state, ids))
        pipe.execute()
        return signed

    def _lsh_forget(self, dropped: Sequence[int]) -> None:
        """Remove paragraphs from datasketch's LSH storage, in one buffered session
        (one round trip per few thousand commands)."""
        lsh_keys = [str(pid).encode() for pid in dropped]
        present = [key for key in lsh_keys if key in self._lsh]
        if present:
            with self._lsh.deletion_session() as deleting:
                for key in present:
                    deleting.remove(key)

    def _lsh_insert(self, inserted: Sequence[tuple[int, ParagraphRecord]]) -> None:
        """Add paragraphs to datasketch's LSH storage, in one buffered session."""
        if not inserted:
            return
        rows = signatures([p for _, p in inserted], self.config)
        with self._lsh.insertion_session() as session:
            for (pid, _), signature in zip(inserted, rows, strict=True):
                session.insert(
                    str(pid).encode(), to_datasketch(signature, self.config), check_duplication=False
                )

    def _drop(self, path: str, ids: Sequence[int]) -> list[int]:
        """Remove a file's records; returns the ids that have LSH entries."""
        stored = self._fetch_many(ids)
        pipe = self._redis.pipeline(transaction=True)
        signed: list[int] = []
        for pid in ids:
            s = stored.get(pid)
            if s is not None:
                pipe.srem(self._k("key", s.record.key_hash), pid)
                if signable(s.record, self.config):
                    signed.append(pid)
                    for h in anchor_hashes(s.record.hashes):
                        pipe.srem(self._k("anchor", h), pid)
            pipe.hdel(self._k("para"), str(pid))
        pipe.hdel(self._k("files"), path)
        pipe.execute()
        return signed

    def _fetch_many(self, ids: Iterable[int]) -> dict[int, StoredParagraph]:
        wanted = sorted(set(ids))
        out: dict[int, StoredParagraph] = {}
        for chunk in batches(wanted):
            with self._guard():
                values = self._redis.hmget(self._k("para"), [str(i) for i in chunk])
            for pid, blob in zip(chunk, values, strict=True):
                if blob is None:
                    continue
                try:
                    out[pid] = unpack_record(pid, blob if isinstance(blob, bytes) else blob.encode("latin-1"))
                except (ValueError, struct.error, UnicodeDecodeError) as err:
                    raise IndexDamaged(self.location, f"unreadable paragraph {pid}: {err}") from None
        return out

    # -- lookups

    def lookup(self, probes: Sequence[Probe]) -> list[Hits]:
        with self._guard():
            posted = self._anchor_members(
                sorted({h for probe in probes for h in anchor_hashes(probe.distinct)})
            )
            pipe = self._redis.pipeline(transaction=False)
            for probe in probes:
                pipe.smembers(self._k("key", probe.key_hash))
            exact_sets = pipe.execute()
            out: list[Hits] = []
            for probe, exact in zip(probes, exact_sets, strict=True):
                near: list[int] = []
                if probe.signature is not None:
                    near = sorted(
                        int(k) for k in self._lsh.query(to_datasketch(probe.signature, self.config))
                    )
                shared = most_shared(anchor_hashes(probe.distinct), posted)
                out.append(Hits(tuple(sorted(int(i) for i in exact)), tuple(near), shared))
        return out

    def _anchor_members(self, wanted: Sequence[int]) -> dict[int, list[int]]:
        """The paragraphs posted under each anchor, for anchors posted under at most
        ``MAX_POSTINGS`` (a stock phrase in more proposes nothing)."""
        pipe = self._redis.pipeline(transaction=False)
        for h in wanted:
            pipe.scard(self._k("anchor", h))
        sizes = pipe.execute()
        pipe = self._redis.pipeline(transaction=False)
        small = [h for h, n in zip(wanted, sizes, strict=True) if 0 < n <= MAX_POSTINGS]
        for h in small:
            pipe.smembers(self._k("anchor", h))
        return {h: sorted(int(m) for m in members) for h, members in zip(small, pipe.execute(), strict=True)}

    def locate(self, ids: Iterable[int]) -> dict[int, Place]:
        return {
            pid: Place(pid, s.path, s.record.index, s.record.key_hash)
            for pid, s in self._fetch_many(ids).items()
        }

    def fetch(self, ids: Iterable[int]) -> dict[int, StoredParagraph]:
        return self._fetch_many(ids)

    def file_paragraphs(self, path: str) -> list[StoredParagraph]:
        with self._guard():
            raw = self._redis.hget(self._k("files"), path)
        if raw is None:
            return []
        try:
            ids = [int(i) for i in json.loads(raw)["ids"]]
        except (ValueError, KeyError, TypeError) as err:
            raise IndexDamaged(self.location, f"unreadable file entry: {err}") from None
        stored = self._fetch_many(ids)
        return sorted((stored[i] for i in ids if i in stored), key=lambda s: s.record.index)

    # -- inspection

    def stats(self) -> IndexStats:
        entries = self._file_entries()
        with self._guard():
            paragraphs = int(self._redis.hlen(self._k("para")))
            anchors = sum(1 for _ in self._redis.scan_iter(match=self._k("anchor", "*"), count=1000))
            used = int(self._redis.info("memory").get("used_memory", 0))
            lsh_keys = int(self._redis.hlen(self._k("lsh") + "_keys"))
        fingerprint = self.fingerprint() or {}
        return IndexStats(
            self.location, "redis", len(entries), paragraphs, lsh_keys, anchors, used, fingerprint
        )

    def verify(self) -> list[str]:
        problems: list[str] = []
        try:
            entries = self._file_entries()
            all_ids = [i for e in entries.values() for i in e["ids"]]
            stored = self._fetch_many(all_ids)
        except IndexDamaged as err:
            return [err.reason]
        missing = len(all_ids) - len(stored)
        if missing:
            problems.append(f"{missing} paragraphs of indexed files are missing")
        with self._guard():
            extra = int(self._redis.hlen(self._k("para"))) - len(stored)
        if extra > 0:
            problems.append(f"{extra} paragraphs belong to no file")
        signed = sum(1 for s in stored.values() if signable(s.record, self.config))
        with self._guard():
            lsh_keys = int(self._redis.hlen(self._k("lsh") + "_keys"))
        if lsh_keys != signed:
            problems.append(f"LSH holds {lsh_keys} signatures for {signed} signable paragraphs")
        for path, entry in entries.items():
            for pid in entry["ids"]:
                s = stored.get(pid)
                if s is not None and s.path != path:
                    problems.append(f"{path}: paragraph {pid} belongs to {s.path}")
        return problems
