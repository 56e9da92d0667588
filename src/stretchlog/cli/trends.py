"""``stretchlog trends LOG``: tightness, pain and habits over time, and safety flags.

Registered in :mod:`stretchlog.cli.app` as ``app.command("trends")(cli_trends.trends)``.
Only typer, pathlib and typing are imported at module level, so ``stretchlog
--help`` stays fast; pandas, statsmodels and rich are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

__all__ = ["trends"]

FORMATS = ("table", "csv", "json")


def trends(
    log: Path = typer.Argument(
        ..., help="The log file (CSV, one row per stretch bout).", show_default=False
    ),
    fmt: str = typer.Option(
        "table",
        "--format",
        help="table (readable, the default), csv (every table, each after a '# name' line) "
        "or json (one object, a key per table).",
    ),
    catalog: Optional[Path] = typer.Option(
        None,
        "--catalog",
        envvar="STRETCHLOG_CATALOG",
        help="Your own catalog file (TOML) that extends the built-in stretches.",
        show_default=False,
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Explain the columns and verdicts of the tightness table in full."
    ),
) -> None:
    """Show how tightness and pain change over weeks and months, your habits, and safety flags.

    For each stretch (and side): how tight it is now, how fast it is loosening or
    tightening with a 95% interval, and a plain verdict; the ones that need more
    work; left/right imbalances; starting pain by week and whether it changed by a
    meaningful amount (2 points or 30%); sessions per week, gaps, streaks, and
    whether evening sessions help more than morning ones. Safety flags come first.
    All of it is advice read from your own log, not a diagnosis. --explain
    explains the tightness table in full; docs/method.md explains the method.
    """
    import sys

    from stretchlog.cli.common import _analysis

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        typer.echo(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", err=True)
        raise typer.Exit(2)
    import stretchlog.analysis  # noqa: F401  (imports first: _load then turns garbage collection back on)

    report = _analysis(log, catalog, to_stderr=fmt != "table").trends
    if fmt == "table":
        from stretchlog.cli.common import _console

        _print_report(_console(), report, str(log), explain=explain)
    elif fmt == "csv":
        sys.stdout.write(_csv_text(report.tables()))
    else:
        sys.stdout.write(_json_text(report.tables()))


# --------------------------------------------------------------------------- csv / json


def _plain(df):
    """Dates as YYYY-MM-DD text, floats rounded to 4 decimals."""
    import pandas as pd

    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(4)
    return out


def _csv_text(tables) -> str:
    parts = []
    for name, df in tables.items():
        parts.append(f"# {name}\n" + _plain(df).to_csv(index=False, lineterminator="\n"))
    return "\n".join(parts)


def _json_text(tables) -> str:
    import json

    from stretchlog import __version__

    obj = {
        name: json.loads(_plain(df).to_json(orient="records", force_ascii=False))
        for name, df in tables.items()
    }
    obj.update(format="stretchlog.trends/2", stretchlog=__version__)  # the shape (docs/api.md)
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- table


def _change_cell(r) -> str:
    """A tightness row's change from its first rating to its last, with the 95% interval.

    A row with too little data gets no figure at all (a line through two or three
    ratings can say anything), only what it still needs.

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> _change_cell(Row(verdict="not enough data", n_days=3, change=-0.43,
    ...     why="rated on 3 days over 99 days; a trend needs at least 6 days spread over 3 weeks: 3 more days"))
    'needs 3 more days'
    >>> _change_cell(Row(verdict="looser", n_days=30, change=-1.74, change_lo=-2.92, change_hi=-0.57, why=""))
    '-1.7 (-2.9 to -0.6)'
    """
    import math

    from stretchlog.words import plural, signed

    if r.verdict == "not enough data":
        why = r.why if isinstance(r.why, str) else ""
        todo = why.rpartition(": ")[2].split(",")[0]
        if "more day" in todo:
            return f"needs {todo.replace(' of logging', '')}"
        return f"rated on {plural(r.n_days, 'day')}"
    if r.change is None or math.isnan(r.change):
        return "-"
    return f"{signed(r.change)} ({signed(r.change_lo)} to {signed(r.change_hi)})"


def _over_cell(r) -> str:
    """The span a tightness row's change covers, in words ("11 months")."""
    from stretchlog.trends.fit import span_words

    days = (r.last_date - r.first_date).days
    return span_words(days) if days > 0 else "-"


def _verdict_cell(r) -> str:
    """The verdict with its size word ("clearly looser"), coloured."""
    words = f"{r.size} {r.verdict}" if isinstance(r.size, str) and r.size else r.verdict
    style = _VERDICT_STYLE.get(r.verdict, "")
    return f"[{style}]{words}[/]" if style else words


_VERDICT_STYLE = {
    "looser": "green",
    "tighter": "red",
    "flat": "",
    "not sure yet": "dim",
    "not enough data": "dim",
}


