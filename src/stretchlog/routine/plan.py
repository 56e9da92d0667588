"""How :func:`stretchlog.routine.types.routine` chooses and sizes its items (internal).

The rules are described in plain words in the docstring of :mod:`stretchlog.routine.types`;
this module holds the arithmetic: item times, the person's usual dose, the
knapsack that fills the time budget, and Thompson sampling for the experiment
slots. Only numpy and pandas; no plotting, no printing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Dose:
    hold_s: int
    reps: int
    sided: bool
    source: str  # "your usual" or "the guides"


def _round_hold(h: float) -> int:
    if h <= 10:
        return max(1, int(round(h)))
    return int(5 * round(h / 5))


def usual_doses(bouts: pd.DataFrame, catalog: Catalog) -> dict[str, Dose]:
    """Per stretch id: the median hold (to 5 s above 10 s) and median reps of the person's bouts.

    A stretch counts as one-sided when the catalog says so, or (not in the catalog)
    when any of its bouts names a side.
    """
    out: dict[str, Dose] = {}
    if bouts.empty:
        return out
    g = bouts.groupby("stretch_id", sort=False)
    hold = g["hold_s"].median()
    reps = g["reps"].median()
    named_side = bouts["side"].astype("str").isin(["left", "right"]).groupby(bouts["stretch_id"]).any()
    for sid in hold.index:
        sided = catalog.get(sid).sided if sid in catalog else bool(named_side.get(sid, False))
        out[str(sid)] = Dose(_round_hold(float(hold[sid])), max(1, int(round(float(reps[sid])))), sided,
                             "your usual")
    return out


def catalog_dose(catalog: Catalog, sid: str) -> Dose:
    s = catalog.get(sid)
    return Dose(int(s.hold_s), int(s.reps), bool(s.sided), "the guides")


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
