"""Builds the optional compiled cores (dedup/matching/compiled.pyx, compiled_index.pyx,
compiled_earlier.pyx, compiled_local.pyx, compiled_tagger.pyx, compiled_verify.pyx;
dedup/text/compiled_words.pyx, compiled_fold.pyx, compiled_layout.pyx) with Cython, and the typed
core (the modules dedup/typed_core.py names) with mypyc.

Everything else is declared in pyproject.toml.  Every extension is ``optional``:
where no C compiler exists the build skips it and dedup runs its pure-Python
path, which gives the same results.
"""

import os
import runpy
import sys
from pathlib import Path

from setuptools import Extension, setup


def typed_core() -> list[Extension]:
    """Resolution's modules compiled by mypyc (dedup/typed_core.py says which and why), and the
    digest of the sources compiled, by which a run tells a build of other sources."""
    if sys.argv[1:2] in (["egg_info"], ["dist_info"]):
        return []  # pip asks for the metadata alone first: no need to type-check (~10 s each)
    try:
        from mypyc.build import mypycify
    except ImportError:  # a build without mypy: the sources run
        return []
    core = runpy.run_path("dedup/typed_core.py")
    paths = [core["source_path"](module, ".") for module in core["MODULES"]]
    # The build's environment has none of dedup's dependencies (numpy, rapidfuzz, ...): their
    # types are unknown here, so mypy checks leniently what ``make type`` checks strictly.
    lenient = ["--ignore-missing-imports", "--no-warn-return-any", "--allow-subclassing-any"]
    try:
        # (one C file: ``multi_file`` puts the group's headers where its sources do not look for
        # them when the group is named inside a package, so the library fails to build)
        extensions = mypycify([*lenient, *paths], opt_level="3", group_name=core["GROUP"])
    except (Exception, SystemExit) as err:  # (mypy's errors end in SystemExit) the sources run
        print(f"setup.py: the typed core is not compiled ({type(err).__name__}: {err})", file=sys.stderr)
        return []
    for extension in extensions:
        extension.optional = True
    # A library left by an earlier build must not outlive this one: its C may fail to compile (the
    # extensions are optional, so the install goes on), and the digest below would then vouch for
    # a library that lacks what these sources define (``import dedup`` failed).  With no library,
    # the sources run.
    for old in Path("dedup").glob(core["GROUP"].rpartition(".")[2] + "__mypyc.*"):
        old.unlink()
    Path("dedup", core["DIGEST_FILE"]).write_text(core["sources_digest"](".") + "\n", encoding="ascii")
    return extensions


try:
    from Cython.Build import cythonize
except ImportError:  # a build without Cython: pure Python only
    extensions = []
else:
    extensions = cythonize(
        [
            Extension(
                "dedup.matching.compiled",
                ["dedup/matching/compiled.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
            Extension(
                "dedup.matching.compiled_index",
                ["dedup/matching/compiled_index.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
            Extension(
                "dedup.matching.compiled_earlier",
                ["dedup/matching/compiled_earlier.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
            Extension(
                "dedup.matching.compiled_local",
                ["dedup/matching/compiled_local.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
            Extension(
                "dedup.matching.compiled_tagger",
                ["dedup/matching/compiled_tagger.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
            Extension(
                "dedup.matching.compiled_verify",
                ["dedup/matching/compiled_verify.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
            Extension(
                "dedup.text.compiled_words",
                ["dedup/text/compiled_words.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
            Extension(
                "dedup.text.compiled_layout",
                ["dedup/text/compiled_layout.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
            Extension(
                "dedup.text.compiled_fold",
                ["dedup/text/compiled_fold.pyx"],
                extra_compile_args=["-O3"],
                optional=True,
            ),
        ],
        compiler_directives={"language_level": "3"},
    )

# extensions compiled side by side, one per core
setup(ext_modules=[*extensions, *typed_core()], options={"build_ext": {"parallel": os.cpu_count() or 1}})
