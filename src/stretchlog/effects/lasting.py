"""Lasting relief: how each stretch's bouts go with the *next* session's starting pain.

An association, not proof: a day that allows a long session may also be a good day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from stretchlog.effects._inference import claim_alpha, stand_out, t_quantile
from stretchlog.effects.model import count_matrix, full_rank_columns, null_projection
from stretchlog.effects.tables import empty
from stretchlog.log.catalog import Catalog
from stretchlog.model._ols import least_squares
from stretchlog.model.tables import LogTables, tables_of

__all__ = ["lasting_relief", "MAX_GAP_DAYS", "LASTING_COLUMNS"]

#: Pairs of sessions further apart than this are not used for lasting relief.
MAX_GAP_DAYS = 7.0

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


def lasting_relief(
    data: LogTables | pd.DataFrame,
    *,
    alpha: float = 0.05,
    catalog: Catalog | None = None,
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
    data : LogTables or DataFrame
        The log's tables (:class:`stretchlog.model.tables.LogTables`, as an
        :class:`~stretchlog.Analysis` holds them), or its bouts as returned by
        :func:`stretchlog.read_log`.
    alpha : float
        1 - interval level (0.05: 95% intervals).
    catalog : Catalog, optional
        For display names.

    Returns
    -------
    DataFrame
        ``stretch``, ``name``, ``lasting`` (points lower at the next session's start
        per bout; positive = lower pain next time), ``ci_low``/``ci_high``,
        ``p_lower`` (normal approximation of the probability it is above 0), ``clear``
        (the link stands out after a Benjamini-Hochberg correction for testing every stretch,
        at a quarter of ``alpha``: see :func:`~stretchlog.model.claims.claim_alpha`),
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
    t = tables_of(data, catalog)
    bouts = t.bouts
    if bouts.empty:
        return empty(LASTING_COLUMNS)
    names = t.names
    ses = t.sessions.reset_index(drop=True)
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
    tq = t_quantile(alpha, ls.df_resid)
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
    out["clear"] = stand_out(pv, claim_alpha(alpha))
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
