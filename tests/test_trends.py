"""Trends, habits and safety flags: unit tests and edge cases (issue 4).

Small logs are built inline as CSV text and read with the real reader, so every
test also exercises the contract. Numbers are worked out by hand where possible.
"""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stretchlog.trends.habits import habits
from stretchlog.log.reader import load_log
from stretchlog.trends.safety import DISCLAIMER, flags_frame, safety_flags
from stretchlog.trends.tightness import (
    TREND_COLUMNS,
    VERDICTS,
    needs_more_work,
    tightness_curve,
    tightness_levels,
    tightness_trends,
)
from stretchlog.trends.fit import (
    MEMORY_DAYS,
    STIFF_DAYS,
    change_call,
    critical_value,
    direction,
    fit_mean,
    fit_trend,
    span_words,
)
from stretchlog.trends.pain import pain_over_time
from stretchlog.trends.report import trends_report
from stretchlog.analysis import analyse
from stretchlog.testing.simulate import simulate_log
from stretchlog.words import signed
from stretchlog.trends.sides import SIDE_COLUMNS, side_asymmetry, single_bout_relief

HEADER = "date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "stretch-log.csv"


def bouts_of(rows: list[str], header: str = HEADER) -> pd.DataFrame:
    """Bouts of a log given as CSV rows (read with the real reader)."""
    return load_log(io.StringIO(header + "\n" + "\n".join(rows) + "\n")).bouts


def bouts_of_text(text: str) -> pd.DataFrame:
    """Bouts of a whole log given as CSV text."""
    return load_log(io.StringIO(text)).bouts


def dates(start: str, n: int, every: int = 1) -> list[str]:
    return list(pd.date_range(start, periods=n, freq=f"{every}D").strftime("%Y-%m-%d"))


def tight_rows(
    days: list[str], values, stretch: str = "pigeon", side: str = "left", time: str = "21:00"
) -> list[str]:
    return [f"{d},{time},{stretch},{side},45,1,5,4,{v:g}," for d, v in zip(days, values)]


# --------------------------------------------------------------------------- the estimator


def test_slope_and_hac_match_statsmodels_on_a_complete_daily_series():
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    day = np.arange(101)  # span 100 days -> bandwidth 0.2 * 101 = 20.2 lags, weights 1 - l / 21.2
    y = 5 + 0.01 * day + rng.normal(0, 1, day.size)
    fit = fit_trend(
        day, y, bandwidth=20 / 101
    )  # exactly 20 lags, weights 1 - l / 21 as statsmodels
    res = sm.OLS(y, sm.add_constant(day.astype(float))).fit(
        cov_type="HAC", cov_kwds={"maxlags": 20, "use_correction": True}
    )
    assert fit.slope == pytest.approx(30 * res.params[1])
    half = (fit.hi - fit.lo) / 2 / 30
    cv = critical_value(day.size, kind="trend", bandwidth=20 / 101)
    assert half / cv == pytest.approx(res.bse[1], rel=1e-9)


def test_gaps_put_lags_on_the_calendar_not_on_rows():
    # the same values logged daily or with a gap of months: the slope is per day of the calendar
    day = np.r_[np.arange(0, 20), np.arange(160, 180)]
    y = 6 - day / 60  # -0.5 a month, exactly
    fit = fit_trend(day, y)
    assert fit.slope == pytest.approx(-0.5)
    assert fit.lo == pytest.approx(-0.5) and fit.hi == pytest.approx(-0.5)  # no noise: no width
    assert fit.enough and fit.span_days == 179


@pytest.mark.parametrize("n", [0, 1, 2])
def test_too_few_days_give_nan_not_a_warning(n):
    fit = fit_trend(np.arange(n) * 7, np.full(n, 4.0))
    assert np.isnan(fit.slope) and np.isnan(fit.lo) and not fit.enough
    assert fit.n_days == n


def test_all_the_same_value_is_flat_with_a_zero_interval():
    fit = fit_trend(np.arange(0, 60, 3), np.full(20, 6.0))
    assert (fit.slope, fit.lo, fit.hi) == (0.0, 0.0, 0.0)
    assert direction(fit.slope, fit.lo, fit.hi, 1 / 6) == 0
    m = fit_mean(np.arange(10), np.full(10, 2.0))
    assert (m.mean, m.lo, m.hi) == (2.0, 2.0, 2.0)


