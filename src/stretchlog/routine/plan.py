"""How :func:`stretchlog.routine.types.routine` chooses and sizes its items (internal).

The rules are described in plain words in the docstring of :mod:`stretchlog.routine.types`;
this module holds the arithmetic: item times, the person's usual dose, the
knapsack that fills the time budget, and Thompson sampling for the experiment
slots. Only numpy and pandas; no plotting, no printing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from stretchlog.log.catalog import Catalog

__all__: list[str] = []

#: Seconds to get into position for any item (and out of the previous one).
SETUP_S = 15
#: Extra seconds to change sides in a one-sided stretch done on both sides.
SWITCH_S = 10
#: Knapsack time resolution in seconds (item times are rounded up to this).
GRAIN_S = 5
#: Normal quantile turning a 95% interval into a standard deviation.
Z95 = 1.959963984540054
#: Thompson sampling: posterior draws used to estimate each stretch's chance to be best.
N_DRAWS = 4000
#: Exploration floor: every candidate keeps at least min(FLOOR, FLOOR_MASS / K) chance.
FLOOR = 0.1
FLOOR_MASS = 0.5
#: Prior SD (NRS points per bout) for a stretch with no estimate: never tried, or
#: its relief cannot be told apart from another's. Same scale as the pooling prior
#: of :mod:`stretchlog.effects.pool`.
PRIOR_SD = 0.5
#: Regions and kind of the guides' low-back sequence (new users, never-tried experiments).
SEQUENCE_REGIONS = ("hips", "thighs", "lower back")


def item_seconds(hold_s: float, reps: int, sides: int) -> int:
    """Time of one item: holds x reps x sides, plus getting into position and changing sides.

    >>> item_seconds(30, 3, 2)  # 180 s of holds + 15 s setup + 10 s to change sides
    205
    >>> item_seconds(60, 1, 1)
    75
    """
    return int(math.ceil(hold_s * reps * sides + SETUP_S + SWITCH_S * (sides - 1)))


#: The guides' range for a hold and for the number of reps (10-30 s, 2-5 times; a stretch
#: whose catalog dose lies outside it, such as a minute-long passive stretch or nine short
#: hamstring holds, widens it to include that dose).
GUIDE_HOLD_S = (10, 30)
GUIDE_REPS = (2, 5)
#: Verdicts of :func:`stretchlog.effects.dose.dose_response` the dose rule reads.
MORE_HELPS, MORE_WORSE, NO_DIFFERENCE = "more helps", "more does worse", "no clear difference"


@dataclass(frozen=True)
class Dose:
    """A hold and number of reps, where they come from, and why (a few words).

    ``source`` is ``"your log"`` (chosen from what the log shows about dose),
    ``"your usual"`` (the median of your bouts), ``"the guides"`` (the catalog) or
    ``"shortened"`` (cut to fit, below anything logged: no relief figure). ``gain`` is the relief per bout this dose adds to your usual one (below 0: takes
    from it) at the conservative end of what the log shows, ``shift`` at the estimate.
    """

    hold_s: int
    reps: int
    sided: bool
    source: str
    why: str = ""
    gain: float = 0.0
    shift: float = 0.0


@dataclass(frozen=True)
class Logged:
    """The doses a person has logged for one stretch (holds in seconds, reps per bout)."""

    hold_short: int  # the 10th percentile: a short hold used often, not a one-off
    hold_usual: int  # the median
    hold_long: int  # the 90th percentile
    reps_few: int
    reps_usual: int
    reps_many: int
    sided: bool


def _round_hold(h: float) -> int:
    if h <= 10:
        return max(1, int(round(h)))
    return int(5 * round(h / 5))


def guide_range(catalog: Catalog, sid: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(hold range, reps range) of the guides for a stretch, each (low, high).

    >>> from stretchlog.log.catalog import load_catalog
    >>> guide_range(load_catalog(), "reclining-hip-stretch")   # a minute-long passive stretch
    ((10, 60), (2, 5))
    >>> guide_range(load_catalog(), "standing-hamstring-stretch")  # nine short holds
    ((8, 30), (2, 9))
    """
    (h0, h1), (r0, r1) = GUIDE_HOLD_S, GUIDE_REPS
    if sid in catalog:
        e = catalog.get(sid)
        h0, h1, r0, r1 = min(h0, e.hold_s), max(h1, e.hold_s), min(r0, e.reps), max(r1, e.reps)
    return (int(h0), int(h1)), (int(r0), int(r1))


