"""What many people's logs show about each stretch, as a prior for one person's log.

A cohort (a clinic's clients, a study's participants) is summarised per stretch by
a random-effects model of its relief across people::

    true relief of stretch j for person i  =  m_j  +  u_i  +  e_ij
    u_i  ~ N(0, person_sd^2)            (some people get more from every stretch)
    e_ij ~ N(0, spread_j^2 - person_sd^2)

fitted from each person's own estimates ``b_i`` (the regression's, before any
pooling) and their covariance ``V_i``. Per stretch, ``m_j`` and ``spread_j`` come
from a random-effects meta-analysis of the people who did it (statsmodels'
:func:`~statsmodels.stats.meta_analysis.combine_effects`, Paule-Mandel), so a person
with a short log counts for little; ``person_sd`` from the cross-products of the
people's deviations (a moment estimator, kept below every stretch's spread).

The summary holds only these per-stretch distributions and counts, no one's rows
or estimates, so it can be handed to a new user: :meth:`CohortPrior.posterior`
combines their own estimates with it. Each estimate is pulled toward the cohort by
exactly as much as their own evidence is weak (a normal prior and a normal
likelihood: the posterior mean is ``m + S (S + V)^-1 (b - m)``): with two weeks of
logs they lean on the cohort; with a year of their own they stand on it, even
where they differ from everyone else.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stretchlog.log.errors import LogError, Problem
from stretchlog.model.thresholds import MIN_SESSIONS_FOR_FIGURE

__all__ = [
    "PRIOR_FORMAT",
    "MIN_PEOPLE",
    "MIN_SPREAD",
    "TAIL_DF",
    "PersonFit",
    "StretchPrior",
    "CohortPrior",
    "PriorError",
    "fit_prior",
    "read_prior",
    "write_prior",
]

#: The name and version of the prior file's shape.
PRIOR_FORMAT = "stretchlog.prior/1"
#: A stretch enters the prior only when at least this many people have an estimate of it.
MIN_PEOPLE = 5
#: The least between-people spread a stretch keeps (points per bout): a small cohort
#: can estimate a spread of exactly 0, which would let the cohort overrule anyone.
MIN_SPREAD = 0.1
#: Degrees of freedom of the heavy tails the prior is given (a Student-t prior, approximated
#: by widening the normal one): someone far from the cohort with a lot of evidence of their
#: own is not pulled toward it. A normal prior pulled people 1.5 points from the cohort by
#: about one posterior SD even with a year of logs (their intervals covered the truth 0.87).
TAIL_DF = 4.0
#: Two sides of one stretch, in one person, share this share of the person's deviation
#: from the cohort (an assumption: a cohort fit per stretch cannot see sides).
SIDE_SHARE = 0.5


class PriorError(LogError):
    """A cohort summary file that cannot be used (each problem names the field)."""


@dataclass(frozen=True)
class PersonFit:
    """One person's own relief estimates, before any pooling (what a cohort fit needs).

    Attributes
    ----------
    units : tuple of str
        Stretch ids (or ``"id|side"``) with an estimate.
    b : ndarray
        The estimates, relief per bout in points.
    V : ndarray
        Their covariance.
    df : int
        Degrees of freedom of the person's fit (for t intervals).
    n_sessions : tuple of int
        Sessions behind each estimate.
    names : dict
        Stretch id -> the name shown.
    """

    units: tuple[str, ...]
    b: np.ndarray = field(repr=False)
    V: np.ndarray = field(repr=False)
    df: int = 1
    n_sessions: tuple[int, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class StretchPrior:
    """The cohort's picture of one stretch.

    Attributes
    ----------
    stretch, name : str
        Id and name shown.
    mean : float
        Average relief per bout across people (points; positive = less pain).
    mean_se : float
        Standard error of that average.
    spread : float
        How much the true relief differs between people (SD, points per bout).
    n_people : int
        People whose logs estimate it.
    """

    stretch: str
    name: str
    mean: float
    mean_se: float
    spread: float
    n_people: int

    @property
    def share_helped(self) -> float:
        """Share of people whose true relief is above 0 (under the normal model)."""
        from scipy.stats import norm

        sd = math.sqrt(self.spread**2 + self.mean_se**2)
        return float(norm.cdf(self.mean / sd)) if sd > 0 else float(self.mean > 0)


@dataclass(frozen=True)
class CohortPrior:
    """Per-stretch relief distributions across a cohort: a prior for one person's log.

    Build one with :func:`fit_prior`; save and load it with :func:`write_prior` and
    :func:`read_prior`.

    Attributes
    ----------
    stretches : tuple of StretchPrior
    person_sd : float
        SD of a person's shared deviation from the cohort (across all stretches).
    new_mean, new_sd : float
        The prior of a stretch the cohort has too few people for: the average of the
        stretches' means, and their spread plus the typical between-people spread.
    n_people : int
        People in the cohort with at least one estimate.
    made : str
        ISO date the summary was made.
    source : str
        Where it was read from (file name only), or "".
    """

    stretches: tuple[StretchPrior, ...]
    person_sd: float
    new_mean: float
    new_sd: float
    n_people: int
    made: str
    source: str = ""

    def table(self) -> pd.DataFrame:
        """One row per stretch: ``stretch``, ``name``, ``mean``, ``mean_se``,
        ``spread``, ``n_people``, ``share_helped``."""
        rows = [asdict(s) | {"share_helped": s.share_helped} for s in self.stretches]
        cols = ["stretch", "name", "mean", "mean_se", "spread", "n_people", "share_helped"]
        return pd.DataFrame(rows, columns=cols)

    def get(self, stretch: str) -> StretchPrior | None:
        return self._by_id.get(stretch)

    @cached_property
    def _by_id(self) -> dict[str, StretchPrior]:
        return {s.stretch: s for s in self.stretches}

    def prior_for(self, units: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Prior mean and covariance of the true relief of ``units`` for one new person.

        ``units`` are stretch ids or ``"id|side"``. Every pair shares the person's
        deviation (``person_sd``); two sides of one stretch also share the error of
        the cohort's mean and half of the person's own deviation for that stretch.
        """
        by_id = self._by_id
        base = [u.split("|")[0] for u in units]
        p = len(units)
        m = np.empty(p)
        spread = np.empty(p)
        mse = np.empty(p)
        for k, s in enumerate(base):
            sp = by_id.get(s)
            if sp is None:
                m[k], spread[k], mse[k] = self.new_mean, self.new_sd, 0.0
            else:
                m[k], spread[k], mse[k] = sp.mean, sp.spread, sp.mean_se
        u2 = min(self.person_sd**2, float(np.min(spread**2)) if p else 0.0)
        S = np.full((p, p), u2)
        same = np.equal.outer(np.array(base, dtype=object), np.array(base, dtype=object))
        own = (spread**2 - u2)
        S += same * (SIDE_SHARE * np.sqrt(np.outer(own, own)) + np.sqrt(np.outer(mse**2, mse**2)))
        np.fill_diagonal(S, spread**2 + mse**2)
        return m, (S + S.T) / 2

    def posterior(self, units: Sequence[str], b: np.ndarray, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and covariance of ``units``' relief given one person's estimates.

        ``b ~ N(beta, V)`` (their own fit) and ``beta ~ N(m, S)`` (:meth:`prior_for`):
        ``mean = m + S (S + V)^-1 (b - m)``, ``cov = S - S (S + V)^-1 S``; ``S`` widened
        first for estimates far from the cohort (heavy tails, :data:`TAIL_DF`), so strong
        evidence that a person differs is not pulled back.

        Examples
        --------
        >>> pr = CohortPrior((StretchPrior("a", "A", 1.0, 0.05, 0.3, 40),), 0.0, 1.0, 0.5, 40, "2026-01-01")
        >>> mean, cov = pr.posterior(["a"], np.array([1.4]), np.array([[0.09]]))
        >>> round(float(mean[0]), 2)  # about halfway: own evidence as strong as the cohort's
        1.2
        """
        if len(units) == 0:
            return np.zeros(0), np.zeros((0, 0))
        m, S = self.prior_for(units)
        V = (V + V.T) / 2
        # Heavy tails: a Student-t prior is a normal whose variance is drawn from a scale
        # mixture; one step of its EM weight, (df + z^2) / (df + 1) with z the estimate's
        # distance from the cohort in its own total SDs, widens the prior of a stretch the
        # person's evidence clearly puts elsewhere (never narrows it below the cohort's).
        z2 = (b - m) ** 2 / (np.diag(S) + np.diag(V))
        scale = np.sqrt(np.maximum(1.0, (TAIL_DF + z2) / (TAIL_DF + 1.0)))
        S = S * np.outer(scale, scale)
        A = S + V
        gain = np.linalg.solve(A, np.column_stack([b - m, S]))
        mean = m + S @ gain[:, 0]
        cov = S - S @ gain[:, 1:]
        return mean, (cov + cov.T) / 2

    def describe(self) -> str:
        """One sentence on what the prior is, for notes under a table."""
        src = f" ({self.source})" if self.source else ""
        return (
            f"These figures combine your own log with what {self.n_people} people's logs show"
            f"{src}, made {self.made}: where your own log is short they lean on the cohort, "
            "and they move to your own as your log grows."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PRIOR_FORMAT,
            "made": self.made,
            "n_people": self.n_people,
            "person_sd": self.person_sd,
            "new_stretch": {"mean": self.new_mean, "sd": self.new_sd},
            "stretches": [asdict(s) for s in self.stretches],
            "about": (
                "Per-stretch relief across a cohort (points per bout on the 0-10 scale; "
                "positive = less pain): the average, its standard error, how much people "
                "differ (SD) and how many people. No one's log rows or estimates are in it."
            ),
        }


# ------------------------------------------------------------------------------- fitting


def _estimates(fits: Sequence[PersonFit]) -> pd.DataFrame:
    """Long frame person, stretch, effect, var of the per-stretch estimates a fit may use."""
    rows = []
    for i, f in enumerate(fits):
        n_s = f.n_sessions or (MIN_SESSIONS_FOR_FIGURE,) * len(f.units)
        for k, u in enumerate(f.units):
            v = float(f.V[k, k])
            if "|" in u or not np.isfinite(f.b[k]) or not np.isfinite(v) or v <= 0:
                continue
            if n_s[k] < MIN_SESSIONS_FOR_FIGURE:
                continue
            rows.append((i, u, k, float(f.b[k]), v))
    return pd.DataFrame(rows, columns=["person", "stretch", "k", "effect", "var"])


def fit_prior(
    fits: Iterable[PersonFit],
    *,
    made: date | str | None = None,
    names: Mapping[str, str] | None = None,
    min_people: int = MIN_PEOPLE,
) -> CohortPrior:
    """Fit the cohort's per-stretch relief distributions from people's own estimates.

    Parameters
    ----------
    fits : iterable of PersonFit
        One per person (per-stretch fits, not per side), e.g. ``ReliefReport.fit``.
    made : date or str, optional
        The day the summary is made (default: today).
    names : dict, optional
        Stretch id -> name shown (default: the names the fits carry).
    min_people : int
        People with an estimate a stretch needs to enter the prior.

    Returns
    -------
    CohortPrior

    Raises
    ------
    ValueError
        When no stretch has ``min_people`` people with an estimate.

    Notes
    -----
    Time grows linearly with the number of people: one meta-analysis per stretch over
    the people who did it, and one pass over each person's pairs of stretches.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> fits = [PersonFit(("a", "b"), np.array([1.0, 0.2]) + rng.normal(0, 0.2, 2),
    ...                   np.diag([0.04, 0.04]), 30, (10, 10)) for _ in range(20)]
    >>> pr = fit_prior(fits, made="2026-01-01")
    >>> [round(s.mean, 1) for s in pr.stretches], pr.n_people
    ([0.9, 0.2], 20)
    """
    from statsmodels.stats.meta_analysis import combine_effects

    fits = list(fits)
    est = _estimates(fits)
    all_names: dict[str, str] = {}
    for f in fits:
        all_names.update(f.names)
    all_names.update(names or {})
    stretches: list[StretchPrior] = []
    for sid, g in est.groupby("stretch", sort=True):
        if g["person"].nunique() < min_people:
            continue
        eff = g["effect"].to_numpy(float)
        var = g["var"].to_numpy(float)
        # identical estimates make statsmodels' I^2 divide by zero (a harmless warning)
        with np.errstate(divide="ignore", invalid="ignore"):
            res = combine_effects(eff, var, method_re="iterated")
        spread = max(math.sqrt(max(float(res.tau2), 0.0)), MIN_SPREAD)
        w = 1.0 / (var + spread**2)
        mean = float((w * eff).sum() / w.sum())
        stretches.append(StretchPrior(
            stretch=str(sid), name=all_names.get(str(sid), str(sid)), mean=mean,
            mean_se=float(math.sqrt(1.0 / w.sum())), spread=spread, n_people=int(len(g)),
        ))
    if not stretches:
        raise ValueError(
            f"no stretch has estimates from at least {min_people} people: the cohort is too "
            "small (or its logs too short) to summarise"
        )
    stretches.sort(key=lambda s: (-s.mean, s.stretch))
    person_sd = _person_sd(fits, est, {s.stretch: s for s in stretches})
    means = np.array([s.mean for s in stretches])
    spreads = np.array([s.spread for s in stretches])
    new_sd = math.sqrt((means.var(ddof=1) if len(means) > 1 else 0.25) + float(np.mean(spreads**2)))
    people = int(est["person"].nunique())
    made = made or date.today()
    return CohortPrior(
        stretches=tuple(stretches), person_sd=person_sd, new_mean=float(means.mean()),
        new_sd=new_sd, n_people=people, made=str(made),
    )


def _person_sd(fits: Sequence[PersonFit], est: pd.DataFrame, prior: Mapping[str, StretchPrior]) -> float:
    """Moment estimate of the SD people share across stretches (0 when it cannot be told).

    For one person, the deviations of two stretches from the cohort's means covary by
    ``person_sd^2`` plus the covariance of their estimates; the weighted average of
    the cross-products less that covariance estimates it.
    """
    num = den = 0.0
    est = est[est["stretch"].isin(prior)]
    for person, g in est.groupby("person", sort=False):
        if len(g) < 2:
            continue
        f = fits[int(person)]
        k = g["k"].to_numpy(int)
        r = g["effect"].to_numpy(float) - np.array([prior[s].mean for s in g["stretch"]])
        tot = g["var"].to_numpy(float) + np.array([prior[s].spread ** 2 for s in g["stretch"]])
        Vk = f.V[np.ix_(k, k)]
        iu = np.triu_indices(len(k), 1)
        w = 1.0 / np.outer(tot, tot)[iu]
        num += float((w * (np.outer(r, r) - Vk)[iu]).sum())
        den += float(w.sum())
    if den == 0:
        return 0.0
    u2 = max(num / den, 0.0)
    cap = 0.9 * min(s.spread for s in prior.values()) ** 2
    return float(math.sqrt(min(u2, cap)))


# ------------------------------------------------------------------------------- file


def write_prior(prior: CohortPrior, path: str | os.PathLike) -> Path:
    """Write the prior as JSON (atomically: a reader never sees half a file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(prior.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def _num(d: Mapping[str, Any], key: str, where: str, problems: list[Problem], *, low: float | None = None) -> float:
    v = d.get(key)
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and (low is None or v >= low)
    if not ok:
        want = "a number" + ("" if low is None else f" of at least {low:g}")
        problems.append(Problem(row=None, column=f"{where}{key}", value=str(v), expected=want))
        return float("nan")
    return float(v)


def _fail(path: Path, problems: list[Problem]) -> PriorError:
    return PriorError(problems, source=path.name)


def read_prior(path: str | os.PathLike) -> CohortPrior:
    """Read a prior written by :func:`write_prior` (``stretchlog cohort --export-prior``).

    Raises
    ------
    PriorError
        For a file that is not a stretchlog cohort summary; every problem names the
        field, its value and what was expected.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path, [Problem(row=None, column="file", value=path.name,
                                  expected="an existing cohort summary file")]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, [Problem(row=None, column="file", value=path.name,
                                  expected=f"JSON written by 'stretchlog cohort --export-prior' ({exc})")]) from None
    problems: list[Problem] = []
    if not isinstance(data, dict) or data.get("format") != PRIOR_FORMAT:
        got = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise _fail(path, [Problem(row=None, column="format", value=str(got),
                                  expected=f"{PRIOR_FORMAT!r} (a file from 'stretchlog cohort --export-prior')")])
    rows = data.get("stretches")
    if not isinstance(rows, list) or not rows:
        problems.append(Problem(row=None, column="stretches", value=str(rows)[:40],
                                expected="a non-empty list of per-stretch distributions"))
        rows = []
    stretches = []
    for i, r in enumerate(rows):
        where = f"stretches[{i}]."
        if not isinstance(r, dict) or not isinstance(r.get("stretch"), str) or not r.get("stretch"):
            problems.append(Problem(row=None, column=f"{where}stretch", value=str(r)[:40],
                                    expected="a stretch id (text)"))
            continue
        n = r.get("n_people")
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            problems.append(Problem(row=None, column=f"{where}n_people", value=str(n),
                                    expected="a whole number of at least 1"))
            n = 0
        stretches.append(StretchPrior(
            stretch=r["stretch"], name=str(r.get("name") or r["stretch"]),
            mean=_num(r, "mean", where, problems), mean_se=_num(r, "mean_se", where, problems, low=0),
            spread=_num(r, "spread", where, problems, low=MIN_SPREAD), n_people=int(n),
        ))
    new = data.get("new_stretch") if isinstance(data.get("new_stretch"), dict) else {}
    person_sd = _num(data, "person_sd", "", problems, low=0)
    new_mean = _num(new, "mean", "new_stretch.", problems)
    new_sd = _num(new, "sd", "new_stretch.", problems, low=MIN_SPREAD)
    n_people = data.get("n_people")
    if not isinstance(n_people, int) or isinstance(n_people, bool) or n_people < 1:
        problems.append(Problem(row=None, column="n_people", value=str(n_people),
                                expected="a whole number of at least 1"))
        n_people = 0
    if problems:
        raise _fail(path, problems)
    return CohortPrior(
        stretches=tuple(stretches), person_sd=person_sd, new_mean=new_mean, new_sd=new_sd,
        n_people=int(n_people), made=str(data.get("made") or ""), source=path.name,
    )
