"""The typed core (dedup/typed_core.py): resolution's modules compiled by mypyc where the install
could, their sources imported instead on ``DEDUP_PURE=1`` or when the build compiled other
sources, and the same bytes written either way."""

from __future__ import annotations

import ast
import importlib.machinery
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from compiled_parts import built

from dedup import typed_core

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dedup"

#: prints the typed core's state, then where each of its modules was imported from
_REPORT = """
import sys
{prelude}
import importlib, dedup, dedup.typed_core as core
print(core.state())
for name in core.MODULES:
    print(importlib.import_module(name).__file__)
"""

#: the package imported from a copy first (an editable install's finder would find this checkout)
_FROM_COPY = """
editable = [f for f in sys.meta_path if "editable" in repr(f) or "editable" in type(f).__module__]
sys.meta_path[:] = [f for f in sys.meta_path if f not in editable]
sys.path.insert(0, {root!r})
"""


def _report(env: dict[str, str], root: Path | None = None) -> tuple[str, list[str]]:
    prelude = "" if root is None else _FROM_COPY.format(root=str(root))
    code = _REPORT.format(prelude=prelude)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    state, *files = done.stdout.splitlines()
    return state, files


def _compiled_here() -> None:
    """Skip where the typed core is not built (fail in CI, which must build it)."""
    built(True if typed_core.state() == "compiled" else None, "the typed core (mypyc)")


def _is_extension(path: str) -> bool:
    return path.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def test_the_compiled_modules_are_the_ones_imported() -> None:
    if os.environ.get("DEDUP_PURE", "") not in ("", "0"):
        pytest.skip("DEDUP_PURE=1: the sources run")
    _compiled_here()
    state, files = _report(dict(os.environ))
    assert state == "compiled"
    assert all(_is_extension(f) for f in files), files


def test_dedup_pure_imports_every_source() -> None:
    state, files = _report({**os.environ, "DEDUP_PURE": "1"})
    assert state.startswith("sources: ")
    assert all(f.endswith(".py") for f in files), files
    assert len(files) == len(typed_core.MODULES)


def test_a_build_of_other_sources_is_not_imported(tmp_path: Path) -> None:
    """An edited checkout not installed again runs its sources, all of them (compiled modules call
    each other directly: one compiled module would run the others as they were built)."""
    _compiled_here()
    copy = tmp_path / "dedup"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "DEDUP_PURE": "0"}
    assert _report(env, tmp_path)[0] == "compiled"
    edited = copy / "limits.py"  # a module whose constants the build takes in
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    state, files = _report(env, tmp_path)
    assert state == "sources: the build compiled other sources (install again)"
    assert all(f.endswith(".py") and f.startswith(str(copy)) for f in files), files


def test_an_extension_left_beside_a_source_outside_the_core_is_not_imported(tmp_path: Path) -> None:
    """A module taken out of ``MODULES`` leaves its extension module in an editable checkout:
    its source is imported all the same."""
    extensions = sorted(p for p in PACKAGE.rglob("*") if _is_extension(p.name))
    if not extensions:
        pytest.skip("nothing compiled here")
    copy = tmp_path / "dedup"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    suffix = next(s for s in importlib.machinery.EXTENSION_SUFFIXES if extensions[0].name.endswith(s))
    shutil.copy(extensions[0], copy / f"limits{suffix}")  # (its init function is another module's)
    prelude = _FROM_COPY.format(root=str(tmp_path))
    code = f"import sys\n{prelude}\nimport dedup.limits\nprint(dedup.limits.__file__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(copy / "limits.py")


#: where a base class of a compiled class may come from besides the typed core itself
_SAFE_BASES = {"builtins", "typing", "abc", "collections.abc", "_collections_abc"}


def test_what_the_build_writes_is_not_committed() -> None:
    """Every extension module the build writes beside a source, its shared library and its digest
    are ignored by git (a module new to the core, at the package's top, once was not)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    written = [
        *(str(Path(typed_core.source_path(m, ".")).with_suffix(suffix)) for m in typed_core.MODULES),
        f"{typed_core.GROUP.replace('.', '/')}__mypyc{suffix}",
        f"dedup/{typed_core.DIGEST_FILE}",
    ]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *written], cwd=ROOT, capture_output=True, text=True
    )
    assert sorted(done.stdout.split()) == sorted(written)


def test_the_core_s_classes_extend_only_what_mypyc_can_lay_out() -> None:
    """A native class over another module's Python subclass of a builtin (``Recent``, an
    ``OrderedDict``) crashed compiled: every class of the core extends only its own classes,
    builtins and the typing ABCs."""
    import importlib

    core = set(typed_core.MODULES)
    for name in typed_core.MODULES:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if isinstance(cls, type) and cls.__module__ == name:
                foreign = [b for b in cls.__mro__ if b.__module__ not in core | _SAFE_BASES]
                assert not foreign, f"{name}.{cls.__name__} extends {foreign}"


def test_the_digest_changes_with_any_source_it_covers(tmp_path: Path) -> None:
    modules = [*typed_core.MODULES, *typed_core.BUILT_IN]
    for module in modules:
        path = Path(typed_core.source_path(module, str(tmp_path)))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {module}\n", encoding="utf-8")
    before = typed_core.sources_digest(str(tmp_path))
    assert typed_core.sources_digest(str(tmp_path)) == before
    for module in (modules[0], modules[-1]):
        path = Path(typed_core.source_path(module, str(tmp_path)))
        text = path.read_text(encoding="utf-8")
        path.write_text(text + " ", encoding="utf-8")
        assert typed_core.sources_digest(str(tmp_path)) != before
        path.write_text(text, encoding="utf-8")
    assert typed_core.sources_digest(str(tmp_path)) == before


def _finals(path: Path) -> list[str]:
    """The names ``path`` declares ``Final``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and "Final" in ast.unparse(node.annotation):
            found.append(ast.unparse(node.target))
    return found


def test_every_module_with_final_constants_is_in_the_digest() -> None:
    """mypyc writes a ``Final`` constant's value into the code that reads it: the module declaring
    it must be in the digest, or a build would not be told from one of other values."""
    covered = {*typed_core.MODULES, *typed_core.BUILT_IN}
    declaring = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts and _finals(path)
    }
    assert declaring, "the scan found no Final constant at all"
    assert declaring <= covered, declaring - covered


def test_the_typed_core_writes_what_its_sources_write(tmp_path: Path) -> None:
    """The dev sample (60 articles) cleaned by two worker processes, with a report: compiled
    typed core and Cython parts, then all sources (``DEDUP_PURE=1``)."""
    _compiled_here()
    sample = ROOT / "fixtures" / "review" / "dev_sample.jsonl"
    outputs = []
    for pure in ("0", "1"):
        out, report = tmp_path / f"out-{pure}.jsonl", tmp_path / f"report-{pure}.jsonl"
        command = [
            sys.executable,
            "-m",
            "dedup",
            "clean",
            str(sample),
            "-o",
            str(out),
            "--report",
            str(report),
        ]
        env = {**os.environ, "DEDUP_PURE": pure}
        subprocess.run([*command, "-q", "--workers", "2"], env=env, cwd=ROOT, check=True, capture_output=True)
        outputs.append((out.read_bytes(), report.read_bytes()))
    assert outputs[0][0] and outputs[0][1]
    assert outputs[0] == outputs[1]
