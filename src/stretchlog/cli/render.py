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

__all__ = ["bullet", "print_problems", "print_warnings", "print_summary", "print_catalog"]

#: Below this width the terminal gets the compact layouts (fewer columns, lists
#: instead of wide tables).
COMPACT_BELOW = 100


def _problem_table(problems, title: str, style: str, *, last: str = "Expected") -> Table:
    table = Table(title=title, title_justify="left", title_style=style, show_lines=False, expand=False)
    table.add_column("Row", justify="right", no_wrap=True)
    table.add_column("Column", no_wrap=True)
    table.add_column("Value", ratio=1, max_width=24)
    table.add_column(last, ratio=3)
    for p in problems:
        value = "" if p.value is None else shown_value(p.value)
        table.add_row(
            "" if p.row is None else str(p.row),
            escape(p.column or ""),
            escape(value),
            escape(p.expected),
        )
    return table


def bullet(console: Console, text: str | Text, *, indent: int = 2) -> None:
    """Print one item of a list: a dash, and the text wrapped under itself.

    Parameters
    ----------
    console : Console
        Where to print.
    text : str or Text
        The item, as rich markup (escape names first) or as plain :class:`~rich.text.Text`.
    indent : int
        Spaces before the dash.

    Examples
    --------
    >>> c = Console(width=30, color_system=None)
    >>> bullet(c, "a line long enough to wrap onto a second line")  # doctest: +NORMALIZE_WHITESPACE
      - a line long enough to wrap
        onto a second line
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(" " * indent + "-", text)
    console.print(grid)


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
        console.print(f"... and {plural(error.more, 'more problem')} of the same kinds (not listed).")


def print_warnings(console: Console, warnings: tuple[Problem, ...]) -> None:
    """Print kept-but-suspicious input (nothing when there is none)."""
    if not warnings:
        return
    console.print(
        _problem_table(
            warnings, f"Warnings ({len(warnings)}): kept, but worth a look", "bold yellow", last="Note"
        )
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
    table.add_row(
        "Bouts",
        f"{s.n_bouts} (one row each), "
        f"{plural(s.n_stretches, 'different stretch', 'different stretches')}{custom}",
    )
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
    table.add_row("Tightness", f"rated on {s.n_tightness} of {plural(s.n_bouts, 'bout')}")
    if s.n_warnings:
        table.add_row("Warnings", f"{s.n_warnings} (listed above)")
    console.print(table)


def _suggested(s, sep: str = ", ") -> str:
    """How long and how often: ``60 s x 3, each side``."""
    return f"{s.hold_s} s x {s.reps}" + (f"{sep}each side" if s.sided else "")


def print_catalog(console: Console, catalog: Catalog, *, details: bool = False) -> None:
    """The catalog in the guides' order: a table, or with ``details`` one block a stretch.

    The id (what you type in the log) is never split across lines. Below
    :data:`COMPACT_BELOW` columns the table leaves out what each stretch targets
    (``--details`` shows it).

    Examples
    --------
    >>> from stretchlog.log.catalog import load_catalog
    >>> c = Console(width=80, color_system=None)
    >>> print_catalog(c, load_catalog().in_region("neck"))  # doctest: +ELLIPSIS
    3 stretches, in the order the guides recommend (hips first, lower back last)
    ...
    """
    n = len(catalog)
    console.print(
        f"{plural(n, 'stretch', 'stretches')}, in the order the guides recommend "
        "(hips first, lower back last)",
        style="bold",
        markup=False,
    )
    if details:
        _print_catalog_details(console, catalog)
        return
    from rich import box

    wide = console.width >= COMPACT_BELOW
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("Name", min_width=14)
    table.add_column("Type in the log", style="dim", no_wrap=True)  # never split an id
    table.add_column("Region", no_wrap=True)
    if wide:
        table.add_column("Targets", min_width=16)
    table.add_column("Suggested", no_wrap=True)
    for s in catalog:
        row = [s.name, s.id, s.region] + ([s.muscle_group] if wide else []) + [_suggested(s, "\n")]
        # plain Text: names are never read as markup (nothing to escape, nothing to parse)
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    if not wide:
        console.print("What each one works and how to do it: stretchlog catalog --details")


def _print_catalog_details(console: Console, catalog: Catalog) -> None:
    """One block a stretch: name and id, region and muscles, time, aliases, how to do it."""
    from rich.padding import Padding

    for s in catalog:
        console.print()
        head = Text(s.name, style="bold")
        if len(s.name) + len(s.id) + 4 <= console.width:
            head.append("  ")
            head.append(s.id, style="dim")
            console.print(head, no_wrap=True, crop=False, overflow="ignore")
        else:
            console.print(head)
            console.print(Text("  " + s.id, style="dim"), no_wrap=True, crop=False, overflow="ignore")
        lines = [f"{s.region}: {s.muscle_group}", f"suggested: {_suggested(s)}"]
        if s.aliases:
            lines.append("also typed as: " + ", ".join(s.aliases))
        for line in lines:
            console.print(Padding(Text(line), (0, 0, 0, 2)))
        console.print(Padding(Text(s.instructions.strip()), (0, 0, 0, 2)))
