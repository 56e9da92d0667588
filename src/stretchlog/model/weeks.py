"""Sessions and pain by ISO week: the weekly table the pain trend, the habits and the
timeline chart read (built once per log, as :attr:`stretchlog.model.tables.LogTables.weekly`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["weekly_pain"]


def weekly_pain(ses: pd.DataFrame) -> pd.DataFrame:
    """Sessions and pain by ISO week (weeks without a session are included).

    Parameters
    ----------
    ses : DataFrame
        From :func:`stretchlog.model.sessions`.

    Returns
    -------
    DataFrame
        ``week`` (``"2026-W19"``), ``week_start`` (its Monday), ``sessions``,
        ``start_pain`` and ``end_pain`` (averages over the week's sessions; NaN for
        a week without one), ``relief`` (average start minus end).

    Examples
    --------
    >>> ses = pd.DataFrame({"date": pd.to_datetime(["2026-05-04", "2026-05-06", "2026-05-19"]),
    ...                     "start_pain": [6.0, 4.0, 5.0], "end_pain": [4.0, 3.0, 5.0]})
    >>> weekly_pain(ses.assign(relief=ses.start_pain - ses.end_pain))[["week", "sessions", "start_pain"]].to_numpy().tolist()
    [['2026-W19', 2, 5.0], ['2026-W20', 0, nan], ['2026-W21', 1, 5.0]]
    """
    cols = ["week", "week_start", "sessions", "start_pain", "end_pain", "relief"]
    if ses.empty:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype={"week": "str", "week_start": "datetime64[ns]", "sessions": "int64"}.get(
                        c, "float64"
                    )
                )
                for c in cols
            }
        )
    day = np.asarray(ses["date"], dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    week = (day + 3) // 7  # weeks counted from Monday 1969-12-29 (1970-01-01 was a Thursday)
    first = int(week.min())
    code = week - first
    n_weeks = int(week.max()) - first + 1
    sessions = np.bincount(code, minlength=n_weeks).astype("int64")
    # pandas' grouped mean (compensated summation), as the figures have always used
    means = ses[["start_pain", "end_pain", "relief"]].groupby(code, sort=True).mean()
    means = means.reindex(np.arange(n_weeks))
    monday = (np.arange(first, first + n_weeks) * 7 - 3).astype("datetime64[D]")
    out = pd.DataFrame(
        {
            "week": pd.array(_iso_weeks(monday), dtype="str"),
            "week_start": monday.astype("datetime64[ns]"),
            "sessions": sessions,
            "start_pain": means["start_pain"].to_numpy(dtype="float64"),
            "end_pain": means["end_pain"].to_numpy(dtype="float64"),
            "relief": means["relief"].to_numpy(dtype="float64"),
        }
    )
    return out[cols]


def _iso_weeks(monday: np.ndarray) -> list[str]:
    """ISO week labels (``"2026-W19"``) of Mondays (datetime64[D])."""
    thursday = monday + 3  # an ISO week belongs to the year of its Thursday
    year = thursday.astype("datetime64[Y]")
    week = (thursday - year.astype("datetime64[D]")).astype("int64") // 7 + 1
    years = year.astype("int64") + 1970
    return [f"{y}-W{w:02d}" for y, w in zip(years.tolist(), week.tolist())]
