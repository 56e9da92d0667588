"""Relief charts: the forest plot, immediate vs lasting relief, left vs right.

Public through :mod:`stretchlog.plots`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.transforms import ScaledTranslation

from stretchlog.model.thresholds import FELT_RELIEF
from stretchlog.plots.style import (
    EVIDENCE_STYLE,
    HARMFUL_STYLE,
    INK,
    INSEPARABLE_STYLE,
    MIN_FONT_PT,
    MUTED,
    NO_FIGURE_STYLE,
    OKABE_ITO,
    SIDE_STYLE,
    SOFT_BAND,
    TICK_ROOM_PT,
    VERDICT_STYLE,
    display_names,
    get_axes,
    legend_below,
    no_data,
    spaced_ticks,
    tidy_axes,
    titles,
    truthy,
    verdict_style,
)
from stretchlog.words import plural, signed_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["relief_forest", "relief_lasting", "left_right", "RELIEF_XLABEL"]

RELIEF_XLABEL = "pain relief per bout (points on the 0-10 scale; right = less pain)"


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Best first: by ``rank`` when present, else by the cautious end of the interval."""
    if frame.empty:
        return frame
    if "rank" in frame.columns and frame["rank"].notna().any():
        return frame.sort_values("rank", na_position="last", kind="stable")
    key = "ci_low" if "ci_low" in frame.columns else "effect"
    return frame.sort_values(key, ascending=False, na_position="last", kind="stable")


def _size(n: int) -> tuple[float, float]:
    return 8.0, min(2.6 + 0.36 * max(n, 2), 16.0)


def _floats(frame: pd.DataFrame, column: str, default: np.ndarray) -> np.ndarray:
    if column not in frame.columns:
        return default
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _handle(style: dict) -> Line2D:
    return Line2D([], [], color=style["color"], marker=style["marker"] or None, markersize=7,
                  markerfacecolor=style["color"] if style["filled"] else "white",
                  linestyle=style["ls"], linewidth=style["lw"], markeredgewidth=1.6,
                  label=style["label"])


def _zero_line(ax: "Axes", label: str = "no change") -> None:
    ax.axvline(0, color=INK, linewidth=1.1, zorder=1)
    ax.annotate(label, xy=(0, 1), xycoords=("data", "axes fraction"), xytext=(3, -2),
                textcoords="offset points", ha="left", va="top", fontsize=MIN_FONT_PT, color=MUTED)


def _xlim(ax: "Axes", *arrays: np.ndarray) -> None:
    vals = np.concatenate([np.asarray(a, dtype="float64").ravel() for a in arrays] + [np.zeros(1)])
    vals = vals[np.isfinite(vals)]
    if vals.size == 1:  # nothing but the zero line: a plain scale around it
        ax.set_xlim(-2, 2)
        return
    lo, hi = float(vals.min()), float(vals.max())
    span = max(hi - lo, 1.0)
    ax.set_xlim(lo - 0.06 * span, hi + 0.06 * span)


def _y_names(ax: "Axes", names: list[str]) -> None:
    n = len(names)
    ax.set_yticks(np.arange(n), labels=names, fontsize=9.5)
    ax.set_ylim(n - 0.5, -0.5)  # best at the top
    ax.tick_params(axis="y", length=0)


def _right_text(ax: "Axes", y: float, text: str, *, warn: bool = False,
                muted: bool = False) -> None:
    """A text column just right of the plot area, level with row ``y``."""
    ax.annotate(text, xy=(1, y), xycoords=("axes fraction", "data"), xytext=(6, 0),
                textcoords="offset points", ha="left", va="center", fontsize=MIN_FONT_PT,
                color=OKABE_ITO["vermillion"] if warn else (MUTED if muted else INK),
                fontweight="bold" if warn else "normal", annotation_clip=False)


def _legend_below(ax: "Axes", handles: list, n_rows: int, ncols: int = 2) -> None:
    legend_below(ax, handles, ncols=ncols)