def test_critical_values_grow_with_bandwidth_and_shrink_with_n():
    assert critical_value(10**6, bandwidth=0.0) == pytest.approx(1.96, abs=1e-3)
    bws = [0.0, 0.05, 0.1, 0.2, 0.5]
    assert np.all(np.diff([critical_value(200, bandwidth=b) for b in bws]) > 0)
    assert critical_value(8) > critical_value(80) > critical_value(8000)
    assert critical_value(100, kind="mean") < critical_value(100, kind="trend")


def test_direction_needs_both_a_clear_interval_and_a_practical_size():
    assert direction(-0.5, -0.9, -0.1, 1 / 6) == -1
    assert direction(0.5, 0.1, 0.9, 1 / 6) == 1
    assert direction(0.1, 0.05, 0.15, 1 / 6) == 0  # certain but too small to matter
    assert direction(-0.5, -1.2, 0.2, 1 / 6) == 0  # big but unclear
    assert direction(float("nan"), float("nan"), float("nan"), 1 / 6) == 0


def test_change_call_needs_only_an_interval_clear_of_zero_and_an_equivalence_for_flat():
    # any size of change is a direction once the interval leaves out 0
    assert change_call(0.1, 0.4, 1.0) == "rising" and change_call(-3.0, -0.05, 1.0) == "falling"
    # flat: the whole interval inside the smallest change that matters, either way
    assert change_call(-0.9, 0.9, 1.0) == "no change" and change_call(0.0, 0.0, 1.0) == "no change"
    # holds 0 and reaches a change that matters on either side: not sure
    assert change_call(-1.2, 0.3, 1.0) == "not sure" and change_call(-0.2, 1.0, 1.0) == "not sure"
    assert change_call(float("nan"), float("nan"), 1.0) == "not sure"
    assert direction(0.1, 0.05, 0.15, 1 / 6) == 0  # direction() (pain trends) keeps its rule


def test_change_over_the_span_and_its_words():
    fit = fit_trend(np.arange(0, 331, 3), 6 - np.arange(0, 331, 3) / 200)  # -0.15 a month, no noise
    est, lo, hi = fit.change
    assert est == pytest.approx(-0.15 * 330 / 30) and lo == pytest.approx(est) == hi
    assert [span_words(d) for d in (0, 13, 20, 60, 61, 330, 729, 800)] == [
        "0 days", "13 days", "3 weeks", "9 weeks",
        "2 months", "11 months", "24 months", "2.2 years",
    ]


def test_persistence_widens_short_logs_more_than_long_ones():
    # the correction depends on the days logged only: more for a denser, shorter log
    rng = np.random.default_rng(1)
    ratio = []
    for days, n in ((120, 40), (365, 60)):
        d = np.sort(rng.choice(days, n, replace=False))
        y = rng.normal(5, 1, d.size)
        # against the plain interval with the same window (at most MEMORY_DAYS days)
        window = min(0.2, MEMORY_DAYS / (d[-1] - d[0] + 1.0))
        plain = fit_trend(d, y, bandwidth=window)
        wide = fit_trend(d, y, persistence=STIFF_DAYS)
        assert wide.slope == plain.slope and wide.lo < plain.lo and wide.hi > plain.hi
        ratio.append((wide.hi - wide.lo) / (plain.hi - plain.lo))
    assert ratio[0] > ratio[1] > 1.0


def test_signed_never_prints_minus_zero():
    assert signed(-0.01) == "+0.0"
    assert signed(-0.06) == "-0.1"


# --------------------------------------------------------------------------- tightness


def test_empty_log_gives_empty_frames_with_the_columns():
    b = bouts_of([])
    for by in ("stretch_side", "stretch", "muscle_group", "all"):
        t = tightness_trends(b, by=by)
        assert t.empty and list(t.columns) == TREND_COLUMNS
    assert tightness_curve(b).empty
    assert needs_more_work(tightness_trends(b)).empty
    assert side_asymmetry(b).empty and list(side_asymmetry(b).columns) == SIDE_COLUMNS


def test_a_single_reading_is_not_enough_data():
    t = tightness_trends(bouts_of(tight_rows(["2026-03-01"], [7])))
    row = t.iloc[0]
    assert row["verdict"] == "not enough data"
    assert row["tightness_now"] == 7.0 and np.isnan(row["slope_30d"])
    assert "rated on 1 day" in row["why"]


def test_a_log_without_tightness_ratings():
    b = bouts_of(["2026-03-01,21:00,pigeon,left,45,1,5,4,,"])
    assert tightness_trends(b).empty and tightness_curve(b).empty
    assert needs_more_work(tightness_trends(b)).empty


