"""Write the synthetic sample logs in data/sample/ (run: python scripts/make_sample.py).

Outputs (all synthetic, no real person's data):

* ``data/sample/stretch-log.csv``: a realistic ~5-month log drawn by
  :func:`stretchlog.testing.simulate.simulate_log` with a fixed seed: 3-6 sessions a
  week, mornings and evenings, the contract's logging styles mixed, tightness
  ratings, a few notes, names typed as a person would (mixed case, aliases)
  and one stretch the catalog lacks ("doorway chest stretch").
* ``data/sample/stretch-log-truth.json``: the true parameters it was drawn from.
* ``data/sample/broken-log.csv``: a small log in which every problem is a
  distinct contract violation. Intended problems, by spreadsheet row (header = row 1):

    row  4  date      22/11/2026   day/month/year date, not YYYY-MM-DD
    row  5  date      2026-13-01   no month 13
    row  7  pain_after  11         pain above 10
    row  8  pain_before 7/10       pain written as a fraction
    row  9  pain_after  seven      pain written in words
    row 10  side      L            abbreviation, not left/right/both
    row 11  hold_s    0            hold must be > 0
    row 12  hold_s    -30          negative hold
    row 13  reps      2.5          reps must be a whole number
    row 15  pain_before (empty)    first bout of the 2026-11-05 07:10 session has no pain_before
    row 18  pain_after  (empty)    last bout of the 2026-11-06 21:00 session has no pain_after

  Rows 2-3, 6, 14, 16-17 and 19-20 are valid. Each bad cell sits where an empty
  cell would be valid (or its row is a session of its own with both readings),
  so no problem causes a second one.
"""

from __future__ import annotations

import json
from pathlib import Path

from stretchlog.log.catalog import custom_id
from stretchlog.testing.simulate import DEFAULT_EFFECTS, DEFAULT_STRETCHES, StretchSpec, simulate_log

SEED = 20261101
OUT = Path(__file__).resolve().parents[1] / "data" / "sample"

CUSTOM_NAME = "doorway chest stretch"

BROKEN = """\
date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes
2026-11-01,21:30,reclining hip stretch,left,60,3,6,5,7,
2026-11-01,21:30,reclining hip stretch,right,60,3,,4,5,
22/11/2026,07:15,knees to chest,both,30,4,5,4,,
2026-13-01,07:15,knees to chest,both,30,4,6,5,,
2026-11-03,20:45,hamstring stretch,both,10,9,6,5,6,
2026-11-03,20:45,psoas stretch 1,left,45,2,,11,8,
2026-11-03,20:45,psoas stretch 1,right,45,2,7/10,4,7,
2026-11-03,20:45,knees to chest,both,30,4,,seven,,
2026-11-03,20:45,QL stretch,L,30,3,,4,6,
2026-11-03,20:45,QL stretch,right,0,3,,,5,
2026-11-03,20:45,spinal twist,left,-30,3,,3,,
2026-11-03,20:45,spinal twist,right,30,2.5,,,,
2026-11-03,20:45,passive low back stretch,both,60,2,,3,,"felt easier, less pinching"
2026-11-05,07:10,pigeon,left,45,2,,5,,
2026-11-05,07:10,pigeon,right,45,2,,4,,
2026-11-06,21:00,figure four,left,30,3,6,5,,
2026-11-06,21:00,figure four,right,30,3,,,,
2026-11-08,07:30,knees to chest,both,30,4,5,4,,
2026-11-08,07:30,side bend,left,20,3,,4,3,
"""

#: (row, column) of every intended problem in BROKEN (header = row 1).
BROKEN_PROBLEMS: tuple[tuple[int, str], ...] = (
    (4, "date"),
    (5, "date"),
    (7, "pain_after"),
    (8, "pain_before"),
    (9, "pain_after"),
    (10, "side"),
    (11, "hold_s"),
    (12, "hold_s"),
    (13, "reps"),
    (15, "pain_before"),
    (18, "pain_after"),
)