def _empty(ax: "Axes", message: str, xlim: tuple[float, float] = (-2, 2),
           zero: bool = True) -> "Axes":
    ax.set_xlim(*xlim)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    if zero:
        _zero_line(ax)
    no_data(ax, message)
    return ax


def relief_forest(effects: pd.DataFrame, *, ax: "Axes | None" = None,
                  title: str = "Which stretches relieve my pain?") -> "Axes":
    """Relief per bout of each stretch with its 95% interval, best first.

    Each row is a stretch: the mark is the estimated relief per bout, the line its
    95% interval. Rows follow the ranking (``rank``; best at the top). Colour *and*
    marker show the evidence: strong = filled blue circle, some = green diamond,
    too little data = open grey circle on a dashed line. A stretch that credibly
    makes pain worse is a vermillion cross and says "worse" in words; a stretch
    the log cannot tell apart from another gets no mark, only the words. The
    vertical line at 0 is "no change". The text column on the right repeats the
    estimate, its interval and the number of bouts.

    Parameters
    ----------
    effects : DataFrame
        As returned by :func:`stretchlog.effects.relief.relief_effects`: ``effect``,
        ``ci_low``, ``ci_high`` and, when present, ``name``, ``rank``,
        ``evidence``, ``harmful``, ``n_bouts`` (a ``side`` column adds "(left)" /
        "(right)" to the names).
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the number of stretches when None.
    title : str
        The question the chart answers.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from stretchlog.plots import relief_forest
    >>> eff = pd.DataFrame({"name": ["Pigeon pose", "Side bend"], "effect": [1.2, -0.6],
    ...                     "ci_low": [0.5, -1.1], "ci_high": [1.9, -0.1], "rank": [1, 2],
    ...                     "evidence": ["strong", "some"], "harmful": [False, True],
    ...                     "n_bouts": [38, 12]})
    >>> ax = relief_forest(eff)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Pigeon pose', 'Side bend']
    """
    frame = _ranked(effects)
    ax = get_axes(ax, _size(len(frame)))
    tidy_axes(ax, grid="x")
    titles(ax, title, "Best first. Mark = estimated relief per bout; line = 95% interval "
                      "(where the true value likely lies).", xlabel=RELIEF_XLABEL)
    if frame.empty:
        return _empty(ax, "No stretch estimates yet: rate your pain before and after "
                          "stretching for a few sessions.")
    n = len(frame)
    eff = _floats(frame, "effect", np.full(n, np.nan))
    lo = _floats(frame, "ci_low", eff)
    hi = _floats(frame, "ci_high", eff)
    n_bouts = _floats(frame, "n_bouts", np.full(n, np.nan))
    evidence = frame["evidence"].tolist() if "evidence" in frame else [""] * n
    verdict = frame["verdict"].tolist() if "verdict" in frame else [""] * n
    harmful = frame["harmful"].tolist() if "harmful" in frame else [False] * n
    used: dict[str, dict] = {}
    if "verdict" in frame:  # the band of relief too small to feel, either way
        ax.axvspan(-FELT_RELIEF, FELT_RELIEF, color=SOFT_BAND, zorder=0, linewidth=0)
    for i in range(n):
        if not np.isfinite(eff[i]):
            if "cannot separate" in (str(evidence[i]), str(verdict[i])):
                style = INSEPARABLE_STYLE
                _right_text(ax, i, "no estimate: cannot be told apart (see the notes)", muted=True)
            else:
                style = NO_FIGURE_STYLE
                _right_text(ax, i, "no figure yet: too few sessions (see the table)", muted=True)
            ax.axhline(i, color=style["color"], linestyle=style["ls"], linewidth=style["lw"],
                       zorder=1)
            used[style["label"]] = style
            continue
        style = verdict_style(verdict[i], evidence[i], harmful[i])
        used[style["label"]] = style
        ax.hlines(i, lo[i], hi[i], color=style["color"], linestyle=style["ls"],
                  linewidth=style["lw"], zorder=2)
        ax.plot([eff[i]], [i], linestyle="none", marker=style["marker"], markersize=8.5,
                color=style["color"], markeredgewidth=1.6, zorder=3,
                markerfacecolor=style["color"] if style["filled"] else "white")
        text = f"{signed_label(eff[i])}  ({signed_label(lo[i])} to {signed_label(hi[i])})"
        worse = style is HARMFUL_STYLE or str(verdict[i]) in ("slightly worse", "makes it worse")
        if str(verdict[i]) in VERDICT_STYLE:  # the verdict in words (the tables give the bouts)
            text = f"{verdict[i]}: {text}"
        elif np.isfinite(n_bouts[i]):
            text += f", {plural(int(n_bouts[i]), 'bout')}"
        if worse and str(verdict[i]) not in VERDICT_STYLE:
            text += ": worse"
        _right_text(ax, i, text, warn=worse)
    _y_names(ax, list(display_names(frame)))
    _xlim(ax, lo, hi, eff)
    spaced_ticks(ax)
    _zero_line(ax)
    order = [s["label"] for s in (*VERDICT_STYLE.values(), *EVIDENCE_STYLE.values(), HARMFUL_STYLE,
                                  INSEPARABLE_STYLE, NO_FIGURE_STYLE)]
    handles = [_handle(used[k]) for k in dict.fromkeys(order) if k in used]
    if "verdict" in frame:
        from matplotlib.patches import Patch

        handles.append(Patch(color=SOFT_BAND, label=f"too small to feel (under {FELT_RELIEF:g} a bout)"))
    _legend_below(ax, handles, n)
    return ax


