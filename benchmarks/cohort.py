"""Many logs at once (issue 21): a cohort's wall clock on 1, 2 and all cores and on Dask,
and the pooled fit's time as the cohort grows.

Run (the full run, 1,000 simulated year-long logs: see BENCHMARKS.md for its time)::

    .venv/bin/python benchmarks/cohort.py                        # --n 1000 --days 365
    .venv/bin/python benchmarks/cohort.py --n 40 --days 120      # quick: about a minute

1. Simulates ``--n`` logs of ``--days`` days each
   (:func:`stretchlog.testing.cohort.simulate_cohort`, seeded) and keeps them as
   (file name, bytes), so the timings hold no disk reads.
2. Times :func:`stretchlog.cohort.run_cohort` (wall clock: the per-log work, the
   cohort fit and the overview's tables) with ``jobs=1`` (in this process),
   ``jobs=2``, ``jobs=`` every core (:func:`~stretchlog.cohort.available_cores`; one
   row when that is 2) and on a local Dask cluster
   (``distributed.LocalCluster(n_workers=cores, threads_per_worker=1)``, its Client
   passed as ``scheduler``; the cluster's start-up is timed apart). Each local
   engine's time includes starting its worker processes, as ``stretchlog cohort``
   pays it. Every engine's ``people``, ``stretches`` and ``effects`` tables are
   compared with the in-process run's, exactly.
3. Times :func:`stretchlog.effects.prior.fit_prior` alone and
   :func:`stretchlog.cohort.cohort_from_results` with the tables it leads to (every
   person's estimates pooled toward the cohort: ``effects``, ``people``,
   ``stretches``) for cohorts of 100, 250, 500 and 1,000 people, reusing the
   per-log results (the fastest of ``--repeat`` runs). With fewer logs than a size,
   the results are repeated under new file names to reach it (marked "repeated":
   the time is what is measured there, not the estimates).

Prints markdown tables and merges them into ``benchmarks/results.json`` under
``"cohort"`` (``--json FILE`` elsewhere, ``--no-json`` not at all). This script
must keep its work under ``if __name__ == "__main__":``: the local engine starts
workers from a fork server, which imports this file again.
"""

from __future__ import annotations

import os

# No OPENBLAS_NUM_THREADS here: every engine limits BLAS itself with threadpoolctl
# (stretchlog.blas_threads), and the benchmark measures it as a user runs it.

import argparse
import json
import platform
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2028, 1, 1)
SIZES = (100, 250, 500, 1000)
TABLES = ("people", "stretches", "effects")


def simulate(n: int, days: int, seed: int) -> list[tuple[str, bytes]]:
    """``n`` seeded logs of ``days`` days as (file name, bytes)."""
    from stretchlog.testing.cohort import simulate_cohort

    sim = simulate_cohort(n, seed=seed, days=days)
    return [(f, log.csv_text().encode()) for f, log in zip(sim.files, sim.logs)]


def same_tables(a, b) -> str:
    """'identical' when every overview table matches exactly, else what differs."""
    import pandas as pd

    out = []
    for name in TABLES:
        try:
            pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
        except AssertionError as exc:
            out.append(f"{name}: {str(exc).splitlines()[0]}")
    return "identical" if not out else "; ".join(out)


