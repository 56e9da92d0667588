"""What the commands share: consoles, reading the log or the catalog, and the garbage
collector hand-over. Its own module so that no command imports the app back.

Only typer and pathlib are imported at the top; rich and the reader are imported
when a command calls these helpers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

__all__ = ["LOG_ARG", "CATALOG_OPT", "PRIOR_OPT", "_console", "_err_console", "_settle", "_load_catalog", "_load",
           "_load_prior", "_analysis", "print_prior_problems"]

LOG_ARG = typer.Argument(..., help="The log file (CSV, one row per stretch bout).", show_default=False)
CATALOG_OPT = typer.Option(
    None,
    "--catalog",
    envvar="STRETCHLOG_CATALOG",
    help="Your own catalog file (TOML) that extends the built-in stretches.",
    show_default=False,
)
PRIOR_OPT = typer.Option(
    None,
    "--prior",
    metavar="COHORT.json",
    help="A cohort summary from 'stretchlog cohort --export-prior': where your own log is short, "
    "your relief figures lean on what those people's logs show.",
    show_default=False,
)


def _console():
    """The console for a command's results (stdout).

    Created the ordinary way, so rich follows the terminal: its width (or
    ``COLUMNS``), no colour when ``NO_COLOR`` is set or the output goes to a pipe or
    a file, and plain text then.
    """
    # emoji=False: a ':name:' in a stretch name or note is text, not an emoji code
    # (and rich then never loads its 3,600 emoji codes)
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, emoji=False)


def _err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False)


def _settle() -> None:
    """Start garbage collection once a command has imported what it needs.

    :func:`main` turns the collector off while the command's libraries load:
    pandas, pandera and statsmodels leave some 10^5-10^6 long-lived objects
    behind, and Python rescans all of them on each full collection, about 50 ms a
    time here, with nothing to free (a module lives until the process ends). One
    such collection used to be half of what ``validate`` spent beyond its imports.
    ``gc.freeze`` then moves everything allocated so far to a generation that is
    never scanned, and collection starts again, so the cycles the analysis itself
    creates are freed as usual. Does nothing where :func:`main` did not turn the
    collector off (the app run from tests or another program), and nothing on a
    second call.
    """
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _load_catalog(path: Optional[Path]):
    from stretchlog.log.catalog import load_catalog
    from stretchlog.log.errors import CatalogError

    try:
        return load_catalog(path)
    except CatalogError as exc:
        _err_console().print(f"[bold red]Catalog problem:[/] {exc}", markup=True)
        raise typer.Exit(1) from None


def _load(log: Path, catalog, *, to_stderr: bool = False, full_warnings: bool = False):
    """Read a log for a command, or print every problem and exit 1.

    ``catalog`` is the ``--catalog`` path (or None), or a catalog already loaded.

    ``to_stderr`` keeps stdout machine-readable (csv/json/md output). Warnings are
    listed in full by ``validate`` (``full_warnings``); the analysis commands print a
    one-line pointer to it instead, so their results are not buried.
    """
    from stretchlog.log.errors import LogError
    from stretchlog.log.reader import load_log
    from stretchlog.cli.render import print_problems, print_warnings
    from stretchlog.words import plural

    _settle()  # the command has imported what it needs (commands import before _load)
    console = _err_console() if to_stderr else _console()
    from stretchlog.log.catalog import Catalog

    cat = catalog if isinstance(catalog, Catalog) else _load_catalog(catalog)
    try:
        loaded = load_log(log, catalog=cat)
    except LogError as exc:
        print_problems(console, exc)
        raise typer.Exit(1) from None
    if full_warnings:
        print_warnings(console, loaded.warnings)
    elif loaded.warnings:
        n = len(loaded.warnings)
        # one line, once per command: the results come first, the details are in validate
        console.print(
            f"{plural(n, 'warning')} about this log (kept, worth a look); "
            f"'stretchlog validate {log}' lists {'them' if n != 1 else 'it'}.",
            style="yellow",
            markup=False,
        )
    return loaded


def print_prior_problems(console, error) -> None:
    """Every problem of a cohort summary file that cannot be used, one line each, by field.

    Examples
    --------
    >>> from rich.console import Console
    >>> from stretchlog.effects.prior import PriorError
    >>> from stretchlog.log.errors import Problem
    >>> err = PriorError([Problem(row=None, column="stretches[0].mean", value="x", expected="a number")],
    ...                  source="cohort.json")
    >>> print_prior_problems(Console(width=80, color_system=None), err)
    cohort.json is not a usable cohort summary: 1 problem. Nothing was changed.
      - field 'stretches[0].mean': got 'x', expected a number
    """
    from rich.text import Text

    from stretchlog.cli.render import bullet
    from stretchlog.words import plural

    n = len(error.problems) + error.more
    console.print(
        Text.assemble((f"{error.source} is not a usable cohort summary:", "bold red"),
                      f" {plural(n, 'problem')}. Nothing was changed.")
    )
    for p in error.problems:
        line = str(p)
        if p.row is None and p.column == "file":
            line = f"{p.value}: expected {p.expected}"
        elif p.row is None and p.column is not None:
            line = "field" + line[len("column"):]
        bullet(console, Text(line))
    if error.more:
        console.print(f"... and {plural(error.more, 'more problem')}.", markup=False)


def _load_prior(path: Optional[Path], *, to_stderr: bool = False):
    """The ``--prior`` cohort summary (:func:`stretchlog.effects.prior.read_prior`), None
    without one, or every problem of the file printed and exit 1."""
    if path is None:
        return None
    from stretchlog.effects.prior import PriorError, read_prior

    try:
        return read_prior(path)
    except PriorError as exc:
        print_prior_problems(_err_console() if to_stderr else _console(), exc)
        raise typer.Exit(1) from None


def _analysis(log: Path, catalog: Optional[Path], *, to_stderr: bool = False, prior: Optional[Path] = None):
    """The log's :class:`~stretchlog.analysis.Analysis` for a command (catalog read once),
    or every problem of the file printed and exit 1.

    ``prior`` is the ``--prior`` path (or None): the relief estimates are pooled toward
    that cohort summary (a bad summary: its problems printed, exit 1).
    """
    from stretchlog.analysis import Analysis

    from stretchlog._threads import blas_threads

    cat = _load_catalog(catalog)
    loaded = _load(log, cat, to_stderr=to_stderr)
    # the analysis fits small matrices: one BLAS thread is ~2x faster than the default
    # threads spin-waiting (a ten-year log: 1.6 s against 2.7 s); validate fits nothing
    blas_threads(1)
    return Analysis(loaded, catalog=cat, prior=_load_prior(prior, to_stderr=to_stderr))


def parse_day(text: str, today, words: dict[str, int]):
    """A day typed on the command line: ``YYYY-MM-DD`` or one of ``words`` (days from today).

    Returns the date, or None when ``text`` is neither (each command says what it expected).

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date(2026, 12, 5)
    >>> parse_day(" Yesterday", d, {"today": 0, "yesterday": -1}), parse_day("2026-12-07", d, {})
    (datetime.date(2026, 12, 4), datetime.date(2026, 12, 7))
    >>> parse_day("7/12", d, {"today": 0}) is None
    True
    """
    import datetime as dt

    t = text.strip().lower()
    if t in words:
        return today + dt.timedelta(days=words[t])
    if len(t) == 10:
        try:
            return dt.date.fromisoformat(t)
        except ValueError:
            return None
    return None
