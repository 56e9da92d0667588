"""Charts over time: pain session by session, and the habit calendar.

Public through :mod:`stretchlog.plots`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from stretchlog.model.thresholds import MIN_RATE_DAYS
from stretchlog.plots.style import (
    INK,
    MIN_FONT_PT,
    MUTED,
    OKABE_ITO,
    date_axis,
    get_axes,
    legend_below,
    no_data,
    tidy_axes,
    titles,
)
from stretchlog.trends.pain import MCID_FRACTION as MCID_SHARE
from stretchlog.trends.pain import MCID_POINTS
from stretchlog.words import plural, signed_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["pain_timeline", "habit_calendar"]

#: Sessions per day: colours of 0, 1, 2 and 3+ (one blue, light to dark: readable in grey).
_CAL_COLORS = ["#EBEBEB", "#A9CBE8", "#4A8CC7", "#0B4A86"]
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _weekly(sessions: pd.DataFrame) -> pd.DataFrame:
    """Mean pain before stretching per calendar week (``week_start`` = its Monday)."""
    rated = sessions.loc[sessions["start_pain"].notna(), ["start", "start_pain"]]
    when = pd.to_datetime(rated["start"]).dt.normalize()
    monday = (when - pd.to_timedelta(when.dt.day_of_week, unit="D")).rename("week_start")
    return rated.groupby(monday)["start_pain"].mean().reset_index()


def pain_timeline(sessions: pd.DataFrame, *, trend=None, ax: "Axes | None" = None,
                  title: str = "Is my pain going down over the weeks?") -> "Axes":
    """Pain before and after each session, the weekly average, and the meaningful-change band.

    Every session is a pair of marks joined by a thin line: an orange circle for the
    pain before stretching and a blue triangle for the pain after, so the length of
    the line is that session's relief. The thick black line is the weekly average
    of the pain before stretching. With ``trend``, the grey band is "no meaningful
    change": within 2 points or 30% (whichever is smaller) of the average of the
    first four weeks, the usual minimal clinically important difference for the
    0-10 pain scale; a weekly line below the band is a real improvement, above it
    a real worsening. The subtitle then gives the trend and the first-vs-last
    change in words.

    Parameters
    ----------
    sessions : DataFrame
        From :func:`stretchlog.model.sessions` (``start``, ``start_pain``, ``end_pain``).
    trend : PainOverTime, optional
        From :func:`stretchlog.trends.pain.pain_over_time`: its ``weekly`` table
        (``week_start``, ``start_pain``), verdict and first-vs-last ``change``.
        Without it the weekly average is computed here and no band is drawn.
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from stretchlog.plots import pain_timeline
    >>> s = pd.DataFrame({"start": pd.date_range("2026-01-05", periods=3, freq="3D"),
    ...                   "start_pain": [6.0, 5.0, 4.0], "end_pain": [4.0, 3.0, 3.0]})
    >>> from matplotlib.figure import Figure
    >>> pain_timeline(s, ax=Figure().add_subplot()).get_ylabel()
    'pain (0-10 scale; 0 = none)'
    """
    ax = get_axes(ax, (8.0, 4.6))
    tidy_axes(ax, grid="y")
    subtitle = ("Each session: circle = pain before stretching, triangle = after. "
                "Black line = weekly average before.")
    change = getattr(trend, "change", None)
    if trend is not None and getattr(trend, "verdict", None):
        words = f"Trend: {trend.verdict}"
        if np.isfinite(getattr(trend, "slope_30d", np.nan)):
            words += f", {signed_label(trend.slope_30d)} points a month"
        if change is not None and np.isfinite(change.first_mean) and np.isfinite(change.last_mean):
            words += (f". First 4 weeks {change.first_mean:.1f}, "
                      f"last 4 weeks {change.last_mean:.1f}: {change.judgement}.")
        subtitle += "\n" + words
    titles(ax, title, subtitle, xlabel="date of the session", ylabel="pain (0-10 scale; 0 = none)",
           width=100)
    ax.set_ylim(-0.4, 10.4)
    ax.set_yticks(range(0, 11, 2))
    rated = sessions
    if len(sessions):
        rated = sessions[sessions["start_pain"].notna() | sessions["end_pain"].notna()]
    if rated.empty:
        no_data(ax, "No pain readings yet: rate your pain at the start and the end of a session.")
        date_axis(ax, None)
        return ax
    when = pd.to_datetime(rated["start"])
    start = rated["start_pain"].to_numpy(dtype="float64", na_value=np.nan)
    end = rated["end_pain"].to_numpy(dtype="float64", na_value=np.nan)
    small = len(rated) > 300
    handles = []
    both = np.isfinite(start) & np.isfinite(end)
    ax.vlines(when[both], end[both], start[both], color="#A0A0A0", linewidth=0.8, zorder=2)
    for y, color, marker, label in ((start, OKABE_ITO["orange"], "o", "pain before stretching"),
                                    (end, OKABE_ITO["blue"], "v", "pain after stretching")):
        ax.plot(when, y, linestyle="none", marker=marker, markersize=3.5 if small else 5.5,
                color=color, markeredgecolor="white", markeredgewidth=0.4, zorder=3)
        handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=6, color=color,
                              label=label))
    week = getattr(trend, "weekly", None)
    week = _weekly(rated) if week is None else week
    week = week[week["start_pain"].notna()]
    if len(week) >= 2:
        mid = pd.to_datetime(week["week_start"]) + pd.Timedelta(days=3.5)
        ax.plot(mid, week["start_pain"], color=INK, linewidth=2.4, zorder=4, solid_capstyle="round")
        handles.append(Line2D([], [], color=INK, linewidth=2.4, label="weekly average before"))
    level = getattr(change, "first_mean", np.nan) if change is not None else np.nan
    if np.isfinite(level):
        half = min(MCID_POINTS, MCID_SHARE * level) if level > 0 else MCID_POINTS
        ax.axhspan(level - half, level + half, color="#DADADA", alpha=0.6, zorder=1, linewidth=0)
        ax.axhline(level, color=MUTED, linewidth=1.0, linestyle="--", zorder=1)
        handles.append(Patch(facecolor="#DADADA", edgecolor=MUTED, linestyle="--",
                             label=f"no meaningful change: first 4 weeks ({level:.1f}) "
                                   f"\u00b1 {half:.1f} points"))
    else:
        ax.annotate(f"A meaningful change is {MCID_POINTS:g} points or {MCID_SHARE:.0%}; "
                    + ("the log is too short to judge it yet." if trend is not None
                       else "pass trend= to see the band."),
                    xy=(0, 0), xycoords="axes fraction", xytext=(4, 4), textcoords="offset points",
                    fontsize=MIN_FONT_PT, color=MUTED, style="italic")
    date_axis(ax, when)
    legend_below(ax, handles)
    return ax


def _month_starts(days: pd.DatetimeIndex, first: pd.Timestamp) -> list[tuple[int, pd.Timestamp]]:
    """The week columns that start a month, with a day of that month.

    A week is named after its first day inside the log: the first week after the
    first session (a log that starts on Wednesday 2 December has the Monday of its
    first week in November, but its sessions in December), every later week after
    its Monday.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2026-11-30", periods=14)
    >>> [(i, d.strftime("%b")) for i, d in _month_starts(days, pd.Timestamp("2026-12-02"))]
    [(0, 'Dec')]
    """
    shown = [max(days[i], first) for i in range(0, len(days), 7)]
    return [(i, d) for i, d in enumerate(shown)
            if i == 0 or (d.year, d.month) != (shown[i - 1].year, shown[i - 1].month)]


def habit_calendar(sessions: pd.DataFrame, *, ax: "Axes | None" = None, weeks: int | None = 53,
                   title: str = "How regularly do I stretch?") -> "Axes":
    """Sessions per day as a calendar: one column per week, one row per weekday.

    Like a contribution calendar: a grey square is a day without a session, blue
    squares a day with sessions, darker = more, and the number of sessions is
    written in each square when it is big enough to read (days before the first or
    after the last session of the log stay blank). Each month is named under its
    first week; the first week is named after the month of the first session, so a
    log that starts on Wednesday 2 December reads "Dec", not the November of that
    week's Monday. The subtitle gives the count, the average per week and the
    longest gap.

    Parameters
    ----------
    sessions : DataFrame
        From :func:`stretchlog.model.sessions` (``date`` or ``start``).
    ax : matplotlib Axes, optional
    weeks : int or None
        Show only the last ``weeks`` weeks (default about a year); None shows all.
    title : str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from stretchlog.plots import habit_calendar
    >>> s = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-08"])})
    >>> from matplotlib.figure import Figure
    >>> habit_calendar(s, ax=Figure().add_subplot()).get_ylabel()
    'day of the week'
    """
    dates = sessions["date"] if "date" in sessions else sessions["start"]
    dates = pd.to_datetime(dates).dt.normalize()
    counts = dates.value_counts().sort_index()
    n_weeks = 8
    if len(counts):
        first, last = counts.index.min(), counts.index.max()
        monday = first - pd.Timedelta(days=first.day_of_week)
        n_weeks_all = (last - monday).days // 7 + 1
        if weeks is not None and n_weeks_all > weeks:
            monday = monday + pd.Timedelta(weeks=n_weeks_all - weeks)
        n_weeks = (last - monday).days // 7 + 1
    ax = get_axes(ax, (min(max(0.2 * n_weeks + 2.2, 6.0), 14.0), 3.4))
    tidy_axes(ax, grid=None)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_yticks(range(7), labels=_WEEKDAYS, fontsize=MIN_FONT_PT)
    ax.set_ylim(6.5, -0.5)
    ax.set_xlim(-0.5, n_weeks - 0.5)
    ax.tick_params(length=0)
    if not len(counts):
        titles(ax, title, "Sessions per day.", xlabel="week (month shown at its first week)",
               ylabel="day of the week")
        ax.set_xticks([])
        no_data(ax, "No sessions logged yet.")
        return ax
    days = pd.date_range(monday, monday + pd.Timedelta(weeks=n_weeks) - pd.Timedelta(days=1))
    grid = np.full((7, n_weeks), np.nan)
    value = counts.reindex(days, fill_value=0).to_numpy(dtype="float64")
    inside = (days >= first) & (days <= last)
    col = np.arange(len(days)) // 7
    row = np.asarray(days.day_of_week)
    grid[row[inside], col[inside]] = np.minimum(value[inside], 3)
    cmap = ListedColormap(_CAL_COLORS).with_extremes(bad="white")
    ax.pcolormesh(np.arange(n_weeks + 1) - 0.5, np.arange(8) - 0.5, np.ma.masked_invalid(grid),
                  cmap=cmap, norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], 4),
                  edgecolors="white", linewidth=1.5)
    if n_weeks <= 40:
        for r, c, v in zip(row[inside], col[inside], value[inside]):
            if v > 0:
                ax.text(c, r, f"{int(v)}", ha="center", va="center", fontsize=MIN_FONT_PT,
                        color="white" if v >= 2 else INK)
    if n_weeks <= 40:
        ax.set_aspect("equal")
    starts = _month_starts(days, first)
    ax.set_xticks([i for i, _ in starts],
                  labels=[d.strftime("%b %Y") if (i == 0 or d.month == 1) else d.strftime("%b")
                          for i, d in starts], fontsize=MIN_FONT_PT)
    shown = counts[(counts.index >= monday)]
    gaps = [0]
    if len(counts) > 1:
        gaps = np.diff(counts.index.values).astype("timedelta64[D]").astype(int) - 1
    span = (last - max(first, monday)).days + 1
    scope = f"the last {n_weeks} weeks" if monday > first else plural(n_weeks, "week")
    n_shown = int(shown.sum())
    parts = [f"Sessions per day over {scope}: {plural(n_shown, 'session')}"]
    if span >= MIN_RATE_DAYS:  # a weekly rate over a few days says nothing (as in the habits)
        parts.append(f"{n_shown / span * 7:.1f} a week on average")
    longest = int(max(gaps))
    if longest:
        parts.append(f"longest gap {plural(longest, 'day')}")
    titles(ax, title, ", ".join(parts) + ".",
           xlabel="week (month shown at its first week)", ylabel="day of the week")
    handles = [Patch(facecolor=c, edgecolor="#BBBBBB", label=t)
               for c, t in zip(_CAL_COLORS, ["no session", "1 session", "2 sessions", "3 or more"])]
    legend_below(ax, handles, ncols=4)
    return ax
