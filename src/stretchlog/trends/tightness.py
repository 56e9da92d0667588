"""Tightness over time: per stretch and side, per stretch, per muscle group.

The guides ask the reader to notice which muscles were hard to stretch (they are
too tight and need more work) and promise that regular stretching pays off over
weeks and months. This module turns the ``tightness`` column (0 = free, 10 =
could barely do it) into

* :func:`tightness_trends`: one row per group with the tightness now, the change
  per 30 days and over the span logged, each with a 95% interval, and a plain
  verdict (looser, tighter, flat, not sure yet, not enough data) with a word for
  the size of a change (slowly, clearly); :func:`tightness_levels` gives several
  levels at once;
* :func:`tightness_curve`: a LOWESS curve per group for charts;
* :func:`needs_more_work`: the tightest now and the ones getting tighter.

The estimator (OLS on daily means with a calendar HAC interval and fixed-b
critical values, corrected for stiff spells and few days with the reference model
:data:`~stretchlog.trends.fit.STIFF_DAYS`) and why it was chosen are in
:mod:`stretchlog.trends.fit`.
The verdict reads the 95% interval of the change over the span logged
(:func:`stretchlog.trends.fit.change_call`, ``docs/method.md``):

* **looser** / **tighter** whenever the interval leaves out "no change", with the
  size in words: **clearly** when the change is about :data:`MIN_CHANGE` (1
  point, the smallest change a person can feel on a 0-10 rating) or more,
  **slowly** when it is less;
* **flat** only when the interval holds "no change" and lies wholly within
  :data:`MIN_CHANGE` either way: the log rules out a change that matters;
* **not sure yet** otherwise: the log allows both no change and one that matters;
* **not enough data** below :data:`~stretchlog.trends.fit.MIN_DAYS` days spread
  over :data:`~stretchlog.trends.fit.MIN_SPAN_DAYS` days.

Shared "stiff days" move every stretch together; the ``all`` level (every rating
of the log) shows that common part, so a stretch that loosens only as much as
everything else is not singled out by mistake.

Why one module of this size: the verdicts, the curve and the needs-more-work list
are three views of the same daily ratings (``_rated`` and ``_daily`` below), and a
third of the lines are the docstrings' worked examples.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.nonparametric.smoothers_lowess import lowess

from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.trends.fit import (
    STIFF_DAYS,
    TrendFit,
    change_call,
    day_numbers,
    fit_trend,
    shortfall,
    span_words,
)
from stretchlog.words import signed

__all__ = [
    "MIN_CHANGE",
    "RECENT_DAYS",
    "TREND_COLUMNS",
    "VERDICTS",
    "needs_more_work",
    "stretch_info",
    "tightness_curve",
    "tightness_levels",
    "tightness_trends",
]

#: The smallest change in tightness that matters, in points over the span logged: one
#: step of the 0-10 rating, about the smallest change a person can feel (see
#: ``docs/method.md``). A change at least this big is "clearly" looser or tighter, a
#: smaller one "slowly"; "flat" needs the whole 95% interval within this either way.
MIN_CHANGE = 1.0
#: The verdicts, in the order of how much they say.
VERDICTS = ("looser", "tighter", "flat", "not sure yet", "not enough data")
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
    "change",
    "change_lo",
    "change_hi",
    "verdict",
    "size",
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
    ['Pigeon pose', 'buttock muscles (glutes and hip rotators)']
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


def _verdict(fit: TrendFit, min_change: float) -> str:
    """The verdict of one group from its change over the span logged (see the module docstring)."""
    if not fit.enough:
        return "not enough data"
    _, lo, hi = fit.change
    call = change_call(lo, hi, min_change)
    return {"rising": "tighter", "falling": "looser", "no change": "flat"}.get(call, "not sure yet")


def _size(verdict: str, change: float, min_change: float) -> str:
    """"clearly" or "slowly" for a direction (the estimate against ``min_change``), else ""."""
    if verdict not in ("looser", "tighter"):
        return ""
    return "clearly" if abs(change) >= min_change else "slowly"


def _why(
    verdict: str, size: str, n_days: int, span: int, change: tuple[float, float, float],
    min_change: float,
) -> str:
    """The verdict in plain words; every sentence is true of the group's ratings."""
    if verdict == "not enough data":
        return shortfall(n_days, span)
    est, lo, hi = change
    over = span_words(span)
    feel = f"{min_change:g} point" + ("" if min_change == 1 else "s")
    if verdict in ("looser", "tighter"):
        a, b = sorted((abs(lo), abs(hi)))
        text = (
            f"{size} {verdict}: about {abs(est):.1f} points {verdict} over {over} "
            f"(95% interval {a:.1f} to {b:.1f} points {verdict})"
        )
        if size == "clearly":
            return text + f"; a change of {feel} or more is one you can feel"
        return (
            text + f"; the log shows a change, but so far less than {feel}, "
            "the smallest change you can feel"
        )
    if lo == hi == 0:
        return "flat: the same rating every time"
    if verdict == "flat":
        return (
            f"flat: over {over} it changed by somewhere between {signed(lo)} and "
            f"{signed(hi)} points, less than {feel} either way, so no change you would feel"
        )
    return (
        f"not sure yet: over {over} the change is somewhere between {signed(lo)} and "
        f"{signed(hi)} points, which allows no change as well as a change of {feel} or more; "
        "more weeks of ratings will narrow it down"
    )


