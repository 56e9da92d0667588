"""Shared look of the stretchlog charts (internal helpers of :mod:`stretchlog.plots`).

Colours are the Okabe-Ito palette, safe for the common kinds of colour blindness,
and every colour comes with a second cue (marker shape, fill, line style or a text
label), so a chart still reads when printed in grey. Nothing here touches
matplotlib's global state: styles are set on each artist, never in ``rcParams``.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "OKABE_ITO",
    "EVIDENCE_STYLE",
    "HARMFUL_STYLE",
    "INSEPARABLE_STYLE",
    "NO_FIGURE_STYLE",
    "evidence_style",
    "verdict_style",
    "VERDICT_STYLE",
    "SIDE_STYLE",
    "get_axes",
    "titles",
    "no_data",
    "display_names",
    "tidy_axes",
    "legend_below",
    "spaced_ticks",
    "SpacedLocator",
    "MIN_FONT_PT",
    "TICK_ROOM_PT",
    "date_axis",
    "truthy",
    "wrap",
    "INK",
    "MUTED",
]

#: The Okabe-Ito colours (Okabe & Ito 2008), by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#7A7A7A",
}
INK = "#222222"
#: Characters per subtitle line: fits an 8-inch chart whose Axes start 2 inches in.
SUBTITLE_WIDTH = 78
MUTED = "#555555"
#: The band of relief too small to feel (light enough for print, dark enough for screens).
SOFT_BAND = "#EBEBEB"
GRID = "#E3E3E3"
#: The smallest text size (points) of any chart at its natural size: the report's
#: images are scaled down to a phone's width, and smaller text is then unreadable.
MIN_FONT_PT = 9.0
#: Room (points) each tick label of a number axis gets. Steps of 1, 2 or 5 keep labels
#: to 4 characters ("-1.5", about 22 pt wide at 9 pt), so neighbours stay 14 pt apart.
TICK_ROOM_PT = 36.0

#: How each evidence level is drawn: colour, marker, fill, interval line style and legend text.
EVIDENCE_STYLE = {
    "strong": dict(color=OKABE_ITO["blue"], marker="o", filled=True, ls="-", lw=2.4,
                   label="strong evidence"),
    "some": dict(color=OKABE_ITO["bluish green"], marker="D", filled=True, ls="-", lw=1.8,
                 label="some evidence"),
    "too little data": dict(color=OKABE_ITO["grey"], marker="o", filled=False, ls="--", lw=1.4,
                            label="too little data (try it more)"),
}
#: How each relief verdict is drawn (:mod:`stretchlog.effects.verdicts`); the words
#: are in the text beside each line too, so colour is never the only cue.
VERDICT_STYLE = {
    "helps": dict(color=OKABE_ITO["blue"], marker="o", filled=True, ls="-", lw=2.4,
                  label="helps: relief you would feel"),
    "may help": dict(color=OKABE_ITO["bluish green"], marker="D", filled=True, ls="-", lw=1.8,
                     label="may help: sure, maybe too small to feel"),
    "no clear effect": dict(color=OKABE_ITO["grey"], marker="o", filled=False, ls="--", lw=1.4,
                            label="no clear effect yet (try it more)"),
    "too small to feel": dict(color=OKABE_ITO["grey"], marker="s", filled=True, ls="-", lw=1.4,
                              label="too small to feel"),
    "slightly worse": dict(color=OKABE_ITO["vermillion"], marker="X", filled=False, ls="-", lw=1.8,
                           label="slightly worse"),
    "makes it worse": dict(color=OKABE_ITO["vermillion"], marker="X", filled=True, ls="-", lw=2.4,
                           label="makes it worse (ease off)"),
}
#: A stretch the log cannot tell apart from another one (no estimate).
INSEPARABLE_STYLE = dict(color=OKABE_ITO["grey"], marker="", filled=False, ls=":", lw=1.0,
                         label="cannot be told apart (no estimate)")
#: A stretch the log has too little of for a figure yet.
NO_FIGURE_STYLE = dict(color=OKABE_ITO["grey"], marker="", filled=False, ls=(0, (1, 4)), lw=1.0,
                       label="not enough data yet (no figure)")
#: A stretch that credibly makes pain worse.
HARMFUL_STYLE = dict(color=OKABE_ITO["vermillion"], marker="X", filled=True, ls="-", lw=2.4,
                     label="makes pain worse (ease off)")

#: How each side is drawn; the marker letter repeats the side in text.
SIDE_STYLE = {
    "left": dict(color=OKABE_ITO["blue"], marker="o", label="left", letter="L"),
    "right": dict(color=OKABE_ITO["orange"], marker="s", label="right", letter="R"),
    "both": dict(color=INK, marker="D", label="both sides", letter="B"),
}


def evidence_style(evidence: object, harmful: object = False) -> dict:
    """The style of one estimate: harmful first, then by evidence level.

    Evidence labels are matched by their start, so ``"too little data - try it
    more"`` is drawn as ``"too little data"``; unknown labels count as too little.
    """
    if truthy(harmful):
        return HARMFUL_STYLE
    text = str(evidence).strip().lower()
    if text.startswith("cannot"):
        return INSEPARABLE_STYLE
    for key, style in EVIDENCE_STYLE.items():
        if text.startswith(key):
            return style
    return EVIDENCE_STYLE["too little data"]


def verdict_style(verdict: object, evidence: object = "", harmful: object = False) -> dict:
    """The style of one estimate by its verdict; frames without verdicts fall back to
    :func:`evidence_style`. A harmful stretch is always drawn as making pain worse."""
    text = str(verdict).strip().lower() if verdict is not None else ""
    if text in ("slightly worse", "makes it worse"):
        return VERDICT_STYLE[text]
    if truthy(harmful):
        return HARMFUL_STYLE
    if text in VERDICT_STYLE:
        return VERDICT_STYLE[text]
    return evidence_style(evidence, harmful)


def truthy(value: object) -> bool:
    """True only for a real True (bool or numpy bool); NaN, NA and None are False."""
    return isinstance(value, (bool, np.bool_)) and bool(value)


def get_axes(ax: "Axes | None", size: tuple[float, float]) -> "Axes":
    """The given Axes, or the Axes of a new figure of ``size`` inches.

    A new figure is made with pyplot (so that Jupyter shows it) and a constrained
    layout set on that figure only; no rcParams are changed.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def tidy_axes(ax: "Axes", *, grid: str | None = "x") -> None:
    """Light, readable axes: no top/right spines, soft grid, readable ticks."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    ax.tick_params(colors=INK, labelsize=9, length=3)
    ax.set_axisbelow(True)
    if grid:
        ax.grid(True, axis=grid, color=GRID, linewidth=0.8)


def titles(ax: "Axes", title: str, subtitle: str | None = None, *,
           xlabel: str | None = None, ylabel: str | None = None,
           width: int = SUBTITLE_WIDTH) -> None:
    """A plain-words title (the question the chart answers), an optional grey subtitle
    (what is drawn), and the axis labels with their units."""
    if subtitle:
        subtitle = "\n".join(wrap(part, width) for part in subtitle.split("\n"))
    lines = subtitle.count("\n") + 1 if subtitle else 0
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", color=INK, pad=9 + 11.5 * lines)
    if subtitle:
        ax.annotate(subtitle, xy=(0, 1), xycoords="axes fraction", xytext=(0, 5),
                    textcoords="offset points", ha="left", va="bottom", fontsize=9,
                    color=MUTED, annotation_clip=False)
    if xlabel is not None:
        ax.set_xlabel(xlabel, fontsize=10, color=INK)
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=10, color=INK)


def no_data(ax: "Axes", message: str) -> None:
    """Say in the middle of an empty chart why it is empty and what to log."""
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(message, 48)), transform=ax.transAxes,
            ha="center", va="center", fontsize=10, color=MUTED, style="italic")


def display_names(frame: pd.DataFrame) -> pd.Series:
    """Readable stretch names: ``name`` when present, else the stretch id made
    readable; with ``(left)`` / ``(right)`` when the frame has one-sided rows."""
    if "name" in frame.columns:
        names = frame["name"].astype("str")
        ids = next((frame[c] for c in ("stretch", "stretch_id") if c in frame.columns), None)
        if ids is not None:
            names = names.where(frame["name"].notna(), ids.astype("str").map(_readable_id))
    elif "stretch" in frame.columns or "stretch_id" in frame.columns:
        ids = frame["stretch"] if "stretch" in frame.columns else frame["stretch_id"]
        names = ids.astype("str").map(_readable_id)
    else:
        names = pd.Series([f"stretch {i + 1}" for i in range(len(frame))], index=frame.index)
    names = names.map(lambda t: t[:1].upper() + t[1:])
    if "side" in frame.columns:
        side = frame["side"].astype("object")
        suffix = " (" + side.astype("str") + ")"
        sided = (side.isin(["left", "right"])
                 & ~pd.Series([n.endswith(x) for n, x in zip(names, suffix)], index=names.index))
        names = names.where(~sided, names + suffix)
    return names


def _readable_id(stretch_id: str) -> str:
    if stretch_id.startswith("custom:"):
        stretch_id = stretch_id[len("custom:"):]
    text = stretch_id.replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def wrap(text: str, width: int) -> str:
    """Wrap ``text`` to lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def legend_below(ax: "Axes", handles: list, *, ncols: int = 2) -> None:
    """A frameless legend under the x-axis label, a fixed distance in points below the Axes."""
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=4.4,
                  ncols=ncols, frameon=False, fontsize=MIN_FONT_PT)


