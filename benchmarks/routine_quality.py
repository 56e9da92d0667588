"""Is the routine worth its minutes? True relief of the routine against the best (issue 18).

Run (about a minute with the defaults on a 2-core machine)::

    .venv/bin/python benchmarks/routine_quality.py [--seeds N] [--out FILE.md]

For each logging style of :data:`stretchlog.testing.routine_check.QUALITY_STYLES` (pain
rated around every bout; only at a session's start and end; a mix; a year with
tightness trends) and each seed it simulates a log with known effects and no dose
effect, builds the routine of 5, 10 and 20 minutes with its default seed, and
compares its true relief with the best routine a person who knew the true effects
could fit in the same minutes at the guides' dose
(:func:`stretchlog.testing.routine_check.best_relief`). A last table repeats the 10
minutes on logs where longer holds truly help (0.4 points a bout per doubling).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread: OpenBLAS spin-waits on 2 cores otherwise

import argparse
import time


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20, help="logs per style (seeds 1..N)")
    ap.add_argument("--out", default=None, help="also write the markdown tables to this file")
    args = ap.parse_args(argv)

    import pandas as pd

    from stretchlog.testing.calibration import markdown_table
    from stretchlog.testing.routine_check import QUALITY_STYLES, routine_study

    t0 = time.perf_counter()
    seeds = range(1, args.seeds + 1)
    parts = [routine_study(QUALITY_STYLES, seeds=seeds, minutes=m) for m in (5, 10, 20)]
    study = pd.concat(parts, ignore_index=True)
    dose = routine_study(["per_bout", "year_trends"], seeds=seeds, minutes=10, extra={"dose_effect": 0.4})

    def table(frame: pd.DataFrame) -> str:
        g = frame.groupby(["minutes", "style"], sort=True)
        out = g.agg(
            logs=("seed", "size"),
            share=("share", "mean"),
            worst=("share", "min"),
            relief=("relief", "mean"),
            best=("best", "mean"),
            proven=("proven", "mean"),
            experiments=("experiments", "mean"),
            harmful=("harmful", "sum"),
        ).reset_index()
        out["minutes"] = out["minutes"].map(lambda m: f"{m:g}")
        fmt = {c: ".2f" for c in ("share", "worst", "relief", "best", "proven", "experiments")}
        return markdown_table(out, fmt)

    ten = study[study["minutes"] == 10]
    lines = [
        "#### No dose effect (share: true relief of the routine / the best at the guides' dose)",
        "",
        table(study),
        "",
        f"10 minutes, all styles: mean share {ten['share'].mean():.2f} (target 0.80), worst log "
        f"{ten['share'].min():.2f}; harmful stretches in a routine: {int(study['harmful'].sum())}.",
        "",
        "#### Longer holds truly help (0.4 points a bout per doubling of hold x reps)",
        "",
        table(dose),
        "",
        f"Run time {time.perf_counter() - t0:.0f} s.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
