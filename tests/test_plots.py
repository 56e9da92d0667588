"""Chart functions: each returns an Axes, draws where it is told, touches no global
state, is titled and labelled, survives empty and one-row input, and renders to PNG."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from conftest import SAMPLE
from stretchlog import plots
from stretchlog.log.reader import load_log
from stretchlog.model.sessions import sessions
from stretchlog.effects.relief import lasting_relief, relief_report
from stretchlog.routine.build import routine
from stretchlog.routine.types import Routine, RoutineItem
from stretchlog.trends.tightness import tightness_curve, tightness_trends
from stretchlog.trends.pain import pain_over_time
from stretchlog.trends.sides import side_asymmetry

TODAY = date(2026, 10, 1)


# --------------------------------------------------------------------------- data


@pytest.fixture(scope="module")
def sample():
    """Every result frame the charts draw, from the sample log."""
    bouts = load_log(SAMPLE).bouts
    ses = sessions(bouts)
    by_side = relief_report(bouts, by_side=True)
    return {
        "bouts": bouts,
        "sessions": ses,
        "effects": relief_report(bouts).effects,
        "effects_by_side": by_side.effects,
        "sides": by_side.sides,
        "lasting": lasting_relief(bouts),
        "pain": pain_over_time(bouts),
        "curve": tightness_curve(bouts),
        "trends": tightness_trends(bouts),
        "asymmetry": side_asymmetry(bouts),
        "routine": routine(bouts, seed=1, today=TODAY),
    }


def _effects_row(**kw) -> pd.DataFrame:
    row = dict(stretch="pigeon-pose", name="Pigeon pose", effect=0.8, ci_low=0.2, ci_high=1.4,
               evidence="strong", harmful=False, rank=1, n_bouts=12)
    row.update(kw)
    return pd.DataFrame([row])


def _item(**kw) -> RoutineItem:
    fields = dict(position=1, stretch="pigeon-pose", name="Pigeon pose", role="works",
                  side="each side",
                  hold_s=30, reps=3, seconds=205, dose_from="your usual", effect=0.8, ci_low=0.2,
                  ci_high=1.4, p_helps=0.99, n_bouts=12, n_sessions=8, evidence="strong",
                  reason="eases pain by about 0.8 points per bout, 12 bouts, strong evidence")
    fields.update(kw)
    return RoutineItem(**fields)


ONE_SESSION = pd.DataFrame({"session_id": [1], "date": pd.to_datetime(["2026-03-02"]),
                            "start": pd.to_datetime(["2026-03-02 21:00"]), "start_pain": [6.0],
                            "end_pain": [4.0], "relief": [2.0]})
ONE_CURVE = pd.DataFrame({"stretch_id": ["pigeon-pose"], "side": ["left"],
                          "date": pd.to_datetime(["2026-03-02"]), "tightness": [7.0],
                          "smoothed": [np.nan]})
ONE_TREND = pd.DataFrame({"stretch_id": ["pigeon-pose"], "name": ["Pigeon pose"], "side": ["left"],
                          "slope_30d": [np.nan], "verdict": ["not enough data"]})
ONE_SIDE = pd.DataFrame({"stretch_id": ["psoas-stretch-kneeling"], "name": ["Psoas stretch 1"],
                         "tight_left": [7.5], "tight_right": [6.1], "tight_lo": [0.9],
                         "tight_hi": [1.9], "imbalance": [True]})


def _empty_like(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.iloc[:0]


# Each chart: name -> draw(data, ax) for the full sample, an empty input and a single row.
CHARTS = {
    "relief_forest": {
        "full": lambda d, ax: plots.relief_forest(d["effects"], ax=ax),
        "by_side": lambda d, ax: plots.relief_forest(d["effects_by_side"], ax=ax),
        "empty": lambda d, ax: plots.relief_forest(_empty_like(d["effects"]), ax=ax),
        "single": lambda d, ax: plots.relief_forest(_effects_row(), ax=ax),
    },
    "relief_lasting": {
        "full": lambda d, ax: plots.relief_lasting(d["effects"], d["lasting"], ax=ax),
        "empty": lambda d, ax: plots.relief_lasting(_empty_like(d["effects"]),
                                                    _empty_like(d["lasting"]), ax=ax),
        "single": lambda d, ax: plots.relief_lasting(
            _effects_row(), pd.DataFrame({"stretch": ["pigeon-pose"], "lasting": [0.1],
                                          "ci_low": [-0.5], "ci_high": [0.7]}), ax=ax),
    },
    "pain_timeline": {
        "full": lambda d, ax: plots.pain_timeline(d["sessions"], trend=d["pain"], ax=ax),
        "no_trend": lambda d, ax: plots.pain_timeline(d["sessions"], ax=ax),
        "empty": lambda d, ax: plots.pain_timeline(_empty_like(d["sessions"]), ax=ax),
        "single": lambda d, ax: plots.pain_timeline(ONE_SESSION, ax=ax),
    },
    "tightness_panel": {
        "full": lambda d, ax: plots.tightness_panel(d["curve"], "psoas-stretch-kneeling",
                                                    trends=d["trends"], ax=ax),
        "empty": lambda d, ax: plots.tightness_panel(_empty_like(d["curve"]), "pigeon-pose", ax=ax),
        "single": lambda d, ax: plots.tightness_panel(ONE_CURVE, "pigeon-pose", trends=ONE_TREND,
                                                      ax=ax),
    },
    "left_right": {
        "full": lambda d, ax: plots.left_right(d["asymmetry"], ax=ax),
        "relief": lambda d, ax: plots.left_right(d["sides"], measure="relief", ax=ax),
        "empty": lambda d, ax: plots.left_right(_empty_like(d["asymmetry"]), ax=ax),
        "single": lambda d, ax: plots.left_right(ONE_SIDE, ax=ax),
    },
    "habit_calendar": {
        "full": lambda d, ax: plots.habit_calendar(d["sessions"], ax=ax),
        "empty": lambda d, ax: plots.habit_calendar(_empty_like(d["sessions"]), ax=ax),
        "single": lambda d, ax: plots.habit_calendar(ONE_SESSION, ax=ax),
    },
    "routine_card": {
        "full": lambda d, ax: plots.routine_card(d["routine"], ax=ax),
        "new_user": lambda d, ax: plots.routine_card(routine(None, seed=1, today=TODAY), ax=ax),
        "empty": lambda d, ax: plots.routine_card(Routine(mode="full", minutes=1.0, items=(),
                                                          made_on=TODAY), ax=ax),
        "single": lambda d, ax: plots.routine_card(
            Routine(mode="flare", minutes=5.0, items=(_item(),), safety=("Pain has stayed high.",),
                    made_on=TODAY), ax=ax),
    },
}
CASES = [(chart, case) for chart, cases in CHARTS.items() for case in cases]


def _title(ax: Axes) -> str:
    return ax.get_title(loc="left") or ax.get_title()


@pytest.fixture
def clean_pyplot():
    plt.close("all")
    yield
    plt.close("all")


# --------------------------------------------------------------------------- every chart


@pytest.mark.parametrize(("chart", "case"), CASES, ids=[f"{c}-{k}" for c, k in CASES])
def test_draws_on_given_axes_without_global_state(sample, chart, case, clean_pyplot, tmp_path):
    rc_before = dict(matplotlib.rcParams)
    figs_before = plt.get_fignums()
    fig = Figure(figsize=(8, 6), layout="constrained")  # not known to pyplot
    ax = fig.add_subplot()
    out = CHARTS[chart][case](sample, ax)
    assert out is ax
    assert plt.get_fignums() == figs_before, "a chart given an Axes must not make a figure"
    assert dict(matplotlib.rcParams) == rc_before, "a chart must not change rcParams"
    assert _title(ax).strip(), "every chart says what question it answers"
    if chart != "routine_card":
        assert ax.get_xlabel().strip(), "the x axis says what it measures, with its unit"
        named_rows = [t for t in ax.get_yticklabels() if t.get_text()]  # stretch names
        assert ax.get_ylabel().strip() or named_rows or case == "empty"
    if case == "empty":
        assert any(t.get_text().strip() for t in ax.texts), "an empty chart says why it is empty"
    path = tmp_path / f"{chart}-{case}.png"
    fig.savefig(path, dpi=100)
    assert path.stat().st_size > 5_000
    assert plt.get_fignums() == figs_before and dict(matplotlib.rcParams) == rc_before


@pytest.mark.parametrize("chart", list(CHARTS))
def test_without_axes_makes_one_new_figure(sample, chart, clean_pyplot):
    rc_before = dict(matplotlib.rcParams)
    ax = CHARTS[chart]["full"](sample, None)
    assert isinstance(ax, Axes)
    assert plt.get_fignums() == [ax.figure.number]
    assert dict(matplotlib.rcParams) == rc_before
    w, h = ax.figure.get_size_inches()
    assert 4 <= w <= 12 and 3 <= h <= 16, "readable at 100 dpi without scrolling sideways"


# --------------------------------------------------------------------------- what is drawn


def test_forest_follows_the_ranking_and_names_harm_in_words(sample, clean_pyplot):
    eff = sample["effects"]
    ax = plots.relief_forest(eff, ax=Figure().add_subplot())
    names = [t.get_text() for t in ax.get_yticklabels()]
    ranked = eff.sort_values("rank")["name"]
    ranked = ranked.str.slice(0, 1).str.upper() + ranked.str.slice(1)
    assert names == ranked.tolist()
    texts = [t.get_text() for t in ax.texts]
    worse = [t for t in texts if "worse" in t]
    assert len(worse) == int(eff["harmful"].sum()) >= 1
    # each row says its verdict in words, the same word as the effects table
    said = [t.split(":")[0] for t in texts if ":" in t]
    assert said == eff.sort_values("rank")["verdict"].tolist()
    assert ax.get_xlabel() == "pain relief per bout (points on the 0-10 scale; right = less pain)"
    assert any(line.get_xdata()[0] == 0 for line in ax.get_lines() if len(line.get_xdata()) == 2)


def test_forest_evidence_differs_by_shape_not_only_colour():
    eff = pd.concat([_effects_row(evidence="strong", rank=1),
                     _effects_row(name="B", evidence="some", rank=2),
                     _effects_row(name="C", evidence="too little data - try it more", rank=3),
                     _effects_row(name="D", effect=-0.8, ci_low=-1.2, ci_high=-0.3, harmful=True,
                                  rank=4)])
    ax = plots.relief_forest(eff, ax=Figure().add_subplot())
    marks = [(line.get_marker(), line.get_markerfacecolor()) for line in ax.get_lines()
             if line.get_linestyle() == "None"]
    assert len(set(marks)) == 4
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["strong evidence", "some evidence", "too little data (try it more)",
                      "makes pain worse (ease off)"]


def test_forest_says_when_stretches_cannot_be_told_apart():
    eff = pd.concat([_effects_row(), _effects_row(name="Side bend", effect=np.nan, ci_low=np.nan,
                                                  ci_high=np.nan, evidence="cannot separate",
                                                  rank=pd.NA)])
    ax = plots.relief_forest(eff, ax=Figure().add_subplot())
    assert any("cannot be told apart" in t.get_text() for t in ax.texts)


def test_left_right_flags_imbalance_in_words(sample):
    ax = plots.left_right(sample["asymmetry"], ax=Figure().add_subplot())
    flagged = [t.get_text() for t in ax.texts if "imbalance" in t.get_text()]
    assert len(flagged) == int(sample["asymmetry"]["imbalance"].sum())
    assert ax.get_yticklabels()[0].get_text().startswith("Psoas")  # largest difference on top


def test_left_right_rejects_an_unknown_measure():
    with pytest.raises(ValueError, match="measure"):
        plots.left_right(ONE_SIDE, measure="pain", ax=Figure().add_subplot())


def test_pain_timeline_draws_the_meaningful_change_band(sample):
    ax = plots.pain_timeline(sample["sessions"], trend=sample["pain"], ax=Figure().add_subplot())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(label.startswith("no meaningful change") for label in labels)
    assert ax.get_ylim()[0] < 0 < 10 < ax.get_ylim()[1]


def test_habit_calendar_counts_every_session(sample):
    ax = plots.habit_calendar(sample["sessions"], ax=Figure().add_subplot())
    numbers = sum(int(t.get_text()) for t in ax.texts if t.get_text().isdigit())
    assert numbers == len(sample["sessions"])
    days = [t.get_text() for t in ax.get_yticklabels()]
    assert days == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_tightness_grid_fills_given_axes_and_hides_extras(sample, clean_pyplot):
    fig = Figure(figsize=(12, 16), layout="constrained")
    grid = fig.subplots(5, 3).ravel()
    keys = plots.tightness_keys(sample["curve"], sample["trends"])
    axes = plots.tightness_grid(sample["curve"], trends=sample["trends"], axes=grid)
    assert len(axes) == len(keys) == 13
    assert all(a.get_visible() for a in axes) and not any(a.get_visible() for a in grid[13:])
    assert all(_title(a) for a in axes)
    assert "TIGHTER" in " ".join(_title(a) for a in axes)  # the TFL right side in the sample
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="needs 13 axes"):
        plots.tightness_grid(sample["curve"], trends=sample["trends"], axes=grid[:4])


def test_tightness_grid_makes_its_own_figure(sample, clean_pyplot):
    axes = plots.tightness_grid(sample["curve"], keys=["psoas-stretch-kneeling", "side-bend"])
    assert len(axes) == 2 and plt.get_fignums() == [axes[0].figure.number]
    empty = plots.tightness_grid(_empty_like(sample["curve"]))
    assert len(empty) == 1 and _title(empty[0])


def test_routine_card_puts_safety_first_and_lists_items_in_order(sample):
    r = Routine(mode="full", minutes=5.0, made_on=TODAY, safety=("Pain has stayed at 7 or more.",),
                items=(_item(), _item(position=2, name="Side bend", role="experiment",
                                      reason="experiment: rate your pain before and after")))
    ax = plots.routine_card(r, ax=Figure(figsize=(8.3, 4)).add_subplot())
    texts = [t.get_text() for t in ax.texts]
    safety = next(i for i, t in enumerate(texts) if t.startswith("SAFETY FIRST"))
    first = next(i for i, t in enumerate(texts) if t.startswith("1."))
    second = next(i for i, t in enumerate(texts) if t.startswith("2."))
    assert safety < first < second
    assert any("not a diagnosis" in t for t in texts)


def test_import_stretchlog_does_not_import_matplotlib():
    code = "import sys, stretchlog; assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
