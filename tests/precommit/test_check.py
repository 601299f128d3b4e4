"""``dedup check`` against a corpus in git: what it reports, against which copy,
across batches of files, and how the index follows the repository."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import dedup
from dedup.precommit.check import check
from dedup.precommit.repository import find_repository

from .conftest import UNIQUE, Run, body, edited, git, paragraphs, write

FINDING = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<kind>[a-z-]+): "
    r"matches (?P<matches>.+) \((?P<score>[0-9.]+)\)$"
)

Dedup = Callable[..., Run]


def findings(run: Run) -> list[dict[str, str]]:
    out = []
    for line in run.lines():
        match = FINDING.match(line)
        assert match, f"not a finding line: {line!r}"
        out.append(match.groupdict())
    return out


def test_a_clean_corpus_passes(repo: Path, dedup: Dedup) -> None:
    run = dedup("check")
    assert run.code == 0, run.err
    assert run.out == ""
    assert "building index" in run.err  # the first check builds the index from the tracked files
    assert (repo / ".dedup" / "index.sqlite").is_file()
    assert "index" not in git(repo, "status", "--porcelain")  # .dedup/ keeps itself out of git


def test_a_pasted_near_copy_names_the_source_file(repo: Path, dedup: Dedup) -> None:
    source = repo / "article-04.txt"
    write(repo, "new.txt", "一篇新稿件", UNIQUE[0], UNIQUE[1], edited(body(source)), UNIQUE[2])
    run = dedup("check", "new.txt")
    assert run.code == 1
    [finding] = findings(run)
    assert finding["path"] == "new.txt"
    assert finding["line"] == "7" and finding["col"] == "1"
    assert finding["kind"] in {"near", "exact"}
    line = paragraphs(source).index(body(source))
    assert finding["matches"] == f"article-04.txt:{2 * line + 1}"


def test_unique_text_passes(repo: Path, dedup: Dedup) -> None:
    write(repo, "new.txt", "独家报道", *UNIQUE)
    run = dedup("check", "new.txt")
    assert (run.code, run.out) == (0, "")


def test_a_fragment_is_found(repo: Path, dedup: Dedup) -> None:
    original = body(repo / "article-07.txt", 2)
    piece = original[len(original) // 3 :]
    write(repo, "new.txt", "新稿件", UNIQUE[0], piece, UNIQUE[1])
    [finding] = findings(dedup("check", "new.txt"))
    assert finding["kind"] == "fragment"
    assert finding["matches"].startswith("article-07.txt:")


def test_a_near_copy_article_is_reported(repo: Path, dedup: Dedup) -> None:
    text = (repo / "article-05.txt").read_text(encoding="utf-8")
    write(repo, "copy.txt", text.replace("，", ",", 3))
    found = findings(dedup("check", "copy.txt"))
    assert found[0]["kind"] == "near-copy"
    assert found[0]["matches"] == "article-05.txt:1"
    assert len(found) > 2


def test_the_committed_copy_is_kept(repo: Path, dedup: Dedup) -> None:
    """A paragraph added to an old file is reported, never the committed copy it repeats."""
    old = repo / "article-09.txt"  # later in path order than the source
    source = repo / "article-02.txt"
    old.write_text(old.read_text(encoding="utf-8") + "\n" + body(source) + "\n", encoding="utf-8")
    git(repo, "add", old.name)
    run = dedup("check", "article-02.txt", "article-09.txt")
    assert {f["path"] for f in findings(run)} == {"article-09.txt"}
    # and the other way round: the committed file comes first whatever its name
    git(repo, "commit", "-q", "-am", "copy")
    first = repo / "article-01.txt"
    first.write_text(
        first.read_text(encoding="utf-8") + "\n" + body(repo / "article-10.txt") + "\n", encoding="utf-8"
    )
    run = dedup("check", "article-01.txt", "article-10.txt")
    assert {f["path"] for f in findings(run)} == {"article-01.txt"}


def test_batches_see_the_whole_corpus(repo: Path, dedup: Dedup) -> None:
    """pre-commit splits the file list: each batch must still see the others' files,
    and of two new copies only the later one (in path order) is reported."""
    shared = "这是两篇新稿件共有的一段文字，内容相同，只应在后一篇中报告为重复，而不是两篇都报告。"
    write(repo, "a-new.txt", "甲稿", UNIQUE[0], shared, UNIQUE[1])
    write(repo, "b-new.txt", "乙稿", UNIQUE[2], UNIQUE[3], shared)
    together = findings(dedup("check", "a-new.txt", "b-new.txt"))
    first_batch = dedup("check", "a-new.txt")
    second_batch = findings(dedup("check", "b-new.txt"))
    assert first_batch.code == 0
    assert [(f["path"], f["line"], f["matches"]) for f in second_batch] == [("b-new.txt", "7", "a-new.txt:5")]
    assert together == second_batch


def test_the_index_follows_changes_and_deletions(repo: Path, dedup: Dedup) -> None:
    source = repo / "article-06.txt"
    write(repo, "new.txt", "新稿件", UNIQUE[0], edited(body(source)), UNIQUE[1])
    assert dedup("check", "new.txt").code == 1
    git(repo, "rm", "-q", source.name)
    run = dedup("check", "new.txt")
    assert run.code == 0, run.out
    store = sqlite3.connect(repo / ".dedup" / "index.sqlite")
    assert store.execute("SELECT count(*) FROM files WHERE path = ?", (source.name,)).fetchone()[0] == 0
    # an edit of the same size within the same clock tick is still seen
    target = repo / "article-08.txt"
    text = target.read_text(encoding="utf-8")
    assert dedup("check", "article-08.txt").code == 0
    pasted = body(repo / "article-03.txt")
    target.write_text(text + "\n" + pasted + "\n", encoding="utf-8")
    assert dedup("check", "article-08.txt").code == 1
    swapped = text + "\n" + pasted[::-1] + "\n"
    assert len(swapped.encode()) == target.stat().st_size
    stamp = target.stat().st_mtime_ns
    target.write_text(swapped, encoding="utf-8")
    os.utime(target, ns=(stamp, stamp))
    assert dedup("check", "article-08.txt").code == 0


def test_fix_removes_the_repeats_and_a_second_check_passes(repo: Path, dedup: Dedup) -> None:
    own = ["新稿件", UNIQUE[0], UNIQUE[1]]
    pasted = edited(body(repo / "article-02.txt"))
    path = write(repo, "new.txt", *own, pasted, UNIQUE[3])
    run = dedup("check", "--fix", "new.txt")
    assert run.code == 1
    assert "fixed 1 file" in run.err
    assert path.read_text(encoding="utf-8") == "\n\n".join([*own, UNIQUE[3]]) + "\n"
    assert [p.name for p in repo.iterdir() if p.name.startswith(".new")] == []
    again = dedup("check", "new.txt")
    assert (again.code, again.out) == (0, "")


def test_matches_the_cleaner(repo: Path) -> None:
    """Every corpus file checked: the same paragraphs as ``dedup.clean`` over the
    corpus in path order (the first copy kept)."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(repo.glob("*.txt"))}
    names = sorted(texts)
    write(repo, "m1.txt", "转载", body(repo / names[0]), edited(body(repo / names[3], 2)), stage=False)
    write(
        repo,
        "m2.txt",
        "摘编",
        body(repo / names[5])[10:],
        "新写的一段，不会重复，用来隔开上下两段的内容。",
        body(repo / names[0]),
        stage=False,
    )
    write(repo, "m3.txt", (repo / names[7]).read_text(encoding="utf-8").replace("。", "．", 2), stage=False)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "copies")
    report = check(None, find_repository(repo), dedup.Config())
    got = {f.path: sorted(x.paragraph for x in f.findings if x.paragraph >= 0) for f in report.files}
    files = sorted(p.name for p in repo.glob("*.txt"))
    documents = [dedup.Document(name, (repo / name).read_text(encoding="utf-8"), name) for name in files]
    wanted = {
        r.id: sorted(
            x.paragraph for x in r.removed if x.kind in {"exact", "near", "fragment", "splice", "boilerplate"}
        )
        for r in dedup.clean(documents)
    }
    assert got == wanted
    assert any(got.values())