def tightness_trends(
    bouts: pd.DataFrame,
    *,
    by: Level = "stretch_side",
    catalog: Catalog | None = None,
    min_change: float = MIN_CHANGE,
    recent_days: int = RECENT_DAYS,
) -> pd.DataFrame:
    """Tightness trend per group: level now, change with a 95% interval, verdict.

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
    min_change : float
        The smallest change that matters, in points over the span logged (default
        :data:`MIN_CHANGE`, 1 point): it sets the size word and the margin of "flat".
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
        ``hi_30d`` (change in points per 30 days; negative = looser); ``change`` with
        ``change_lo`` and ``change_hi`` (the same line's change from ``first_date`` to
        ``last_date``, in points); ``verdict`` (``"looser"``, ``"tighter"``,
        ``"flat"``, ``"not sure yet"`` or ``"not enough data"``), ``size``
        (``"clearly"`` or ``"slowly"`` for looser and tighter, else empty) and ``why``
        (the verdict in plain words).

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> rows = [f"2026-01-{d:02d},pigeon,left,45,5,4,{8 - d // 6}" for d in range(1, 32, 2)]
    >>> text = "date,stretch,side,hold_s,pain_before,pain_after,tightness\\n" + "\\n".join(rows) + "\\n"
    >>> t = tightness_trends(read_log(io.StringIO(text)))
    >>> t[["name", "side", "tightness_now", "verdict", "size"]].to_numpy().tolist()
    [['Pigeon pose', 'left', 5.5, 'looser', 'clearly']]
    >>> print(t["why"].iloc[0])
    clearly looser: about 5.0 points looser over 4 weeks (95% interval 4.4 to 5.5 points looser); a change of 1 point or more is one you can feel
    """
    return tightness_levels(
        bouts, levels=(by,), catalog=catalog, min_change=min_change, recent_days=recent_days
    )[by]


def tightness_levels(
    bouts: pd.DataFrame,
    *,
    levels: tuple[Level, ...] = ("stretch_side", "stretch", "muscle_group", "all"),
    catalog: Catalog | None = None,
    min_change: float = MIN_CHANGE,
    recent_days: int = RECENT_DAYS,
) -> dict[str, pd.DataFrame]:
    """:func:`tightness_trends` at several levels, reading the ratings once.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.
    levels : tuple of {"stretch_side", "stretch", "muscle_group", "all"}
        The levels wanted (default: all four).
    catalog, min_change, recent_days
        As in :func:`tightness_trends`.

    Returns
    -------
    dict of str to DataFrame
        ``{level: tightness_trends(bouts, by=level, ...)}`` for each level, in order.

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> b = read_log(io.StringIO("date,stretch,hold_s,pain_before,pain_after,tightness\\n2026-11-01,pigeon,45,5,4,6\\n"))
    >>> {k: len(v) for k, v in tightness_levels(b).items()}
    {'stretch_side': 1, 'stretch': 1, 'muscle_group': 1, 'all': 1}
    """
    for by in levels:
        if by not in _KEYS:
            raise ValueError(f"by must be one of {', '.join(_KEYS)}, not {by!r}")
    cat = catalog if catalog is not None else load_catalog()
    rated, info = _rated(bouts, cat)
    if rated.empty:
        return {by: _empty_trends() for by in levels}
    return {by: _level_trends(rated, info, by, cat, min_change, recent_days) for by in levels}


