"""The cohort overview: who needs a look first, each person's best stretches, and what
helps most people, each person's estimates sharpened by everyone's logs.

:func:`run_cohort` runs the per-log work (:mod:`stretchlog.cohort.run`), fits the
cohort's per-stretch relief distributions (:func:`stretchlog.effects.prior.fit_prior`)
and pools every person's estimates toward them
(:meth:`~stretchlog.effects.relief.ReliefReport.with_prior`): the same numbers
``stretchlog effects LOG --prior COHORT.json`` gives that person with the exported
prior. It returns a :class:`Cohort`, whose tables every surface (terminal, CSV,
JSON, HTML, notebook) reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd

from stretchlog._threads import blas_threads
from stretchlog.cohort.person import LogInput, PersonResult
from stretchlog.cohort.run import Progress, collect_logs, engine_name, read_inputs, run_logs
from stretchlog.effects.prior import MIN_PEOPLE, CohortPrior, fit_prior
from stretchlog.effects.relief import ReliefReport
from stretchlog.model.thresholds import MIN_SESSIONS_FOR_FIGURE
from stretchlog.trends.safety import SEVERITIES
from stretchlog.words import plural

__all__ = ["Cohort", "run_cohort", "cohort_from_results", "TOP_N", "PEOPLE_COLUMNS",
           "STRETCH_COLUMNS", "EFFECT_COLUMNS"]

#: Stretches named per person in the overview.
TOP_N = 3

PEOPLE_COLUMNS = [
    "file", "status", "flag", "n_flags", "sessions", "first_date", "last_date", "top",
    "pain_verdict", "pain_slope", "pain_lo", "pain_hi",
]
STRETCH_COLUMNS = [
    "stretch", "name", "mean", "ci_low", "ci_high", "spread", "share_helped",
    "n_people", "n_helps", "n_tried",
]
EFFECT_COLUMNS = [
    "file", "stretch", "name", "effect", "ci_low", "ci_high", "verdict", "rank",
    "own_effect", "own_ci_low", "own_ci_high", "own_verdict", "n_sessions",
]

#: Flag severity -> order (the stronger first), as the single-log safety check orders them.
_SEVERITY = {sev: i for i, sev in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Cohort:
    """Many people's logs, analysed once: the overview every surface reads.

    Attributes
    ----------
    results : tuple of PersonResult
        One per log, in file-name order (failed logs included, with their problems).
    prior : CohortPrior or None
        The cohort's per-stretch relief distributions; None when no stretch has
        enough people (``prior_note`` says what is missing).
    prior_note : str
        Why there is no prior, in words ("" when there is one).
    today : date
    engine : str
        How the per-log work ran ("this process", "4 local processes", "Dask at ...").

    Tables (DataFrames, computed once on first use): :attr:`people`,
    :attr:`stretches`, :attr:`effects`, :attr:`pain`, :attr:`problems`, :attr:`flags`.
    """

    results: tuple[PersonResult, ...] = field(repr=False)
    prior: CohortPrior | None
    prior_note: str
    today: date
    engine: str = "this process"

    # ------------------------------------------------------------------ counts

    @property
    def ok(self) -> tuple[PersonResult, ...]:
        return tuple(r for r in self.results if r.ok)

    @property
    def failed(self) -> tuple[PersonResult, ...]:
        return tuple(r for r in self.results if not r.ok)

    @cached_property
    def reports(self) -> dict[str, ReliefReport]:
        """Each readable person's relief report, pooled toward the cohort's prior
        (toward their own average when there is no prior), by file name."""
        out = {}
        for r in self.ok:
            if r.relief is not None:
                out[r.file] = r.relief.with_prior(self.prior) if self.prior is not None else r.relief
        return out

    # ------------------------------------------------------------------ tables

    @cached_property
    def people(self) -> pd.DataFrame:
        """One row per log: people with a safety flag first (most serious first), then
        the rest by file name; logs that could not be read last, with status "not read"."""
        rows = []
        for r in self.results:
            if not r.ok:
                rows.append({"file": r.file, "status": "not read", "flag": "", "n_flags": 0,
                             "sessions": 0, "top": "", "pain_verdict": "", "_sev": 9})
                continue
            flags = r.flags  # already most serious first
            rep = self.reports.get(r.file)
            rows.append({
                "file": r.file, "status": "ok", "flag": flags[0].message if flags else "",
                "n_flags": len(flags), "sessions": r.n_sessions, "first_date": r.first_date,
                "last_date": r.last_date, "top": _top(rep),
                "pain_verdict": r.pain_verdict, "pain_slope": r.pain_slope,
                "pain_lo": r.pain_lo, "pain_hi": r.pain_hi,
                "_sev": _SEVERITY.get(flags[0].severity, 5) if flags else 8,
            })
        frame = pd.DataFrame(rows).reindex(columns=PEOPLE_COLUMNS + ["_sev"])
        frame = frame.sort_values(["_sev", "file"], kind="stable").drop(columns="_sev")
        frame["n_flags"] = frame["n_flags"].fillna(0).astype("int64")
        frame["sessions"] = frame["sessions"].fillna(0).astype("int64")
        for c in ("file", "status", "flag", "top", "pain_verdict"):
            frame[c] = frame[c].fillna("").astype("str")
        return frame.reset_index(drop=True)

    @cached_property
    def stretches(self) -> pd.DataFrame:
        """One row per stretch in the prior, most relief first: the cohort's average
        relief per bout with its 95% interval, how much people differ (``spread``, SD),
        the share of people it helps (true relief above 0, from the model),
        ``n_people`` with an estimate, and ``n_helps`` of ``n_tried`` people whose own
        pooled verdict is "helps" or "may help"."""
        if self.prior is None:
            return pd.DataFrame(columns=STRETCH_COLUMNS)
        t = self.prior.table()
        t["ci_low"] = t["mean"] - 1.96 * t["mean_se"]
        t["ci_high"] = t["mean"] + 1.96 * t["mean_se"]
        eff = self.effects
        helps = eff["verdict"].isin(["helps", "may help"]).groupby(eff["stretch"]).sum()
        tried = eff.groupby("stretch").size()
        t["n_helps"] = t["stretch"].map(helps).fillna(0).astype("int64")
        t["n_tried"] = t["stretch"].map(tried).fillna(0).astype("int64")
        return t[STRETCH_COLUMNS].reset_index(drop=True)

    @cached_property
    def effects(self) -> pd.DataFrame:
        """One row per person and stretch: the estimate pooled toward the cohort
        (``effect``, ``ci_low``, ``ci_high``, ``verdict``, ``rank``) beside the person's
        own-log figure (``own_*``), as ``stretchlog effects LOG --prior`` and
        ``stretchlog effects LOG`` show them."""
        frames = []
        for r in self.ok:
            rep = self.reports.get(r.file)
            if rep is None or r.relief is None or rep.effects.empty:
                continue
            pooled = rep.effects
            own = r.relief.effects.set_index("stretch")
            f = pooled[["stretch", "name", "effect", "ci_low", "ci_high", "verdict", "rank", "n_sessions"]].copy()
            for c in ("effect", "ci_low", "ci_high", "verdict"):
                f[f"own_{c}"] = f["stretch"].map(own[c]).to_numpy()
            f.insert(0, "file", r.file)
            frames.append(f)
        if not frames:
            return pd.DataFrame(columns=EFFECT_COLUMNS)
        return pd.concat(frames, ignore_index=True)[EFFECT_COLUMNS]

    @cached_property
    def pain(self) -> pd.DataFrame:
        """Pain week by week per person (long): ``file``, ``week_start``, ``sessions``,
        ``start_pain``."""
        frames = [r.weekly.assign(file=r.file) for r in self.ok if not r.weekly.empty]
        if not frames:
            return pd.DataFrame(columns=["file", "week_start", "sessions", "start_pain"])
        out = pd.concat(frames, ignore_index=True)
        return out[["file"] + [c for c in out.columns if c != "file"]]

    @cached_property
    def flags(self) -> pd.DataFrame:
        """Every safety flag of every person, most serious first."""
        rows = [{"file": r.file, "kind": f.kind, "severity": f.severity, "message": f.message,
                 "advice": f.advice, "first_date": f.first_date, "last_date": f.last_date,
                 "_sev": _SEVERITY.get(f.severity, 5)}
                for r in self.ok for f in r.flags]
        cols = ["file", "kind", "severity", "message", "advice", "first_date", "last_date"]
        if not rows:
            return pd.DataFrame(columns=cols)
        return pd.DataFrame(rows).sort_values(["_sev", "file"], kind="stable")[cols].reset_index(drop=True)

    @cached_property
    def problems(self) -> pd.DataFrame:
        """Logs that could not be read: ``file`` and each ``problem`` as the reader words it."""
        rows = [{"file": r.file, "problem": p} for r in self.failed for p in r.problems]
        return pd.DataFrame(rows, columns=["file", "problem"])

    # ------------------------------------------------------------------ words

    def headline(self) -> str:
        """The overview's first line: how many logs, how many flagged, how many not read."""
        n_ok, n_bad = len(self.ok), len(self.failed)
        n_flag = int((self.people["n_flags"] > 0).sum())
        parts = [f"{plural(n_ok, 'log')} analysed"]
        if n_flag:
            parts.append(f"{plural(n_flag, 'person', 'people')} with a safety flag (listed first)")
        if n_bad:
            parts.append(f"{plural(n_bad, 'file')} could not be read (named below)")
        return "; ".join(parts) + "."

    def to_dict(self) -> dict[str, Any]:
        """Every table as JSON-ready records (shape ``stretchlog.cohort/1``)."""
        import json

        from stretchlog import __version__

        def rec(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))

        return {
            "format": "stretchlog.cohort/1",
            "stretchlog": __version__,
            "today": self.today.isoformat(),
            "headline": self.headline(),
            "people": rec(self.people),
            "stretches": rec(self.stretches),
            "prior_note": self.prior_note,
            "effects": rec(self.effects),
            "flags": rec(self.flags),
            "problems": rec(self.problems),
        }


