"""Self-experiments (issue 20): how honest is the answer of a randomised plan?

Run (the full table: 1,000 runs per setting, about an hour and a half on one core of
a 2-core machine; ``--jobs 2`` halves it on an idle machine)::

    .venv/bin/python benchmarks/experiment.py [--quick] [--runs N] [--draws N] [--jobs N] [--out FILE.md]

Each run draws a plan with its own seed, simulates a log that follows it with a
known true difference in session relief, option A minus option B
(:func:`stretchlog.testing.experiment.simulate_experiment`: AR(1) day-to-day pain,
readings rounded to whole points, days missed or swapped at random), reads the log
with the real reader and analyses it with
:func:`stretchlog.experiment.analyse_experiment` with the product's 2,000 re-drawn
schedules, as ``stretchlog experiment`` does. Settings, one factor at a time:

* **design** (a tenth of the days missed): pairs of days and the free design (a coin a
  day, runs capped at 3) over 4 weeks of daily sessions; pairs of weeks over 12 weeks
  (the shortest weeks plan whose coin can reach 5%: 6 pairs of weeks, 64 schedules)
  and over 4 weeks (4 schedules: the plan cannot answer, and says so);
* **missed days**: 0%, 25% and 50% of a 4-week pairs plan missed at random;
* **interim looks**: the 4-week pairs plan with a tenth missed, looked at every third
  day while it runs (days 7, 10, ..., 25) and at its end; a winner at any look counts;
* **swapped days**: a quarter of the days the other option is done, at random; the
  as-randomised truth is then difference x (1 - 2 x 0.25).

Columns: ``coverage`` - share of the runs with a figure whose interval holds the
truth (an unbounded interval holds it); ``winner`` - share of runs whose final answer
names a winner (a false-positive rate where the truth is 0, power otherwise);
``winner_any_look`` - the same at any look; ``width`` - mean width of the bounded
intervals; ``no_figure`` - share answered "not enough data"; ``unbounded`` - share
whose coin cannot rule out any difference; ``s_per_analysis`` - seconds per call of
``analyse_experiment``. With 1,000 runs a share near 0.05 or 0.95 carries a Monte Carlo
standard error of about 0.007.

Options:

* ``--quick``: 40 runs per setting (a few minutes);
* ``--runs N``: N runs per setting (default 1,000);
* ``--draws N``: re-drawn schedules per analysis (default: the product's 2,000);
* ``--jobs N``: worker processes (default 1);
* ``--out FILE.md``: also write the tables to FILE.md; ``--first-seed S``: seeds from S.

The same seeds give the same tables; only the timings differ between runs.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread: OpenBLAS spin-waits on 2 cores otherwise

import argparse
import sys
import time
import warnings
from datetime import date, datetime, timedelta

START = date(2026, 12, 7)

#: Every third day of a 4-week plan while it runs (the end is looked at too).
LOOKS = tuple(range(7, 28, 3))

#: (table, label, setting); a setting's keys are the arguments of :func:`one_run`.
SETTINGS: list[tuple[str, str, dict]] = [
    *[
        ("design", label, dict(design=design, weeks=weeks, miss=0.1, difference=d))
        for label, design, weeks in (
            ("pairs of days, 4 weeks", "pairs", 4),
            ("free (runs up to 3), 4 weeks", "free", 4),
            ("pairs of weeks, 12 weeks", "weeks", 12),
        )
        for d in (0.0, 0.5, 1.0)
    ],
    ("design", "pairs of weeks, 4 weeks", dict(design="weeks", weeks=4, miss=0.1, difference=1.0)),
    *[
        ("missed", f"{int(100 * miss)}% missed", dict(design="pairs", weeks=4, miss=miss, difference=d))
        for miss in (0.0, 0.25, 0.5)
        for d in (0.0, 0.5, 1.0)
    ],
    *[
        ("interim", "looked at every third day",
         dict(design="pairs", weeks=4, miss=0.1, difference=d, looks=LOOKS))
        for d in (0.0, 0.5, 1.0)
    ],
    ("swapped", "25% swapped", dict(design="pairs", weeks=4, miss=0.1, difference=1.0, swap=0.25)),
]

TABLES = {
    "design": "By design (a tenth of the days missed)",
    "missed": "Missed days (pairs of days, 4 weeks)",
    "interim": "Interim looks (pairs of days, 4 weeks, a tenth missed; looked at on days "
    + ", ".join(str(k) for k in LOOKS) + " and at the end)",
    "swapped": "Swapped days (pairs of days, 4 weeks, a tenth missed; as-randomised truth = difference x 0.5)",
}


def one_run(
    seed: int,
    *,
    design: str,
    weeks: int,
    miss: float,
    difference: float,
    swap: float = 0.0,
    looks: tuple[int, ...] = (),
    draws: int,
) -> dict:
    """One seeded plan, its simulated log and the analysis at each look and at the end."""
    import io

    import numpy as np
    import pandas as pd

    from stretchlog.experiment import Option, analyse_experiment, make_plan
    from stretchlog.log.reader import load_log
    from stretchlog.model.tables import LogTables
    from stretchlog.testing.experiment import simulate_experiment

    a, b = Option("A", "pigeon-pose", "Pigeon pose"), Option("B", "side-bend", "Side bend")
    plan = make_plan("compare", a, b, start=START, weeks=weeks, design=design, seed=seed)
    sim = simulate_experiment(plan, difference, seed=1_000_003 + seed, miss=miss, swap=swap, history_days=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = LogTables(load_log(io.StringIO(sim.csv)).bouts)
        bouts, sessions = tables.bouts, tables.sessions
    b_day, s_day = pd.to_datetime(bouts["date"]), pd.to_datetime(sessions["date"])
    seconds, first_winner, result = 0.0, None, None
    days = [k for k in looks if k < plan.n_days] + [plan.n_days]
    for k in days:
        today = plan.start + timedelta(days=k)
        now = pd.Timestamp(today)
        t = time.perf_counter()
        result = analyse_experiment(plan, bouts[b_day < now], sessions[s_day < now], today, draws=draws)
        seconds += time.perf_counter() - t
        if first_winner is None and result.winner is not None:
            first_winner = k
    truth = difference * (1 - 2 * swap)
    lo, hi = result.ci_low, result.ci_high
    figure = bool(np.isfinite(result.difference))
    return {
        "seed": seed,
        "figure": figure,
        "covers": bool(figure and lo <= truth <= hi),
        "unbounded": bool(figure and not (np.isfinite(lo) and np.isfinite(hi))),
        "width": float(hi - lo) if figure and np.isfinite(hi - lo) else float("nan"),
        "winner": result.winner is not None,
        "any_winner": first_winner is not None,
        "first_winner_day": first_winner,
        "estimate": result.difference,
        "analyses": len(days),
        "seconds": seconds,
    }


def _star(args: tuple) -> dict:
    seed, setting, draws = args
    return one_run(seed, draws=draws, **setting)


def run_setting(setting: dict, runs: int, first_seed: int, draws: int, pool=None):
    import pandas as pd

    jobs = [(first_seed + i, setting, draws) for i in range(runs)]
    rows = list(pool.imap(_star, jobs, chunksize=8)) if pool is not None else [_star(j) for j in jobs]
    return pd.DataFrame(rows)


def summarise(table: str, label: str, setting: dict, d) -> dict:
    shown = d[d["figure"]]
    out = {
        "setting": label,
        "truth": setting["difference"] * (1 - 2 * setting.get("swap", 0.0)),
        "runs": len(d),
        "coverage": shown["covers"].mean() if len(shown) else float("nan"),
        "winner": d["winner"].mean(),
        "width": shown["width"].mean(),
        "no_figure": 1 - d["figure"].mean(),
        "unbounded": shown["unbounded"].mean() if len(shown) else float("nan"),
        "s_per_analysis": d["seconds"].sum() / d["analyses"].sum(),
    }
    if table == "interim":
        out["winner_any_look"] = d["any_winner"].mean()
        wins = d["first_winner_day"].dropna()
        out["first_winner_day"] = wins.mean() if len(wins) else float("nan")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="40 runs per setting (a few minutes)")
    ap.add_argument("--runs", type=int, default=None, help="runs per setting (default 1,000)")
    ap.add_argument("--draws", type=int, default=None,
                    help="re-drawn schedules (default: the product's 2,000)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--out", default=None, help="also write the markdown tables to this file")
    ap.add_argument("--first-seed", type=int, default=10_000)
    args = ap.parse_args(argv)

    import pandas as pd

    from stretchlog import __version__
    from stretchlog.experiment.result import DRAWS
    from stretchlog.testing.calibration import markdown_table

    runs = args.runs or (40 if args.quick else 1000)
    draws = args.draws or DRAWS
    pool = None
    if args.jobs > 1:
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(args.jobs)
    t0 = time.perf_counter()
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    try:
        for i, (table, label, setting) in enumerate(SETTINGS):
            t = time.perf_counter()
            d = run_setting(setting, runs, args.first_seed + 100_000 * i, draws, pool)
            rows[table].append(summarise(table, label, setting, d))
            print(
                f"[{i + 1}/{len(SETTINGS)}] {table}: {label}, difference {setting['difference']:g}: "
                f"{time.perf_counter() - t:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    finally:
        if pool is not None:
            pool.close()
    took = time.perf_counter() - t0

    fmt = {
        "truth": ".2f", "coverage": ".3f", "winner": ".3f", "winner_any_look": ".3f", "width": ".2f",
        "no_figure": ".3f", "unbounded": ".3f", "s_per_analysis": ".3f", "first_winner_day": ".1f",
    }
    order = ["setting", "truth", "runs", "coverage", "winner", "winner_any_look", "first_winner_day",
             "width", "no_figure", "unbounded", "s_per_analysis"]
    lines = [
        "## Self-experiments (issue 20): coverage, false winners, power",
        "",
        f"stretchlog {__version__}, {datetime.now():%Y-%m-%d %H:%M}; command: "
        f"`.venv/bin/python benchmarks/experiment.py{' ' + ' '.join(sys.argv[1:]) if argv is None and sys.argv[1:] else ''}`; "
        f"{runs} runs per setting, seeds from {args.first_seed}; {draws:,} re-drawn schedules per analysis; "
        "plans compare two stretches, daily sessions, simulated with day-to-day pain AR(1) 0.6 "
        "(SD 0.9), reading error SD 0.5 rounded to whole points.",
        "",
    ]
    for table, title in TABLES.items():
        frame = pd.DataFrame(rows[table])
        if frame.empty:
            continue
        frame = frame[[c for c in order if c in frame.columns]]
        lines += [f"#### {title}", "", markdown_table(frame, fmt), ""]
    lines += [
        (
            "How to read: `winner` is the share of runs whose answer names an option (a verdict "
            "'better' or 'maybe better': the interval leaves out 0); where the truth is 0 it is the "
            "false-positive rate (target at most 0.05), otherwise the power. `winner_any_look` counts a "
            "run once if any interim look or the end named a winner; `first_winner_day` is the mean day "
            "of the plan at which the first winner was named (runs with one). `coverage` is over the "
            "runs with a figure. A plan of pairs of weeks over 4 weeks has only 4 possible schedules, so "
            "its randomisation test can never reach 5%: its interval is unbounded, which the answer says "
            "in words (`stretchlog plan` refuses such a plan and the preview never suggests one)."
        ),
        "",
        f"Run time {took / 60:.1f} min ({'1 process' if pool is None else f'{args.jobs} processes'}).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
