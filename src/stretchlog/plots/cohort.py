"""Cohort charts: which stretches help most people, and each person's pain over the weeks.

Public through :mod:`stretchlog.plots`. Both read a :class:`stretchlog.cohort.Cohort`
(its ``stretches``, ``people`` and ``pain`` tables); both draw a readable note in
the axes instead of raising when the cohort has nothing to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from stretchlog.model.thresholds import FELT_RELIEF
from stretchlog.plots.style import (
    INK,
    MIN_FONT_PT,
    MUTED,
    OKABE_ITO,
    SOFT_BAND,
    display_names,
    get_axes,
    no_data,
    spaced_ticks,
    tidy_axes,
    titles,
    wrap,
)
from stretchlog.trends.safety import HIGH_PAIN
from stretchlog.words import plural, signed_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_cohort_stretches", "plot_cohort_pain", "forest_size", "MIDDLE_80", "COHORT_XLABEL"]

#: Most people's own relief lies within this many spreads (SDs) of the average: the
#: middle 80% of a normal distribution (10% of people get less, 10% more).
MIDDLE_80 = 1.2816

COHORT_XLABEL = "relief per bout (points on the 0-10 scale; right = less pain)"

#: The cohort forest is drawn narrow, so that a phone shows it at a readable size.
_FOREST_WIDTH_IN = 4.3
#: Characters of subtitle per line at that width.
_FOREST_TEXT = 50
#: Height of one stretch's row (inches): its name, its figures, its marks.
_ROW_IN = 0.8
#: The pale band of people's own relief, and the dark line of the average's interval.
_PEOPLE_BAND = "#BFDDF2"
_AVERAGE = OKABE_ITO["blue"]
_FLAG = OKABE_ITO["vermillion"]
#: A white ground under a row's words, so the bands and lines behind them do not cut them.
_CLEAR = dict(boxstyle="square,pad=0.15", facecolor="white", edgecolor="none", alpha=0.9)

#: Pain trend verdict -> one word for a panel's title.
_TREND_WORD = {
    "improving": "improving",
    "worsening": "worsening",
    "flat": "no clear change",  # as the trends and cohort commands word it
    "not enough data": "too little data",
}


def _stretches_of(cohort: Any) -> pd.DataFrame:
    """The stretches table of a Cohort (or a frame of the same columns), most relief first."""
    frame = getattr(cohort, "stretches", cohort)
    if not isinstance(frame, pd.DataFrame) or frame.empty or "mean" not in frame:
        return pd.DataFrame(columns=["stretch", "name", "mean", "ci_low", "ci_high", "spread",
                                     "n_people"])
    return frame.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)


def _col(frame: pd.DataFrame, name: str, default: float = np.nan) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), default)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _empty_note(cohort: Any) -> str:
    note = str(getattr(cohort, "prior_note", "") or "")
    if not isinstance(cohort, pd.DataFrame) and not getattr(cohort, "ok", ()):
        return "No logs could be read, so there is nothing to compare across people yet."
    if note:
        return note
    return ("No stretch has a relief figure from enough people yet: the cohort summary needs "
            "several people who rated their pain before and after a stretch.")


def plot_cohort_stretches(cohort: Any, *, ax: "Axes | None" = None,
                          title: str = "Which stretches help most people?") -> "Axes":
    """A forest plot of the cohort's relief per stretch: the average, its interval, and
    where most people's own relief lies.

    One row per stretch, the most relief at the top. Each row has its name, the number
    of people whose logs give it a figure, and the average in numbers above its marks:

    - the dark blue dot and line: the cohort's average relief per bout and its 95%
      interval (where the true average very likely lies);
    - the pale blue band: where most people's own relief lies, the average plus or
      minus 1.28 spreads (the middle 80% of people: one in ten gets less, one in ten
      more). A band reaching left of zero means some people get no relief from it.

    The grey band around zero is relief too small to feel (under
    :data:`~stretchlog.model.thresholds.FELT_RELIEF` points a bout either way), as in
    :func:`~stretchlog.plots.relief_forest`; the black line is no change.

    Parameters
    ----------
    cohort : Cohort or DataFrame
        A :class:`stretchlog.cohort.Cohort` (its ``stretches`` table is drawn), or a
        frame with its columns ``name``, ``mean``, ``ci_low``, ``ci_high``, ``spread``,
        ``n_people``.
    ax : matplotlib Axes, optional
        Where to draw; a new narrow figure sized to the number of stretches when None.
    title : str
        The question the chart answers.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from stretchlog.plots import plot_cohort_stretches
    >>> t = pd.DataFrame({"stretch": ["pigeon", "side-bend"], "name": ["Pigeon pose", "Side bend"],
    ...                   "mean": [0.4, 0.9], "ci_low": [0.1, 0.6], "ci_high": [0.7, 1.2],
    ...                   "spread": [0.3, 0.2], "n_people": [12, 9]})
    >>> ax = plot_cohort_stretches(t)
    >>> [t.get_text() for t in ax.texts[1:3]]
    ['Side bend', '9 people \u00b7 average +0.9 (+0.6 to +1.2)']
    """
    frame = _stretches_of(cohort)
    n = len(frame)
    ax = get_axes(ax, forest_size(n))
    tidy_axes(ax, grid="x")
    titles(ax, title,
           "Most relief at the top. Dot and dark line = the cohort's average relief per bout "
           "and its 95% interval. Pale band = where most people's own relief lies (the middle "
           "8 in 10 people).", xlabel=COHORT_XLABEL, width=_FOREST_TEXT)
    ax.axvspan(-FELT_RELIEF, FELT_RELIEF, color=SOFT_BAND, zorder=0, linewidth=0)
    if n == 0:
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        _zero_line(ax)
        no_data(ax, _empty_note(cohort))
        return ax
    mean = _col(frame, "mean")
    lo, hi = _col(frame, "ci_low", np.nan), _col(frame, "ci_high", np.nan)
    lo, hi = np.where(np.isfinite(lo), lo, mean), np.where(np.isfinite(hi), hi, mean)
    spread = _col(frame, "spread", 0.0)
    band_lo = mean - MIDDLE_80 * np.nan_to_num(spread)
    band_hi = mean + MIDDLE_80 * np.nan_to_num(spread)
    people = _col(frame, "n_people")
    names = list(display_names(frame))
    y = np.arange(n, dtype="float64")
    mark_y = y + 0.22  # the marks in the lower part of a row, the words above them
    ax.hlines(mark_y, band_lo, band_hi, color=_PEOPLE_BAND, linewidth=11, zorder=1,
              capstyle="butt")
    ax.hlines(mark_y, lo, hi, color=_AVERAGE, linewidth=2.6, zorder=3)
    ax.plot(mean, mark_y, linestyle="none", marker="o", markersize=8, color=_AVERAGE,
            markeredgecolor="white", markeredgewidth=1.0, zorder=4)
    for i in range(n):
        name = names[i] if len(names[i]) <= 44 else names[i][:42] + "\u2026"
        ax.annotate(name, xy=(0, y[i] - 0.3), xycoords=("axes fraction", "data"),
                    xytext=(3, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=9.5, fontweight="bold", color=INK, annotation_clip=False,
                    bbox=_CLEAR, zorder=5)
        words = (f"average {signed_label(mean[i])} ({signed_label(lo[i])} to "
                 f"{signed_label(hi[i])})" if np.isfinite(mean[i]) else "no figure")
        if np.isfinite(people[i]):
            words = f"{plural(int(people[i]), 'person', 'people')} \u00b7 {words}"
        ax.annotate(words, xy=(0, y[i] - 0.06), xycoords=("axes fraction", "data"),
                    xytext=(3, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=MIN_FONT_PT, color=INK, annotation_clip=False, bbox=_CLEAR, zorder=5)
    ax.set_yticks([])
    ax.set_ylim(n - 0.45, -0.58)
    for i in range(1, n):  # a faint rule between rows keeps each name with its marks
        ax.axhline(i - 0.5, color="#DDDDDD", linewidth=0.6, zorder=0.5)
    vals = np.concatenate([band_lo, band_hi, lo, hi, mean, [-FELT_RELIEF, FELT_RELIEF, 0.0]])
    vals = vals[np.isfinite(vals)]
    span = max(float(vals.max() - vals.min()), 1.0)
    ax.set_xlim(float(vals.min()) - 0.06 * span, float(vals.max()) + 0.06 * span)
    spaced_ticks(ax)
    _zero_line(ax)
    handles = [
        Line2D([], [], color=_AVERAGE, marker="o", markersize=7, markeredgecolor="white",
               linewidth=2.6, label="cohort's average, with its 95% interval"),
        Patch(color=_PEOPLE_BAND, label="where 8 in 10 people's own relief lies"),
        Patch(color=SOFT_BAND, label=f"too small to feel (under {FELT_RELIEF:g} a bout)"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), borderaxespad=3.2,
              ncols=1, frameon=False, fontsize=MIN_FONT_PT)
    return ax


def forest_size(n: int) -> tuple[float, float]:
    """Size (inches) of :func:`plot_cohort_stretches`' own figure for ``n`` stretches:
    narrow, so that a phone shows it near its natural size."""
    return _FOREST_WIDTH_IN, min(2.9 + _ROW_IN * max(n, 2), 22.0)


def _zero_line(ax: "Axes") -> None:
    ax.axvline(0, color=INK, linewidth=1.1, zorder=2)
    ax.annotate("no change", xy=(0, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                textcoords="offset points", ha="left", va="bottom", fontsize=MIN_FONT_PT,
                color=MUTED)


# ------------------------------------------------------------------------ pain panels


def _panel_files(cohort: Any, files: Sequence[str] | None) -> list[str]:
    """Files to draw, in the order of ``cohort.people`` (flagged first), readable logs only."""
    people = getattr(cohort, "people", pd.DataFrame(columns=["file", "status"]))
    ok = [f for f, s in zip(people.get("file", []), people.get("status", [])) if s == "ok"]
    if files is None:
        return ok
    wanted = list(dict.fromkeys(str(f) for f in files))
    return [f for f in wanted if f in set(ok)]


def plot_cohort_pain(cohort: Any, *, files: Sequence[str] | None = None, max_people: int = 24,
                     axes: np.ndarray | Sequence["Axes"] | None = None,
                     ncols: int = 4, panel_size: tuple[float, float] = (2.55, 2.25)) -> np.ndarray:
    """Small multiples: each person's starting pain week by week, on one shared 0-10 scale.

    One panel per readable log, in the order of ``cohort.people`` (people with a
    safety flag first). Each panel is titled with the file name and the pain trend in a
    word (improving, worsening, no clear change, too little data); a flagged person's panel has a
    vermillion frame and says "safety flag". The line is the average starting pain of
    each week (a dot per week), the x-axis the weeks since that person's first
    session, so people who started at different times can be compared; the dotted
    line at 7 is the pain level the safety check calls high. Only the first
    ``max_people`` people are drawn, with a note saying how many there are.

    Parameters
    ----------
    cohort : Cohort
        A :class:`stretchlog.cohort.Cohort` (its ``people`` and ``pain`` tables).
    files : sequence of str, optional
        Only these files (default: every readable log), in the order of ``cohort.people``
        when None, else in the order given.
    max_people : int
        The most panels drawn.
    axes : array of Axes, optional
        Axes to fill, at least one per panel (extras are hidden); when None a new
        figure of ``ncols`` columns is made, with the title and notes above it.
    ncols : int
        Columns of the new figure (2 suits a phone, 4 a laptop or paper).
    panel_size : (float, float)
        Width and height of one panel of the new figure, in inches (about 2 x 1.9 for
        a phone's two columns, so that its text stays readable when shrunk to fit).

    Returns
    -------
    numpy.ndarray of Axes
        One per panel drawn, flattened (a single Axes with a note when there is nothing
        to draw).

    Examples
    --------
    >>> from stretchlog.plots import plot_cohort_pain
    >>> from matplotlib.figure import Figure
    >>> class Empty:  # a cohort whose logs could not be read
    ...     people = __import__("pandas").DataFrame(columns=["file", "status"])
    >>> len(plot_cohort_pain(Empty(), axes=Figure().subplots(1, 2)))
    1
    """
    chosen = _panel_files(cohort, files)
    total = len(chosen)
    shown = chosen[: max(0, int(max_people))]
    n = max(len(shown), 1)
    title = "Is each person's pain going down over the weeks?"
    note = ("Each panel: one person's average pain at the start of a session, week by "
            "week (0-10, 0 = none); dotted line = 7, high pain. People with a safety flag "
            "come first, framed in red.")
    if total > len(shown):
        note += f" Showing the first {len(shown)} of {total} (flagged first)."
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = max(1, min(int(ncols), n))
        nrows = -(-n // ncols)
        pw, ph = panel_size
        width = pw * ncols + 0.4
        text = wrap(note, int(width * 13.5))
        note_in = 0.2 * (text.count("\n") + 1) + 0.1
        fig = plt.figure(figsize=(width, ph * nrows + note_in + 0.5), layout="constrained")
        fig.suptitle(wrap(title, int(width * 10)), x=0.01, ha="left", fontsize=12,
                     fontweight="bold", color=INK)
        # a first row holds the note, right above the panels it explains
        spec = fig.add_gridspec(nrows + 1, ncols, height_ratios=[note_in] + [ph] * nrows)
        flat = np.empty(nrows * ncols, dtype=object)
        for i in range(nrows * ncols):
            flat[i] = fig.add_subplot(spec[1 + i // ncols, i % ncols],
                                      sharex=flat[0] if i else None, sharey=flat[0] if i else None)
            if i % ncols:
                flat[i].tick_params(axis="y", labelleft=False)
            if i + ncols < n:
                flat[i].tick_params(axis="x", labelbottom=False)
        note_ax = fig.add_subplot(spec[0, :])
        note_ax.set_axis_off()
        note_ax.text(0, 1, text, transform=note_ax.transAxes, ha="left", va="top",
                     fontsize=MIN_FONT_PT, color=MUTED, linespacing=1.3)
        own = True
    else:
        flat = np.asarray(axes, dtype=object).ravel()
        own = False
        if len(flat) < len(shown):
            raise ValueError(f"plot_cohort_pain needs {len(shown)} axes for {len(shown)} panels, "
                             f"got {len(flat)}")
    if not shown:
        ax = flat[0]
        tidy_axes(ax, grid="y")
        titles(ax, "" if own else title, xlabel="weeks since first session", ylabel="pain (0-10)")
        ax.set_ylim(-0.4, 10.4)
        ax.set_xticks([])
        if files is not None and total == 0:
            why = "None of the files asked for is a log that could be read."
        elif total == 0:
            why = "No log could be read, so there is no one's pain to show yet."
        else:
            why = "No panels asked for (max_people is 0)."
        no_data(ax, why)
        for extra in flat[1:]:
            extra.set_visible(False)
        return flat[:1]
    pain = getattr(cohort, "pain", pd.DataFrame(columns=["file", "week_start", "start_pain"]))
    people = cohort.people.set_index("file")
    weeks_max = 1.0
    for ax, file in zip(flat, shown):
        row = people.loc[file]
        flagged = int(row.get("n_flags", 0) or 0) > 0
        trend = _TREND_WORD.get(str(row.get("pain_verdict", "")), str(row.get("pain_verdict", "")))
        mine = pain[pain["file"] == file].sort_values("week_start")
        tidy_axes(ax, grid="y")
        ax.tick_params(labelsize=MIN_FONT_PT)
        ax.axhline(HIGH_PAIN, color=_FLAG, linestyle=":", linewidth=1.1, zorder=1)
        weeks = np.array([])
        if len(mine):
            start = pd.to_datetime(mine["week_start"])
            weeks = ((start - start.min()).dt.days / 7.0).to_numpy()
            vals = pd.to_numeric(mine["start_pain"], errors="coerce").to_numpy(dtype="float64")
            color = _FLAG if flagged else INK
            ax.plot(weeks, vals, color=color, linewidth=1.6, marker="o", markersize=3.2, zorder=3)
            if weeks.size:
                weeks_max = max(weeks_max, float(np.nanmax(weeks)))
        else:
            ax.text(0.5, 0.5, "no pain ratings", transform=ax.transAxes, ha="center",
                    va="center", fontsize=MIN_FONT_PT, color=MUTED, style="italic")
        name = file if len(file) <= 26 else file[:24] + "\u2026"
        second = f"pain {trend}" + (" \u00b7 safety flag" if flagged else "")
        ax.set_title(f"{name}\n{second}", loc="left", fontsize=MIN_FONT_PT + 0.5,
                     color=_FLAG if flagged else INK, fontweight="bold" if flagged else "normal",
                     linespacing=1.2, pad=4)
        if flagged:
            for side in ("left", "bottom", "top", "right"):
                ax.spines[side].set_visible(True)
                ax.spines[side].set_color(_FLAG)
                ax.spines[side].set_linewidth(1.8)
    flat[0].set_ylim(-0.4, 10.4)
    flat[0].set_yticks(range(0, 11, 2))
    if own:
        flat[0].set_xlim(-0.5, weeks_max + 0.5)
        flat[0].xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ncols = flat[0].get_subplotspec().get_gridspec().ncols
        for i, ax in enumerate(flat[: len(shown)]):
            if i % ncols == 0:
                ax.set_ylabel("pain", fontsize=MIN_FONT_PT, color=INK)
            if i + ncols >= len(shown):  # nothing below it: it shows the weeks
                ax.tick_params(axis="x", labelbottom=True)
                ax.set_xlabel("weeks since first session", fontsize=MIN_FONT_PT, color=INK)
    for extra in flat[len(shown):]:
        extra.set_visible(False)
    return flat[: len(shown)]