def _top(rep: ReliefReport | None, n: int = TOP_N) -> str:
    """A person's best stretches with a figure, best first, as "Name +0.8; Name +0.5"."""
    if rep is None or rep.effects.empty:
        return ""
    e = rep.effects
    e = e[e["rank"].notna() & e["verdict"].isin(["helps", "may help"])].head(n)
    return "; ".join(f"{nm} {v:+.1f}" for nm, v in zip(e["name"], e["effect"]))


def cohort_from_results(
    results: Sequence[PersonResult], today: date, *, engine: str = "this process",
    min_people: int = MIN_PEOPLE,
) -> Cohort:
    """Fit the cohort prior from per-log results and build the overview."""
    results = tuple(sorted(results, key=lambda r: r.file))
    fits = [r.relief.fit for r in results if r.ok and r.relief is not None and r.relief.fit is not None]
    prior, note = None, ""
    try:
        prior = fit_prior(fits, made=today, min_people=min_people)
    except ValueError:
        # the logs that could give the fit anything: a stretch in enough sessions (fit_prior's rule)
        n = sum(any(k >= MIN_SESSIONS_FOR_FIGURE for k in f.n_sessions) for f in fits)
        note = (
            f"No stretch has a relief figure from at least {min_people} people yet "
            f"({plural(n, 'log')} with any figure): each person's figures are their own "
            f"log's alone. The cohort summary needs {min_people} people with a stretch in "
            f"at least {MIN_SESSIONS_FOR_FIGURE} sessions each with pain rated before and after."
        )
    return Cohort(results, prior, note, today, engine)