def _print_report(console, report, source: str, *, explain: bool = False) -> None:
    from rich.markup import escape

    console.print(f"[bold]Trends in {escape(source)}[/]")
    _print_flags(console, report.flags)
    _print_tightness(console, report, explain=explain)
    _print_needs_work(console, report.needs_more_work)
    _print_sides(console, report.sides)
    _print_pain(console, report.pain)
    _print_habits(console, report.habits)
    console.print()
    console.print(
        "[dim]Everything above is read from your own log: advice, not a diagnosis. "
        "Intervals are 95% intervals that allow for good and bad days coming in runs.[/]"
    )


#: The tightness table's legend in full (``--explain``).
TIGHTNESS_EXPLAINED = (
    "[bold]Change[/]: points from the first rating to the last (over the time in 'Over'), with "
    "its 95% interval in brackets; negative = looser. [bold]Looser[/] or [bold]tighter[/]: the "
    "interval leaves out 'no change' ([italic]clearly[/]: about 1 point or more, the smallest change "
    "you can feel; [italic]slowly[/]: less). [bold]Flat[/]: the interval stays within 1 point either "
    "way. [bold]Not sure yet[/]: it allows both. [bold]Not enough data[/]: too few days with a rating "
    "for a trend (at least 6 days spread over 3 weeks); the table says how many more days it needs. "
    "The method in full: docs/method.md."
)
#: The tightness table's legend in short.
TIGHTNESS_LEGEND = (
    "Change: first rating to last, 95% interval in brackets; negative = looser. "
    "[dim]How the verdicts are reached: stretchlog trends --explain.[/]"
)


def _print_flags(console, flags) -> None:
    from rich.markup import escape
    from rich.panel import Panel

    from stretchlog.trends.safety import DISCLAIMER
    from stretchlog.words import plural

    if not flags:
        console.print(
            "[green]Safety:[/] nothing in your log calls for easing off or seeing a professional."
        )
        return
    strong = any(f.severity == "see a professional" for f in flags)
    lines = []
    for f in flags:
        tag = (
            "[bold red]See a professional[/]"
            if f.severity == "see a professional"
            else "[bold yellow]Ease off[/]"
        )
        lines.append(f"{tag}  {escape(f.message)}\n    {escape(f.advice)}")
    lines.append(f"[italic]{escape(DISCLAIMER)}[/]")
    title = f"Safety: {plural(len(flags), 'thing')} to act on"
    console.print(
        Panel(
            "\n\n".join(lines),
            title=title,
            title_align="left",
            border_style="red" if strong else "yellow",
        )
    )


