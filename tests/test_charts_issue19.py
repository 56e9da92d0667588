"""Issue 19, "charts fixed as listed": each fix measured on the drawn chart.

- left/right: equal sides show both marks, and the legend sits beside the chart;
- tightness small multiples: the key sits right above the panels, at a readable size;
- relief axes: no two tick labels touch, with many and with few stretches;
- habit calendar: a log that starts mid-week on the 2nd of a month is labelled by
  that month, not by the previous month its first Monday falls in;
- report charts: no text under 9 pt at the figure's natural size (phone widths).
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from conftest import SAMPLE
from stretchlog import analyse, plots
from stretchlog.plots.style import MIN_FONT_PT

#: A log whose sessions all fall in the first days of December 2026, starting on a
#: Wednesday: the Monday of its first week is 30 November.
EARLY_DECEMBER = pd.to_datetime(["2026-12-02", "2026-12-03", "2026-12-03", "2026-12-05",
                                 "2026-12-06"])


@pytest.fixture(scope="module")
def an():
    return analyse(SAMPLE)


@pytest.fixture
def clean_pyplot():
    plt.close("all")
    yield
    plt.close("all")


def _drawn(fig):
    """Lay the figure out and return its renderer."""
    fig.draw_without_rendering()
    return fig._get_renderer()


def _points(fig, pixels: float) -> float:
    return pixels * 72.0 / fig.dpi


def _effects(n: int, lo: float, hi: float, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    effect = rng.uniform(lo, hi, n)
    half = rng.uniform(0.1, 0.5, n)
    verdicts = ["helps", "may help", "no clear effect", "too small to feel", "slightly worse"]
    return pd.DataFrame({
        "stretch": [f"stretch-{i}" for i in range(n)],
        "name": [f"Stretch number {i}" for i in range(n)],
        "effect": effect, "ci_low": effect - half, "ci_high": effect + half,
        "rank": np.arange(1, n + 1), "evidence": ["some"] * n, "harmful": [False] * n,
        "verdict": [verdicts[i % len(verdicts)] for i in range(n)], "n_bouts": [10] * n,
    })


# --------------------------------------------------------------------------- left and right


EQUAL = pd.DataFrame({"name": ["Psoas stretch", "Pigeon pose"], "tight_left": [6.0, 5.0],
                      "tight_right": [6.0, 3.0], "tight_lo": [-0.4, 1.5], "tight_hi": [0.4, 2.5],
                      "imbalance": [False, True]})


def _side_marks(ax):
    """The left (circle) and right (square) mark lines of a left/right chart."""
    marks = {line.get_marker(): line for line in ax.get_lines() if line.get_linestyle() == "None"}
    return marks["o"], marks["s"]


@pytest.mark.parametrize("frame", ["equal", "sample"])
def test_left_right_equal_sides_show_both_marks(an, frame, clean_pyplot):
    data = EQUAL if frame == "equal" else an.trends.sides
    ax = plots.left_right(data)
    fig = ax.figure
    _drawn(fig)
    left, right = _side_marks(ax)
    at_left = left.get_transform().transform(np.column_stack(left.get_data()))
    at_right = right.get_transform().transform(np.column_stack(right.get_data()))
    size = max(left.get_markersize(), right.get_markersize())
    lx = pd.Series(left.get_xdata(), dtype="float64").to_numpy()
    rx = pd.Series(right.get_xdata(), dtype="float64").to_numpy()
    same = np.isclose(lx, rx)
    assert same.any(), "the case under test: a row whose sides are equal"
    apart = np.hypot(*(at_left[same] - at_right[same]).T)
    # the centres are at least one mark apart: neither mark covers the other
    assert (_points(fig, apart) >= size).all()
    # left is drawn above its row, right below (y grows upwards on screen)
    assert (at_left[:, 1] > at_right[:, 1]).all()


@pytest.mark.parametrize("measure", ["tightness", "relief"])
def test_left_right_legend_sits_beside_the_chart(an, measure, clean_pyplot):
    ax = plots.left_right(an.trends.sides if measure == "tightness" else an.side_relief,
                          measure=measure)
    fig = ax.figure
    renderer = _drawn(fig)
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["left side", "right side"]
    box, axes = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert box.x0 >= axes.x1 - 1, "right of the plot area"
    assert _points(fig, axes.y0 - box.y1) <= 12, "level with the bottom of the plot area"
    lo, hi = sorted(ax.get_xlim())
    ticks = [t for t in ax.get_xticklabels() if lo <= t.get_position()[0] <= hi]  # the drawn ones
    others = [*ax.texts, ax.xaxis.label, *ticks]
    for text in others:  # the numbers beside each row, the axis label and ticks stay readable
        if text.get_visible() and text.get_text():
            assert not box.overlaps(text.get_window_extent(renderer)), text.get_text()
    assert all(t.get_fontsize() >= MIN_FONT_PT for t in legend.get_texts())


# --------------------------------------------------------------------------- tightness


def test_tightness_key_sits_right_above_the_panels(an, clean_pyplot):
    axes = plots.tightness_grid(an.tightness_curve(), trends=an.trends.by_stretch_side)
    fig = axes[0].figure
    renderer = _drawn(fig)
    legends = [a.get_legend() for a in fig.axes if a.get_legend() is not None] + fig.legends
    assert len(legends) == 1
    key = legends[0]
    box = key.get_window_extent(renderer)
    panels = Bbox.union([a.get_tightbbox(renderer) for a in axes])  # with their titles
    assert box.y0 >= panels.y1 - 1, "above the panels, not over them"
    assert _points(fig, box.y0 - panels.y1) <= 18, "right above them, not a page away"
    assert panels.x0 - 1 <= box.x0 and box.x1 <= panels.x1 + 1, "within the panels' width"
    assert not box.overlaps(fig._suptitle.get_window_extent(renderer)), "under the title"
    texts = [key.get_title(), *key.get_texts()]
    assert all(t.get_fontsize() >= MIN_FONT_PT for t in texts)


def test_tightness_panel_key_is_readable(an):
    fig = Figure(figsize=(12, 16), layout="constrained")
    grid = fig.subplots(5, 3).ravel()
    axes = plots.tightness_grid(an.tightness_curve(), trends=an.trends.by_stretch_side, axes=grid)
    key = axes[0].get_legend()
    assert key is not None
    assert all(t.get_fontsize() >= MIN_FONT_PT for t in key.get_texts())


# --------------------------------------------------------------------------- tick labels


def _min_tick_gap(ax) -> tuple[float, list[str]]:
    """The smallest gap (points) between neighbouring x tick labels inside the view."""
    fig = ax.figure
    renderer = _drawn(fig)
    lo, hi = sorted(ax.get_xlim())
    labels = [t for t in ax.get_xticklabels()
              if t.get_visible() and t.get_text() and lo <= t.get_position()[0] <= hi]
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    gaps = [_points(fig, b.x0 - a.x1) for a, b in zip(boxes, boxes[1:])]
    return (min(gaps) if gaps else np.inf), [t.get_text() for t in labels]


#: The least gap between two tick labels: a character at 9 pt. Matplotlib's default
#: ticks left 2.5 pt here ("-0.75-0.50-0.25" read as one number).
TICK_GAP_PT = 9


@pytest.mark.parametrize("n", [1, 3, 13, 22, 40])
@pytest.mark.parametrize("span", [(-0.3, 0.4), (-0.55, 1.05), (-1.2, 1.5), (-2.5, 3.0)])
@pytest.mark.parametrize("name_length", [10, 23])
def test_relief_tick_labels_keep_apart(n, span, name_length, clean_pyplot):
    eff = _effects(n, *span)
    eff["name"] = ["N" * name_length] * n  # longer names leave a narrower plot area
    ax = plots.relief_forest(eff)  # its own figure, as in the report
    gap, labels = _min_tick_gap(ax)
    assert len(labels) >= 2, labels
    assert gap >= TICK_GAP_PT, f"tick labels touch: {labels}"


@pytest.mark.parametrize("width", [6.5, 8, 10])
@pytest.mark.parametrize("long_names", [False, True])
def test_relief_tick_labels_keep_apart_on_given_axes(width, long_names):
    eff = _effects(13, -0.55, 1.05)
    if long_names:
        eff["name"] = eff["name"] + " with a long, long name (right)"
    fig = Figure(figsize=(width, 7), layout="constrained")
    with warnings.catch_warnings():  # a too-narrow figure may collapse the layout
        warnings.simplefilter("ignore", UserWarning)
        ax = plots.relief_forest(eff, ax=fig.add_subplot())
        gap, labels = _min_tick_gap(ax)
    assert labels, "at least one tick is left to read the scale by"
    assert gap >= TICK_GAP_PT, f"tick labels touch: {labels}"


def test_other_relief_axes_keep_tick_labels_apart(an, clean_pyplot):
    charts = [
        plots.relief_lasting(an.relief.effects, an.lasting),
        plots.left_right(an.trends.sides),
        plots.left_right(an.side_relief if len(an.side_relief) else an.trends.sides,
                         measure="relief"),
    ]
    for ax in charts:
        gap, labels = _min_tick_gap(ax)
        assert len(labels) >= 2 and gap >= TICK_GAP_PT, labels


# --------------------------------------------------------------------------- months


def test_calendar_names_the_month_the_sessions_are_in(clean_pyplot):
    ax = plots.habit_calendar(pd.DataFrame({"date": EARLY_DECEMBER}))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["Dec 2026"]
    assert {d.strftime("%b %Y") for d in EARLY_DECEMBER} == {"Dec 2026"}


def test_calendar_months_across_a_year_end(clean_pyplot):
    dates = pd.to_datetime(["2026-12-30", "2027-01-02", "2027-01-13", "2027-02-03"])
    ax = plots.habit_calendar(pd.DataFrame({"date": dates}))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    # the first week (Monday 28 December) holds 2 January too, but its first session is in December
    assert labels == ["Dec 2026", "Jan 2027", "Feb"]


def test_timeline_names_the_month_the_sessions_are_in(clean_pyplot):
    ses = pd.DataFrame({"start": EARLY_DECEMBER, "start_pain": [6.0, 5, 5, 4, 4],
                        "end_pain": [4.0, 3, 4, 3, 3]})
    ax = plots.pain_timeline(ses)
    _drawn(ax.figure)
    assert ax.xaxis.get_offset_text().get_text() == "2026-Dec"
    assert "Dec" in [t.get_text() for t in ax.get_xticklabels()]


# --------------------------------------------------------------------------- phone widths


REPORT_CHARTS = {
    "habit_calendar": lambda a: plots.habit_calendar(a.sessions),
    "relief_forest": lambda a: plots.relief_forest(a.relief.effects),
    "relief_lasting": lambda a: plots.relief_lasting(a.relief.effects, a.lasting),
    "pain_timeline": lambda a: plots.pain_timeline(a.sessions, trend=a.trends.pain),
    "tightness_grid": lambda a: plots.tightness_grid(a.tightness_curve(),
                                                     trends=a.trends.by_stretch_side),
    "left_right": lambda a: plots.left_right(a.trends.sides),
}


@pytest.mark.parametrize("chart", list(REPORT_CHARTS))
def test_report_charts_text_is_at_least_9pt(an, chart, clean_pyplot):
    out = REPORT_CHARTS[chart](an)
    fig = (out.flat[0] if hasattr(out, "flat") else out).figure
    _drawn(fig)
    small = [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_FONT_PT]
    assert not small, f"text under {MIN_FONT_PT:g} pt: {small[:5]}"
