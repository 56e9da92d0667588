"""The ``stretchlog`` command line: a thin shell over the package API.

Each command imports what it needs when it runs, so ``stretchlog --help`` and
``stretchlog catalog`` start without pandas, statsmodels or matplotlib.
Exit codes: 0 done, 1 the log (or another input) has problems, 2 bad usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    name="stretchlog",
    help=(
        "Learn from your own stretching log which stretches relieve your back pain.\n\n"
        "Your log stays on this computer: stretchlog makes no network connections. "
        "What it prints is advice from your own records, not a diagnosis."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

LOG_ARG = typer.Argument(..., help="The log file (CSV, one row per stretch bout).", show_default=False)
CATALOG_OPT = typer.Option(
    None,
    "--catalog",
    envvar="STRETCHLOG_CATALOG",
    help="Your own catalog file (TOML) that extends the built-in stretches.",
    show_default=False,
)


def _console():
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
    from stretchlog.catalog import load_catalog
    from stretchlog.errors import CatalogError

    try:
        return load_catalog(path)
    except CatalogError as exc:
        _err_console().print(f"[bold red]Catalog problem:[/] {exc}", markup=True)
        raise typer.Exit(1) from None


def _load(log: Path, catalog: Optional[Path], *, to_stderr: bool = False, full_warnings: bool = False):
    """Read a log for a command, or print every problem and exit 1.

    ``to_stderr`` keeps stdout machine-readable (csv/json/md output). Warnings are
    listed in full by ``validate`` (``full_warnings``); the analysis commands print a
    one-line pointer to it instead, so their results are not buried.
    """
    from stretchlog.errors import LogError
    from stretchlog.logfile import load_log
    from stretchlog.render import print_problems, print_warnings

    _settle()  # the command has imported what it needs (commands import before _load)
    console = _err_console() if to_stderr else _console()
    cat = _load_catalog(catalog)
    try:
        loaded = load_log(log, catalog=cat)
    except LogError as exc:
        print_problems(console, exc)
        raise typer.Exit(1) from None
    if full_warnings:
        print_warnings(console, loaded.warnings)
    elif loaded.warnings:
        n = len(loaded.warnings)
        console.print(
            f"{n} warning{'s' if n != 1 else ''} about this log (kept, worth a look): "
            f"'stretchlog validate {log}' lists {'them' if n != 1 else 'it'}.",
            style="yellow",
            markup=False,
        )
    return loaded


@app.command()
def validate(log: Path = LOG_ARG, catalog: Optional[Path] = CATALOG_OPT) -> None:
    """Check a log against the format and summarise it.

    Exit 0 and a one-screen summary for a good log; exit 1 and a table of every
    problem (row as your spreadsheet shows it, column, value, what was expected)
    for a bad one.
    """
    from stretchlog.render import print_summary
    from stretchlog.summary import summarise

    loaded = _load(log, catalog, full_warnings=True)
    print_summary(_console(), summarise(loaded))


@app.command("catalog")
def catalog_cmd(
    region: Optional[str] = typer.Option(
        None, "--region", "-r", help="Only this body region (hips, thighs, lower back, core, upper back, neck)."
    ),
    details: bool = typer.Option(False, "--details", "-d", help="Show aliases and instructions too."),
    catalog: Optional[Path] = CATALOG_OPT,
) -> None:
    """List the stretches stretchlog knows, in the order the guides recommend."""
    from stretchlog.catalog import REGIONS
    from stretchlog.render import print_catalog

    cat = _load_catalog(catalog)
    if region is not None:
        chosen = cat.in_region(region)
        if len(chosen) == 0:
            _err_console().print(
                f"No stretches in region '{region}'. Regions: {', '.join(REGIONS)}."
            )
            raise typer.Exit(2)
        cat = chosen
    print_catalog(_console(), cat, details=details)


# Commands that live in their own modules (each imports only typer at the top).
from stretchlog import cli_effects, cli_log, cli_report, cli_routine, cli_trends  # noqa: E402

app.command("log")(cli_log.log)
app.command("import")(cli_log.import_sheet)
app.command("effects")(cli_effects.effects)
app.command("trends")(cli_trends.trends)
app.command("routine")(cli_routine.routine)
app.command("report")(cli_report.report)


def _version_callback(value: bool) -> None:
    if value:
        from stretchlog import __version__

        typer.echo(f"stretchlog {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Learn from your own stretching log which stretches relieve your back pain."""


def main() -> None:
    """Entry point of the ``stretchlog`` console script."""
    import os

    # pandera imports hypothesis's strategies whenever hypothesis is installed (as in a
    # development environment), and hypothesis then loads every installed plugin:
    # about 0.4 s per command here. The CLI never runs property tests.
    os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
    import gc

    gc.disable()  # until the command's imports are done: see _settle
    try:
        app()
    finally:
        gc.enable()