def test_loosening_with_gaps_of_months():
    days = dates("2026-01-05", 8, 2) + dates("2026-06-01", 8, 2)
    values = [8, 8, 7, 8, 8, 7, 8, 8] + [5, 5, 4, 5, 5, 4, 5, 5]
    t = tightness_trends(bouts_of(tight_rows(days, values)))
    row = t.iloc[0]
    assert row["verdict"] == "looser", row["why"]
    assert row["tightness_now"] == pytest.approx(4.75)  # the last four weeks' ratings
    assert row["slope_30d"] < 0 and row["hi_30d"] < 0


def test_all_the_same_rating_is_flat_and_says_so():
    t = tightness_trends(bouts_of(tight_rows(dates("2026-01-01", 20, 3), [6] * 20)))
    assert t.iloc[0]["verdict"] == "flat"
    assert t.iloc[0]["why"] == "flat: the same rating every time"


def test_a_slow_but_clear_loosening_is_looser_slowly_with_its_size_over_the_span():
    n = 100  # every third day for ten months, 6 down to about 5.4
    values = np.rint(6 - 0.6 * np.arange(n) / n + np.resize([-0.4, 0.2, -0.2, 0.4, 0.0], n))
    row = tightness_trends(bouts_of(tight_rows(dates("2026-01-01", n, 3), values))).iloc[0]
    assert (row["verdict"], row["size"]) == ("looser", "slowly")
    assert row["change_hi"] < 0 and -1 < row["change"] < 0
    assert row["change"] == pytest.approx(row["slope_30d"] * 297 / 30)
    assert row["why"].startswith("slowly looser: about 0.6 points looser over 10 months (95% int")
    assert "less than 1 point, the smallest change you can feel" in row["why"]


def test_flat_needs_the_interval_within_one_point_and_otherwise_it_is_not_sure_yet():
    flat = tightness_trends(bouts_of(tight_rows(dates("2026-01-01", 60, 3), np.resize([5, 6], 60))))
    row = flat.iloc[0]
    assert row["verdict"] == "flat" and row["size"] == ""
    assert -1 < row["change_lo"] <= 0 <= row["change_hi"] < 1
    assert row["why"].startswith("flat: over 6 months it changed by somewhere between")
    wild_rows = tight_rows(dates("2026-01-01", 8, 4), [3, 8, 4, 7, 2, 9, 5, 6])
    wild = tightness_trends(bouts_of(wild_rows))
    row = wild.iloc[0]
    assert row["verdict"] == "not sure yet" and row["size"] == ""
    assert row["change_lo"] < 0 < row["change_hi"] and max(-row["change_lo"], row["change_hi"]) >= 1
    assert row["why"].startswith("not sure yet: over 4 weeks the change is somewhere between")
    assert "allows no change as well as a change of 1 point or more" in row["why"]


def test_every_level_gets_the_same_rule():
    sim = simulate_log(days=240, seed=7)
    levels = tightness_levels(bouts_of_text(sim.csv_text()))
    for level, t in levels.items():
        assert set(t["verdict"]) <= set(VERDICTS), level
        enough = t[t["verdict"] != "not enough data"]
        calls = [change_call(a, b, 1.0) for a, b in zip(enough["change_lo"], enough["change_hi"])]
        words = {"rising": "tighter", "falling": "looser", "no change": "flat"}
        want = [words.get(c, "not sure yet") for c in calls]
        assert enough["verdict"].tolist() == want, level
        sized = enough["verdict"].isin(["looser", "tighter"])
        assert (enough.loc[sized, "size"].isin(["clearly", "slowly"])).all()
        assert (enough.loc[~sized, "size"] == "").all()


def test_levels_keys_and_custom_stretches():
    days = dates("2026-01-01", 12, 3)
    rows = (
        tight_rows(days, [7] * 12, "pigeon", "left")
        + tight_rows(days, [5] * 12, "pigeon", "right", time="21:05")
        + tight_rows(days, [4] * 12, "figure four", "left", time="21:10")
        + tight_rows(days, [3] * 12, "wall angel thing", "both", time="21:15")
    )
    b = bouts_of(rows)
    side = tightness_trends(b, by="stretch_side")
    assert side[["stretch_id", "side"]].to_numpy().tolist() == [
        ["pigeon-pose", "left"],
        ["pigeon-pose", "right"],
        ["seated-figure-four", "left"],
        ["custom:wallangelthing", "both"],
    ]
    stretch = tightness_trends(b, by="stretch").set_index("stretch_id")
    assert stretch.loc["pigeon-pose", "tightness_now"] == 6.0  # both sides together
    assert stretch["side"].isna().all()
    group = tightness_trends(b, by="muscle_group")
    assert "wall angel thing (not in the catalog)" in set(group["name"])
    overall = tightness_trends(b, by="all")
    assert overall["name"].tolist() == ["all stretches"] and overall["n_ratings"].item() == 48
    with pytest.raises(ValueError, match="by must be one of"):
        tightness_trends(b, by="week")


