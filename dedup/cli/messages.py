"""Usage errors in the project's own words.

typer validates option values with pydantic-style messages (``Invalid value for
'--keep': Value error, 'last' is not one of 'complete', 'first'.``, ``Input should
be greater than or equal to 1``); :func:`plain_message` rewrites them as the
one-line messages the rest of dedup gives (``--keep: 'last' is not one of
complete, first``).
"""

from __future__ import annotations

import re

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Invalid value for '([^']+)': "), r"\1: "),
    (re.compile(r"Value error, "), ""),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be at least \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be at most \1"),
    (
        re.compile(r"Input should be a valid integer, unable to parse string as an integer"),
        "must be a whole number",
    ),
    (re.compile(r"Input should be a valid number, unable to parse string as a number"), "must be a number"),
    (re.compile(r"Input should be "), "must be "),
)
_CHOICES = re.compile(r"is not one of ((?:'[^']*'(?:, )?)+)\.?$")


def plain_message(message: str) -> str:
    """``message`` on one line, without pydantic's phrasing."""
    message = " ".join(message.split())
    for pattern, replacement in _REWRITES:
        message = pattern.sub(replacement, message)
    choices = _CHOICES.search(message)
    if choices is not None:
        names = ", ".join(re.findall(r"'([^']*)'", choices.group(1)))
        message = message[: choices.start()] + f"is not one of {names}"
    return message
