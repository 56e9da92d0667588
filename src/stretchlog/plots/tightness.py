"""Tightness over time as small multiples: one panel per stretch or muscle group.

Public through :mod:`stretchlog.plots`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from stretchlog.plots.style import (
    INK,
    MIN_FONT_PT,
    OKABE_ITO,
    SIDE_STYLE,
    date_axis,
    get_axes,
    no_data,
    tidy_axes,
    titles,
    wrap,
)
from stretchlog.words import signed_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["tightness_panel", "tightness_grid", "tightness_keys"]

#: Height (inches, like a panel's 2.8) of the row that holds the key of a new grid.
_KEY_ROW_IN = 0.45

_VERDICT_WORDS = {
    "looser": "looser",
    "tighter": "TIGHTER",
    "flat": "no change you would feel",
    "not sure yet": "not sure yet",
    "not enough data": "not enough data",
}


def _key_column(frame: pd.DataFrame) -> str:
    for col in ("stretch_id", "muscle_group"):
        if col in frame.columns and frame[col].notna().any():
            return col
    return "stretch_id"


def tightness_keys(curve: pd.DataFrame, trends: pd.DataFrame | None = None) -> list[str]:
    """The panels to draw, in the order of ``trends`` (the catalog's) when given.

    Examples
    --------
    >>> import pandas as pd
    >>> tightness_keys(pd.DataFrame({"stretch_id": ["b", "a", "b"]}))
    ['b', 'a']
    """
    source = trends if trends is not None and len(trends) else curve
    if source is None or source.empty:
        return []
    col = _key_column(source)
    return [str(k) for k in pd.unique(source[col].dropna())]


def _verdict_text(rows: pd.DataFrame) -> str:
    """``L: clearly looser, R: not sure yet`` or ``slowly TIGHTER (+0.4 so far)``.

    The size word (clearly, slowly) comes with a direction; a single row also gets
    its figure: the change from the first rating to the last ("so far") when the
    table has it, else the change per month. Two sides keep to the words, so the
    title fits the panel.
    """
    parts = []
    single = len(rows) == 1
    for _, r in rows.iterrows():
        word = _VERDICT_WORDS.get(str(r.get("verdict")), str(r.get("verdict")))
        side = str(r.get("side")) if str(r.get("side")) in ("left", "right") else ""
        if r.get("verdict") in ("looser", "tighter"):
            size = r.get("size")
            if isinstance(size, str) and size:
                word = f"{size} {word}"
            change, rate = r.get("change"), r.get("slope_30d")
            if not single:
                pass
            elif change is not None and np.isfinite(change):
                word += f" ({signed_label(change)} so far)"
            elif rate is not None and np.isfinite(rate):
                word += f" ({signed_label(rate)}/month)"
        parts.append(f"{side[:1].upper()}: {word}" if side else word)
    return ", ".join(parts)


def tightness_panel(curve: pd.DataFrame, key: str, *, trends: pd.DataFrame | None = None,
                    ax: "Axes | None" = None, legend: bool = True) -> "Axes":
    """Tightness of one stretch (or muscle group) over time, with its trend verdict.

    Points are the daily average tightness ratings (left = blue circles, right =
    orange squares, both sides = black diamonds); the line of the same colour is
    the smoothed curve (LOWESS). The panel title names the stretch and gives the
    verdict in words (clearly or slowly looser or TIGHTER, no change you would feel,
    not sure yet, not enough data) with the change so far where there is one.

    Parameters
    ----------
    curve : DataFrame
        From :func:`stretchlog.trends.tightness.tightness_curve` (``date``, ``tightness``,
        ``smoothed``; key columns ``stretch_id`` and ``side``, or ``muscle_group``).
    key : str
        The stretch id (or muscle group) to draw.
    trends : DataFrame, optional
        From :func:`stretchlog.trends.tightness.tightness_trends` at the same level, for the
        name and the verdict.
    ax : matplotlib Axes, optional
    legend : bool
        Show which mark is which side.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from stretchlog.plots import tightness_panel
    >>> c = pd.DataFrame({"stretch_id": ["pigeon-pose"] * 3, "side": ["left"] * 3,
    ...                   "date": pd.date_range("2026-01-01", periods=3, freq="7D"),
    ...                   "tightness": [7.0, 6.0, 5.0], "smoothed": [6.9, 6.0, 5.1]})
    >>> from matplotlib.figure import Figure
    >>> tightness_panel(c, "pigeon-pose", ax=Figure().add_subplot()).get_ylabel()
    'tightness (0-10)'
    """
    ax = get_axes(ax, (5.0, 3.4))
    tidy_axes(ax, grid="y")
    col = _key_column(curve) if len(curve) else "stretch_id"
    data = curve[curve[col].astype("str") == key] if col in curve.columns else curve.iloc[:0]
    rows = pd.DataFrame()
    name = key
    if trends is not None and len(trends):
        tcol = _key_column(trends)
        rows = trends[trends[tcol].astype("str") == key]
        if len(rows) and "name" in rows:
            name = str(rows["name"].iloc[0])
    if name == key and key.startswith("custom:"):
        name = key[len("custom:"):]
    name = name[:1].upper() + name[1:]
    verdict = _verdict_text(rows) if len(rows) else ""
    ax.set_title(wrap(name, 34) + ("\n" + verdict if verdict else ""), loc="left", fontsize=9.5,
                 color=OKABE_ITO["vermillion"] if "TIGHTER" in verdict else INK)
    ax.set_ylabel("tightness (0-10)", fontsize=9, color=INK)
    ax.set_xlabel("date", fontsize=9, color=INK)
    ax.set_ylim(-0.4, 10.4)
    ax.set_yticks(range(0, 11, 2))
    if data.empty:
        no_data(ax, "No tightness ratings for this one yet.")
        date_axis(ax, None)
        return ax
    sides = data["side"].astype("str") if "side" in data else pd.Series("all", index=data.index)
    handles = []
    for side in pd.unique(sides):
        st = SIDE_STYLE.get(side, dict(color=INK, marker="D", label="all sides"))
        part = data[sides == side].sort_values("date")
        ax.plot(part["date"], part["tightness"], linestyle="none", marker=st["marker"],
                markersize=4.5, color=st["color"], alpha=0.55, markeredgewidth=0, zorder=2)
        if "smoothed" in part and part["smoothed"].notna().any():
            ok = part["smoothed"].notna()
            ax.plot(part.loc[ok, "date"], part.loc[ok, "smoothed"], color=st["color"],
                    linewidth=2.2,
                    zorder=3, linestyle="-" if side != "right" else (0, (5, 1.5)))
        handles.append(Line2D([], [], color=st["color"], marker=st["marker"], markersize=5,
                              linewidth=1.8, linestyle="-" if side != "right" else (0, (5, 1.5)),
                              label=st["label"]))
    date_axis(ax, data["date"], maxticks=4, offset=False)
    if legend and len(handles) > 1:
        ax.legend(handles=_side_handles(data), loc="lower left", fontsize=MIN_FONT_PT, frameon=True,
                  framealpha=0.85, edgecolor="none", ncols=len(handles), handlelength=1.8,
                  borderaxespad=0.2)
    return ax


def tightness_grid(curve: pd.DataFrame, *, trends: pd.DataFrame | None = None,
                   keys: Sequence[str] | None = None,
                   axes: np.ndarray | Sequence["Axes"] | None = None,
                   ncols: int = 3) -> np.ndarray:
    """Small multiples: one :func:`tightness_panel` per stretch (or muscle group).

    Parameters
    ----------
    curve, trends : DataFrame
        As for :func:`tightness_panel` (both at the same level).
    keys : sequence of str, optional
        Which panels, in order (default :func:`tightness_keys`).
    axes : array of Axes, optional
        Axes to fill, at least one per key (extra ones are hidden); the first panel
        then shows which mark is which side. When None, a new figure with a grid of
        ``ncols`` columns is made, with the key in a row of its own right above the
        panels (under the title).
    ncols : int
        Columns of the new grid.

    Returns
    -------
    numpy.ndarray of Axes
        The axes, flattened, one per key (hidden extras not included).

    Examples
    --------
    >>> import pandas as pd
    >>> from stretchlog.plots import tightness_grid
    >>> c = pd.DataFrame({"stretch_id": ["a", "b"], "side": ["both", "both"],
    ...                   "date": pd.to_datetime(["2026-01-01", "2026-01-02"]),
    ...                   "tightness": [5.0, 6.0], "smoothed": [float("nan")] * 2})
    >>> from matplotlib.figure import Figure
    >>> len(tightness_grid(c, axes=Figure().subplots(1, 2)))
    2
    """
    keys = list(keys) if keys is not None else tightness_keys(curve, trends)
    n = max(len(keys), 1)
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = max(1, min(ncols, n))
        nrows = -(-n // ncols)
        fig = plt.figure(figsize=(3.7 * ncols, 2.8 * nrows + 1.1), layout="constrained")
        fig.suptitle("Which muscles are getting looser, and which tighter?", x=0.01,
                     ha="left", fontsize=12, fontweight="bold", color=INK)
        # a thin first row holds the key, right above the panels it explains
        top = 1 if keys else 0
        spec = fig.add_gridspec(nrows + top, ncols,
                                height_ratios=[_KEY_ROW_IN] * top + [2.8] * nrows)
        flat = np.empty(nrows * ncols, dtype=object)
        for i in range(nrows * ncols):
            flat[i] = fig.add_subplot(spec[top + i // ncols, i % ncols],
                                      sharex=flat[0] if i else None, sharey=flat[0] if i else None)
            if i % ncols:
                flat[i].tick_params(axis="y", labelleft=False)
        if keys:
            key_ax = fig.add_subplot(spec[0, :])
            key_ax.set_axis_off()
            key_ax.legend(handles=_side_handles(curve), loc="lower left", bbox_to_anchor=(0, 0),
                          ncols=3, frameon=False, fontsize=MIN_FONT_PT, borderaxespad=0,
                          title=wrap("Dots = daily tightness ratings; lines = smoothed curve "
                                     "(LOWESS). Verdict under each name.", 50 * ncols),
                          title_fontsize=MIN_FONT_PT, alignment="left")
        own = True
    else:
        flat = np.asarray(axes, dtype=object).ravel()
        if len(flat) < len(keys):
            raise ValueError(f"tightness_grid needs {len(keys)} axes for {len(keys)} panels, "
                             f"got {len(flat)}")
        own = False
    if not keys:
        ax = flat[0]
        tidy_axes(ax, grid=None)
        titles(ax, "Which muscles are getting looser?", xlabel="date", ylabel="tightness (0-10)")
        ax.set_ylim(-0.4, 10.4)
        no_data(ax, "No tightness ratings yet: add a 0-10 tightness rating to your bouts.")
        for extra in flat[1:]:
            extra.set_visible(False)
        return flat[:1]
    for i, key in enumerate(keys):
        tightness_panel(curve, key, trends=trends, ax=flat[i], legend=not own and i == 0)
    for extra in flat[len(keys):]:
        extra.set_visible(False)
    if own:  # shared dates: the whole log's range, whatever one panel asked for
        first, last = pd.Timestamp(curve["date"].min()), pd.Timestamp(curve["date"].max())
        pad = max((last - first) * 0.03, pd.Timedelta(days=7))
        flat[0].set_xlim(first - pad, last + pad)
        ncols = flat[0].get_subplotspec().get_gridspec().ncols
        for i, ax in enumerate(flat[: len(keys)]):
            if i % ncols:
                ax.set_ylabel("")
            if i + ncols < len(keys):  # a panel below shows the dates
                ax.set_xlabel("")
                ax.tick_params(axis="x", labelbottom=False)
            else:
                ax.tick_params(axis="x", labelbottom=True)
    return flat[: len(keys)]


def _side_handles(curve: pd.DataFrame) -> list[Line2D]:
    sides = set(curve["side"].astype("str")) if "side" in curve and len(curve) else {"all"}
    handles = []
    for side in ("left", "right", "both", "all"):
        if side in sides:
            st = SIDE_STYLE.get(side, dict(color=INK, marker="D", label="all sides", letter=""))
            label = f"{st['label']} ({st['letter']})" if side in ("left", "right") else st["label"]
            handles.append(Line2D([], [], color=st["color"], marker=st["marker"], markersize=5,
                                  linewidth=1.8,
                                  linestyle=(0, (5, 1.5)) if side == "right" else "-",
                                  label=label))
    return handles