def test_curve_follows_the_series_and_skips_short_groups():
    days = dates("2026-01-01", 60, 2)
    values = np.repeat([8, 7, 6, 5, 4, 3], 10)
    rows = tight_rows(days, values) + tight_rows(
        days[:3], [5, 5, 5], "pigeon", "right", time="21:05"
    )
    c = tightness_curve(bouts_of(rows), span_days=30)
    left = c[c["side"] == "left"]
    assert len(left) == 60 and left["smoothed"].notna().all()
    assert left["smoothed"].iloc[0] > 7 and left["smoothed"].iloc[-1] < 4
    right = c[c["side"] == "right"]
    assert len(right) == 3 and right["smoothed"].isna().all()
    assert list(c.columns) == ["stretch_id", "side", "date", "tightness", "smoothed"]


def test_needs_more_work_lists_tightest_and_tightening_and_drops_stale():
    t = pd.DataFrame(
        {
            "name": ["old", "tight", "tighter", "loose"],
            "tightness_now": [9.0, 7.0, 4.0, 2.0],
            "slope_30d": [0.0, 0.0, 0.5, -0.5],
            "verdict": ["flat", "flat", "tighter", "looser"],
            "last_date": pd.to_datetime(["2025-01-01", "2026-03-01", "2026-03-01", "2026-03-01"]),
        }
    )
    out = needs_more_work(t)
    assert out["name"].tolist() == ["tight", "tighter"]
    assert out["reason"].tolist() == [
        "among the tightest now (7.0 of 10)",
        "getting tighter (+0.5 points a month)",  # a table without the change over the span
    ]


def test_needs_more_work_says_only_findings():
    t = pd.DataFrame(
        {
            "name": ["unsure", "flat", "slow", "loose", "unsure but loose"],
            "tightness_now": [8.0, 7.0, 4.0, 6.0, 2.0],
            "slope_30d": [0.3, 0.0, 0.05, -0.2, -0.3],
            "change": [2.0, 0.1, 0.5, -1.2, -1.5],
            "verdict": ["not sure yet", "flat", "tighter", "looser", "not sure yet"],
            "size": ["", "", "slowly", "clearly", ""],
            "first_date": pd.to_datetime(["2025-05-01"] * 5),
            "last_date": pd.to_datetime(["2026-03-01"] * 5),
        }
    )
    out = needs_more_work(t).set_index("name")["reason"]
    assert list(out.index) == ["unsure", "flat", "loose", "slow"]  # tightest first, then tighter
    # "not sure yet" adds nothing: not "getting tighter", however large the estimate
    assert out["unsure"] == "among the tightest now (8.0 of 10)"
    assert out["flat"] == (
        "among the tightest now (7.0 of 10), and not noticeably looser over 10 months"
    )
    assert out["loose"] == (
        "among the tightest now (6.0 of 10), though clearly loosening "
        "(about -1.2 points over 10 months)"
    )
    assert out["slow"] == "getting slowly tighter (about +0.5 points over 10 months)"


# --------------------------------------------------------------------------- left and right


def _sided(left, right, n=16, every=3):
    days = dates("2026-02-01", n, every)
    return tight_rows(days, left, "psoas stretch 1", "left") + tight_rows(
        days, right, "psoas stretch 1", "right", time="21:05"
    )


def test_a_lasting_imbalance_is_flagged():
    a = side_asymmetry(bouts_of(_sided([7, 8] * 8, [5] * 16))).iloc[0]
    assert a["imbalance"] and a["tight_diff"] == 2.5
    assert "left side is consistently tighter" in a["finding"]


def test_a_difference_that_fades_is_not_an_imbalance():
    a = side_asymmetry(bouts_of(_sided([8] * 8 + [5] * 8, [5] * 16))).iloc[0]
    assert not a["imbalance"]
    assert a["tight_diff_early"] == 3.0 and a["tight_diff_late"] == 0.0
    assert "consistently" not in a["finding"]


