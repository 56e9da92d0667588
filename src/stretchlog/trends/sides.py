"""Left and right: tightness and relief by side, and imbalances.

One guide warns that stretching the wrong side can feed an imbalance, so for each
one-sided stretch this module compares the sides:

* **tightness**: on days when both sides were rated, the left-minus-right
  difference of the day's means; its mean with a 95% interval robust to
  day-to-day correlation (:func:`stretchlog.trends.fit.fit_mean`), and the same
  mean in the first and the second half of those days (is it lasting?);
* **relief**: the relief of bouts that had a pain reading just before and just
  after them alone (single-bout segments: the only relief that belongs to one side
  for sure), compared between sides with Welch's interval.

An **imbalance** is flagged only when it is credible (the interval excludes 0),
large enough to feel (at least :data:`MIN_SIDE_DIFF` points) and persistent (the
same side tighter by at least half that in both halves of the log).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from stretchlog.log._runs import run_starts
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.model.claims import claim_alpha, stand_out
from stretchlog.model.tables import LogTables, tables_of
from stretchlog.model.thresholds import MIN_SESSIONS_FOR_FIGURE
from stretchlog.trends.fit import day_numbers, fit_mean
from stretchlog.trends.tightness import stretch_info
from stretchlog.words import signed

__all__ = [
    "MIN_PAIRED_DAYS",
    "MIN_SIDE_DIFF",
    "SIDE_COLUMNS",
    "side_asymmetry",
    "single_bout_relief",
]

#: Smallest left-right tightness difference (0-10 points) called an imbalance.
MIN_SIDE_DIFF = 1.0
#: Days with both sides rated needed to judge an imbalance ...
MIN_PAIRED_DAYS = 10
#: ... over at least this many days.
MIN_PAIRED_SPAN = 28

SIDE_COLUMNS = [
    "stretch_id",
    "name",
    "muscle_group",
    "sides_logged",
    "n_paired_days",
    "tight_left",
    "tight_right",
    "tight_diff",
    "tight_lo",
    "tight_hi",
    "tight_diff_early",
    "tight_diff_late",
    "n_relief_left",
    "n_relief_right",
    "relief_left",
    "relief_right",
    "relief_diff",
    "relief_lo",
    "relief_hi",
    "imbalance",
    "finding",
]


def single_bout_relief(data: LogTables | pd.DataFrame) -> pd.DataFrame:
    """The relief of every bout that had a pain reading just before and just after it alone.

    Parameters
    ----------
    data : LogTables or DataFrame
        The log's tables (:class:`stretchlog.model.tables.LogTables`, as an
        :class:`~stretchlog.Analysis` holds them), or its bouts as returned by
        :func:`stretchlog.read_log`.

    Returns
    -------
    DataFrame
        Columns ``session_id``, ``date``, ``stretch_id``, ``side``, ``start_pain``,
        ``end_pain``, ``relief`` (start minus end; negative = the pain went up), in
        time order.

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> b = read_log(io.StringIO("date,stretch,side,hold_s,pain_before,pain_after\\n"
    ...                          "2026-11-01,pigeon,left,45,6,5\\n2026-11-01,pigeon,right,45,,\\n"
    ...                          "2026-11-01,knees to chest,,30,,3\\n"))
    >>> single_bout_relief(b)[["stretch_id", "side", "relief"]].to_numpy().tolist()
    [['pigeon-pose', 'left', 1.0]]
    """
    cols = ["session_id", "date", "stretch_id", "side", "start_pain", "end_pain", "relief"]
    t = tables_of(data)
    bouts = t.bouts
    if bouts.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in cols})
    seg = t.segments
    one = seg.loc[seg["kind"].eq("bouts") & seg["n_bouts"].eq(1)]
    # each bout alone in its segment, with that segment's readings (in the bouts' order)
    at = pd.Index(one["segment_id"]).get_indexer(bouts["segment_id"])
    keep = at >= 0
    at = at[keep]
    b = bouts.loc[keep]
    out = pd.DataFrame(
        {
            "session_id": b["session_id"].to_numpy(),
            "date": b["date"].to_numpy(),
            "stretch_id": b["stretch_id"].astype("str").array,
            "side": b["side"].astype("str").array,
            "start_pain": one["start_pain"].to_numpy()[at],
            "end_pain": one["end_pain"].to_numpy()[at],
            "relief": one["relief"].to_numpy()[at],
            "bout": b["bout"].to_numpy(),
        }
    )
    out = out.sort_values(["session_id", "bout"], kind="stable")
    return out[cols].reset_index(drop=True)


def _dtype(col: str) -> str:
    return {
        "session_id": "int64",
        "date": "datetime64[ns]",
        "stretch_id": "str",
        "side": "str",
    }.get(col, "float64")


def side_asymmetry(
    bouts: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    side_relief: pd.DataFrame | None = None,
    min_diff: float = MIN_SIDE_DIFF,
) -> pd.DataFrame:
    """Compare left and right for every stretch logged one side at a time.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.
    catalog : Catalog, optional
        For names and muscle groups.
    side_relief : DataFrame, optional
        Left vs right relief from the relief model (the ``sides`` of
        :func:`stretchlog.effects.relief.relief_report` with ``by_side=True``, which
        :class:`stretchlog.analysis.Analysis` passes): its figures fill the relief
        columns, so this table and ``stretchlog effects --by-side`` give one answer.
        Without it the relief columns are empty.
    min_diff : float
        Smallest tightness difference (points) called an imbalance.

    Returns
    -------
    DataFrame
        One row per stretch with left or right bouts, columns :data:`SIDE_COLUMNS`:
        ``sides_logged`` (``"left and right"``, ``"left only"``, ``"right only"``);
        ``n_paired_days`` (days with both sides rated); ``tight_left``,
        ``tight_right`` (mean tightness on those days); ``tight_diff`` (left minus
        right; positive = left tighter) with ``tight_lo``/``tight_hi``;
        ``tight_diff_early``/``tight_diff_late`` (first and second half of the
        paired days); ``n_relief_*`` (bouts logged on each side), ``relief_left``,
        ``relief_right``, ``relief_diff`` (left minus right) with its interval, from
        ``side_relief``; ``imbalance`` (credible, large and persistent tightness
        difference); ``finding`` (plain words).

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> days = pd.date_range("2026-02-01", periods=16, freq="3D").strftime("%Y-%m-%d")
    >>> rows = [f"{d},psoas stretch 1,{s},45,4,4,{t}"
    ...         for i, d in enumerate(days) for s, t in (("left", 7 + i % 2), ("right", 5))]
    >>> b = read_log(io.StringIO("date,stretch,side,hold_s,pain_before,pain_after,tightness\\n" + "\\n".join(rows)))
    >>> a = side_asymmetry(b)
    >>> a[["n_paired_days", "tight_diff", "imbalance"]].to_numpy().tolist()
    [[16, 2.5, True]]
    >>> print(a["finding"].iloc[0])
    the left side is consistently tighter, by 2.5 points (95% interval 2.3 to 2.7), in both halves of the log: a lasting imbalance
    """
    columns = ["stretch_id", "stretch", "side", "date", "tightness"]
    sided = bouts.loc[bouts["side"].astype("str").isin(["left", "right"]), columns]
    if sided.empty:
        return pd.DataFrame({c: pd.Series(dtype=_col_dtype(c)) for c in SIDE_COLUMNS})
    cat = catalog if catalog is not None else load_catalog()
    info = stretch_info(sided, cat)
    side = sided["side"].astype("str").to_numpy()
    work = pd.DataFrame(
        {
            "stretch_id": sided["stretch_id"].astype("str").to_numpy(),
            "side": side,
            "day": day_numbers(sided["date"]),
            "tightness": sided["tightness"].to_numpy(dtype=float),
        }
    )
    logged: dict[str, set[str]] = {}  # the sides logged, stretches in order of appearance
    for sid, sd in work[["stretch_id", "side"]].drop_duplicates().itertuples(index=False):
        logged.setdefault(sid, set()).add(sd)
    # each stretch's mean tightness per day and side, sorted by stretch, day, side; a day
    # rated on both sides is a "left" row followed by a "right" row of the same stretch and day
    means = (
        work.dropna(subset=["tightness"])
        .groupby(["stretch_id", "day", "side"], sort=True)["tightness"]
        .mean()
    )
    m_sid = means.index.get_level_values(0).to_numpy(dtype=object)
    m_day = means.index.get_level_values(1).to_numpy()
    m_side = means.index.get_level_values(2).to_numpy(dtype=object)
    m_val = means.to_numpy()
    pair = (
        (m_side[:-1] == "left") & (m_side[1:] == "right")
        & (m_sid[:-1] == m_sid[1:]) & (m_day[:-1] == m_day[1:])
    )
    i = np.flatnonzero(pair)
    p_sid, p_day, p_left, p_right = m_sid[i], m_day[i], m_val[i], m_val[i + 1]
    p_diff = p_left - p_right
    starts = run_starts(p_sid)
    ends = np.append(starts[1:], len(p_sid))
    pair_groups = {p_sid[a]: np.arange(a, e) for a, e in zip(starts, ends)}
    n_side = work.groupby(["stretch_id", "side"]).size().to_dict()
    rel = (side_relief.set_index("stretch") if side_relief is not None and len(side_relief)
           else pd.DataFrame(columns=["left", "right", "difference", "ci_low", "ci_high"]))

    rows = []
    for sid, sides in logged.items():
        rec: dict = {"stretch_id": sid}
        rec["sides_logged"] = (
            "left and right"
            if sides >= {"left", "right"}
            else ("left only" if "left" in sides else "right only")
        )
        idx = pair_groups.get(sid, np.array([], dtype=np.int64))
        rec["n_paired_days"] = int(idx.size)
        fit = fit_mean(p_day[idx], p_diff[idx])
        half = idx.size // 2
        rec.update(
            tight_left=float(p_left[idx].mean()) if idx.size else np.nan,
            tight_right=float(p_right[idx].mean()) if idx.size else np.nan,
            tight_diff=fit.mean,
            tight_lo=fit.lo,
            tight_hi=fit.hi,
            tight_diff_early=float(p_diff[idx[:half]].mean()) if half else np.nan,
            tight_diff_late=float(p_diff[idx[half:]].mean()) if half else np.nan,
        )
        span = int(p_day[idx][-1] - p_day[idx][0]) if idx.size else 0
        if idx.size < MIN_PAIRED_DAYS or span < MIN_PAIRED_SPAN:
            # an interval from a few paired days spans most of the scale: no figure to carry
            rec["tight_diff"] = rec["tight_lo"] = rec["tight_hi"] = np.nan
        rec.update(n_relief_left=int(n_side.get((sid, "left"), 0)),
                   n_relief_right=int(n_side.get((sid, "right"), 0)))
        r = rel.loc[sid] if sid in rel.index else None
        for col, src in (("relief_left", "left"), ("relief_right", "right"), ("relief_diff", "difference"),
                         ("relief_lo", "ci_low"), ("relief_hi", "ci_high")):
            rec[col] = float(r[src]) if r is not None and pd.notna(r[src]) else np.nan
        rec["span"] = span
        r_claim = bool(r["imbalance"]) if r is not None and "imbalance" in r.index else False
        rec["relief_claim"] = r_claim
        rows.append(rec)
    # one side tighter: tested over every stretch with both sides together (model.claims)
    p = [_p_value(rec) for rec in rows]
    clear = stand_out(np.asarray(p, dtype=float), claim_alpha())
    for rec, stands in zip(rows, clear):
        rec["imbalance"], rec["finding"] = _finding(
            rec, rec.pop("span"), min_diff, relief_known=side_relief is not None,
            stands_out=bool(stands), relief_claim=rec.pop("relief_claim"),
        )
    out = pd.DataFrame(rows)
    out["name"] = out["stretch_id"].map(info["name"]).astype("str")
    out["muscle_group"] = out["stretch_id"].map(info["muscle_group"]).astype("str")
    order = {sid: i for i, sid in enumerate(cat.ids)}
    out = out.iloc[
        np.argsort(out["stretch_id"].map(order).fillna(len(order)).to_numpy(), kind="stable")
    ]
    wrong = {c: t for c in SIDE_COLUMNS if out[c].dtype != pd.api.types.pandas_dtype(t := _col_dtype(c))}
    out = out.astype(wrong) if wrong else out
    return out[SIDE_COLUMNS].reset_index(drop=True)


def _col_dtype(col: str) -> str:
    if col in ("stretch_id", "name", "muscle_group", "sides_logged", "finding"):
        return "str"
    if col in ("n_paired_days", "n_relief_left", "n_relief_right"):
        return "int64"
    if col == "imbalance":
        return "bool"
    return "float64"


def _p_value(rec: dict) -> float:
    """Two-sided p-value of "no difference in tightness" from the difference and its 95%
    interval (the interval's end maps to 0.05); NaN where there is no figure."""
    d, lo, hi = rec["tight_diff"], rec["tight_lo"], rec["tight_hi"]
    if not (np.isfinite(d) and np.isfinite(lo) and np.isfinite(hi)) or rec["sides_logged"] != "left and right":
        return float("nan")
    half = (hi - lo) / 2
    if half <= 0:
        return 0.0 if d != 0 else 1.0
    return float(2 * norm.sf(1.959964 * abs(d) / half))


def _finding(rec: dict, span: int, min_diff: float, *, relief_known: bool, stands_out: bool,
             relief_claim: bool) -> tuple[bool, str]:
    parts = []
    imbalance = False
    if rec["sides_logged"] != "left and right":
        parts.append(f"{rec['sides_logged']}: nothing to compare yet")
    elif rec["n_paired_days"] < MIN_PAIRED_DAYS or span < MIN_PAIRED_SPAN:
        parts.append(
            f"both sides rated on the same day {rec['n_paired_days']} times; judging an imbalance needs "
            f"{MIN_PAIRED_DAYS} such days over {MIN_PAIRED_SPAN // 7} weeks"
        )
    else:
        d, lo, hi = rec["tight_diff"], rec["tight_lo"], rec["tight_hi"]
        early, late = rec["tight_diff_early"], rec["tight_diff_late"]
        tighter = "left" if d > 0 else "right"
        credible = stands_out  # after testing every two-sided stretch together
        large = abs(d) >= min_diff
        lasting = (
            np.sign(early) == np.sign(d) == np.sign(late)
            and min(abs(early), abs(late)) >= min_diff / 2
        )
        if credible and large and lasting:
            imbalance = True
            parts.append(
                f"the {tighter} side is consistently tighter, by {abs(d):.1f} points (95% interval "
                f"{min(abs(lo), abs(hi)):.1f} to {max(abs(lo), abs(hi)):.1f}), in both halves of the log: "
                "a lasting imbalance"
            )
        elif credible and large:
            parts.append(
                f"the {tighter} side is tighter on average (by {abs(d):.1f} points) but not in both halves "
                f"of the log (early {signed(early)}, late {signed(late)}, left minus right)"
            )
        elif -min_diff < lo and hi < min_diff:
            parts.append(
                f"no difference in tightness you would feel (left minus right {signed(lo)} to "
                f"{signed(hi)}, within {min_diff:g} point{'s' if min_diff != 1 else ''})"
            )
        else:
            parts.append(
                f"no clear difference in tightness (left minus right {signed(lo)} to {signed(hi)})"
            )
    rd, rlo, rhi = rec["relief_diff"], rec["relief_lo"], rec["relief_hi"]
    if rec["sides_logged"] == "left and right" and relief_known and not np.isfinite(rd):
        parts.append(
            "comparing relief needs a relief figure for each side (the side in "
            f"{MIN_SESSIONS_FOR_FIGURE} sessions with pain rated before and after it)"
        )
    if np.isfinite(rd) and relief_claim:  # the effects' claim (model.claims): one answer
        better = "left" if rd > 0 else "right"
        parts.append(
            f"the {better} side brings more relief, by {abs(rd):.1f} points a bout "
            f"(95% interval {min(abs(rlo), abs(rhi)):.1f} to {max(abs(rlo), abs(rhi)):.1f})"
        )
    return imbalance, "; ".join(parts)