def engines(logs, cores: int, *, dask: bool) -> tuple[list[dict], object, float | None]:
    """Time run_cohort on each engine; the in-process Cohort and the Dask cluster's start-up."""
    from stretchlog.cohort import run_cohort

    run_cohort(logs[:2], today=TODAY, jobs=1)  # warm up this process's imports
    plans = [("this process", {"jobs": 1}, 1), ("2 local processes", {"jobs": 2}, 2)]
    if cores > 2:
        plans.append((f"{cores} local processes (all cores)", {"jobs": cores}, cores))
    else:
        plans[1] = (f"{cores} local processes (all cores)", {"jobs": cores}, cores)
    rows, ref = [], None
    for label, kw, workers in plans:
        t = time.perf_counter()
        c = run_cohort(logs, today=TODAY, **kw)
        took = time.perf_counter() - t
        ref = ref or c
        rows.append({"engine": label, "workers": workers, "seconds": took, "same": same_tables(c, ref)})
        print(f"  {label}: {took:.1f} s", file=sys.stderr, flush=True)
    started = None
    if dask:
        try:
            import distributed
        except ImportError:
            print("  Dask's distributed is not installed: no Dask row", file=sys.stderr)
            return rows, ref, None
        t = time.perf_counter()
        with distributed.LocalCluster(n_workers=cores, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            started = time.perf_counter() - t
            t = time.perf_counter()
            c = run_cohort(logs, today=TODAY, scheduler=client)
            took = time.perf_counter() - t
        rows.append({"engine": f"local Dask cluster ({cores} workers)", "workers": cores,
                     "seconds": took, "same": same_tables(c, ref)})
        print(f"  Dask: {took:.1f} s (cluster start {started:.1f} s)", file=sys.stderr, flush=True)
    for r in rows:
        r["speedup"] = rows[0]["seconds"] / r["seconds"]
        r["logs_per_s"] = len(logs) / r["seconds"]
    return rows, ref, started


def growth(results, sizes, repeat: int) -> list[dict]:
    """fit_prior alone, and cohort_from_results with its tables, per cohort size."""
    from stretchlog.cohort import cohort_from_results
    from stretchlog.effects.prior import fit_prior

    base = [r for r in results if r.ok]
    rows = []
    for size in sizes:
        people = [base[k % len(base)] if k < len(base) else
                  replace(base[k % len(base)], file=f"copy-{k:05d}-{base[k % len(base)].file}")
                  for k in range(size)]
        fits = [r.relief.fit for r in people if r.relief is not None and r.relief.fit is not None]
        fit_s, all_s = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            fit_prior(fits, made=TODAY)
            fit_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            c = cohort_from_results(people, TODAY)
            for name in TABLES:
                getattr(c, name)
            all_s.append(time.perf_counter() - t)
        rows.append({"people": size, "repeated": size > len(base), "fit_prior": min(fit_s),
                     "pooled": min(all_s)})
        print(f"  {size} people: fit_prior {min(fit_s):.3f} s, with the tables {min(all_s):.3f} s",
              file=sys.stderr, flush=True)
    for r in rows:
        r["fit_prior_ms_per_person"] = 1000 * r["fit_prior"] / r["people"]
        r["pooled_ms_per_person"] = 1000 * r["pooled"] / r["people"]
    return rows


def markdown(res: dict) -> str:
    m, a = res["machine"], res["args"]
    lines = [
        f"Measured {m['when']} on {m['platform']}, {m['cores']} cores this process may use, "
        f"Python {m['python']}, stretchlog {m['stretchlog']}, load average {m['load']:.1f} at the start; "
        f"`.venv/bin/python benchmarks/cohort.py --n {a['n']} --days {a['days']}`"
        + (" (**quick**)" if a["n"] < 1000 else "") + ".",
        "",
        f"{a['n']} simulated logs of {a['days']} days ({res['bouts']:,} bouts, "
        f"{res['megabytes']:.1f} MB of CSV; simulated in {res['simulate_s']:.0f} s).",
        "",
        "| engine | workers | wall clock (s) | logs per second | speed-up | tables vs this process |",
        "|---|---|---|---|---|---|",
    ]
    for r in res["engines"]:
        lines.append(f"| {r['engine']} | {r['workers']} | {r['seconds']:.1f} | {r['logs_per_s']:.1f} | "
                     f"{r['speedup']:.2f}x | {r['same']} |")
    if res.get("dask_start_s") is not None:
        lines += ["", f"Starting the local Dask cluster took {res['dask_start_s']:.1f} s more (not in its row)."]
    lines += [
        "",
        "| people | fit_prior (s) | ms per person | cohort_from_results + tables (s) | ms per person |",
        "|---|---|---|---|---|",
    ]
    for r in res["growth"]:
        mark = " (repeated)" if r["repeated"] else ""
        lines.append(f"| {r['people']:,}{mark} | {r['fit_prior']:.3f} | {r['fit_prior_ms_per_person']:.2f} | "
                     f"{r['pooled']:.3f} | {r['pooled_ms_per_person']:.2f} |")
    g = res["growth"]
    if len(g) > 1:
        f0, f1 = g[0]["fit_prior_ms_per_person"], g[-1]["fit_prior_ms_per_person"]
        p0, p1 = g[0]["pooled_ms_per_person"], g[-1]["pooled_ms_per_person"]
        lines += ["", f"Time per person from {g[0]['people']:,} to {g[-1]['people']:,} people: fit_prior "
                  f"{f1 / f0:.2f}x, with the tables {p1 / p0:.2f}x (1.00x is exactly linear)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="logs in the cohort (default 1000)")
    ap.add_argument("--days", type=int, default=365, help="days per log (default 365)")
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each cohort-fit size (fastest kept)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="cohort sizes for the fit's growth")
    ap.add_argument("--no-dask", action="store_true", help="skip the local Dask cluster")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    ap.add_argument("--no-json", action="store_true", help="do not write the results file")
    args = ap.parse_args(argv)

    import pandas

    from stretchlog import __version__
    from stretchlog.cohort import available_cores

    cores = available_cores()
    load = os.getloadavg()[0]  # other work on the machine: the parallel rows need idle cores
    print(f"Simulating {args.n} logs of {args.days} days ...", file=sys.stderr, flush=True)
    t = time.perf_counter()
    logs = simulate(args.n, args.days, args.seed)
    simulate_s = time.perf_counter() - t
    print("run_cohort per engine:", file=sys.stderr, flush=True)
    rows, cohort, dask_start = engines(logs, cores, dask=not args.no_dask)
    print("Cohort fit by size:", file=sys.stderr, flush=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    res = {
        "machine": {
            "python": platform.python_version(), "platform": platform.platform(), "cores": cores,
            "pandas": pandas.__version__, "stretchlog": __version__,
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": load,
        },
        "args": {"n": args.n, "days": args.days, "seed": args.seed},
        "bouts": int(sum(r.n_bouts for r in cohort.ok)),
        "megabytes": sum(len(b) for _, b in logs) / 2**20,
        "simulate_s": simulate_s,
        "engines": rows,
        "dask_start_s": dask_start,
        "growth": growth(cohort.results, sizes, args.repeat),
    }
    md = markdown(res)
    print(md)
    if not args.no_json:
        old = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
        old["cohort"] = res
        args.json.write_text(json.dumps(old, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json} (key 'cohort')", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