def test_equal_sides_and_one_side_only():
    a = side_asymmetry(bouts_of(_sided([5, 6] * 8, [6, 5] * 8))).iloc[0]
    # equal on average and pinned down to well within a point: "no difference you would feel"
    assert not a["imbalance"] and a["finding"].startswith("no difference in tightness you would feel")
    one = side_asymmetry(
        bouts_of(tight_rows(dates("2026-02-01", 10, 3), [6] * 10, "psoas stretch 1", "left"))
    )
    assert one["sides_logged"].tolist() == ["left only"]
    assert one["n_paired_days"].tolist() == [0] and not one["imbalance"].any()
    assert "nothing to compare" in one["finding"].item()
    # the trend table has the one side only, too
    assert tightness_trends(bouts_of(tight_rows(dates("2026-02-01", 10, 3), [6] * 10)))[
        "side"
    ].tolist() == ["left"]


def test_too_few_paired_days_say_so():
    a = side_asymmetry(bouts_of(_sided([8] * 4, [5] * 4, n=4))).iloc[0]
    assert not a["imbalance"] and "judging an imbalance needs" in a["finding"]


def test_left_and_right_relief_is_the_relief_models_answer():
    days = dates("2026-02-01", 8, 2)
    rows = []
    for d in days:
        rows += [f"{d},21:00,pigeon,left,45,1,6,4,,", f"{d},21:00,pigeon,right,45,1,,4,,"]
        rows += [
            f"{d},21:00,knees to chest,both,30,1,,,,",
            f"{d},21:00,spinal twist,left,30,1,,3,,",
        ]
    b = bouts_of(rows)
    rel = single_bout_relief(b)
    assert set(rel["stretch_id"]) == {"pigeon-pose"}  # the last two share a segment
    # the left/right relief columns are the relief model's answer, the same as effects --by-side
    sim = simulate_log(days=200, seed=5, style="per_bout", imbalance=True)
    an = analyse(io.StringIO(sim.csv_text()))
    model = an.side_relief.set_index("stretch")
    table = an.sides.set_index("stretch_id").loc[model.index]
    for ours, theirs in (("relief_left", "left"), ("relief_right", "right"), ("relief_diff", "difference"),
                         ("relief_lo", "ci_low"), ("relief_hi", "ci_high")):
        np.testing.assert_array_equal(table[ours].to_numpy(float), model[theirs].to_numpy(float))
    assert model["left"].notna().sum() >= 3
    claims = table["finding"].str.contains("side brings more relief")
    assert (claims == model["imbalance"].astype(bool)).all()
    # without the model's table (trends on their own) the relief columns stay empty
    alone = side_asymmetry(b).set_index("stretch_id").loc["pigeon-pose"]
    assert np.isnan(alone["relief_left"]) and "relief" not in alone["finding"]


# --------------------------------------------------------------------------- pain


def _pain_rows(days, start, end=None, time="21:00", stretch="knees to chest"):
    end = end if end is not None else [max(p - 1, 0) for p in start]
    return [f"{d},{time},{stretch},both,30,1,{p:g},{q:g},," for d, p, q in zip(days, start, end)]


def test_pain_short_log_is_not_enough_for_the_four_week_comparison():
    p = pain_over_time(bouts_of(_pain_rows(dates("2026-01-01", 10, 3), [5] * 10)))
    assert p.change.judgement == "not enough data" and "needs at least 56 days" in p.change.why
    assert p.verdict == "flat" and p.slope_30d == 0.0


@pytest.mark.parametrize(
    ("first", "last", "judgement"),
    [
        (6, 3.5, "meaningful improvement"),  # 2.5 points
        (8, 6.5, "improvement, below the meaningful change"),  # 1.5 points, 19%
        (4, 2.75, "meaningful improvement"),  # 1.25 points but 31%
        (3, 5.5, "meaningfully worse"),
    ],
)
def test_first_and_last_four_weeks_against_the_mcid(first, last, judgement):
    days = dates("2026-01-01", 90)
    wiggle = np.resize([0.5, -0.5, 0.25, -0.25], 90)
    level = np.where(np.arange(90) < 45, first, last) + wiggle
    p = pain_over_time(bouts_of(_pain_rows(days, level, end=[0] * 90)))
    assert p.change.judgement == judgement, p.change.why
    assert p.change.first_from == "2026-01-01" and p.change.last_to == "2026-03-31"
    assert p.change.first_mean == pytest.approx(first, abs=0.01)


