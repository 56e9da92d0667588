"""One log's analysis: every result computed once, on first use, and read from one place.

:func:`analyse` reads a log (or takes one already read) and returns an
:class:`Analysis`. Like a statsmodels results object, its parts are attributes
computed the first time they are read and kept after that: the session and segment
tables, the relief estimates (per stretch and per side), lasting relief, dose,
sessions that mattered, tightness trends, left and right, pain over time, habits,
safety flags, and routines. The routine, the report, the card, every command and
the notebooks read their figures from it, so one question gets one answer
everywhere and nothing is computed twice.

Where data enters and where each part comes from::

    log file --(stretchlog.log.reader)--> bouts
      bouts --(stretchlog.model)--> sessions, segments, summary
      segments --(stretchlog.effects)--> relief, relief_by_side, lasting, dose, meaningful
      sessions, segments --(stretchlog.trends)--> trends (tightness, sides, pain, habits, safety)
      an Analysis --(stretchlog.routine)--> routine(analysis, minutes, flare, seed)

>>> from stretchlog import analyse
>>> a = analyse("data/sample/stretch-log.csv")            # doctest: +SKIP
>>> a.effects.head(3)                                      # doctest: +SKIP
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd

from stretchlog.effects.dose import dose_response
from stretchlog.effects.lasting import lasting_relief
from stretchlog.effects.meaningful import meaningful_sessions
from stretchlog.effects.prior import CohortPrior
from stretchlog.effects.relief import ReliefReport, relief_report
from stretchlog.effects.tables import SIDE_COLUMNS, empty
from stretchlog.effects.verdicts import ranks
from stretchlog.experiment import ExperimentResult, Plan, analyse_experiment, plan_path, read_plan
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.log.reader import LoadedLog, load_log, to_csv_text
from stretchlog.model.summary import LogSummary, summarise
from stretchlog.model.tables import LogTables
from stretchlog.trends.report import TrendsReport, trends_report
from stretchlog.trends.tightness import tightness_curve

__all__ = ["Analysis", "analyse", "FORMAT"]

#: The name and version of the shape :meth:`Analysis.to_dict` returns.
FORMAT = "stretchlog.analysis/2"


class Analysis:
    """Everything stretchlog learns from one log, each part computed once on first use.

    Build one with :func:`analyse`. Parts are plain attributes (tidy DataFrames or
    small frozen dataclasses); reading one the second time costs nothing.

    Attributes
    ----------
    log : LoadedLog
        The log as read: ``bouts``, ``warnings``, ``source``.
    bouts : DataFrame
        One row per bout (see :func:`stretchlog.log.reader.read_log`).
    catalog : Catalog
    today : date
        The day "today" refers to (streaks, "made on", how old the log is).
    prior : CohortPrior or None
        A cohort's summary the relief estimates are pooled toward (``--prior``), or None
        (pooled toward the person's own average).
    tables : LogTables
        The bouts with the tables every part reads, each built once
        (:class:`stretchlog.model.tables.LogTables`); the effects and trends functions
        take it in place of a bouts frame.
    sessions, segments : DataFrame
        :func:`stretchlog.model.sessions.sessions`, :func:`stretchlog.model.segments.segments`
        (from ``tables``).
    summary : LogSummary
        The log at a glance.
    names : dict
        Stretch id -> the name shown.
    relief, relief_by_side : ReliefReport
        :func:`stretchlog.effects.relief.relief_report` per stretch, and per stretch and side.
    effects, effects_by_side : DataFrame
        Their per-stretch tables.
    side_relief : DataFrame
        Left vs right relief per one-sided stretch: the one answer to "does one side
        get more relief?" (from ``relief_by_side``).
    lasting, dose, meaningful : DataFrame
        :func:`~stretchlog.effects.lasting.lasting_relief`,
        :func:`~stretchlog.effects.dose.dose_response`,
        :func:`~stretchlog.effects.meaningful.meaningful_sessions`.
    trends : TrendsReport
        Tightness at each level, needs more work, left and right, pain over time,
        habits and safety flags; also as ``tightness``, ``needs_more_work``, ``sides``,
        ``pain``, ``habits``, ``safety``.

    Examples
    --------
    >>> import io
    >>> a = analyse(io.StringIO("date,stretch,hold_s,pain_before,pain_after\\n2026-11-01,pigeon,45,5,3\\n"),
    ...             today=date(2026, 11, 2))
    >>> a.summary.n_sessions, a.effects["evidence"].tolist()
    (1, ['cannot separate'])
    >>> a.sessions is a.sessions  # computed once, then kept
    True
    """

    def __init__(
        self, log: LoadedLog, *, catalog: Catalog | None = None, today: date | None = None,
        prior: CohortPrior | None = None,
    ) -> None:
        self.log = log
        self.prior = prior
        self.tables = LogTables(log.bouts, catalog)
        self.today = today or date.today()
        self._memo: dict[tuple, Any] = {}
        self._curves: dict[str, pd.DataFrame] = {}

    def __repr__(self) -> str:
        return f"<Analysis of {self.log.source}: {len(self.bouts)} bouts>"

    # ----------------------------------------------------------------- the log and its tables

    @property
    def bouts(self) -> pd.DataFrame:
        return self.log.bouts

    @property
    def source(self) -> str:
        return self.log.source

    @property
    def catalog(self) -> Catalog:
        return self.tables.catalog

    @property
    def sessions(self) -> pd.DataFrame:
        return self.tables.sessions

    @property
    def segments(self) -> pd.DataFrame:
        return self.tables.segments

    @property
    def names(self) -> dict[str, str]:
        return self.tables.names

    @cached_property
    def summary(self) -> LogSummary:
        return summarise(self.log, self.tables)

    # ----------------------------------------------------------------- relief

    @cached_property
    def relief(self) -> ReliefReport:
        return relief_report(self.tables, prior=self.prior)

    @cached_property
    def relief_by_side(self) -> ReliefReport:
        """Relief per stretch and side. A stretch never split by side is the same question
        as in :attr:`relief`, so its row is :attr:`relief`'s (one answer, one evidence label)."""
        rep = self._by_side_fit
        return replace(rep, effects=_one_answer(rep.effects, self.effects))

    @cached_property
    def _by_side_fit(self) -> ReliefReport:
        return relief_report(self.tables, by_side=True, prior=self.prior)

    @property
    def effects(self) -> pd.DataFrame:
        return self.relief.effects

    @property
    def effects_by_side(self) -> pd.DataFrame:
        return self.relief_by_side.effects

    @cached_property
    def side_relief(self) -> pd.DataFrame:
        if not self.bouts["side"].astype("str").isin(["left", "right"]).any():
            return empty(SIDE_COLUMNS)  # nothing one-sided: no fit at all
        return self._by_side_fit.sides

    @cached_property
    def harmful(self) -> frozenset[str]:
        """Ids of the stretches the log shows make pain worse: surely no relief, the pain
        goes up after them (the effects' ``harmful`` flag, or the verdict "makes it worse").

        What the routine leaves out, the logger warns about and a self-experiment plan
        refuses: one rule for all three.
        """
        eff = self.effects
        if eff.empty:
            return frozenset()
        worse = eff["verdict"].astype(str).eq("makes it worse") | eff["harmful"].astype(bool)
        return frozenset(str(s) for s in eff.loc[worse, "stretch"])

    @cached_property
    def lasting(self) -> pd.DataFrame:
        return lasting_relief(self.tables)

    @cached_property
    def dose(self) -> pd.DataFrame:
        return dose_response(self.tables)

    @cached_property
    def meaningful(self) -> pd.DataFrame:
        return meaningful_sessions(self.tables)

    # ----------------------------------------------------------------- trends

    @cached_property
    def trends(self) -> TrendsReport:
        return trends_report(self.tables, today=self.today, side_relief=self.side_relief)

    @property
    def tightness(self) -> pd.DataFrame:
        return self.trends.by_stretch_side

    @property
    def needs_more_work(self) -> pd.DataFrame:
        return self.trends.needs_more_work

    @property
    def sides(self) -> pd.DataFrame:
        return self.trends.sides

    @property
    def pain(self):
        return self.trends.pain

    @property
    def habits(self):
        return self.trends.habits

    @property
    def safety(self):
        return self.trends.flags

    def tightness_curve(self, by: str = "stretch_side") -> pd.DataFrame:
        """The smoothed tightness curve for charts (kept per level)."""
        if by not in self._curves:
            self._curves[by] = tightness_curve(self.bouts, by=by, catalog=self.catalog)  # type: ignore[arg-type]
        return self._curves[by]

    # ----------------------------------------------------------------- parts of the layers above

    # ----------------------------------------------------------------- self-experiment

    @cached_property
    def plan(self) -> Plan | None:
        """The self-experiment plan beside the log (``LOG.plan.csv``), or None.

        Raises :class:`~stretchlog.experiment.PlanError` for a plan file that breaks
        its format (never silently ignored).
        """
        path = plan_path(self.source) if self.source and not self.source.startswith("<") else None
        if path is None or not path.is_file():
            return None
        return read_plan(path)

    def experiment_for(self, plan: Plan) -> ExperimentResult:
        """The answer of ``plan`` on this log (kept per plan)."""
        key = ("experiment", plan.kind, plan.a, plan.b, plan.seed, plan.start, plan.n_days)
        return self.memo(
            key, lambda: analyse_experiment(plan, self.bouts, self.sessions, self.today)
        )

    @property
    def experiment(self) -> ExperimentResult | None:
        """The answer of the plan beside the log so far, or None without a plan."""
        return None if self.plan is None else self.experiment_for(self.plan)

    def memo(self, key: tuple, compute):
        """A part of a layer above (a routine, say), computed once per ``key`` and kept.

        The layers above (:mod:`stretchlog.routine`) keep what they build on the
        analysis through this, so the analysis never imports them and every surface
        that asks for the same routine of the same log reads the same one.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # ----------------------------------------------------------------- machine-readable

    def to_dict(self) -> dict[str, Any]:
        """Every table and claim of the analysis as JSON-ready data (shape :data:`FORMAT`).

        Tables are lists of records (NaN as None, dates as ISO text); notes and
        findings are text, as the terminal shows them.
        """
        from stretchlog import __version__

        rel = self.relief
        return {
            "format": FORMAT,
            "stretchlog": __version__,
            "log": {"source": os.path.basename(self.source), "bouts": len(self.bouts),
                    "sessions": self.summary.n_sessions, "first_date": self.summary.first_date,
                    "last_date": self.summary.last_date, "warnings": [{"row": w.row, "column": w.column, "value": w.value, "note": w.expected}
                                 for w in self.log.warnings]},
            "effects": records(self.effects),
            "effects_by_side": records(self.effects_by_side),
            "side_relief": records(self.side_relief),
            "inseparable": records(rel.groups),
            "adjustments": records(rel.model),
            "notes": list(rel.notes),
            "lasting": records(self.lasting),
            "dose": records(self.dose),
            "meaningful": records(self.meaningful),
            "trends": {name: records(frame) for name, frame in self.trends.tables().items()},
            "experiment": self._experiment_dict(),
            "prior": None if self.prior is None else {
                "source": self.prior.source, "made": self.prior.made,
                "n_people": self.prior.n_people},
        }

    def _experiment_dict(self) -> dict[str, Any] | None:
        """The self-experiment beside the log, or None (a broken plan file: its problems)."""
        from stretchlog.experiment import PlanError

        try:
            result = self.experiment
        except PlanError as exc:
            return {"error": [str(p) for p in exc.problems]}
        return None if result is None else result.to_dict()


def _one_answer(by_side: pd.DataFrame, per_stretch: pd.DataFrame) -> pd.DataFrame:
    """``by_side`` with the rows of stretches done only on both sides taken from ``per_stretch``,
    ranked again as :func:`~stretchlog.effects.relief.relief_report` ranks (:func:`~stretchlog.effects.verdicts.ranks`)."""
    if by_side.empty:
        return by_side
    split = set(by_side.loc[by_side["side"].isin(["left", "right"]), "stretch"])
    whole = by_side["side"].eq("both") & ~by_side["stretch"].isin(split)
    same = per_stretch.set_index("stretch")
    out = by_side.copy()
    cols = [c for c in by_side.columns if c in same.columns and c not in ("stretch", "name", "rank")]
    rows = out.index[whole & out["stretch"].isin(same.index)]
    for c in cols:
        out.loc[rows, c] = same.loc[out.loc[rows, "stretch"], c].to_numpy()
    out["rank"] = ranks(out)
    return out.sort_values(["rank", "n_bouts"], ascending=[True, False], na_position="last",
                           kind="stable").reset_index(drop=True)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready records: NaN/NA as None, timestamps as ISO dates."""
    import json

    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))


