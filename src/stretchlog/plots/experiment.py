"""Charts of a self-experiment: the adherence calendar, the answer, and what a plan can find.

Public through :mod:`stretchlog.plots`. Each takes what :mod:`stretchlog.experiment`
returns (an :class:`~stretchlog.experiment.result.ExperimentResult` or a
:class:`~stretchlog.experiment.power.Preview`), draws on one Axes and returns it.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from stretchlog.experiment.power import WORTH_KNOWING
from stretchlog.experiment.result import option_label
from stretchlog.plots.style import (
    INK,
    MIN_FONT_PT,
    MUTED,
    OKABE_ITO,
    SOFT_BAND,
    get_axes,
    no_data,
    spaced_ticks,
    tidy_axes,
    titles,
)
from stretchlog.words import plural, signed_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from stretchlog.experiment.power import Preview
    from stretchlog.experiment.result import ExperimentResult

__all__ = ["experiment_calendar", "experiment_result", "plan_power", "short_answer", "DAY_STYLE"]

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

#: How each planned day is drawn in the calendar, by what the log shows: fill, edge,
#: the mark written under the option's letter, and the words of the legend. Colour is
#: never the only cue: every kind has its own mark (or, to come, a dashed outline).
DAY_STYLE: dict[str, dict] = {
    "as planned": dict(face=OKABE_ITO["bluish green"], edge="white", ls="-", ink="white",
                       label="\u2713 done as planned"),
    "swapped": dict(face=OKABE_ITO["orange"], edge="white", ls="-", ink=INK,
                    label="\u2192 swapped: did the other option"),
    "other": dict(face=OKABE_ITO["yellow"], edge="white", ls="-", ink=INK,
                  label="A+B both, 0 neither, ? a dose between"),
    "missed": dict(face="white", edge=OKABE_ITO["vermillion"], ls="-", ink=OKABE_ITO["vermillion"],
                   label="\u2717 missed: no session logged"),
    "to come": dict(face="white", edge="#8A8A8A", ls="--", ink=MUTED,
                    label="still to come (dashed)"),
}
#: A day inside the plan's weeks that the plan leaves free.
_FREE_DAY = "#F3F3F3"


def _kind(planned: str, done: str) -> tuple[str, str]:
    """The calendar's kind of a day and the mark under its letter."""
    if done == planned:
        return "as planned", "\u2713"
    if done in ("A", "B"):
        return "swapped", f"\u2192{done}"
    if done == "both":
        return "other", "A+B"
    if done == "neither":
        return "other", "0"
    if done == "unclear":
        return "other", "?"
    if done == "missed":
        return "missed", "\u2717"
    return "to come", ""


def _wrap(text: str, width: int) -> str:
    """Wrap ``text`` to lines of at most ``width`` characters, never inside a hyphenated word."""
    return "\n".join(textwrap.wrap(str(text), width, break_on_hyphens=False)) or str(text)


def _width_chars(ax: "Axes", fontsize: float, left_in: float) -> int:
    """About how many characters of ``fontsize`` fit the figure's width right of ``left_in``."""
    width = ax.figure.get_size_inches()[0]
    return max(24, int((width - left_in - 0.15) * 72 / (0.6 * fontsize)))


def _day(d: pd.Timestamp) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _names_line(result: "ExperimentResult") -> str:
    plan = result.plan
    return (f"A = {option_label(plan, plan.a)}, B = {option_label(plan, plan.b)}")


# --------------------------------------------------------------------------- calendar