def test_weekly_pain_includes_empty_weeks():
    days = ["2026-01-05", "2026-01-07", "2026-01-26"]
    w = pain_over_time(bouts_of(_pain_rows(days, [6, 4, 5]))).weekly
    assert w["week"].tolist() == ["2026-W02", "2026-W03", "2026-W04", "2026-W05"]
    assert w["sessions"].tolist() == [2, 0, 0, 1]
    assert w["start_pain"].iloc[0] == 5.0 and np.isnan(w["start_pain"].iloc[1])


def test_pain_trend_to_frame_has_one_row():
    f = pain_over_time(
        bouts_of(_pain_rows(dates("2026-01-01", 60, 2), np.linspace(7, 3, 60)))
    ).to_frame()
    assert len(f) == 1 and f["verdict"].item() == "improving"
    assert {"slope_30d", "change", "change_lo", "change_judgement"} <= set(f.columns)


# --------------------------------------------------------------------------- habits


def test_streaks_gaps_and_weeks():
    days = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-10", "2026-03-11"]
    b = bouts_of(_pain_rows(days, [5] * 5))
    h = habits(b, today="2026-03-12")
    assert (h.longest_gap_days, h.gap_from, h.gap_to) == (5, "2026-03-04", "2026-03-10")
    assert h.streak_last_log == 2 and h.streak_today == 2  # today not over: yesterday counts
    assert habits(b, today="2026-03-11").streak_today == 2
    assert habits(b, today="2026-03-13").streak_today == 0
    assert habits(b, today="2026-03-03").streak_today == 2  # a log running past "today"
    # 5 sessions over 10 days: too short a log for a weekly rate, said in words
    assert h.weekly["sessions"].tolist() == [3, 2] and np.isnan(h.sessions_per_week)
    assert h.rate_sentence == "5 sessions so far; a weekly rate needs a log of at least 2 weeks"
    assert h.streak_sentence.startswith("2 days in a row up to 2026-03-11")
    assert h.n_sessions == 5
    # the same 5 sessions spread over 14 days: 2.5 a week (as the log summary counts)
    later = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-10", "2026-03-15"]
    h = habits(bouts_of(_pain_rows(later, [5] * 5)), today="2026-03-16")
    assert h.sessions_per_week == 2.5 and np.isnan(h.sessions_per_week_recent)
    assert h.rate_sentence == "2.5 on average (5 sessions)"


def test_habits_of_an_empty_log_and_one_session():
    h = habits(bouts_of([]), today="2026-01-01")
    assert h.n_sessions == 0 and h.evening_vs_morning.verdict == "not enough data"
    one = habits(bouts_of(_pain_rows(["2026-01-01"], [5])), today="2026-01-01")
    assert one.longest_gap_days == 0 and one.streak_today == 1 and one.gap_from is None


def test_evening_against_morning_with_a_clear_difference_and_without_data():
    days = dates("2026-01-01", 20, 2)
    evening = _pain_rows(days, [6] * 20, end=np.resize([2, 3], 20), time="21:30")
    morning = _pain_rows(
        dates("2026-01-02", 20, 2), [6] * 20, end=np.resize([5, 4], 20), time="07:15"
    )
    e = habits(bouts_of(evening + morning)).evening_vs_morning
    assert e.verdict == "evenings bring more relief"
    assert e.relief_evening == 3.5 and e.relief_morning == 1.5
    assert e.diff == pytest.approx(2.0) and e.lo > 0
    few = habits(bouts_of(evening[:3] + morning)).evening_vs_morning
    assert few.verdict == "not enough data" and "at least 5 of each" in few.why


def test_evening_and_morning_starting_at_different_pain_are_compared_at_the_same_pain():
    # relief = start - 3 everywhere; evenings start higher. Raw means differ, the adjusted difference is 0.
    days = dates("2026-01-01", 20, 2)
    ev_start = np.resize([7, 8], 20)
    mo_start = np.resize([4, 5], 20)
    noise = np.resize([1, 1, -1, -1], 20)  # unrelated to the starting pain within each group
    rows = _pain_rows(days, ev_start, end=ev_start - 3 + noise, time="21:30")
    rows += _pain_rows(dates("2026-01-02", 20, 2), mo_start, end=mo_start - 3 + noise, time="07:15")
    e = habits(bouts_of(rows)).evening_vs_morning
    assert e.relief_evening == pytest.approx(e.relief_morning)
    assert e.verdict == "no clear difference"


# --------------------------------------------------------------------------- safety


