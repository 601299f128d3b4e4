"""The repository a corpus lives in: which files are the corpus, which changed
since the last commit, and reading them.

The corpus is the repository's tracked files (``git ls-files``) that match the
``files`` setting and not ``exclude``, or, outside git, such files under the
root; the index's own directory is never part of it.  Paths are repo-relative
and POSIX everywhere in :mod:`dedup.precommit`.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dedup.config import Config
from dedup.errors import ConfigError, DedupError, InputError
from dedup.files.decoding import decode_text
from dedup.precommit.store import is_redis, sqlite_path


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

    def run_git(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """``git ARGS...`` in the root, its output captured (the caller checks the status)."""
        return subprocess.run(["git", *args], cwd=self.root, capture_output=True, check=False)

    def committed(self, path: str) -> bytes | None:
        """The bytes of ``path`` in ``HEAD``; ``None`` when it is not there (or no git)."""
        if not self.git:
            return None
        done = self.run_git("cat-file", "blob", f"HEAD:{path}")
        return done.stdout if done.returncode == 0 else None


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


def corpus_matcher(config: Config, repo: Repository, location: str) -> Callable[[str], bool]:
    """Whether a repo-relative path is a corpus file: the ``files`` and ``exclude``
    settings, never under ``.git/`` nor the directory of the index at ``location``."""
    include = re.compile(config.files)
    exclude = re.compile(config.exclude) if config.exclude else None
    hidden: list[str] = []
    if not is_redis(location):
        try:
            hidden.append(
                sqlite_path(location, repo.root).parent.resolve().relative_to(repo.root).as_posix() + "/"
            )
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
    wanted = corpus_matcher(config, repo, location or config.index)
    if repo.git:
        done = repo.run_git("ls-files", "-z", "--cached")
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
    if repo.run_git("rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        return None
    done = repo.run_git("diff", "--name-only", "-z", "--no-renames", "HEAD")
    if done.returncode != 0:
        return None
    return {n for n in done.stdout.decode("utf-8", errors="surrogateescape").split("\0") if n}


def read_file(path: Path, shown: str) -> tuple[bytes, str, str]:
    """Bytes, text and encoding of a corpus file (``shown`` names it in errors)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", shown) from None
    text, encoding = decode_text(data, shown)
    return data, text, encoding