def _level_trends(
    rated: pd.DataFrame, info: pd.DataFrame, by: str, cat: Catalog, min_change: float,
    recent_days: int,
) -> pd.DataFrame:
    """One level of :func:`tightness_trends` from the rated bouts of :func:`_rated`."""
    keys = _KEYS[by]
    daily = _daily(rated, keys)  # sorted by group, then day: each group is one run of rows
    gkeys = keys or ["_all"]
    change = np.zeros(len(daily), dtype=bool)
    change[0] = True
    for k in gkeys:
        col = daily[k].to_numpy(dtype=object)
        change[1:] |= col[1:] != col[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], len(daily))
    sizes = ends - starts
    group = np.repeat(np.arange(len(starts)), sizes)
    days = daily["day"].to_numpy()
    values = daily["value"].to_numpy()
    first, last = days[starts], days[ends - 1]
    recent = days > np.repeat(last, sizes) - recent_days
    # pandas' grouped mean (compensated summation), as the figures have always used
    now = pd.Series(values[recent]).groupby(group[recent], sort=True).mean().to_numpy()
    fitted = [
        fit_trend(days[a:b], values[a:b], persistence=STIFF_DAYS) for a, b in zip(starts, ends)
    ]
    changes = [f.change for f in fitted]
    verdicts = [_verdict(f, min_change) for f in fitted]
    words = [_size(v, c[0], min_change) for v, c in zip(verdicts, changes)]
    whys = [
        _why(v, z, f.n_days, f.span_days, c, min_change)
        for v, z, f, c in zip(verdicts, words, fitted, changes)
    ]
    figures = {
        "n_ratings": np.add.reduceat(daily["n"].to_numpy(dtype="int64"), starts),
        "n_days": sizes.astype("int64"),
        "first_date": _to_date(first),
        "last_date": _to_date(last),
        "tightness_now": now.astype("float64"),
        "slope_30d": np.array([f.slope for f in fitted], dtype="float64"),
        "lo_30d": np.array([f.lo for f in fitted], dtype="float64"),
        "hi_30d": np.array([f.hi for f in fitted], dtype="float64"),
        "change": np.array([c[0] for c in changes], dtype="float64"),
        "change_lo": np.array([c[1] for c in changes], dtype="float64"),
        "change_hi": np.array([c[2] for c in changes], dtype="float64"),
        "verdict": pd.array(verdicts, dtype="str"),
        "size": pd.array(words, dtype="str"),
        "why": pd.array(whys, dtype="str"),
    }
    group_keys = {k: daily[k].to_numpy(dtype=object)[starts] for k in keys}
    return _finish(group_keys, figures, by, info, cat)


def _finish(group_keys: dict, figures: dict, by: str, info: pd.DataFrame, cat: Catalog) -> pd.DataFrame:
    """The level's rows with their labels, in the catalog's order."""
    n = len(figures["n_days"])
    missing = np.full(n, np.nan, dtype=object)
    if by in ("stretch_side", "stretch"):
        sid = group_keys["stretch_id"]
        names = dict(zip(info.index, info["name"]))
        groups = dict(zip(info.index, info["muscle_group"]))
        name = np.array([names[s] for s in sid], dtype=object)
        side = group_keys["side"] if by == "stretch_side" else missing
        muscle = np.array([groups[s] for s in sid], dtype=object)
        order = {s: i for i, s in enumerate(cat.ids)}
        rank = np.array([order.get(s, len(order)) for s in sid], dtype="float64")
    elif by == "muscle_group":
        sid, side = missing, missing
        name = muscle = group_keys["muscle_group"]
        first_rank: dict[str, int] = {}
        for i, s in enumerate(cat):
            first_rank.setdefault(s.muscle_group, i)
        rank = np.array([first_rank.get(g, len(first_rank)) for g in muscle], dtype="float64")
    else:
        sid, side, muscle = missing, missing, missing
        name = np.full(n, "all stretches", dtype=object)
        rank = np.zeros(n)
    labels = {"level": np.full(n, by, dtype=object), "stretch_id": sid, "name": name, "side": side,
              "muscle_group": muscle}
    out = pd.DataFrame({**{c: pd.array(v, dtype="str") for c, v in labels.items()}, **figures})
    side_rank = np.array([_SIDE_RANK.get(s, 3) for s in side], dtype="float64")
    order = np.lexsort((name, side_rank, rank))
    return out.iloc[order].reset_index(drop=True)[TREND_COLUMNS]


