"""The problems found while a log is read: kept one per cell, capped at :data:`MAX_PROBLEMS`.

Every step of the reader (:mod:`stretchlog.log.reader`) adds what it finds to one
:class:`Collector`, so that a file is reported whole, at once, and a file of
garbage (millions of bad cells) still gives a short, fast answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stretchlog.log.errors import Problem

__all__ = ["Collector", "MAX_PROBLEMS"]

#: At most this many problems are kept in a LogError (the rest are counted).
MAX_PROBLEMS = 1000


class Collector:
    """Problems found so far, capped at MAX_PROBLEMS (the rest only counted).

    Attributes
    ----------
    items : list of Problem
        The problems kept, in the order found (at most :data:`MAX_PROBLEMS`).
    more : int
        How many more were found and only counted.
    seen : set of (int or None, str or None)
        The (row, column) cells already reported: a cell keeps its first problem.
    """

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self.seen: set[tuple[int | None, str | None]] = set()

    def add(self, problem: Problem) -> None:
        """Keep ``problem``, unless its cell has one already (problems with no row are all kept)."""
        key = (problem.row, problem.column)
        if problem.row is not None and key in self.seen:
            return
        self.seen.add(key)
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(problem)
        else:
            self.more += 1

    def add_mask(self, raw: pd.Series, rows: np.ndarray, mask: np.ndarray, column: str, hint) -> None:
        """One problem per True in ``mask``; ``hint(value)`` says what was expected."""
        idx = np.flatnonzero(mask)
        room = max(0, MAX_PROBLEMS - len(self.items))
        for i in idx[:room]:
            value = raw.iat[i]
            self.add(Problem(int(rows[i]), column, value, hint(value)))
        self.more += max(0, len(idx) - room)

    def __bool__(self) -> bool:
        """True once anything was found, kept or only counted."""
        return bool(self.items) or self.more > 0