def relief_lasting(effects: pd.DataFrame, lasting: pd.DataFrame, *, ax: "Axes | None" = None,
                   title: str = "Does the relief last until my next session?") -> "Axes":
    """Immediate relief beside lasting relief, per stretch.

    Two marks per stretch, both in points of the 0-10 scale (right = less pain) with
    95% intervals: the relief right after one bout (blue circle), and the lasting
    relief, how much lower the *next* session's starting pain is per bout (orange
    square). A stretch whose square sits on 0 helps at the time, but by the next
    session the relief has faded. Stretches follow the ranking of ``effects``.

    Parameters
    ----------
    effects : DataFrame
        From :func:`stretchlog.effects.relief.relief_effects` (``stretch``, ``effect``,
        ``ci_low``, ``ci_high``; ``name``, ``rank`` when present).
    lasting : DataFrame
        From :func:`stretchlog.effects.relief.lasting_relief` (``stretch``, ``lasting``,
        ``ci_low``, ``ci_high``), matched on ``stretch``.
    ax : matplotlib Axes, optional
    title : str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from stretchlog.plots import relief_lasting
    >>> eff = pd.DataFrame({"stretch": ["pigeon-pose"], "name": ["Pigeon pose"],
    ...                     "effect": [1.2], "ci_low": [0.5], "ci_high": [1.9]})
    >>> last = pd.DataFrame({"stretch": ["pigeon-pose"], "lasting": [0.3],
    ...                      "ci_low": [-0.4], "ci_high": [1.0]})
    >>> from matplotlib.figure import Figure
    >>> relief_lasting(eff, last, ax=Figure().add_subplot()).get_xlabel()
    'pain relief per bout (points on the 0-10 scale; right = less pain)'
    """
    frame = _ranked(effects)
    if not frame.empty and "stretch" in frame and "stretch" in lasting and "lasting" in lasting:
        extra = lasting[["stretch", "lasting"]].assign(
            lasting_low=_floats(lasting, "ci_low", _floats(lasting, "lasting", np.array([]))),
            lasting_high=_floats(lasting, "ci_high", _floats(lasting, "lasting", np.array([]))),
        )
        frame = frame.merge(extra.drop_duplicates("stretch"), on="stretch", how="left")
        frame = frame[frame["effect"].notna() | frame["lasting"].notna()]
    else:
        frame = frame.iloc[:0]
    ax = get_axes(ax, _size(len(frame)))
    tidy_axes(ax, grid="x")
    titles(ax, title, "Circle = right after a bout; square = at the start of the next session. "
                      "Lines = 95% intervals.", xlabel=RELIEF_XLABEL)
    if frame.empty:
        return _empty(ax, "Nothing to compare yet: lasting relief needs several sessions "
                          "within a week of each other.")
    n = len(frame)
    kinds = [
        ("effect", "ci_low", "ci_high", -0.16, OKABE_ITO["blue"], "o",
         "right after the bout (immediate)"),
        ("lasting", "lasting_low", "lasting_high", 0.16, OKABE_ITO["orange"], "s",
         "at the next session's start (lasting)"),
    ]
    arrays, handles = [], []
    for est, low, high, dy, color, marker, label in kinds:
        x = _floats(frame, est, np.full(n, np.nan))
        lo, hi = _floats(frame, low, x), _floats(frame, high, x)
        y = np.arange(n) + dy
        ax.hlines(y, lo, hi, color=color, linewidth=2.0, zorder=2)
        ax.plot(x, y, linestyle="none", marker=marker, markersize=7.5, color=color,
                markeredgecolor="white", markeredgewidth=0.8, zorder=3)
        arrays += [lo, hi, x]
        handles.append(Line2D([], [], color=color, marker=marker, markersize=7, linewidth=2.0,
                              label=label))
    now = _floats(frame, "effect", np.full(n, np.nan))
    later = _floats(frame, "lasting", np.full(n, np.nan))
    for i in range(n):
        _right_text(ax, i, f"now {signed_label(now[i])}, next time {signed_label(later[i])}")
    _y_names(ax, list(display_names(frame)))
    _xlim(ax, *arrays)
    spaced_ticks(ax)
    _zero_line(ax)
    _legend_below(ax, handles, n)
    return ax