def logged_doses(bouts: pd.DataFrame, catalog: Catalog) -> dict[str, Logged]:
    """Per stretch id: the short (10th percentile), usual (median) and long (90th) hold
    (to 5 s above 10 s) and reps of the person's bouts.

    A stretch counts as one-sided when the catalog says so, or (not in the catalog)
    when any of its bouts names a side.
    """
    out: dict[str, Logged] = {}
    if bouts.empty:
        return out
    g = bouts.groupby("stretch_id", sort=False)
    hold = g["hold_s"].quantile([0.1, 0.5, 0.9]).unstack()
    reps = g["reps"].quantile([0.1, 0.5, 0.9]).unstack()
    named_side = bouts["side"].astype("str").isin(["left", "right"]).groupby(bouts["stretch_id"]).any()
    for sid in hold.index:
        sided = catalog.get(sid).sided if sid in catalog else bool(named_side.get(sid, False))
        h = [_round_hold(float(v)) for v in hold.loc[sid]]
        r = [max(1, int(round(float(v)))) for v in reps.loc[sid]]
        out[str(sid)] = Logged(h[0], h[1], h[2], r[0], r[1], r[2], sided)
    return out


def catalog_dose(catalog: Catalog, sid: str, why: str = "") -> Dose:
    s = catalog.get(sid)
    return Dose(int(s.hold_s), int(s.reps), bool(s.sided), "the guides", why)


def _clip(v: int, lo: int, hi: int) -> int:
    return int(min(max(v, lo), hi))


