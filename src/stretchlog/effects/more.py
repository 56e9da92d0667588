"""Beside immediate relief: lasting relief, dose, and sessions that matter.

Re-exported by :mod:`stretchlog.effects.relief`; statsmodels stays inside.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from stretchlog.model._ols import least_squares
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.effects.model import (
    analyse,
    build_design,
    count_matrix,
    full_rank_columns,
    null_projection,
)
from stretchlog.model.sessions import sessions as session_table

__all__ = [
    "lasting_relief",
    "dose_response",
    "meaningful_sessions",
    "display_names",
    "MAX_GAP_DAYS",
    "MCID_POINTS",
    "MCID_SHARE",
]

#: Pairs of sessions further apart than this are not used for lasting relief.
MAX_GAP_DAYS = 7.0
#: Minimal clinically important reduction on the 0-10 scale (Farrar et al. 2001).
MCID_POINTS, MCID_SHARE = 2.0, 0.30
#: Dose: a stretch needs this many bouts and sessions, and its 90th/10th percentile
#: of hold x reps at least this ratio, for a dose estimate.
DOSE_MIN_BOUTS, DOSE_MIN_SESSIONS, DOSE_MIN_RATIO = 8, 4, 1.5

LASTING_COLUMNS = [
    "stretch",
    "name",
    "lasting",
    "ci_low",
    "ci_high",
    "p_lower",
    "clear",
    "n_sessions",
    "n_pairs",
    "reason",
]
DOSE_COLUMNS = [
    "stretch",
    "name",
    "n_bouts",
    "dose_low_s",
    "dose_high_s",
    "slope",
    "ci_low",
    "ci_high",
    "verdict",
]
MEANINGFUL_COLUMNS = [
    "stretch",
    "name",
    "n_with",
    "share_with",
    "n_without",
    "share_without",
    "difference",
    "ci_low",
    "ci_high",
    "clear",
]


def display_names(bouts: pd.DataFrame, catalog: Catalog | None = None) -> dict[str, str]:
    """Stretch id -> catalog name (custom stretches: the name most often typed)."""
    cat = catalog if catalog is not None else load_catalog()
    out = {}
    if bouts.empty:
        return out
    names = {s.id: s.name for s in cat}
    ids = bouts["stretch_id"].astype("str")
    custom = ~ids.isin(list(names))
    typed = {}
    if custom.any():  # only stretches the catalog lacks need the name typed most often
        typed = bouts.loc[custom].groupby("stretch_id")["stretch"].agg(lambda s: s.value_counts().index[0])
    for sid in sorted(ids.unique()):
        out[sid] = names[sid] if sid in names else str(typed[sid])
    return out


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})


def _clear(p: np.ndarray, alpha: float) -> np.ndarray:
    """Benjamini-Hochberg: which of these p-values stand out after testing them all."""
    p = np.asarray(p, dtype=float)
    out = np.zeros(len(p), dtype=bool)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], alpha=alpha, method="fdr_bh")[0]
    return out


def _t(alpha: float, df: float) -> float:
    return float(stats.t.ppf(1 - alpha / 2, max(df, 1)))


# --------------------------------------------------------------------------- lasting


def share_words(share: float, n: int) -> str:
    """A share of sessions in words: counts below 10 sessions, a percentage from 10 on.

    Examples
    --------
    >>> share_words(1.0, 2), share_words(0.5714, 105)
    ('2 of 2 sessions', '57% of 105 sessions')
    """
    if n < 10:
        return f"{round(share * n)} of {n} session{'s' if n != 1 else ''}"
    return f"{share:.0%} of {n} sessions"


def lasting_relief(
    bouts: pd.DataFrame,
    *,
    alpha: float = 0.05,
    catalog: Catalog | None = None,
    ses: pd.DataFrame | None = None,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """How each stretch's bouts go with the *next* session's starting pain.

    For every pair of consecutive sessions at most :data:`MAX_GAP_DAYS` apart, the
    next session's first reading is regressed on this session's bout counts per
    stretch, adjusted for this session's first reading, the gap in days and a
    linear trend over the log; errors are Newey-West (HAC) over the session
    sequence, never smaller than the plain model-based ones. This is an *association*: a day that allows a long session may also
    be a good day.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.
    alpha : float
        1 - interval level (0.05: 95% intervals).
    catalog : Catalog, optional
        For display names.
    ses : DataFrame, optional
        :func:`stretchlog.model.sessions` of ``bouts``, if already computed.
    names : dict, optional
        :func:`display_names` of ``bouts``, if already computed.

    Returns
    -------
    DataFrame
        ``stretch``, ``name``, ``lasting`` (points lower at the next session's start
        per bout; positive = lower pain next time), ``ci_low``/``ci_high``,
        ``p_lower`` (normal approximation of the probability it is above 0), ``clear``
        (the link stands out after a Benjamini-Hochberg correction for testing every stretch),
        ``n_sessions`` (pairs whose first session had the stretch), ``n_pairs`` and
        ``reason`` (why there is no estimate, else empty).

    Examples
    --------
    >>> from stretchlog.testing.simulate import simulate_log
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO(simulate_log(days=90, seed=4).csv_text()))
    >>> list(lasting_relief(bouts).columns[:3])
    ['stretch', 'name', 'lasting']
    """
    if bouts.empty:
        return _empty(LASTING_COLUMNS)
    names = names if names is not None else display_names(bouts, catalog)
    ses = (ses if ses is not None else session_table(bouts)).reset_index(drop=True)
    Cm, labels = count_matrix(
        bouts["session_id"].to_numpy(), bouts["stretch_id"].to_numpy(), ses["session_id"].to_numpy()
    )
    units = list(labels)
    gap = (ses["start"].shift(-1) - ses["start"]).dt.total_seconds().to_numpy() / 86400.0
    nxt = ses["start_pain"].shift(-1).to_numpy(float)
    ok = np.isfinite(gap) & (gap <= MAX_GAP_DAYS) & np.isfinite(nxt)
    n_pairs = int(ok.sum())
    C = Cm[ok]
    days = (ses["start"] - ses["start"].min()).dt.total_seconds().to_numpy() / 86400.0
    Z = np.column_stack(
        [np.ones(n_pairs), ses["start_pain"].to_numpy(float)[ok], gap[ok], days[ok] / 30.0]
    )
    A = np.hstack([C, Z])
    out = pd.DataFrame({"stretch": units, "name": [names.get(u, u) for u in units]})
    out["n_sessions"] = (C > 0).sum(axis=0).astype("int64")
    out["n_pairs"] = n_pairs
    for c in ("lasting", "ci_low", "ci_high", "p_lower"):
        out[c] = np.nan
    out["clear"] = False
    out["reason"] = ""
    k = len(units)
    if n_pairs < Z.shape[1] + 5:
        out["reason"] = f"too few pairs of sessions at most {MAX_GAP_DAYS:g} days apart"
        return out[LASTING_COLUMNS]
    y = nxt[ok]
    if np.ptp(y) == 0:
        out["reason"] = (
            f"every next session started at the same pain ({y[0]:g}): nothing for the "
            "stretches to explain"
        )
        return out[LASTING_COLUMNS]
    P = null_projection(A)
    nonest = [j for j in range(k) if P[j, j] > 0]
    keep = full_rank_columns(A, nonest + list(range(k, A.shape[1])))
    if A.shape[0] - len(keep) < 3:
        out["reason"] = "too few pairs of sessions for the number of stretches"
        return out[LASTING_COLUMNS]
    lags = int(np.floor(4 * (n_pairs / 100.0) ** (2 / 9)))
    ls = least_squares(A[:, keep], y)
    coef = ls.coef
    # HAC errors of a stretch seen in a few sessions rest on those few: the plain
    # model-based error is the floor
    se = np.maximum(
        np.sqrt(np.diag(ls.cov_hac(max(lags, 1)))), np.sqrt(np.diag(ls.cov_model()))
    )
    if not np.all(se > 0):
        # the fit leaves nothing unexplained (too few distinct pairs): no honest interval
        out["reason"] = "too few different pairs of sessions to say how sure the link is"
        return out[LASTING_COLUMNS]
    pvals = 2 * stats.t.sf(np.abs(coef) / se, ls.df_resid)
    tq = _t(alpha, ls.df_resid)
    pv = np.full(k, np.nan)
    figures = {c: np.full(k, np.nan) for c in ("lasting", "ci_low", "ci_high", "p_lower")}
    for pos, j in enumerate(keep):
        if j < k and j not in nonest:
            e = -coef[pos]
            figures["lasting"][j], figures["ci_low"][j], figures["ci_high"][j] = (
                e, e - tq * se[pos], e + tq * se[pos]
            )
            figures["p_lower"][j] = (
                float(stats.norm.cdf(e / se[pos])) if se[pos] > 0 else float(e > 0)
            )
            pv[j] = pvals[pos]
    for c, values in figures.items():
        out[c] = values
    out["clear"] = _clear(pv, alpha)
    icpt = k  # the intercept column of A
    reasons = [""] * k
    for j in nonest:
        others = [names.get(units[m], units[m]) for m in nonest if m != j and P[j, m] != 0]
        if not C[:, j].any():
            reasons[j] = f"no session followed within {MAX_GAP_DAYS:g} days of a session with it"
        elif bool((C[:, j] > 0).all()):
            reasons[j] = "done in every session: nothing to compare the next session with"
        elif P[j, icpt] != 0:
            reasons[j] = (
                "done in every session: nothing to compare the next session with"
                if not others
                else "done, with " + ", ".join(others) + ", in a way that covers every session: "
                "nothing to compare the next session with"
            )
        else:
            reasons[j] = "always done together with " + ", ".join(others) + ": cannot be told apart"
    out["reason"] = pd.array(reasons, dtype=out["reason"].dtype)
    return out[LASTING_COLUMNS]


# --------------------------------------------------------------------------- dose


def dose_response(
    bouts: pd.DataFrame,
    *,
    alpha: float = 0.05,
    catalog: Catalog | None = None,
    segs: pd.DataFrame | None = None,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Whether longer holds or more reps add relief, per stretch.

    The segment regression of :func:`stretchlog.effects.relief.relief_effects` is refitted
    with one more term per stretch whose dose (seconds held x reps) varies enough:
    the sum over its bouts of ``log2(dose / its usual dose)``. The slope is the extra
    relief per bout for each doubling of the dose. Stretches with too few bouts or
    too little variation get the verdict "not enough variation" and no slope.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.
    alpha : float
        1 - interval level (0.05: 95% intervals).
    catalog : Catalog, optional
        For display names.
    segs : DataFrame, optional
        :func:`stretchlog.model.segments` of ``bouts``, if already computed.
    names : dict, optional
        :func:`display_names` of ``bouts``, if already computed.

    Returns
    -------
    DataFrame
        ``stretch``, ``name``, ``n_bouts``, ``dose_low_s``/``dose_high_s`` (10th and 90th
        percentile of hold x reps, seconds), ``slope``, ``ci_low``/``ci_high`` and
        ``verdict`` (``more helps``, ``more does worse``, ``no clear difference`` or
        ``not enough variation``; "clear" after a Benjamini-Hochberg correction for
        testing every stretch, so one lucky stretch in twelve does not show up).

    Examples
    --------
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO(
    ...     "date,stretch,pain_before,pain_after,hold_s\\n2026-01-01,pigeon,6,5,30\\n"))
    >>> dose_response(bouts)["verdict"].tolist()
    ['not enough variation']
    """
    if bouts.empty:
        return _empty(DOSE_COLUMNS)
    names = names if names is not None else display_names(bouts, catalog)
    dose = (bouts["hold_s"].astype(float) * bouts["reps"].astype(float)).to_numpy()
    sid = bouts["stretch_id"].astype("str")
    g = pd.DataFrame(
        {"sid": sid.to_numpy(), "dose": dose, "session": bouts["session_id"].to_numpy()}
    )
    by = g.groupby("sid")
    summ = pd.DataFrame({"n_bouts": by.size(), "n_sessions": by["session"].nunique()})
    low_high = [np.quantile(dose[idx], [0.1, 0.9]) for idx in by.indices.values()]
    summ["dose_low_s"] = [float(q[0]) for q in low_high]
    summ["dose_high_s"] = [float(q[1]) for q in low_high]
    summ["usual"] = by["dose"].median()
    enough = (
        (summ["n_bouts"] >= DOSE_MIN_BOUTS)
        & (summ["n_sessions"] >= DOSE_MIN_SESSIONS)
        & (summ["dose_high_s"] >= DOSE_MIN_RATIO * summ["dose_low_s"])
    )
    ratio = np.log2(dose / g["sid"].map(summ["usual"]).to_numpy())
    extra = pd.DataFrame(
        {f"dose:{s}": np.where(sid.to_numpy() == s, ratio, 0.0) for s in summ.index[enough]},
        index=bouts.index,
    )
    out = summ.reset_index().rename(columns={"sid": "stretch"})
    out["name"] = [names.get(s, s) for s in out["stretch"]]
    slope, ci_low, ci_high = (np.full(len(out), np.nan) for _ in range(3))
    verdict = np.full(len(out), "not enough variation", dtype=object)
    pv = np.full(len(out), np.nan)
    if len(extra.columns):

        d = build_design(bouts, sid, extra=extra, segs=segs)
        an = analyse(d, droppable=("first_x_start", "position", *extra.columns))
        f = an.fit
        tq = _t(alpha, f.df)
        row_of = {s: i for i, s in enumerate(out["stretch"])}
        for col in extra.columns:
            if col not in f.columns or col in an.dropped:
                continue
            i = f.columns.index(col)
            e, se = float(f.coef[i]), float(np.sqrt(f.cov[i, i]))
            row = row_of[col.split(":", 1)[1]]
            slope[row], ci_low[row], ci_high[row] = e, e - tq * se, e + tq * se
            verdict[row] = "no clear difference"
            pv[row] = 2 * stats.t.sf(abs(e) / se, f.df) if se > 0 else np.nan
        clear = _clear(pv, alpha)
        verdict[clear & (slope > 0)] = "more helps"
        verdict[clear & (slope < 0)] = "more does worse"
    out["slope"], out["ci_low"], out["ci_high"] = slope, ci_low, ci_high
    out["verdict"] = pd.array(verdict, dtype="str")
    out["n_bouts"] = out["n_bouts"].astype("int64")
    return out.sort_values("n_bouts", ascending=False, kind="stable").reset_index(drop=True)[
        DOSE_COLUMNS
    ]


