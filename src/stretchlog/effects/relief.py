"""Per-stretch relief estimates with honest uncertainty.

The question: how many points of pain (0-10 scale) does one bout of each stretch
take away, for this person, and how sure can we be? The method in plain words is
in ``docs/method.md``; the short version:

1. **Segments, not bouts.** Every stretch of a session between two pain readings
   is one observation; its relief is shared among the bouts it holds by a
   regression on their counts (:mod:`stretchlog.effects.model`), so per-bout,
   start/end-only and mixed logging all count, in one fit.
2. **Regression to the mean and order.** The segment that opens a session is
   adjusted for the session's first reading (the one that drove the choices);
   later readings are outcomes and are not adjusted for. The summed bout position
   takes out the "later stretches let go more easily" effect.
3. **Honest intervals.** Errors are modelled as readings shared by consecutive
   segments (whitened per session) and the standard errors are clustered by
   session, with the model-based error as a floor for stretches seen in few sessions.
4. **No luck at the top.** Estimates are pooled toward the person's own average
   (:mod:`stretchlog.effects.pool`), and the ranking uses a cautious figure (the
   relief a stretch gives at least, with 90% probability), so a stretch tried
   twice on a good day cannot come first.
5. **Cannot-separate, said plainly.** Stretches whose relief the log cannot tell
   apart get no number, only the reason and how to log to fix it.

:func:`relief_report` does all of it once; :func:`relief_effects`,
:func:`inseparable_groups` and :func:`side_differences` return its parts. Lasting
relief, dose and meaningful sessions are in :mod:`stretchlog.effects.lasting`,
:mod:`stretchlog.effects.dose` and :mod:`stretchlog.effects.meaningful`, and
re-exported here. (About 430 lines, 170 of them the docstrings that explain the
method and its columns: one job, the relief report and its parts.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as st

from stretchlog.effects.dose import dose_response
from stretchlog.effects.lasting import lasting_relief
from stretchlog.effects.meaningful import meaningful_sessions
from stretchlog.effects.model import analyse, build_design
from stretchlog.effects.pool import pool as _pool
from stretchlog.effects.prior import CohortPrior, PersonFit
from stretchlog.effects.tables import (
    GROUP_COLUMNS,
    MODEL_COLUMNS,
    SIDE_COLUMNS,
    empty,
    fit_notes,
    groups_table,
    model_table,
    side_table,
    unit_stats,
)
from stretchlog.effects.verdicts import chance_felt, ranks, relief_verdicts
from stretchlog.log.catalog import Catalog
from stretchlog.model.tables import LogTables, tables_of
from stretchlog.model.thresholds import MAX_HALF_WIDTH, MIN_SESSIONS_FOR_FIGURE
from stretchlog.words import plural

__all__ = [
    "ReliefReport",
    "relief_report",
    "relief_effects",
    "inseparable_groups",
    "side_differences",
    "lasting_relief",
    "dose_response",
    "meaningful_sessions",
    "EVIDENCE",
    "RANK_QUANTILE",
    "EFFECT_COLUMNS",
]

#: Evidence levels: (label, most sessions needed, largest unpooled standard error).
EVIDENCE: tuple[tuple[str, int, float], ...] = (
    ("strong", 10, 0.15),
    ("some", 4, 0.35),
)
TOO_LITTLE = "too little data - try it more"

#: The least uncertainty any relief figure keeps, in points per bout: the 0-10 scale's
#: whole-number readings and its floor at 0 leave biases of a few hundredths of a point
#: (after the censored fit), more than a ten-year interval's own width, so this is added
#: (in quadrature) to every estimate's standard error. 0.02 holds ten-year coverage at
#: 0.969 on 120 simulated logs (0.03: 0.983, too wide; 0.015: 0.959); on a log of a few
#: months it widens the interval by well under 1%.
SCALE_SD = 0.02

#: Stretches are ranked by this quantile of their pooled posterior (the "cautious"
#: column): the relief per bout they give at least, with 90% probability.
RANK_QUANTILE = 0.10

EFFECT_COLUMNS = [
    "stretch",
    "name",
    "side",
    "unit",
    "effect",
    "ci_low",
    "ci_high",
    "cautious",
    "p_helps",
    "p_felt",
    "harmful",
    "evidence",
    "verdict",
    "rank",
    "n_bouts",
    "n_sessions",
    "n_segments",
    "n_single",
    "bouts_per_use",
    "per_use",
    "raw_effect",
    "raw_se",
    "reason",
]


@dataclass(frozen=True)
class ReliefReport:
    """Everything :func:`relief_report` found.

    Attributes
    ----------
    effects : DataFrame
        One row per stretch (or stretch and side); see :func:`relief_effects`.
    groups : DataFrame
        Stretches that cannot be told apart; see :func:`inseparable_groups`.
    sides : DataFrame
        Left vs right per sided stretch (only with ``by_side=True``); see
        :func:`side_differences`.
    model : DataFrame
        The adjustment terms: ``term``, ``estimate``, ``ci_low``, ``ci_high``, ``meaning``.
    notes : tuple of str
        Plain-language remarks about the fit (terms left out, pain floor, ...).
    n_sessions, n_segments : int
    reading_sd, bout_sd : float
        Estimated SD of a pain reading's error and of one bout's own relief.
    prior : CohortPrior or None
        The cohort summary the estimates were pooled toward, if any.
    fit : PersonFit or None
        The person's own estimates before pooling (for a cohort fit).
    """

    effects: pd.DataFrame = field(repr=False)
    groups: pd.DataFrame = field(repr=False)
    sides: pd.DataFrame = field(repr=False)
    model: pd.DataFrame = field(repr=False)
    notes: tuple[str, ...] = ()
    n_sessions: int = 0
    n_segments: int = 0
    reading_sd: float = float("nan")
    bout_sd: float = float("nan")
    prior: CohortPrior | None = field(default=None, repr=False, compare=False)
    parts: _Parts | None = field(default=None, repr=False, compare=False)

    @property
    def fit(self) -> PersonFit | None:
        """The person's own estimates before any pooling (what a cohort fit reads), or None
        when nothing could be estimated."""
        p = self.parts
        if p is None:
            return None
        n = self.effects.set_index(["stretch", "side"] if p.by_side else "stretch")["n_sessions"]
        keys = [tuple(u.split("|")) if p.by_side else u for u in p.est]
        return PersonFit(units=p.est, b=p.b, V=p.V, df=p.df,
                         n_sessions=tuple(int(n.get(k, 0)) for k in keys), names=p.names)

    def with_prior(self, prior: CohortPrior | None) -> ReliefReport:
        """The same report, its estimates pooled toward a cohort's ``prior`` (None: toward
        the person's own average). Identical to ``relief_report(log, prior=prior)``,
        without fitting again."""
        if self.parts is None:
            return self
        return _assemble(self.parts, prior=prior)


def _tq(alpha: float, df: int) -> float:

    return float(st.t.ppf(1 - alpha / 2, df))


def _evidence(se: np.ndarray, n_sessions: np.ndarray) -> np.ndarray:
    out = np.full(len(se), TOO_LITTLE, dtype=object)
    for label, sessions, max_se in reversed(EVIDENCE):
        out[(n_sessions >= sessions) & (se <= max_se)] = label
    out[np.isnan(se)] = "cannot separate"
    return out


def _below_the_bar(frame: pd.DataFrame) -> pd.Series:
    """Rows whose figure the log cannot carry yet (estimable, but too few sessions or too wide)."""
    estimated = frame["effect"].notna()
    half = (frame["ci_high"] - frame["ci_low"]) / 2
    return estimated & ((frame["n_sessions"] < MIN_SESSIONS_FOR_FIGURE) | (half > MAX_HALF_WIDTH))


def _short_reason(row: pd.Series) -> str:
    """What a figure below the bar is missing, and how much more logging it takes."""
    n = int(row["n_sessions"])
    been = f"in {plural(n, 'session')} so far"
    if n < MIN_SESSIONS_FOR_FIGURE:
        more = MIN_SESSIONS_FOR_FIGURE - n
        return (
            f"{been}; a relief figure needs it in at least {MIN_SESSIONS_FOR_FIGURE} sessions with "
            f"pain rated before and after it: {plural(more, 'more session')}"
        )
    half = float(row["ci_high"] - row["ci_low"]) / 2
    # an interval narrows with the square root of the sessions behind it
    more = max(1, int(np.ceil(n * (half / MAX_HALF_WIDTH) ** 2)) - n)
    return (
        f"{been}, and the readings vary too much to pin it down (its likely range is still "
        f"{row['ci_low']:+.1f} to {row['ci_high']:+.1f}); a figure needs that range within "
        f"{MAX_HALF_WIDTH:g} points either side: about {plural(more, 'more session')} "
        "with pain rated before and after it"
    )


def relief_report(
    data: LogTables | pd.DataFrame,
    *,
    by_side: bool = False,
    alpha: float = 0.05,
    pool: bool = True,
    catalog: Catalog | None = None,
    prior: CohortPrior | None = None,
) -> ReliefReport:
    """Estimate each stretch's immediate relief per bout, with intervals, once.

    Parameters
    ----------
    data : LogTables or DataFrame
        The log's tables (:class:`stretchlog.model.tables.LogTables`, as an
        :class:`~stretchlog.Analysis` holds them), or its bouts as returned by
        :func:`stretchlog.read_log`.
    by_side : bool
        One row per stretch and side (left/right for one-sided stretches), with
        left-vs-right differences in ``sides``.
    alpha : float
        1 - interval level (0.05: 95% intervals).
    pool : bool
        Pool estimates toward the person's average (default). ``False`` gives the
        regression's own estimates (for comparison; not for ranking).
    catalog : Catalog, optional
        For display names (default: the built-in catalog).
    prior : CohortPrior, optional
        A cohort's summary (:func:`stretchlog.effects.prior.read_prior`): the estimates
        are pooled toward what many people's logs show instead of toward this person's
        own average, each by as much as the person's own evidence is weak.

    Returns
    -------
    ReliefReport

    Examples
    --------
    >>> from stretchlog.testing.simulate import simulate_log
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO(simulate_log(days=60, seed=2).csv_text()))
    >>> rep = relief_report(bouts)
    >>> rep.effects.loc[rep.effects["rank"] == 1, "stretch"].item()
    'reclining-hip-stretch'
    """
    t = tables_of(data, catalog)
    bouts = t.bouts
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    cols = list(EFFECT_COLUMNS) if by_side else [c for c in EFFECT_COLUMNS if c != "side"]
    if bouts.empty:
        return ReliefReport(
            empty(cols),
            empty(GROUP_COLUMNS),
            empty(SIDE_COLUMNS),
            empty(MODEL_COLUMNS),
            ("The log has no bouts: nothing to estimate yet.",),
        )
    side = bouts["side"].astype("str")
    unit = bouts["stretch_id"].astype("str")
    if by_side:
        unit = unit + "|" + side
    d = build_design(bouts, unit, t.segments, censor=not by_side)
    if len(d.y) == 0:
        return _all_at_floor(bouts, unit, d, t.names, cols, by_side)
    an = analyse(d)
    f = an.fit
    tq = _tq(alpha, f.df)
    idx = {c: i for i, c in enumerate(f.columns)}
    est = list(an.estimable)
    ei = [idx[u] for u in est]
    parts = _Parts(
        est=tuple(est), b=f.coef[ei], V=f.cov[np.ix_(ei, ei)], units=tuple(d.units), df=int(f.df),
        alpha=alpha, by_side=by_side, cols=tuple(cols), names=dict(t.names),
        stats=unit_stats(bouts, unit, d.segs), groups=groups_table(an, t.names, f, tq),
        model=model_table(an, tq), notes=fit_notes(an, bouts), n_sessions=f.n_sessions,
        n_segments=f.n_segments, reading_sd=f.reading_sd, bout_sd=f.bout_sd,
    )
    return _assemble(parts, pool=pool, prior=prior)


@dataclass(frozen=True)
class _Parts:
    """What the fit found, before pooling: enough to assemble the report with any prior."""

    est: tuple[str, ...]
    b: np.ndarray
    V: np.ndarray
    units: tuple[str, ...]
    df: int
    alpha: float
    by_side: bool
    cols: tuple[str, ...]
    names: dict[str, str]
    stats: pd.DataFrame
    groups: pd.DataFrame
    model: pd.DataFrame
    notes: tuple[str, ...]
    n_sessions: int
    n_segments: int
    reading_sd: float
    bout_sd: float


def _assemble(parts: _Parts, *, pool: bool = True, prior: CohortPrior | None = None) -> ReliefReport:
    """The report from the fit's parts: pooled toward the person's average, or toward the
    cohort with a ``prior``; intervals, verdicts, ranks and reasons."""
    est, b, V, df, alpha = list(parts.est), parts.b, parts.V, parts.df, parts.alpha
    tq = _tq(alpha, df)
    raw_se = np.sqrt(np.diag(V))
    if prior is not None:
        mean, cov = prior.posterior(est, b, V)
    elif pool:
        post = _pool(b, V)
        mean, cov = post.mean, post.cov
    else:
        mean, cov = b, V
    # the scale's whole numbers and its floor leave a few hundredths of a point that no
    # amount of logging removes: the interval never claims to be finer than that
    sd = np.sqrt(np.clip(np.diag(cov), 0, None) + SCALE_SD**2)
    by_side = parts.by_side

    frame = pd.DataFrame(index=pd.Index(list(parts.units), name="unit"))
    frame["effect"] = pd.Series(mean, index=est)
    frame["ci_low"] = pd.Series(mean - tq * sd, index=est)
    frame["ci_high"] = pd.Series(mean + tq * sd, index=est)
    frame["cautious"] = pd.Series(mean - st.t.ppf(1 - RANK_QUANTILE, df) * sd, index=est)
    with np.errstate(divide="ignore", invalid="ignore"):
        ph = st.t.cdf(mean / sd, df)
    frame["p_helps"] = pd.Series(np.where(sd > 0, ph, (mean > 0).astype(float)), index=est)
    frame["p_felt"] = pd.Series(chance_felt(mean, sd, df), index=est)
    frame["raw_effect"] = pd.Series(b, index=est)
    frame["raw_se"] = pd.Series(raw_se, index=est)
    frame = frame.join(parts.stats)
    _label(frame, list(frame.index), parts.names, by_side)
    frame["unit"] = "per bout"
    frame["per_use"] = frame["effect"] * frame["bouts_per_use"]
    raw_high = frame["raw_effect"] + tq * frame["raw_se"]
    frame["harmful"] = ((frame["ci_high"] < 0) | (raw_high < 0)).fillna(False).astype(bool)
    frame["evidence"] = _evidence(
        frame["raw_se"].to_numpy(float), frame["n_sessions"].to_numpy(float)
    )
    short = _below_the_bar(frame)
    short_reasons = {u: _short_reason(frame.loc[u]) for u in short.index[short]}
    if short.any():
        gone = ["effect", "ci_low", "ci_high", "cautious", "p_helps", "p_felt", "per_use"]
        frame.loc[short.index[short], gone] = np.nan
        frame.loc[short.index[short], "harmful"] = False
    verdict = relief_verdicts(frame["effect"], frame["ci_low"], frame["ci_high"])
    verdict[verdict == ""] = np.where(frame["evidence"].eq("cannot separate"), "cannot separate",
                                      "not enough data")[verdict == ""]
    frame["verdict"] = verdict
    # best first: relief you would feel before relief that is merely sure (see verdicts.ranks)
    frame["rank"] = ranks(frame)
    groups = parts.groups
    reason = pd.Series("", index=frame.index, dtype="str")
    for u, why in short_reasons.items():
        reason[u] = why
    for rec in groups.itertuples():
        for u in rec.units:
            reason[u] = rec.reason
    frame["reason"] = reason
    frame = frame.sort_values(["rank", "n_bouts"], ascending=[True, False], na_position="last")
    frame = frame.reset_index(drop=True)[list(parts.cols)]
    for c in ("n_bouts", "n_sessions", "n_segments", "n_single"):
        frame[c] = frame[c].astype("int64")
    sides = side_table(frame, b, V, est, tq, df, alpha) if by_side else empty(SIDE_COLUMNS)
    notes = parts.notes + ((prior.describe(),) if prior is not None else ())
    return ReliefReport(
        effects=frame,
        groups=groups.drop(columns="units"),
        sides=sides,
        model=parts.model,
        notes=notes,
        n_sessions=parts.n_sessions,
        n_segments=parts.n_segments,
        reading_sd=parts.reading_sd,
        bout_sd=parts.bout_sd,
        prior=prior,
        parts=parts,
    )


def _label(frame: pd.DataFrame, units: list[str], names: dict[str, str], by_side: bool) -> None:
    """Set ``stretch``, ``side`` and ``name`` of rows ``units`` ("id" or "id|side"), in place."""
    frame["stretch"] = [u.split("|")[0] for u in units]
    frame["side"] = [u.split("|")[1] if "|" in u else "" for u in units]
    frame["name"] = [
        names.get(s, s) + (f" ({sd})" if by_side and sd != "both" else "")
        for s, sd in zip(frame["stretch"], frame["side"])
    ]


def _all_at_floor(bouts, unit, d, names, cols, by_side) -> ReliefReport:
    """Every stretch was done with the pain at 0: no relief can show, for any of them."""
    units = sorted(unit.unique())
    g = pd.DataFrame({"unit": unit.to_numpy(), "session": bouts["session_id"].to_numpy()}).groupby("unit")
    frame = pd.DataFrame({"n_bouts": g.size(), "n_sessions": g["session"].nunique()}).reindex(units)
    frame["n_segments"] = 0
    frame["n_single"] = 0
    frame["bouts_per_use"] = np.nan
    _label(frame, units, names, by_side)
    frame["unit"] = "per bout"
    for c in ("effect", "ci_low", "ci_high", "cautious", "p_helps", "p_felt", "per_use", "raw_effect", "raw_se"):
        frame[c] = np.nan
    frame["harmful"] = False
    frame["evidence"] = TOO_LITTLE
    frame["verdict"] = "not enough data"
    frame["rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame["reason"] = ("every time it was done the pain was already at 0: there was nothing to "
                       "relieve, so no relief can show; rate it on a day with some pain")
    frame = frame.sort_values("n_bouts", ascending=False, kind="stable").reset_index(drop=True)[cols]
    return ReliefReport(
        frame, empty(GROUP_COLUMNS), empty(SIDE_COLUMNS), empty(MODEL_COLUMNS),
        ("Every stretch was done with the pain at 0: there was no pain to relieve, so no stretch "
         "can show relief.",),
        n_sessions=int(bouts["session_id"].nunique()), n_segments=0,
    )


def relief_effects(
    bouts: pd.DataFrame,
    *,
    by_side: bool = False,
    alpha: float = 0.05,
    pool: bool = True,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Immediate relief per bout of each stretch, ranked, with honest intervals.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.
    by_side : bool
        One row per stretch and side (``side`` column: left, right or both).
    alpha : float
        1 - interval level (0.05: 95% intervals).
    pool : bool
        Pool toward the person's average (default; see :func:`relief_report`).
    catalog : Catalog, optional
        For display names.

    Returns
    -------
    DataFrame
        One row per stretch (or stretch and side), best first. Columns:
        ``stretch`` (id), ``name``, [``side``], ``unit`` ("per bout": one log row;
        a one-sided stretch done on both sides is two bouts), ``effect`` (relief
        in NRS points, positive = less pain, pooled), ``ci_low``/``ci_high`` (the
        interval), ``p_helps`` (probability the true effect is above 0, a normal
        approximation of the pooled posterior; Student-t with sessions - 1 degrees of
        freedom), ``harmful`` (the 95% interval, pooled or on the stretch's own
        data, lies wholly below 0: it makes pain worse), ``evidence``
        (``strong``/``some``/``too little data - try it more``/``cannot separate``),
        ``cautious`` (the posterior 10th percentile: relief per bout it gives at
        least, with 90% probability), ``rank`` (1 = best, by ``cautious``; missing
        where there is no estimate), ``n_bouts``,
        ``n_sessions``, ``n_segments``, ``n_single`` (segments with only this bout),
        ``bouts_per_use`` (median bouts per session), ``per_use`` (effect x
        bouts_per_use), ``raw_effect``/``raw_se`` (the regression's own estimate,
        before pooling) and ``reason`` (why there is no estimate, else empty).

    Examples
    --------
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO(
    ...     "date,stretch,pain_before,pain_after,hold_s\\n"
    ...     "2026-01-01,pigeon,6,5,30\\n2026-01-01,knees to chest,,4,30\\n"
    ...     "2026-01-02,knees to chest,6,5,30\\n2026-01-02,pigeon,,3,30\\n"
    ...     "2026-01-03,pigeon,5,4,30\\n"))
    >>> print(relief_effects(bouts)[["stretch", "effect", "rank", "n_sessions"]].round(1).to_string(index=False))
                  stretch  effect  rank  n_sessions
              pigeon-pose     1.2     1           3
    double-knees-to-chest     NaN  <NA>           2
    >>> relief_effects(bouts)["reason"].iloc[1]
    'in 2 sessions so far; a relief figure needs it in at least 3 sessions with pain rated before and after it: 1 more session'
    """
    return relief_report(bouts, by_side=by_side, alpha=alpha, pool=pool, catalog=catalog).effects