def _tightness_table(title: str, first: str, *, sides: bool, expand: bool = False):
    """An empty tightness table: names wrap whole words, the figures never wrap."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
        pad_edge=False, show_edge=False, collapse_padding=True, expand=expand,
    )
    table.add_column(first, ratio=1, min_width=14)
    if sides:
        table.add_column("Side", no_wrap=True)
    table.add_column("Now", justify="right", no_wrap=True)
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column("Over", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    return table


def _print_tightness(console, report, *, explain: bool = False) -> None:
    from rich.markup import escape

    from stretchlog.cli.render import COMPACT_BELOW
    from stretchlog.words import number

    t = report.by_stretch_side
    if t.empty:
        console.print(
            "\n[bold]Tightness:[/] no tightness ratings in this log yet (the 'tightness' column, 0-10)."
        )
        return
    table = _tightness_table(
        "Tightness by stretch and side (0 = free, 10 = could barely do it)", "Stretch", sides=True,
        expand=console.width < COMPACT_BELOW,
    )
    for r in t.itertuples(index=False):
        table.add_row(
            escape(r.name),
            r.side,
            number(r.tightness_now, missing="-"),
            _change_cell(r),
            _over_cell(r),
            _verdict_cell(r),
        )
    console.print()
    console.print(table)
    console.print(TIGHTNESS_EXPLAINED if explain else TIGHTNESS_LEGEND)
    g = report.by_muscle_group
    table = _tightness_table(
        "Tightness by muscle group", "Muscle group", sides=False, expand=console.width < COMPACT_BELOW
    )
    for r in g.itertuples(index=False):
        table.add_row(
            escape(r.name),
            number(r.tightness_now, missing="-"),
            _change_cell(r),
            _over_cell(r),
            _verdict_cell(r),
        )
    console.print()
    console.print(table)
    if not report.overall.empty:
        o = report.overall.iloc[0]
        said = o["why"] if o["verdict"] != "not enough data" else f"not enough data ({o['why']})"
        console.print(
            f"All stretches together: {escape(said)}. Stiff and loose days move every "
            "stretch at once, so a stretch changing only as much as this is following the general trend."
        )


def _print_needs_work(console, nmw) -> None:
    from rich.markup import escape

    from stretchlog.cli.render import bullet

    console.print(
        "\n[bold]Needs more work[/] (the guides: the ones hardest to do are probably the ones you need most)"
    )
    if nmw.empty:
        console.print(
            "  Nothing stands out: no stretch is rated 5 or more now, and none is getting tighter."
        )
        return
    for r in nmw.itertuples(index=False):
        side = f", {r.side} side" if isinstance(r.side, str) and r.side in ("left", "right") else ""
        bullet(console, f"[bold]{escape(r.name)}{side}[/] ({escape(r.muscle_group)}): {escape(r.reason)}")


def _print_sides(console, sides) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from stretchlog.cli.render import COMPACT_BELOW, bullet
    from stretchlog.words import number

    both = sides.loc[sides["sides_logged"].eq("left and right")] if len(sides) else sides
    if both.empty:
        console.print(
            "\n[bold]Left and right:[/] no stretch was logged on each side separately yet."
        )
        return
    console.print()
    console.print(
        "[bold]Left and right[/] (tightness on days both sides were rated; relief per bout as in "
        "'stretchlog effects --by-side')"
    )

    def pair(left, right) -> str:
        return f"{number(left, missing='-', bare_zero=True)} / {number(right, missing='-', bare_zero=True)}"

    def finding(r) -> str:
        text = escape(r.finding)
        return f"[bold red]Imbalance:[/] {text}" if r.imbalance else text

    if console.width < COMPACT_BELOW:
        # a list: the finding is a sentence, too long for a narrow column
        for r in both.itertuples(index=False):
            bullet(
                console,
                f"[bold]{escape(r.name)}[/]: tightness {pair(r.tight_left, r.tight_right)}, "
                f"relief {pair(r.relief_left, r.relief_right)} (left / right); {finding(r)}",
            )
    else:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
        table.add_column("Stretch", ratio=2, min_width=14)
        table.add_column("Tightness L / R", justify="right", no_wrap=True)
        table.add_column("Relief L / R", justify="right", no_wrap=True)
        table.add_column("Finding", ratio=5)
        for r in both.itertuples(index=False):
            table.add_row(
                escape(r.name),
                pair(r.tight_left, r.tight_right),
                pair(r.relief_left, r.relief_right),
                finding(r),
            )
        console.print(table)
    if both["imbalance"].any():
        console.print(
            "An imbalance means one side stays tighter. The guides warn that stretching the wrong side can "
            "feed it: give the tighter side the attention, and ask a physical therapist if unsure."
        )


def _print_pain(console, pain) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from stretchlog.cli.render import bullet
    from stretchlog.words import number

    console.print("\n[bold]Pain over time[/] (the pain each session starts with, 0-10)")
    bullet(console, f"Trend: {pain.verdict}: {escape(pain.why)}.")
    bullet(console, escape(pain.change.sentence))
    weekly = pain.weekly
    if weekly.empty:
        return
    shown = weekly.tail(12)
    table = Table(
        title=f"By week (the last {len(shown)} of {len(weekly)}; all of them with --format csv)",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
    )
    for col, just in (
        ("Week", "left"),
        ("Sessions", "right"),
        ("Start pain", "right"),
        ("End pain", "right"),
        ("Relief", "right"),
    ):
        table.add_column(col, justify=just, no_wrap=True)
    for r in shown.itertuples(index=False):
        table.add_row(
            f"{r.week} (from {r.week_start:%d %b})",
            str(r.sessions),
            number(r.start_pain, missing="-"),
            number(r.end_pain, missing="-"),
            number(r.relief, missing="-"),
        )
    console.print()
    console.print(table)


def _print_habits(console, h) -> None:
    from rich.markup import escape
    from rich.table import Table

    from stretchlog.words import number, plural

    console.print("\n[bold]Habits[/]")
    if h.n_sessions == 0:
        console.print("  No sessions yet.")
        return
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row("Sessions a week", h.rate_sentence)
    if h.longest_gap_days:
        table.add_row(
            "Longest gap",
            f"{plural(h.longest_gap_days, 'day')} without a session "
            f"(between {h.gap_from} and {h.gap_to})",
        )
    else:
        table.add_row("Longest gap", "none: a session every day")
    table.add_row("Streak", h.streak_sentence)
    tod = "; ".join(
        f"{r.time_of_day} {plural(r.sessions, 'session')}, relief {number(r.relief, missing='-')}"
        for r in h.by_time_of_day.itertuples(index=False)
    )
    table.add_row("By time of day", escape(tod) + " (relief = start minus end pain, in points)")
    e = h.evening_vs_morning
    table.add_row("Evening or morning?", f"{e.verdict}: {escape(e.why)}")
    console.print(table)
