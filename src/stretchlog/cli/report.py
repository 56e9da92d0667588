"""``stretchlog report``: the whole job on one log, as one self-contained HTML file.

Only typer and the standard library are imported at the top; the analysis and
matplotlib are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stretchlog.cli.common import PRIOR_OPT


def report(
    log: Path = typer.Argument(..., help="The log file (CSV, one row per stretch bout).", show_default=False),
    out: Path = typer.Option(Path("stretchlog-report.html"), "--out", "-o", help="Where to write the HTML report."),
    card: Optional[Path] = typer.Option(
        None, "--card", help="Also write the routine as a printable card (PDF, or PNG by the file's ending)."
    ),
    minutes: float = typer.Option(10, "--minutes", help="Time budget of the routine, in minutes."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Makes the routine's experiments repeatable."),
    catalog: Optional[Path] = typer.Option(
        None, "--catalog", envvar="STRETCHLOG_CATALOG", help="Your own catalog file (TOML).", show_default=False
    ),
    prior: Optional[Path] = PRIOR_OPT,
) -> None:
    """Write one HTML report with every result and chart (opens anywhere, no network needed)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from stretchlog.cli.common import _analysis, _console
    from stretchlog.report.html import REPORT_STEPS, build_report, write_atomic

    console = _console()
    if minutes <= 0:
        console.print("--minutes must be more than 0.")
        raise typer.Exit(2)
    if out.resolve() == log.resolve() or (card is not None and card.resolve() == log.resolve()):
        console.print("--out and --card must not be the log itself.")
        raise typer.Exit(2)
    for target in (out, card):
        if target is not None and not target.parent.exists():
            console.print(f"The folder {target.parent} does not exist; nothing was written.")
            raise typer.Exit(1)
    analysis = _analysis(log, catalog, prior=prior)
    with Progress(
        TextColumn("{task.description:<42}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task("Reading the log", total=len(REPORT_STEPS))

        def step(name: str) -> None:
            bar.update(task, description=name, completed=REPORT_STEPS.index(name))

        page, parts = build_report(analysis, minutes=minutes, seed=seed, progress=step, card=card)
        try:
            write_atomic(out, page)
        except OSError as exc:
            console.print(f"Could not write {out}: {exc.strerror}. Nothing was written.")
            raise typer.Exit(1) from None
        card_path = None
        if card is not None:
            from stretchlog.report.card import save_card

            bar.update(task, description="Drawing the card")
            card_path = save_card(parts["routine"], card, catalog=parts["catalog"])
        bar.update(task, description="Done", completed=len(REPORT_STEPS))
    console.print(f"Report: [bold]{out}[/] ({parts['n_charts']} charts). Open it in any web browser.", markup=True)
    if card_path is not None:
        console.print(f"Routine card: [bold]{card_path}[/] (print it, black and white is fine).", markup=True)
    if parts["flags"]:
        console.print("[bold]Safety notes head the report:[/] read them first. Advice, not a diagnosis.", markup=True)