def inseparable_groups(bouts: pd.DataFrame, *, by_side: bool = False) -> pd.DataFrame:
    """Stretches whose relief the log cannot tell apart, with the logging advice.

    Returns
    -------
    DataFrame
        One row per group: ``group``, ``stretches`` (ids joined by " + "), ``names``,
        ``reason``, ``advice``, and, where it can be measured, ``together`` (their
        combined relief the way they are usually done, ``together_pattern``) with
        ``together_low``/``together_high``.

    Examples
    --------
    >>> import io, stretchlog
    >>> text = "date,stretch,pain_before,pain_after,hold_s\\n" + "".join(
    ...     f"2026-01-{d:02d},{s},{p},{a},30\\n" for d in range(1, 8) for s, p, a in
    ...     [("pigeon", 6, 5), ("spinal twist", "", ""), ("knees to chest", "", 3)][: 3 if d % 2 else 1])
    >>> inseparable_groups(stretchlog.read_log(io.StringIO(text)))["stretches"].tolist()  # pigeon: always first
    ['double-knees-to-chest + spinal-twist', 'pigeon-pose']
    """
    return relief_report(bouts, by_side=by_side).groups


def side_differences(bouts: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """Left vs right relief per bout of each one-sided stretch.

    Returns
    -------
    DataFrame
        ``stretch``, ``name``, ``left``, ``right``, ``difference`` (left minus right),
        ``ci_low``/``ci_high``, ``imbalance`` (the interval excludes 0) and
        ``better_side``.

    Examples
    --------
    >>> from stretchlog.testing.simulate import simulate_log
    >>> import io, stretchlog
    >>> log = simulate_log(days=365, seed=3, style="per_bout", imbalance=True, imbalance_size=1.2)
    >>> sides = side_differences(stretchlog.read_log(io.StringIO(log.csv_text())))
    >>> sides.loc[sides["imbalance"], ["stretch", "better_side"]].to_dict("records")
    [{'stretch': 'psoas-stretch-kneeling', 'better_side': 'left'}]
    """
    return relief_report(bouts, by_side=True, alpha=alpha).sides
