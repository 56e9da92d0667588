"""``stretchlog cohort PATHS...``: many people's logs at once (issue 21).

Reads every log named (files, and folders' ``*.csv`` logs), analyses each (in this
process, in local worker processes, or on a Dask cluster: the same results), and
prints the overview answer first: who needs a look (safety flags), each person's
best stretches and pain trend, and which stretches help most people and by how
much. A file that breaks the format is named with its problems and skipped; the
rest still run. ``--out`` writes the overview as one HTML page, ``--export-prior``
the cohort summary that ``stretchlog effects LOG --prior`` reads.

Registered by :mod:`stretchlog.cli.app` as ``app.command("cohort")(cli_cohort.cohort)``.
Only typer, pathlib and typing are imported at the top; pandas, the analysis and rich
are imported when the command runs. Exit codes: 0 done (even when some files could
not be read), 1 a path is missing, no log could be read, the scheduler cannot be
reached or a file cannot be written, 2 bad usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

__all__ = ["cohort", "print_cohort", "TABLES", "FIRST_PROBLEMS"]

FORMATS = ("table", "csv", "json")
#: The tables ``--format csv`` can write (``--table``).
TABLES = ("people", "stretches", "effects", "flags", "problems")
#: Problems shown per file that could not be read (the rest are counted).
FIRST_PROBLEMS = 3

_PAIN_WORDS = {"flat": "no clear change", "not enough data": "not enough data yet"}


def cohort(
    paths: list[Path] = typer.Argument(
        ..., metavar="PATHS...", show_default=False,
        help="Log files and folders (a folder means its *.csv logs, not its *.plan.csv plans).",
    ),
    fmt: Optional[str] = typer.Option(
        None, "--format", "-f", show_default=False,
        help="table (for reading; the default), csv (one table, see --table) or json (every table).",
    ),
    table: str = typer.Option(
        "people", "--table", help="The table --format csv writes: " + ", ".join(TABLES) + ".",
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", metavar="PAGE.html", show_default=False,
        help="Write the overview as one HTML page with charts (opens anywhere, no network needed). "
             "The terminal then shows the headline and the safety flags only, unless --format is given.",
    ),
    export_prior: Optional[Path] = typer.Option(
        None, "--export-prior", metavar="COHORT.json", show_default=False,
        help="Also write the cohort summary (per-stretch relief across people, no one's rows) "
             "for 'stretchlog effects LOG --prior COHORT.json'.",
    ),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, show_default=False,
        help="Logs analysed at once, in worker processes (default: every core; 1: no extra processes).",
    ),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", metavar="ADDRESS", show_default=False,
        help="Run on a Dask cluster instead, e.g. tcp://HOST:8786 (needs stretchlog[dask]). "
             "The logs are sent to its workers: use a cluster you control.",
    ),
    today: Optional[str] = typer.Option(
        None, "--today", metavar="YYYY-MM-DD", show_default=False,
        help="The day 'today' means for every log (default: the computer's date), for output "
             "that can be reproduced.",
    ),
) -> None:
    """Many logs at once: who needs a look first, each person's best stretches, what helps most people.

    Reads every log named (a folder: its *.csv logs), analyses each, and prints
    the answer first: people with a safety flag (high or worsening pain, a stretch
    that raised pain), then each person's best stretches and pain trend, then
    which stretches help most people, by how much, with 95% intervals. Each
    person's figures lean on the whole cohort where their own log is short. A file
    that breaks the format is named with its problems and skipped. Files are shown
    by file name only. Advice from people's own records, not a diagnosis.
    """
    import datetime as dt

    fmt_given = fmt is not None
    fmt = (fmt or "table").strip().lower()
    if fmt not in FORMATS:
        _usage(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    table = table.strip().lower()
    if table not in TABLES:
        _usage(f"--table must be one of {', '.join(TABLES)}, not {table!r}.")
    if jobs is not None and scheduler is not None:
        _usage("Give --jobs or --scheduler, not both (on a Dask cluster the cluster's workers do the work).")
    day = dt.date.today()
    if today is not None:
        from stretchlog.cli.common import parse_day

        parsed = parse_day(today, day, {"today": 0, "yesterday": -1})
        if parsed is None:
            _usage(f"--today {today!r}: give the day as YYYY-MM-DD (e.g. 2026-12-07).")
        day = parsed

    import pandas  # noqa: F401  (imports first: _settle then turns garbage collection back on)

    from stretchlog.cli.common import _console, _err_console, _settle
    from stretchlog.cohort import SchedulerError, collect_logs, run_cohort

    _settle()
    err = _err_console()
    machine = fmt != "table"  # csv/json on stdout: every message goes to stderr
    msg = err if machine else _console()
    try:
        files = collect_logs(paths)
    except FileNotFoundError:
        missing = next(p for p in paths if not p.exists())
        err.print(f"No such file or folder: {missing}. Nothing was read.", markup=False, highlight=False)
        raise typer.Exit(1) from None
    if not files:
        err.print(
            "No logs found in " + ", ".join(str(p) for p in paths) + " (a folder's *.csv files are read, "
            "not its *.plan.csv plans). Nothing was read.", markup=False, highlight=False,
        )
        raise typer.Exit(1)
    _refuse_same_names(files)
    given = {f.resolve() for f in files}
    for option, target in (("--out", out), ("--export-prior", export_prior)):
        if target is None:
            continue
        if target.resolve() in given:
            _usage(f"{option} must not be one of the logs ({target}).")
        if not target.parent.is_dir():
            err.print(f"The folder {target.parent} does not exist ({option}); nothing was read or written.",
                      markup=False, highlight=False)
            raise typer.Exit(1)

    try:
        result = _run(run_cohort, files, day, jobs, scheduler, err)
    except SchedulerError as exc:
        err.print(
            f"Could not run on the Dask cluster: {exc}. Check that the scheduler is running and that "
            "its address is right (it looks like tcp://host:8786), or leave out --scheduler to run on "
            "this computer. Nothing was written.", markup=False, highlight=False,
        )
        raise typer.Exit(1) from None

    paths_by_name = {f.name: f for f in files}
    if not result.ok:
        err.print(f"No log could be read: {_count_files(len(result.failed))} with problems. Nothing was written.",
                  style="bold red", markup=False, highlight=False)
        _print_unread(err, result, paths_by_name, heading=False)
        raise typer.Exit(1)

    if fmt == "json":
        import json

        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        typer.echo(getattr(result, table).to_csv(index=False), nl=False)
    elif out is not None and not fmt_given:
        print_cohort(msg, result, paths_by_name, brief=True)
    else:
        print_cohort(msg, result, paths_by_name)

    if machine and len(result.failed):  # the table names them; csv/json readers hear it on stderr
        names = ", ".join(r.file for r in result.failed)
        err.print(f"Could not read {_count_files(len(result.failed))} (skipped): {names}. "
                  "--table problems lists why.", markup=False, highlight=False)

    if out is not None:
        _write_page(result, out, msg, err)
    if export_prior is not None:
        _write_prior(result, export_prior, msg, err)


# --------------------------------------------------------------------------- running


def _usage(message: str) -> None:
    from stretchlog.cli.common import _err_console

    _err_console().print(message, markup=False, highlight=False)
    raise typer.Exit(2)


def _count_files(n: int) -> str:
    from stretchlog.words import plural

    return plural(n, "file")


def _refuse_same_names(files: list[Path]) -> None:
    """Files are shown by name only: two logs with one name would be one person."""
    seen: dict[str, Path] = {}
    for f in files:
        if f.name in seen and seen[f.name].resolve() != f.resolve():
            from stretchlog.cli.common import _err_console

            _err_console().print(
                f"Two logs share the name {f.name} ({seen[f.name]} and {f}). People are shown by file "
                "name only, so rename one of them. Nothing was read.", markup=False, highlight=False,
            )
            raise typer.Exit(1)
        seen[f.name] = f
    files[:] = list({f.name: f for f in files}.values())  # the same file named twice: once


def _run(run_cohort, files, day, jobs, scheduler, err):
    """Run the cohort, with a progress bar on stderr when stderr is a terminal."""
    if not err.is_terminal:
        return run_cohort(files, today=day, jobs=jobs, scheduler=scheduler)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("Analysing the logs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as bar:
        task = bar.add_task("logs", total=len(files))

        def step(done: int, total: int, file: str) -> None:
            bar.update(task, completed=done, total=total)

        return run_cohort(files, today=day, jobs=jobs, scheduler=scheduler, progress=step)


def _write_page(result, out: Path, msg, err) -> None:
    try:
        from stretchlog.report.cohort import write_cohort_page
    except ImportError:
        err.print("This version of stretchlog cannot write the cohort page yet; nothing was written.",
                  markup=False, highlight=False)
        raise typer.Exit(1) from None
    try:
        write_cohort_page(result, out)
    except OSError as exc:
        err.print(f"Could not write {out}: {exc.strerror or exc}. Nothing was written.",
                  markup=False, highlight=False)
        raise typer.Exit(1) from None
    msg.print(f"Cohort page: {out}. Open it in any web browser.", markup=False, highlight=False)


def _write_prior(result, path: Path, msg, err) -> None:
    if result.prior is None:
        err.print(f"No cohort summary written: {result.prior_note}", markup=False, highlight=False)
        raise typer.Exit(1)
    from stretchlog.effects.prior import write_prior
    from stretchlog.words import plural

    try:
        write_prior(result.prior, path)
    except OSError as exc:
        err.print(f"Could not write {path}: {exc.strerror or exc}. Nothing was written.",
                  markup=False, highlight=False)
        raise typer.Exit(1) from None
    p = result.prior
    msg.print(
        f"Cohort summary: {path} ({plural(len(p.stretches), 'stretch', 'stretches')} from "
        f"{plural(p.n_people, 'person', 'people')}; no one's log rows). Use it with: "
        f"stretchlog effects LOG --prior {path}", markup=False, highlight=False,
    )


# --------------------------------------------------------------------------- the overview


def _pain_words(verdict: str, slope: float) -> str:
    """Pain over the whole log in words: ``falling about 1.6 points a month``."""
    if verdict == "improving":
        return f"falling, about {abs(slope):.1f} points a month"
    if verdict == "worsening":
        return f"rising, about {abs(slope):.1f} points a month"
    return _PAIN_WORDS.get(verdict, verdict)


def _sessions(n: int, first, last) -> str:
    """How many sessions and when, on three short lines: ``42, from`` / ``5 Jan 2026`` /
    ``to 5 Mar 2026``."""
    import datetime as dt

    if not n or not isinstance(first, str) or not isinstance(last, str):
        return str(n)
    a, b = dt.date.fromisoformat(first[:10]), dt.date.fromisoformat(last[:10])
    return f"{n}, from\n{a.day} {a:%b} {a.year}\nto {b.day} {b:%b} {b.year}"


def print_cohort(console, result, paths_by_name: dict | None = None, *, brief: bool = False) -> None:
    """The cohort overview, answer first: the headline, who needs a look first, the people,
    what helps most people (with a legend), and the files that could not be read.

    ``brief`` (``--out`` without ``--format``): the headline, the safety flags and the
    unread files only; the page holds the rest.

    Examples
    --------
    >>> from datetime import date
    >>> from rich.console import Console
    >>> from stretchlog.cohort import run_cohort
    >>> c = run_cohort([("broken.csv", b"date,stretch\\n")], today=date(2026, 3, 1), jobs=1)
    >>> print_cohort(Console(width=80, color_system=None), c)  # doctest: +ELLIPSIS
    0 logs analysed; 1 file could not be read (named below).
    ...
    """
    from rich.text import Text

    paths_by_name = paths_by_name or {}
    console.print(Text(result.headline(), style="bold"))
    console.print(Text(
        f"Made on {result.today.isoformat()} from {_count_files(len(result.results))}; "
        f"analysed in {result.engine}.", style="dim",
    ))
    _print_flags(console, result)
    if not brief:
        _print_people(console, result)
        _print_stretches(console, result)
    _print_unread(console, result, paths_by_name)


def _print_flags(console, result) -> None:
    from rich.padding import Padding
    from rich.text import Text

    from stretchlog.cli.render import bullet
    from stretchlog.trends.safety import DISCLAIMER

    console.print()
    flagged = [r for r in result.ok if r.flags]
    if not flagged:
        console.print(Text.assemble(
            ("Needs a look first: ", "bold"),
            "no one. No log shows pain of 7 or more for days, pain rising steadily, or a "
            "stretch that raised pain.",
        ))
        return
    console.print(Text("Needs a look first", style="bold"))
    order = list(result.people["file"])
    for r in sorted(flagged, key=lambda r: order.index(r.file)):
        console.print(Text.assemble("  ", (r.file, "bold"), f": {r.flags[0].severity}",
                                    style="red" if r.flags[0].severity == "see a professional" else ""))
        for f in r.flags:
            line = Text(f.message)
            line.append("\nWhat to do: ", style="bold")
            line.append(f.advice)
            bullet(console, line, indent=4)
    console.print(Padding(Text(DISCLAIMER, style="italic"), (0, 0, 0, 2)))


def _print_people(console, result) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from stretchlog.cli.render import bullet
    from stretchlog.cohort.overview import TOP_N
    from stretchlog.words import signed

    ppl = result.people[result.people["status"].eq("ok")]
    eff = result.effects
    best = eff[eff["rank"].notna() & eff["verdict"].isin(["helps", "may help"])]
    by_file = {f: g.head(TOP_N) for f, g in best.groupby("file", sort=False)}
    severity = {r.file: r.flags[0].severity for r in result.ok if r.flags}
    console.print()
    flagged_first = "; flagged people first" if severity else ""
    console.print(Text.assemble(("People", "bold"), f" ({len(ppl)}{flagged_first})"))
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, show_edge=False)
    t.add_column("File", no_wrap=True)
    t.add_column("Sessions", no_wrap=True)
    t.add_column("Best stretches, relief", ratio=1, min_width=20)
    t.add_column("Pain over time", min_width=15, max_width=18)
    for rec in ppl.itertuples(index=False):
        file = Text(rec.file)
        if rec.file in severity:
            file.append("\nflagged", style="bold red")
        top = by_file.get(rec.file)
        if top is None or top.empty:
            stretches = Text("none helps clearly yet", style="dim")
        else:
            stretches = Text("\n".join(f"{n} {signed(v)}" for n, v in zip(top["name"], top["effect"])))
        t.add_row(file, Text(_sessions(int(rec.sessions), rec.first_date, rec.last_date)), stretches,
                  Text(_pain_words(rec.pain_verdict, rec.pain_slope)))
    console.print(t)
    lean = (" They lean on the cohort's figures (below) where the person's own log is short."
            if result.prior is not None else "")
    for line in (
        f"Best stretches: up to {TOP_N} that help or may help this person, the surest first, with "
        f"the relief of one bout (points less pain, 0-10).{lean}",
        "Pain over time: the trend of pain at the start of sessions across the whole log; "
        "\"no clear change\" when its 95% interval includes no change. A flag can still show a "
        "recent rise.",
    ):
        bullet(console, Text(line), indent=0)


def _print_stretches(console, result) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from stretchlog.cli.render import bullet
    from stretchlog.effects.prior import MIN_PEOPLE
    from stretchlog.words import chance, number, signed

    console.print()
    st = result.stretches
    if result.prior is None or st.empty:
        console.print(Text("What helps most people", style="bold"))
        console.print(Text(result.prior_note))
        return
    console.print(Text.assemble(("What helps most people", "bold"), " (most relief first)"))
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, show_edge=False)
    t.add_column("Stretch", min_width=14, ratio=1)
    t.add_column("Relief", justify="right", no_wrap=True)
    t.add_column("95% range", justify="right", no_wrap=True)
    t.add_column("People differ", justify="right", no_wrap=True)
    t.add_column("Helps", justify="right", no_wrap=True)
    t.add_column("People", justify="right", no_wrap=True)
    for rec in st.itertuples(index=False):
        t.add_row(
            Text(rec.name), number(rec.mean, signed=True, bare_zero=True),
            f"{signed(rec.ci_low)} to {signed(rec.ci_high)}", f"\u00b1{rec.spread:.1f}",
            chance(rec.share_helped), str(int(rec.n_people)),
        )
    console.print(t)
    console.print(Text("What these numbers mean", style="bold"))
    for line in (
        "Relief: points less pain on the 0-10 scale after one bout of the stretch (one row of a "
        "log), on average across these people; 95% range: that average lies in it with 95% "
        "probability.",
        "People differ: how far one person's true relief typically lies from that average (about 2 "
        "in 3 people within this much).",
        "Helps: the estimated share of people for whom it brings some relief (true relief above 0), "
        "from the average and how much people differ.",
        f"People: whose logs give the stretch a figure (a stretch needs {MIN_PEOPLE} to be listed).",
    ):
        bullet(console, Text(line), indent=0)


def _print_unread(console, result, paths_by_name: dict, *, heading: bool = True) -> None:
    import re
    import shlex

    from rich.text import Text

    from stretchlog.cli.render import bullet
    from stretchlog.words import plural

    if not result.failed:
        return
    if heading:
        console.print()
        console.print(Text.assemble(("Could not be read", "bold red"), " (skipped; nothing in them was changed)"))
    for r in result.failed:
        problems = list(r.problems)
        more = 0
        if problems:
            m = re.match(r"\.\.\. and (\d+) more", problems[-1])
            if m:
                more = int(m.group(1))
                problems.pop()
        n = len(problems) + more
        console.print(Text.assemble("  ", (r.file, "bold"), f": {plural(n, 'problem')}"))
        for p in problems[:FIRST_PROBLEMS]:
            bullet(console, Text(p), indent=4)
        rest = n - min(len(problems), FIRST_PROBLEMS)
        if rest:
            path = paths_by_name.get(r.file, r.file)
            console.print(Text(f"      and {plural(rest, 'more problem')}; every one: "
                               f"stretchlog validate {shlex.quote(str(path))}"))
