"""The shared index on a real Redis server (Debian's ``redis-server``, started
here on a free loopback port)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import UNIQUE, Run, body, edited, git, write

Dedup = Callable[..., Run]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does it)")
    pytest.importorskip("redis", reason="the redis client is not installed (pip install 'dedup[redis]')")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def test_check_against_a_redis_index(repo: Path, dedup: Dedup, redis_url: str) -> None:
    url = redis_url + "?prefix=check-test"
    build = dedup("index", "build", "--index", url)
    assert build.code == 0, build.err
    assert dedup("index", "verify", "--index", url).code == 0
    write(repo, "new.txt", "新稿件", *UNIQUE[:3], edited(body(repo / "article-02.txt")), UNIQUE[3])
    run = dedup("check", "--index", url, "new.txt")
    assert run.code == 1
    [line] = run.lines()
    assert "matches article-02.txt:" in line
    # the same findings as the SQLite index
    assert dedup("check", "-q", "new.txt").out == run.out
    # deleted files drop out of the shared index too
    git(repo, "rm", "-q", "article-02.txt")
    assert dedup("check", "--index", url, "new.txt").code == 0
    assert dedup("index", "verify", "--index", url).code == 0
    stats = dedup("index", "stats", "--index", url)
    assert "(redis)" in stats.out and "files        10" in stats.out


def test_a_settings_change_clears_the_redis_index(repo: Path, dedup: Dedup, redis_url: str) -> None:
    url = redis_url + "?prefix=settings-test"
    assert dedup("index", "build", "--index", url).code == 0
    (repo / "dedup.toml").write_text("shingle_size = 2\n", encoding="utf-8")
    run = dedup("index", "update", "--index", url)
    assert "shingle_size 3 -> 2" in run.err and "10 indexed" in run.err
    assert dedup("index", "verify", "--index", url).code == 0


def test_an_unreachable_server_is_one_line(repo: Path, dedup: Dedup) -> None:
    pytest.importorskip("redis")
    run = dedup("check", "--index", f"redis://127.0.0.1:{_free_port()}/0")
    assert run.code == 123
    assert len(run.err.strip().splitlines()) == 1 and "redis://127.0.0.1" in run.err
