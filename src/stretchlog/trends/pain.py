"""Pain over weeks and months: the pain a session starts with.

The starting pain of a session (the first ``pain_before``) is the person's pain
as it is, before that session's stretching; its path over weeks and months is
what "regular stretching pays off" is about. This module gives

* a table by ISO week (sessions, average starting and ending pain, relief);
* the trend of starting pain in points per 30 days with a 95% interval robust to
  runs of bad days (the estimator of :mod:`stretchlog.trends.fit`, on the mean
  starting pain of each day), with a verdict: improving, worsening, flat, or not
  enough data;
* the change from the first four weeks of the log to the last four, judged
  against the meaningful change for the 0-10 pain scale: **2 points or 30%** of
  the starting level (Farrar et al., Pain 2001). Each window is split into four
  7-day blocks; the change is the difference of the block means with Welch's
  95% interval, so a few bad days in one window count once per week, not per day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from stretchlog.model.tables import LogTables, tables_of
from stretchlog.model.thresholds import MCID_POINTS, MCID_SHARE
from stretchlog.model.weeks import weekly_pain
from stretchlog.trends.fit import day_numbers, direction, fit_trend, shortfall
from stretchlog.words import iso_day, plural, signed

__all__ = [
    "MCID_FRACTION",
    "MCID_POINTS",
    "PainChange",
    "PainOverTime",
    "pain_over_time",
    "weekly_pain",
]

#: Meaningful change on the 0-10 pain scale: 2 points or 30% of the starting level,
#: whichever is reached first (one definition, in :mod:`stretchlog.model.thresholds`).
MCID_FRACTION = MCID_SHARE
#: Window length for the first-vs-last comparison.
WINDOW_DAYS = 28
#: Smallest pain trend called improving or worsening (points per 30 days).
MIN_PAIN_RATE = 1.0 / 6.0


@dataclass(frozen=True)
class PainChange:
    """Starting pain in the first four weeks of the log against the last four.

    Attributes
    ----------
    first_from, first_to, last_from, last_to : str or None
        The two windows (ISO dates).
    first_mean, last_mean : float
        Average starting pain in each window (mean of its weekly means).
    change, lo, hi : float
        Last minus first (negative = less pain) and its 95% interval.
    pct_change : float
        ``change / first_mean`` (NaN when ``first_mean`` is 0).
    meaningful : bool
        The change reaches 2 points or 30% (in either direction).
    judgement : str
        ``"meaningful improvement"``, ``"improvement, below the meaningful change"``,
        ``"no clear change"``, ``"worse, below the meaningful change"``,
        ``"meaningfully worse"`` or ``"not enough data"``.
    why : str
        The judgement in plain words.
    """

    first_from: str | None
    first_to: str | None
    last_from: str | None
    last_to: str | None
    first_mean: float
    last_mean: float
    change: float
    lo: float
    hi: float
    pct_change: float
    meaningful: bool
    judgement: str
    why: str

    @property
    def sentence(self) -> str:
        """The comparison in one sentence, the same on every surface (no markup)."""
        if self.judgement == "not enough data":
            return f"First four weeks against the last four: not enough data yet ({self.why})."
        return (
            f"First four weeks ({self.first_from} to {self.first_to}) against the last four "
            f"({self.last_from} to {self.last_to}): {self.judgement}: {self.why}."
        )


@dataclass(frozen=True)
class PainOverTime:
    """Pain over the whole log: by week, its trend and first-vs-last change.

    Attributes
    ----------
    weekly : DataFrame
        See :func:`weekly_pain`.
    n_days : int
        Days with a session.
    slope_30d, lo_30d, hi_30d : float
        Trend of starting pain, points per 30 days (negative = less pain), 95% interval.
    verdict : str
        ``"improving"``, ``"worsening"``, ``"flat"`` or ``"not enough data"``.
    why : str
        The verdict in plain words.
    change : PainChange
        First four weeks against the last four.
    """

    weekly: pd.DataFrame = field(repr=False)
    n_days: int
    slope_30d: float
    lo_30d: float
    hi_30d: float
    verdict: str
    why: str
    change: PainChange

    def to_frame(self) -> pd.DataFrame:
        """The trend and the change as a one-row tidy frame (for csv/json)."""
        row = {
            "n_days": self.n_days,
            "slope_30d": self.slope_30d,
            "lo_30d": self.lo_30d,
            "hi_30d": self.hi_30d,
            "verdict": self.verdict,
            "why": self.why,
        }
        names = {
            "change": "change",
            "lo": "change_lo",
            "hi": "change_hi",
            "pct_change": "change_pct",
            "meaningful": "change_meaningful",
            "judgement": "change_judgement",
            "why": "change_why",
        }
        row.update({names.get(k, k): v for k, v in asdict(self.change).items()})
        return pd.DataFrame([row])


def _block_means(day: np.ndarray, value: np.ndarray, start: int) -> np.ndarray:
    """Means of the 7-day blocks of [start, start + 28) that have a value."""
    inside = (day >= start) & (day < start + WINDOW_DAYS)
    block = (day[inside] - start) // 7
    sums = np.bincount(block, weights=value[inside], minlength=4)
    counts = np.bincount(block, minlength=4)
    return sums[counts > 0] / counts[counts > 0]


def _change(day: np.ndarray, value: np.ndarray) -> PainChange:
    nan = float("nan")
    if day.size == 0 or day[-1] - day[0] + 1 < 2 * WINDOW_DAYS:
        span = int(day[-1] - day[0] + 1) if day.size else 0
        more = 2 * WINDOW_DAYS - span
        why = (
            f"the log covers {plural(span, 'day')}; comparing the first four weeks "
            f"with the last four needs at least {2 * WINDOW_DAYS} days: "
            f"{plural(more, 'more day')} of logging"
        )
        return PainChange(
            None, None, None, None, nan, nan, nan, nan, nan, nan, False, "not enough data", why
        )
    first_start, last_start = int(day[0]), int(day[-1]) - WINDOW_DAYS + 1
    a = _block_means(day, value, first_start)
    b = _block_means(day, value, last_start)
    windows = (
        iso_day(first_start),
        iso_day(first_start + WINDOW_DAYS - 1),
        iso_day(last_start),
        iso_day(int(day[-1])),
    )
    if a.size < 2 or b.size < 2:
        why = "each four-week window needs sessions in at least two of its weeks"
        return PainChange(*windows, nan, nan, nan, nan, nan, nan, False, "not enough data", why)
    first, last = float(a.mean()), float(b.mean())
    change = last - first
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se2 = va + vb
    if se2 > 0:
        df = se2**2 / ((va**2 / (a.size - 1)) + (vb**2 / (b.size - 1)))
        half = float(stats.t.ppf(0.975, df)) * float(np.sqrt(se2))
    else:
        half = 0.0
    lo, hi = change - half, change + half
    pct = change / first if first > 0 else nan
    meaningful = bool(abs(change) >= MCID_POINTS or (first > 0 and abs(pct) >= MCID_FRACTION))
    share = f"{abs(pct):.0%}; " if np.isfinite(pct) else ""
    mcid = f"the meaningful change is {MCID_POINTS:g} points or {MCID_FRACTION:.0%}"
    # The word says the direction, so the sizes after it are positive amounts.
    if hi < 0:
        judgement = (
            "meaningful improvement" if meaningful else "improvement, below the meaningful change"
        )
        why = (
            f"starting pain fell from {first:.1f} to {last:.1f}, by {abs(change):.1f} points "
            f"({share}95% interval {-hi:.1f} to {-lo:.1f} points); {mcid}"
        )
    elif lo > 0:
        judgement = "meaningfully worse" if meaningful else "worse, below the meaningful change"
        why = (
            f"starting pain rose from {first:.1f} to {last:.1f}, by {abs(change):.1f} points "
            f"({share}95% interval {lo:.1f} to {hi:.1f} points); {mcid}"
        )
    else:
        judgement = "no clear change"
        why = (
            f"starting pain went from {first:.1f} to {last:.1f} (the change could be anywhere "
            f"from {signed(lo)} to {signed(hi)} points): within what chance alone produces"
        )
        if meaningful:
            why += "; the change is of a meaningful size but not certain yet"
    return PainChange(*windows, first, last, change, lo, hi, pct, meaningful, judgement, why)


def pain_over_time(
    data: LogTables | pd.DataFrame,
    *,
    min_rate: float = MIN_PAIN_RATE,
) -> PainOverTime:
    """Starting pain by week, its trend with a 95% interval, and the first-vs-last change.

    Parameters
    ----------
    data : LogTables or DataFrame
        The log's tables (:class:`stretchlog.model.tables.LogTables`, as an
        :class:`~stretchlog.Analysis` holds them), or its bouts as returned by
        :func:`stretchlog.read_log`.
    min_rate : float
        Smallest change per 30 days called improving or worsening.

    Returns
    -------
    PainOverTime

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> days = pd.date_range("2026-01-01", periods=45, freq="2D").strftime("%Y-%m-%d")
    >>> rows = [f"{d},pigeon,45,{7 - i // 9},{6 - i // 9}" for i, d in enumerate(days)]
    >>> p = pain_over_time(read_log(io.StringIO("date,stretch,hold_s,pain_before,pain_after\\n" + "\\n".join(rows))))
    >>> p.verdict, round(p.slope_30d, 1), p.change.judgement
    ('improving', -1.6, 'meaningful improvement')
    >>> print(p.change.why)
    starting pain fell from 6.6 to 3.4, by 3.2 points (49%; 95% interval 2.4 to 4.1 points); the meaningful change is 2 points or 30%
    """
    t = tables_of(data)
    s, weekly = t.sessions, t.weekly
    if s.empty:
        change = _change(np.array([], dtype=np.int64), np.array([]))
        return PainOverTime(
            weekly, 0, *(float("nan"),) * 3, "not enough data", "no sessions yet", change
        )
    d = pd.DataFrame(
        {"day": day_numbers(s["date"]), "pain": s["start_pain"].to_numpy(dtype=float)}
    ).dropna()
    daily = d.groupby("day", sort=True)["pain"].mean()
    day = daily.index.to_numpy(dtype=np.int64)
    value = daily.to_numpy()
    fit = fit_trend(day, value)
    if not fit.enough:
        verdict = "not enough data"
        why = shortfall(fit.n_days, fit.span_days, "sessions")
    else:
        verdict = {1: "worsening", -1: "improving", 0: "flat"}[
            direction(fit.slope, fit.lo, fit.hi, min_rate)
        ]
        # The word says the direction, so the sizes after it are positive amounts.
        if verdict == "improving":
            why = (
                f"starting pain is falling by about {abs(fit.slope):.1f} points a month "
                f"(95% interval {-fit.hi:.1f} to {-fit.lo:.1f} points a month)"
            )
        elif verdict == "worsening":
            why = (
                f"starting pain is rising by about {fit.slope:.1f} points a month "
                f"(95% interval {fit.lo:.1f} to {fit.hi:.1f} points a month)"
            )
        elif fit.lo > 0 or fit.hi < 0:
            why = (
                f"a small steady change ({signed(fit.slope, 2)} points a month, "
                f"95% interval {signed(fit.lo)} to {signed(fit.hi)})"
            )
        else:
            why = f"no clear change (95% interval {signed(fit.lo)} to {signed(fit.hi)} points a month)"
    return PainOverTime(
        weekly, fit.n_days, fit.slope, fit.lo, fit.hi, verdict, why, _change(day, value)
    )
