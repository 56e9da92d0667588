"""The calibration study of issue 17, fast: a few seeded logs per logging style.

``benchmarks/calibration.py`` runs the full study (hundreds of logs per style) and
prints every figure against its target; this runs each style's quick logs
(:attr:`stretchlog.testing.calibration.StudyStyle.quick_logs`) and checks that the
study runs, that its figures are sane and deterministic, and the targets the
current statistics meet with room to spare.

Targets tracked by the benchmark instead of asserted here (tighten them here once
the statistics meet them in the full run; see the report of the full run):

* coverage of the 95% relief intervals within 0.92-0.98 in every style (asserted
  below only as a floor of 0.85 in the styles where it holds, and not at all in
  ``chosen_by_pain`` and ``ten_years``, where the full run has missed it);
* tightness direction right >= 0.85 in the year and ten-year styles (asserted below
  only for the steepest trends, and that no trend is ever called the wrong way);
* false tightness trends <= 0.05 (asserted only as a gross bound of 0.25);
* <= 0.05 of logs with a false lasting, dose or left-vs-right claim (not asserted:
  the full run misses it in most styles).
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

from stretchlog.testing.calibration import (
    RESULT_COLUMNS,
    STYLES,
    SUMMARY_COLUMNS,
    TARGETS,
    relief_claims,
    run_study,
    side_relief_claims,
    side_tightness_claims,
    study_markdown,
    summarise_study,
    targets_table,
    tightness_by_slope,
    tightness_claims,
)

pytestmark = pytest.mark.slow

FOUR_MONTHS = ["per_bout", "start_end", "mixed", "sparse", "chosen_by_pain", "misspelled"]
SHARES = [
    c for c in SUMMARY_COLUMNS if c not in ("style", "logs", "sessions", "rho", "bias", "rmse")
]


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    return run_study(quick=True)


@pytest.fixture(scope="module")
def summary(results) -> pd.DataFrame:
    return summarise_study(results).set_index("style")


def test_every_style_runs_with_its_quick_logs(results, summary):
    assert list(results.columns) == RESULT_COLUMNS
    assert list(summary.index) == list(STYLES)
    for name, spec in STYLES.items():
        assert summary.loc[name, "logs"] == spec.quick_logs
        r = results[results["style"] == name]
        # every part of the analysis was read in every log ...
        assert r.groupby("seed")["part"].nunique().eq(7).all(), name
        # ... and every log has a stretch with no true relief (the null-stretch figure needs one)
        rel = r[r["part"] == "relief"]
        assert rel.groupby("seed")["truth"].apply(lambda t: (t == 0).any()).all(), name


def test_the_figures_are_sane(summary):
    assert summary["rho"].between(-1, 1).all()
    assert (summary["rmse"] >= 0).all()
    for col in SHARES:
        values = summary[col].dropna()
        assert values.between(0, 1).all(), col
    # the estimates follow the truth where the log allows it
    for style in ("per_bout", "start_end", "mixed", "misspelled", "year_trends", "ten_years"):
        assert summary.loc[style, "rho"] >= 0.5, style
        assert summary.loc[style, "rmse"] <= 0.35, style
    # the longer the log, the closer the estimates
    assert (
        summary.loc["ten_years", "rmse"]
        < summary.loc["year_trends", "rmse"]
        < summary.loc["mixed", "rmse"]
    )
    # sparse logging leaves fewer sessions and wider errors
    assert summary.loc["sparse", "sessions"] < summary.loc["mixed", "sessions"] / 2
    assert summary.loc["sparse", "rmse"] > summary.loc["mixed", "rmse"]


def test_misspelled_names_change_nothing(summary):
    # the simulator draws the typed names last, so the misspelled logs are the mixed
    # logs with other spellings: read right, every figure is the same
    a = summary.loc["misspelled"].drop("logs")
    b = summary.loc["mixed"].drop("logs")
    pd.testing.assert_series_equal(a, b, check_names=False)


def test_same_seeds_give_the_same_study(results):
    styles = ["per_bout", "year_trends"]
    again = run_study(styles, quick=True)
    before = results[results["style"].isin(styles)].reset_index(drop=True)
    pd.testing.assert_frame_equal(again.drop(columns="seconds"), before.drop(columns="seconds"))
    assert study_markdown(summarise_study(again)) == study_markdown(summarise_study(before))
    # other seeds, other logs
    other = run_study(["per_bout"], n_logs=1, first_seed=100)
    assert not np.allclose(
        other.loc[other["part"] == "relief", "estimate"].fillna(0).to_numpy()[:5],
        before.loc[before["part"] == "relief", "estimate"].fillna(0).to_numpy()[:5],
    )


# ------------------------------------------------------------------ targets the code meets now
# (the full targets are in TARGETS and printed by benchmarks/calibration.py)


@pytest.mark.parametrize(
    "style", ["per_bout", "start_end", "mixed", "sparse", "misspelled", "year_trends"]
)
def test_relief_intervals_mostly_hold_the_truth(summary, style):
    # target 0.92-0.98 tracked by the benchmark; a few logs only pin a floor
    assert summary.loc[style, "coverage"] >= 0.85


def test_tightness_trends_are_called_the_right_way(results, summary):
    for style in ("year_trends", "ten_years"):
        assert summary.loc[style, "tight_wrong"] == 0, style
        r = results[(results["style"] == style) & (results["part"] == "tightness")]
        flat = r[(r["truth"] == 0) & (r["verdict"] != "not enough data")]
        assert len(flat) >= 8, style
        # gross bound only; the target (<= 5% false trends) is tracked by the benchmark
        assert (flat["claim"] != 0).mean() <= 0.25, style
    # target >= 0.85 of all trends tracked by the benchmark; the steepest are called
    steep = tightness_by_slope(results)
    steep = steep[(steep["style"] == "year_trends") & (steep["slope"].abs() >= 0.25)]
    assert len(steep) == 2 and (steep["right"] >= 0.8).all()


def test_no_harm_claimed_for_stretches_that_do_not_harm(summary):
    assert (summary["false_harm"] <= 0.05).all()


# ------------------------------------------------------------------ the claim functions


def test_relief_claims_read_todays_labels_and_direction_labels():
    today = pd.DataFrame(
        {
            "evidence": ["strong", "some", "strong", "too little data - try it more"],
            "effect": [0.5, 0.2, -0.6, np.nan],
            "ci_low": [0.1, -0.1, -0.9, np.nan],
            "harmful": [False, False, True, False],
        }
    )
    assert relief_claims(today).tolist() == [1, 0, -1, 0]
    worded = pd.DataFrame(
        {
            "evidence": ["helps", "may help", "no clear effect", "makes it worse"],
            "effect": [0.5, 0.3, 0.0, -0.6],
            "ci_low": [0.1, 0.05, -0.2, -0.9],
            "harmful": [False, False, False, False],
        }
    )
    # "may help" is hedged: not a "helps" claim even with an interval above 0
    assert relief_claims(worded).tolist() == [1, 0, 0, -1]
    # a verdict column, where the table has one, is the claim (not the interval)
    verdicts = today.assign(
        verdict=["may help", "no clear effect", "slightly worse", "not enough data"]
    )
    assert relief_claims(verdicts).tolist() == [0, 0, -1, 0]


def test_tightness_and_side_claims():
    t = pd.DataFrame({"verdict": ["looser", "tighter", "flat", "not sure yet", "not enough data"]})
    assert tightness_claims(t).tolist() == [-1, 1, 0, 0, 0]
    sr = pd.DataFrame(
        {
            "stretch": ["a", "b"],
            "imbalance": [False, False],
            "better_side": ["", ""],
            "difference": [0.3, 0.1],
        }
    )
    sides = pd.DataFrame(
        {
            "stretch_id": ["a", "b"],
            "imbalance": [False, True],
            "tight_diff": [0.1, -1.5],
            "relief_diff": [0.3, 0.1],
            "finding": [
                "no clear difference in tightness; the left side brings more relief, by 0.3",
                "the right side is consistently tighter, by 1.5 points",
            ],
        }
    )
    assert side_relief_claims(sr, sides).to_dict() == {"a": 1, "b": 0}
    assert side_tightness_claims(sides).to_dict() == {"a": 0, "b": -1}


def test_targets_table_judges_each_target_where_it_applies(summary):
    tt = targets_table(summary.reset_index())
    assert len(tt) == len(STYLES) * len(TARGETS)
    for level in ("per stretch", "per side"):
        label = f"tightness direction right, {level}"
        direction = tt[tt["target"] == label].set_index("style")["met"]
        assert direction[FOUR_MONTHS].isna().all()  # not judged in four-month logs
        assert direction[["year_trends", "ten_years"]].notna().all()
    assert tt.loc[tt["target"] == "coverage of 95% intervals", "met"].notna().all()
    md = study_markdown(summary.reset_index())
    assert "### Targets (issue 17)" in md and md.count("\n| per_bout |") == 4


def test_the_benchmark_command_writes_the_tables(tmp_path, capsys):
    from conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "calibration_bench", ROOT / "benchmarks" / "calibration.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "cal.md"
    assert bench.main(["--styles", "per_bout", "--logs", "1", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "### Targets (issue 17)" in text and "| per_bout | 1 |" in text
    assert text in capsys.readouterr().out + "\n"
