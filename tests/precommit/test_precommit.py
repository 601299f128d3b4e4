"""The shipped hooks (``.pre-commit-hooks.yaml``) run by the real pre-commit
framework: ``pre-commit try-repo`` on this source tree, and hooks installed in
a corpus repository's ``.pre-commit-config.yaml`` on real commits.

pre-commit installs the hook into a virtualenv of its own with pip (from PyPI),
about fifteen seconds per environment with a warm pip cache: these tests are
marked ``slow`` (``pytest -m "not slow"`` leaves them out), and they are skipped,
with the reason, when pip cannot reach a package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import GIT_USER, ROOT, UNIQUE, body, edited, git, write

pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[dev]')")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

#: a small dependency of the hook that pip must fetch from the configured index
PROBE_PACKAGE = "datasketch"


@pytest.fixture(scope="session")
def package_index_problem() -> str | None:
    """Why pip cannot install the hook's dependencies here (``None`` when it can):
    a download of one small dependency, through pip's own configuration (index,
    proxies, certificates) and without its cache, asked once per session."""
    with tempfile.TemporaryDirectory() as dest:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--dest", dest]
        command += ["--timeout", "10", "--retries", "1", "--disable-pip-version-check", PROBE_PACKAGE]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"no package index reachable: pip download {PROBE_PACKAGE} failed ({err})"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"no package index reachable: pip download {PROBE_PACKAGE} failed ({last})"
    return None


@pytest.fixture(scope="module", autouse=True)
def _needs_a_package_index(package_index_problem: str | None) -> None:
    """pre-commit installs the hook with pip: without an index there is nothing to test."""
    if package_index_problem is not None:
        pytest.skip(package_index_problem)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This source tree as committed by a user: a git repository holding the
    package, its build configuration and the hook manifest."""
    snapshot = tmp_path_factory.mktemp("hook-repo") / "dedup"
    snapshot.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, snapshot / name)
    shutil.copytree(ROOT / "dedup", snapshot / "dedup", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def duplicate(repo: Path) -> Path:
    return write(repo, "NEW.txt", "新稿件", *UNIQUE[:3], edited(body(repo / "article-04.txt")), UNIQUE[3])


def test_try_repo_fails_on_a_duplicate_naming_both_files(
    repo: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    duplicate(repo)
    done = pre_commit(repo, pre_commit_home, "try-repo", str(hook_repo), "dedup-check", "--files", "NEW.txt")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "dedup check" in output and "Failed" in output
    assert "NEW.txt:9:1:" in output and "matches article-04.txt:" in output


def test_try_repo_passes_on_a_unique_file(repo: Path, hook_repo: Path, pre_commit_home: Path) -> None:
    write(repo, "NEW.txt", "独家报道", *UNIQUE)
    done = pre_commit(repo, pre_commit_home, "try-repo", str(hook_repo), "dedup-check", "--files", "NEW.txt")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_installed_hooks_on_commits_and_fix(repo: Path, hook_repo: Path, pre_commit_home: Path) -> None:
    rev = git(hook_repo, "rev-parse", "HEAD").strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n"
        f"  - repo: {hook_repo}\n"
        f"    rev: {rev}\n"
        f"    hooks:\n"
        f"      - id: dedup-check\n"
        f"      - id: dedup-fix\n"
        f"        stages: [manual]\n",
        encoding="utf-8",
    )
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "hooks")
    installed = pre_commit(repo, pre_commit_home, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}
        return subprocess.run(
            ["git", *GIT_USER, "commit", "-m", message],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    write(repo, "unique.txt", "渡口新桥", *UNIQUE[4:])
    clean = commit("a unique article")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "dedup check" in clean.stdout + clean.stderr

    path = duplicate(repo)
    refused = commit("a pasted paragraph")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "NEW.txt:" in output and "matches article-04.txt:" in output

    fixed = pre_commit(
        repo, pre_commit_home, "run", "--hook-stage", "manual", "dedup-fix", "--files", "NEW.txt"
    )
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "files were modified by this hook" in fixed.stdout
    assert path.read_text(encoding="utf-8") == "\n\n".join(["新稿件", *UNIQUE[:4]]) + "\n"
    git(repo, "add", "NEW.txt")
    accepted = commit("the pasted paragraph removed")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
