"""``stretchlog routine``: the personal priority routine on the command line.

Registered by :mod:`stretchlog.cli.app` as ``app.command("routine")(cli_routine.routine)``.
Only typer, pathlib and typing are imported at the top; the analysis, rich and
matplotlib are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stretchlog.cli.common import PRIOR_OPT

__all__ = ["routine", "print_routine", "DEFAULT_CARD"]

#: Where ``--format pdf`` writes the card when ``--out`` is not given.
DEFAULT_CARD = "routine-card.pdf"
_FORMATS = ("table", "md", "json", "pdf")


def routine(
    log: Path = typer.Argument(..., help="The log file (CSV, one row per stretch bout).", show_default=False),
    minutes: float = typer.Option(10, "--minutes", help="Time budget in minutes; the routine never takes longer."),
    flare: bool = typer.Option(False, "--flare", help="Pain flaring now: what works for you, best first."),
    fmt: str = typer.Option("table", "--format", help="table|md|json|pdf"),
    out: Optional[Path] = typer.Option(
        None, "--out",
        help=f"Write to this file instead of the screen. For pdf the default is ./{DEFAULT_CARD}; "
             "an --out ending in .png writes the card as a picture.",
        show_default=False,
    ),
    seed: Optional[int] = typer.Option(
        None, "--seed",
        help="Seed for the experiment choice and rotation. Default: one from the log and today's date, so "
             "the terminal, report and card show the same routine today; every output names its seed.",
        show_default=False,
    ),
    catalog: Optional[Path] = typer.Option(
        None, "--catalog", envvar="STRETCHLOG_CATALOG",
        help="Your own catalog file (TOML) that extends the built-in stretches.", show_default=False,
    ),
    prior: Optional[Path] = PRIOR_OPT,
) -> None:
    """Your personal routine: what works first, a full routine in a time budget, and experiments.

    Learned from your own log: the stretches that eased your pain most surely come
    first (--flare), or a full routine in the guides' order (hips first, lower back
    last) that fits in --minutes, with a second round for tight stretches, one or two
    experiments to keep learning, and stretches that made pain worse left out.
    A new log gets the guides' default sequence as a starting point.
    Safety flags come first. Advice from your own records, not a diagnosis.
    """
    import sys

    from stretchlog.cli.common import _analysis, _console, _err_console

    fmt = fmt.lower().strip()
    if fmt not in _FORMATS:
        _err_console().print(f"Unknown --format {fmt!r}: use one of {', '.join(_FORMATS)}.")
        raise typer.Exit(2)
    if not minutes > 0 or minutes > 24 * 60:
        _err_console().print(f"--minutes must be above 0 (and at most a day), got {minutes:g}.")
        raise typer.Exit(2)
    if fmt == "pdf" and out is None:
        out = Path(DEFAULT_CARD)
    if out is not None and out.resolve() == log.resolve():
        _err_console().print("--out must not be the log file itself.")
        raise typer.Exit(2)
    # machine-readable output on stdout: the log's warnings go to stderr
    quiet = fmt in ("md", "json") and out is None
    from stretchlog.routine.build import routine as make_routine

    # imports first: _load turns garbage collection back on once they are done
    an = _analysis(log, catalog, to_stderr=quiet, prior=prior)
    r = make_routine(an, minutes=minutes, flare=flare, seed=seed)
    if fmt == "pdf":
        from stretchlog.report.card import save_card

        path = save_card(r, out, catalog=an.catalog)  # the person's own how-to lines too
        _console().print(f"Wrote the routine card to {path} (seed {r.seed}).")
        return
    if fmt == "table":
        if out is None:
            print_routine(_console(), r)
            return
        from rich.console import Console

        with open(out, "w", encoding="utf-8") as fh:
            console = Console(file=fh, width=110, no_color=True, highlight=False, emoji=False)
            print_routine(console, r)
    else:
        text = r.to_json() + "\n" if fmt == "json" else r.to_markdown()
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8")
    _console().print(f"Wrote the routine to {out}.")


def print_routine(console, r) -> None:
    """The routine as rich output: safety first, the table, then experiments, left out, notes."""
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from stretchlog.routine.types import DISCLAIMER
    from stretchlog.routine.text import (ROLE_MARK, duration, learning_line, made_line, marks_legend,
                                        short_dose, short_reason)

    for msg in r.safety:
        console.print(Panel(escape(msg) + "\nAdvice from your own records, not a diagnosis.",
                            title="[bold]SAFETY FIRST[/]", title_align="left", border_style="bold"))
    console.print(f"[bold]{escape(r.title)}[/]: takes about {duration(r.total_seconds)}. "
                  f"{escape(r.source_line)}. {escape(made_line(r))}")
    if r.why_mode:
        console.print(f"[italic]{escape(r.why_mode)}[/]")
    if r.relief_line:
        console.print(f"[bold]{escape(r.relief_line)}[/]")
    table = Table(show_lines=False, expand=False, title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Stretch")
    table.add_column("Side", no_wrap=True)
    table.add_column("Hold x reps", no_wrap=True)
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_column("Why", ratio=1)
    for i in r.items:
        mark = ROLE_MARK[i.role]
        name = escape(i.name) + (f" [bold]\\[{mark}][/]" if mark else "")
        table.add_row(str(i.position), name, i.side, f"{i.hold_s} s x {i.reps}", duration(i.seconds),
                      escape(f"{short_reason(i)}; dose: {short_dose(i)}"))
    if r.items:
        console.print(table)
        console.print("Each reason in full, with its figures: --format md (or the report).")
        legend = marks_legend(r)
        if legend:
            console.print("Marks: " + ", ".join(f"\\[{m}] {escape(t)}" for m, t in legend) + ".")
    else:
        console.print("Nothing fits in this time budget; try a few more minutes.")
    line = learning_line(r)
    if line:
        console.print(f"[bold]Keep learning.[/] {escape(line)}")
    for x in r.left_out:
        console.print(f"[bold]Left out:[/] {escape(x.name)}: {escape(x.reason)}")
    if r.mode != "flare":
        order = f" Next time, try: {', '.join(r.rotation_order)}." if len(r.rotation_order) > 1 else ""
        console.print(f"[bold]Rotate.[/] {escape(r.rotation + order)}")
    for n in r.notes:
        console.print(f"- {escape(n)}")
    console.print(f"[italic]{escape(DISCLAIMER)}[/]")
