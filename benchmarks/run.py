"""stretchlog benchmarks: start-up, per-step times on growing logs, and peak memory.

Run (about 5-10 minutes on a 2-core machine)::

    make bench                      # or: .venv/bin/python benchmarks/run.py
    .venv/bin/python benchmarks/run.py --quick          # skips the 1M-bout log
    .venv/bin/python benchmarks/run.py --write-md       # also rewrites the results in BENCHMARKS.md

Every figure is measured beside a baseline taken in the same run, and reported as
a ratio, because absolute times on shared machines drift:

* start-up of a command vs the bare import of the libraries that command loads
  (every third-party module found by running it once and reading ``sys.modules``)
  plus ``pandas.read_csv`` of the same file, with stretchlog's own modules compiled
  to bytecode first, as the libraries are;
* per-step times on simulated logs of 1 month to 1M bouts, in a fresh process per
  log, with the library import time measured separately, and the time per bout so
  that growth from 40k to 1M bouts is visible;
* peak memory (``ru_maxrss``) vs the in-memory size of the loaded frame.

Each measurement runs in its own subprocess with ``OPENBLAS_NUM_THREADS=1``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "stretch-log.csv"
PY = sys.executable
STRETCHLOG = [PY, "-m", "stretchlog"]
# HYPOTHESIS_NO_PLUGINS as the CLI sets it, so that a baseline importing hypothesis
# (pandera pulls it in where it is installed) loads it the way the command does.
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg", "COLUMNS": "120", "HYPOTHESIS_NO_PLUGINS": "1"}
HEAVY = ("pandas", "numpy", "pandera", "scipy", "statsmodels", "matplotlib")  # named in the table

SIZES = {
    "1 month": ("log", {"days": 31}),
    "1 year": ("log", {"days": 365}),
    "10 years": ("bouts", {"n_bouts": 40_000}),
    "100k": ("bouts", {"n_bouts": 100_000}),
    "1M": ("bouts", {"n_bouts": 1_000_000}),
}

# Steps run on each log, in order, inside one child process (see CHILD below).
STEPS = ["read+validate", "sessions+segments", "effects", "trends", "routine"]

CHILD = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
path = sys.argv[1]
steps = sys.argv[2].split(",")
out = {}
t = time.perf_counter()
import pandas, pandera.pandas, numpy, scipy.stats, statsmodels.api, matplotlib
out["import"] = time.perf_counter() - t
out["imports_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from stretchlog.log.reader import load_log

def timed(name, fn):
    t = time.perf_counter()
    value = fn()
    out[name] = time.perf_counter() - t
    return value

from stretchlog.analysis import Analysis

log = timed("read+validate", lambda: load_log(path))
bouts = log.bouts
an = Analysis(log)
timed("sessions+segments", lambda: (an.sessions, an.segments))
if "effects" in steps:
    timed("effects", lambda: an.relief)
if "trends" in steps:
    timed("trends", lambda: an.trends)
if "routine" in steps:
    from stretchlog.routine.build import routine
    timed("routine", lambda: routine(an, seed=1))
out["rows"] = len(bouts)
out["frame_mb"] = bouts.memory_usage(deep=True).sum() / 2**20
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def available_steps() -> list[str]:
    """The steps whose modules exist in this checkout."""
    have = ["read+validate", "sessions+segments"]
    src = ROOT / "src" / "stretchlog"
    for step, module in (("effects", "effects"), ("trends", "trends"), ("routine", "routine")):
        if (src / module).exists():
            have.append(step)
    return have


def paired_times(cmd: list[str], bases: list[list[str]], runs: int) -> dict:
    """Run a command and its baselines in turn; wall times of each.

    Taking turns keeps all under the same neighbours' load (this 2-core VM's speed
    drifts by 20-50% between minutes), and the ratios use the fastest run of each,
    the least disturbed one (as ``timeit`` advises); medians are reported too.
    """
    times: list[list[float]] = [[] for _ in range(len(bases) + 1)]
    for _ in range(runs):
        for target, out in zip([cmd, *bases], times):
            t = time.perf_counter()
            subprocess.run(target, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            out.append(time.perf_counter() - t)
    return {
        "min": min(times[0]),
        "median": statistics.median(times[0]),
        "base_min": [min(t) for t in times[1:]],
        "base_median": [statistics.median(t) for t in times[1:]],
    }


def third_party_modules(args: list[str]) -> list[str]:
    """Third-party modules a stretchlog command imports (by running it once), in load order.

    These are "the libraries it needs": the baseline imports exactly them, so the
    ratio measures stretchlog's own work (its modules, parsing, checks, output).
    Every module counts, not only each package's top level: a library may load
    parts of itself on first use (pandera imports its pandas backend, and with it
    hypothesis's numpy and pandas strategies, on the first ``validate``; about
    20-25 ms and their garbage-collection cost), and that is the library's import
    cost, not stretchlog's.
    """
    probe = (
        "import sys, runpy, json\n"
        "before = set(sys.modules)\n"
        f"sys.argv = ['stretchlog'] + {args!r}\n"
        "try:\n    runpy.run_module('stretchlog', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "def ours(m):\n"
        "    top = m.split('.')[0]\n"
        "    return top in sys.stdlib_module_names or m.startswith('_') or top == 'stretchlog'\n"
        "print(json.dumps([m for m in sys.modules if m not in before and not ours(m)]))\n"
    )
    res = subprocess.run([PY, "-c", probe], env=ENV, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def top_level(modules: list[str]) -> list[str]:
    """The packages of ``modules``, sorted (what the table names)."""
    return sorted({m.split(".")[0] for m in modules})


def baseline_cmd(modules: list[str], csv: Path | None, *, collector_as_cli: bool = False) -> list[str]:
    """``python -c`` importing ``modules`` in the order given, then reading ``csv``.

    The module names go in as arguments, so the baseline does not pay for
    compiling a long list literal. ``collector_as_cli`` runs the imports the way
    ``stretchlog.cli.app.main`` does: garbage collection off while they load, then
    ``gc.freeze()`` and on again. The CLI's collector handling saves time in the
    libraries' imports themselves; this baseline gives the same saving to the
    bare imports, so the ratio against it is stretchlog's own work only.
    """
    code = "import gc\ngc.disable()\n" if collector_as_cli else ""
    code += (
        "import importlib, sys\n"
        "for _m in sys.argv[1:]:\n"
        "    if _m not in sys.modules:\n"
        "        try:\n"
        "            importlib.import_module(_m)\n"
        "        except Exception:\n"
        "            pass\n"
    )
    if collector_as_cli:
        code += "gc.freeze()\ngc.enable()\n"
    if csv is not None:
        code += f"import pandas\npandas.read_csv({str(csv)!r})\n"
    return [PY, "-c", code, *modules]


def compile_own_bytecode() -> None:
    """Compile stretchlog's own modules to ``.pyc`` once, before timing anything.

    These machines set PYTHONDONTWRITEBYTECODE (see the Makefile), so with the
    editable install every run would recompile stretchlog's source (20-50 ms per
    command) while the libraries load the bytecode they were installed with
    (``--compile-bytecode``). An installed stretchlog has its bytecode too (pip
    compiles a wheel on install), so without this the ratio would bill a cost no
    user pays. Python checks each ``.pyc`` against its source, so a stale one is
    never used.
    """
    import compileall

    compileall.compile_dir(ROOT / "src" / "stretchlog", quiet=1)


def startup(runs: int) -> list[dict]:
    commands = [
        ("stretchlog --help", ["--help"], None),
        ("stretchlog catalog", ["catalog"], None),
        ("stretchlog validate (sample)", ["validate", str(SAMPLE)], SAMPLE),
    ]
    src = ROOT / "src" / "stretchlog"
    for name in ("effects", "trends", "routine"):
        if (src / "cli" / f"{name}.py").exists():
            commands.append((f"stretchlog {name} (sample)", [name, str(SAMPLE)] + (["--seed", "1"] if name == "routine" else []), SAMPLE))
    report_out = Path(tempfile.gettempdir()) / "stretchlog-bench-report.html"
    commands.append(("stretchlog report (sample)", ["report", str(SAMPLE), "--out", str(report_out), "--seed", "1"], SAMPLE))
    compile_own_bytecode()
    rows = []
    for label, args, csv in commands:
        modules = third_party_modules(args)
        mods = top_level(modules)
        bases = [baseline_cmd(modules, csv), baseline_cmd(modules, csv, collector_as_cli=True)]
        t = paired_times(STRETCHLOG + args, bases, runs)
        (bare, matched), (bare_med, matched_med) = t["base_min"], t["base_median"]
        rows.append(
            {
                "command": label,
                "seconds": round(t["min"], 3),
                "median_seconds": round(t["median"], 3),
                "baseline": "python -c pass" if not mods else "import " + ", ".join(m for m in mods if m in HEAVY + ("typer", "rich", "hypothesis")) + (" + read_csv" if csv else ""),
                "baseline_seconds": round(bare, 3),
                "baseline_median_seconds": round(bare_med, 3),
                "ratio": round(t["min"] / bare, 2),
                "matched_baseline_seconds": round(matched, 3),
                "matched_baseline_median_seconds": round(matched_med, 3),
                "own_ratio": round(t["min"] / matched, 2),
                "third_party_imports": mods,
            }
        )
        print(
            f"  {label:30s} {t['min']:6.3f} s (median {t['median']:6.3f})   bare imports {bare:6.3f} s "
            f"ratio {t['min'] / bare:4.2f}   imports as the CLI runs them {matched:6.3f} s ratio {t['min'] / matched:4.2f}",
            flush=True,
        )
    return rows


def make_log(kind: str, kwargs: dict, path: Path) -> None:
    """Write a simulated log, in its own process.

    Not in this process: a child's ``ru_maxrss`` starts from its parent's size at
    fork on Linux, so a runner holding a 1M-bout frame would inflate every peak.
    """
    fn = "simulate_log" if kind == "log" else "simulate_bouts"
    code = (
        f"from stretchlog.testing.simulate import {fn}\n"
        f"{fn}(seed=7, **{kwargs!r}).to_csv({str(path)!r})\n"
    )
    subprocess.run([PY, "-c", code], env=ENV, check=True)


def sizes(names: list[str], steps: list[str], workdir: Path, repeats: int) -> list[dict]:
    """Per-step times on each log: the fastest of ``repeats`` fresh processes.

    The repeats go round all sizes in turn (1 month, ..., 1M, then again), so a
    slow minute of the machine does not land on one size only; the fastest of
    each step is kept (the machine adds time, never removes it), and the peak
    memory is the largest seen.
    """
    paths = {}
    for name in names:
        kind, kwargs = SIZES[name]
        paths[name] = workdir / f"log-{name.replace(' ', '-')}.csv"
        make_log(kind, kwargs, paths[name])
    best: dict[str, dict] = {}
    for rep in range(repeats):
        for name in names:
            path = paths[name]
            base = subprocess.run(
                [PY, "-c", "import time,pandas;t=time.perf_counter();pandas.read_csv(%r);print(time.perf_counter()-t)" % str(path)],
                env=ENV, capture_output=True, text=True, check=True,
            )
            res = subprocess.run([PY, "-c", CHILD, str(path), ",".join(steps)], env=ENV, capture_output=True, text=True)
            if res.returncode != 0:
                raise SystemExit(f"benchmark child failed on {name}:\n{res.stderr[-3000:]}")
            out = json.loads(res.stdout.strip().splitlines()[-1])
            out["read_csv"] = float(base.stdout.strip())
            if name in best:
                old = best[name]
                for key in ("import", "read_csv", *steps):
                    if key in out:
                        out[key] = min(out[key], old[key])
                for key in ("peak_mb", "imports_mb"):
                    out[key] = max(out[key], old[key])
            best[name] = out
            per = {s: f"{out[s]:.3f}" for s in steps if s in out}
            print(f"  [{rep + 1}/{repeats}] {name:9s} rows {out['rows']:>9,d}  best {per}  peak {out['peak_mb']:.0f} MB", flush=True)
    rows = []
    for name in names:
        out = best[name]
        out["size"] = name
        out["repeats"] = repeats
        out["analysis"] = sum(out.get(s, 0.0) for s in ("effects", "trends", "routine"))
        rows.append(out)
    return rows


def machine() -> dict:
    import pandas

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pandas": pandas.__version__,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured {m['when']} on {m['platform']}, {m['cpus']} cores, Python {m['python']}, pandas {m['pandas']}.",
        "",
        "### Start-up (fastest of repeated runs, command and baselines taking turns; medians in brackets)",
        "",
        "*Bare imports*: the libraries imported as a plain script does. *As the CLI*: the same",
        "imports with the garbage collector handled as `stretchlog.cli.app.main` does (off while",
        "they load, then frozen), so that ratio is stretchlog's own work (the stricter rows above).",
        "",
        "| command | time (s) | baseline | bare imports (s) | ratio | imports as the CLI (s) | own-work ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results["startup"]:
        lines.append(
            f"| `{r['command']}` | {r['seconds']:.3f} ({r['median_seconds']:.3f}) | {r['baseline']} | "
            f"{r['baseline_seconds']:.3f} ({r['baseline_median_seconds']:.3f}) | {r['ratio']:.2f} | "
            f"{r['matched_baseline_seconds']:.3f} ({r['matched_baseline_median_seconds']:.3f}) | {r['own_ratio']:.2f} |"
        )
    steps = results["steps"]
    lines += [
        "",
        f"### Steps on simulated logs (seconds, fastest of {results['sizes'][0].get('repeats', 1)} fresh processes per log; imports measured apart)",
        "",
        "| log | bouts | read_csv (baseline) | " + " | ".join(steps)
        + " | peak MB | after imports MB | frame MB | (peak - imports) / frame |",
        "|---|---|---|" + "---|" * len(steps) + "---|---|---|---|",
    ]
    for r in results["sizes"]:
        cells = " | ".join(f"{r[s]:.3f}" if s in r else "-" for s in steps)
        lines.append(
            f"| {r['size']} | {r['rows']:,} | {r['read_csv']:.3f} | {cells} | {r['peak_mb']:.0f} | "
            f"{r['imports_mb']:.0f} | {r['frame_mb']:.1f} | "
            + (f"{(r['peak_mb'] - r['imports_mb']) / r['frame_mb']:.1f} |" if r["frame_mb"] >= 1 else "- |")
        )
    by = {r["size"]: r for r in results["sizes"]}
    if "10 years" in by and "1M" in by:
        a, b = by["10 years"], by["1M"]
        lines += ["", "### Growth of time per bout, 10 years (40k) to 1M bouts", "", "| step | µs/bout at 40k | µs/bout at 1M | growth |", "|---|---|---|---|"]
        for s in steps:
            if s in a and s in b:
                pa, pb = a[s] / a["rows"] * 1e6, b[s] / b["rows"] * 1e6
                lines.append(f"| {s} | {pa:.1f} | {pb:.1f} | {pb / pa:.2f}x |")
    return "\n".join(lines) + "\n"


def targets(results: dict) -> str:
    """The issue's targets, each with the measured figure and whether it is met."""
    start = {r["command"]: r for r in results["startup"]}
    by = {r["size"]: r for r in results["sizes"]}
    rows = []

    def add(target: str, measured: str, ok: bool) -> None:
        rows.append(f"| {target} | {measured} | {'met' if ok else '**not met**'} |")

    for cmd in ("stretchlog --help", "stretchlog catalog"):
        if cmd in start:
            t = start[cmd]["seconds"]
            add(f"`{cmd}` starts in at most 0.15 s (no pandas, statsmodels or matplotlib: "
                "asserted in tests/test_cli.py)", f"{t:.3f} s", t <= 0.15)
    for name, r in start.items():
        if name.endswith("(sample)") and "report" not in name:
            cmd = name.replace(" (sample)", "")
            add(f"`{cmd}` on the sample: at most 15% over its libraries' bare import plus reading the file",
                f"ratio {r['ratio']:.2f}", r["ratio"] <= 1.15)
            add(f"(stricter, ours) `{cmd}`: own work at most 15% over the same imports run as the CLI runs them",
                f"ratio {r['own_ratio']:.2f}", r["own_ratio"] <= 1.15)
    if "10 years" in by:
        r = by["10 years"]
        total = sum(r.get(k, 0.0) for k in ("effects", "trends", "routine"))
        add("10-year log (40k bouts): effects + trends + routine at most 1 s beyond imports",
            f"{total:.2f} s", total <= 1.0)
    if "10 years" in by and "1M" in by:
        a, b = by["10 years"], by["1M"]
        worst = max((b[s] / b["rows"]) / (a[s] / a["rows"]) for s in results["steps"] if s in a and s in b)
        add("40k to 1M bouts: time per bout grows by at most 1.5x (every step)", f"worst {worst:.2f}x", worst <= 1.5)
        mem = max((r["peak_mb"] - r["imports_mb"]) / r["frame_mb"] for r in results["sizes"] if r["frame_mb"] >= 10)
        add("peak memory within 5x the loaded frame (beyond the libraries' own memory; logs of 40k bouts and up)",
            f"worst {mem:.1f}x", mem <= 5)
    if "stretchlog report (sample)" in start:
        t = start["stretchlog report (sample)"]["seconds"]
        add("`stretchlog report` on the sample in under 20 s, with a progress display", f"{t:.1f} s", t < 20)
    return "| target | measured | status |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def _replace_between(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}{end}{tail}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the 1M-bout log")
    ap.add_argument("--runs", type=int, default=9, help="repeats for start-up timings (median)")
    ap.add_argument("--write-md", action="store_true", help="rewrite the results section of BENCHMARKS.md")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    ap.add_argument("--repeats", type=int, default=3, help="fresh processes per log size (fastest kept)")
    ap.add_argument("--startup-only", action="store_true", help="only the start-up table (keeps the last sizes)")
    args = ap.parse_args()
    steps = available_steps()
    names = [n for n in SIZES if not (args.quick and n == "1M")]
    print("Start-up:")
    results = {"machine": machine(), "steps": steps, "startup": startup(args.runs)}
    if args.startup_only and args.json.exists():
        results["sizes"] = json.loads(args.json.read_text(encoding="utf-8"))["sizes"]
    else:
        print("Steps per log size:")
        with tempfile.TemporaryDirectory() as tmp:
            results["sizes"] = sizes(names, steps, Path(tmp), args.repeats)
    # keep what other benchmarks wrote into the same file (benchmarks/cohort.py: "cohort")
    kept = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    kept.update(results)
    args.json.write_text(json.dumps(kept, indent=2) + "\n", encoding="utf-8")
    md = markdown(results)
    print()
    print(targets(results))
    print(md)
    if args.write_md:
        doc = ROOT / "BENCHMARKS.md"
        text = _replace_between(doc.read_text(encoding="utf-8"), "results", md)
        text = _replace_between(text, "targets", targets(results))
        doc.write_text(text, encoding="utf-8")
        print(f"wrote {doc}")


if __name__ == "__main__":
    main()