_SIDE_RANK = {"left": 0, "right": 1, "both": 2}


def _to_date(days) -> np.ndarray:
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[ns]")


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
        "change": "float64",
        "change_lo": "float64",
        "change_hi": "float64",
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

    A row qualifies when it is among the ``top`` tightest now (at ``min_now`` or
    above), or when its verdict is "tighter" (clearly or slowly: the log shows it
    getting tighter). Only findings are given as reasons: a "not sure yet" or
    "not enough data" verdict adds nothing to a row's reason, "flat" adds that it
    is not noticeably looser, "looser" that it is loosening.

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
    >>> t = pd.DataFrame({"name": ["A", "B", "C", "D"], "tightness_now": [7.5, 3.0, 5.5, 6.0],
    ...                   "slope_30d": [0.0, 0.4, -0.3, 0.1], "change": [0.1, 1.2, -0.9, 0.3],
    ...                   "verdict": ["flat", "tighter", "looser", "not sure yet"],
    ...                   "size": ["", "clearly", "slowly", ""],
    ...                   "first_date": pd.to_datetime(["2025-12-01"] * 4),
    ...                   "last_date": pd.to_datetime(["2026-03-01"] * 4)})
    >>> for name, reason in needs_more_work(t)[["name", "reason"]].to_numpy().tolist():
    ...     print(f"{name}: {reason}")
    A: among the tightest now (7.5 of 10), and not noticeably looser over 3 months
    D: among the tightest now (6.0 of 10)
    C: among the tightest now (5.5 of 10), though slowly loosening (about -0.9 points over 3 months)
    B: getting clearly tighter (about +1.2 points over 3 months)
    """
    if trends.empty:
        return trends.assign(reason=pd.Series(dtype="str"))
    newest = trends["last_date"].max()
    fresh = trends["last_date"] >= newest - pd.Timedelta(days=stale_days)
    cand = trends.loc[fresh]
    tight = cand.loc[cand["tightness_now"] >= min_now].nlargest(top, "tightness_now")
    tighter = cand.loc[cand["verdict"].eq("tighter")]
    picked = cand.loc[cand.index.isin(tight.index) | cand.index.isin(tighter.index)].copy()
    if picked.empty:
        return picked.assign(reason=pd.Series(dtype="str")).reset_index(drop=True)
    is_tight = picked.index.isin(tight.index)
    reasons = [
        _work_reason(row, bool(t)) for row, t in zip(picked.to_dict("records"), is_tight)
    ]
    picked["reason"] = pd.Series(reasons, index=picked.index, dtype="str")
    picked["_g"] = np.where(is_tight, 0, 1)
    picked = picked.sort_values(["_g", "tightness_now"], ascending=[True, False], kind="stable")
    return picked.drop(columns="_g").reset_index(drop=True)


def _work_reason(row: dict, tight: bool) -> str:
    """Why one row is on the needs-more-work list (findings only; see :func:`needs_more_work`)."""
    verdict = row.get("verdict")
    size = row.get("size") if isinstance(row.get("size"), str) else ""
    span = _span_days(row)
    change = row.get("change")
    if change is not None and np.isfinite(change) and span is not None:
        amount = f"about {signed(change)} points over {span_words(span)}"
    else:  # a table without the change over the span: the rate per month
        amount = f"{signed(row.get('slope_30d', float('nan')))} points a month"
    pace = f"{size} " if size else ""
    if not tight:
        return f"getting {pace}tighter ({amount})"
    now = f"among the tightest now ({row['tightness_now']:.1f} of 10)"
    if verdict == "tighter":
        return f"{now} and getting {pace}tighter ({amount})"
    if verdict == "looser":
        return f"{now}, though {pace}loosening ({amount})"
    if verdict == "flat" and span is not None:
        return f"{now}, and not noticeably looser over {span_words(span)}"
    return now


def _span_days(row: dict) -> int | None:
    first, last = row.get("first_date"), row.get("last_date")
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return None
    return int((pd.Timestamp(last) - pd.Timestamp(first)).days)