def dose_options(
    catalog: Catalog,
    sid: str,
    logged: Logged | None,
    verdict: str = "",
    slope: tuple[float, float, float] = (float("nan"),) * 3,
    dose_high_s: float = float("nan"),
) -> list[Dose]:
    """The doses the routine may choose for one stretch, each with what the log says it is worth.

    ``slope`` is the dose analysis' extra relief per bout per doubling of hold x reps
    (estimate, low, high: :func:`stretchlog.effects.dose.dose_response`), ``verdict`` its
    verdict. Each option's ``gain`` is the relief per bout it adds to (or, below 0, takes
    from) your usual dose at the conservative end of that interval, ``shift`` at the
    estimate; the routine weighs them against the minutes.

    * your **usual** dose (the median of your bouts): always, when you have logged it;
    * a **shorter** one, when the log has an interval for the dose slope and it does not
      lie wholly above 0 (a log whose own interval says longer helps keeps your usual
      dose, even before that is a clear finding): your short holds and fewest reps (10th
      percentiles), never below the guides' minimum. Its cost or gain is the estimated
      slope times the doublings given up;
    * a **longer** one, only when the dose analysis says more clearly helps ("more
      helps"): the long end of what you have logged (your 90th percentile of hold x
      reps, at your usual reps), worth the low end of the slope times the doublings;
    * not in your log: the guides' dose (the catalog's).

    Examples
    --------
    >>> from stretchlog.log.catalog import load_catalog
    >>> cat = load_catalog()
    >>> log = Logged(40, 60, 90, 2, 3, 4, True)
    >>> opts = dose_options(cat, "reclining-hip-stretch", log, "no clear difference", (0.0, -0.1, 0.1))
    >>> [(d.hold_s, d.reps, round(d.gain, 2)) for d in opts]
    [(60, 3, 0.0), (40, 2, -0.0)]
    >>> print(opts[1].why)
    shorter than your usual 60 s x 3: longer holds added no clear relief in your log
    >>> opts = dose_options(cat, "reclining-hip-stretch", log, "more helps", (0.5, 0.3, 0.7), dose_high_s=270)
    >>> [(d.hold_s, d.reps, round(d.gain, 2)) for d in opts]
    [(60, 3, 0.0), (90, 3, 0.18)]
    >>> [d.why for d in dose_options(cat, "pigeon-pose", None)]
    ["the guides' dose"]
    """
    if logged is None:
        return [catalog_dose(catalog, sid, "the guides' dose")]
    (h0, _), (r0, _) = guide_range(catalog, sid)
    usual_s = logged.hold_usual * logged.reps_usual
    usual = f"{logged.hold_usual} s x {logged.reps_usual}"
    est, low, high = (float(v) for v in slope)
    known = math.isfinite(est) and math.isfinite(low) and math.isfinite(high)
    if known:
        why = ("your usual; longer holds eased more in your log" if verdict == MORE_HELPS
               else "your usual")
    else:
        why = "your usual; your holds vary too little to compare"
    out = [Dose(logged.hold_usual, logged.reps_usual, logged.sided, "your usual", why)]
    if not known:
        return out
    hold, reps = max(logged.hold_short, h0), max(logged.reps_few, r0)
    if hold * reps < usual_s and low <= 0:
        k = math.log2(hold * reps / usual_s)
        if verdict == MORE_WORSE:
            why = f"shorter than your usual {usual}: longer holds did worse in your log"
        else:
            why = f"shorter than your usual {usual}: longer holds added no clear relief in your log"
        out.append(Dose(hold, reps, logged.sided, "your log", why, gain=est * k, shift=est * k))
    if verdict == MORE_HELPS and math.isfinite(dose_high_s):
        reps = logged.reps_usual
        hold = _clip(_round_hold(dose_high_s / reps), logged.hold_usual, max(logged.hold_long, logged.hold_usual))
        if hold * reps > usual_s:
            k = math.log2(hold * reps / usual_s)
            out.append(Dose(hold, reps, logged.sided, "your log", "longer: longer holds eased more in your log",
                            gain=max(low, 0.0) * k, shift=est * k))
    return out


def shorter_doses(dose: Dose, catalog: Catalog, sid: str) -> list[Dose]:
    """Shorter versions of ``dose`` down to the guides' minimum, longest first: one rep
    fewer at a time, then shorter holds (for a stretch that would not fit otherwise).

    >>> from stretchlog.log.catalog import load_catalog
    >>> [(d.hold_s, d.reps) for d in shorter_doses(Dose(30, 3, True, "your log"), load_catalog(), "pigeon-pose")]
    [(30, 2), (20, 2), (10, 2)]
    """
    (h0, _), (r0, _) = guide_range(catalog, sid)
    out: list[Dose] = []
    reps, hold = dose.reps, dose.hold_s
    while reps > r0:
        reps -= 1
        out.append(replace(dose, reps=reps))
    while hold > h0:
        hold = max(h0, hold - 10)
        out.append(replace(dose, hold_s=hold, reps=reps))
    return [replace(d, source="shortened", gain=0.0, shift=0.0,
                    why=f"shortened to fit (else {dose.hold_s} s x {dose.reps}); your log has no "
                        "relief figure for holds this short") for d in out]


