"""How fast are the trends on a 10-year daily log (~40,000 bouts)?

Target (issue 4): a few seconds for ``stretchlog trends``. Run with

    OPENBLAS_NUM_THREADS=1 python benchmarks/trends_speed.py [--bouts 40000] [--repeat 3]

It simulates a log (seeded), writes it as CSV, then times reading it and each
part of the trends report, and prints the median of ``--repeat`` runs in seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bouts", type=int, default=40_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    t0 = time.perf_counter()
    import pandas as pd  # noqa: F401  (import cost reported separately)
    import statsmodels.api  # noqa: F401

    from stretchlog.log.catalog import load_catalog
    from stretchlog.trends.habits import habits
    from stretchlog.log.reader import load_log
    from stretchlog.trends.safety import safety_flags
    from stretchlog.model.segments import segments
    from stretchlog.model.sessions import sessions
    from stretchlog.model.tables import LogTables
    from stretchlog.testing.simulate import simulate_bouts
    from stretchlog.trends.tightness import tightness_curve, tightness_trends
    from stretchlog.trends.pain import pain_over_time
    from stretchlog.trends.report import trends_report
    from stretchlog.trends.sides import side_asymmetry

    t_import = time.perf_counter() - t0
    sim = simulate_bouts(args.bouts, seed=args.seed)
    cat = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten-years.csv"
        sim.to_csv(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_load, loaded = _time(lambda: load_log(path, catalog=cat), args.repeat)
    b = loaded.bouts
    first, last = b["date"].min(), b["date"].max()
    tables = LogTables(b, cat)  # sessions and segments built once, as an Analysis does
    ses = tables.sessions
    tables.segments
    print(
        f"log: {len(b):,} bouts, {len(ses):,} sessions, {b['stretch_id'].nunique()} stretches, "
        f"{first:%Y-%m-%d} to {last:%Y-%m-%d} ({(last - first).days / 365.25:.1f} years)"
    )
    print(f"imports (pandas, statsmodels, stretchlog)   {t_import:6.2f} s")
    print(f"read and check the log (load_log)           {t_load:6.2f} s")
    parts = [
        ("sessions + segments", lambda: (sessions(b), segments(b))),
        (
            "tightness, per stretch and side",
            lambda: tightness_trends(b, by="stretch_side", catalog=cat),
        ),
        ("tightness, per stretch", lambda: tightness_trends(b, by="stretch", catalog=cat)),
        (
            "tightness, per muscle group",
            lambda: tightness_trends(b, by="muscle_group", catalog=cat),
        ),
        ("left and right", lambda: side_asymmetry(b, catalog=cat)),
        ("pain over time", lambda: pain_over_time(tables)),
        ("habits", lambda: habits(tables)),
        ("safety flags", lambda: safety_flags(tables)),
        ("whole report (trends_report)", lambda: trends_report(b, catalog=cat)),
        ("LOWESS curves, per stretch and side", lambda: tightness_curve(b, catalog=cat)),
    ]
    for label, fn in parts:
        t, _ = _time(fn, args.repeat)
        print(f"{label:<44}{t:6.2f} s")
    t_report, _ = _time(lambda: trends_report(b, catalog=cat), args.repeat)
    print(f"{'read + report (what the command computes)':<44}{t_load + t_report:6.2f} s")


if __name__ == "__main__":
    main()