def test_settings_changes_rebuild_the_index(repo: Path, dedup: Dedup) -> None:
    assert dedup("check").code == 0
    (repo / "dedup.toml").write_text("num_perm = 64\n", encoding="utf-8")
    write(repo, "new.txt", "新稿件", edited(body(repo / "article-01.txt")))
    run = dedup("check", "new.txt")
    assert re.search(r"was built with other settings \(.*num_perm 128 -> 64.*\); rebuilding it", run.err)
    assert run.code == 1


def test_a_damaged_index_is_reported_and_rebuilt(repo: Path, dedup: Dedup) -> None:
    assert dedup("check").code == 0
    index = repo / ".dedup" / "index.sqlite"
    index.write_bytes(b"garbage" * 1000)
    verify = dedup("index", "verify")
    assert verify.code == 1
    assert "index is damaged" in verify.out
    write(repo, "new.txt", "新稿件", edited(body(repo / "article-01.txt")))
    run = dedup("check", "new.txt")
    assert "index is damaged" in run.err and "rebuilding" in run.err
    assert run.code == 1
    assert (repo / ".dedup" / "index.sqlite.damaged").is_file()
    assert dedup("index", "verify").code == 0


def test_files_outside_the_corpus_pattern_are_ignored(repo: Path, dedup: Dedup) -> None:
    write(repo, "notes.rst", "笔记", body(repo / "article-01.txt"))
    assert dedup("check", "notes.rst").code == 0
    (repo / "pyproject.toml").write_text('[tool.dedup]\nfiles = "\\\\.(txt|rst)$"\n', encoding="utf-8")
    assert dedup("check", "notes.rst").code == 1


def test_untracked_files_are_checked_but_do_not_stay_in_the_corpus(repo: Path, dedup: Dedup) -> None:
    write(repo, "draft.txt", "草稿", "草稿里的一段新文字，尚未提交到仓库，也不会留在索引中。", stage=False)
    assert dedup("check", "draft.txt").code == 0
    write(repo, "other.txt", "另一稿", "草稿里的一段新文字，尚未提交到仓库，也不会留在索引中。")
    assert dedup("check", "other.txt").code == 0


def test_checks_from_a_subdirectory_show_paths_from_there(repo: Path, dedup: Dedup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write(repo, "sub/new.txt", "新稿件", *UNIQUE[:3], edited(body(repo / "article-01.txt")), UNIQUE[3])
    monkeypatch.chdir(repo / "sub")
    [finding] = findings(dedup("check", "new.txt"))
    assert finding["path"] == "new.txt"
    assert finding["matches"].startswith("../article-01.txt:")


def test_first_build_is_quick_enough_to_be_implicit(repo: Path, dedup: Dedup) -> None:
    began = time.perf_counter()
    assert dedup("index", "build").code == 0
    assert time.perf_counter() - began < 30