#: Size (points) of the left/right marks.
_SIDE_MARK = 9.0
#: In the left/right chart the left mark sits this many points above its row and the
#: right mark as far below, so equal sides do not hide one mark behind the other.
_SIDE_DODGE = 0.6 * _SIDE_MARK

#: Where each measure's left and right figures are, by the frame they come from.
_SIDE_SOURCES = {
    "tightness": [  # stretchlog.trends.sides.side_asymmetry
        ("tight_left", "tight_right", "tight_lo", "tight_hi"),
    ],
    "relief": [  # stretchlog.effects.relief.side_differences, then trends_sides.side_asymmetry
        ("left", "right", "ci_low", "ci_high"),
        ("relief_left", "relief_right", "relief_lo", "relief_hi"),
    ],
}


def left_right(frame: pd.DataFrame, *, measure: str = "tightness", ax: "Axes | None" = None,
               title: str | None = None) -> "Axes":
    """Left against right for each one-sided stretch (a dumbbell chart).

    One row per stretch, the largest difference at the top: the blue circle is the
    left side, the orange square the right side, the grey bar the gap between them.
    The two marks of a row are drawn a little apart, left just above the row and
    right just below it, so that both show when the sides are equal. The legend
    sits beside the chart, right of the axis. The text on the right gives the
    difference (left minus right) in numbers with its 95% interval, and says
    "imbalance" in words where the frame flags one.

    Parameters
    ----------
    frame : DataFrame
        One row per stretch. For ``measure="tightness"``: from
        :func:`stretchlog.trends.sides.side_asymmetry` (``tight_left``,
        ``tight_right``, ``tight_lo``/``tight_hi`` of the difference, ``imbalance``).
        For ``measure="relief"``: from :func:`stretchlog.effects.relief.side_differences`
        (``left``, ``right``, ``ci_low``/``ci_high``, ``imbalance``), or the
        ``relief_*`` columns of ``side_asymmetry``.
    measure : {"tightness", "relief"}
    ax : matplotlib Axes, optional
    title : str, optional
        Default: the question for the measure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from stretchlog.plots import left_right
    >>> f = pd.DataFrame({"name": ["Psoas stretch"], "tight_left": [7.5], "tight_right": [6.1],
    ...                   "tight_lo": [0.9], "tight_hi": [1.9], "imbalance": [True]})
    >>> from matplotlib.figure import Figure
    >>> left_right(f, ax=Figure().add_subplot()).get_title(loc="left")
    'Is one side tighter than the other?'
    """
    if measure not in _SIDE_SOURCES:
        raise ValueError(f"measure must be 'tightness' or 'relief', not {measure!r}")
    tight = measure == "tightness"
    xlabel = "tightness (0-10 scale; higher = tighter)" if tight else RELIEF_XLABEL
    if title is None:
        title = ("Is one side tighter than the other?" if tight
                 else "Does one side get more relief than the other?")
    cols = next((c for c in _SIDE_SOURCES[measure] if {c[0], c[1]} <= set(frame.columns)), None)
    if cols is None:
        data = frame.iloc[:0]
    else:
        data = frame[frame[cols[0]].notna() | frame[cols[1]].notna()]
    n = len(data)
    if n:
        gap = (data[cols[0]] - data[cols[1]]).abs().fillna(-1).to_numpy(dtype="float64")
        data = data.iloc[np.argsort(-gap, kind="stable")]
    ax = get_axes(ax, _size(n))
    tidy_axes(ax, grid="x")
    titles(ax, title, "Circle = left (upper), square = right (lower); the largest difference "
                      "on top.", xlabel=xlabel)
    if not n:
        message = ("No one-sided stretch has had both sides rated for tightness on the same day yet."
                   if tight else "No one-sided stretch has a relief figure for both sides yet.")
        return _empty(ax, message,
                      xlim=(-0.3, 10.3) if tight else (-2, 2), zero=not tight)
    y = np.arange(n)
    left = _floats(data, cols[0], np.full(n, np.nan))
    right = _floats(data, cols[1], np.full(n, np.nan))
    lo = _floats(data, cols[2], np.full(n, np.nan))
    hi = _floats(data, cols[3], np.full(n, np.nan))
    ax.hlines(y, np.fmin(left, right), np.fmax(left, right), color="#C8C8C8", linewidth=6, zorder=1)
    handles = []
    for side, x, up in (("left", left, 1), ("right", right, -1)):
        st = SIDE_STYLE[side]
        # a fixed distance in points, whatever the height of a row
        nudge = ScaledTranslation(0, up * _SIDE_DODGE / 72, ax.figure.dpi_scale_trans)
        ax.plot(x, y, linestyle="none", marker=st["marker"], markersize=_SIDE_MARK,
                color=st["color"], markeredgecolor="white", markeredgewidth=0.8, zorder=3,
                transform=ax.transData + nudge)
        handles.append(Line2D([], [], linestyle="none", marker=st["marker"], markersize=8,
                              color=st["color"], label=f"{st['label']} side"))
    flags = [truthy(v) for v in data["imbalance"]] if "imbalance" in data else [False] * n
    for i in range(n):
        diff = left[i] - right[i]
        if not np.isfinite(diff):
            text = "one side only"
        else:
            text = f"left \u2212 right {signed_label(diff)}"
            if np.isfinite(lo[i]) and np.isfinite(hi[i]):
                text += f" ({signed_label(lo[i])} to {signed_label(hi[i])})"
            else:
                text += " (too few days to judge)"
        if flags[i]:
            text += ": imbalance"
        _right_text(ax, i, text, warn=flags[i])
    _y_names(ax, list(display_names(data)))
    if tight:
        ax.set_xlim(-0.3, 10.3)
    else:
        _xlim(ax, left, right)
        _zero_line(ax)
    spaced_ticks(ax, room=30 if tight else TICK_ROOM_PT)  # "10" is narrower than "-1.5"
    # beside the chart: right of the plot area, level with the tick labels and under the
    # text column; 12 pt right of the axis, clear of half the last tick label
    beside = ax.transAxes + ScaledTranslation(12 / 72, 0, ax.figure.dpi_scale_trans)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 0),
              bbox_transform=beside, borderaxespad=0, borderpad=0.2, ncols=2, frameon=False,
              fontsize=MIN_FONT_PT, handletextpad=0.3, columnspacing=1.2)
    return ax
