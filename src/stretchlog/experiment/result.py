"""The answer of a self-experiment, fair by the plan's own coin.

Method
------
The day's relief (pain at the start of its sessions minus pain at their end) is
compared between the days the coin gave option A and the days it gave option B,
adjusted for the pain the day started with (analysis of covariance: a day that
starts high has more room to ease, whichever option it got). The adjustment only
removes noise; fairness comes from the coin.

* **As randomised** (intention to treat): every planned day with a relief counts
  under the option it was given, whatever was done. The p-value is a
  *randomisation test*: the plan's own design re-draws the schedule 2,000 times
  and the same estimate is computed for each; the p-value is the share of draws
  with an estimate at least as far from 0 as the real one. It holds whatever the
  day-to-day drift of pain, because the real schedule is one of the draws. The
  95% interval is the set of differences the test does not reject (a shift of
  every A day by that difference), found on a fine grid. It is unbounded when the
  coin cannot reach the level at all (a plan of few pairs of days or weeks has few
  possible schedules; an early interim look asks for a p-value finer than the
  re-draws give), and the answer then says that no difference can be ruled out.
* **As done**: days counted by what the log shows was done (swapped days move,
  days with both or neither option drop out); an ordinary regression with
  Newey-West standard errors. Not protected by the coin: shown beside, not instead.
* **Chance that one option is better**: the normal approximation to the
  randomisation estimate (what a person with no prior opinion would believe).
* **Checks**: carry-over (does yesterday's option change today's relief?) and
  period (is the difference in the first half of the plan different from the
  second half?), each with its interval; adherence (days done as planned, swapped,
  missed) and whether missed days fall unevenly on one option.
* **Size that matters**: the difference is judged against the relief a person
  would feel from the bouts that differ between the options
  (:data:`~stretchlog.model.thresholds.FELT_RELIEF` points per bout), with the same
  region-of-practical-equivalence rule as the relief table: a clear winner, a winner
  maybe too small to feel, no difference that matters, or not sure yet.
* **Looking early**: a running plan can be looked at any day. Its interval is then
  widened with an O'Brien-Fleming-type boundary (critical value 2.24 / sqrt(share of
  the plan's days passed)), which keeps the chance of a false winner at about 5% however
  often one looks; the result is labelled "interim", and only a decisive interim result
  is carried to the routine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from stretchlog.experiment.design import Option, Plan
from stretchlog.experiment.outcomes import extra_sessions, plan_days
from stretchlog.model.thresholds import FELT_RELIEF, MCID_POINTS, MCID_SHARE
from stretchlog.words import plural

__all__ = [
    "ExperimentResult",
    "analyse_experiment",
    "randomisation_interval",
    "MIN_DAYS_EACH",
    "DRAWS",
    "LOOK_BOUNDARY",
    "VERDICTS",
]

#: Days with a relief needed under each option before any figure is shown.
MIN_DAYS_EACH = 3
#: Re-drawn schedules in the randomisation test.
DRAWS = 2000
#: Continuous-monitoring O'Brien-Fleming constant for a two-sided 5% test.
LOOK_BOUNDARY = 2.24

#: Verdict keys and their meaning.
VERDICTS: dict[str, str] = {
    "A better": "option A gives more relief, enough to feel",
    "A maybe better": "option A surely gives more relief, maybe too little to feel",
    "B better": "option B gives more relief, enough to feel",
    "B maybe better": "option B surely gives more relief, maybe too little to feel",
    "no difference": "no difference you would feel",
    "not sure yet": "the plan cannot tell yet",
    "not enough data": "too few days with a relief under each option",
    "not started": "the plan has not started",
}


@dataclass(frozen=True)
class ExperimentResult:
    """What a self-experiment shows (from :func:`analyse_experiment`).

    Figures are points of pain relief per session, option A minus option B (positive:
    A relieves more); NaN where the plan cannot carry them.

    Attributes
    ----------
    plan : Plan
    days : DataFrame
        :func:`~stretchlog.experiment.outcomes.plan_days`.
    today : date
    status : str
        ``"not started"``, ``"running"`` or ``"finished"``.
    interim : bool
        A running plan: the interval is widened for looking early.
    level : float
        Confidence level of ``ci_low``/``ci_high`` (0.95, higher at an interim look).
    difference, ci_low, ci_high, p_value, prob_a_better : float
        As randomised.
    done_difference, done_low, done_high : float
        As done (95%).
    carryover, carry_low, carry_high : float
        Yesterday's option A vs B on today's relief (95%).
    period_change, period_low, period_high : float
        The difference in the plan's second half minus the first (95%).
    felt : float
        The difference a person would feel (points per session).
    verdict : str
        A key of :data:`VERDICTS`.
    counts : dict
        ``planned``, ``past``, ``followed``, ``swapped``, ``other``, ``missed``,
        ``unrated``, ``extra``, ``rated_a``, ``rated_b`` (days).
    meaningful : dict
        Share of rated days under A and under B with a change people notice (2 points or 30%).
    headline : str
        The answer in one sentence.
    notes : tuple of str
        Why, and the checks, one sentence each.
    """

    plan: Plan
    days: pd.DataFrame = field(repr=False)
    today: date
    status: str
    interim: bool
    level: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    prob_a_better: float
    done_difference: float
    done_low: float
    done_high: float
    carryover: float
    carry_low: float
    carry_high: float
    period_change: float
    period_low: float
    period_high: float
    felt: float
    verdict: str
    counts: dict = field(repr=False)
    meaningful: dict = field(repr=False)
    headline: str
    notes: tuple[str, ...] = field(repr=False)

    @property
    def winner(self) -> Option | None:
        """The option the routine should use: a sure winner (interim only when decisive).

        For a dose plan with no difference that matters, the shorter dose.
        """
        if self.status == "not started":
            return None
        if self.verdict in ("A better", "A maybe better"):
            return self.plan.a
        if self.verdict in ("B better", "B maybe better"):
            return self.plan.b
        if self.verdict == "no difference" and self.plan.kind == "dose" and self.status == "finished":
            a, b = self.plan.a, self.plan.b
            return a if (a.hold_s or 0) * (a.reps or 0) <= (b.hold_s or 0) * (b.reps or 0) else b
        return None

    @property
    def adherence(self) -> float:
        """Share of the planned days so far done as planned."""
        past = self.counts["past"]
        return self.counts["followed"] / past if past else float("nan")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (no DataFrames)."""

        def num(v):
            return None if v is None or (isinstance(v, float) and not np.isfinite(v)) else v

        w = self.winner
        return {
            "question": self.plan.question,
            "kind": self.plan.kind,
            "design": self.plan.design,
            "seed": self.plan.seed,
            "start": self.plan.start.isoformat(),
            "end": self.plan.end.isoformat(),
            "options": {o.label: o.what for o in (self.plan.a, self.plan.b)},
            "status": self.status,
            "interim": self.interim,
            "level": self.level,
            "difference": num(self.difference),
            "ci_low": num(self.ci_low),
            "ci_high": num(self.ci_high),
            "p_value": num(self.p_value),
            "prob_a_better": num(self.prob_a_better),
            "as_done": {
                "difference": num(self.done_difference),
                "ci_low": num(self.done_low),
                "ci_high": num(self.done_high),
            },
            "carryover": {
                "estimate": num(self.carryover),
                "ci_low": num(self.carry_low),
                "ci_high": num(self.carry_high),
            },
            "period": {
                "change": num(self.period_change),
                "ci_low": num(self.period_low),
                "ci_high": num(self.period_high),
            },
            "felt": self.felt,
            "verdict": self.verdict,
            "winner": None if w is None else w.label,
            "counts": {k: int(v) for k, v in self.counts.items()},
            "meaningful": {k: num(v) for k, v in self.meaningful.items()},
            "headline": self.headline,
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- inference


def _residualiser(x: np.ndarray | None, n: int) -> np.ndarray:
    """The projection that removes an intercept (and ``x``) from a length-n vector."""
    cols = [np.ones(n)]
    if x is not None:
        cols.append(x - x.mean())
    q, _ = np.linalg.qr(np.column_stack(cols))
    return np.eye(n) - q @ q.T


def randomisation_interval(
    y: np.ndarray,
    z: np.ndarray,
    draws: np.ndarray,
    x: np.ndarray | None = None,
    *,
    alpha: float = 0.05,
) -> tuple[float, float, float, float, float]:
    """Estimate, randomisation p-value, interval and null spread of an A-minus-B difference.

    Parameters
    ----------
    y : array
        Outcomes of the days with one (relief).
    z : array of 0/1
        The option each of those days was given (1 = A).
    draws : 2-d array of 0/1
        Re-drawn schedules from the plan's design, restricted to the same days.
    x : array, optional
        A covariate to adjust for (the day's starting pain).
    alpha : float
        One minus the interval's level.

    Returns
    -------
    tuple
        ``(estimate, p_value, ci_low, ci_high, se)``; ``se`` is the spread of the
        estimate over the re-drawn schedules (for the normal approximation). The
        interval is ``(-inf, inf)`` when no difference, however large, is rejected.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> z = np.tile([1, 0], 20); y = 1.0 * z + rng.normal(0, 1, 40)
    >>> d = np.array([rng.permutation(z) for _ in range(999)])
    >>> est, p, lo, hi, se = randomisation_interval(y, z, d)
    >>> bool(lo < 1 < hi), bool(p < 0.05)
    (True, True)
    """
    y = np.asarray(y, float)
    z = np.asarray(z, float)
    m = _residualiser(x, len(y))
    ey, ez = m @ y, m @ z
    den_obs = ez @ ez
    if den_obs <= 1e-12:
        return (np.nan,) * 5
    est = float(ez @ ey / den_obs)
    ed = draws.astype(float) @ m  # m is symmetric
    den = np.einsum("ij,ij->i", ed, ed)
    keep = den > 1e-12
    ed, den = ed[keep], den[keep]
    u = ed @ ey / den
    v = ed @ ez / den
    r = len(u)
    if r < 20:
        return est, np.nan, np.nan, np.nan, np.nan
    se = float(np.std(u - est * v, ddof=1))

    def pval(delta: np.ndarray) -> np.ndarray:
        stat = np.abs(u[:, None] - delta[None, :] * v[:, None])
        obs = np.abs(est - delta)[None, :]
        return (1 + (stat >= obs - 1e-12).sum(axis=0)) / (r + 1)

    p0 = float(pval(np.array([0.0]))[0])
    # Far from the estimate only the draws with |v| >= 1 (the real schedule, its mirror
    # image) still count: when they alone keep p above alpha, no difference however large
    # is rejected and the interval is unbounded (a design with few blocks, or an interim
    # level beyond the draws' resolution), never the search grid's arbitrary edges.
    if (1 + int((np.abs(v) >= 1 - 1e-9).sum())) / (r + 1) > alpha:
        return est, p0, -np.inf, np.inf, se
    half = 8 * max(se, 1e-6) + 0.5
    for _ in range(40):  # widen until both ends of the grid are rejected
        if (pval(np.array([est - half, est + half])) <= alpha).all():
            break
        half *= 2
    grid = np.linspace(est - half, est + half, 1601)
    inside = grid[pval(grid) > alpha]
    if len(inside) == 0:
        return est, p0, est, est, se
    step = grid[1] - grid[0]

    def edge(a: float, b: float) -> float:  # a accepted, b rejected
        for _ in range(30):
            mid = (a + b) / 2
            if pval(np.array([mid]))[0] > alpha:
                a = mid
            else:
                b = mid
        return a

    lo = edge(inside.min(), inside.min() - step)
    hi = edge(inside.max(), inside.max() + step)
    if p0 > alpha:  # 0 is not rejected: it is in the interval (rounded readings tie at 0 exactly)
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    return est, p0, float(lo), float(hi), se


def _ols(y, cols, *, hac: bool = False):
    import statsmodels.api as sm

    x = sm.add_constant(np.column_stack(cols), has_constant="add")
    fit = sm.OLS(y, x)
    if hac:
        return fit.fit(cov_type="HAC", cov_kwds={"maxlags": 2})
    return fit.fit(cov_type="HC1")


def _full_rank(cols) -> bool:
    """Whether an intercept and ``cols`` are linearly independent (a fit can tell them apart)."""
    x = np.column_stack([np.ones(len(cols[0]))] + [np.asarray(c, float) for c in cols])
    return int(np.linalg.matrix_rank(x)) == x.shape[1]


def _coef(res, i: int) -> tuple[float, float, float]:
    est = float(res.params[i])
    with np.errstate(invalid="ignore"):  # another term's variance can round to -0 (sqrt warns)
        lo, hi = res.conf_int(0.05)[i]
    return est, float(lo), float(hi)


# --------------------------------------------------------------------------- words


def option_label(plan: Plan, o: Option) -> str:
    """How an option is named in sentences."""
    if plan.kind == "dose":
        return f"{o.hold_s} s x {o.reps}"
    if plan.kind == "order":
        return f"{o.name} first"
    return o.name


def _pts(v: float) -> str:
    return f"{v:.1f}".replace("-0.0", "0.0")


def _felt_for(plan: Plan, bouts: pd.DataFrame, days: pd.DataFrame) -> float:
    """The difference a person would feel: the felt relief per bout times the bouts that differ."""
    followed = days.loc[days["followed"], "date"]
    if plan.kind == "order":
        ids = {plan.a.stretch_id, plan.a.then_id}
    else:
        ids = {plan.a.stretch_id, plan.b.stretch_id}
    b = bouts[bouts["stretch_id"].astype("str").isin(ids)]
    b = b[pd.to_datetime(b["date"]).dt.normalize().isin(set(followed))]
    if b.empty:
        per_day = 2.0 if plan.kind == "order" else 1.0
    else:
        per_day = float(b.groupby(pd.to_datetime(b["date"]).dt.normalize()).size().median())
    return round(FELT_RELIEF * max(per_day, 1.0), 2)


def _verdict(lo: float, hi: float, felt: float) -> str:
    if np.isnan(lo) or np.isnan(hi):
        return "not enough data"
    if lo > felt:
        return "A better"
    if lo > 0:
        return "A maybe better"
    if hi < -felt:
        return "B better"
    if hi < 0:
        return "B maybe better"
    if lo >= -felt and hi <= felt:
        return "no difference"
    return "not sure yet"


def _headline(plan: Plan, verdict: str, est: float, lo: float, hi: float, level: float, felt: float) -> str:
    a, b = option_label(plan, plan.a), option_label(plan, plan.b)
    pct = f"{100 * level:.0f}%" if level < 0.995 else f"{100 * level:.1f}%"
    if verdict in ("A better", "A maybe better", "B better", "B maybe better"):
        win, lose = (a, b) if verdict.startswith("A") else (b, a)
        size = abs(est)
        lo_w, hi_w = (lo, hi) if verdict.startswith("A") else (-hi, -lo)
        tail = (
            "enough to feel"
            if verdict.endswith("better") and "maybe" not in verdict
            else f"maybe less than the {felt:g} points a session you would feel"
        )
        return (
            f"{win} gives you more relief than {lose}: about {_pts(size)} points more a session "
            f"({pct} interval {_pts(lo_w)} to {_pts(hi_w)}), {tail}."
        )
    if verdict == "no difference":
        extra = ""
        if plan.kind == "dose":
            short = plan.a if (plan.a.hold_s or 0) * (plan.a.reps or 0) <= (plan.b.hold_s or 0) * (plan.b.reps or 0) else plan.b
            extra = f" The shorter dose, {option_label(plan, short)}, does as well."
        return (
            f"No difference you would feel between {a} and {b}: the {pct} interval "
            f"({_pts(lo)} to {_pts(hi)} points a session, A minus B) lies within the {felt:g} "
            f"points a session you would feel.{extra}"
        )
    if verdict == "not sure yet":
        if not (np.isfinite(lo) and np.isfinite(hi)):
            return (
                f"Not sure yet whether {a} or {b} gives more relief: so far the plan's coin cannot "
                f"rule out any difference at the {pct} level (the difference so far: {_pts(est)} "
                "points a session, A minus B); more planned days will narrow it."
            )
        if lo < -felt and hi > felt:
            holds = "still holds a difference you would feel either way"
        else:
            side = a if hi > felt else b
            holds = f"runs from no difference to one you would feel in favour of {side}"
        return (
            f"Not sure yet whether {a} or {b} gives more relief: the {pct} interval "
            f"({_pts(lo)} to {_pts(hi)} points a session, A minus B) {holds}."
        )
    return ""


# --------------------------------------------------------------------------- the answer


def analyse_experiment(
    plan: Plan,
    bouts: pd.DataFrame,
    sessions: pd.DataFrame,
    today: date,
    *,
    draws: int = DRAWS,
) -> ExperimentResult:
    """Analyse a finished or running plan against the log.

    Parameters
    ----------
    plan : Plan
        The plan (:func:`~stretchlog.experiment.design.read_plan`).
    bouts, sessions : DataFrame
        The log's bouts and sessions.
    today : date
        Planned days before today without a session are missed; from today on, to come.
    draws : int
        Re-drawn schedules for the randomisation test (seeded from the plan's seed,
        so the same log and plan give the same answer).

    Returns
    -------
    ExperimentResult

    Examples
    --------
    >>> from stretchlog.experiment.design import make_plan
    >>> p = make_plan("compare", Option("A", "a", "Pigeon pose"), Option("B", "b", "Side bend"),
    ...               start=date(2026, 12, 7), weeks=2, seed=1)
    >>> empty_b = pd.DataFrame(columns=["date", "session_id", "bout", "stretch_id", "hold_s", "reps"])
    >>> empty_s = pd.DataFrame(columns=["session_id", "date", "start_pain", "end_pain", "relief"])
    >>> r = analyse_experiment(p, empty_b, empty_s, today=date(2026, 12, 1))
    >>> r.status, r.verdict
    ('not started', 'not started')
    """
    days = plan_days(plan, bouts, sessions, today)
    now = pd.Timestamp(today)
    past = days["date"] < now
    rated = days["relief"].notna()
    status = (
        "not started"
        if not (past | rated).any()
        else "finished"
        if (past | rated).all() or now > days["date"].iloc[-1]
        else "running"
    )
    counts = {
        "planned": len(days),
        "past": int((past | rated).sum()),
        "followed": int((days["followed"] & (past | rated)).sum()),
        "swapped": int(
            (((days["option"] == "A") & (days["done"] == "B")) | ((days["option"] == "B") & (days["done"] == "A"))).sum()
        ),
        "other": int(days["done"].isin(["both", "neither", "unclear"]).sum()),
        "missed": int((days["done"] == "missed").sum()),
        "unrated": int(((days["n_sessions"] > 0) & ~rated).sum()),
        "extra": extra_sessions(plan, sessions),
        "rated_a": int((rated & (days["option"] == "A")).sum()),
        "rated_b": int((rated & (days["option"] == "B")).sum()),
    }
    felt = _felt_for(plan, bouts, days)

    def share_meaningful(label: str) -> float:
        d = days[rated & (days["option"] == label)]
        if d.empty:
            return float("nan")
        ok = (d["relief"] >= MCID_POINTS) | (d["relief"] >= MCID_SHARE * d["start_pain"].clip(lower=1e-9))
        return float(ok.mean())

    meaningful = {"A": share_meaningful("A"), "B": share_meaningful("B")}
    nan = float("nan")
    fig: dict[str, float] = dict.fromkeys(
        [
            "difference", "ci_low", "ci_high", "p_value", "prob_a_better",
            "done_difference", "done_low", "done_high", "carryover", "carry_low", "carry_high",
            "period_change", "period_low", "period_high",
        ],
        nan,
    )
    interim = status == "running"
    level = 0.95
    notes: list[str] = []
    a_lab, b_lab = option_label(plan, plan.a), option_label(plan, plan.b)

    if status == "not started":
        verdict = "not started"
        headline = f"Your self-experiment starts on {plan.start:%a} {plan.start.day} {plan.start:%b}: {plan.question}"
    elif min(counts["rated_a"], counts["rated_b"]) < MIN_DAYS_EACH:
        verdict = "not enough data"
        need_a = max(0, MIN_DAYS_EACH - counts["rated_a"])
        need_b = max(0, MIN_DAYS_EACH - counts["rated_b"])
        wants = " and ".join(
            w for w in (
                f"{plural(need_a, 'more day')} with option A" if need_a else "",
                f"{plural(need_b, 'more day')} with option B" if need_b else "",
            ) if w
        )
        headline = (
            f"No answer yet: the plan has {plural(counts['rated_a'], 'day')} with option A and "
            f"{plural(counts['rated_b'], 'day')} with option B rated before and after; a first "
            f"figure needs {MIN_DAYS_EACH} of each, so {wants} (pain rated at the start and the end)."
        )
    else:
        obs = days[rated].reset_index()
        y = obs["relief"].to_numpy(float)
        z = (obs["option"] == "A").to_numpy(int)
        x = obs["start_pain"].to_numpy(float)
        # (not when the starting pain alone tells the A days from the B days: nothing left to compare)
        use_x = len(y) >= 8 and np.ptp(x) > 0 and _full_rank([z, x])
        rng = np.random.default_rng([plan.seed, 17])
        all_draws = plan.redraw(draws, rng)[:, obs["index"].to_numpy()]
        info = 1.0
        if interim:
            info = max(float(past.sum()) / len(days), 1e-3)
            crit = max(stats.norm.ppf(0.975), LOOK_BOUNDARY / np.sqrt(info))
            level = float(1 - 2 * stats.norm.sf(crit))
        est, p, lo, hi, se = randomisation_interval(y, z, all_draws, x if use_x else None, alpha=1 - level)
        fig.update(difference=est, p_value=p, ci_low=lo, ci_high=hi)
        # the normal approximation that matches the interval shown
        crit_shown = stats.norm.ppf(0.5 + level / 2)
        se_ci = (hi - lo) / (2 * crit_shown) if np.isfinite(hi - lo) else np.nan
        if np.isfinite(se_ci) and se_ci > 0:
            fig["prob_a_better"] = float(stats.norm.cdf(est / se_ci))
        # as done
        dd = days[rated & days["done"].isin(["A", "B"])]
        if min((dd["done"] == "A").sum(), (dd["done"] == "B").sum()) >= MIN_DAYS_EACH:
            cols = [(dd["done"] == "A").to_numpy(float)]
            start = dd["start_pain"].to_numpy(float)
            if len(dd) >= 8 and np.ptp(start) > 0 and _full_rank(cols + [start]):
                cols.append(start)
            d_est, d_lo, d_hi = _coef(_ols(dd["relief"].to_numpy(float), cols, hac=True), 1)
            fig.update(done_difference=d_est, done_low=d_lo, done_high=d_hi)
        # carry-over: yesterday's planned option, on consecutive planned days
        sched = days.reset_index(drop=True)
        prev_gap = sched["date"].diff().dt.days
        prev_a = (sched["option"].shift(1) == "A").astype(float)
        cc = sched.assign(prev_a=prev_a, gap=prev_gap)[rated.to_numpy() & (prev_gap == 1).to_numpy()]
        carry_cols = [(cc["option"] == "A").to_numpy(float), cc["prev_a"].to_numpy(float)]
        if len(cc) and np.ptp(cc["start_pain"].to_numpy(float)) > 0:
            carry_cols.append(cc["start_pain"].to_numpy(float))
        # full rank: in a pairs plan with days missed, every consecutive day left can be the
        # second of its pair (today's option always the other of yesterday's: no carry-over fit)
        if plan.design != "weeks" and len(cc) >= 10 and _full_rank(carry_cols):
            res = _ols(cc["relief"].to_numpy(float), carry_cols)
            fig.update(zip(("carryover", "carry_low", "carry_high"), _coef(res, 2)))
        # period: the difference in the second half minus the first
        half = (np.arange(len(days)) >= len(days) / 2)[rated.to_numpy()]
        ok_halves = all(
            ((obs["option"] == lab) & (half == h)).sum() >= MIN_DAYS_EACH for lab in "AB" for h in (False, True)
        )
        za = (obs["option"] == "A").to_numpy(float)
        period_cols = [za, half.astype(float), za * half] + ([x] if np.ptp(x) > 0 else [])
        if ok_halves and _full_rank(period_cols):
            res = _ols(y, period_cols)
            fig.update(zip(("period_change", "period_low", "period_high"), _coef(res, 3)))
        verdict = _verdict(fig["ci_low"], fig["ci_high"], felt)
        headline = _headline(plan, verdict, est, fig["ci_low"], fig["ci_high"], level, felt)
        if interim:
            headline = (
                f"So far (interim look, {int(past.sum())} of {plural(len(days), 'planned day')} "
                f"passed): {headline}"
            )
            notes.append(
                f"Interim: the interval is a {100 * level:.1f}% one, wider than the final 95%, so that "
                "looking every day still keeps the chance of a false winner near 1 in 20. Keep to the "
                "plan to its end; stopping when it looks good makes a wrong answer likelier."
            )
        if np.isfinite(fig["p_value"]):
            notes.append(
                f"Fair by the coin: in {draws:,} re-draws of your plan's schedule, "
                f"{100 * fig['p_value']:.1f}% gave a difference at least this far from 0 "
                f"(p = {fig['p_value']:.3f})."
            )
        if np.isfinite(fig["prob_a_better"]):
            pa = fig["prob_a_better"]
            better, chance = (a_lab, pa) if pa >= 0.5 else (b_lab, 1 - pa)
            shown = ">99%" if chance > 0.99 else f"{100 * chance:.0f}%"
            notes.append(f"Chance that {better} is the better of the two for you: {shown}.")
        if np.isfinite(fig["done_difference"]):
            notes.append(
                f"As done (days counted by what you actually did, not protected by the coin): "
                f"{_pts(fig['done_difference'])} points a session, A minus B "
                f"(95% interval {_pts(fig['done_low'])} to {_pts(fig['done_high'])})."
            )
        if np.isfinite(fig["carryover"]):
            clear = fig["carry_low"] > 0 or fig["carry_high"] < 0
            notes.append(
                (
                    "Carry-over: yesterday's option seems to change today's relief "
                    if clear
                    else "Carry-over: no sign that yesterday's option changes today's relief "
                )
                + f"({_pts(fig['carryover'])} points, 95% interval {_pts(fig['carry_low'])} to "
                f"{_pts(fig['carry_high'])})"
                + ("; a plan by weeks (--design weeks) avoids it." if clear else ".")
            )
        elif plan.design == "weeks":
            notes.append("Carry-over: a plan by weeks changes option at most once a week, which limits it by design.")
        if np.isfinite(fig["period_change"]):
            clear = fig["period_low"] > 0 or fig["period_high"] < 0
            notes.append(
                (
                    "Period: the difference changed between the first and second half of the plan "
                    if clear
                    else "Period: no sign the difference changed between the plan's first and second half "
                )
                + f"({_pts(fig['period_change'])} points, 95% interval {_pts(fig['period_low'])} to "
                f"{_pts(fig['period_high'])})."
            )
    if status != "not started":
        past_n = counts["past"]
        notes.append(
            f"Adherence: {counts['followed']} of {plural(past_n, 'planned day')} so far done as planned"
            + (f" ({100 * counts['followed'] / past_n:.0f}%)" if past_n else "")
            + f"; {counts['swapped']} swapped, {counts['other']} with both or neither, "
            f"{counts['missed']} missed"
            + (f", {counts['unrated']} without pain rated at start and end" if counts["unrated"] else "")
            + (f"; {plural(counts['extra'], 'session')} on unplanned days left out" if counts["extra"] else "")
            + "."
        )
        missed_a = int(((days["option"] == "A") & (days["done"] == "missed")).sum())
        missed_b = int(((days["option"] == "B") & (days["done"] == "missed")).sum())
        n_a = int(((days["option"] == "A") & (past | rated)).sum())
        n_b = int(((days["option"] == "B") & (past | rated)).sum())
        if missed_a + missed_b >= 4 and n_a and n_b:
            p_miss = stats.fisher_exact([[missed_a, n_a - missed_a], [missed_b, n_b - missed_b]])[1]
            if p_miss < 0.05:
                notes.append(
                    f"Missed days fall unevenly ({missed_a} of {n_a} A days, {missed_b} of {n_b} B days): "
                    "if one option is missed for a reason (pain, time), the comparison leans; "
                    "the interval assumes days were missed for reasons unrelated to the option."
                )
        if any(np.isfinite(v) for v in meaningful.values()):
            parts = []
            for lab in "AB":
                n = counts[f"rated_{lab.lower()}"]
                if n:
                    parts.append(
                        f"{option_label(plan, plan.option(lab))}: {round(meaningful[lab] * n)} of {plural(n, 'day')}"
                    )
            notes.append(
                f"Days with a change people notice ({MCID_POINTS:g} points or {100 * MCID_SHARE:.0f}% less pain): "
                + "; ".join(parts) + "."
            )
    return ExperimentResult(
        plan=plan,
        days=days,
        today=today,
        status=status,
        interim=interim and verdict not in ("not started",),
        level=level,
        felt=felt,
        verdict=verdict,
        counts=counts,
        meaningful=meaningful,
        headline=headline,
        notes=tuple(notes),
        **fig,
    )
