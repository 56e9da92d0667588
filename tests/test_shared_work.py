"""Work done once and shared between the analyses gives the same results (issue 8).

The commands compute the session and segment tables, display names and the
ratings once and hand them to every analysis that needs them, and several tables
are built from sorted runs of rows instead of pandas' grouped aggregation. These
tests pin both down: shared inputs give exactly what each function computes on
its own, and the run-based tables match a plain groupby definition.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stretchlog.analysis import Analysis
from stretchlog.log.catalog import load_catalog
from stretchlog.effects.relief import dose_response, lasting_relief, meaningful_sessions, relief_report
from stretchlog.model.tables import LogTables
from stretchlog.trends.habits import habits
from stretchlog.log.reader import LoadedLog, load_log
from stretchlog.routine.inputs import effect_inputs, trend_inputs
from stretchlog.model.segments import segments
from stretchlog.model.sessions import sessions
from stretchlog.testing.simulate import simulate_log
from stretchlog.trends.tightness import tightness_levels, tightness_trends
from stretchlog.model.weeks import weekly_pain
from stretchlog.trends.pain import pain_over_time

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "stretch-log.csv"
CAT = load_catalog()


@pytest.fixture(scope="module", params=["sample", "per_bout", "start_end"])
def bouts(request) -> pd.DataFrame:
    if request.param == "sample":
        return load_log(SAMPLE).bouts
    log = simulate_log(days=200, seed=5, style=request.param, imbalance=True)
    return load_log(io.StringIO(log.csv_text())).bouts


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_sessions_match_a_grouped_definition(bouts):
    ses = sessions(bouts)
    g = bouts.assign(_hold=bouts["hold_s"] * bouts["reps"]).groupby("session_id", sort=True)
    assert ses["session_id"].tolist() == list(g.groups)
    assert ses["n_bouts"].tolist() == g.size().tolist()
    assert ses["n_segments"].tolist() == g["segment_id"].nunique().tolist()
    assert ses["n_stretches"].tolist() == g["stretch_id"].nunique().tolist()
    np.testing.assert_array_equal(ses["total_hold_s"], g["_hold"].sum())
    np.testing.assert_array_equal(ses["mean_tightness"], g["tightness"].mean())
    assert ses["time"].fillna("").tolist() == g["time"].first().fillna("").tolist()


def test_segments_match_a_grouped_definition(bouts):
    seg = segments(bouts)
    on_bouts = seg[seg["kind"].eq("bouts")].set_index("segment_id")
    g = bouts.groupby("segment_id", sort=True)
    assert on_bouts.index.tolist() == list(g.groups)
    assert on_bouts["n_bouts"].tolist() == g.size().tolist()
    assert on_bouts["first_row"].tolist() == g["row"].min().tolist()
    assert on_bouts["last_row"].tolist() == g["row"].max().tolist()
    assert on_bouts["position"].tolist() == (g["bout"].first() - 1).tolist()


def test_all_tightness_levels_at_once_equal_each_level_alone(bouts):
    levels = tightness_levels(bouts, catalog=CAT)
    assert list(levels) == ["stretch_side", "stretch", "muscle_group", "all"]
    for by, table in levels.items():
        same(table, tightness_trends(bouts, by=by, catalog=CAT))


def test_weekly_pain_labels_iso_weeks_across_year_ends():
    days = pd.to_datetime(
        ["2020-12-27", "2020-12-28", "2021-01-03", "2021-01-04", "2026-12-31", "2027-01-04"]
    )
    ses = pd.DataFrame({"date": days, "start_pain": 5.0, "end_pain": 4.0, "relief": 1.0})
    w = weekly_pain(ses)
    iso = w["week_start"].dt.isocalendar()
    expected = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    assert w["week"].tolist() == expected.tolist()
    assert w["week_start"].dt.day_of_week.eq(0).all()
    assert w["sessions"].sum() == len(days)


def test_shared_tables_give_the_same_results(bouts):
    # one LogTables handed to every analysis gives what each gets from the bare bouts
    t = LogTables(bouts, CAT)
    for by_side in (False, True):
        alone = relief_report(bouts, by_side=by_side, catalog=CAT)
        shared = relief_report(t, by_side=by_side)
        for a, b in zip((alone.effects, alone.groups, alone.sides, alone.model),
                        (shared.effects, shared.groups, shared.sides, shared.model)):
            same(a, b)
    for fn in (dose_response, lasting_relief, meaningful_sessions):
        same(fn(bouts, catalog=CAT), fn(t))
    p_alone, p_shared = pain_over_time(bouts), pain_over_time(t)
    same(p_alone.weekly, p_shared.weekly)
    same(p_alone.to_frame(), p_shared.to_frame())
    h_alone = habits(bouts, today="2027-01-01")
    h_shared = habits(t, today="2027-01-01")
    same(h_alone.weekly, h_shared.weekly)
    assert h_alone.streak_today == h_shared.streak_today
    assert p_shared.weekly is t.weekly and h_shared.weekly.index.equals(t.weekly.index)
    with pytest.raises(ValueError, match="already have a catalog"):
        relief_report(t, catalog=load_catalog())
    # the routine reads the analysis' own parts: the very same objects, nothing recomputed
    an = Analysis(LoadedLog(bouts, (), "<bouts>"), catalog=CAT)
    e, t = effect_inputs(an), trend_inputs(an)
    assert e.table is an.effects and e.sides is an.side_relief
    same(e.table, relief_report(bouts, catalog=CAT).effects)
    assert t.needs_more_work is an.needs_more_work