# --------------------------------------------------------------------------- meaningful sessions


def _wilson(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def meaningful_sessions(
    bouts: pd.DataFrame,
    *,
    alpha: float = 0.05,
    catalog: Catalog | None = None,
    ses: pd.DataFrame | None = None,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Share of sessions with a meaningful reduction, overall and with vs without each stretch.

    A session counts as meaningful when its pain went down by at least
    :data:`MCID_POINTS` points or by at least :data:`MCID_SHARE` of its starting pain
    (the usual minimal clinically important difference for the 0-10 scale in
    chronic low back pain). Sessions that started at 0 pain are left out (nothing
    to relieve). With/without comparisons are descriptive: sessions differ in more
    than one stretch.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.
    alpha : float
        1 - interval level (0.05: 95% intervals).
    catalog : Catalog, optional
        For display names.
    ses : DataFrame, optional
        :func:`stretchlog.model.sessions` of ``bouts``, if already computed.
    names : dict, optional
        :func:`display_names` of ``bouts``, if already computed.

    Returns
    -------
    DataFrame
        First row ``stretch == "(all sessions)"`` (``n_with`` sessions, ``share_with``
        the overall share); then one row per stretch: ``n_with``, ``share_with``,
        ``n_without``, ``share_without``, ``difference`` (with minus without), its
        Newcombe interval ``ci_low``/``ci_high`` and ``clear`` (Fisher's exact test,
        Benjamini-Hochberg over the stretches).

    Examples
    --------
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO(
    ...     "date,stretch,pain_before,pain_after,hold_s\\n2026-01-01,pigeon,6,3,30\\n"
    ...     "2026-01-02,pigeon,6,5,30\\n"))
    >>> meaningful_sessions(bouts)[["stretch", "n_with", "share_with"]].head(1).to_dict("records")
    [{'stretch': '(all sessions)', 'n_with': 2, 'share_with': 0.5}]
    """

    if bouts.empty:
        return _empty(MEANINGFUL_COLUMNS)
    names = names if names is not None else display_names(bouts, catalog)
    ses = ses if ses is not None else session_table(bouts)
    start, end = ses["start_pain"].to_numpy(float), ses["end_pain"].to_numpy(float)
    drop = start - end
    use = start > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        hit = (drop >= MCID_POINTS) | ((drop > 0) & (drop >= MCID_SHARE * start))
    hit = hit[use]
    Cm, labels = count_matrix(
        bouts["session_id"].to_numpy(), bouts["stretch_id"].to_numpy(), ses["session_id"].to_numpy()
    )
    has = Cm[use] > 0
    z = float(stats.norm.ppf(1 - alpha / 2))
    n_all = int(use.sum())
    rows = [
        {
            "stretch": "(all sessions)",
            "name": "all sessions",
            "n_with": n_all,
            "share_with": float(hit.mean()) if n_all else np.nan,
            "clear": False,
        }
    ]
    n1 = has.sum(axis=0).astype(float)
    n0 = n_all - n1
    k1 = (has & hit[:, None]).sum(axis=0).astype(float)
    k0 = hit.sum() - k1
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p0 = k1 / n1, k0 / n0
    l1, u1 = _wilson(k1, n1, z)
    l0, u0 = _wilson(k0, n0, z)
    diff = p1 - p0
    lo = diff - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    hi = diff + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    pv = np.full(len(labels), np.nan)
    for j in range(len(labels)):
        if n1[j] > 0 and n0[j] > 0:
            table = [[k1[j], n1[j] - k1[j]], [k0[j], n0[j] - k0[j]]]
            pv[j] = stats.fisher_exact(np.asarray(table, dtype=np.int64)).pvalue
    clear = _clear(pv, alpha)
    for j, s in enumerate(labels):
        rows.append(
            {
                "stretch": str(s),
                "name": names.get(str(s), str(s)),
                "n_with": int(n1[j]),
                "share_with": p1[j],
                "n_without": int(n0[j]),
                "share_without": p0[j],
                "difference": diff[j],
                "ci_low": lo[j],
                "ci_high": hi[j],
                "clear": bool(clear[j]),
            }
        )
    out = pd.DataFrame(rows, columns=MEANINGFUL_COLUMNS)
    out["n_without"] = out["n_without"].astype("Int64")
    return out
