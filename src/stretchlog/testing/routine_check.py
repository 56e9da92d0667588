"""How much true relief a routine delivers, on simulated logs with known effects.

The routine is judged against the best routine a person who *knew* the true effects
could make in the same minutes at the guides' dose: a 0/1 knapsack over the simulated
stretches with relief above 0, each at its catalog hold and reps, done on each side
when it is one-sided (:func:`best_relief`). A routine's true relief
(:func:`true_relief`) counts its first-round items (experiments too: the time they
take is the price of learning): per side done, the stretch's true relief per bout
plus the simulator's dose effect for the hold and reps chosen. A stretch the
simulated person never does (a never-tried experiment) counts 0: its truth is
unknown, and the minutes were spent.

:func:`routine_study` runs both over seeded logs of several logging styles; it is
what ``tests/test_routine_quality.py`` checks and ``benchmarks/routine_quality.py``
reports.

Examples
--------
>>> study = routine_study(["per_bout"], seeds=[1], minutes=10)
>>> list(study.columns)
['style', 'seed', 'minutes', 'relief', 'best', 'share', 'proven', 'items', 'experiments', 'harmful']
>>> bool(0 < study.loc[0, "share"] <= 1.5)
True
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from stretchlog.analysis import analyse
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.log.errors import StretchlogWarning
from stretchlog.routine import plan
from stretchlog.routine.build import routine
from stretchlog.routine.types import Routine
from stretchlog.testing.calibration import STYLES
from stretchlog.testing.simulate import simulate_log
from stretchlog.testing.truth import SimTruth as Truth

__all__ = ["true_relief", "best_relief", "routine_study", "QUALITY_STYLES"]

#: The logging styles of the routine check (issue 18): per bout, start and end only,
#: mixed, and a year with tightness trends (from :data:`stretchlog.testing.calibration.STYLES`).
QUALITY_STYLES = ("per_bout", "start_end", "mixed", "year_trends")


def _dose_gain(truth: Truth, catalog: Catalog, sid: str, hold_s: int, reps: int) -> float:
    if not truth.dose_effect or sid not in catalog:
        return 0.0
    s = catalog.get(sid)
    return float(truth.dose_effect * math.log2((hold_s * reps) / (s.hold_s * s.reps)))


def true_relief(r: Routine, truth: Truth, catalog: Catalog | None = None) -> float:
    """True relief (points) of a routine's first round on a simulated person.

    Examples
    --------
    >>> log = simulate_log(days=90, seed=3)
    >>> r = routine(io.StringIO(log.csv_text()), minutes=10, today=date(2026, 6, 1))
    >>> true_relief(r, log.truth) > 0
    True
    """
    cat = catalog if catalog is not None else load_catalog()
    total = 0.0
    for i in r.items:
        if i.round != 1 or i.stretch not in truth.effects:
            continue
        sides = 2 if i.side == "each side" else 1
        if i.side in ("left", "right"):
            per = truth.side_effects.get((i.stretch, i.side), truth.effects[i.stretch])
        else:
            per = truth.effects[i.stretch]
        total += sides * (per + _dose_gain(truth, cat, i.stretch, i.hold_s, i.reps))
    return float(total)


def best_relief(truth: Truth, minutes: float, catalog: Catalog | None = None) -> float:
    """True relief of the best routine in ``minutes`` at the guides' dose (knowing the truth).

    Examples
    --------
    >>> log = simulate_log(days=90, seed=3)
    >>> best_relief(log.truth, 10) >= best_relief(log.truth, 5) > 0
    True
    """
    cat = catalog if catalog is not None else load_catalog()
    sids = [s for s, e in truth.effects.items() if e > 0 and s in cat]
    sides = [2 if cat.get(s).sided else 1 for s in sids]
    values = np.array([k * truth.effects[s] for s, k in zip(sids, sides)])
    secs = np.array([plan.item_seconds(cat.get(s).hold_s, cat.get(s).reps, k) for s, k in zip(sids, sides)])
    picked = plan.knapsack(values, secs, minutes * 60.0)
    return float(values[picked].sum()) if picked else 0.0


def routine_study(
    styles: Iterable[str] = QUALITY_STYLES,
    *,
    seeds: Iterable[int] = range(1, 6),
    minutes: float = 10,
    extra: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The routine's true relief against the best, per seeded log of each style.

    Parameters
    ----------
    styles : iterable of str
        Names in :data:`stretchlog.testing.calibration.STYLES`.
    seeds : iterable of int
        Simulator seeds (the same in every style).
    minutes : float
        The routine's time budget.
    extra : dict, optional
        Simulator options that override the style's (e.g. ``{"dose_effect": 0.3}``).

    Returns
    -------
    DataFrame
        One row per log: ``style``, ``seed``, ``minutes``, ``relief`` (true, of the
        routine), ``best`` (:func:`best_relief`), ``share`` (relief / best), ``proven``
        (items with the verdict "helps" or "may help"), ``items``, ``experiments`` and
        ``harmful`` (items whose true relief is below 0).
    """
    cat = load_catalog()
    rows = []
    for style in styles:
        opts = {**STYLES[style].options, **dict(extra or {})}
        for seed in seeds:
            log = simulate_log(seed=seed, **opts)
            today = date.fromisoformat(str(log.frame["date"].max())) + timedelta(days=1)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", StretchlogWarning)
                an = analyse(io.StringIO(log.csv_text()), today=today)
                r = routine(an, minutes=minutes)
            relief = true_relief(r, log.truth, cat)
            best = best_relief(log.truth, minutes, cat)
            rows.append(
                {
                    "style": style,
                    "seed": int(seed),
                    "minutes": float(minutes),
                    "relief": relief,
                    "best": best,
                    "share": relief / best if best > 0 else np.nan,
                    "proven": sum(i.role in ("works", "may help") for i in r.items),
                    "items": len(r.items),
                    "experiments": len(r.experiments),
                    "harmful": sum(
                        log.truth.effects.get(i.stretch, 0.0) < 0 for i in r.items
                    ),
                }
            )
    return pd.DataFrame(rows)
