"""Everything ``stretchlog trends`` shows, computed once from a log's bouts.

:func:`trends_report` runs the tightness trends (per stretch and side, per
stretch, per muscle group, the whole log), the needs-more-work list, the
left/right comparison, pain over time, habits and the safety flags, sharing the
session and segment tables between them. :meth:`TrendsReport.tables` gives the
tidy frames by name (what ``--format csv|json`` writes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from stretchlog.log.catalog import Catalog
from stretchlog.model.tables import LogTables, tables_of
from stretchlog.trends.habits import Habits, habits
from stretchlog.trends.pain import PainOverTime, pain_over_time
from stretchlog.trends.safety import SafetyFlag, flags_frame, safety_flags
from stretchlog.trends.sides import side_asymmetry
from stretchlog.trends.tightness import needs_more_work, tightness_levels

__all__ = ["TrendsReport", "trends_report"]


@dataclass(frozen=True)
class TrendsReport:
    """Trends, habits and safety flags of one log.

    Attributes
    ----------
    flags : tuple of SafetyFlag
        Strongest first; empty when nothing is flagged.
    by_stretch_side, by_stretch, by_muscle_group, overall : DataFrame
        :func:`stretchlog.trends.tightness.tightness_trends` at each level.
    needs_more_work : DataFrame
        :func:`stretchlog.trends.tightness.needs_more_work` of ``by_stretch_side``.
    sides : DataFrame
        :func:`stretchlog.trends.sides.side_asymmetry`.
    pain : PainOverTime
    habits : Habits
    """

    flags: tuple[SafetyFlag, ...]
    by_stretch_side: pd.DataFrame = field(repr=False)
    by_stretch: pd.DataFrame = field(repr=False)
    by_muscle_group: pd.DataFrame = field(repr=False)
    overall: pd.DataFrame = field(repr=False)
    needs_more_work: pd.DataFrame = field(repr=False)
    sides: pd.DataFrame = field(repr=False)
    pain: PainOverTime = field(repr=False)
    habits: Habits = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report as tidy frames, one per table, in display order.

        Keys: ``safety_flags``, ``tightness_by_stretch_side``, ``tightness_by_stretch``,
        ``tightness_by_muscle_group``, ``tightness_overall``, ``needs_more_work``,
        ``sides``, ``pain_by_week``, ``pain_trend``, ``sessions_by_week``,
        ``relief_by_time_of_day``, ``habits``.
        """
        return {
            "safety_flags": flags_frame(self.flags),
            "tightness_by_stretch_side": self.by_stretch_side,
            "tightness_by_stretch": self.by_stretch,
            "tightness_by_muscle_group": self.by_muscle_group,
            "tightness_overall": self.overall,
            "needs_more_work": self.needs_more_work,
            "sides": self.sides,
            "pain_by_week": self.pain.weekly,
            "pain_trend": self.pain.to_frame(),
            "sessions_by_week": self.habits.weekly,
            "relief_by_time_of_day": self.habits.by_time_of_day,
            "habits": self.habits.to_frame(),
        }


def trends_report(
    data: LogTables | pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    today=None,
    side_relief: pd.DataFrame | None = None,
) -> TrendsReport:
    """Compute every table of ``stretchlog trends`` for a log.

    Parameters
    ----------
    data : LogTables or DataFrame
        The log's tables (:class:`stretchlog.model.tables.LogTables`, as an
        :class:`~stretchlog.Analysis` holds them), or its bouts as returned by
        :func:`stretchlog.read_log`.
    catalog : Catalog, optional
        For names and muscle groups (default: the built-in catalog).
    today : date-like, optional
        For the streak "as of today" (default: the computer's date).
    side_relief : DataFrame, optional
        Left vs right relief per one-sided stretch from the relief model
        (:attr:`stretchlog.analysis.Analysis.side_relief`); the left/right table shows
        it, so trends and effects give one answer. Without it, relief is left out there.

    Returns
    -------
    TrendsReport

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> r = trends_report(read_log(io.StringIO("date,stretch,hold_s,pain_before,pain_after,tightness\\n"
    ...                                        "2026-11-01,pigeon,45,5,3,6\\n")), today="2026-11-02")
    >>> r.by_stretch_side[["name", "verdict"]].to_numpy().tolist(), r.flags, r.habits.streak_today
    ([['Pigeon pose', 'not enough data']], (), 1)
    >>> list(r.tables())[:3]
    ['safety_flags', 'tightness_by_stretch_side', 'tightness_by_stretch']
    """
    t = tables_of(data, catalog)
    bouts, cat = t.bouts, t.catalog
    levels = tightness_levels(bouts, catalog=cat)
    return TrendsReport(
        flags=safety_flags(t),
        by_stretch_side=levels["stretch_side"],
        by_stretch=levels["stretch"],
        by_muscle_group=levels["muscle_group"],
        overall=levels["all"],
        needs_more_work=needs_more_work(levels["stretch_side"]),
        sides=side_asymmetry(bouts, catalog=cat, side_relief=side_relief),
        pain=pain_over_time(t),
        habits=habits(t, today=today),
    )
