"""A log at a glance: the numbers ``stretchlog validate`` prints."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from stretchlog.log.reader import LoadedLog
from stretchlog.model.tables import LogTables
from stretchlog.model.thresholds import MIN_RATE_DAYS
from stretchlog.words import plural

__all__ = ["LogSummary", "summarise"]


@dataclass(frozen=True)
class LogSummary:
    """Counts and ranges that describe a log.

    Attributes
    ----------
    source : str
    n_sessions, n_bouts, n_stretches, n_custom : int
        Sessions, bouts (rows), distinct stretches, of which not in the catalog.
    first_date, last_date : str or None
        ``YYYY-MM-DD``; None for an empty log.
    days : int
        Days from the first to the last session, both included.
    sessions_per_week : float or None
        None while the log is shorter than two weeks (a rate over a few days says nothing).
    styles : dict
        Sessions per logging style (``per bout``, ``start/end only``, ``mixed``).
    times_of_day : dict
        Sessions per part of the day.
    n_segments, n_single_bout_segments : int
        Bout segments, and of those, the ones that hold a single bout (they say
        most about one stretch).
    mean_start_pain, mean_end_pain : float or None
        Average pain at the start and the end of a session (0-10).
    n_tightness : int
        Bouts with a tightness rating.
    n_warnings : int
    """

    source: str
    n_sessions: int
    n_bouts: int
    n_stretches: int
    n_custom: int
    first_date: str | None
    last_date: str | None
    days: int
    sessions_per_week: float | None
    styles: dict
    times_of_day: dict
    n_segments: int
    n_single_bout_segments: int
    mean_start_pain: float | None
    mean_end_pain: float | None
    n_tightness: int
    n_warnings: int

    @property
    def sessions_line(self) -> str:
        """Sessions, dates and (from two weeks on) sessions a week, in words."""
        if not self.n_sessions:
            return "none yet"
        rate = f", about {self.sessions_per_week} a week" if self.sessions_per_week is not None else ""
        return (f"{self.n_sessions} from {self.first_date} to {self.last_date} "
                f"({plural(self.days, 'day')}{rate})")


def summarise(log: LoadedLog, tables: LogTables | None = None) -> LogSummary:
    """Summarise a loaded log.

    ``tables`` are the log's :class:`~stretchlog.model.tables.LogTables` (an
    :class:`~stretchlog.Analysis` passes its own, so the sessions are built once);
    without them, they are built from ``log.bouts``.

    Examples
    --------
    >>> import io
    >>> from stretchlog.log.reader import load_log
    >>> s = summarise(load_log(io.StringIO("date,stretch,hold_s,pain_before,pain_after\\n2026-11-01,pigeon,45,5,3\\n")))
    >>> (s.n_sessions, s.first_date, s.styles)
    (1, '2026-11-01', {'per bout': 1})
    """
    bouts = log.bouts
    ses = (tables if tables is not None else LogTables(bouts)).sessions
    # bouts per bout segment, straight from the bouts (no need for the segment table)
    per_segment = bouts["segment_id"].value_counts()
    if bouts.empty:
        first = last = None
        days = 0
    else:
        first = bouts["date"].min()
        last = bouts["date"].max()
        days = int((last - first).days) + 1
        first, last = first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")
    per_week = round(len(ses) / days * 7, 1) if days >= MIN_RATE_DAYS else None

    def counts(col: str) -> dict:
        return {str(k): int(v) for k, v in ses[col].value_counts().items()} if len(ses) else {}

    def mean(s: pd.Series) -> float | None:
        return round(float(s.mean()), 1) if s.notna().any() else None

    return LogSummary(
        source=log.source,
        n_sessions=len(ses),
        n_bouts=len(bouts),
        n_stretches=int(bouts["stretch_id"].nunique()),
        n_custom=int(bouts.loc[bouts["custom"], "stretch_id"].nunique()),
        first_date=first,
        last_date=last,
        days=days,
        sessions_per_week=per_week,
        styles=counts("style"),
        times_of_day=counts("time_of_day"),
        n_segments=len(per_segment),
        n_single_bout_segments=int(per_segment.eq(1).sum()),
        mean_start_pain=mean(ses["start_pain"]) if len(ses) else None,
        mean_end_pain=mean(ses["end_pain"]) if len(ses) else None,
        n_tightness=int(bouts["tightness"].notna().sum()),
        n_warnings=len(log.warnings),
    )
