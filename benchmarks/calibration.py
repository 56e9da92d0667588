"""The calibration study of issue 17: how honest is the analysis, per logging style?

Run (the full table: about 10 minutes with the default number of logs on a 2-core
machine; ``--logs 1000`` takes about 25)::

    .venv/bin/python benchmarks/calibration.py [--quick] [--logs N] [--out FILE.md]

For each logging style of :data:`stretchlog.testing.calibration.STYLES` (pain rated
around every bout; only at a session's start and end; a mix; sparse logging;
stretches chosen by pain in a fixed routine; names typed several ways; a year of
tightness trends; ten years) it simulates seeded logs with a known truth, analyses
each one through ``stretchlog.analyse`` exactly as a user's file is analysed, and
prints markdown tables: relief (rank correlation, bias, RMSE, coverage of the 95%
intervals, null stretches claimed to help), tightness trends (direction right, false
trends), the share of logs with a false lasting, dose or left-vs-right claim, and
the targets of issue 17 with met / not met. The definitions are in
:mod:`stretchlog.testing.calibration`.

Options:

* ``--quick``: each style's few quick logs (as the test suite runs them; seconds);
* ``--logs N``: N logs for each four-month style; the year and ten-year styles get
  N/2 and N/12 (their logs take longer);
* ``--out FILE.md``: also write the tables to FILE.md;
* ``--styles a,b``: only these styles; ``--first-seed S``: seeds from S.

The same seeds give the same tables; only the timings differ between runs.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread: OpenBLAS spin-waits on 2 cores otherwise

import argparse
import sys
import time
from datetime import datetime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="each style's few quick logs (seconds)")
    ap.add_argument(
        "--logs",
        type=int,
        default=None,
        help="logs per four-month style (long styles get fewer); default: each style's own",
    )
    ap.add_argument("--out", default=None, help="also write the markdown tables to this file")
    ap.add_argument("--styles", default=None, help="comma-separated style names (default: all)")
    ap.add_argument("--first-seed", type=int, default=0)
    args = ap.parse_args(argv)

    from stretchlog import __version__
    from stretchlog.testing.calibration import (
        STYLES,
        oracle_tightness,
        run_study,
        study_markdown,
        summarise_study,
        tightness_by_slope,
    )

    styles = (
        list(STYLES)
        if args.styles is None
        else [s.strip() for s in args.styles.split(",") if s.strip()]
    )
    t0 = time.perf_counter()
    results = run_study(
        styles,
        n_logs=args.logs,
        first_seed=args.first_seed,
        quick=args.quick,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    took = time.perf_counter() - t0
    summary = summarise_study(results)
    tables = study_markdown(summary, tightness_by_slope(results))

    oracle_line = ""
    if "year_trends" in styles and not args.quick:
        o = oracle_tightness("year_trends", n_logs=150, first_seed=9000)
        got = summary.set_index("style").loc["year_trends", "tight_right"]
        oracle_line = (
            "The ceiling for the per-side direction: a GLS fit that is *given* the simulator's "
            f"true noise model (stiff-day AR(1) and rating noise) calls {o['oracle_right']:.3f} "
            f"of trending stretch-sides right at 95% ({o['oracle_false']:.3f} false trends; "
            f"year_trends, 150 other logs); the analysis, which assumes no noise model, {got:.3f}."
        )
    per_log = (
        results.groupby(["style", "seed"], sort=False)["seconds"]
        .first()
        .groupby("style", sort=False)
    )
    timing = ", ".join(f"{s} {t:.2f}" for s, t in per_log.mean().items())
    logs = summary.set_index("style")["logs"]
    lines = [
        "## Calibration study (issue 17)",
        "",
        f"stretchlog {__version__}, {datetime.now():%Y-%m-%d %H:%M}; command: "
        f"`.venv/bin/python benchmarks/calibration.py{' ' + ' '.join(sys.argv[1:]) if argv is None and sys.argv[1:] else ''}`; "
        f"seeds {args.first_seed}..; logs per style: "
        + ", ".join(f"{s} {n}" for s, n in logs.items())
        + ".",
        "",
        "Styles: " + "; ".join(f"**{s}**: {STYLES[s].about}" for s in styles) + ".",
        "",
        tables,
        "",
        (
            "How to read: relief figures are per bout against the simulated truth, over the "
            "stretches with a figure; `null_helps` is the share of stretches with true relief 0 "
            "that the analysis says help (the verdict 'helps'; before the relief table had "
            "verdicts: a figure whose 95% interval lies above 0), `null_above_zero` the share "
            "whose interval lies above 0 ('surely some relief'). Tightness: `tight_right` is the "
            "share of stretch-sides with a true trend whose verdict names its direction (by size "
            "of trend in the last table); `false_trend` counts truly flat stretch-sides called "
            "looser or tighter; `tight_right_stretch` and `false_trend_stretch` are the same "
            "for the per-stretch verdicts (sides together). Every style simulates no dose effect and equal sides, so every "
            "dose or left-vs-right claim is false; `false_side_tight` includes 'slightly tighter' "
            "findings. Definitions: `stretchlog.testing.calibration`."
        ),
        "",
        oracle_line,
        "",
        f"Run time {took / 60:.1f} min; seconds per log (simulate + analyse): {timing}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