def experiment_calendar(result: "ExperimentResult", ax: "Axes | None" = None, *,
                        title: str | None = None) -> "Axes":
    """The plan day by day: which option the coin gave each day, and what was done.

    One cell per day, a row per calendar week (labelled by its Monday) and a column
    per weekday. Each planned day shows its option's letter (A or B) and, under it,
    what the log shows: a tick on green for done as planned, an arrow and the other
    letter on orange for a swapped day, ``A+B`` / ``0`` / ``?`` on yellow for both
    options, neither, or a dose between the two, a cross in a vermillion frame for a
    missed day, and a dashed outline for a day still to come. Days the plan leaves
    free are light grey, without a letter; today is framed in black. The title says
    the adherence in words.

    Parameters
    ----------
    result : ExperimentResult
        From :func:`stretchlog.experiment.analyse_experiment` (or ``Analysis.experiment``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the plan's weeks when None.
    title : str, optional
        Default: the adherence ("38 of 48 planned days done as planned").

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from stretchlog import analyse
    >>> from stretchlog.plots import experiment_calendar
    >>> an = analyse("data/sample/experiment-log.csv")  # doctest: +SKIP
    >>> experiment_calendar(an.experiment).get_title(loc="left")  # doctest: +SKIP
    '38 of 48 planned days done as planned'
    """
    days = result.days.copy()
    days["date"] = pd.to_datetime(days["date"]).dt.normalize()
    first, last = days["date"].min(), days["date"].max()
    monday = first - pd.Timedelta(days=first.day_of_week)
    n_rows = int((last - monday).days // 7 + 1)
    ax = get_axes(ax, (5.8, min(2.9 + 0.5 * n_rows, 14.0)))
    tidy_axes(ax, grid=None)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    counts = result.counts
    past, followed = counts["past"], counts["followed"]
    to_come = int((days["done"] == "to come").sum())
    if title is None:
        if result.status == "not started":
            title = f"Your plan starts on {_day(first)}: {plural(len(days), 'planned day')}"
        else:
            title = f"{followed} of {plural(past, 'planned day')} done as planned"
            if to_come:
                title += f" so far, {to_come}\u00a0to\u00a0come"  # kept on one line
    parts = [f"Letter = the option the coin gave the day: {_names_line(result)}."]
    if past:
        extra = []
        if counts["swapped"]:
            extra.append(f"{counts['swapped']} swapped")
        if counts["other"]:
            extra.append(f"{counts['other']} with both or neither")
        if counts["missed"]:
            extra.append(f"{counts['missed']} missed")
        if extra:
            parts.append(", ".join(extra).capitalize() + ".")
    titles(ax, _wrap(title, _width_chars(ax, 12, 0.9)), " ".join(parts),
           ylabel="week (its Monday)", width=_width_chars(ax, 9, 0.9))
    planned = {d: (o, done) for d, o, done in zip(days["date"], days["option"], days["done"])}
    today = pd.Timestamp(result.today)
    used: dict[str, dict] = {}
    free_days = False
    for r in range(n_rows):
        for c in range(7):
            d = monday + pd.Timedelta(days=7 * r + c)
            if d < first or d > last:
                continue
            if d not in planned:
                free_days = True
                ax.add_patch(Rectangle((c - 0.46, r - 0.44), 0.92, 0.88, facecolor=_FREE_DAY,
                                       edgecolor="none", zorder=1))
                continue
            option, done = planned[d]
            kind, mark = _kind(option, done)
            st = DAY_STYLE[kind]
            used[kind] = st
            ax.add_patch(Rectangle((c - 0.46, r - 0.44), 0.92, 0.88, facecolor=st["face"],
                                   edgecolor=st["edge"], linestyle=st["ls"],
                                   linewidth=1.6 if st["face"] == "white" else 0.8, zorder=2))
            ax.text(c, r - 0.13 if mark else r, option, ha="center", va="center",
                    fontsize=11, fontweight="bold", color=st["ink"], zorder=3)
            if mark:
                ax.text(c, r + 0.22, mark, ha="center", va="center", fontsize=MIN_FONT_PT,
                        color=st["ink"], zorder=3)
            if d == today and result.status == "running":
                ax.add_patch(Rectangle((c - 0.5, r - 0.48), 1.0, 0.96, facecolor="none",
                                       edgecolor=INK, linewidth=2.2, zorder=4))
    # the weekday names head the columns, inside the Axes (the title sits above)
    for c, name in enumerate(_WEEKDAYS):
        ax.text(c, -0.78, name, ha="center", va="center", fontsize=MIN_FONT_PT, color=MUTED)
    ax.set_xlim(-0.55, 6.55)
    ax.set_ylim(n_rows - 0.5, -1.1)
    ax.set_xticks([])
    rows = [monday + pd.Timedelta(weeks=r) for r in range(n_rows)]
    ax.set_yticks(range(n_rows), labels=[f"{d.day} {d:%b}" for d in rows], fontsize=MIN_FONT_PT)
    ax.tick_params(length=0)
    order = ["as planned", "swapped", "other", "missed", "to come"]
    handles = [Patch(facecolor=DAY_STYLE[k]["face"], edgecolor=DAY_STYLE[k]["edge"],
                     linestyle=DAY_STYLE[k]["ls"], linewidth=1.2, label=DAY_STYLE[k]["label"])
               for k in order if k in used]
    if free_days:
        handles.append(Patch(facecolor=_FREE_DAY, edgecolor="none", label="not a planned day"))
    if result.status == "running" and today in planned:
        handles.append(Patch(facecolor="none", edgecolor=INK, linewidth=2.0, label="today"))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), borderaxespad=0.6,
                  ncols=1 if ax.figure.get_size_inches()[0] < 6.5 else 2, frameon=False,
                  fontsize=MIN_FONT_PT, alignment="left")
    return ax


