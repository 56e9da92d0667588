"""A log's bouts with the tables every analysis reads, each built once on first use.

The effects and trends functions take a :class:`LogTables` (or a bouts frame, which
they wrap in one), so the session and segment tables and the display names are
built once per log however many analyses read them: the :class:`~stretchlog.Analysis`
of a log holds one and hands it to every part.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.model.names import display_names
from stretchlog.model.segments import segments as segment_table
from stretchlog.model.sessions import sessions as session_table
from stretchlog.model.weeks import weekly_pain

__all__ = ["LogTables", "tables_of"]


class LogTables:
    """The bouts of one log, its catalog, and the tables built from them.

    ``sessions``, ``segments``, ``weekly`` and ``names`` are computed the first time they are
    read and kept.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.
    catalog : Catalog, optional
        For names and muscle groups (default: the built-in catalog).

    Examples
    --------
    >>> import io, stretchlog
    >>> t = LogTables(stretchlog.read_log(io.StringIO(
    ...     "date,stretch,hold_s,pain_before,pain_after\\n2026-11-01,pigeon,45,5,3\\n")))
    >>> t.sessions["relief"].tolist(), t.names
    ([2.0], {'pigeon-pose': 'Pigeon pose'})
    >>> t.segments is t.segments
    True
    """

    def __init__(self, bouts: pd.DataFrame, catalog: Catalog | None = None) -> None:
        self.bouts = bouts
        self._catalog = catalog

    def __repr__(self) -> str:
        return f"<LogTables: {len(self.bouts)} bouts>"

    @cached_property
    def catalog(self) -> Catalog:
        return self._catalog if self._catalog is not None else load_catalog()

    @cached_property
    def sessions(self) -> pd.DataFrame:
        """:func:`stretchlog.model.sessions.sessions` of the bouts."""
        return session_table(self.bouts)

    @cached_property
    def segments(self) -> pd.DataFrame:
        """:func:`stretchlog.model.segments.segments` of the bouts."""
        return segment_table(self.bouts)

    @cached_property
    def weekly(self) -> pd.DataFrame:
        """Sessions and pain by ISO week (:func:`stretchlog.model.weeks.weekly_pain`)."""
        return weekly_pain(self.sessions)

    @cached_property
    def names(self) -> dict[str, str]:
        """Stretch id -> the name shown (:func:`stretchlog.model.names.display_names`)."""
        return display_names(self.bouts, self.catalog)


def tables_of(data: LogTables | pd.DataFrame, catalog: Catalog | None = None) -> LogTables:
    """``data`` itself when it is a :class:`LogTables`, else a new one over the bouts frame.

    A catalog goes with the bouts: passing one together with a :class:`LogTables`
    that has its own is a mistake, and raises ``ValueError``.

    Examples
    --------
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO("date,stretch,hold_s,pain_before,pain_after\\n2026-11-01,pigeon,30,5,3\\n"))
    >>> t = tables_of(bouts)
    >>> tables_of(t) is t
    True
    """
    if isinstance(data, LogTables):
        if catalog is not None and catalog is not data._catalog:
            raise ValueError("these tables already have a catalog; pass the catalog when building them")
        return data
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"expected a bouts DataFrame or LogTables, got {type(data).__name__}")
    return LogTables(data, catalog)
