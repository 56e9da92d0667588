"""How right are the relief estimates? Calibration on simulated logs, beside the spreadsheet answer.

Run (about 2 minutes with the defaults on a 2-core machine)::

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/effects_accuracy.py [--logs 200] [--days 120]

For each logging style (pain rated around every bout, only at a session's start
and end, or a mix) it simulates ``--logs`` seeded logs with a known truth
(:mod:`stretchlog.testing.simulate`: noisy whole-number readings, regression to the mean,
an order effect, a harmful stretch, two rarely tried stretches and an inseparable
pair), writes each as CSV, reads it back, fits :func:`stretchlog.effects.relief.relief_effects`
and the naive estimate (mean relief of the segments holding the stretch, per bout
of it), and prints:

* coverage of the 95% intervals (share holding the true effect);
* Spearman rank correlation with the truth of the estimates, of the ranking, and
  of the naive estimate (mean over logs);
* bias and RMSE per bout (pooled estimate, the regression before pooling, naive);
* how often the harmful stretch is flagged, and false flags per log;
* how often a rarely tried stretch is ranked first (ours vs naive);
* how often the inseparable pair is reported as such.

Then it times one 10-year log (about 40,000 bouts): reading it, and each analysis.
The figures are quoted in docs/method.md.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _time(fn, repeat: int = 3):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--logs", type=int, default=200, help="simulated logs per logging style")
    ap.add_argument("--days", type=int, default=120, help="length of each log in days")
    ap.add_argument("--styles", default="per_bout,start_end,mixed")
    ap.add_argument("--bouts", type=int, default=40_000, help="size of the timed log")
    args = ap.parse_args()

    import pandas as pd

    from stretchlog.effects.relief import dose_response, lasting_relief, meaningful_sessions, relief_report
    from stretchlog.testing.check import calibration_runs, summarise_runs
    from stretchlog.log.errors import StretchlogWarning
    from stretchlog.log.reader import read_log
    from stretchlog.testing.simulate import simulate_bouts

    styles = tuple(args.styles.split(","))
    t0 = time.perf_counter()
    runs = calibration_runs(styles, args.logs, days=args.days)
    took = time.perf_counter() - t0
    s = summarise_runs(runs).set_index("style")
    print(f"Calibration: {args.logs} simulated logs of {args.days} days per style ({took:.0f} s)\n")
    rows = {
        "95% interval coverage": ("coverage", None, "{:.3f}"),
        "rank correlation: estimate | naive": ("rho", "naive_rho", "{:.2f}"),
        "rank correlation: ranking (cautious)": ("rank_rho", None, "{:.2f}"),
        "bias per bout: ours | naive": ("bias", "naive_bias", "{:+.3f}"),
        "RMSE per bout: ours | naive": ("rmse", "naive_rmse", "{:.3f}"),
        "RMSE per bout before pooling": ("raw_rmse", None, "{:.3f}"),
        "harmful stretch flagged (share of logs)": ("harmful_flagged", None, "{:.2f}"),
        "false harmful flags per log": ("false_harm", None, "{:.3f}"),
        "rare stretch ranked first: ours | naive": ("rare_on_top", "naive_rare_on_top", "{:.2f}"),
        "inseparable pair reported": ("inseparable_reported", None, "{:.2f}"),
    }
    table = {}
    for label, (a, b, fmt) in rows.items():
        table[label] = {
            st: fmt.format(s.loc[st, a]) + ("" if b is None else " | " + fmt.format(s.loc[st, b]))
            for st in styles
        }
    print(pd.DataFrame(table).T.to_string())

    print(f"\nSpeed: one log of about {args.bouts:,} bouts (median of 3 runs, seconds)")
    log = simulate_bouts(args.bouts, seed=1, style="mixed")
    text = log.csv_text()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        t_read, bouts = _time(lambda: read_log(io.StringIO(text)))
    days = (bouts["date"].max() - bouts["date"].min()).days
    print(
        f"  log: {len(bouts):,} bouts, {bouts['session_id'].nunique():,} sessions, {days / 365.25:.1f} years"
    )
    print(f"  read and check the CSV        {t_read:6.2f}")
    for label, fn in (
        ("relief_report                 ", lambda: relief_report(bouts)),
        ("relief_report(by_side=True)   ", lambda: relief_report(bouts, by_side=True)),
        ("lasting_relief                ", lambda: lasting_relief(bouts)),
        ("dose_response                 ", lambda: dose_response(bouts)),
        ("meaningful_sessions           ", lambda: meaningful_sessions(bouts)),
    ):
        t, _ = _time(fn)
        print(f"  {label}{t:6.2f}")


if __name__ == "__main__":
    main()
