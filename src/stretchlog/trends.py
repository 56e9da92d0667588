"""Tightness over time: per stretch and side, per stretch, per muscle group.

The guides ask the reader to notice which muscles were hard to stretch (they are
too tight and need more work) and promise that regular stretching pays off over
weeks and months. This module turns the ``tightness`` column (0 = free, 10 =
could barely do it) into

* :func:`tightness_trends`: one row per group with the tightness now, the change
  per 30 days with a 95% interval and a plain verdict (looser, tighter, flat,
  not enough data);
* :func:`tightness_curve`: a LOWESS curve per group for charts;
* :func:`needs_more_work`: the tightest now and the ones getting tighter.

The estimator (OLS on daily means with a calendar HAC interval and fixed-b
critical values) and why it was chosen are in :mod:`stretchlog.trends_fit`.
A verdict other than "flat" needs the interval to exclude 0 **and** a change of
at least :data:`MIN_RATE` points per 30 days (1 point in 6 months).

Shared "stiff days" move every stretch together; the ``all`` level (every rating
of the log) shows that common part, so a stretch that loosens only as much as
everything else is not singled out by mistake.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from stretchlog.catalog import Catalog, load_catalog
from stretchlog.trends_fit import MIN_DAYS, MIN_SPAN_DAYS, day_numbers, direction, fit_trend, signed

__all__ = [
    "MIN_RATE",
    "RECENT_DAYS",
    "TREND_COLUMNS",
    "needs_more_work",
    "stretch_info",
    "tightness_curve",
    "tightness_trends",
]

#: Smallest change per 30 days called looser or tighter (1 point in 6 months).
MIN_RATE = 1.0 / 6.0
#: "Tightness now" is the mean over this many days up to the last rating.
RECENT_DAYS = 28

Level = Literal["stretch_side", "stretch", "muscle_group", "all"]
_KEYS: dict[str, list[str]] = {
    "stretch_side": ["stretch_id", "side"],
    "stretch": ["stretch_id"],
    "muscle_group": ["muscle_group"],
    "all": [],
}

TREND_COLUMNS = [
    "level",
    "stretch_id",
    "name",
    "side",
    "muscle_group",
    "n_ratings",
    "n_days",
    "first_date",
    "last_date",
    "tightness_now",
    "slope_30d",
    "lo_30d",
    "hi_30d",
    "verdict",
    "why",
]


def stretch_info(bouts: pd.DataFrame, catalog: Catalog | None = None) -> pd.DataFrame:
    """Name, muscle group and sidedness of each stretch in a log (index ``stretch_id``).

    Stretches the catalog lacks keep the name as typed and get their own group,
    ``"<name> (not in the catalog)"``.

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> b = read_log(io.StringIO("date,stretch,hold_s,pain_before,pain_after,tightness\\n2026-11-01,pigeon,45,5,4,6\\n"))
    >>> stretch_info(b).loc["pigeon-pose", ["name", "muscle_group"]].tolist()
    ['Pigeon pose', 'glutes and hip rotators']
    """
    cat = catalog if catalog is not None else load_catalog()
    first = bouts.drop_duplicates("stretch_id")[["stretch_id", "stretch"]]
    rows = []
    for sid, typed in zip(first["stretch_id"], first["stretch"]):
        try:
            s = cat.get(sid)
            rows.append((sid, s.name, s.muscle_group, bool(s.sided)))
        except KeyError:
            rows.append((sid, str(typed), f"{typed} (not in the catalog)", True))
    out = pd.DataFrame(rows, columns=["stretch_id", "name", "muscle_group", "sided"])
    out = out.astype({"stretch_id": "str", "name": "str", "muscle_group": "str", "sided": bool})
    return out.set_index("stretch_id")


def _rated(bouts: pd.DataFrame, catalog: Catalog | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rated bouts with day numbers and muscle group, and :func:`stretch_info` of them."""
    rated = bouts.loc[
        bouts["tightness"].notna(), ["stretch_id", "stretch", "side", "date", "tightness"]
    ]
    info = stretch_info(rated, catalog) if len(rated) else stretch_info(bouts.iloc[:0], catalog)
    out = pd.DataFrame(
        {
            "stretch_id": rated["stretch_id"].astype("str").to_numpy(),
            "side": rated["side"].astype("str").to_numpy(),
            "day": day_numbers(rated["date"]),
            "tightness": rated["tightness"].to_numpy(dtype=float),
        }
    )
    out["muscle_group"] = out["stretch_id"].map(info["muscle_group"]).astype("str")
    return out, info


