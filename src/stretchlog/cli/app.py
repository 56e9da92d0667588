"""The ``stretchlog`` command line: a thin shell over the package API.

Each command imports what it needs when it runs, so ``stretchlog --help`` and
``stretchlog catalog`` start without pandas, statsmodels or matplotlib.
Exit codes: 0 done, 1 the log (or another input) has problems, 2 bad usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stretchlog.cli.common import CATALOG_OPT, LOG_ARG, _console, _err_console, _load, _load_catalog

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

FORMAT_OPT = typer.Option(
    "table", "--format", "-f", metavar="<str>",
    help="table (for reading) or json (for other tools; see docs/api.md).",
)


def _problems(problems) -> list[dict]:
    return [{"row": p.row, "column": p.column, "value": p.value, "expected": p.expected} for p in problems]


@app.command()
def validate(log: Path = LOG_ARG, catalog: Optional[Path] = CATALOG_OPT, fmt: str = FORMAT_OPT) -> None:
    """Check a log against the format and summarise it.

    Exit 0 and a one-screen summary for a good log; exit 1 and a table of every
    problem (row as your spreadsheet shows it, column, value, what was expected)
    for a bad one. With --format json the same as one JSON object
    (stretchlog.validate/1: valid, summary, warnings or problems).
    """
    from stretchlog.cli.render import print_summary
    from stretchlog.model.summary import summarise

    fmt = fmt.strip().lower()
    if fmt not in ("table", "json"):
        _err_console().print(f"--format must be table or json, not {fmt!r}.")
        raise typer.Exit(2)
    if fmt == "table":
        loaded = _load(log, catalog, full_warnings=True)
        print_summary(_console(), summarise(loaded))
        return
    import dataclasses
    import json

    from stretchlog import __version__
    from stretchlog.cli.common import _settle
    from stretchlog.log.errors import LogError
    from stretchlog.log.reader import load_log

    _settle()
    doc: dict = {"format": "stretchlog.validate/1", "stretchlog": __version__, "log": log.name}
    try:
        loaded = load_log(log, catalog=_load_catalog(catalog))
    except LogError as exc:
        doc.update(valid=False, problems=_problems(exc.problems), more_problems=exc.more)
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        raise typer.Exit(1) from None
    summary = dataclasses.asdict(summarise(loaded))
    summary.pop("source", None)
    doc.update(valid=True, summary=summary, warnings=_problems(loaded.warnings))
    typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))


@app.command("catalog")
def catalog_cmd(
    region: Optional[str] = typer.Option(
        None, "--region", "-r", help="Only this body region (hips, thighs, lower back, core, upper back, neck)."
    ),
    details: bool = typer.Option(
        False, "--details", "-d", help="One block a stretch: what it works, other names for it, how to do it."
    ),
    catalog: Optional[Path] = CATALOG_OPT,
    fmt: str = FORMAT_OPT,
) -> None:
    """List the stretches stretchlog knows, in the order the guides recommend.

    With --format json: every field of every stretch (stretchlog.catalog/1).
    """
    from stretchlog.log.catalog import REGIONS
    from stretchlog.cli.render import print_catalog

    cat = _load_catalog(catalog)
    if region is not None:
        chosen = cat.in_region(region)
        if len(chosen) == 0:
            _err_console().print(
                f"No stretches in region '{region}'. Regions: {', '.join(REGIONS)}."
            )
            raise typer.Exit(2)
        cat = chosen
    fmt = fmt.strip().lower()
    if fmt == "json":
        import dataclasses
        import json

        from stretchlog import __version__

        doc = {"format": "stretchlog.catalog/1", "stretchlog": __version__,
               "stretches": [dataclasses.asdict(s) for s in cat]}
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    if fmt != "table":
        _err_console().print(f"--format must be table or json, not {fmt!r}.")
        raise typer.Exit(2)
    print_catalog(_console(), cat, details=details)


# Commands that live in their own modules (each imports only typer at the top).
from stretchlog.cli import cohort as cli_cohort
from stretchlog.cli import effects as cli_effects
from stretchlog.cli import experiment as cli_experiment
from stretchlog.cli import log as cli_log
from stretchlog.cli import report as cli_report
from stretchlog.cli import routine as cli_routine
from stretchlog.cli import trends as cli_trends  # noqa: E402

app.command("log")(cli_log.log)
app.command("import")(cli_log.import_sheet)
app.command("effects")(cli_effects.effects)
app.command("trends")(cli_trends.trends)
app.command("routine")(cli_routine.routine)
app.command("report")(cli_report.report)
app.command("plan")(cli_experiment.plan)
app.command("experiment")(cli_experiment.experiment)
app.command("cohort")(cli_cohort.cohort)


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
