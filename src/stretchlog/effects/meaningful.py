"""Sessions that mattered: the share of sessions with a meaningful reduction in pain,
overall and with vs without each stretch."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from stretchlog.effects._inference import stand_out
from stretchlog.effects.model import count_matrix
from stretchlog.effects.tables import empty
from stretchlog.log.catalog import Catalog
from stretchlog.model.tables import LogTables, tables_of
from stretchlog.model.thresholds import MCID_POINTS, MCID_SHARE

__all__ = ["meaningful_sessions", "MCID_POINTS", "MCID_SHARE", "MEANINGFUL_COLUMNS"]

#: Minimal clinically important reduction on the 0-10 scale (Farrar et al. 2001).

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


def _wilson(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def meaningful_sessions(
    data: LogTables | pd.DataFrame,
    *,
    alpha: float = 0.05,
    catalog: Catalog | None = None,
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

    t = tables_of(data, catalog)
    bouts = t.bouts
    if bouts.empty:
        return empty(MEANINGFUL_COLUMNS)
    names = t.names
    ses = t.sessions
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
    clear = stand_out(pv, alpha)
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
