"""The ``dedup`` command: the typer app, its commands, and :func:`main`.

Every command parses its options, calls the library, renders, and returns an
exit code (:mod:`.exits`).  Expected errors are one line on stderr,
``dedup: error: <message>``, never a traceback.

Keep this package cheap to import (``dedup --help`` must be fast): the pipeline,
jieba and datasketch load inside :func:`dedup.clean`, rich inside the renderers,
pyarrow only when a Parquet file is read or written.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer

from dedup.errors import DedupError, Terminated, raise_terminated
from dedup.files import discard_pending

from .check import check, index_app
from .clean import clean, scan
from .coercion import install
from .config_cmd import show_config
from .exits import EXIT_CLEAN, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, exit_code
from .help import command_info, examples, group_info
from .messages import plain_message
from .review import review

#: whether an internal error shows its traceback: --debug, or DEDUP_DEBUG=1 in the environment
_debug = False


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


def build_app(only: str | None = None) -> typer.Typer:
    """The ``dedup`` app; with ``only``, the same app holding that one command (all a run of
    it needs: typer reads every registered command's signature when it builds the app)."""
    built = typer.Typer(
        name="dedup",
        epilog=(
            "Exit codes: 0 success (nothing found, or cleaned copies written), 1 duplicates found "
            "(scan, check) or files changed (clean --exit-code), 2 usage or configuration error, "
            "3 some inputs skipped, 70 internal error (a bug), 123 unreadable or invalid input, "
            "130 interrupted, 143 terminated.\n\n" + examples("dedup")
        ),
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_root)
    for name, register in _COMMANDS.items():  # in this order in `dedup --help`
        if only in (None, name):
            register(built)
    return built


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="On an internal error (exit 70), print its traceback; log progress (Spark's rounds) "
            "on stderr.",
        ),
    ] = False,
) -> None:
    """Find and remove near-duplicate paragraphs in scraped (Chinese) articles.

    Settings come from the nearest dedup.toml, or pyproject.toml with a
    [tool.dedup] table, above the inputs (or from --config); options override them.
    """
    global _debug
    _debug = _debug or debug
    if debug:
        import logging

        logging.basicConfig(format="%(asctime)s %(name)s: %(message)s")
        logging.getLogger("dedup").setLevel(logging.DEBUG)


_COMMANDS: dict[str, Callable[[typer.Typer], object]] = {
    "scan": lambda app: app.command(**command_info("scan"))(scan),
    "clean": lambda app: app.command(**command_info("clean"))(clean),
    "config": lambda app: app.command("config", **command_info("config"))(show_config),
    "check": lambda app: app.command("check", **command_info("check"))(check),
    "review": lambda app: app.command("review", **command_info("review"))(review),
    "index": lambda app: app.add_typer(index_app, name="index", **group_info("index")),
}
#: the options ``dedup`` itself takes before a command's name (besides --help and --version)
_ROOT_FLAGS = ("--debug",)

app = build_app()


def invoked(args: Sequence[str]) -> str | None:
    """The command ``args`` run (``dedup [--debug] COMMAND ...``), or ``None`` (help, the
    version, an unknown command or option: the whole app answers those)."""
    for arg in args:
        if arg in _ROOT_FLAGS:
            continue
        return arg if arg in _COMMANDS else None
    return None


def _error(message: str) -> None:
    sys.stderr.write(f"dedup: error: {message}\n")
    sys.stderr.flush()


def _usage_error(err: typer.TyperException) -> int:
    """A usage error found while parsing: the usage line, a hint and the message
    (or, for a bare ``dedup``, the help), on stderr."""
    message = plain_message(err.format_message().strip())
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


def _internal_error(err: Exception) -> int:
    """A bug: one line naming it, and the traceback when debugging."""
    if _debug:
        traceback.print_exception(err)
    message = " ".join(str(err).split())
    hint = "" if _debug else " (run with --debug or DEDUP_DEBUG=1 for the traceback)"
    _error(f"internal error: {type(err).__name__}{': ' if message else ''}{message}{hint}")
    return EXIT_INTERNAL


@contextmanager
def _stopping_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Terminated` in the main thread, so that every
    output being written is discarded on the way out (typer turns a KeyboardInterrupt
    into a silent exit status)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, raise_terminated) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (``argv`` without the program name) and return its exit code."""
    global _debug
    args = list(sys.argv[1:] if argv is None else argv)
    _debug = os.environ.get("DEDUP_DEBUG", "") not in ("", "0")
    # dedup does no linear algebra: numpy's OpenBLAS need not start a thread per core when it
    # loads (20-40 ms of CPU in each process, workers included), unless the user says otherwise
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        with _stopping_on_signals():
            code = _run(args)
            if code in (EXIT_INTERRUPTED, EXIT_INTERNAL):
                discard_pending()
    except Terminated as stop:
        discard_pending()
        interrupted = stop.signal_number == signal.SIGINT
        _error("interrupted" if interrupted else "terminated")
        return 128 + stop.signal_number
    if code == EXIT_INTERRUPTED:
        _error("interrupted")
    return code


#: the status an ordinary exit gives when it cannot flush standard output (CPython's)
EXIT_UNFLUSHED = 120


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``dedup`` command (``python -m dedup`` too): :func:`main`, then the process ends at once.

    By then everything the command writes is written, flushed and closed; what an ordinary exit
    does next is free a big run's objects one by one (the corpus's kept paragraphs and their
    arrays): 0.5-0.7 s of a whole big-set run, 0.2-0.3 s of its low-redundancy corpus.  Here the
    exit handlers still run (``atexit``: child processes joined, temporary files removed) and the
    standard streams are flushed; only that freeing is skipped, as mypy's fast exit does.  Where a
    thread other than a daemon is still running (none of dedup's is), the exit is the ordinary one.
    """
    code = main(argv)
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)  # (CPython's; elsewhere an ordinary exit)
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if run_exit_handlers is None or others:
        raise SystemExit(code)
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass  # the reader is gone (``dedup ... | head``: ``main`` has said so) or the stream closed
        except OSError:
            code = code or EXIT_UNFLUSHED  # as an ordinary exit that cannot flush (a full disk): never 0
    os._exit(code)


def _command(args: Sequence[str]) -> typer.core.TyperGroup:
    """The click command ``app(...)`` would run for ``args``: built for the invoked command
    alone (:func:`invoked`; building all nine reads every signature, 40 ms), its values checked
    without pydantic where that is plain (:mod:`.coercion`: 0.15 CPU s of a one-article run)."""
    name = invoked(args)
    command = typer.main.get_command(app if name is None else build_app(name))
    install(command)
    return command  # type: ignore[return-value]


def _run(args: list[str]) -> int:
    try:
        code = _command(args)(args=args, prog_name="dedup", standalone_mode=False)
    except typer.TyperException as err:
        return _usage_error(err)
    except DedupError as err:
        _error(str(err))
        return exit_code(err)
    except typer.Abort:
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except SystemExit as stop:
        # typer exits by itself when stdout is closed early (dedup ... | head): status 1, no message
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    except Exception as err:
        return _internal_error(err)
    return code if isinstance(code, int) else EXIT_CLEAN