def run_cohort(
    paths: Iterable[str | os.PathLike] | Sequence[LogInput],
    *,
    today: date | None = None,
    jobs: int | None = None,
    scheduler: Any = None,
    progress: Progress | None = None,
    min_people: int = MIN_PEOPLE,
) -> Cohort:
    """Analyse many logs and build the cohort overview.

    Parameters
    ----------
    paths : iterable of paths, or of (file name, bytes)
        Log files and folders (a folder's ``*.csv`` files), or logs already read.
    today : date, optional
        The day "today" refers to for every log (default: the computer's date).
    jobs : int, optional
        Local worker processes (default: every core; 1: in this process).
    scheduler : str or distributed.Client, optional
        Run the per-log work on a Dask cluster instead (same results).
    progress : callable, optional
        ``progress(done, total, file)`` after each log.
    min_people : int
        People with a figure a stretch needs to enter the cohort summary.

    Returns
    -------
    Cohort

    Examples
    --------
    >>> from stretchlog.testing.cohort import simulate_cohort
    >>> sim = simulate_cohort(6, days=40, seed=2)
    >>> logs = [(f, log.csv_text().encode()) for f, log in zip(sim.files, sim.logs)]
    >>> c = run_cohort(logs + [("broken.csv", b"date,stretch\\n")], today=date(2026, 3, 1), jobs=1)
    >>> c.headline()
    '6 logs analysed; 1 person with a safety flag (listed first); 1 file could not be read (named below).'
    """
    items = list(paths)
    if items and isinstance(items[0], tuple):
        logs: list[LogInput] = items  # type: ignore[assignment]
    else:
        logs = read_inputs(collect_logs(items))  # type: ignore[arg-type]
    today = today or date.today()
    blas_threads(1)  # this process pools everyone toward the cohort: small fits here too
    results = run_logs(logs, today, jobs=jobs, scheduler=scheduler, progress=progress)
    engine = engine_name(jobs, len(logs), scheduler)
    return cohort_from_results(results, today, engine=engine, min_people=min_people)