def test_high_pain_for_more_than_72_hours_says_see_a_professional():
    rows = _pain_rows(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-06"], [4, 7, 8, 9])
    flags = safety_flags(bouts_of(rows))
    assert [f.kind for f in flags] == ["high pain persisting"]
    f = flags[0]
    assert f.severity == "see a professional" and f.ongoing
    assert (f.first_date, f.last_date) == ("2026-03-02", "2026-03-06")
    assert "doctor or physical therapist" in f.advice
    assert f.disclaimer == DISCLAIMER and "not a diagnosis" in DISCLAIMER


def test_exactly_72_hours_or_two_sessions_are_not_flagged():
    exactly = _pain_rows(
        ["2026-03-01", "2026-03-02", "2026-03-04"], [8, 8, 8]
    )  # 21:00 to 21:00: 72 h
    assert safety_flags(bouts_of(exactly)) == ()
    two = _pain_rows(["2026-03-01", "2026-03-08"], [9, 9])
    assert safety_flags(bouts_of(two)) == ()


def test_past_high_pain_is_mild_and_old_episodes_are_history():
    days = dates("2026-03-01", 12)
    recent = safety_flags(bouts_of(_pain_rows(days, [8, 8, 8, 8, 8, 4, 4, 4, 4, 4, 4, 4])))
    assert [(f.kind, f.severity, f.ongoing) for f in recent] == [
        ("high pain persisting", "ease off", False)
    ]
    days = dates("2026-03-01", 60)
    old = safety_flags(bouts_of(_pain_rows(days, [8] * 5 + [4] * 55)))
    assert old == ()


def test_steadily_worsening_pain_is_flagged_and_flat_pain_is_not():
    days = dates("2026-03-01", 40)
    level = np.r_[np.full(12, 3.0), np.linspace(3, 6.5, 28)] + np.resize([0.3, -0.3], 40)
    flags = safety_flags(bouts_of(_pain_rows(days, np.round(level, 1))))
    assert [f.kind for f in flags] == ["pain worsening"]
    assert flags[0].severity == "see a professional" and "risen steadily" in flags[0].message
    flat = np.full(40, 4.0) + np.resize([0.5, -0.5, 0, 1, -1], 40)
    assert safety_flags(bouts_of(_pain_rows(days, flat))) == ()


def test_a_stretch_that_raised_pain_in_recent_bouts():
    days = dates("2026-03-01", 8, 2)
    rows = []
    for i, d in enumerate(days):
        up = 2 if i >= 3 else 0  # side bend raises pain in its last 5 bouts
        rows += [
            f"{d},21:00,side bend,left,20,1,5,{5 + up},,",
            f"{d},21:00,pigeon,left,45,1,,{4 + up},,",
        ]
    flags = safety_flags(bouts_of(rows))
    assert [(f.kind, f.stretch_id, f.severity) for f in flags] == [
        ("stretch raised pain", "side-bend", "ease off")
    ]
    assert (
        "Side bend raised your pain" in flags[0].message
        and "Never stretch into pain" in flags[0].advice
    )
    frame = flags_frame(flags)
    assert (
        frame["stretch_id"].tolist() == ["side-bend"] and frame["disclaimer"].item() == DISCLAIMER
    )


def test_a_stretch_not_done_for_months_is_not_flagged():
    days = dates("2026-01-01", 5, 2)
    rows = [f"{d},21:00,side bend,left,20,1,5,7,," for d in days]
    rows += _pain_rows(dates("2026-04-01", 5, 2), [5] * 5, stretch="pigeon")
    assert safety_flags(bouts_of(rows)) == ()


def test_flags_come_strongest_first():
    days = dates("2026-03-01", 8)
    rows = []
    for i, d in enumerate(days):
        rows += [
            f"{d},21:00,side bend,left,20,1,8,9,,",
            f"{d},21:00,pigeon,left,45,1,,{9 if i < 7 else 8},,",
        ]
    kinds = [(f.kind, f.severity) for f in safety_flags(bouts_of(rows))]
    assert kinds[0] == ("high pain persisting", "see a professional")
    assert ("stretch raised pain", "ease off") in kinds


def test_empty_log_has_no_flags():
    assert safety_flags(bouts_of([])) == ()
    assert list(flags_frame(()).columns)[-1] == "disclaimer"


# --------------------------------------------------------------------------- report and CLI


def test_report_on_the_sample_log():
    b = load_log(SAMPLE).bouts
    r = trends_report(b, today="2026-09-30")
    assert len(r.by_stretch_side) >= 15
    assert set(r.by_stretch_side["verdict"]) <= set(VERDICTS)
    assert not r.needs_more_work.empty
    assert r.habits.streak_today == r.habits.streak_last_log
    tables = r.tables()
    assert next(iter(tables)) == "safety_flags" and "pain_by_week" in tables
    # the sample's true left/right difference (psoas, left tighter) is found
    psoas = r.sides.set_index("stretch_id").loc["psoas-stretch-kneeling"]
    assert psoas["imbalance"] and psoas["tight_diff"] > 0


@pytest.fixture
def runner_app():
    import typer
    from typer.testing import CliRunner

    from stretchlog.cli import trends as cli_trends

    app = typer.Typer()
    app.command("trends")(cli_trends.trends)

    @app.command("other")
    def _other() -> None:  # a second command keeps typer from flattening the app
        pass

    return CliRunner(), app


def test_cli_table(runner_app, write):
    runner, app = runner_app
    res = runner.invoke(app, ["trends", str(SAMPLE)], env={"COLUMNS": "140"})
    assert res.exit_code == 0, res.output
    for words in (
        "Tightness by stretch and side",
        "Needs more work",
        "Left and right",
        "Pain over time",
        "Habits",
        "meaningful change",
        "not a diagnosis",
        "Psoas stretch 1",
    ):
        assert words in res.output


def test_cli_json_and_csv_are_clean_on_stdout(runner_app):
    runner, app = runner_app
    res = runner.invoke(app, ["trends", str(SAMPLE), "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert list(data)[:2] == ["safety_flags", "tightness_by_stretch_side"]
    row = data["tightness_by_stretch_side"][0]
    assert row["first_date"].count("-") == 2 and "verdict" in row
    assert "1 warning about this log" in res.stderr  # the reader's warning went to stderr
    res = runner.invoke(app, ["trends", str(SAMPLE), "--format", "csv"])
    assert res.exit_code == 0
    blocks = res.stdout.split("\n\n")
    assert blocks[1].startswith("# tightness_by_stretch_side\nlevel,stretch_id,name,side")
    assert pd.read_csv(io.StringIO(blocks[1].split("\n", 1)[1]))["verdict"].notna().all()


def test_cli_bad_log_bad_format_and_empty_log(runner_app, write):
    runner, app = runner_app
    bad = write(HEADER + "\n2026-13-01,21:00,pigeon,left,45,1,5,4,,\n")
    assert runner.invoke(app, ["trends", str(bad)]).exit_code == 1
    assert runner.invoke(app, ["trends", str(SAMPLE), "--format", "xml"]).exit_code == 2
    empty = write(HEADER + "\n", name="empty.csv")
    res = runner.invoke(app, ["trends", str(empty)])
    assert (
        res.exit_code == 0
        and "no tightness ratings" in res.output
        and "No sessions yet" in res.output
    )
    assert runner.invoke(app, ["trends", str(empty), "--format", "json"]).exit_code == 0


def test_cli_module_imports_only_typer_pathlib_typing_at_top():
    import stretchlog.cli.trends as mod

    tree = ast.parse(Path(mod.__file__).read_text())
    top = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            top.add((node.module or "").split(".")[0])
    assert top <= {"__future__", "typer", "pathlib", "typing"}


def test_long_logs_use_a_window_of_at_most_memory_days():
    # a year rated every third day: with persistence the window is 45 days, not 73: the
    # interval is the plain one with that window times the stiff-spell correction
    rng = np.random.default_rng(3)
    d = np.arange(0, 366, 3)
    y = 5 + rng.normal(0, 0.8, d.size)
    plain = fit_trend(d, y)
    capped = fit_trend(d, y, persistence=STIFF_DAYS)
    same_window = fit_trend(d, y, bandwidth=MEMORY_DAYS / (d[-1] + 1.0))
    ratio = (capped.hi - capped.lo) / (same_window.hi - same_window.lo)
    assert 1.0 <= ratio < 1.3, ratio
    # the plain 20% window: the larger fixed-b critical value of a wider window
    assert critical_value(122, bandwidth=0.2) > critical_value(122, bandwidth=MEMORY_DAYS / 366) * 1.1
    assert plain.slope == capped.slope
    # a four-month log keeps 20% of its span (24 days, under the cap)
    short = d[d <= 120]
    assert fit_trend(short, y[: short.size], persistence=STIFF_DAYS).hi > fit_trend(short, y[: short.size]).hi