def make_sample():
    """The sample log (a :class:`~stretchlog.testing.simulate.SimulatedLog`)."""
    cid = custom_id(CUSTOM_NAME)
    stretches = {
        **DEFAULT_STRETCHES,
        cid: StretchSpec(CUSTOM_NAME, False, 30, 2, ("Doorway chest stretch",)),
    }
    return simulate_log(
        days=150,
        seed=SEED,
        sessions_per_week=4.5,
        style="mixed",
        stretches=stretches,
        effects={**DEFAULT_EFFECTS, cid: 0.1},
        weights={cid: 0.3},
        imbalance=True,
        name_style="varied",
        usual_name_prob=0.9,
        start="2026-05-04",
    )


def truth_json(truth) -> str:
    """The truth as JSON (tuple keys written as 'id|side')."""

    def keyed(d):
        return {"|".join(k) if isinstance(k, tuple) else k: v for k, v in d.items()}

    data = {
        "note": "True parameters of the synthetic stretch-log.csv (see stretchlog.testing.simulate).",
        "seed": SEED,
        "effects_per_bout": truth.effects,
        "side_effects_per_bout": keyed(truth.side_effects),
        "position_effect": truth.position_effect,
        "lasting": truth.lasting,
        "tightness_slope_per_30_days": keyed(truth.tightness_slope),
        "pain_slope_per_30_days": truth.pain_slope,
        "reading_sd": truth.reading_sd,
        "bout_sd": truth.bout_sd,
        "baseline": truth.baseline,
        "rare": list(truth.rare),
        "favourite": truth.favourite,
        "names": truth.names,
    }
    return json.dumps(data, indent=2) + "\n"


#: The sample self-experiment: reclining hip vs seated hip stretch, eight weeks on Mon-Sat.
EXPERIMENT_SEED = 20261005
#: Its true difference in a session's relief (reclining hip minus seated hip, points).
EXPERIMENT_DIFFERENCE = 1.2


def make_experiment():
    """The sample plan and a log that follows it (15% of days missed, 5% swapped)."""
    from datetime import date

    from stretchlog.experiment import Option, make_plan
    from stretchlog.testing.experiment import simulate_experiment

    plan = make_plan(
        "compare",
        Option("A", "reclining-hip-stretch", "Reclining hip stretch"),
        Option("B", "seated-hip-stretch", "Seated hip stretch"),
        start=date(2026, 10, 5),
        weeks=8,
        weekdays=(0, 1, 2, 3, 4, 5),
        design="pairs",
        seed=EXPERIMENT_SEED,
    )
    sim = simulate_experiment(
        plan, EXPERIMENT_DIFFERENCE, seed=EXPERIMENT_SEED, miss=0.15, swap=0.05,
        names={"reclining-hip-stretch": "reclining hip", "seated-hip-stretch": "seated hip stretch"},
    )
    return plan, sim


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    from stretchlog.experiment import write_plan

    plan, sim = make_experiment()
    (OUT / "experiment-log.csv").write_text(sim.csv, encoding="utf-8", newline="\n")
    write_plan(plan, OUT / "experiment-log.plan.csv", replace=True)
    print(
        f"wrote {OUT / 'experiment-log.csv'} and its plan: {plan.n_days} planned days, "
        f"{sim.missed} missed, {sim.swapped} swapped"
    )
    log = make_sample()
    log.to_csv(OUT / "stretch-log.csv")
    (OUT / "stretch-log-truth.json").write_text(
        truth_json(log.truth), encoding="utf-8", newline="\n"
    )
    (OUT / "broken-log.csv").write_text(BROKEN, encoding="utf-8", newline="\n")
    f = log.frame
    n_sessions = (f["date"] + " " + f["time"]).nunique()
    print(
        f"wrote {OUT / 'stretch-log.csv'}: {len(f)} bouts, {n_sessions} sessions, "
        f"{f['date'].min()} to {f['date'].max()}"
    )
    print(
        f"wrote {OUT / 'broken-log.csv'}: {BROKEN.count(chr(10)) - 1} rows, "
        f"{len(BROKEN_PROBLEMS)} problems"
    )


if __name__ == "__main__":
    main()
