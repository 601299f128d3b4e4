"""The ``dedup`` command: the typer app, its commands, and :func:`main`.

Every command parses its options, calls the library, renders, and returns an
exit code (:mod:`.exits`).  Expected errors are one line on stderr,
``dedup: error: <message>``, never a traceback.

Keep this package cheap to import (``dedup --help`` must be fast): the pipeline,
jieba and datasketch load inside :func:`dedup.clean`, rich inside the renderers,
pyarrow only when a Parquet file is read or written.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from dedup.errors import DedupError

from .check import check, index_app
from .clean import clean, scan
from .config_cmd import show_config
from .exits import EXIT_CLEAN, EXIT_INTERRUPTED, EXIT_USAGE, exit_code
from .review import review


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # ~30 ms: only for --version

    try:
        return version("dedup")
    except PackageNotFoundError:
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        print(f"dedup {_package_version()}")
        raise typer.Exit()


app = typer.Typer(
    name="dedup",
    epilog=(
        "Exit codes: 0 nothing to do, 1 duplicates found (scan) or files changed (clean), "
        "2 usage or configuration error, 123 unreadable or invalid input."
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Find and remove near-duplicate paragraphs in scraped (Chinese) articles.

    Settings come from the nearest dedup.toml, or pyproject.toml with a
    [tool.dedup] table, above the inputs (or from --config); options override them.
    """


# in this order in `dedup --help`
app.command()(scan)
app.command()(clean)
app.command("config")(show_config)
app.command("check")(check)
app.command("review")(review)
app.add_typer(index_app, name="index")


def _error(message: str) -> None:
    sys.stderr.write(f"dedup: error: {message}\n")
    sys.stderr.flush()


def _usage_error(err: typer.TyperException) -> int:
    """A usage error found while parsing: the usage line, a hint and the message
    (or, for a bare ``dedup``, the help), on stderr."""
    message = err.format_message().strip()
    if type(err).__name__ == "NoArgsIsHelpError":  # typer's own test; the message is the help
        sys.stderr.write(message + "\n")
    elif message:
        context = getattr(err, "ctx", None)
        if context is not None:
            sys.stderr.write(
                f"{context.get_usage().strip()}\nTry '{context.command_path} --help' for help.\n"
            )
        _error(message)
    return int(getattr(err, "exit_code", EXIT_USAGE))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (``argv`` without the program name) and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = app(args=args, prog_name="dedup", standalone_mode=False)
    except typer.TyperException as err:
        return _usage_error(err)
    except DedupError as err:
        _error(str(err))
        return exit_code(err)
    except typer.Abort:
        _error("aborted")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except SystemExit as stop:
        # typer exits by itself when stdout is closed early (dedup ... | head): status 1, no message
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    return code if isinstance(code, int) else EXIT_CLEAN
