"""The exit codes of every ``dedup`` command, and which error gives which.

0 success (nothing found, or ``clean`` done, changed or not); 1 duplicates found
(``scan``, ``check``), files changed (``clean --exit-code``, ``check --fix``) or
index problems (``index verify``); 2 usage or configuration error; 3 finished,
but some inputs were skipped (``--on-error skip``); 70 internal error (a bug);
123 an input cannot be read or parsed (or an output cannot be written); 130
interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM).  They live apart from
:mod:`dedup.cli.app` so that the command modules, which the app imports, can
name them.
"""

from __future__ import annotations

from dedup.errors import ConfigError, DedupError, UsageError

EXIT_CLEAN = 0
EXIT_FOUND = 1
EXIT_USAGE = 2
#: the run finished, but inputs that could not be read were skipped
EXIT_SKIPPED = 3
#: an unexpected exception: a bug (EX_SOFTWARE of sysexits.h)
EXIT_INTERNAL = 70
EXIT_INPUT = 123
#: Ctrl-C, or typer's own abort (128 + SIGINT, as shells report it)
EXIT_INTERRUPTED = 130
#: SIGTERM (128 + 15)
EXIT_TERMINATED = 143


def outcome(found: bool, skipped: int = 0) -> int:
    """The exit code of a command that found (or changed, or failed to verify)
    something, or not; skipped inputs (3) outweigh findings."""
    if skipped:
        return EXIT_SKIPPED
    return EXIT_FOUND if found else EXIT_CLEAN


def exit_code(error: DedupError) -> int:
    """Settings and option errors are usage errors (2); any other is about an input (123)."""
    return EXIT_USAGE if isinstance(error, ConfigError | UsageError) else EXIT_INPUT
