"""Trends checked against simulations with a known truth (issue 4).

Two kinds of data:

* a tight generator written here: one rating series with an exact slope, AR(1)
  "stiff days" (phi 0.7-0.9), rating noise, rounding to whole numbers and days
  skipped at random: it checks the interval's coverage, the direction calls and
  that flat series are not over-called, over many draws;
* whole logs from :mod:`stretchlog.testing.simulate` read with the real reader: shared
  stiff days across stretches, stretches done on some days only, both sides,
  known ``truth.tightness_slope`` per (stretch, side), an imbalanced stretch, no
  time-of-day effect.

Everything is seeded; the bounds leave room for Monte Carlo error (about 0.01
for a coverage over 800 draws).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.signal import lfilter

from stretchlog.trends.habits import habits
from stretchlog.log.reader import load_log
from stretchlog.trends.safety import safety_flags
from stretchlog import read_log
from stretchlog.analysis import analyse
from stretchlog.testing.simulate import DEFAULT_EFFECTS, simulate_log
from stretchlog.trends.tightness import MIN_CHANGE, VERDICTS, tightness_levels, tightness_trends
from stretchlog.trends.fit import STIFF_DAYS, change_call, fit_trend
from stretchlog.trends.pain import pain_over_time
from stretchlog.trends.sides import side_asymmetry

pytestmark = pytest.mark.slow


def ratings(
    rng, days: int, slope: float, *, phi: float, p: float, ar_sd: float = 0.7, noise_sd: float = 0.6
):
    """Days rated and their whole-number ratings: 5 + slope per 30 days + AR(1) + noise."""
    e = rng.standard_normal(days) * ar_sd * np.sqrt(1 - phi**2)
    e[0] = rng.standard_normal() * ar_sd  # stationary from day 0
    stiff = lfilter([1.0], [1.0, -phi], e)
    t = np.arange(days)
    y = np.clip(np.rint(5 + slope * t / 30 + stiff + rng.normal(0, noise_sd, days)), 0, 10)
    keep = rng.random(days) < p
    return t[keep], y[keep]


def study(seed: int, draws: int, days: int, slope: float, *, phi: float, p: float):
    """Coverage, share called, share called right and naive-OLS calls, as the verdicts call them."""
    rng = np.random.default_rng(seed)
    cover = calls = right = naive = 0
    for _ in range(draws):
        d, y = ratings(rng, days, slope, phi=phi, p=p)
        f = fit_trend(d, y, persistence=STIFF_DAYS)
        cover += f.lo <= slope <= f.hi
        call = change_call(f.change[1], f.change[2], MIN_CHANGE)
        sign = {"rising": 1, "falling": -1}.get(call, 0)
        calls += sign != 0
        right += sign != 0 and sign == np.sign(slope)
        naive += stats.linregress(d, y).pvalue < 0.05
    return cover / draws, calls / draws, right / draws, naive / draws


@pytest.mark.parametrize(
    ("days", "slope", "phi", "p", "bound"),
    [
        # bound: for a flat series the most it may be called looser or tighter, else the
        # least share called right. Directions need only an interval clear of 0 now, so
        # these are the interval's own error rates.
        (180, 0.3, 0.7, 0.35, 0.7),  # a stretch done every third day or so, half a year
        (180, 0.0, 0.7, 0.35, 0.06),
        # four months: the interval allows for stiff spells, which a four-month log is too
        # short for the plain fixed-b interval to absorb (its coverage here was 0.93);
        # measured 0.44 called right
        (120, -0.4, 0.7, 0.3, 0.4),
        # a stretch done almost daily, stiff spells lasting weeks (as persistent as the
        # reference model, on nine days in ten): measured 0.066, a little over the nominal
        # 0.05 (fit.py, "Stiff spells and short logs"); independent-days OLS calls 0.37
        (365, 0.0, 0.8, 0.9, 0.08),
    ],
)
def test_interval_coverage_with_autocorrelated_noise(days, slope, phi, p, bound):
    cover, calls, right, naive = study(4, 800, days, slope, phi=phi, p=p)
    assert 0.90 <= cover <= 0.98, cover
    if slope == 0:
        assert calls <= bound, calls  # flat series are not over-called ...
        assert naive >= 2 * max(calls, 0.05), naive  # ... as independent-days OLS would
    else:
        assert calls - right <= 0.005, calls - right  # the wrong direction: almost never
        assert right >= bound, right


def test_flat_daily_series_with_strong_persistence_are_rarely_called():
    # phi 0.9 daily: weeks-long stiff spells. The naive t-test calls a trend in about half.
    cover, calls, _, naive = study(5, 400, 240, 0.0, phi=0.9, p=1.0)
    assert calls <= 0.08 and cover >= 0.88
    assert naive >= 0.3


# --------------------------------------------------------------------------- whole simulated logs


def _bouts(log) -> pd.DataFrame:
    return load_log(io.StringIO(log.csv_text())).bouts


@pytest.fixture(scope="module")
def logs_120():
    """40 four-month logs (defaults: 4.5 sessions a week, mixed logging, AR(1) stiff days)."""
    return [(s, _bouts(s)) for s in (simulate_log(days=120, seed=seed) for seed in range(40))]


def test_tightness_verdicts_on_simulated_logs(logs_120):
    rows = []
    for sim, bouts in logs_120:
        t = tightness_trends(bouts, by="stretch_side")
        t["truth"] = [
            sim.truth.tightness_slope.get((s, side), np.nan)
            for s, side in zip(t["stretch_id"], t["side"])
        ]
        rows.append(t)
    t = pd.concat(rows, ignore_index=True).dropna(subset=["truth"])
    assert set(t["verdict"]) <= set(VERDICTS)
    enough = t[t["verdict"] != "not enough data"]
    assert len(enough) >= 500
    covered = (enough["lo_30d"] <= enough["truth"]) & (enough["truth"] <= enough["hi_30d"])
    assert 0.90 <= covered.mean() <= 0.98, covered.mean()
    moving = enough[enough["truth"] != 0]
    called = moving[moving["verdict"].isin(["looser", "tighter"])]
    right = (called["verdict"] == "tighter") == (called["truth"] > 0)
    assert right.mean() >= 0.97
    assert len(called) / len(moving) >= 0.2  # four months of data: modest power, as expected
    flat = enough[enough["truth"] == 0]
    assert flat["verdict"].isin(["looser", "tighter"]).mean() <= 0.08
    # a true change of 1-2 points over the four months is hardly ever called "flat"
    assert (moving["verdict"] == "flat").mean() <= 0.03
    # a single reading or a handful: never a verdict
    few = t[t["n_days"] < 6]
    assert (few["verdict"] == "not enough data").all()


def test_steeper_known_slopes_over_eight_months_are_called_right():
    slopes = {
        "psoas-stretch-kneeling": -0.5,
        "quadratus-lumborum-stretch": 0.4,
        "reclining-hip-stretch": -0.3,
    }
    hits = []
    for seed in range(12):
        sim = simulate_log(days=240, seed=100 + seed, tightness_slopes=slopes)
        t = tightness_trends(_bouts(sim), by="stretch").set_index("stretch_id")
        for sid, slope in slopes.items():
            hits.append(t.loc[sid, "verdict"] == ("tighter" if slope > 0 else "looser"))
        flat_called = t.drop(index=list(slopes))["verdict"].isin(["looser", "tighter"])
        assert flat_called.sum() <= 1
    assert np.mean(hits) >= 0.8, np.mean(hits)


def test_imbalance_is_found_and_not_invented():
    found, false = [], []
    for seed in range(10):
        sim = simulate_log(days=180, seed=200 + seed, imbalance=True)  # psoas: left tighter by 1.5
        a = side_asymmetry(_bouts(sim)).set_index("stretch_id")["imbalance"]
        found.append(a["psoas-stretch-kneeling"])
        false.extend(a.drop(index="psoas-stretch-kneeling").tolist())
    assert np.mean(found) >= 0.8
    assert np.mean(false) <= 0.03


def test_no_time_of_day_effect_is_rarely_claimed(logs_120):
    verdicts = [habits(b, today="2026-06-01").evening_vs_morning.verdict for _, b in logs_120]
    claimed = np.mean([v.endswith("more relief") for v in verdicts])
    assert claimed <= 0.10, verdicts


def test_pain_trend_direction_and_coverage():
    cover, improving = [], []
    for seed in range(16):
        sim = simulate_log(days=180, seed=300 + seed, pain_change=-3.0)
        p = pain_over_time(_bouts(sim))
        cover.append(p.lo_30d <= sim.truth.pain_slope <= p.hi_30d)
        improving.append(p.verdict == "improving")
    assert np.mean(improving) >= 0.8
    assert np.mean(cover) >= 0.8  # starting pain also carries the last session's lasting effect


def test_safety_flags_stay_quiet_on_ordinary_logs(logs_120):
    worsening = [
        any(f.kind == "pain worsening" for f in safety_flags(b))
        for _, b in logs_120
    ]
    assert np.mean(worsening) <= 0.15
    raised = [
        f.stretch_id
        for _, b in logs_120
        for f in safety_flags(b)
        if f.kind == "stretch raised pain"
    ]
    # the simulator's one harmful stretch (side bend, -0.5 a bout) is the one flagged most
    if raised:
        assert pd.Series(raised).value_counts().index[0] == "side-bend"


# ----------------------------------------------------------------- a year of ratings (issue 17)


def _year_slopes(seed: int) -> dict[str, float]:
    """Half the usual stretches get a true trend of 0.10-0.25 points a month either way."""
    rng = np.random.default_rng(10_000 + seed)
    return {
        sid: float(rng.choice([-1.0, 1.0]) * rng.uniform(0.10, 0.25)) if rng.random() < 0.5 else 0.0
        for sid in DEFAULT_EFFECTS
    }


def _share_and_se(hit: pd.Series, log: pd.Series) -> tuple[float, float]:
    """A share and its standard error over logs (the stretches of one log share stiff days)."""
    per = hit.astype(float).groupby(log).agg(["sum", "size"])
    share = per["sum"].sum() / per["size"].sum()
    g = len(per)
    resid = per["sum"] - share * per["size"]
    se = np.sqrt((resid**2).sum() / (g * (g - 1))) / per["size"].mean()
    return float(share), float(se)


@pytest.fixture(scope="module")
def year_verdicts() -> pd.DataFrame:
    """Verdicts per stretch and per stretch and side on 400 seeded year-long logs, and the truth."""
    rows = []
    for seed in range(400):
        slopes = _year_slopes(seed)
        sim = simulate_log(days=365, seed=seed, tightness_slopes=slopes)
        levels = tightness_levels(
            read_log(io.StringIO(sim.csv_text())), levels=("stretch_side", "stretch")
        )
        for level, t in levels.items():
            if level == "stretch_side":
                keys = zip(t["stretch_id"], t["side"])
                truth = [sim.truth.tightness_slope.get(k, np.nan) for k in keys]
            else:
                truth = [slopes.get(s, np.nan) for s in t["stretch_id"]]
            rows.append(t.assign(seed=seed, truth=truth))
    out = pd.concat(rows, ignore_index=True).dropna(subset=["truth"])
    return out[out["verdict"] != "not enough data"]


@pytest.mark.parametrize(("level", "least_right"), [("stretch", 0.85), ("stretch_side", 0.80)])
def test_a_year_of_ratings_calls_slow_trends_and_rarely_invents_them(
    year_verdicts, level, least_right
):
    """Issue 17: over a year, trends of 0.10-0.25 points a month (1.2-3 points) are called
    in the right direction at least 85% of the time per stretch, and truly flat stretches
    get a direction no more than the interval's nominal 5% (within Monte Carlo error).

    Measured on these 400 logs: per stretch about 0.88 right and 0.05 false, per stretch
    and side about 0.84 right (a side has about half the ratings of its stretch; even OLS
    with the true noise model known reaches only about 0.87-0.91 per side). Before issue
    17 (a direction also needed at least 1 point in 6 months) about 0.53 were right.
    """
    t = year_verdicts[year_verdicts["level"] == level]
    moving, flat = t[t["truth"] != 0], t[t["truth"] == 0]
    assert len(moving) >= 1500 and len(flat) >= 1500
    want = np.where(moving["truth"] > 0, "tighter", "looser")
    right = (moving["verdict"] == want).mean()
    wrong = (moving["verdict"] == np.where(moving["truth"] > 0, "looser", "tighter")).mean()
    assert right >= least_right, right
    assert wrong <= 0.005, wrong
    assert (moving["verdict"] == "flat").mean() <= 0.03  # a change that matters is not "flat"
    false, se = _share_and_se(flat["verdict"].isin(["looser", "tighter"]), flat["seed"])
    assert false <= 0.05 + 2 * se, (false, se)  # the interval's 5%, no more
    assert se <= 0.01, se  # enough logs for that to say something
    covered = ((t["lo_30d"] <= t["truth"]) & (t["truth"] <= t["hi_30d"])).mean()
    assert 0.93 <= covered <= 0.97, covered
    # the equivalence verdict does happen: some truly flat stretches are shown flat
    assert (flat["verdict"] == "flat").mean() >= 0.05
    # the size word follows the estimated change over the span
    called = t[t["verdict"].isin(["looser", "tighter"])]
    assert ((called["size"] == "clearly") == (called["change"].abs() >= MIN_CHANGE)).all()



def test_side_claims_are_rare_when_the_sides_are_equal():
    """Equal sides over many seeded logs: any "one side is tighter" or "one side brings
    more relief" claim is false, and at most about 5% of logs may get one (the claims of
    stretchlog.model.claims), while a real 1.5-point tightness imbalance is still found."""
    claims, found = [], []
    for seed in range(40):
        log = simulate_log(days=150, seed=500 + seed, style="mixed")
        an = analyse(io.StringIO(log.csv_text()))
        s = an.sides
        said = s["imbalance"] | s["finding"].str.contains("tighter|more relief", regex=True)
        claims.append(bool(said.any()))
    for seed in range(10):
        log = simulate_log(days=150, seed=700 + seed, style="mixed", imbalance=True)
        s = analyse(io.StringIO(log.csv_text())).sides.set_index("stretch_id")
        found.append(bool(s["imbalance"].any()))
    assert np.mean(claims) <= 0.10
    assert np.mean(found) >= 0.7
