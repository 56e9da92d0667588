"""The one exception of appending: :class:`AppendError`, raised whenever nothing was written.

Every part of an append (:mod:`stretchlog.entry.append`: the inputs, the check of
the would-be file, the atomic write) raises it with a plain message and a
``kind`` a caller can act on; importable from :mod:`stretchlog.entry.append` too.
"""

from __future__ import annotations

from typing import Iterable

from stretchlog.log.errors import Problem

__all__ = ["AppendError"]


class AppendError(Exception):
    """Nothing was written, and this says why in plain words.

    Attributes
    ----------
    kind : str
        ``"invalid-log"`` (the existing file breaks the contract),
        ``"invalid-session"`` (the new rows would), ``"duplicate-session"``,
        ``"read-only"``, ``"missing-folder"``, ``"missing-log"``, ``"disk-full"``, ``"locked"``,
        ``"changed"`` (the file changed while we worked) or ``"io"``.
    problems : tuple of Problem
        The reader's problems, where there are any (rows as a spreadsheet shows them).
    """

    def __init__(self, message: str, *, kind: str, problems: Iterable[Problem] = ()):
        super().__init__(message)
        self.kind = kind
        self.problems = tuple(problems)