# --------------------------------------------------------------------------- the answer


def short_answer(result: "ExperimentResult") -> str:
    """The answer in a few words (the title of :func:`experiment_result`).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> from stretchlog.experiment import Option
    >>> plan = NS(kind="compare", a=Option("A", "a", "Pigeon pose"), b=Option("B", "b", "Side bend"))
    >>> short_answer(NS(plan=plan, verdict="B better", interim=True))
    'So far: Side bend gives you more relief'
    """
    plan, v = result.plan, result.verdict
    a, b = option_label(plan, plan.a), option_label(plan, plan.b)
    if v in ("A better", "B better"):
        text = f"{a if v[0] == 'A' else b} gives you more relief"
    elif v in ("A maybe better", "B maybe better"):
        text = f"{a if v[0] == 'A' else b} gives a little more relief, maybe too little to feel"
    elif v == "no difference":
        text = "No difference you would feel"
    elif v == "not sure yet":
        text = "Not sure yet which gives you more relief"
    elif v == "not started":
        return "Your self-experiment has not started yet"
    else:
        return "No answer yet: too few days with pain rated before and after"
    return ("So far: " + text) if result.interim else text


#: Points between neighbouring marks of equal relief, and how many go in one column.
_SWARM_STEP_PT = 8.0
_SWARM_ROWS = 4


