"""Each planned day as the log shows it: which option was done, and the session's relief.

What was done is read from the bouts themselves, never from notes (the log format
keeps notes verbatim and never interprets them): on a ``compare`` day, which of the
two stretches appears; on a ``dose`` day, which of the two doses the stretch's
bouts are nearer to (hold and reps, on a log scale); on an ``order`` day, which of
the two stretches came first. Missed and swapped days are kept, never dropped:
the analysis "as randomised" counts every planned day by the option the coin gave
it, the analysis "as done" by what the log shows.

The outcome of a day is its sessions' relief: pain at a session's start minus pain
at its end (the mean over the day's sessions with both readings). It needs only the
two readings every logging style has, and the coin makes it fair: everything else
in the sessions is the same for both options on average.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from stretchlog.experiment.design import Plan
from stretchlog.words import plural

__all__ = ["DONE", "plan_days", "today_line", "extra_sessions"]

#: What the log can show for a planned day.
DONE: dict[str, str] = {
    "A": "option A",
    "B": "option B",
    "both": "both options",
    "neither": "neither option",
    "unclear": "a dose between the two",
    "missed": "no session logged",
    "to come": "still to come",
}

_DAY_COLUMNS = [
    "date",
    "week",
    "block",
    "option",
    "do",
    "done",
    "followed",
    "n_sessions",
    "start_pain",
    "end_pain",
    "relief",
]


def _classify(plan: Plan, bouts: pd.DataFrame) -> str:
    """What one day's bouts show (``bouts`` non-empty, one day)."""
    ids = bouts["stretch_id"].astype("str")
    if plan.kind == "compare":
        a, b = (ids == plan.a.stretch_id).any(), (ids == plan.b.stretch_id).any()
        return "both" if a and b else "A" if a else "B" if b else "neither"
    if plan.kind == "dose":
        mine = bouts[ids == plan.a.stretch_id]
        hold = pd.to_numeric(mine["hold_s"], errors="coerce").dropna()
        reps = pd.to_numeric(mine["reps"], errors="coerce").fillna(1)
        if hold.empty:
            return "neither"
        h, r = float(hold.median()), float(reps.median())

        def far(o) -> float:
            return abs(np.log(h / o.hold_s)) + abs(np.log(max(r, 1) / o.reps))

        da, db = far(plan.a), far(plan.b)
        if abs(da - db) < 0.1:
            return "unclear"
        return "A" if da < db else "B"
    # order: the first session holding both stretches
    first, second = plan.a.stretch_id, plan.a.then_id
    for _, s in bouts.sort_values(["session_id", "bout"]).groupby("session_id", sort=True):
        sid = s["stretch_id"].astype("str").to_numpy()
        if first in sid and second in sid:
            return "A" if np.argmax(sid == first) < np.argmax(sid == second) else "B"
    return "neither"


def plan_days(plan: Plan, bouts: pd.DataFrame, sessions: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per planned day: planned option, what the log shows, the day's relief.

    Parameters
    ----------
    plan : Plan
        The plan.
    bouts, sessions : DataFrame
        The log's bouts and sessions (:class:`stretchlog.model.tables.LogTables`).
    today : date
        Days from today on without a session are "to come", not missed.

    Returns
    -------
    DataFrame
        ``date``, ``week``, ``block``, ``option`` (planned), ``do``, ``done`` (a key of
        :data:`DONE`), ``followed`` (done as planned), ``n_sessions``, ``start_pain``,
        ``end_pain`` and ``relief`` (NaN without a session with both readings).
    """
    out = plan.schedule.copy()
    out["date"] = pd.to_datetime(out["date"]).dt.normalize()
    b_day = pd.to_datetime(bouts["date"]).dt.normalize() if len(bouts) else pd.Series(dtype="datetime64[ns]")
    s = sessions.copy()
    s["day"] = pd.to_datetime(s["date"]).dt.normalize()
    by_day_b = {d: g for d, g in bouts.groupby(b_day)} if len(bouts) else {}
    by_day_s = {d: g for d, g in s.groupby("day")} if len(s) else {}
    now = pd.Timestamp(today)
    done, n_sess, start, end, relief = [], [], [], [], []
    for d in out["date"]:
        sd = by_day_s.get(d)
        bd = by_day_b.get(d)
        if sd is None or bd is None or len(bd) == 0:
            done.append("to come" if d >= now else "missed")
            n_sess.append(0)
            start.append(np.nan)
            end.append(np.nan)
            relief.append(np.nan)
            continue
        done.append(_classify(plan, bd))
        n_sess.append(len(sd))
        rated = sd[sd["start_pain"].notna() & sd["end_pain"].notna()]
        if len(rated):
            start.append(float(rated["start_pain"].astype(float).mean()))
            end.append(float(rated["end_pain"].astype(float).mean()))
            relief.append(float(rated["relief"].astype(float).mean()))
        else:
            start.append(np.nan)
            end.append(np.nan)
            relief.append(np.nan)
    out["done"] = done
    out["followed"] = out["done"] == out["option"]
    out["n_sessions"] = n_sess
    out["start_pain"] = start
    out["end_pain"] = end
    out["relief"] = relief
    return out[_DAY_COLUMNS]


def extra_sessions(plan: Plan, sessions: pd.DataFrame) -> int:
    """Sessions within the plan's dates on days the plan did not plan."""
    d = pd.to_datetime(sessions["date"]).dt.normalize()
    inside = (d >= pd.Timestamp(plan.start)) & (d <= pd.Timestamp(plan.end))
    planned = set(pd.to_datetime(plan.schedule["date"]).dt.normalize())
    return int((inside & ~d.isin(planned)).sum())


def _day(d: pd.Timestamp | date) -> str:
    d = pd.Timestamp(d)
    return f"{d:%a} {d.day} {d:%b}"


def today_line(plan: Plan, today: date) -> str:
    """What the plan asks for today, in one sentence.

    Examples
    --------
    >>> from stretchlog.experiment.design import Option, make_plan
    >>> p = make_plan("compare", Option("A", "a", "Pigeon pose"), Option("B", "b", "Side bend"),
    ...               start=date(2026, 12, 7), weeks=2, seed=1)
    >>> today_line(p, date(2026, 12, 7)).startswith("Plan day 1 of 14 (Mon 7 Dec): option")
    True
    >>> today_line(p, date(2026, 12, 1))
    'Your self-experiment starts on Mon 7 Dec.'
    """
    s = plan.schedule
    dates = pd.to_datetime(s["date"]).dt.normalize()
    now = pd.Timestamp(today)
    if now < dates.iloc[0]:
        return f"Your self-experiment starts on {_day(dates.iloc[0])}."
    if now > dates.iloc[-1]:
        return (
            f"Your self-experiment ended on {_day(dates.iloc[-1])}: see its answer with "
            "`stretchlog experiment`."
        )
    hit = np.flatnonzero((dates == now).to_numpy())
    if len(hit):
        i = int(hit[0])
        return (
            f"Plan day {i + 1} of {len(s)} ({_day(now)}): option {s['option'].iloc[i]} - "
            f"{s['do'].iloc[i]}."
        )
    j = int(np.flatnonzero((dates > now).to_numpy())[0])
    return (
        f"No planned session today; next: {_day(dates.iloc[j])}, option {s['option'].iloc[j]} - "
        f"{s['do'].iloc[j]} ({plural(len(s) - j, 'planned day')} left)."
    )
