"""Seeded simulated cohorts: many people's logs whose true effects share a known truth.

Each person's true relief per bout of stretch ``j`` is ``mean_j + u_i + e_ij``: the
cohort's average for the stretch, the person's own shared deviation ``u_i ~ N(0,
person_sd^2)`` and their deviation for that stretch ``e_ij ~ N(0, spread^2)``. Each
person does a random subset of the stretches (their repertoire), logs for a length
drawn from ``days`` and is otherwise simulated by
:func:`stretchlog.testing.simulate.simulate_log` with their own seed. The truths are
returned beside the logs, so tests and benchmarks can check what a cohort fit and a
cohort-pooled estimate recover.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stretchlog.testing.simulate import DEFAULT_EFFECTS, simulate_log
from stretchlog.testing.truth import SimulatedLog

__all__ = ["SimCohort", "simulate_cohort", "person_days", "COHORT_MEANS"]

#: The cohort's average relief per bout of each stretch (points), the default truth.
COHORT_MEANS: dict[str, float] = dict(DEFAULT_EFFECTS)


@dataclass(frozen=True)
class SimCohort:
    """A simulated cohort: one log per person and the truth it was drawn from.

    Attributes
    ----------
    logs : tuple of SimulatedLog
        One per person; ``logs[i].truth.effects`` are person ``i``'s true effects.
    files : tuple of str
        The file name of each person's log (``person-001.csv``, ...).
    means : dict
        The cohort's average relief per stretch.
    spread, person_sd : float
        SD of a person's deviation per stretch, and of their shared deviation.
    """

    logs: tuple[SimulatedLog, ...] = field(repr=False)
    files: tuple[str, ...]
    means: dict[str, float]
    spread: float
    person_sd: float

    def write(self, folder: str | Path) -> list[Path]:
        """Write every log into ``folder`` (created if missing); returns the paths."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, log in zip(self.files, self.logs):
            p = folder / name
            p.write_text(log.csv_text(), encoding="utf-8")
            paths.append(p)
        return paths

    def truth(self, i: int) -> dict[str, float]:
        """Person ``i``'s true relief per bout, by stretch id."""
        return dict(self.logs[i].truth.effects)


def simulate_cohort(
    n_people: int = 30,
    *,
    seed: int = 0,
    days: int | tuple[int, int] = (60, 240),
    means: Mapping[str, float] | None = None,
    spread: float = 0.3,
    person_sd: float = 0.15,
    repertoire: tuple[int, int] = (5, 8),
    deviations: Mapping[int, Mapping[str, float]] | None = None,
    start: str = "2026-01-05",
    **log_options: Any,
) -> SimCohort:
    """Simulate ``n_people`` logs whose true effects scatter around the cohort's.

    Parameters
    ----------
    n_people : int
        People in the cohort.
    seed : int
        The same seed and options give the identical cohort.
    days : int or (int, int)
        Length of each log in days, or the range it is drawn from (inclusive).
    means : dict, optional
        The cohort's average relief per bout by stretch id (default :data:`COHORT_MEANS`).
    spread, person_sd : float
        SD of a person's deviation per stretch, and of their deviation shared by all
        their stretches.
    repertoire : (int, int)
        Range of how many of the stretches each person does.
    deviations : dict, optional
        ``{person index: {stretch id: true effect}}``: people whose truth is set by
        hand (e.g. far from the cohort), overriding the drawn values.
    start : str
        ISO date every log starts on.
    **log_options
        Passed to :func:`~stretchlog.testing.simulate.simulate_log` (style,
        sessions_per_week, reading_sd, ...).

    Returns
    -------
    SimCohort

    Examples
    --------
    >>> c = simulate_cohort(3, days=20, seed=1)
    >>> c.files
    ('person-001.csv', 'person-002.csv', 'person-003.csv')
    >>> len(c.logs[0].truth.effects) >= 5
    True
    """
    means = dict(COHORT_MEANS if means is None else means)
    ids = list(means)
    rng = np.random.default_rng(seed)
    logs = []
    lo, hi = (days, days) if isinstance(days, int) else days
    for i in range(n_people):
        k = int(rng.integers(min(repertoire[0], len(ids)), min(repertoire[1], len(ids)) + 1))
        chosen = sorted(rng.choice(len(ids), size=k, replace=False))
        u = rng.normal(0, person_sd)
        dev = rng.normal(0, spread, len(chosen))
        eff = {ids[j]: float(means[ids[j]] + u + e) for j, e in zip(chosen, dev)}
        if deviations and i in deviations:
            eff.update({s: float(v) for s, v in deviations[i].items()})
        n_days = int(rng.integers(lo, hi + 1))
        person_seed = int(rng.integers(0, 2**31 - 1))
        opts = {"rare": {}, "effects": eff, "start": start} | dict(log_options)
        logs.append(simulate_log(days=n_days, seed=person_seed, **opts))
    files = tuple(f"person-{i + 1:03d}.csv" for i in range(n_people))
    return SimCohort(tuple(logs), files, means, spread, person_sd)


def person_days(cohort: SimCohort) -> Sequence[int]:
    """Days each person's log spans (first to last session, inclusive)."""
    out = []
    for log in cohort.logs:
        d = pd.to_datetime(log.frame["date"])
        out.append(int((d.max() - d.min()).days) + 1 if len(d) else 0)
    return out