def analyse(
    log: Any, *, catalog: Catalog | None = None, today: date | None = None,
    prior: CohortPrior | None = None,
) -> Analysis:
    """Analyse one log: an :class:`Analysis` whose parts are computed on first use.

    Parameters
    ----------
    log : path, file-like, LoadedLog, DataFrame or None
        A log file (path or open text), a log already read
        (:func:`stretchlog.log.reader.load_log`), the bouts frame of one
        (:func:`stretchlog.read_log`), or None for a person with no log yet.
    catalog : Catalog, optional
        Default: the built-in catalog.
    today : date, optional
        The day "today" refers to (default: the computer's date).
    prior : CohortPrior, optional
        What a cohort's logs show per stretch (:func:`stretchlog.read_prior`, from
        ``stretchlog cohort --export-prior``): the relief estimates lean on it as far as
        this log's own evidence is weak.

    Raises
    ------
    stretchlog.LogError
        For a log file that breaks the format (every problem listed).

    Examples
    --------
    >>> a = analyse(None, today=date(2026, 1, 1))
    >>> len(a.bouts), a.summary.n_sessions
    (0, 0)
    """
    if not isinstance(log, LoadedLog) and catalog is None:
        catalog = load_catalog()  # once, for the reader and the analysis
    if isinstance(log, LoadedLog):
        loaded = log
    elif log is None:
        loaded = load_log(io.StringIO("date,stretch,hold_s\n"), catalog=catalog)
    elif isinstance(log, pd.DataFrame):
        loaded = LoadedLog(bouts=log, warnings=(), source="<bouts>") if "session_id" in log.columns else (
            load_log(io.StringIO(to_csv_text(log)), catalog=catalog))
    else:
        loaded = load_log(log, catalog=catalog)
    return Analysis(loaded, catalog=catalog, today=today, prior=prior)
