"""Problems found in a log, the one exception that carries them, and the project warning.

A :class:`Problem` names where it is (row as a spreadsheet shows it, header = row 1;
column), what was found and what was expected. The library never prints: it raises
:class:`LogError` with every problem at once, and returns or warns the warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "LogError", "CatalogError", "StretchlogWarning", "format_problems", "shown_value"]

#: Values longer than this are shortened when shown (a runaway cell can hold a whole file).
SHOWN_MAX_CHARS = 60


def shown_value(value: str) -> str:
    """A cell's value as messages show it: quoted, and shortened when long.

    Examples
    --------
    >>> shown_value("pigeon")
    "'pigeon'"
    >>> shown_value("")
    '(empty)'
    >>> shown_value("9" * 100)
    "'999999999999999999999999999999999999999999999999999999999999'... (100 characters)"
    """
    if value == "":
        return "(empty)"
    if len(value) <= SHOWN_MAX_CHARS:
        return repr(value)
    return f"{value[:SHOWN_MAX_CHARS]!r}... ({len(value)} characters)"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem (or warning) in a log file.

    Attributes
    ----------
    row : int or None
        Row number as a spreadsheet shows it (the header is row 1); None for the whole file.
    column : str or None
        The column, None when the problem is not about one column.
    value : str or None
        The offending value as it appears in the file ('' for an empty cell).
    expected : str
        What was expected, in plain words, with a fix where there is one (for a
        warning: what was noticed and what was done about it).
    kind : str
        ``"error"`` (the file breaks the format) or ``"warning"`` (kept, worth a look).
    """

    row: int | None
    column: str | None
    value: str | None
    expected: str
    kind: str = "error"

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        head = ", ".join(where) if where else "file"
        if self.kind == "warning":
            shown = "" if self.value is None else f" {shown_value(self.value)}"
            return f"{head}:{shown} {self.expected}"
        if self.value is None:
            return f"{head}: {self.expected}"
        return f"{head}: got {shown_value(self.value)}, expected {self.expected}"


def format_problems(problems: tuple[Problem, ...] | list[Problem], limit: int | None = None) -> str:
    """Plain-text lines, one per problem (``limit`` keeps the first ones)."""
    shown = list(problems if limit is None else problems[:limit])
    lines = [f"  - {p}" for p in shown]
    if limit is not None and len(problems) > limit:
        lines.append(f"  ... and {len(problems) - limit} more")
    return "\n".join(lines)


class LogError(ValueError):
    """A log file that breaks the contract; ``problems`` lists every problem found.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem, in the order found (the reader sorts them by row and column).
    source : str
        The file name (or ``"<buffer>"``).
    more : int
        Problems found beyond the ones kept (a file of garbage can have millions).
    """

    def __init__(self, problems, source: str = "<buffer>", more: int = 0):
        self.problems = tuple(problems)
        self.source = source
        self.more = more
        n = len(self.problems) + more
        head = f"{source}: {n} problem{'s' if n != 1 else ''} found"
        body = format_problems(self.problems, limit=200)
        if more:
            body += f"\n  ... and {more} more problems of the same kinds (not listed)"
        super().__init__(f"{head}\n{body}")


class CatalogError(ValueError):
    """A catalog file that cannot be read or has a malformed entry."""


class StretchlogWarning(UserWarning):
    """Input that is kept but suspicious (unknown stretch names, extra columns...)."""
