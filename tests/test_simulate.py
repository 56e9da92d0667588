"""Tests of the seeded log simulator (stretchlog.testing.simulate) and the sample data."""

from __future__ import annotations

import importlib.util
import io
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stretchlog.log import reader as logfile
from stretchlog.log.errors import LogError, StretchlogWarning
from stretchlog.testing.simulate import (
    COLUMNS,
    DEFAULT_INSEPARABLE,
    SimulatedLog,
    simulate_bouts,
    simulate_log,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
PAIN_COLS = ["pain_before", "pain_after"]


def _sessions(frame: pd.DataFrame) -> pd.Series:
    """Session key per row as the contract defines it (date + time; empty time = one session)."""
    return frame["date"] + " " + frame["time"]


def _ends(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    key = _sessions(frame)
    first = ~key.duplicated(keep="first").to_numpy()
    last = ~key.duplicated(keep="last").to_numpy()
    return first, last


@pytest.fixture(scope="module")
def logs() -> dict[str, SimulatedLog]:
    return {
        "mixed": simulate_log(seed=1),
        "per_bout": simulate_log(seed=2, style="per_bout", days=200),
        "start_end": simulate_log(seed=3, style="start_end", days=200),
        "options": simulate_log(
            seed=4, days=365, inseparable=True, imbalance=True, name_style="varied"
        ),
    }


# --- determinism ---------------------------------------------------------------------


def test_same_seed_identical_frame():
    a = simulate_log(seed=7, inseparable=True, imbalance=True, name_style="varied")
    b = simulate_log(seed=7, inseparable=True, imbalance=True, name_style="varied")
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.truth == b.truth
    assert a.csv_text() == b.csv_text()


def test_different_seed_different_frame():
    a, b = simulate_log(seed=1).frame, simulate_log(seed=2).frame
    assert not (len(a) == len(b) and a.equals(b))


def test_simulate_bouts_deterministic():
    pd.testing.assert_frame_equal(
        simulate_bouts(3000, seed=5).frame, simulate_bouts(3000, seed=5).frame
    )


# --- the contract ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mixed", "per_bout", "start_end", "options"])
def test_contract_columns_and_ranges(logs, name):
    f = logs[name].frame
    assert tuple(f.columns) == COLUMNS
    assert f["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    pd.to_datetime(f["date"], format="%Y-%m-%d")  # real calendar dates
    assert f["time"].str.fullmatch(r"(([01]\d|2[0-3]):[0-5]\d)?").all()
    assert (f["stretch"].str.len() > 0).all()
    assert f["side"].isin(["left", "right", "both", ""]).all()
    assert ((f["hold_s"] > 0) & (f["hold_s"] <= 3600)).all()
    reps = f["reps"].dropna()
    assert ((reps >= 1) & (reps == np.floor(reps))).all()
    for col in [*PAIN_COLS, "tightness"]:
        v = f[col].dropna()
        assert ((v >= 0) & (v <= 10)).all(), col
        assert (v == np.floor(v)).all(), f"{col} readings must be whole numbers"
    assert f["notes"].notna().all()


@pytest.mark.parametrize("name", ["mixed", "per_bout", "start_end", "options"])
def test_every_session_chain_is_anchored(logs, name):
    f = logs[name].frame
    first, last = _ends(f)
    assert f.loc[first, "pain_before"].notna().all()
    assert f.loc[last, "pain_after"].notna().all()


@pytest.mark.parametrize("name", ["mixed", "per_bout", "options"])
def test_restated_pain_before_equals_previous_after(logs, name):
    f = logs[name].frame
    first, _ = _ends(f)
    prev_after = f["pain_after"].shift()
    later = ~first & f["pain_before"].notna()
    assert later.any()
    assert (f.loc[later, "pain_before"] == prev_after[later]).all()


def test_start_end_style_one_reading_each_end(logs):
    f = logs["start_end"].frame
    g = f.groupby(_sessions(f), sort=False)
    assert (g["pain_before"].count() == 1).all()
    assert (g["pain_after"].count() == 1).all()


def test_per_bout_style_reads_after_every_bout(logs):
    f = logs["per_bout"].frame
    assert f["pain_after"].notna().all()
    first, _ = _ends(f)
    later_before = f.loc[~first, "pain_before"]
    assert 0 < later_before.notna().mean() < 0.5  # mostly empty, sometimes restated


def test_mixed_style_mixes_per_session():
    f = simulate_log(seed=11, days=365).frame
    g = f.groupby(_sessions(f), sort=False)
    n, n_after = g.size(), g["pain_after"].count()
    multi = n > 2
    assert ((n_after == 1) & multi).any()  # start/end only
    assert ((n_after == n) & multi).any()  # per bout
    assert ((n_after > 1) & (n_after < n) & multi).any()  # partial chains


def test_times_dates_and_sides_look_like_a_person(logs):
    f = simulate_log(seed=12, days=365).frame
    timed = f.loc[f["time"] != "", "time"]
    hours = timed.str.slice(0, 2).astype(int)
    assert hours.between(6, 8).any() and hours.between(20, 22).any()
    assert (f["time"] == "").any()
    # an empty time only on a day's first session, so sessions never merge
    sess = f.drop_duplicates(subset=["date", "time"])
    assert not sess.loc[sess["time"] == ""].duplicated("date").any()
    assert {"left", "right", "both"} <= set(f["side"])
    assert f["tightness"].isna().mean() == pytest.approx(0.10, abs=0.04)
    notes = set(f["notes"]) - {""}
    assert any("," in n for n in notes) and any('"' in n for n in notes)
    dates = pd.to_datetime(f["date"])
    assert dates.is_monotonic_increasing


def test_confounding_by_indication():
    """Higher first readings mean more bouts (the choice is made from the noisy reading)."""
    f = simulate_log(seed=13, days=730).frame
    g = f.groupby(_sessions(f), sort=False)
    assert np.corrcoef(g.size(), g["pain_before"].first())[0, 1] > 0.3


# --- the truth ---------------------------------------------------------------------------


def test_truth_has_best_harmful_null_and_rare(logs):
    log = logs["mixed"]
    t, f = log.truth, log.frame
    eff = t.effects
    best = max(eff, key=eff.get)
    assert 0.8 <= eff[best] <= 1.0 and best == t.favourite
    assert min(eff.values()) <= -0.4
    assert any(abs(v) < 0.05 for v in eff.values())
    assert 0.0 < t.position_effect <= 0.1 and t.pain_slope != 0
    assert len(t.rare) == 2
    typed = {t.names[s]: s for s in eff}
    ids = f["stretch"].map(typed)
    assert ids.notna().all()
    harmful = min(eff, key=eff.get)
    assert (ids == harmful).sum() > 20
    for s in t.rare:
        n_sessions = _sessions(f)[ids == s].nunique()
        assert 1 <= n_sessions <= 6, s
    slopes = t.tightness_slope.values()
    assert min(slopes) < 0 < max(slopes) and 0.0 in slopes


def test_inseparable_pair_always_together_without_reading(logs):
    log = logs["options"]
    f, t = log.frame, log.truth
    assert t.inseparable == (tuple(DEFAULT_INSEPARABLE),)
    a, b = t.inseparable[0]
    norm = f["stretch"].str.lower()
    is_a = (norm == t.names[a].lower()).to_numpy()
    is_b = (norm == t.names[b].lower()).to_numpy()
    assert is_a.sum() == is_b.sum() > 5
    ia, ib = np.flatnonzero(is_a), np.flatnonzero(is_b)
    assert (ib == ia + 1).all()  # b right after a, same session
    assert (_sessions(f).iloc[ia].to_numpy() == _sessions(f).iloc[ib].to_numpy()).all()
    assert f["pain_after"].iloc[ia].isna().all()
    assert f["pain_before"].iloc[ib].isna().all()


def test_imbalance(logs):
    t = logs["options"].truth
    diffs = {
        s: t.side_effects[(s, "left")] - t.side_effects[(s, "right")]
        for s, side in t.side_effects
        if side == "left"
    }
    assert max(round(abs(d), 6) for d in diffs.values() if d) == pytest.approx(0.5)
    assert sum(1 for d in diffs.values() if d) == 1
    s = next(s for s, d in diffs.items() if d)
    assert t.effects[s] == pytest.approx(
        (t.side_effects[(s, "left")] + t.side_effects[(s, "right")]) / 2
    )


def test_effects_are_recoverable_from_per_bout_segments():
    """The frame follows the documented model: single-bout reliefs estimate effect + position."""
    log = simulate_log(
        seed=21,
        days=3650,
        sessions_per_week=7,
        style="per_bout",
        baseline=7.5,
        pain_change=0.0,
        name_style="id",
    )
    f, t = log.frame, log.truth
    key = _sessions(f)
    pos = f.groupby(key, sort=False).cumcount()
    start = f["pain_after"].groupby(key, sort=False).shift()
    relief = start - f["pain_after"]
    use = (pos > 0) & relief.notna() & (f["pain_after"] > 0)
    X = pd.get_dummies(f.loc[use, "stretch"]).astype(float)
    X["pos"] = pos[use]
    beta, *_ = np.linalg.lstsq(X.to_numpy(), relief[use].to_numpy(), rcond=None)
    est = dict(zip(X.columns, beta))
    for s in ("reclining-hip-stretch", "side-bend", "tfl-it-band-stretch", "double-knees-to-chest"):
        assert est[s] == pytest.approx(t.effects[s], abs=0.1), s
    assert est["pos"] == pytest.approx(t.position_effect, abs=0.03)


def test_custom_effects_and_validation():
    log = simulate_log(seed=1, days=60, effects={"spinal-twist": 0.5, "side-bend": 0.1}, rare={})
    assert set(log.truth.effects) == {"spinal-twist", "side-bend"}
    assert log.truth.favourite == "spinal-twist"
    assert set(log.frame["stretch"]) == {"spinal twist", "side bend"}
    with pytest.raises(ValueError, match="not in the stretch table"):
        simulate_log(effects={"no-such-stretch": 0.3})
    with pytest.raises(ValueError, match="style"):
        simulate_log(style="sometimes")  # type: ignore[arg-type]


# --- sizes and speed ---------------------------------------------------------------------


def test_simulate_bouts_size_and_span():
    t0 = time.perf_counter()
    log = simulate_bouts(40_000, seed=3)
    elapsed = time.perf_counter() - t0
    n = len(log.frame)
    assert 40_000 <= n <= 44_000
    assert log.frame["date"].iloc[-1] == "2026-06-30"
    first, last = _ends(log.frame)
    assert log.frame.loc[first, "pain_before"].notna().all()
    assert log.frame.loc[last, "pain_after"].notna().all()
    assert elapsed < 5


def test_ten_years_daily_is_fast():
    t0 = time.perf_counter()
    log = simulate_log(days=3650, sessions_per_week=7, seed=9)
    assert time.perf_counter() - t0 < 3
    assert len(log.frame) > 10_000


# --- CSV output -----------------------------------------------------------------------------


def test_csv_text_format(logs):
    log = logs["options"]
    text = log.csv_text()
    assert "\r" not in text
    lines = text.split("\n")
    assert lines[0] == ",".join(COLUMNS)
    assert ".0," not in text and not any(line.endswith(".0") for line in lines)
    back = pd.read_csv(
        io.StringIO(text),
        dtype={"time": str, "side": str, "notes": str},
        keep_default_na=False,
        na_values={c: [""] for c in ["reps", *PAIN_COLS, "tightness"]},
    )
    assert len(back) == len(log.frame)
    for col in ["hold_s", "reps", *PAIN_COLS, "tightness"]:
        np.testing.assert_array_equal(
            back[col].to_numpy(dtype=float), log.frame[col].to_numpy(dtype=float)
        )
    assert list(back["notes"]) == list(log.frame["notes"])
    buf = io.StringIO()
    log.to_csv(buf)
    assert buf.getvalue() == text


# --- round trip through the reader ------------------------------------------------------------


@pytest.mark.parametrize("name", ["mixed", "per_bout", "start_end", "options"])
def test_simulated_logs_read_cleanly(logs, name):
    log = logs[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bouts = logfile.read_log(io.StringIO(log.csv_text()))
    assert len(bouts) == len(log.frame)
    assert set(bouts["stretch_id"]) <= set(log.truth.effects)
    assert bouts["session_id"].nunique() == _sessions(log.frame).nunique()
    if name == "start_end":
        assert bouts["segment_id"].nunique() == bouts["session_id"].nunique()


def _make_sample_module():
    spec = importlib.util.spec_from_file_location(
        "make_sample", ROOT / "scripts" / "make_sample.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_sample_log_reads_with_only_the_custom_stretch_warning():
    with pytest.warns(StretchlogWarning, match="doorway chest stretch") as record:
        bouts = logfile.read_log(SAMPLE / "stretch-log.csv")
    assert len(record) == 1
    assert 300 <= len(bouts) <= 900
    assert bouts["custom"].sum() > 0
    assert bouts["notes"].fillna("").str.len().gt(0).sum() >= 2


def test_sample_is_reproducible():
    mod = _make_sample_module()
    text = mod.make_sample().csv_text()
    committed = (SAMPLE / "stretch-log.csv").read_text(encoding="utf-8")
    assert text == committed, (
        "data/sample/stretch-log.csv is stale: run python scripts/make_sample.py"
    )
    assert (SAMPLE / "broken-log.csv").read_text(encoding="utf-8") == mod.BROKEN


def test_broken_log_lists_every_intended_problem():
    mod = _make_sample_module()
    with pytest.raises(LogError) as info:
        logfile.read_log(SAMPLE / "broken-log.csv")
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == set(mod.BROKEN_PROBLEMS)
    assert 15 <= mod.BROKEN.count("\n") - 1 <= 25
