"""Relief verdicts against the relief a person would feel (issue 17, "detectable is not felt")."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stretchlog.analysis import analyse
from stretchlog.cli.app import app
from stretchlog.effects.verdicts import MEANING, VERDICTS, chance_felt, ranks, relief_verdicts
from stretchlog.log.reader import read_log
from stretchlog.model.thresholds import FELT_RELIEF, MCID_POINTS
from stretchlog.report.html import build_report
from stretchlog.routine.build import build_from
from stretchlog.routine.inputs import RoutineEffects, RoutineTrends

from conftest import examples

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "stretch-log.csv"
TODAY = date(2026, 10, 1)

finite = st.floats(-3, 3, allow_nan=False)


@given(a=finite, b=finite, c=finite)
@settings(max_examples=examples(300, 2000), deadline=None)
def test_the_verdict_follows_the_whole_interval(a, b, c):
    lo, m, hi = sorted((a, b, c))
    v = relief_verdicts([m], [lo], [hi])[0]
    assert v in VERDICTS
    if lo >= FELT_RELIEF:
        assert v == "helps"
    if v == "helps":
        assert lo >= FELT_RELIEF
    if v == "too small to feel":
        assert -FELT_RELIEF < lo and hi < FELT_RELIEF
    if v == "may help":
        assert lo > 0 and hi >= FELT_RELIEF
    if v in ("slightly worse", "makes it worse"):
        assert hi < 0 and lo <= -FELT_RELIEF
    if v == "no clear effect":
        assert lo <= 0 <= hi or (lo < 0 and hi <= 0 and lo <= -FELT_RELIEF) or (hi < 0)


def test_the_felt_line_is_a_share_of_the_change_people_notice():
    assert FELT_RELIEF == pytest.approx(MCID_POINTS / 10)
    assert set(MEANING) == set(VERDICTS)


def test_certain_but_tiny_relief_is_not_sold_as_a_winner():
    # the ten-year case: 0.05 (0.02 to 0.08) for a stretch that does nothing
    frame = pd.DataFrame({
        "stretch": ["null", "real", "unsure"],
        "effect": [0.05, 0.45, 0.3],
        "ci_low": [0.02, 0.25, -0.2],
        "ci_high": [0.08, 0.65, 0.8],
        "cautious": [0.04, 0.3, -0.1],
    })
    frame["verdict"] = relief_verdicts(frame["effect"], frame["ci_low"], frame["ci_high"])
    assert frame["verdict"].tolist() == ["too small to feel", "helps", "no clear effect"]
    assert ranks(frame).tolist() == [3, 1, 2]
    sd = (frame["ci_high"] - frame["ci_low"]) / 3.92
    felt = chance_felt(frame["effect"], sd, 1000)
    assert felt[0] < 0.01 and felt[1] > 0.99


def test_the_routine_leaves_out_relief_too_small_to_feel():
    rows = []
    for d in range(1, 21):
        day = f"2026-02-{d:02d}"
        rows += [f"{day},07:00,reclining hip stretch,left,60,1,6,5",
                 f"{day},07:00,reclining hip stretch,right,60,1,,4",
                 f"{day},07:00,knees to chest,both,30,2,,4"]
    bouts = read_log(io.StringIO("date,time,stretch,side,hold_s,reps,pain_before,pain_after\n"
                                 + "\n".join(rows) + "\n"))
    eff = pd.DataFrame({
        "stretch": ["reclining-hip-stretch", "double-knees-to-chest"],
        "name": ["Reclining hip stretch", "Double knees to chest"],
        "effect": [0.8, 0.06], "ci_low": [0.5, 0.01], "ci_high": [1.1, 0.11], "p_helps": [1.0, 0.99],
        "harmful": [False, False], "evidence": ["strong", "strong"], "n_bouts": [40, 20],
        "n_sessions": [20, 20], "bouts_per_use": [2, 1],
    })
    from stretchlog.log.catalog import load_catalog

    r = build_from(bouts, RoutineEffects(eff), RoutineTrends(), catalog=load_catalog(), today=TODAY,
                   minutes=20, flare=False, seed=1)
    assert "double-knees-to-chest" not in {i.stretch for i in r.items}
    why = {x.stretch: x.reason for x in r.left_out}["double-knees-to-chest"]
    assert why.startswith("its relief is too small to feel") and f"{FELT_RELIEF:g}" in why
    assert {i.verdict for i in r.items if i.stretch == "reclining-hip-stretch"} == {"helps"}


def test_every_surface_shows_the_same_verdict(tmp_path):
    an = analyse(SAMPLE, today=TODAY)
    eff = an.effects.set_index("stretch")
    runner = CliRunner()
    doc = json.loads(runner.invoke(app, ["effects", str(SAMPLE), "--format", "json"]).stdout)
    assert {r["stretch"]: r["verdict"] for r in doc["effects"]} == eff["verdict"].to_dict()
    rdoc = json.loads(runner.invoke(app, ["routine", str(SAMPLE), "--format", "json", "--seed", "1"]).stdout)
    for item in rdoc["items"]:
        if item["stretch"] in eff.index and item["role"] in ("works", "may help"):
            assert item["verdict"] == eff.loc[item["stretch"], "verdict"]
            assert (item["role"] == "works") == (item["verdict"] == "helps")
    html, _ = build_report(an, seed=1)
    table = html[html.index('id="relief"'):]
    for sid, row in eff.dropna(subset=["effect"]).iterrows():
        assert re.search(re.escape(row["name"]) + r"</td>\s*<td[^>]*>" + re.escape(row["verdict"]), table), sid
    out = runner.invoke(app, ["effects", str(SAMPLE)], env={"COLUMNS": "200"}).stdout
    for row in eff.dropna(subset=["effect"]).itertuples():
        line = next(x for x in out.splitlines()
                    if x.strip().startswith(f"{row.rank} ") and "warning" not in x)
        assert row.verdict in line


def test_no_null_stretch_is_called_helpful_on_long_logs():
    """Calibration over many draws: stretches with no true relief are almost never "helps"
    and the ranking never puts one above a stretch that truly helps enough to feel."""
    from stretchlog.testing.simulate import simulate_log

    called, above = [], []
    for seed in range(12):
        log = simulate_log(days=365, seed=seed, style="per_bout")
        an = analyse(io.StringIO(log.csv_text()), today=TODAY)
        eff = an.effects.set_index("stretch")
        truth = pd.Series(log.truth.effects).reindex(eff.index)
        null = truth.abs() < 1e-9
        called += (eff.loc[null, "verdict"] == "helps").tolist()
        best_real = eff.loc[truth >= 0.5, "rank"].dropna()
        if len(best_real) and null.any():
            above.append(bool((eff.loc[null, "rank"].dropna() < best_real.min()).any()))
    assert np.mean(called) <= 0.05
    assert not any(above)
