"""Sessions: one row per sitting, with its start and end pain and what was done."""

from __future__ import annotations

import numpy as np
import pandas as pd

from stretchlog.log._runs import join_runs, run_ids, run_nunique, run_starts

__all__ = ["sessions", "session_table", "time_of_day", "logging_style"]

#: Hours (start inclusive) at which each part of the day begins.
_DAY_PARTS = ((5, "morning"), (12, "afternoon"), (17, "evening"), (22, "night"))


def time_of_day(time: pd.Series) -> pd.Series:
    """Part of the day for ``HH:MM`` times: morning (05-12), afternoon (12-17),
    evening (17-22), night (22-05); ``"unknown"`` where the time is missing.

    Examples
    --------
    >>> time_of_day(pd.Series(["07:15", "21:30", "23:10", None], dtype="str")).tolist()
    ['morning', 'evening', 'night', 'unknown']
    """
    hours = pd.to_numeric(time.str.slice(0, 2), errors="coerce")
    out = np.full(len(time), "unknown", dtype=object)
    h = hours.to_numpy(dtype="float64", na_value=np.nan)
    for start, name in _DAY_PARTS:
        out[h >= start] = name
    out[h < _DAY_PARTS[0][0]] = "night"
    return pd.Series(out, index=time.index, dtype="str")


def logging_style(n_bouts: pd.Series, n_segments: pd.Series) -> pd.Series:
    """How a session was logged: ``"per bout"`` (a reading around every bout),
    ``"start/end only"`` (readings only at the start and end of several bouts) or
    ``"mixed"``.
    """
    style = np.where(
        n_segments >= n_bouts,
        "per bout",
        np.where(n_segments == 1, "start/end only", "mixed"),
    )
    return pd.Series(style, index=n_bouts.index, dtype="str")


def sessions(bouts: pd.DataFrame) -> pd.DataFrame:
    """One row per session, in time order.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.

    Returns
    -------
    DataFrame
        Columns: ``session_id``, ``session`` (label), ``date``, ``time``, ``start``
        (date and time as a timestamp; midnight when no time), ``time_of_day``,
        ``start_pain`` (before the first bout), ``end_pain`` (after the last),
        ``relief`` (start minus end; positive = less pain), ``n_bouts``,
        ``n_segments`` (bout segments), ``n_stretches`` (distinct), ``total_hold_s``
        (seconds held, all holds and reps), ``mean_tightness``, ``style`` (see
        :func:`logging_style`), ``stretches`` (ids in order, joined by ``", "``).

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> bouts = read_log(io.StringIO(
    ...     "date,time,stretch,hold_s,reps,pain_before,pain_after\\n"
    ...     "2026-11-01,21:30,pigeon,45,2,6,\\n"
    ...     "2026-11-01,21:30,knees to chest,30,4,,3\\n"))
    >>> sessions(bouts)[["start_pain", "end_pain", "relief", "total_hold_s", "style"]].to_numpy().tolist()
    [[6.0, 3.0, 3.0, 210.0, 'start/end only']]
    """
    cols = [
        "session_id", "session", "date", "time", "start", "time_of_day", "start_pain", "end_pain",
        "relief", "n_bouts", "n_segments", "n_stretches", "total_hold_s", "mean_tightness",
        "style", "stretches",
    ]
    if bouts.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    # bouts come sorted by session: each session is one run of rows
    starts = run_starts(bouts["session_id"].to_numpy())
    run = run_ids(starts, len(bouts))
    firsts = bouts.iloc[starts]
    out = pd.DataFrame(
        {
            "session_id": firsts["session_id"].to_numpy(),
            "session": firsts["session"].array,
            "date": firsts["date"].to_numpy(),
            "time": firsts["time"].array,
            "n_bouts": np.diff(np.append(starts, len(bouts))),
            "n_segments": run_nunique(bouts["segment_id"].to_numpy(), starts),
            "n_stretches": run_nunique(bouts["stretch_id"].to_numpy(), starts),
        }
    )
    # pandas' grouped sum and mean (compensated summation), as the figures have always used
    out["total_hold_s"] = (bouts["hold_s"] * bouts["reps"]).groupby(run).sum().to_numpy()
    out["mean_tightness"] = bouts["tightness"].groupby(run).mean().to_numpy()
    # the first and last bouts exactly (not the first and last readings)
    first = bouts["bout"].eq(1).to_numpy()
    last = bouts["session_id"].ne(bouts["session_id"].shift(-1)).to_numpy()
    out["start_pain"] = bouts.loc[first, "pain_before"].to_numpy()
    out["end_pain"] = bouts.loc[last, "pain_after"].to_numpy()
    out["relief"] = out["start_pain"] - out["end_pain"]
    out["stretches"] = join_runs(bouts["stretch_id"].to_numpy(), bouts["session_id"].to_numpy(), ", ")
    minutes = pd.to_timedelta(
        pd.to_numeric(out["time"].str.slice(0, 2), errors="coerce").fillna(0) * 60
        + pd.to_numeric(out["time"].str.slice(3, 5), errors="coerce").fillna(0),
        unit="min",
    )
    out["start"] = out["date"] + minutes
    out["time_of_day"] = time_of_day(out["time"])
    out["style"] = logging_style(out["n_bouts"], out["n_segments"])
    for c in ("n_bouts", "n_segments", "n_stretches", "session_id"):
        out[c] = out[c].astype("int64")
    return out[cols]


#: The same function under the name the package exports (``stretchlog.session_table``).
session_table = sessions
