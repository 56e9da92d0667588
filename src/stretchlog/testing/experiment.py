"""Simulated self-experiments with a known difference between the options (tests, notebooks).

:func:`simulate_experiment` writes a log that follows a :class:`~stretchlog.experiment.Plan`:
a few weeks of ordinary logging before it (for the power preview), then one
session on each planned day the person does not miss, doing the day's option
(or, with ``swap``, the other one) plus two usual stretches, with pain rated
around every bout. Each day's pain level drifts as an AR(1) series (bad days come
in runs), so a schedule that is not randomised would be unfair; the plan's coin
makes it fair. The true difference in a session's relief, option A minus option
B, is ``difference`` points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd

from stretchlog.experiment.design import Plan

__all__ = ["SimulatedExperiment", "simulate_experiment", "OTHER_STRETCHES"]

#: The usual stretches done in every simulated session besides the plan's option.
OTHER_STRETCHES: tuple[str, ...] = ("knees to chest", "spinal twist")


@dataclass(frozen=True)
class SimulatedExperiment:
    """A simulated log that follows a plan.

    Attributes
    ----------
    csv : str
        The log file's text.
    difference : float
        The true A-minus-B difference in a session's relief (points).
    missed : int
        Planned days without a session.
    swapped : int
        Planned days where the other option was done.
    """

    csv: str
    difference: float
    missed: int
    swapped: int


def simulate_experiment(
    plan: Plan,
    difference: float,
    *,
    seed: int = 0,
    history_days: int = 42,
    base_relief: float = 0.6,
    level: float = 6.0,
    day_sd: float = 0.9,
    rho: float = 0.6,
    reading_sd: float = 0.5,
    miss: float = 0.1,
    swap: float = 0.0,
    names: dict[str, str] | None = None,
) -> SimulatedExperiment:
    """A log following ``plan`` with a true A-minus-B difference of ``difference`` points.

    Parameters
    ----------
    plan : Plan
        The plan to follow.
    difference : float
        True difference in a session's relief, option A minus option B.
    seed : int
        Seed (the same seed gives the same log).
    history_days : int
        Days of ordinary logging before the plan (one session every day or two).
    base_relief : float
        Relief of each bout of a usual stretch and of option B (points).
    level, day_sd, rho : float
        The day's pain: mean, stationary SD and AR(1) day-to-day carry-over.
    reading_sd : float
        SD of a reading's error around the true pain (readings are rounded and kept in 0-10).
    miss, swap : float
        Chance that a planned day is missed, and that the other option is done.
    names : dict, optional
        Names to write for stretch ids (default: the plan's names).

    Examples
    --------
    >>> from datetime import date
    >>> from stretchlog.experiment import Option, make_plan
    >>> p = make_plan("compare", Option("A", "pigeon-pose", "pigeon pose"),
    ...               Option("B", "side-bend", "side bend"), start=date(2026, 12, 7), weeks=2, seed=1)
    >>> sim = simulate_experiment(p, 1.0, seed=3)
    >>> sim.csv.splitlines()[0]
    'date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes'
    """
    rng = np.random.default_rng(seed)
    names = dict(names or {})
    a, b = plan.a, plan.b
    for o in (a, b):
        names.setdefault(o.stretch_id, o.name)
        if o.then_id:
            names.setdefault(o.then_id, o.then_name or o.then_id)
    start = plan.start - timedelta(days=history_days)
    n_days = (plan.end - start).days + 1
    luck = np.empty(n_days)
    luck[0] = rng.normal(0, day_sd)
    for t in range(1, n_days):
        luck[t] = rho * luck[t - 1] + rng.normal(0, day_sd * np.sqrt(1 - rho**2))
    planned = {d.date(): o for d, o in zip(pd.to_datetime(plan.schedule["date"]), plan.schedule["option"])}
    rows: list[list] = []
    missed = swapped = 0

    def session(day, option: str | None) -> None:
        pain = level + luck[(day - start).days]
        bouts: list[tuple[str, int, int, float]] = []  # name, hold, reps, relief
        if option is None:
            pick = rng.permutation([a.stretch_id, b.stretch_id])[0] if plan.kind == "compare" else a.stretch_id
            bouts.append((names[pick], 30, 2, base_relief))
        elif plan.kind == "compare":
            o = plan.option(option)
            extra = difference if option == "A" else 0.0
            bouts.append((names[o.stretch_id], 30, 2, base_relief + extra))
        elif plan.kind == "dose":
            o = plan.option(option)
            extra = difference if option == "A" else 0.0
            bouts.append((names[o.stretch_id], int(o.hold_s), int(o.reps), base_relief + extra))
        else:
            first, second = (a.stretch_id, a.then_id) if option == "A" else (a.then_id, a.stretch_id)
            extra = difference if option == "A" else 0.0
            bouts.append((names[first], 30, 2, base_relief + extra))
            bouts.append((names[second], 30, 2, base_relief))
        for other in OTHER_STRETCHES:
            bouts.append((other, 30, 2, base_relief))
        order = list(range(len(bouts)))
        if plan.kind != "order":
            rng.shuffle(order)
        true = pain
        before = float(np.clip(np.rint(true + rng.normal(0, reading_sd)), 0, 10))
        for k, i in enumerate(order):
            name, hold, reps, rel = bouts[i]
            true = true - rel
            after = float(np.clip(np.rint(true + rng.normal(0, reading_sd)), 0, 10))
            rows.append([day.isoformat(), "19:00", name, "", hold, reps, before if k == 0 else "", after, "", ""])
            before = after

    for i in range(n_days):
        day = start + timedelta(days=i)
        if day in planned:
            if rng.random() < miss:
                missed += 1
                continue
            option = planned[day]
            if rng.random() < swap:
                option = "B" if option == "A" else "A"
                swapped += 1
            session(day, option)
        elif day < plan.start and rng.random() < 0.7:
            session(day, None)
    frame = pd.DataFrame(
        rows,
        columns=["date", "time", "stretch", "side", "hold_s", "reps", "pain_before", "pain_after", "tightness", "notes"],
    )
    for col in ("pain_before", "pain_after"):
        frame[col] = [("" if v == "" else f"{v:g}") for v in frame[col]]
    return SimulatedExperiment(frame.to_csv(index=False, lineterminator="\n"), float(difference), missed, swapped)