def _swarm(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets in points (x, y) that set equal values side by side instead of on top of
    each other: up to four in a column around the row, further columns either side."""
    dx, dy = np.zeros(len(values)), np.zeros(len(values))
    keys = np.round(np.asarray(values, float) / 0.05).astype(int)
    for k in np.unique(keys):
        idx = np.flatnonzero(keys == k)
        n = len(idx)
        rows = min(n, _SWARM_ROWS)
        cols = int(np.ceil(n / rows))
        for j, i in enumerate(idx):
            col, row = divmod(j, rows)
            in_col = min(rows, n - col * rows)
            dy[i] = (row - (in_col - 1) / 2) * _SWARM_STEP_PT
            dx[i] = (col - (cols - 1) / 2) * _SWARM_STEP_PT
    return dx, dy


def _adjusted_means(y: np.ndarray, a: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """Each option's mean relief at the average starting pain (the analysis's own adjustment:
    starting pain is allowed for with 8 or more rated days that differ in it)."""
    if len(y) >= 8 and np.ptp(x) > 0:
        design = np.column_stack([np.ones_like(y), a, x - x.mean()])
        slope = np.linalg.lstsq(design, y, rcond=None)[0][2]
        y = y - slope * (x - x.mean())
    ma = float(y[a == 1].mean()) if (a == 1).any() else np.nan
    mb = float(y[a == 0].mean()) if (a == 0).any() else np.nan
    return ma, mb


#: How each option's days are drawn: colour and marker (and the letter in the row name).
_OPTION_STYLE = {"A": dict(color=OKABE_ITO["blue"], marker="o"),
                 "B": dict(color=OKABE_ITO["orange"], marker="s")}


def experiment_result(result: "ExperimentResult", ax: "Axes | None" = None, *,
                      title: str | None = None) -> "Axes":
    """The answer of a self-experiment: each day's relief by option, and the difference.

    The two upper rows are the options, named in words: one mark per day with pain
    rated before and after (blue circles for A, orange squares for B), filed under
    the option the coin gave the day, as the analysis counts them; an open mark is a
    day not done as planned. Equal values sit side by side. The black bar is the
    option's mean relief adjusted for the pain the days started with. The bottom
    row is the difference, A minus B, with its interval (labelled "interim", and
    wider, while the plan is running), against the grey band of a difference too
    small to feel. The title is the answer in a few words.

    Parameters
    ----------
    result : ExperimentResult
        From :func:`stretchlog.experiment.analyse_experiment` (or ``Analysis.experiment``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Default: :func:`short_answer`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from stretchlog import analyse
    >>> from stretchlog.plots import experiment_result
    >>> an = analyse("data/sample/experiment-log.csv")  # doctest: +SKIP
    >>> experiment_result(an.experiment).get_title(loc="left")  # doctest: +SKIP
    'Reclining hip stretch gives you more relief'
    """
    plan = result.plan
    ax = get_axes(ax, (8.0, 4.8))
    tidy_axes(ax, grid="x")
    # narrow (a phone, a notebook column): the figures go under the row names, not beside
    narrow = ax.figure.get_size_inches()[0] < 6.0
    level = f"{100 * result.level:.0f}%" if result.level < 0.995 else f"{100 * result.level:.1f}%"
    interval = f"interim {level} interval" if result.interim else f"{level} interval"
    has_days = result.verdict != "not started" and result.days["relief"].notna().any()
    has_figure = bool(np.isfinite(result.difference))
    subtitle = ("Each mark: one day's relief, under the option the coin gave it (open: not done "
                "as planned). Bar: the option's mean, adjusted for starting pain."
                + (f" Bottom: the difference with its {interval}." if has_figure else "")
                if has_days else plan.question)
    left_in = 1.5 if narrow else 2.0
    titles(ax, _wrap(title or short_answer(result), _width_chars(ax, 12, left_in)), subtitle,
           xlabel=_wrap("pain relief in a session (points on the 0-10 scale; right = less pain)",
                       _width_chars(ax, 10, left_in)),
           width=_width_chars(ax, 9, left_in))
    y_diff = 2.35
    width = 16 if narrow else 22
    names = {0: _wrap(option_label(plan, plan.a), width) + "\n(option A)",
             1: _wrap(option_label(plan, plan.b), width) + "\n(option B)",
             y_diff: "Difference,\nA minus B"}
    extra: dict[float, str] = {}

    def name_rows() -> None:
        labels = [names[k] + (f"\n{extra[k]}" if narrow and k in extra else "")
                  for k in (0, 1, y_diff)]
        ax.set_yticks([0, 1, y_diff], labels=labels, fontsize=9.5)

    def beside(row: float, text: str, *, bold: bool = False) -> None:
        if narrow:
            extra[row] = text
        else:
            _right(ax, row, text, bold=bold)

    ax.tick_params(axis="y", length=0)
    ax.set_ylim(y_diff + 0.55, -0.55)
    name_rows()
    days = result.days
    rated = days[days["relief"].notna()]
    y = rated["relief"].to_numpy(float)
    a = (rated["option"] == "A").to_numpy(int)
    x = rated["start_pain"].to_numpy(float)
    followed = rated["followed"].to_numpy(bool)
    handles = []
    if not has_days:
        no_data(ax, result.headline or "No day of the plan has pain rated before and after yet.")
        ax.set_xlim(-1, 4)
        _zero(ax)
        return ax
    ma, mb = _adjusted_means(y, a, x)
    for row, label, mean in ((0, "A", ma), (1, "B", mb)):
        pick = (a == 1) if label == "A" else (a == 0)
        st = _OPTION_STYLE[label]
        vals, done = y[pick], followed[pick]
        dx, dy = _swarm(vals)
        for v, ox, oy, ok in zip(vals, dx, dy, done):
            nudge = ScaledTranslation(ox / 72, -oy / 72, ax.figure.dpi_scale_trans)
            ax.plot([v], [row], linestyle="none", marker=st["marker"], markersize=7.0,
                    color=st["color"], markerfacecolor=st["color"] if ok else "white",
                    markeredgecolor="white" if ok else st["color"],
                    markeredgewidth=0.8 if ok else 1.5, zorder=3, transform=ax.transData + nudge)
        if np.isfinite(mean):
            ax.plot([mean], [row], linestyle="none", marker="|", markersize=34,
                    markeredgewidth=3.0, color=INK, zorder=4)
        n = int(pick.sum())
        beside(row, f"mean {mean:.1f} ({plural(n, 'day')})" if np.isfinite(mean) else "no days yet")
        handles.append(Line2D([], [], linestyle="none", marker=st["marker"], markersize=6.5,
                              color=st["color"], label=f"a day with option {label}"))
    if (~followed).any():
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=6.5, color=MUTED,
                              markerfacecolor="white", label="open: not done as planned"))
    handles.append(Line2D([], [], linestyle="none", marker="|", markersize=12,
                          markeredgewidth=2.5, color=INK, label="mean, adjusted for starting pain"))
    felt = float(result.felt)
    est, lo, hi = result.difference, result.ci_low, result.ci_high
    spots = [y, [0.0]]
    if has_figure:
        band = (y_diff - 0.32, y_diff + 0.32)
        ax.fill_betweenx(band, -felt, felt, color=SOFT_BAND, linewidth=0, zorder=0)
        ax.vlines([-felt, felt], *band, color=MUTED, linestyle="--", linewidth=1.0, zorder=1)
        handles.append(Patch(facecolor=SOFT_BAND, edgecolor=MUTED, linestyle="--",
                             label=f"too small to feel (under {felt:g} a session)"))
        spots.append([felt, -felt])
        ax.hlines(y_diff, lo, hi, color=INK, linewidth=2.6, zorder=2)
        ax.plot([est], [y_diff], linestyle="none", marker="D", markersize=8.5, color=INK,
                markeredgecolor="white", markeredgewidth=1.0, zorder=3)
        spots.append([lo, hi])
        text = f"{signed_label(est)} ({signed_label(lo)} to {signed_label(hi)})"
        beside(y_diff, f"interim: {text}" if result.interim else text, bold=True)
        handles.append(Line2D([], [], color=INK, marker="D", markersize=7, linewidth=2.6,
                              label=f"difference, {interval}"
                                    + (" (wider: looked at early)" if result.interim else "")))
    else:
        ax.annotate(_wrap("no figure yet: too few days with pain rated before and after",
                         _width_chars(ax, MIN_FONT_PT, left_in + 0.3)),
                    xy=(0, y_diff), xycoords=("axes fraction", "data"), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=MIN_FONT_PT, color=MUTED,
                    style="italic")
    name_rows()
    vals = np.concatenate([np.asarray(v, float).ravel() for v in spots])
    vals = vals[np.isfinite(vals)]
    lo_x, hi_x = float(vals.min()), float(vals.max())
    pad = 0.08 * max(hi_x - lo_x, 1.0)
    ax.set_xlim(lo_x - pad, hi_x + pad)
    spaced_ticks(ax)
    _zero(ax)
    _legend(ax, handles)
    return ax


def _legend(ax: "Axes", handles: list) -> None:
    """The legend under the x-axis label (however many lines it has): two columns centred on
    a wide figure; one column of wrapped labels from the figure's left edge on a narrow one."""
    if not handles:
        return
    wide = ax.figure.get_size_inches()[0] >= 6.5
    lines = ax.get_xlabel().count("\n")
    pad = 4.4 + 1.4 * lines  # in font sizes: clear of every line of the label
    if wide:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=pad,
                  ncols=2, frameon=False, fontsize=MIN_FONT_PT)
        return
    width = _width_chars(ax, MIN_FONT_PT, 0.6)
    for h in handles:
        h.set_label(_wrap(h.get_label(), width))
    edge = blended_transform_factory(ax.figure.transFigure, ax.transAxes) + ScaledTranslation(
        0, -pad * MIN_FONT_PT / 72, ax.figure.dpi_scale_trans)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.02, 0), bbox_transform=edge,
              borderaxespad=0, ncols=1, frameon=False, fontsize=MIN_FONT_PT)


