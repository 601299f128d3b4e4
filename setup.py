"""Builds the optional compiled cores (dedup/matching/compiled.pyx, compiled_index.pyx,
compiled_earlier.pyx, compiled_local.pyx, compiled_tagger.pyx, compiled_verify.pyx; dedup/text/compiled_words.pyx, compiled_fold.pyx,
compiled_layout.pyx) with Cython.

Everything else is declared in pyproject.toml.  The extension is ``optional``:
where no C compiler exists the build skips it and dedup runs its pure-Python
path, which gives the same results.
"""

from setuptools import Extension, setup

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

setup(ext_modules=extensions)
