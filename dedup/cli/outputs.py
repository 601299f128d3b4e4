"""Where ``clean`` writes the cleaned articles, from ``-o`` / ``--in-place`` and the inputs.

One output strategy of :mod:`dedup.files.outputs` per case: the inputs rewritten in
place; one JSONL or Parquet file for everything; standard output; one file for
one input; a directory mirroring several inputs.  Combinations that cannot be
written are usage errors, raised before anything is read.
"""

from __future__ import annotations

import os
from typing import TypedDict

from dedup import files as dio
from dedup.errors import UsageError

from .options import RunOptions


class _Fields(TypedDict):
    """What every output takes: the JSONL fields (Parquet columns) of the text and
    the id, and the least body an article must keep to be written."""

    text_field: str
    id_field: str
    min_body_chars: int


def cleaned_output(
    options: RunOptions, sources: list[dio.Source], output: str | None, in_place: bool
) -> dio.CleanedOutput:
    """Where the cleaned articles go, from -o / --in-place and the inputs."""
    fields = _Fields(
        text_field=options.text_field, id_field=options.id_field, min_body_chars=options.min_body_chars
    )
    has_stdin = any(s.kind == "stdin" for s in sources)
    if in_place or output is None:
        if has_stdin:
            raise UsageError("standard input cannot be rewritten in place; use -o")
        page = next((s for s in sources if s.kind == "html"), None)
        if page is not None:
            raise UsageError(f"{page.path}: an HTML page is not rewritten in place (its text is); use -o")
        return dio.PerFileOutput(lambda s: s.path, only_changed=True, **fields)
    if dio.is_jsonl_name(output):
        return dio.JsonlOutput(output, **fields)
    if dio.is_parquet_name(output):
        return dio.ParquetOutput(output, sources=sources, **fields)
    paths = options.paths
    single_file = len(paths) == 1 and not os.path.isdir(paths[0])
    if output == dio.STDIN:
        return _to_stdout(sources, single_file, fields)
    if single_file:
        return _to_one_file(sources, output, has_stdin, fields)
    return _to_directory(sources, output, has_stdin, len(paths) > 1, fields)


def _to_stdout(sources: list[dio.Source], single_file: bool, fields: _Fields) -> dio.CleanedOutput:
    """``-o -``: one input as it is, or the records of JSONL and Parquet inputs as JSONL."""
    if single_file:
        return dio.PerFileOutput(lambda s: dio.STDIN, sources=sources, **fields)
    if all(s.kind in ("jsonl", "json", "parquet", "html") for s in sources):
        return dio.JsonlOutput(dio.STDIN, **fields)
    raise UsageError("several text files cannot go to stdout; use -o DIR, -o FILE.jsonl or -o FILE.parquet")


def _to_one_file(
    sources: list[dio.Source], output: str, has_stdin: bool, fields: _Fields
) -> dio.CleanedOutput:
    """One input file to ``output``, or into it when it is a directory."""
    target = output
    if os.path.isdir(output) or output.endswith(("/", os.sep)):
        if has_stdin:
            raise UsageError(f"{output}: standard input needs -o FILE or -o -, not a directory")
        target = _mirror_target(sources[0], output, nested=False) if sources else output
    return dio.PerFileOutput(lambda s: target, sources=sources, **fields)


def _to_directory(
    sources: list[dio.Source], output: str, has_stdin: bool, nested: bool, fields: _Fields
) -> dio.CleanedOutput:
    """Several inputs, or a directory, mirrored under the directory ``output``; with
    several inputs (``nested``) each directory keeps its own name under it."""
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"{output}: not a directory (a directory or several inputs need -o DIR)")
    if has_stdin:
        raise UsageError(
            "standard input cannot be mixed with other inputs; use -o FILE.jsonl or -o FILE.parquet"
        )
    targets: dict[dio.Source, str] = {}
    claimed: dict[str, dio.Source] = {}
    for source in sources:
        target = _mirror_target(source, output, nested)
        key = os.path.normcase(os.path.abspath(target))
        if key in claimed:
            raise UsageError(f"{claimed[key].path} and {source.path} would both be written to {target}")
        claimed[key] = source
        targets[source] = target
    return dio.PerFileOutput(targets.__getitem__, sources=sources, **fields)


def _mirror_target(source: dio.Source, out: str, nested: bool) -> str:
    """The output of ``source`` under ``out``; an HTML page's is its article's text (``.txt``)."""
    relative = dio.text_name(source.relative) if source.kind == "html" else source.relative
    if not source.in_directory:
        return os.path.join(out, relative)
    if nested:
        name = os.path.basename(os.path.abspath(source.root))
        return os.path.join(out, name, relative)
    return os.path.join(out, relative)
