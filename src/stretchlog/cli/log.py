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

__all__ = ["log", "import_sheet"]

_QUICK_HELP = (
    "Each BOUT is one stretch in the quick form NAME:FIELD:FIELD..., fields in any order: "
    "60 (hold, s) or 60x3 (hold x reps), left/right/both (l/r/b), t7 (tightness 0-10), "
    "p5 (pain after it, 0-10), p6>4 (pain before and after it), '# note' at the end. "
    "Example: \"reclining hip:60x3:left:t7:p5\"."
)


def _parse_date(text: Optional[str], today: dt.date) -> Optional[dt.date]:
    if text is None:
        return None
    t = text.strip().lower()
    if t == "today":
        return today
    if t == "yesterday":
        return today - dt.timedelta(days=1)
    try:
        if len(t) == 10:
            return dt.date.fromisoformat(t)
    except ValueError:
        pass
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
    catalog: Optional[Path] = typer.Option(None, "--catalog", envvar="STRETCHLOG_CATALOG",
                                           help="Your own catalog file (TOML) that extends the built-in stretches.",
                                           show_default=False),
) -> None:
    """Add a session to your log: step by step, or in one line.

    Step by step: `stretchlog log LOG` asks for the pain now, each stretch (Tab
    completes names), and the pain at the end; Ctrl-C stops without writing.

    In one line: `stretchlog log LOG --pain 6 "reclining hip:60x3:left:t7:p5"
    "hamstring:10x9" --end-pain 3`.

    Each BOUT is NAME:FIELD:FIELD..., fields in any order: 60 (hold, seconds) or
    60x3 (hold x reps), left/right/both (l/r/b), t7 (tightness 0-10), p5 (pain
    after it, 0-10), p6>4 (pain before and after it), and '# note' at the end.

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
        _interactive(log, cat, console, pain=pain, end_pain=end_pain, day=day, at=at, yes=yes,
                     dry_run=dry_run, backup=not no_backup, now=now)
        return
    _quick(log, cat, console, bouts or [], pain=pain, end_pain=end_pain, day=day, at=at, repeat=repeat,
           dry_run=dry_run, backup=not no_backup, now=now)


def _quick(log, cat, console, texts, *, pain, end_pain, day, at, repeat, dry_run, backup, now) -> None:
    from stretchlog.entry.append import AppendError, append_session, last_session, read_existing
    from stretchlog.entry.interactive import session_table
    from stretchlog.cli.common import _settle
    from stretchlog.entry.quicklog import QuickFormError, Session, parse_bouts
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
            try:
                bouts = parse_bouts(texts)
            except QuickFormError as exc:
                from stretchlog.cli.common import _err_console

                _err_console().print(f"[bold red]Not logged:[/] {_escape(str(exc))}")
                _err_console().print(_escape(_QUICK_HELP))
                raise typer.Exit(2) from None
        session = Session(bouts, pain_before=pain, pain_after=end_pain, date=day, time=at)
        result = append_session(log, session, dry_run=dry_run, backup=backup, catalog=cat, now=now)
    except AppendError as exc:
        _report_error(exc, log)
        return
    console.print(session_table(session.resolved_bouts(), title=f"Session {result.sessions[0]}", catalog=cat))
    n = len(bouts)
    _print_done(console, result, log, what=plural(n, "bout"))


def _interactive(log, cat, console, *, pain, end_pain, day, at, yes, dry_run, backup, now) -> None:
    from stretchlog.entry.append import AppendError
    from stretchlog.cli.common import _settle
    from stretchlog.entry.interactive import run_interactive
    from stretchlog.words import plural

    _settle()

    try:
        result = run_interactive(log, console=console, catalog=cat, pain=pain, end_pain=end_pain, date=day,
                                 time=at, yes=yes, dry_run=dry_run, backup=backup, now=now)
    except AppendError as exc:
        _report_error(exc, log)
        return
    if result is None:
        raise typer.Exit(1)
    if not result.dry_run:
        n = len(result.bouts)
        _print_done(console, result, log, what=plural(n, "bout"))


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
    console.print(f"Read {plural(n_s, 'session')} ({len(rows)} bouts) from {_escape(str(sheet))}.")
    _print_done(console, result, log, what=f"{plural(n_s, 'session')} ({len(rows)} bouts)")