def _daily(rated: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per group and day: mean tightness and number of ratings, sorted."""
    work = rated.assign(_all="all") if not keys else rated
    by = keys or ["_all"]
    daily = (
        work.groupby(by + ["day"], sort=True, observed=True)["tightness"]
        .agg(["mean", "size"])
        .reset_index()
        .rename(columns={"mean": "value", "size": "n"})
    )
    return daily


def _why(
    verdict: str, n_days: int, span: int, slope: float, lo: float, hi: float, min_rate: float
) -> str:
    if verdict == "not enough data":
        return (
            f"rated on {n_days} day{'s' if n_days != 1 else ''} over {span} days; a trend needs "
            f"at least {MIN_DAYS} days spread over {MIN_SPAN_DAYS // 7} weeks"
        )
    if verdict in ("looser", "tighter"):
        word = "loosening" if verdict == "looser" else "tightening"
        return f"{word} by about {abs(slope):.1f} points a month (95% interval {signed(lo)} to {signed(hi)})"
    if lo == hi == 0:
        return "the same rating every time"
    if lo > 0 or hi < 0:
        return (
            f"a steady but small change ({signed(slope, 2)} points a month, "
            f"less than 1 point in {round(1 / min_rate)} months)"
        )
    return f"no clear change: somewhere between {signed(lo)} and {signed(hi)} points a month"


def tightness_trends(
    bouts: pd.DataFrame,
    *,
    by: Level = "stretch_side",
    catalog: Catalog | None = None,
    min_rate: float = MIN_RATE,
    recent_days: int = RECENT_DAYS,
) -> pd.DataFrame:
    """Tightness trend per group: level now, change per 30 days with a 95% interval, verdict.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log` (bouts without a tightness
        rating are ignored).
    by : {"stretch_side", "stretch", "muscle_group", "all"}
        One row per stretch and side (left and right apart), per stretch (sides
        together), per muscle group of the catalog, or one row for the whole log.
    catalog : Catalog, optional
        For names and muscle groups (default: the built-in catalog).
    min_rate : float
        Smallest change per 30 days called looser or tighter (default 1 point in 6 months).
    recent_days : int
        ``tightness_now`` is the mean over this many days up to the group's last rating.

    Returns
    -------
    DataFrame
        One row per group, in the catalog's order, columns :data:`TREND_COLUMNS`:
        ``level``; ``stretch_id``, ``name``, ``side``, ``muscle_group`` (missing where
        the level does not have them; ``name`` is always a plain label);
        ``n_ratings`` (bouts rated), ``n_days`` (days rated), ``first_date``,
        ``last_date``; ``tightness_now`` (0-10); ``slope_30d`` with ``lo_30d`` and
        ``hi_30d`` (change in points per 30 days; negative = looser); ``verdict``
        (``"looser"``, ``"tighter"``, ``"flat"`` or ``"not enough data"``) and ``why``
        (the verdict in plain words).

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> rows = [f"2026-01-{d:02d},pigeon,left,45,5,4,{8 - d // 6}" for d in range(1, 32, 2)]
    >>> text = "date,stretch,side,hold_s,pain_before,pain_after,tightness\\n" + "\\n".join(rows) + "\\n"
    >>> t = tightness_trends(read_log(io.StringIO(text)))
    >>> t[["name", "side", "tightness_now", "verdict"]].to_numpy().tolist()
    [['Pigeon pose', 'left', 5.5, 'looser']]
    >>> print(t["why"].iloc[0])
    loosening by about 5.0 points a month (95% interval -5.4 to -4.5)
    """
    if by not in _KEYS:
        raise ValueError(f"by must be one of {', '.join(_KEYS)}, not {by!r}")
    keys = _KEYS[by]
    cat = catalog if catalog is not None else load_catalog()
    rated, info = _rated(bouts, cat)
    if rated.empty:
        return _empty_trends()
    daily = _daily(rated, keys)
    gkeys = keys or ["_all"]
    last = daily.groupby(gkeys, sort=False, observed=True)["day"].transform("max")
    recent = daily["day"] > last - recent_days
    now = daily.loc[recent].groupby(gkeys, sort=True, observed=True)["value"].mean()
    summary = daily.groupby(gkeys, sort=True, observed=True).agg(
        n_ratings=("n", "sum"), n_days=("day", "size"), first=("day", "min"), last=("day", "max")
    )
    summary["tightness_now"] = now
    days = daily["day"].to_numpy()
    values = daily["value"].to_numpy()
    groups = daily.groupby(gkeys, sort=True, observed=True).indices
    fits = {}
    for key, idx in groups.items():
        fits[key] = fit_trend(days[idx], values[idx])
    summary = summary.reset_index()
    keycol = (
        summary[gkeys[0]] if len(gkeys) == 1 else pd.Series(list(zip(*(summary[k] for k in gkeys))))
    )
    fitted = [fits[k] for k in keycol]
    summary["slope_30d"] = [f.slope for f in fitted]
    summary["lo_30d"] = [f.lo for f in fitted]
    summary["hi_30d"] = [f.hi for f in fitted]
    verdicts, whys = [], []
    for f in fitted:
        if not f.enough:
            v = "not enough data"
        else:
            v = {1: "tighter", -1: "looser", 0: "flat"}[direction(f.slope, f.lo, f.hi, min_rate)]
        verdicts.append(v)
        whys.append(_why(v, f.n_days, f.span_days, f.slope, f.lo, f.hi, min_rate))
    summary["verdict"] = verdicts
    summary["why"] = whys
    return _finish(summary, by, info, cat)


def _finish(summary: pd.DataFrame, by: str, info: pd.DataFrame, cat: Catalog) -> pd.DataFrame:
    out = pd.DataFrame({"level": pd.Series(by, index=summary.index, dtype="str")})
    if by in ("stretch_side", "stretch"):
        out["stretch_id"] = summary["stretch_id"].astype("str")
        out["name"] = out["stretch_id"].map(info["name"]).astype("str")
        out["side"] = (
            summary["side"].astype("str")
            if by == "stretch_side"
            else pd.Series(np.nan, index=summary.index, dtype="str")
        )
        out["muscle_group"] = out["stretch_id"].map(info["muscle_group"]).astype("str")
        order = {sid: i for i, sid in enumerate(cat.ids)}
        rank = out["stretch_id"].map(order).fillna(len(order)).to_numpy()
    elif by == "muscle_group":
        out["stretch_id"] = pd.Series(np.nan, index=summary.index, dtype="str")
        out["name"] = summary["muscle_group"].astype("str")
        out["side"] = pd.Series(np.nan, index=summary.index, dtype="str")
        out["muscle_group"] = summary["muscle_group"].astype("str")
        first_rank = {}
        for i, s in enumerate(cat):
            first_rank.setdefault(s.muscle_group, i)
        rank = out["muscle_group"].map(first_rank).fillna(len(first_rank)).to_numpy()
    else:
        out["stretch_id"] = pd.Series(np.nan, index=summary.index, dtype="str")
        out["name"] = pd.Series("all stretches", index=summary.index, dtype="str")
        out["side"] = pd.Series(np.nan, index=summary.index, dtype="str")
        out["muscle_group"] = pd.Series(np.nan, index=summary.index, dtype="str")
        rank = np.zeros(len(summary))
    out["n_ratings"] = summary["n_ratings"].astype("int64")
    out["n_days"] = summary["n_days"].astype("int64")
    out["first_date"] = _to_date(summary["first"])
    out["last_date"] = _to_date(summary["last"])
    for c in ("tightness_now", "slope_30d", "lo_30d", "hi_30d"):
        out[c] = summary[c].astype("float64")
    out["verdict"] = summary["verdict"].astype("str")
    out["why"] = summary["why"].astype("str")
    side_rank = out["side"].map({"left": 0, "right": 1, "both": 2}).fillna(3).to_numpy()
    order = np.lexsort((out["name"].to_numpy(dtype=object), side_rank, rank))
    return out.iloc[order].reset_index(drop=True)[TREND_COLUMNS]


def _to_date(days: pd.Series) -> pd.Series:
    return pd.Series(
        days.to_numpy(dtype="int64").astype("datetime64[D]").astype("datetime64[ns]"),
        index=days.index,
    )


def _empty_trends() -> pd.DataFrame:
    dtypes = {
        "n_ratings": "int64",
        "n_days": "int64",
        "first_date": "datetime64[ns]",
        "last_date": "datetime64[ns]",
        "tightness_now": "float64",
        "slope_30d": "float64",
        "lo_30d": "float64",
        "hi_30d": "float64",
    }
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in TREND_COLUMNS})


def tightness_curve(
    bouts: pd.DataFrame,
    *,
    by: Level = "stretch_side",
    catalog: Catalog | None = None,
    span_days: float = 60.0,
) -> pd.DataFrame:
    """A LOWESS curve of daily mean tightness per group, for charts.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.
    by : {"stretch_side", "stretch", "muscle_group", "all"}
        As in :func:`tightness_trends`.
    catalog : Catalog, optional
        For muscle groups.
    span_days : float
        Width of the smoothing window in days. LOWESS's own default (2/3 of the
        points) would flatten a multi-year log into one gentle bend, so the share
        of points used is set from this span: ``span_days / days covered``.

    Returns
    -------
    DataFrame
        One row per group and rated day: the group's key columns (``stretch_id``,
        ``side``; ``stretch_id``; ``muscle_group``; none for ``"all"``), ``date``,
        ``tightness`` (that day's mean) and ``smoothed`` (the curve; NaN for groups
        rated on fewer than 5 days). One robustness pass (``it=1``), so a single odd
        day does not bend the curve but a real jump is not explained away.

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> rows = [f"2026-01-{d:02d},pigeon,left,45,5,4,{8 - d // 6}" for d in range(1, 32, 2)]
    >>> b = read_log(io.StringIO("date,stretch,side,hold_s,pain_before,pain_after,tightness\\n" + "\\n".join(rows) + "\\n"))
    >>> c = tightness_curve(b)
    >>> list(c.columns), len(c), bool(c["smoothed"].is_monotonic_decreasing)
    (['stretch_id', 'side', 'date', 'tightness', 'smoothed'], 16, True)
    """
    from statsmodels.nonparametric.smoothers_lowess import lowess

    if by not in _KEYS:
        raise ValueError(f"by must be one of {', '.join(_KEYS)}, not {by!r}")
    keys = _KEYS[by]
    rated, _ = _rated(bouts, catalog)
    cols = keys + ["date", "tightness", "smoothed"]
    if rated.empty:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype="datetime64[ns]"
                    if c == "date"
                    else ("float64" if c in ("tightness", "smoothed") else "str")
                )
                for c in cols
            }
        )
    daily = _daily(rated, keys)
    smoothed = np.full(len(daily), np.nan)
    days = daily["day"].to_numpy().astype(float)
    values = daily["value"].to_numpy()
    for idx in daily.groupby(keys or ["_all"], sort=True, observed=True).indices.values():
        n = idx.size
        if n < 5:
            continue
        x = days[idx]
        covered = x[-1] - x[0] + 1.0
        frac = float(min(1.0, max(span_days / covered, 5.0 / n)))
        smoothed[idx] = lowess(
            values[idx], x, frac=frac, it=1, delta=0.01 * covered, return_sorted=False
        )
    out = daily[keys].copy() if keys else pd.DataFrame(index=daily.index)
    for k in keys:
        out[k] = out[k].astype("str")
    out["date"] = _to_date(daily["day"])
    out["tightness"] = values
    out["smoothed"] = smoothed
    return out.reset_index(drop=True)


def needs_more_work(
    trends: pd.DataFrame,
    *,
    top: int = 3,
    min_now: float = 5.0,
    stale_days: int = 56,
) -> pd.DataFrame:
    """The "needs more work" list: the tightest now, and the ones getting tighter.

    Parameters
    ----------
    trends : DataFrame
        From :func:`tightness_trends` (any level).
    top : int
        How many of the tightest to list (those at ``min_now`` or above).
    min_now : float
        Only groups at least this tight now (0-10) count as "tightest".
    stale_days : int
        Groups last rated more than this many days before the newest rating in
        ``trends`` are left out: their "now" is old news.

    Returns
    -------
    DataFrame
        The rows of ``trends`` that qualify, tightest first, with a ``reason`` column
        in plain words.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A", "B", "C"], "tightness_now": [7.5, 3.0, 5.5],
    ...                   "slope_30d": [0.0, 0.4, -0.3], "verdict": ["flat", "tighter", "looser"],
    ...                   "last_date": pd.to_datetime(["2026-03-01"] * 3)})
    >>> needs_more_work(t)[["name", "reason"]].to_numpy().tolist()
    [['A', 'among the tightest now (7.5 of 10)'], ['C', 'among the tightest now (5.5 of 10), though loosening'], ['B', 'getting tighter (+0.4 points a month)']]
    """
    if trends.empty:
        return trends.assign(reason=pd.Series(dtype="str"))
    newest = trends["last_date"].max()
    fresh = trends["last_date"] >= newest - pd.Timedelta(days=stale_days)
    cand = trends.loc[fresh]
    tight = cand.loc[cand["tightness_now"] >= min_now].nlargest(top, "tightness_now")
    tighter = cand.loc[cand["verdict"].eq("tighter")]
    picked = cand.loc[cand.index.isin(tight.index) | cand.index.isin(tighter.index)].copy()
    is_tight = picked.index.isin(tight.index)
    is_tighter = picked["verdict"].eq("tighter").to_numpy()
    now = picked["tightness_now"].map(lambda v: f"{v:.1f} of 10")
    rate = picked["slope_30d"].map(lambda v: f"{signed(v)} points a month")
    reason = np.where(
        is_tight & is_tighter,
        "among the tightest now (" + now + ") and getting tighter (" + rate + ")",
        np.where(
            is_tight,
            "among the tightest now ("
            + now
            + ")"
            + np.where(picked["verdict"].eq("looser"), ", though loosening", ""),
            "getting tighter (" + rate + ")",
        ),
    )
    picked["reason"] = pd.Series(reason, index=picked.index, dtype="str")
    picked["_g"] = np.where(is_tight, 0, 1)
    picked = picked.sort_values(["_g", "tightness_now"], ascending=[True, False], kind="stable")
    return picked.drop(columns="_g").reset_index(drop=True)
