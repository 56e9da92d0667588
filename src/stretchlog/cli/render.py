"""Terminal output for the CLI (rich): problem tables, summaries, the catalog.

The library never prints; the CLI calls these with a rich Console.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from stretchlog.log.catalog import Catalog
from stretchlog.log.errors import LogError, Problem, shown_value
from stretchlog.words import plural

__all__ = ["print_problems", "print_warnings", "print_summary", "print_catalog"]


def _problem_table(problems, title: str, style: str, *, last: str = "Expected") -> Table:
    table = Table(title=title, title_justify="left", title_style=style, show_lines=False, expand=False)
    table.add_column("Row", justify="right", no_wrap=True)
    table.add_column("Column", no_wrap=True)
    table.add_column("Value")
    table.add_column(last, ratio=1)
    for p in problems:
        value = "" if p.value is None else shown_value(p.value)
        table.add_row(
            "" if p.row is None else str(p.row),
            escape(p.column or ""),
            escape(value),
            escape(p.expected),
        )
    return table


def print_problems(console: Console, error: LogError, *, what: str = "stretch log") -> None:
    """Print every problem of a bad file as a table, with how to read it.

    A problem with the whole file (no such file, a folder, empty, binary...) is one
    plain line: there is no row or column to show. ``what`` names the kind of file
    in the title ("stretch log", or "one-row-per-session sheet" for an import).
    """
    n = len(error.problems) + error.more
    if error.problems and not error.more and all(p.row is None and p.column is None for p in error.problems):
        for p in error.problems:
            console.print(
                f"[bold red]{escape(error.source)} is not a valid {escape(what)}:[/] expected "
                f"{escape(p.expected)}. Nothing was changed."
            )
        return
    console.print(
        f"[bold red]{escape(error.source)} is not a valid {escape(what)}:[/] "
        f"{plural(n, 'problem')}. Nothing was changed.",
    )
    console.print("Rows are numbered as your spreadsheet shows them (the header is row 1).")
    console.print(_problem_table(error.problems, "", "bold"))
    if error.more:
        console.print(f"... and {error.more} more problems of the same kinds (not listed).")


def print_warnings(console: Console, warnings: tuple[Problem, ...]) -> None:
    """Print kept-but-suspicious input (nothing when there is none)."""
    if not warnings:
        return
    console.print(
        _problem_table(warnings, f"Warnings ({len(warnings)}): kept, but worth a look", "bold yellow", last="Note")
    )


def print_summary(console: Console, s) -> None:
    """The one-screen summary of a valid log (a :class:`stretchlog.model.summary.LogSummary`)."""
    console.print(f"[bold green]OK[/] {escape(s.source)} is a valid stretch log.")
    if s.n_sessions == 0:
        console.print("It has a header but no bouts yet. Log your first session with 'stretchlog log'.")
        return
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row("Sessions", s.sessions_line)
    custom = f", {s.n_custom} not in the catalog (kept as custom)" if s.n_custom else ""
    table.add_row("Bouts", f"{s.n_bouts} (one row each), {s.n_stretches} different stretches{custom}")
    styles = ", ".join(f"{k} {v}" for k, v in s.styles.items())
    table.add_row("Logging style", f"sessions logged {styles}")
    table.add_row(
        "Pain segments",
        f"{s.n_segments}, of which {s.n_single_bout_segments} hold a single bout "
        "(those say the most about one stretch)",
    )
    table.add_row("Time of day", ", ".join(f"{k} {v}" for k, v in s.times_of_day.items()))
    if s.mean_start_pain is not None:
        table.add_row(
            "Pain (0-10)",
            f"{s.mean_start_pain} at the start of a session on average, {s.mean_end_pain} at the end",
        )
    table.add_row("Tightness", f"rated on {s.n_tightness} of {s.n_bouts} bouts")
    if s.n_warnings:
        table.add_row("Warnings", f"{s.n_warnings} (listed above)")
    console.print(table)


def print_catalog(console: Console, catalog: Catalog, *, details: bool = False) -> None:
    """The catalog as a table, in the guides' order."""
    n = len(catalog)
    table = Table(
        title=f"{plural(n, 'stretch', 'stretches')}, in the order the guides recommend "
        "(hips first, lower back last)",
        title_justify="left",
    )
    table.add_column("Name", no_wrap=False)
    table.add_column("id", style="dim", overflow="fold")  # ids have no spaces: fold, never cut
    table.add_column("Region")
    table.add_column("Targets")
    table.add_column("Sides", no_wrap=True)
    table.add_column("Suggested", no_wrap=True)
    if details:
        table.add_column("Also typed as")
        table.add_column("How")
    for s in catalog:
        row = [
            s.name,
            s.id,
            s.region,
            s.muscle_group,
            "each side" if s.sided else "",
            f"{s.hold_s} s x {s.reps}",
        ]
        if details:
            row += [", ".join(s.aliases), s.instructions]
        # plain Text: names are never read as markup (nothing to escape, nothing to parse)
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
