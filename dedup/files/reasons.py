"""The reason an OS, gzip or Arrow error gives, as the end of a one-line message.

Every error of the files layer is raised as :class:`~dedup.errors.InputError` or
:class:`~dedup.errors.DedupError` with a message such as ``cannot read: <reason>``;
this is the one place that says what ``<reason>`` is.
"""

from __future__ import annotations


def reason(err: BaseException) -> str:
    """An OS error's ``strerror`` when it has one, else the error's text, else its type's name."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__