class SpacedLocator(MaxNLocator):
    """Round ticks (steps of 1, 2 or 5) no closer than ``room`` points apart.

    Matplotlib's default locator packs ticks by the font size alone, so labels such
    as "-0.50" and "-0.25" can run into each other ("-0.50-0.25") on a
    narrow chart. This one counts how many labels fit the Axes' width when the ticks
    are placed (at every draw), so a narrow chart simply gets fewer ticks (down to
    the one nearest zero).

    Parameters
    ----------
    room : float
        Points of axis length per tick label.
    most : int
        The most intervals, however wide the chart.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure(figsize=(4, 2)).add_subplot()
    >>> ax.set_xlim(-0.8, 1.2)
    (-0.8, 1.2)
    >>> ax.xaxis.set_major_locator(SpacedLocator())
    >>> [f"{t:g}" for t in ax.get_xticks() if -0.8 <= t <= 1.2]
    ['-0.5', '0', '0.5', '1']
    """

    def __init__(self, room: float = TICK_ROOM_PT, most: int = 8) -> None:
        super().__init__(nbins=most, steps=[1, 2, 5, 10])
        self.room = room
        self.most = most

    def __call__(self):
        axis = self.axis
        if axis is None or axis.axes is None:
            return super().__call__()
        box = axis.axes.bbox
        pixels = box.width if axis.axis_name == "x" else box.height
        points = pixels * 72.0 / axis.axes.figure.dpi
        self.set_params(nbins=int(min(self.most, max(1, points // self.room))))
        ticks = np.asarray(super().__call__())
        if points < 2 * self.room:  # room for one label only: the one nearest zero
            lo, hi = sorted(axis.get_view_interval())
            inside = ticks[(ticks >= lo) & (ticks <= hi)]
            ticks = inside[np.argsort(np.abs(inside))[:1]] if inside.size else ticks[:0]
        return ticks


def spaced_ticks(ax: "Axes", axis: str = "x", *, room: float = TICK_ROOM_PT) -> None:
    """Give a number axis :class:`SpacedLocator` ticks, so that no two labels touch.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> spaced_ticks(ax)
    >>> type(ax.xaxis.get_major_locator()).__name__
    'SpacedLocator'
    """
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(SpacedLocator(room))


def date_axis(ax: "Axes", dates: pd.Series | None = None, *, maxticks: int = 8,
              offset: bool = True) -> None:
    """Concise date ticks; a short range (under two weeks) is widened to two weeks
    around it, so one session does not get an axis of years. No dates: no ticks."""
    import matplotlib.dates as mdates

    if dates is None or len(dates) == 0:
        ax.set_xticks([])
        return
    first, last = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    if last - first < pd.Timedelta(days=14):
        mid = first + (last - first) / 2
        ax.set_xlim(mid - pd.Timedelta(days=7), mid + pd.Timedelta(days=7))
    locator = mdates.AutoDateLocator(minticks=2, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=offset))
