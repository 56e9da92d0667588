"""The ``stretchlog log`` and ``stretchlog import`` commands (registered in :mod:`stretchlog.cli.app`).

Only typer and the standard library are imported here; everything else is
imported when a command runs, so ``stretchlog --help`` stays fast. Exit codes:
0 done, 1 nothing was written (the log, the sheet or the session has problems, or
you stopped), 2 bad usage (a quick-form typo, a bad --date, import's arguments
swapped).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

__all__ = ["log", "import_sheet", "harmful_stretches", "plan_day_line"]

_QUICK_HELP = (
    "Each BOUT is one stretch in the quick form NAME:FIELD:FIELD..., fields in any order: "
    "the hold (60, 90s, 1m, 1m30s) or hold x reps (60x3), left/right/both (l/r/b), t7 (tightness 0-10), "
    "p5 (pain after it, 0-10), p6>4 (pain before and after it), '# note' at the end. "
    "Example: \"reclining hip:60x3:left:t7:p5\"."
)


def _parse_date(text: Optional[str], today: dt.date) -> Optional[dt.date]:
    if text is None:
        return None
    from stretchlog.cli.common import parse_day

    day = parse_day(text, today, {"today": 0, "yesterday": -1})
    if day is not None:
        return day
    raise typer.BadParameter(
        f"{text!r}: give the date as YYYY-MM-DD (e.g. 2026-11-01), 'today' or 'yesterday'", param_hint="--date"
    )


def _parse_time(text: Optional[str]) -> Optional[str]:
    if text is None:
        return None
    import re

    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise typer.BadParameter(f"{text!r}: give a 24-hour time HH:MM, e.g. 21:30 (7:15 PM is 19:15)",
                                 param_hint="--time")
    return f"{int(m[1]):02d}:{m[2]}"


def _check_pain(value: Optional[float], flag: str) -> None:
    if value is not None and not 0 <= value <= 10:
        raise typer.BadParameter(f"{value:g}: pain is a number from 0 to 10", param_hint=flag)


def _report_error(exc, log: Path) -> None:
    """Print an AppendError (and the log's problems, if any) and exit 1."""
    from stretchlog.cli.common import _console, _err_console
    from stretchlog.log.errors import LogError
    from stretchlog.cli.render import print_problems

    err = _err_console()
    if exc.kind == "invalid-log" and exc.problems:
        print_problems(_console(), LogError(exc.problems, source=str(log)))
    err.print(f"[bold red]Not logged:[/] {_escape(str(exc))}")
    raise typer.Exit(1)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _print_done(console, result, log: Path, *, what: str) -> None:
    for w in result.warnings:
        console.print(f"[yellow]Note:[/] {_escape(str(w))}")
    if result.dry_run:
        console.print("[bold]Dry run[/] - these lines would be added to the log (nothing was written):")
        console.print(result.text.strip("\r\n"), markup=False, highlight=False)
        return
    rows = f"row {result.first_row}" if result.first_row == result.last_row else (
        f"rows {result.first_row}-{result.last_row}")
    if result.created:
        console.print(f"Started a new log at {_escape(str(log))}.")
    console.print(f"[bold green]Logged[/] {what} in {_escape(str(log))} ({rows}).")
    if result.backup is not None:
        console.print(f"[dim]The previous version is saved as {_escape(str(result.backup))}[/]")


def log(
    log: Path = typer.Argument(..., help="The log file (CSV). A new one is started if it does not exist.",
                               show_default=False, metavar="LOG"),
    bouts: Optional[list[str]] = typer.Argument(
        None, help="Stretches in the quick form (see above). Leave out to be asked step by step.",
        show_default=False, metavar="[BOUT]...",
    ),
    pain: Optional[float] = typer.Option(None, "--pain", "-p", help="Pain (0-10) just before the first stretch.",
                                         show_default=False),
    end_pain: Optional[float] = typer.Option(None, "--end-pain", "-e",
                                             help="Pain (0-10) just after the last stretch.", show_default=False),
    date: Optional[str] = typer.Option(None, "--date", help="Day of the session: YYYY-MM-DD, today or yesterday "
                                       "(default today).", show_default=False),
    time: Optional[str] = typer.Option(None, "--time", help="When it started, HH:MM (default now; empty with "
                                       "--date).", show_default=False),
    repeat: bool = typer.Option(False, "--repeat", "-r", help="The same stretches as your last session "
                                "(give --pain and --end-pain)."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Check and show what would be added; write nothing."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Interactive: add without asking to confirm."),
    no_backup: bool = typer.Option(False, "--no-backup", help="Do not keep a copy of the previous version."),
    new_stretch: bool = typer.Option(False, "--new-stretch", help="One line: a name that is not in the catalog "
                                     "or your log is a new stretch of your own (without this it is refused, as "
                                     "a likely typo)."),
    catalog: Optional[Path] = typer.Option(None, "--catalog", envvar="STRETCHLOG_CATALOG",
                                           help="Your own catalog file (TOML) that extends the built-in stretches.",
                                           show_default=False),
) -> None:
    """Add a session to your log: step by step, or in one line.

    Step by step: `stretchlog log LOG` asks for the pain now, each stretch (Tab
    completes names), and the pain at the end; Ctrl-C stops without writing.

    In one line: `stretchlog log LOG --pain 6 "reclining hip:60x3:left:t7:p5"
    "hamstring:10x9" --end-pain 3`.

    Each BOUT is NAME:FIELD:FIELD..., fields in any order: the hold (60, 90s, 1m,
    1m30s) or hold x reps (60x3), left/right/both (l/r/b), t7 (tightness 0-10),
    p5 (pain after it, 0-10), p6>4 (pain before and after it), and '# note' at
    the end.

    A name that is not in the catalog or your log is refused as a likely typo,
    with the close names you may have meant. For a new stretch of your own, add
    --new-stretch or write custom: before it ("custom:cat cow:30x3").

    The log is checked first, the new rows are checked against it, and the file is
    replaced in one step with a backup of the previous version kept in
    .stretchlog-backups/ next to it: a log is never left half-written or invalid.
    """
    import sys

    now = dt.datetime.now()
    day = _parse_date(date, now.date())
    at = _parse_time(time)
    _check_pain(pain, "--pain")
    _check_pain(end_pain, "--end-pain")
    from stretchlog.cli.common import _console, _err_console, _load_catalog

    cat = _load_catalog(catalog)
    console = _console()
    if bouts and repeat:
        raise typer.BadParameter("give either stretches or --repeat, not both", param_hint="--repeat")
    if not bouts and not repeat:
        if not sys.stdin.isatty():
            _err_console().print(
                "stretchlog log asks its questions in a terminal, and this input is not one. To log a session "
                "from a script, give the stretches on the command line:\n"
                f"  stretchlog log {log} --pain 6 \"reclining hip:60x3:left:t7:p5\" \"hamstring:10x9\" --end-pain 3\n"
                + _QUICK_HELP + " See 'stretchlog log --help'.",
                markup=False, highlight=False,
            )
            raise typer.Exit(2)
        plan = _plan_beside(log, console)
        if plan is not None:  # what the plan asks, before the first question
            _print_today(console, plan, day or now.date())
        _interactive(log, cat, console, pain=pain, end_pain=end_pain, day=day, at=at, yes=yes,
                     dry_run=dry_run, backup=not no_backup, now=now, plan=plan)
        return
    _quick(log, cat, console, bouts or [], pain=pain, end_pain=end_pain, day=day, at=at, repeat=repeat,
           dry_run=dry_run, backup=not no_backup, now=now, new_stretch=new_stretch,
           plan=_plan_beside(log, console))


def _refuse(lines: list[str], *, tip: str | None = None, code: int = 2) -> None:
    """Print why nothing was logged (one line per problem) and exit (2: a usage mistake)."""
    from stretchlog.cli.common import _err_console

    err = _err_console()
    err.print("[bold red]Not logged:[/] " + _escape(lines[0]) if len(lines) == 1 else "[bold red]Not logged:[/]")
    if len(lines) > 1:
        for line in lines:
            err.print("  " + _escape(line))
    if tip:
        err.print(_escape(tip))
    err.print("Nothing was written.")
    raise typer.Exit(code)


def _check_names(texts, bouts, marked, cat, existing, *, new_stretch: bool) -> None:
    """Refuse names neither the catalog nor the log knows, unless marked as new stretches."""
    from stretchlog.entry.completion import history_of
    from stretchlog.entry.names import is_known, unknown_name_message

    if new_stretch:
        return
    history = history_of(existing.bouts if existing is not None else None, cat)
    lines = []
    for i, (text, bout, new) in enumerate(zip(texts, bouts, marked), start=1):
        if new or is_known(bout.stretch, cat, history):
            continue
        msg = unknown_name_message(bout.stretch, cat, history, text=text.partition("#")[0].strip())
        lines.append(f"bout {i}: {msg}" if len(texts) > 1 else msg)
    if lines:
        _refuse(lines)


def _check_session_pain(bouts, pain, end_pain) -> None:
    """The start and end pain, asked for with the command line's own words."""
    lines = []
    if pain is None and bouts[0].pain_before is None:
        lines.append("The pain at the start is missing: give the pain just before the first stretch (0-10) "
                     "with --pain N.")
    if end_pain is None and bouts[-1].pain_after is None:
        lines.append("The pain at the end is missing: give the pain just after the last stretch (0-10) with "
                     "--end-pain N, or as pN on the last stretch.")
    if lines:
        _refuse(lines, tip="For example: stretchlog log LOG --pain 6 \"pigeon:45x2\" --end-pain 4", code=1)


def _quick(log, cat, console, texts, *, pain, end_pain, day, at, repeat, dry_run, backup, now,
           new_stretch=False, plan=None) -> None:
    from stretchlog.entry.append import AppendError, append_session, last_session, read_existing
    from stretchlog.entry.interactive import session_table
    from stretchlog.cli.common import _settle
    from stretchlog.entry.quicklog import QuickFormError, Session, parse_bouts, split_new_marker
    from stretchlog.words import plural

    _settle()

    try:
        if repeat:
            existing = read_existing(log, catalog=cat)
            last = last_session(existing.bouts) if existing is not None else None
            if last is None:
                raise typer.BadParameter(f"{log} has no session yet to repeat", param_hint="--repeat")
            bouts = tuple(b.without_readings() for b in last.bouts)
        else:
            split = [split_new_marker(t) for t in texts]
            try:
                bouts = parse_bouts([t for t, _ in split])
            except QuickFormError as exc:
                _refuse(str(exc).splitlines(), tip=_QUICK_HELP)
            existing = read_existing(log, catalog=cat)  # the names it already has are known
            _check_names([t for t, _ in split], bouts, [m for _, m in split], cat, existing,
                         new_stretch=new_stretch)
        _check_session_pain(bouts, pain, end_pain)
        session = Session(bouts, pain_before=pain, pain_after=end_pain, date=day, time=at)
        result = append_session(log, session, dry_run=dry_run, backup=backup, catalog=cat, now=now)
    except AppendError as exc:
        _report_error(exc, log)
        return
    if plan is not None:  # what the plan asks for the session's day, before the result
        _print_today(console, plan, _session_day(result, day or now.date()))
    console.print(session_table(session.resolved_bouts(), title=f"Session {result.sessions[0]}", catalog=cat))
    n = len(bouts)
    _print_done(console, result, log, what=plural(n, "bout"))
    if plan is not None and not result.dry_run:
        _print_plan_day(console, plan, log, cat, _session_day(result, day or now.date()), now.date())


def harmful_stretches(bouts, cat) -> frozenset[str]:
    """The ids of the stretches a log shows make the pain worse (empty when it cannot tell).

    What the step-by-step logger warns about: the stretches whose verdict is
    "makes it worse", or whose relief is below zero for sure. Any failure (no log
    yet, a log too short to tell) gives an empty set: the warning is skipped, the
    logger never stops for it.

    Parameters
    ----------
    bouts : DataFrame or None
        The log as read (:func:`stretchlog.log.reader.read_log`), None for no log.
    cat : Catalog
        The catalog the log was read with.

    Examples
    --------
    >>> harmful_stretches(None, None)
    frozenset()
    """
    import warnings

    if bouts is None or len(bouts) == 0:
        return frozenset()
    try:
        from stretchlog.model.thresholds import MIN_SESSIONS_FOR_FIGURE

        if bouts["session_id"].nunique() < MIN_SESSIONS_FOR_FIGURE:
            return frozenset()  # too short to tell: no need to load the analysis at all
        from stretchlog._threads import blas_threads
        from stretchlog.analysis import analyse

        blas_threads(1)  # small fits, as every analysing command
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return analyse(bouts, catalog=cat).harmful
    except Exception:  # noqa: BLE001 - the warning is a courtesy: never a crash or a traceback
        return frozenset()


def _interactive(log, cat, console, *, pain, end_pain, day, at, yes, dry_run, backup, now, plan=None) -> None:
    from stretchlog.entry.append import AppendError
    from stretchlog.cli.common import _settle
    from stretchlog.entry.interactive import run_interactive
    from stretchlog.words import plural

    _settle()

    try:
        result = run_interactive(log, console=console, catalog=cat, pain=pain, end_pain=end_pain, date=day,
                                 time=at, yes=yes, dry_run=dry_run, backup=backup, now=now,
                                 harmful=lambda bouts: harmful_stretches(bouts, cat))
    except AppendError as exc:
        _report_error(exc, log)
        return
    if result is None:
        raise typer.Exit(1)
    if not result.dry_run:
        n = len(result.bouts)
        _print_done(console, result, log, what=plural(n, "bout"))
        if plan is not None:
            _print_plan_day(console, plan, log, cat, _session_day(result, day or now.date()), now.date())


# --------------------------------------------------------------------------- a self-experiment beside the log


def _plan_beside(log: Path, console):
    """The self-experiment plan beside the log, or None.

    A plan file that cannot be read gives a one-line note naming the problem and
    None: a broken plan never stops a session from being logged.
    """
    from stretchlog.experiment import PlanError, plan_path, read_plan

    path = plan_path(log)
    if not path.is_file():
        return None
    try:
        return read_plan(path)
    except PlanError as exc:
        first = str(exc.problems[0]) if exc.problems else "no planned days"
        more = len(exc.problems) + exc.more - 1
        why = first + (f" (and {more} more)" if more > 0 else "")
    except Exception as exc:  # noqa: BLE001 - an unreadable file: a note, never a traceback
        lines = str(exc).strip().splitlines()
        why = lines[0] if lines else type(exc).__name__
    console.print(
        f"[yellow]Note:[/] the plan beside this log ({_escape(path.name)}) cannot be read: "
        f"{_escape(why)}. Logging goes on without it."
    )
    return None


def _session_day(result, default: dt.date) -> dt.date:
    """The day of the session just added (or checked, in a dry run)."""
    try:
        return result.bouts["date"].iloc[0].date()
    except (AttributeError, IndexError, KeyError, TypeError):
        return default


def _print_today(console, plan, day: dt.date) -> None:
    from stretchlog.experiment import today_line

    console.print(f"[bold]{_escape(today_line(plan, day))}[/]")


def _print_plan_day(console, plan, log: Path, cat, day: dt.date, today: dt.date) -> None:
    """Read the log back and say what the plan records for the session's day."""
    from stretchlog.experiment import plan_days
    from stretchlog.log.reader import load_log
    from stretchlog.model.tables import LogTables

    try:
        loaded = load_log(log, catalog=cat)
        tables = LogTables(loaded.bouts, cat)
        days = plan_days(plan, loaded.bouts, tables.sessions, today)
    except Exception as exc:  # noqa: BLE001 - the session is logged; the plan's view is a courtesy
        console.print(f"[yellow]Note:[/] the plan's view of this day could not be read ({_escape(str(exc))}).")
        return
    line = plan_day_line(plan, days, day)
    if line:
        console.print(_escape(line))


def plan_day_line(plan, days, day: dt.date) -> str:
    """What the plan records for ``day``, in one sentence ("" for a day outside the plan).

    Parameters
    ----------
    plan : Plan
    days : DataFrame
        :func:`stretchlog.experiment.plan_days` of the log.
    day : date
    """
    import pandas as pd

    hit = days.index[pd.to_datetime(days["date"]).dt.normalize() == pd.Timestamp(day)]
    if len(hit) == 0:
        if plan.start <= day <= plan.end:
            return ("Not a planned day of your self-experiment: this session is kept in the log and left out "
                    "of the comparison.")
        return ""
    i = int(days.index.get_loc(hit[0]))
    row = days.loc[hit[0]]
    planned, done = str(row["option"]), str(row["done"])
    head = f"Plan day {i + 1}"
    if done == planned:
        line = f"{head}: option {planned} done as planned."
    elif done in ("A", "B"):
        line = (f"{head}: planned {planned}, the log shows option {done} (a swapped day: kept, and counted "
                "both ways).")
    else:
        from stretchlog.experiment.outcomes import DONE

        shows = DONE.get(done, done)
        line = (f"{head}: planned {planned} ({plan.option(planned).what}), the log shows {shows} (kept: "
                f"counted under {planned} as planned, left out of the as-done figure).")
    if done not in ("missed", "to come") and pd.isna(row["relief"]):
        line += " Without pain rated at the start and the end of a session, this day cannot count yet."
    return line


_IMPORT_USAGE = (
    "Usage: stretchlog import SHEET LOG (the one-row-per-session spreadsheet first, then the log to add to)."
)


def _check_import_arguments(sheet: Path, log: Path, err, header_kind) -> None:
    """Stop before reading anything when SHEET is missing, or SHEET and LOG look swapped."""
    if not sheet.exists():
        hint = ""
        if log.exists() and header_kind(log) == "sheet":
            hint = f" ({log} looks like the sheet: is it the first argument you meant?)"
        err.print(f"No such file: {sheet}{hint}. {_IMPORT_USAGE} Nothing was written.", markup=False)
        raise typer.Exit(1)
    if sheet.is_dir():
        err.print(f"{sheet} is a folder, not a sheet. {_IMPORT_USAGE} Nothing was written.", markup=False)
        raise typer.Exit(1)
    if header_kind(sheet) == "log" and header_kind(log) == "sheet":
        err.print(
            f"The arguments look swapped: {sheet} is a stretch log (one row per bout) and {log} looks like a "
            f"one-row-per-session sheet. {_IMPORT_USAGE} Run:\n  stretchlog import {log} {sheet}\n"
            "Nothing was written.",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(2)


def import_sheet(
    sheet: Path = typer.Argument(..., help="A CSV sheet with one row per session.", show_default=False,
                                 metavar="SHEET"),
    log: Path = typer.Argument(..., help="The log to add the sessions to (started if it does not exist).",
                               show_default=False, metavar="LOG"),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Check and show what would be added; write nothing."),
    no_backup: bool = typer.Option(False, "--no-backup", help="Do not keep a copy of the previous version."),
    catalog: Optional[Path] = typer.Option(None, "--catalog", envvar="STRETCHLOG_CATALOG",
                                           help="Your own catalog file (TOML) that extends the built-in stretches.",
                                           show_default=False),
) -> None:
    """Import a spreadsheet kept as one row per session into a log.

    The sheet needs the columns date, stretches (a list, e.g. "reclining hip;
    hamstring; psoas 1"), holds (seconds, one per stretch or one for all, e.g.
    "60;10;45"), pain_before and pain_after (one number per session); time, reps,
    sides, tightness and notes are optional. Every bad row is listed and nothing is
    written until all rows are good; then all sessions are added in one step.
    The sheet comes first, then the log: with the two swapped (a log first, a
    sheet second), nothing is written and the right order is shown (exit 2).
    """
    import warnings

    from stretchlog.entry.append import AppendError, append_sessions
    from stretchlog.cli.common import _console, _err_console, _load_catalog, _settle
    from stretchlog.log.errors import LogError, StretchlogWarning
    from stretchlog.cli.render import print_problems
    from stretchlog.entry.widesheet import header_kind, import_wide
    from stretchlog.words import plural

    _settle()
    cat = _load_catalog(catalog)
    console = _console()
    _check_import_arguments(sheet, log, _err_console(), header_kind)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StretchlogWarning)
        try:
            rows = import_wide(sheet, catalog=cat)
        except LogError as exc:
            if header_kind(sheet) == "log":
                # read as a sheet, a log gives a problem per bout: say what it is instead
                _err_console().print(
                    f"{sheet} is a stretch log (one row per bout), not a sheet with one row per session. "
                    f"{_IMPORT_USAGE} Nothing was written.",
                    markup=False,
                    highlight=False,
                )
            else:
                print_problems(console, exc, what="one-row-per-session sheet")
            raise typer.Exit(1) from None
    for w in caught:
        if issubclass(w.category, StretchlogWarning):
            console.print(f"[yellow]Note:[/] {_escape(str(w.message))}")
    if len(rows) == 0:
        console.print(f"{_escape(str(sheet))} has no sessions: nothing to import.")
        raise typer.Exit(1)
    try:
        result = append_sessions(log, rows, dry_run=dry_run, backup=not no_backup, catalog=cat)
    except AppendError as exc:
        _report_error(exc, log)
        return
    n_s = len(result.sessions)
    console.print(f"Read {plural(n_s, 'session')} ({plural(len(rows), 'bout')}) from {_escape(str(sheet))}.")
    _print_done(console, result, log, what=f"{plural(n_s, 'session')} ({plural(len(rows), 'bout')})")
