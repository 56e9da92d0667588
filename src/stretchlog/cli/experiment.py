"""``stretchlog plan`` and ``stretchlog experiment``: randomised self-experiments (issue 20).

``stretchlog plan LOG --compare A B`` draws a plan (which option to do on which
day), previews what it can find from the person's own log, and writes it beside
the log (``LOG.plan.csv``). ``stretchlog experiment LOG`` reads the plan and the
log and says what the experiment shows so far.

Registered by :mod:`stretchlog.cli.app` as ``app.command("plan")(cli_experiment.plan)``
and ``app.command("experiment")(cli_experiment.experiment)``. Only typer, pathlib and
typing are imported at the top; the analysis, rich and matplotlib are imported when
a command runs. Exit codes: 0 done, 1 the log, the plan or the options have
problems (nothing written), 2 bad usage.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

__all__ = ["plan", "experiment", "print_experiment", "plan_problem_lines", "DEFAULT_PDF"]

#: Where ``experiment --format pdf`` writes the summary when ``--out`` is not given.
DEFAULT_PDF = "experiment-summary.pdf"
_PLAN_FORMATS = ("table", "json")
_EXPERIMENT_FORMATS = ("table", "md", "json", "pdf")
#: Planned days shown in the ``plan`` output (the rest are in the plan file).
FIRST_DAYS = 8
_DISCLAIMER = "Advice from your own records, not a diagnosis."
#: Notes of the result whose figures the figure block already shows (left out below it).
_SHOWN_ABOVE = ("Chance that ", "As done ", "Adherence: ")

_CATALOG_OPT = typer.Option(
    None, "--catalog", envvar="STRETCHLOG_CATALOG",
    help="Your own catalog file (TOML) that extends the built-in stretches.", show_default=False,
)


# --------------------------------------------------------------------------- shared helpers


def _esc(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


def _q(text: object) -> str:
    """A path or name as typed in a shell command."""
    import shlex

    return shlex.quote(str(text))


def _day(d) -> str:
    """``Mon 5 Oct``."""
    return f"{d:%a} {d.day} {d:%b}"


def _span(first, last) -> str:
    """``Mon 5 Oct to Sat 28 Nov 2026`` (both years when they differ)."""
    if first.year != last.year:
        return f"{_day(first)} {first.year} to {_day(last)} {last.year}"
    return f"{_day(first)} to {_day(last)} {last.year}"


def _usage(message: str) -> None:
    from stretchlog.cli.common import _err_console

    _err_console().print(message, markup=False, highlight=False)
    raise typer.Exit(2)


def plan_problem_lines(problems, kind: str | None = None) -> list[str]:
    """A plan's problems as lines: ``--compare 'side bend': expected ...`` for an option,
    ``row 5, column 'option': got 'C', expected A or B`` for a cell of a plan file.

    A problem of a new plan named by its setting (``weeks``, ``design``...) is named
    by the option that sets it (``--weeks``).
    """
    from stretchlog.log.errors import shown_value

    option = {"weeks": "--weeks", "design": "--design", "max_run": "--max-run", "days": "--days",
              "kind": "--compare, --dose or --order"}
    if kind:
        option["options"] = f"--{kind}"
    lines = []
    for p in problems:
        column = p.column
        if p.row is None and column in option:
            column = option[column]
        if p.row is None and column and column.startswith("--"):
            value = "" if p.value is None else " " + shown_value(str(p.value))
            lines.append(f"{column}{value}: expected {p.expected}")
        elif p.row is None and p.column is None:
            lines.append(f"expected {p.expected}")
        else:
            lines.append(str(p))
    return lines


def _refuse_plan(lines: list[str], *, tip: str | None = None) -> None:
    """Why no plan was made, one line per problem; exit 1."""
    from rich.text import Text

    from stretchlog.cli.common import _err_console
    from stretchlog.cli.render import bullet

    err = _err_console()
    lines = [line if line.endswith((".", "?", "!", ")")) else line + "." for line in lines]
    if len(lines) == 1:
        err.print(f"[bold red]No plan made:[/] {_esc(lines[0])}")
    else:
        err.print("[bold red]No plan made:[/]")
        for line in lines:
            bullet(err, Text(line))
    if tip:
        err.print(_esc(tip))
    err.print("Nothing was written.")
    raise typer.Exit(1)


def _parse_start(text: Optional[str], today: dt.date) -> Optional[dt.date]:
    if text is None:
        return None
    from stretchlog.cli.common import parse_day

    day = parse_day(text, today, {"today": 0, "tomorrow": 1})
    if day is not None:
        return day
    _usage(f"--start {text!r}: give the first day as YYYY-MM-DD (e.g. 2026-12-07), 'today' or 'tomorrow'.")
    return None  # pragma: no cover


# --------------------------------------------------------------------------- stretchlog plan


def plan(
    log: Path = typer.Argument(..., help="The log file (CSV, one row per stretch bout).", show_default=False,
                               metavar="LOG"),
    compare: Optional[tuple[str, str]] = typer.Option(
        None, "--compare", metavar="A B",
        help="Two stretches: which gives you more relief? E.g. --compare 'reclining hip' pigeon.",
        show_default=False,
    ),
    dose: Optional[tuple[str, str]] = typer.Option(
        None, "--dose", metavar="A B",
        help="Two doses of one stretch as NAME:HOLDxREPS, e.g. --dose \"reclining hip:30x2\" "
             "\"reclining hip:60x3\".",
        show_default=False,
    ),
    order: Optional[tuple[str, str]] = typer.Option(
        None, "--order", metavar="X Y",
        help="Two stretches: does X before Y give more relief than Y before X?", show_default=False,
    ),
    weeks: Optional[int] = typer.Option(
        None, "--weeks", min=1, max=52,
        help="Length in weeks. Default: the length the preview suggests (2 to 12 weeks).", show_default=False,
    ),
    design: str = typer.Option(
        "pairs", "--design",
        help="pairs (each pair of planned days holds both options), weeks (a week of each, for effects "
             "that last into the next day) or free (a coin a day, see --max-run).",
    ),
    max_run: Optional[int] = typer.Option(
        None, "--max-run", min=1, help="--design free: the most days in a row of one option (default 3).",
        show_default=False,
    ),
    days: Optional[str] = typer.Option(
        None, "--days", help="Days of the week to plan, e.g. mon,wed,fri. Default: the days you usually log.",
        show_default=False,
    ),
    start: Optional[str] = typer.Option(
        None, "--start", help="The first day, YYYY-MM-DD (default tomorrow).", show_default=False,
    ),
    seed: Optional[int] = typer.Option(
        None, "--seed",
        help="Seed of the draw: the same seed draws the same plan. Default: one from today and the options.",
        show_default=False,
    ),
    replace: bool = typer.Option(False, "--replace", help="Overwrite the plan already beside the log."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Show the plan; write nothing."),
    fmt: str = typer.Option("table", "--format", "-f", help="table (for reading) or json (for other tools)."),
    catalog: Optional[Path] = _CATALOG_OPT,
) -> None:
    """Plan a self-experiment: a coin decides, day by day, which of two options you do.

    Give exactly one question: --compare A B (two stretches), --dose A B (two
    doses of one stretch) or --order X Y (X before Y, or Y before X). The plan is
    drawn in balanced blocks, so each option gets its fair share of good and bad
    days, and written beside the log as LOG.plan.csv (one row per planned day).
    From then on `stretchlog log LOG` prints the day's option, and `stretchlog
    experiment LOG` shows what the plan has found so far.

    Refused, with the reason: a stretch your log shows makes your pain worse, a
    name neither the catalog nor your log knows, two equal options, or a plan too
    short to answer at your logging rhythm.
    """
    fmt = fmt.strip().lower()
    if fmt not in _PLAN_FORMATS:
        _usage(f"--format must be table or json, not {fmt!r}.")
    given = [(k, v) for k, v in (("compare", compare), ("dose", dose), ("order", order)) if v is not None]
    if len(given) != 1:
        _usage(
            ("Give one question, not " + " and ".join(f"--{k}" for k, _ in given) + ". " if given else
             "Give the question to answer. ")
            + "For example:\n"
            f"  stretchlog plan {_q(log)} --compare 'reclining hip' pigeon\n"
            f"  stretchlog plan {_q(log)} --dose 'reclining hip:30x2' 'reclining hip:60x3'\n"
            f"  stretchlog plan {_q(log)} --order 'reclining hip' pigeon"
        )
    kind, values = given[0]
    design = design.strip().lower()
    from stretchlog.experiment import DESIGNS

    if design not in DESIGNS:
        _usage(f"--design must be one of {', '.join(DESIGNS)}, not {design!r}.")
    if max_run is not None and design != "free":
        _usage(f"--max-run is for --design free only (this plan's design is {design}).")
    today = dt.date.today()
    first = _parse_start(start, today)
    from stretchlog.experiment import PlanError, parse_weekdays, plan_path, read_plan

    weekdays = None
    if days is not None:
        try:
            weekdays = parse_weekdays(days)
        except PlanError as exc:
            bad = exc.problems[0].value if exc.problems else days
            _usage(f"--days {days!r}: expected days of the week such as mon,wed,fri ({bad!r} is not one).")
    target = plan_path(log)
    if target.exists() and not replace and not dry_run:
        what = ""
        try:
            old = read_plan(target)
            what = f" ({old.question} {_span(old.start, old.end)})"
        except Exception:  # noqa: BLE001 - only a description: a broken file is still a file
            pass
        from stretchlog.cli.common import _err_console

        err = _err_console()
        err.print(
            f"[bold red]No plan made:[/] a plan already sits beside this log: {_esc(target)}{_esc(what)}.",
        )
        err.print(
            f"To see how it is going: stretchlog experiment {_esc(_q(log))}\n"
            f"To draw a new one in its place, add --replace (the old one is overwritten).\n"
            "Nothing was written.",
            markup=False, highlight=False,
        )
        raise typer.Exit(1)

    from stretchlog.analysis import Analysis  # noqa: F401  (imports first: _analysis then settles the collector)
    from stretchlog.cli.common import _analysis, _console, _err_console
    from stretchlog.experiment import propose_plan, write_plan

    an = _analysis(log, catalog, to_stderr=fmt == "json")
    try:
        proposal = propose_plan(
            kind, tuple(values), catalog=an.catalog, sessions=an.sessions, names=an.names, today=today,
            harmful=an.harmful, weeks=weeks, design=design, seed=seed, weekdays=weekdays, start=first,
            max_run=max_run if max_run is not None else 3,
        )
    except PlanError as exc:
        if fmt == "json":
            _json_out({"format": "stretchlog.plan/1", "written": None, "problems": _problem_dicts(exc.problems)})
            raise typer.Exit(1) from None
        _refuse_plan(plan_problem_lines(exc.problems, kind))
        return
    written = None
    if not dry_run:
        try:
            written = write_plan(proposal.plan, target, replace=replace)
        except FileExistsError:
            _refuse_plan([f"a plan appeared beside the log meanwhile: {target}"],
                         tip="Add --replace to overwrite it.")
        except OSError as exc:
            _err_console().print(f"[bold red]No plan written:[/] {_esc(target)}: {_esc(exc.strerror or exc)}")
            raise typer.Exit(1) from None
    if fmt == "json":
        _json_out(_plan_doc(proposal, log, written, dry_run))
        return
    _print_plan(_console(), proposal, log, target, written, dry_run=dry_run, today=today,
                replaced=replace and written is not None)


def _problem_dicts(problems) -> list[dict]:
    return [{"row": p.row, "column": p.column, "value": p.value, "expected": p.expected} for p in problems]


def _json_out(doc: dict) -> None:
    import json

    typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))


def _plan_doc(proposal, log: Path, written, dry_run: bool) -> dict:
    from stretchlog import __version__

    p = proposal.plan
    s = p.schedule
    return {
        "format": "stretchlog.plan/1",
        "stretchlog": __version__,
        "log": log.name,
        "written": None if written is None else str(written),
        "dry_run": dry_run,
        "question": p.question,
        "kind": p.kind,
        "design": p.design,
        "design_words": p.design_words(),
        "max_run": p.max_run if p.design == "free" else None,
        "seed": p.seed,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "weeks": p.weeks,
        "planned_days": p.n_days,
        "weekdays": sorted({d.strftime("%a") for d in s["date"]}, key=["Mon", "Tue", "Wed", "Thu", "Fri",
                                                                        "Sat", "Sun"].index),
        "options": {o.label: o.what for o in (p.a, p.b)},
        "preview": proposal.sentences(),
        "schedule": [
            {"date": d.strftime("%Y-%m-%d"), "week": int(w), "block": int(b), "option": o, "do": do}
            for d, w, b, o, do in zip(s["date"], s["week"], s["block"], s["option"], s["do"])
        ],
    }


def _weekday_words(dates) -> str:
    from stretchlog.words import joined

    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    wd = sorted({int(d.weekday()) for d in dates})
    if len(wd) == 7:
        return "every day"
    if len(wd) >= 3 and wd == list(range(wd[0], wd[-1] + 1)):
        return f"{names[wd[0]]} to {names[wd[-1]]}"
    return joined([names[d] for d in wd])


def _print_plan(console, proposal, log: Path, target: Path, written, *, dry_run: bool, today: dt.date,
                replaced: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    from stretchlog.cli.render import bullet
    from stretchlog.words import plural

    p = proposal.plan
    s = p.schedule
    console.print(Text(f"Your self-experiment: {p.question}", style="bold"))
    if written is not None:
        console.print(Text(f"{'Replaced the plan in' if replaced else 'Written to'} {written}."))
    else:
        note = " (a plan already sits there: --replace overwrites it)" if target.exists() else ""
        console.print(Text(f"Dry run: nothing written. The plan would go to {target}{note}."))
    console.print(Text(
        f"Length: {plural(p.weeks, 'week')}, {plural(p.n_days, 'planned day')}"
        f"{', ' if len(set(d.weekday() for d in s['date'])) == 7 else ' on '}{_weekday_words(s['date'])}, "
        f"from {_span(p.start, p.end)}."
    ))
    console.print(Text(f"Design ({p.design}): {p.design_words()}; seed {p.seed}."))
    console.print(Text(f"Option A: {p.a.what}. Option B: {p.b.what}."))
    if p.start < today:
        console.print(Text(
            "Note: the plan starts before today. Days already past were not decided by the coin "
            "beforehand; a fair plan starts today or later.", style="yellow",
        ))
    console.print()
    console.print(Text("What it can find:", style="bold"))
    for line in proposal.sentences():
        bullet(console, Text(line))
    console.print()
    table = Table(title="The first days", title_justify="left", title_style="bold", show_edge=False,
                  pad_edge=False, box=None, header_style="bold")
    table.add_column("Date", no_wrap=True)
    table.add_column("Option", no_wrap=True, justify="center")
    table.add_column("What to do")
    for d, o, do in list(zip(s["date"], s["option"], s["do"]))[:FIRST_DAYS]:
        table.add_row(_day(d), o, Text(do))
    console.print(table)
    rest = p.n_days - min(p.n_days, FIRST_DAYS)
    if rest:
        console.print(Text(f"... and {plural(rest, 'more day')}: every day is in {target.name}."))
    console.print()
    console.print(Text(
        f"To follow it, log each session as usual: stretchlog log {_q(log)} prints the day's option "
        f"first. Do only that option's stretches of the two; your other stretches as usual."
        if p.kind == "compare" else
        f"To follow it, log each session as usual: stretchlog log {_q(log)} prints the day's option "
        "first. Keep to the plan to its end: stopping when it looks good makes a wrong answer likelier."
    ))
    console.print(Text(f"What it shows so far, any day: stretchlog experiment {_q(log)}"))


# --------------------------------------------------------------------------- stretchlog experiment


def experiment(
    log: Path = typer.Argument(..., help="The log file (CSV, one row per stretch bout).", show_default=False,
                               metavar="LOG"),
    plan_file: Optional[Path] = typer.Option(
        None, "--plan", help="The plan file (default: LOG.plan.csv beside the log).", show_default=False,
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f",
        help="table (for reading), md (a one-page summary for you or a clinician), json, or pdf (the "
             "summary on one page).",
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", help=f"Write to this file instead of the screen (pdf: default ./{DEFAULT_PDF}).",
        show_default=False,
    ),
    catalog: Optional[Path] = _CATALOG_OPT,
) -> None:
    """What your self-experiment shows: which option gives you more relief, and how sure that is.

    Reads the plan beside the log (made by `stretchlog plan`) and the log, and
    compares the relief of the days the coin gave option A with the days it gave
    option B: the difference with its interval, the chance each option is the
    better one, the same counted by what you actually did, checks for carry-over
    and for a change over time, and how closely the plan was kept. A running plan
    can be looked at any day; its interval is then wider, so that looking often
    does not make a wrong winner likelier. Advice from your own records, not a
    diagnosis.
    """
    import sys

    fmt = fmt.strip().lower()
    if fmt not in _EXPERIMENT_FORMATS:
        _usage(f"--format must be one of {', '.join(_EXPERIMENT_FORMATS)}, not {fmt!r}.")
    if fmt == "pdf" and out is None:
        out = Path(DEFAULT_PDF)
    from stretchlog.experiment import PlanError, plan_path, read_plan

    source = plan_file if plan_file is not None else plan_path(log)
    if out is not None and out.resolve() in (log.resolve(), source.resolve()):
        _usage("--out must not be the log or the plan file itself.")
    quiet = fmt in ("md", "json") and out is None  # machine-readable stdout: messages to stderr
    import stretchlog.analysis  # noqa: F401  (imports first: _analysis then settles the collector)
    from stretchlog.cli.common import _analysis, _console, _err_console

    if fmt == "pdf":
        import matplotlib.figure  # noqa: F401

        from stretchlog.report import trial  # noqa: F401
    if not source.is_file():
        err = _err_console()
        if source.is_dir():
            err.print(f"{source} is a folder, not a plan file.", markup=False, highlight=False)
        elif plan_file is not None:
            err.print(f"No such plan file: {source}.", markup=False, highlight=False)
        else:
            err.print(
                f"No self-experiment planned beside this log (no {source}). To make one:\n"
                f"  stretchlog plan {_q(log)} --compare A B\n"
                "(or --dose, or --order: see stretchlog plan --help).",
                markup=False, highlight=False,
            )
        raise typer.Exit(1)
    an = _analysis(log, catalog, to_stderr=quiet)
    msg = _err_console() if quiet else _console()
    try:
        the_plan = read_plan(source)
    except PlanError as exc:
        from stretchlog.cli.render import print_problems

        print_problems(msg, exc, what="plan file")
        msg.print(f"Fix the cells listed, or draw a new plan with stretchlog plan {_esc(_q(log))} ... --replace.")
        raise typer.Exit(1) from None
    except Exception as exc:  # noqa: BLE001 - an unreadable file (empty, not text, not CSV): no traceback
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _err_console().print(
            f"{source} cannot be read as a plan file: {reason}. Nothing was changed.",
            markup=False, highlight=False,
        )
        raise typer.Exit(1) from None
    result = an.experiment_for(the_plan)
    if fmt == "pdf":
        from stretchlog.report.trial import save_trial_pdf

        try:
            path = save_trial_pdf(result, out)
        except OSError as exc:
            _err_console().print(f"Could not write {out}: {exc.strerror or exc}.", markup=False)
            raise typer.Exit(1) from None
        _console().print(f"Wrote the one-page summary of your self-experiment to {_esc(path)}.")
        return
    if fmt == "table":
        if out is None:
            print_experiment(_console(), result, log)
            return
        from rich.console import Console

        with open(out, "w", encoding="utf-8") as fh:
            print_experiment(Console(file=fh, width=80, no_color=True, highlight=False, emoji=False),
                             result, log)
    else:
        if fmt == "json":
            import json

            from stretchlog import __version__
            from stretchlog.analysis import records

            doc = {"format": "stretchlog.experiment/1", "stretchlog": __version__, "log": log.name,
                   "plan_file": str(source), **result.to_dict(),
                   "days": records(result.days.assign(date=result.days["date"].dt.strftime("%Y-%m-%d")))}
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        else:
            from stretchlog.report.trial import experiment_markdown

            text = experiment_markdown(result)
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8")
    _console().print(f"Wrote the self-experiment to {_esc(out)}.")


def _signed(v: float) -> str:
    from stretchlog.words import signed

    return signed(v)


def _finite(*values) -> bool:
    import math

    return all(v is not None and math.isfinite(v) for v in values)


def _pct(level: float) -> str:
    """A confidence level: ``95%``, ``99.2%``; never ``100.0%`` (an early look's level rounds up to it)."""
    if level < 0.995:
        return f"{100 * level:.0f}%"
    return f"{100 * level:.1f}%" if level < 0.9995 else ">99.9%"


def print_experiment(console, result, log: Path) -> None:
    """The answer first, then the figures, the notes, what it means for the routine, the disclaimer."""
    from rich.table import Table
    from rich.text import Text

    from stretchlog.cli.render import bullet
    from stretchlog.experiment import today_line
    from stretchlog.words import chance, plural

    r = result
    p = r.plan
    c = r.counts
    console.print(Text(r.headline, style="bold"))
    console.print()
    status = {"not started": "Not started", "running": "Running", "finished": "Finished"}.get(r.status, r.status)
    if r.status != "not started":  # else the headline asks it
        console.print(Text(p.question))
    console.print(Text(
        f"{status}: {plural(p.n_days, 'planned day')} from {_span(p.start, p.end)}; "
        f"{p.design_words()}."
    ))
    console.print(Text(f"Option A: {p.a.what}. Option B: {p.b.what}."))
    rows: list[tuple[str, str]] = []
    if _finite(r.difference):
        what = "So far (interim)" if r.interim else "Difference"
        interval = (
            f"{_pct(r.level)} interval {_signed(r.ci_low)} to {_signed(r.ci_high)}"
            if _finite(r.ci_low, r.ci_high) else "no interval yet"
        )
        extra = ", wider for an early look" if r.interim else ""
        rows.append((what, f"{_signed(r.difference)} points a session, A minus B ({interval}{extra})"))
    if _finite(r.done_difference):
        rows.append(("As done", f"{_signed(r.done_difference)} points, 95% interval {_signed(r.done_low)} to "
                                f"{_signed(r.done_high)} (by what you did, not by the coin)"))
    if _finite(r.prob_a_better):
        better, pr = (p.a, r.prob_a_better) if r.prob_a_better >= 0.5 else (p.b, 1 - r.prob_a_better)
        rows.append(("Chance better", f"{chance(pr)} that option {better.label}, {better.what}, is the better one"))
    if r.status != "not started":
        pct = f" ({100 * c['followed'] / c['past']:.0f}%)" if c["past"] else ""
        rows.append((
            "Adherence",
            f"{c['followed']} of {plural(c['past'], 'day')} as planned{pct}; {c['swapped']} swapped, "
            f"{c['other']} both or neither, {c['missed']} missed"
            + (f", {c['unrated']} without pain rated at start and end" if c["unrated"] else "")
            + (f"; {plural(c['extra'], 'session')} on unplanned days left out" if c["extra"] else ""),
        ))
        rows.append(("Days rated", f"{c['rated_a']} with option A, {c['rated_b']} with option B"))
    if rows:
        console.print()
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column()
        for k, v in rows:
            grid.add_row("  " + k, Text(v))
        console.print(grid)
    notes = [n for n in r.notes if not n.startswith(_SHOWN_ABOVE)] if rows else list(r.notes)
    if notes:
        console.print()
        for n in notes:
            bullet(console, Text(n), indent=0)
    console.print()
    w = r.winner
    if w is not None:
        lead = "A decisive interim result" if r.interim else "For your routine"
        console.print(Text(f"{lead}: stretchlog routine uses {w.what} (option {w.label})."))
    elif r.status == "finished":
        console.print(Text("No winner: your routine stays as it is."))
    if r.status == "running":
        console.print(Text(today_line(p, r.today)))
    console.print(Text(_DISCLAIMER, style="italic"))
