"""The routine as a card drawn on an Axes (for notebooks and the report).

Public through :mod:`stretchlog.plots`. The printable one-page PDF card is made by
the routine's own renderer; this card is the same content laid out as a chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.patches import FancyBboxPatch
from matplotlib.transforms import Affine2D, ScaledTranslation, blended_transform_factory

from stretchlog.plots.style import INK, MUTED, OKABE_ITO, get_axes, wrap
from stretchlog.routine.text import ROLE_LABEL, duration, made_line

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from stretchlog.routine.types import Routine

__all__ = ["routine_card"]

_WRAP = 112  # characters per line of 8.5-point text across the card
_MARGIN = 12.0  # points between the card's border and its text


def _lines(routine: "Routine") -> list[tuple[str, float, dict]]:
    """The card as (text, x offset in points, text style) rows, top to bottom.

    A row's height follows from its font size and line count.
    """
    rows: list[tuple[str, float, dict]] = []
    small = dict(fontsize=8.5, color=MUTED)
    rows.append((f"{routine.source_line}. {made_line(routine)}", 0, small))
    if routine.relief_line:
        rows.append((wrap(routine.relief_line, _WRAP - 8), 0, dict(fontsize=9, color=INK)))
    if routine.safety:
        rows.append(("", 0, dict(fontsize=4)))
        for flag in routine.safety:
            rows.append((wrap("SAFETY FIRST: " + flag, _WRAP - 8), 0,
                         dict(fontsize=9.5, color=OKABE_ITO["vermillion"], fontweight="bold")))
    rows.append(("", 0, dict(fontsize=5)))
    if not routine.items:
        rows.append(("Nothing fits this time budget yet: try a longer one.", 0,
                     dict(fontsize=10, color=INK, style="italic")))
    for item in routine.items:
        role = ROLE_LABEL.get(item.role, item.role)
        head = f"{item.position}.  {item.name}"
        dose = f"{item.dose}  \u00b7  {duration(item.seconds)}"
        rows.append((head + "\t" + dose, 0, dict(fontsize=10.5, color=INK, fontweight="bold")))
        said = role.lower() in item.reason.lower() or item.role.lower() in item.reason.lower()
        why = item.reason if said else f"{role}: {item.reason}"
        if item.dose_why:
            why += f". Dose: {item.dose_why}"
        slant = "italic" if item.role == "experiment" else "normal"
        rows.append((wrap(why, _WRAP), 22, dict(fontsize=8.5, color=MUTED, style=slant)))
        rows.append(("", 0, dict(fontsize=3)))
    rows.append((f"Total {duration(routine.total_seconds)} of {duration(routine.minutes * 60)}.",
                 0, dict(fontsize=10, color=INK, fontweight="bold")))
    for out in routine.left_out:
        rows.append((wrap(f"Left out: {out.name} ({out.reason}).", _WRAP), 0,
                     dict(fontsize=8.5, color=INK)))
    if routine.rotation:
        rows.append((wrap("Tip: " + routine.rotation, _WRAP), 0, dict(fontsize=8.5, color=INK)))
    from stretchlog.routine.types import DISCLAIMER

    rows.append(("", 0, dict(fontsize=4)))
    rows.append((wrap(DISCLAIMER, _WRAP), 0, dict(fontsize=8, color=MUTED, style="italic")))
    return rows


def _height_pt(text: str, style: dict) -> float:
    return (text.count("\n") + 1) * style.get("fontsize", 10) * 1.25 + 2


def routine_card(routine: "Routine", *, ax: "Axes | None" = None) -> "Axes":
    """The routine as a card: what to do, in order, how long, and why.

    From top to bottom: the title (mode and time budget), the log it was learned
    from, any safety flag (in words, first), then each item numbered in the order
    to do it, with hold x reps, sides and time on the first line and its role and
    reason (with figures) on the second; the total time, what was left out and
    why, the tip on rotating the order, and the advice-not-diagnosis line.
    Everything is words: it reads the same printed in black and white.

    Parameters
    ----------
    routine : Routine
        From :func:`stretchlog.routine.types.routine`.
    ax : matplotlib Axes, optional
        Where to draw (its axis lines are turned off); when None, a new figure tall
        enough for the whole card. The text is laid out in points from the top, so
        a given Axes should be about 8 inches wide and tall enough.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from datetime import date
    >>> from stretchlog.routine.build import routine
    >>> from stretchlog.plots import routine_card
    >>> from matplotlib.figure import Figure
    >>> ax = routine_card(routine(None, minutes=5, seed=1, today=date(2026, 1, 1)),
    ...                   ax=Figure(figsize=(8.3, 4)).add_subplot())
    >>> ax.get_title(loc="left").startswith("A starting point")
    True
    """
    rows = _lines(routine)
    height_pt = sum(_height_pt(t, s) for t, _, s in rows) + 2 * _MARGIN
    ax = get_axes(ax, (8.3, height_pt / 72 + 0.55))
    ax.set_axis_off()
    ax.set_title(routine.title, loc="left", fontsize=14, fontweight="bold", color=INK, pad=8)
    # The border: full width, and as tall as the text (in points from the top), so it
    # fits the card whatever the size of the Axes it is drawn on.
    from_top = (Affine2D().scale(1 / 72) + ax.figure.dpi_scale_trans
                + ScaledTranslation(0, 1, ax.transAxes))
    ax.add_patch(FancyBboxPatch((0, -height_pt), 1, height_pt, boxstyle="square,pad=0",
                                transform=blended_transform_factory(ax.transAxes, from_top),
                                facecolor="white", edgecolor="#9A9A9A", linewidth=1.0,
                                clip_on=False, zorder=0))
    y = _MARGIN
    for text, x, style in rows:
        if text:
            left, _, right = text.partition("\t")
            ax.annotate(left, xy=(0, 1), xycoords="axes fraction", xytext=(_MARGIN + x, -y),
                        textcoords="offset points", ha="left", va="top", annotation_clip=False,
                        **style)
            if right:
                ax.annotate(right, xy=(1, 1), xycoords="axes fraction", xytext=(-_MARGIN, -y),
                            textcoords="offset points", ha="right", va="top",
                            annotation_clip=False, **{**style, "fontweight": "normal"})
        y += _height_pt(text, style)
    return ax
