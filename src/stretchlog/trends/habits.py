"""Habits: how often, how regularly, and whether the time of day matters.

* sessions per ISO week (weeks without a session count as 0);
* the longest gap between two sessions, in days without a session;
* the current streak of days in a row with a session, as of the last day of the
  log and as of today (a streak is still alive today if it reached yesterday:
  today is not over yet);
* relief by time of day, and **evening against morning**: one guide advises
  stretching just before bed so the muscles stay relaxed through the night. Does
  an evening session (17:00 or later, or after 22:00) bring this person more relief
  than a morning one (05:00-12:00)? The comparison is a regression of each
  session's relief on an evening indicator and the session's starting pain
  (centred), with HC3 standard errors: relief grows with the pain one starts with,
  and mornings and evenings may start at different levels, so the raw difference
  alone could mislead. The raw means are reported too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from stretchlog.model._ols import least_squares
from stretchlog.model.tables import LogTables, tables_of
from stretchlog.model.thresholds import MIN_RATE_DAYS
from stretchlog.trends.fit import day_numbers
from stretchlog.words import iso_day, plural, signed

__all__ = ["MIN_SESSIONS_PER_TIME", "Habits", "TimeOfDayEffect", "habits"]

#: Sessions needed in each of the morning and evening groups to compare them.
MIN_SESSIONS_PER_TIME = 5
_EVENING = ("evening", "night")
_MORNING = ("morning",)


@dataclass(frozen=True)
class TimeOfDayEffect:
    """Relief of evening sessions against morning sessions.

    Attributes
    ----------
    n_evening, n_morning : int
        Sessions in each group (evening: 17:00-05:00; morning: 05:00-12:00).
    relief_evening, relief_morning : float
        Average relief (start minus end pain) of each group.
    diff, lo, hi : float
        Evening minus morning relief at the same starting pain, with its 95%
        interval (positive = evenings bring more relief).
    verdict : str
        ``"evenings bring more relief"``, ``"mornings bring more relief"``,
        ``"no clear difference"`` or ``"not enough data"``.
    why : str
        In plain words.
    """

    n_evening: int
    n_morning: int
    relief_evening: float
    relief_morning: float
    diff: float
    lo: float
    hi: float
    verdict: str
    why: str


@dataclass(frozen=True)
class Habits:
    """How often and how regularly the person stretches.

    Attributes
    ----------
    weekly : DataFrame
        ``week``, ``week_start``, ``sessions`` (see :func:`stretchlog.model.weeks.weekly_pain`).
    n_sessions : int
    sessions_per_week : float
        Over the days from the first session to the last (NaN for an empty log).
    sessions_per_week_recent : float
        Over the last four weeks of the log.
    longest_gap_days : int
        Most days in a row without a session between two sessions (0 if none).
    gap_from, gap_to : str or None
        The sessions' dates either side of that gap.
    last_date : str or None
        The last day with a session.
    streak_last_log : int
        Days in a row with a session, ending on ``last_date``.
    today : str
        The day "today" refers to.
    streak_today : int
        Days in a row with a session ending today, or yesterday when there is no
        session today yet; 0 when the last session is older.
    by_time_of_day : DataFrame
        ``time_of_day``, ``sessions``, ``relief`` (mean), ``start_pain`` (mean).
    evening_vs_morning : TimeOfDayEffect
    """

    weekly: pd.DataFrame = field(repr=False)
    n_sessions: int
    sessions_per_week: float
    sessions_per_week_recent: float
    longest_gap_days: int
    gap_from: str | None
    gap_to: str | None
    last_date: str | None
    streak_last_log: int
    today: str
    streak_today: int
    by_time_of_day: pd.DataFrame = field(repr=False)
    evening_vs_morning: TimeOfDayEffect

    @property
    def rate_sentence(self) -> str:
        """Sessions a week in words, or what a rate still needs (the same on every surface)."""
        n = self.n_sessions
        if n == 0:
            return "no sessions yet"
        if not np.isfinite(self.sessions_per_week):
            return (f"{plural(n, 'session')} so far; a weekly rate needs a log "
                    f"of at least {MIN_RATE_DAYS // 7} weeks")
        text = f"{self.sessions_per_week:.1f} on average ({plural(n, 'session')})"
        if np.isfinite(self.sessions_per_week_recent):
            text += f"; {self.sessions_per_week_recent:.1f} a week in the last four weeks of the log"
        return text

    @property
    def streak_sentence(self) -> str:
        """The current streak in words."""
        def days(k: int) -> str:
            return plural(k, "day")
        return (f"{days(self.streak_last_log)} in a row up to {self.last_date} (the last day in the log); "
                f"as of today ({self.today}): {days(self.streak_today)}")

    def to_frame(self) -> pd.DataFrame:
        """The single numbers as a one-row tidy frame (for csv/json)."""
        e = self.evening_vs_morning
        return pd.DataFrame(
            [
                {
                    "n_sessions": self.n_sessions,
                    "sessions_per_week": self.sessions_per_week,
                    "sessions_per_week_recent": self.sessions_per_week_recent,
                    "longest_gap_days": self.longest_gap_days,
                    "gap_from": self.gap_from,
                    "gap_to": self.gap_to,
                    "last_date": self.last_date,
                    "streak_last_log": self.streak_last_log,
                    "today": self.today,
                    "streak_today": self.streak_today,
                    "n_evening": e.n_evening,
                    "n_morning": e.n_morning,
                    "relief_evening": e.relief_evening,
                    "relief_morning": e.relief_morning,
                    "evening_minus_morning": e.diff,
                    "evening_minus_morning_lo": e.lo,
                    "evening_minus_morning_hi": e.hi,
                    "time_of_day_verdict": e.verdict,
                    "time_of_day_why": e.why,
                }
            ]
        )


def _streak_ending(days: np.ndarray, end: int) -> int:
    """Days in a row in the sorted unique ``days`` that end on ``end`` (0 if ``end`` is not one)."""
    upto = days[days <= end]
    if upto.size == 0 or upto[-1] != end:
        return 0
    # positions where the run of consecutive days breaks, counted back from the end
    breaks = np.flatnonzero(np.diff(upto) != 1)
    start = breaks[-1] + 1 if breaks.size else 0
    return int(upto.size - start)


def _time_effect(ses: pd.DataFrame) -> TimeOfDayEffect:
    nan = float("nan")
    tod = ses["time_of_day"].astype("str")
    ok = ses["relief"].notna() & ses["start_pain"].notna()
    eve = tod.isin(_EVENING) & ok
    mor = tod.isin(_MORNING) & ok
    ne, nm = int(eve.sum()), int(mor.sum())
    re = float(ses.loc[eve, "relief"].mean()) if ne else nan
    rm = float(ses.loc[mor, "relief"].mean()) if nm else nan
    if ne < MIN_SESSIONS_PER_TIME or nm < MIN_SESSIONS_PER_TIME:
        why = (
            f"{ne} evening and {plural(nm, 'morning session')} with pain readings; "
            f"comparing them needs at least {MIN_SESSIONS_PER_TIME} of each"
        )
        return TimeOfDayEffect(ne, nm, re, rm, nan, nan, nan, "not enough data", why)
    sub = ses.loc[eve | mor]
    y = sub["relief"].to_numpy(dtype=float)
    evening = eve[eve | mor].to_numpy(dtype=float)
    start = sub["start_pain"].to_numpy(dtype=float)
    cols = [np.ones_like(y), evening]
    if np.ptp(start) > 0:
        cols.append(start - start.mean())
    X = np.column_stack(cols)
    ls = least_squares(X, y)
    diff = float(ls.coef[1])
    with np.errstate(invalid="ignore"):
        half = stats.t.ppf(0.975, ls.df_resid) * np.sqrt(ls.cov_hc3()[1, 1])
    lo, hi = diff - half, diff + half
    if not (np.isfinite(lo) and np.isfinite(hi)):
        lo = hi = diff
    rng = f"95% interval {signed(lo)} to {signed(hi)}"
    raw = f"on average {re:.1f} points of relief in the evening, {rm:.1f} in the morning"
    if lo > 0:
        verdict = "evenings bring more relief"
        why = f"{raw}; at the same starting pain, evenings give {diff:.1f} points more ({rng})"
    elif hi < 0:
        verdict = "mornings bring more relief"
        why = f"{raw}; at the same starting pain, mornings give {-diff:.1f} points more ({rng})"
    else:
        verdict = "no clear difference"
        why = f"{raw}; at the same starting pain the difference is {signed(diff)} points ({rng}), not clearly different from none"
    return TimeOfDayEffect(ne, nm, re, rm, diff, lo, hi, verdict, why)


def habits(
    data: LogTables | pd.DataFrame,
    *,
    today=None,
) -> Habits:
    """Sessions per week, longest gap, streaks, and relief by time of day.

    Parameters
    ----------
    data : LogTables or DataFrame
        The log's tables (:class:`stretchlog.model.tables.LogTables`, as an
        :class:`~stretchlog.Analysis` holds them), or its bouts as returned by
        :func:`stretchlog.read_log`.
    today : date-like, optional
        The day "today" means (default: the computer's date).

    Returns
    -------
    Habits

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> text = ("date,time,stretch,hold_s,pain_before,pain_after\\n"
    ...         "2026-03-01,21:00,pigeon,45,5,3\\n2026-03-02,07:00,pigeon,45,5,4\\n"
    ...         "2026-03-06,21:00,pigeon,45,5,3\\n2026-03-07,21:00,pigeon,45,5,3\\n")
    >>> h = habits(read_log(io.StringIO(text)), today="2026-03-08")
    >>> h.longest_gap_days, h.gap_from, h.streak_last_log, h.streak_today, h.evening_vs_morning.verdict
    (3, '2026-03-02', 2, 2, 'not enough data')
    """
    t = tables_of(data)
    s = t.sessions
    today_ts = pd.Timestamp(today if today is not None else pd.Timestamp.today()).normalize()
    today_day = int(day_numbers(pd.Series([today_ts]))[0])
    weekly = t.weekly[["week", "week_start", "sessions"]]
    tod_cols = ["time_of_day", "sessions", "relief", "start_pain"]
    if s.empty:
        effect = _time_effect(
            pd.DataFrame({"time_of_day": pd.Series(dtype="str"), "relief": [], "start_pain": []})
        )
        empty_tod = pd.DataFrame(
            {c: pd.Series(dtype="str" if c == "time_of_day" else "float64") for c in tod_cols}
        )
        return Habits(
            weekly,
            0,
            float("nan"),
            float("nan"),
            0,
            None,
            None,
            None,
            0,
            str(today_ts.date()),
            0,
            empty_tod,
            effect,
        )
    days = np.unique(day_numbers(s["date"]))
    last = int(days[-1])
    gaps = np.diff(days) - 1
    if gaps.size and gaps.max() > 0:
        i = int(gaps.argmax())
        longest, gap_from, gap_to = int(gaps[i]), iso_day(days[i]), iso_day(days[i + 1])
    else:
        longest, gap_from, gap_to = 0, None, None
    streak_today = _streak_ending(days, today_day) or _streak_ending(days, today_day - 1)
    # over the days from the first session to the last (as the log summary counts it);
    # averaging calendar weeks would count the part-weeks at both ends as whole weeks
    # a rate over a few days is not a rate (2 sessions in 2 days is not "7 a week"):
    # none below MIN_RATE_DAYS, and the last four weeks only once they differ from it all
    span = last - int(days[0]) + 1
    per_week = float(len(s)) / span * 7.0 if span >= MIN_RATE_DAYS else float("nan")
    recent = s["date"] > s["date"].max() - pd.Timedelta(days=28)
    per_week_recent = float(recent.sum()) / 28 * 7.0 if span >= 28 + MIN_RATE_DAYS else float("nan")
    tod = (
        s.groupby("time_of_day", sort=False)
        .agg(
            sessions=("relief", "size"),
            relief=("relief", "mean"),
            start_pain=("start_pain", "mean"),
        )
        .reset_index()
    )
    order = {"morning": 0, "afternoon": 1, "evening": 2, "night": 3, "unknown": 4}
    tod = tod.iloc[
        np.argsort(tod["time_of_day"].map(order).fillna(5).to_numpy(), kind="stable")
    ].reset_index(drop=True)
    tod["time_of_day"] = tod["time_of_day"].astype("str")
    tod["sessions"] = tod["sessions"].astype("int64")
    return Habits(
        weekly=weekly,
        n_sessions=len(s),
        sessions_per_week=per_week,
        sessions_per_week_recent=per_week_recent,
        longest_gap_days=longest,
        gap_from=gap_from,
        gap_to=gap_to,
        last_date=iso_day(last),
        streak_last_log=_streak_ending(days, last),
        today=str(today_ts.date()),
        streak_today=streak_today,
        by_time_of_day=tod[tod_cols],
        evening_vs_morning=_time_effect(s),
    )
