"""Is the routine worth its minutes? Checked on simulated logs with known effects (issue 18).

``stretchlog.testing.routine_check`` compares a routine's true relief with the best a
person who knew the true effects could fit in the same minutes at the guides' dose.
"""

from __future__ import annotations

import io
import warnings
from datetime import date, timedelta

import numpy as np
import pytest

from stretchlog.analysis import analyse
from stretchlog.log.errors import StretchlogWarning
from stretchlog.routine.build import routine
from stretchlog.testing.calibration import STYLES
from stretchlog.testing.routine_check import QUALITY_STYLES, best_relief, routine_study, true_relief
from stretchlog.testing.simulate import simulate_log

SEEDS = range(1, 6)


@pytest.fixture(scope="module")
def study():
    """Four logging styles x five seeds, no dose effect, 10-minute routines."""
    return routine_study(QUALITY_STYLES, seeds=SEEDS, minutes=10)


def _analysed(seed: int, **options):
    log = simulate_log(seed=seed, **options)
    today = date.fromisoformat(str(log.frame["date"].max())) + timedelta(days=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        return log, analyse(io.StringIO(log.csv_text()), today=today)


def test_ten_minutes_deliver_most_of_the_best_relief(study):
    # issue 18: at least 80% of the true relief of the best 10-minute routine at the
    # guides' dose, averaged over seeds and styles (measured 1.14; before: 0.60)
    assert len(study) == len(QUALITY_STYLES) * len(SEEDS)
    assert study["share"].mean() >= 0.8, study.groupby("style")["share"].mean()
    # and no style is carried by the others
    assert study.groupby("style")["share"].mean().min() >= 0.7
    # several proven stretches, not one (measured 2.4-4.0 a routine; 1.6 where pain is
    # rated only at a session's start and end, which says less about each stretch)
    assert study["proven"].mean() >= 2
    assert study.groupby("style")["proven"].mean().min() >= 1.5


def test_a_harmful_stretch_never_appears(study):
    assert study["harmful"].sum() == 0


@pytest.mark.parametrize("style", ["per_bout", "mixed"])
def test_a_tighter_budget_never_promises_more(style):
    for seed in (1, 2, 3):
        _, an = _analysed(seed, **STYLES[style].options)
        expected = [routine(an, minutes=m).expected_relief for m in (5, 10, 15, 20, 30)]
        shown = [e for e in expected if np.isfinite(e)]
        assert shown == sorted(shown), (seed, expected)
        assert np.isfinite(expected[1])


def test_five_minutes_still_hold_the_top_two_proven_stretches():
    for style in ("per_bout", "start_end", "year_trends"):
        for seed in (1, 2, 3):
            _, an = _analysed(seed, **STYLES[style].options)
            eff = an.effects
            proven = eff[eff["verdict"].isin(["helps", "may help"])]
            helps_first = proven.assign(h=proven["verdict"].ne("helps")).sort_values(["h", "rank"])
            top = set(helps_first["stretch"].head(2))
            r = routine(an, minutes=5)
            assert top <= {i.stretch for i in r.items}, (style, seed)
            assert r.total_seconds <= 300


def test_a_log_where_longer_holds_truly_help_gets_the_longer_hold():
    log, an = _analysed(1, days=365, style="per_bout", dose_effect=0.5)
    helped = set(an.dose.loc[an.dose["verdict"].eq("more helps"), "stretch"])
    assert helped  # a year of logging finds it
    r = routine(an, minutes=15)
    longer = [i for i in r.items if i.stretch in helped and i.gain > 0]
    assert longer and all("longer holds eased more" in i.dose_why for i in longer)
    # where the log's own interval says longer helps, nothing is cut below the usual dose
    for i in r.items:
        row = an.dose[an.dose["stretch"] == i.stretch]
        if len(row) and float(row["ci_low"].iloc[0]) > 0:
            assert not i.dose_why.startswith("shorter than"), i
    # and the longer holds pay: more true relief than the same routine at the usual doses
    assert true_relief(r, log.truth) > 0


def test_without_a_dose_effect_short_doses_cost_nothing_true():
    # a 10-minute routine at the doses chosen beats the best one at the guides' dose on
    # most logs (shorter holds of the same relief), never by putting a dose below the
    # guides' minimum of 2 reps unless the catalog's own dose is 1
    log, an = _analysed(2, **STYLES["per_bout"].options)
    r = routine(an, minutes=10)
    assert true_relief(r, log.truth) >= 0.8 * best_relief(log.truth, 10)
    for i in r.items:
        entry = an.catalog.get(i.stretch) if i.stretch in an.catalog else None
        assert i.reps >= min(2, entry.reps if entry else 2)


def test_no_seed_gives_the_same_routine_all_day_and_rotates_tomorrow():
    _, an = _analysed(3, **STYLES["mixed"].options)
    a = routine(an, minutes=20)
    b = routine(analyse(an.bouts, today=an.today), minutes=20)  # a fresh analysis, same day
    assert a.to_json() == b.to_json() and a.seed == b.seed
    days = {routine(analyse(an.bouts, today=an.today + timedelta(days=k)), minutes=20).seed for k in range(4)}
    assert len(days) == 4
    assert routine(an, minutes=20, seed=a.seed).to_json() == a.to_json()