def choice_knapsack(values: list[list[float]], seconds: list[list[float]], budget_s: float) -> dict[int, int]:
    """Best total value within the budget taking at most one option from each group.

    A multiple-choice knapsack, exact over time in steps of :data:`GRAIN_S` seconds
    (times rounded up). Returns {group: option}. Options with a value of 0 or less are
    never taken; ties go to the earlier group and option.

    >>> choice_knapsack([[3.0, 4.0], [2.0]], [[60, 90], [30]], 90)
    {0: 0, 1: 0}
    >>> choice_knapsack([[3.0, 4.0], [2.0]], [[60, 90], [30]], 120)
    {0: 1, 1: 0}
    """
    cap = int(budget_s // GRAIN_S)
    if cap <= 0 or not values:
        return {}
    best = np.zeros(cap + 1)
    pick = np.full((len(values), cap + 1), -1, dtype=int)
    for g, (vals, secs) in enumerate(zip(values, seconds)):
        new = best.copy()
        for k, (v, t) in enumerate(zip(vals, secs)):
            w = int(math.ceil(t / GRAIN_S))
            if not (v > 0) or w > cap:
                continue
            cand = np.full(cap + 1, -np.inf)
            cand[w:] = best[: cap + 1 - w] + v
            better = cand > new + 1e-12
            pick[g, better] = k
            new = np.where(better, cand, new)
        best = new
    out: dict[int, int] = {}
    c = cap
    for g in range(len(values) - 1, -1, -1):
        k = int(pick[g, c])
        if k >= 0:
            out[g] = k
            c -= int(math.ceil(seconds[g][k] / GRAIN_S))
    return dict(sorted(out.items()))


def knapsack(values: np.ndarray, seconds: np.ndarray, budget_s: float) -> list[int]:
    """Indices of the items that maximise the total value within the budget (0/1 knapsack).

    Exact dynamic programme over time in steps of :data:`GRAIN_S` seconds (item times
    rounded up, so the true total never exceeds the budget). Only items with a
    positive value are considered; ties go to the earlier item.

    >>> knapsack(np.array([3.0, 2.0, 2.0]), np.array([60, 30, 30]), 60)
    [1, 2]
    """
    cap = int(budget_s // GRAIN_S)
    w = np.ceil(np.asarray(seconds, float) / GRAIN_S).astype(int)
    v = np.asarray(values, float)
    n = len(v)
    if cap <= 0 or n == 0:
        return []
    best = np.zeros(cap + 1)
    take = np.zeros((n, cap + 1), dtype=bool)
    for i in range(n):
        if not (v[i] > 0) or w[i] > cap:
            continue
        cand = np.full(cap + 1, -np.inf)
        cand[w[i]:] = best[: cap + 1 - w[i]] + v[i]
        better = cand > best + 1e-12
        take[i] = better
        best = np.where(better, cand, best)
    chosen = []
    c = cap
    for i in range(n - 1, -1, -1):
        if take[i, c]:
            chosen.append(i)
            c -= w[i]
    return sorted(chosen)


def thompson_probabilities(mean: np.ndarray, sd: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Chance of each candidate to have the highest draw from N(mean, sd), with the exploration floor.

    ``P_ts`` is the share of :data:`N_DRAWS` joint posterior draws in which a
    candidate is the highest; the floor ``f = min(FLOOR, FLOOR_MASS / K)`` is mixed
    in as ``f + (1 - K f) P_ts``, so every candidate keeps at least ``f``.
    """
    k = len(mean)
    if k == 0:
        return np.zeros(0)
    draws = rng.normal(mean[None, :], sd[None, :], size=(N_DRAWS, k))
    wins = np.bincount(draws.argmax(axis=1), minlength=k) / N_DRAWS
    f = min(FLOOR, FLOOR_MASS / k)
    return f + (1 - k * f) * wins


def thompson_pick(
    mean: np.ndarray, sd: np.ndarray, seconds: np.ndarray, slots: int, cap_s: float, rng: np.random.Generator
) -> tuple[list[int], list[float], list[int]]:
    """Pick up to ``slots`` candidates one at a time by (floored) Thompson probabilities.

    Each pick is drawn with those probabilities among the candidates that still fit
    in ``cap_s`` seconds; the chosen one is removed and the probabilities are worked
    out again among the rest. Returns the picks, the chance each had when picked,
    and among how many candidates.
    """
    left = [i for i in range(len(mean)) if seconds[i] <= cap_s]
    picks: list[int] = []
    chances: list[float] = []
    among: list[int] = []
    used = 0.0
    while left and len(picks) < slots:
        fit = [i for i in left if used + seconds[i] <= cap_s]
        if not fit:
            break
        idx = np.array(fit)
        p = thompson_probabilities(mean[idx], sd[idx], rng)
        j = int(rng.choice(len(idx), p=p / p.sum()))
        picks.append(int(idx[j]))
        chances.append(float(p[j]))
        among.append(len(idx))
        used += seconds[idx[j]]
        left.remove(int(idx[j]))
    return picks, chances, among


@dataclass(frozen=True)
class Exploration:
    """How much of a full routine goes to trying stretches (see :func:`exploration`)."""

    slots: int
    share: float
    reserved: bool


def exploration(n_strong: int, minutes: float) -> Exploration:
    """Slots and share of the budget for experiments, given how many stretches in the
    routine's pool have strong evidence of relief.

    While the log knows fewer than two stretches that work with strong evidence, learning
    is worth most: up to 2 slots (1 under 10 minutes, none under 4) and a third of the
    budget, set aside before the proven stretches are chosen. From two on, one slot, only
    in time the proven stretches leave over, and at most ``0.6 / n_strong`` of the budget
    (30% with two, 15% with four, 5% with twelve): the more the log knows, the less a
    day's routine pays for learning.

    >>> exploration(0, 10)
    Exploration(slots=2, share=0.3333333333333333, reserved=True)
    >>> exploration(4, 10)
    Exploration(slots=1, share=0.15, reserved=False)
    >>> exploration(4, 3).slots
    0
    """
    if n_strong < 2:
        slots = 2 if minutes >= 10 else (1 if minutes >= 4 else 0)
        return Exploration(slots, 1.0 / 3.0, True)
    return Exploration(1 if minutes >= 4 else 0, min(1.0 / 3.0, 0.6 / n_strong), False)


def posterior_sd(ci_low: float, ci_high: float) -> float:
    """SD of the normal approximation to a 95% interval."""
    return float((ci_high - ci_low) / (2 * Z95))


def info_per_minute(sd: float, bouts: int, seconds: float, noise_sd: float) -> float:
    """How much one try teaches: the drop in log posterior SD per minute, if rated around each bout.

    With prior SD ``sd`` and ``bouts`` bouts each measured with error ``noise_sd``
    the posterior variance is ``1 / (1/sd^2 + bouts/noise_sd^2)``.
    """
    post = 1.0 / (1.0 / sd**2 + bouts / noise_sd**2)
    return 0.5 * math.log(sd**2 / post) / (seconds / 60.0)


def sequence_candidates(catalog: Catalog) -> list[str]:
    """Catalog ids of the guides' low-back sequence: stretches of hips, thighs, lower back, in order."""
    return [s.id for s in catalog if s.kind == "stretch" and s.region in SEQUENCE_REGIONS]


def starting_sequence(catalog: Catalog, budget_s: float, exclude: set[str]) -> list[str]:
    """The guides' default sequence fitted to the budget.

    The three steps of the guides (hips, then thighs, then lower back) take turns:
    each turn adds the next stretch of that region, in the catalog's order, that
    still fits; this goes round until nothing else fits. Returned in body order.
    """
    by_region: dict[str, list[str]] = {r: [] for r in SEQUENCE_REGIONS}
    for sid in sequence_candidates(catalog):
        if sid not in exclude:
            by_region[catalog.get(sid).region].append(sid)
    chosen: list[str] = []
    used = 0.0
    progress = True
    while progress:
        progress = False
        for region in SEQUENCE_REGIONS:
            queue = by_region[region]
            for sid in list(queue):
                d = catalog_dose(catalog, sid)
                t = item_seconds(d.hold_s, d.reps, 2 if d.sided else 1)
                if used + t <= budget_s:
                    chosen.append(sid)
                    used += t
                    queue.remove(sid)
                    progress = True
                    break
    order = {s.id: s.order for s in catalog}
    return sorted(chosen, key=lambda s: order[s])
