"""Dose: whether longer holds or more reps add relief, per stretch."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from stretchlog.effects._inference import claim_alpha, stand_out, t_quantile
from stretchlog.effects.model import analyse, build_design
from stretchlog.effects.tables import empty
from stretchlog.log.catalog import Catalog
from stretchlog.model.tables import LogTables, tables_of
from stretchlog.model.thresholds import FELT_RELIEF

__all__ = ["dose_response", "DOSE_COLUMNS"]

#: Dose: a stretch needs this many bouts and sessions, and its 90th/10th percentile
#: of hold x reps at least this ratio, for a dose estimate.
DOSE_MIN_BOUTS, DOSE_MIN_SESSIONS, DOSE_MIN_RATIO = 8, 4, 1.5

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


#: The verdict of every stretch when each was done with the pain already at 0.
NO_PAIN = "no pain to relieve"


def dose_response(
    data: LogTables | pd.DataFrame,
    *,
    alpha: float = 0.05,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Whether longer holds or more reps add relief, per stretch.

    The segment regression of :func:`stretchlog.effects.relief.relief_effects` is refitted
    with one more term per stretch whose dose (seconds held x reps) varies enough:
    the sum over its bouts of ``log2(dose / its usual dose)``. The slope is the extra
    relief per bout for each doubling of the dose. Stretches with too few bouts or
    too little variation get the verdict "not enough variation" and no slope.

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
        ``stretch``, ``name``, ``n_bouts``, ``dose_low_s``/``dose_high_s`` (10th and 90th
        percentile of hold x reps, seconds), ``slope``, ``ci_low``/``ci_high`` and
        ``verdict`` (``more helps``, ``more does worse``, ``no clear difference`` or
        ``not enough variation``, or ``no pain to relieve`` when every stretch was done with
        the pain already at 0; "clear" after a Benjamini-Hochberg correction for
        testing every stretch, at a quarter of ``alpha`` because lasting relief and sides
        are tested too (:func:`~stretchlog.model.claims.claim_alpha`), and only
        for at least 0.2 points a bout per doubling, a change a person would feel).

    Examples
    --------
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO(
    ...     "date,stretch,pain_before,pain_after,hold_s\\n2026-01-01,pigeon,6,5,30\\n"))
    >>> dose_response(bouts)["verdict"].tolist()
    ['not enough variation']
    """
    t = tables_of(data, catalog)
    bouts = t.bouts
    if bouts.empty:
        return empty(DOSE_COLUMNS)
    names = t.names
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
    d = build_design(bouts, sid, t.segments, extra=extra) if len(extra.columns) else None
    if d is not None and len(d.y) == 0:  # every stretch done with the pain at 0
        verdict[:] = NO_PAIN
    elif d is not None:
        an = analyse(d, droppable=("first_x_start", "position", *extra.columns))
        f = an.fit
        tq = t_quantile(alpha, f.df)
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
        clear = stand_out(pv, claim_alpha(alpha)) & (np.abs(slope) >= FELT_RELIEF)
        verdict[clear & (slope > 0)] = "more helps"
        verdict[clear & (slope < 0)] = "more does worse"
    out["slope"], out["ci_low"], out["ci_high"] = slope, ci_low, ci_high
    out["verdict"] = pd.array(verdict, dtype="str")
    out["n_bouts"] = out["n_bouts"].astype("int64")
    return out.sort_values("n_bouts", ascending=False, kind="stable").reset_index(drop=True)[
        DOSE_COLUMNS
    ]