def _zero(ax: "Axes") -> None:
    ax.axvline(0, color=INK, linewidth=1.1, zorder=1)
    ax.annotate("no change", xy=(0, 1), xycoords=("data", "axes fraction"), xytext=(3, -2),
                textcoords="offset points", ha="left", va="top", fontsize=MIN_FONT_PT, color=MUTED)


def _right(ax: "Axes", y: float, text: str, *, bold: bool = False) -> None:
    """A text column just right of the plot area, level with row ``y``."""
    ax.annotate(text, xy=(1, y), xycoords=("axes fraction", "data"), xytext=(6, 0),
                textcoords="offset points", ha="left", va="center", fontsize=MIN_FONT_PT,
                color=INK, fontweight="bold" if bold else "normal", annotation_clip=False)


# --------------------------------------------------------------------------- power


def plan_power(preview: "Preview", ax: "Axes | None" = None, *, weeks: int | None = None,
               title: str = "How long should the self-experiment run?") -> "Axes":
    """The smallest difference a plan finds, by its length in weeks.

    One point per length (from :func:`stretchlog.experiment.preview`): the difference
    between the two options the plan shows four times in five (80% power at the 5%
    level), simulated with the noise, day-to-day drift and logging rhythm of the
    person's own log. Lower is better: a longer plan finds smaller differences. The
    dashed line is the difference worth knowing (1 point a session); the ringed point
    is the chosen length, with its figures written beside it.

    Parameters
    ----------
    preview : Preview
        From :func:`stretchlog.experiment.preview` (or ``Proposal.preview``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    weeks : int, optional
        The chosen length (default: the preview's suggestion, ``preview.weeks``).
    title : str
        The question the chart answers.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from stretchlog.experiment import Noise, preview
    >>> from stretchlog.plots import plan_power
    >>> from matplotlib.figure import Figure
    >>> pv = preview(Noise(1.5, 0.2, True, 60, (0, 2, 4), 0.9, 3.0), weeks=[2, 4, 6, 8], draws=200)
    >>> plan_power(pv, ax=Figure().add_subplot()).get_xlabel()
    'length of the plan (weeks)'
    """
    ax = get_axes(ax, (7.0, 4.4))
    tidy_axes(ax, grid="y")
    table = preview.table[np.isfinite(preview.table["detectable"])]
    chosen = int(weeks if weeks is not None else preview.weeks)
    subtitle = ("Each point: the smallest difference between the two options a plan of that "
                "length shows 4 times in 5, simulated with your log's own day-to-day noise. "
                "Lower is better.")
    titles(ax, _wrap(title, _width_chars(ax, 12, 0.9)), subtitle,
           xlabel="length of the plan (weeks)",
           ylabel="difference it finds\n(points of relief a session)",
           width=_width_chars(ax, 9, 0.9))
    if table.empty:
        no_data(ax, "No preview: the log has too few days with pain rated at the start and "
                    "the end of a session.")
        ax.set_xlim(0, 13)
        ax.set_ylim(0, 3)
        return ax
    w = table["weeks"].to_numpy(float)
    det = table["detectable"].to_numpy(float)
    ax.plot(w, det, color=OKABE_ITO["blue"], marker="o", markersize=6, linewidth=2.0, zorder=3)
    found = preview.detectable(chosen)
    ax.plot([chosen], [found], linestyle="none", marker="o", markersize=15, markerfacecolor="none",
            markeredgecolor=OKABE_ITO["vermillion"], markeredgewidth=2.4, zorder=4)
    row = table[table["weeks"] == chosen]
    logged = (f", about {float(row['expected_days'].iloc[0]):.0f} logged days" if len(row) else "")
    # in the free band at the top right (the line falls from the top left), an arrow to the ring
    ax.annotate(f"your plan: {plural(chosen, 'week')}{logged};\nit finds {found:.1f} points",
                xy=(chosen, found), xytext=(0.98, 0.98), textcoords="axes fraction",
                ha="right", va="top", fontsize=MIN_FONT_PT, color=OKABE_ITO["vermillion"],
                fontweight="bold", zorder=5,
                arrowprops=dict(arrowstyle="-", color=OKABE_ITO["vermillion"], linewidth=1.0,
                                relpos=(0.5, 0), shrinkA=3, shrinkB=8))
    ax.axhline(WORTH_KNOWING, color=INK, linestyle="--", linewidth=1.2, zorder=2)
    ax.annotate(f"worth knowing: {WORTH_KNOWING:g} point a session", xy=(0, WORTH_KNOWING),
                xycoords=("axes fraction", "data"), xytext=(4, -3), textcoords="offset points",
                ha="left", va="top", fontsize=MIN_FONT_PT, color=INK)
    x_hi = max(w.max(), chosen)
    ax.set_xlim(min(w.min(), chosen) - 0.6, x_hi + 0.6)
    ax.set_ylim(0, max(float(det.max()), found, WORTH_KNOWING) * 1.3)
    ax.set_xticks(np.arange(int(min(w.min(), chosen)), int(x_hi) + 1))
    ax.tick_params(axis="x", labelsize=MIN_FONT_PT)
    handles = [
        Line2D([], [], color=OKABE_ITO["blue"], marker="o", markersize=6, linewidth=2.0,
               label="difference found 4 times in 5"),
        Line2D([], [], linestyle="none", marker="o", markersize=11, markerfacecolor="none",
               markeredgecolor=OKABE_ITO["vermillion"], markeredgewidth=2.0,
               label="the chosen length"),
        Line2D([], [], color=INK, linestyle="--", linewidth=1.2,
               label=f"worth knowing ({WORTH_KNOWING:g} point a session)"),
    ]
    _legend(ax, handles)
    return ax
