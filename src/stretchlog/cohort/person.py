"""One person's part of a cohort: the per-log work, the same on every engine.

:func:`person_result` reads one log (given as its bytes, so a worker on another
machine needs no shared disk), analyses it with :class:`stretchlog.Analysis` and
returns a small :class:`PersonResult`: what the cohort overview shows of the
person and their own relief fit (before pooling), which the cohort fit reads.
A log that breaks the format comes back with its problems, never raised: one
bad file never stops a cohort.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from stretchlog._threads import blas_threads
from stretchlog.analysis import analyse
from stretchlog.effects.relief import ReliefReport
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.log.errors import LogError
from stretchlog.trends.safety import SafetyFlag

__all__ = ["PersonResult", "person_result", "LogInput"]

#: One log as the per-log work takes it: its file name and its bytes.
LogInput = tuple[str, bytes]

_CATALOG: list[Catalog] = []


@dataclass(frozen=True)
class PersonResult:
    """What a cohort keeps of one person's log.

    Attributes
    ----------
    file : str
        The log's file name (never its folder).
    ok : bool
        False when the log breaks the format (then only ``problems`` is set).
    problems : tuple of str
        Each problem as the reader words it (row, column, value, what was expected).
    n_bouts, n_sessions : int
    first_date, last_date : str or None
        ISO dates of the first and last session.
    flags : tuple of SafetyFlag
        The log's safety flags (high or worsening pain), most serious first.
    pain_verdict, pain_why : str
        Pain over time: "improving", "worsening", "flat" or "not enough data", in words.
    pain_slope, pain_lo, pain_hi : float
        Trend of starting pain in points per 30 days and its 95% interval.
    weekly : DataFrame
        ``week_start``, ``sessions``, ``start_pain``: pain week by week (for charts).
    relief : ReliefReport or None
        The person's relief report, pooled toward their own average (as
        ``stretchlog effects`` shows it without a prior); ``relief.with_prior(prior)``
        gives it with a cohort's prior, without fitting again.
    """

    file: str
    ok: bool
    problems: tuple[str, ...] = ()
    n_bouts: int = 0
    n_sessions: int = 0
    first_date: str | None = None
    last_date: str | None = None
    flags: tuple[SafetyFlag, ...] = ()
    pain_verdict: str = "not enough data"
    pain_why: str = ""
    pain_slope: float = float("nan")
    pain_lo: float = float("nan")
    pain_hi: float = float("nan")
    weekly: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    relief: ReliefReport | None = field(default=None, repr=False)


def _catalog() -> Catalog:
    if not _CATALOG:
        _CATALOG.append(load_catalog())
    return _CATALOG[0]


def person_result(log: LogInput, today: date) -> PersonResult:
    """Analyse one log for a cohort (the function every engine runs per log).

    Parameters
    ----------
    log : (str, bytes)
        The file name and the file's bytes.
    today : date
        The day "today" refers to: the same for every person and every engine.

    Returns
    -------
    PersonResult
        With ``ok=False`` and the problems for a log that breaks the format.

    Examples
    --------
    >>> r = person_result(("a.csv", b"date,stretch,hold_s\\n2026-13-01,pigeon,30\\n"), date(2026, 2, 1))
    >>> r.ok, r.problems[0][:20]
    (False, "row 2, column 'date'")
    """
    blas_threads(1)
    name, data = log
    buf = io.BytesIO(data)
    buf.name = name
    try:
        an = analyse(buf, catalog=_catalog(), today=today)
        # read everything the overview needs here, in the worker
        relief = an.relief
        summary = an.summary
        pain = an.pain
        flags = tuple(an.safety)
    except LogError as exc:
        return PersonResult(file=name, ok=False, problems=tuple(str(p) for p in exc.problems)
                            + ((f"... and {exc.more} more problems",) if exc.more else ()))
    weekly = pain.weekly
    keep = [c for c in ("week_start", "sessions", "start_pain") if c in weekly.columns]
    return PersonResult(
        file=name,
        ok=True,
        n_bouts=len(an.bouts),
        n_sessions=int(summary.n_sessions),
        first_date=None if summary.first_date is None else str(summary.first_date),
        last_date=None if summary.last_date is None else str(summary.last_date),
        flags=flags,
        pain_verdict=pain.verdict,
        pain_why=pain.why,
        pain_slope=float(pain.slope_30d),
        pain_lo=float(pain.lo_30d),
        pain_hi=float(pain.hi_30d),
        weekly=weekly[keep].reset_index(drop=True),
        relief=relief,
    )
