"""A session shown back to the user: as a table, and as the command line that logs it.

Used by the interactive ``stretchlog log`` (:mod:`stretchlog.entry.interactive`)
before it asks for confirmation, and by the command line after a quick-form log.
"""

from __future__ import annotations

import shlex
from typing import Sequence

from stretchlog.entry.quicklog import Bout, Session, format_bout, format_number
from stretchlog.log.catalog import Catalog

__all__ = ["session_table", "quick_command"]


def session_table(bouts: Sequence[Bout], *, title: str = "", catalog: Catalog | None = None):
    """A rich Table of a session's bouts (pain before -> after per bout)."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title or None, title_justify="left")
    has_notes = any(b.notes for b in bouts)
    table.add_column("#", justify="right")
    table.add_column("Stretch")
    if catalog is not None:
        table.add_column("In the catalog as", style="dim")
    table.add_column("Side")
    table.add_column("Hold", justify="right")
    table.add_column("Reps", justify="right")
    table.add_column("Tight", justify="right")
    table.add_column("Pain", justify="center")
    if has_notes:
        table.add_column("Note")
    for i, b in enumerate(bouts, start=1):
        row = [str(i), escape(b.stretch)]
        if catalog is not None:
            hit = catalog.match(b.stretch)
            row.append("[yellow]your own stretch[/]" if hit is None else escape(hit.name))
        pain = "" if b.pain_before is None and b.pain_after is None else (
            f"{'' if b.pain_before is None else format_number(b.pain_before)} -> "
            f"{'' if b.pain_after is None else format_number(b.pain_after)}"
        )
        row += [
            b.side,
            f"{format_number(b.hold_s)} s",
            str(b.reps),
            "" if b.tightness is None else format_number(b.tightness),
            pain.strip(),
        ]
        if has_notes:
            row.append(escape(b.notes or ""))
        table.add_row(*row)
    return table


def quick_command(log_path, session: Session, *, new_stretch: bool = False) -> str:
    """The ``stretchlog log`` command line that logs ``session`` (to re-run it later).

    With ``new_stretch``, the command says ``--new-stretch`` (a stretch in it is
    neither in the catalog nor in the log yet, and would be refused as a typo).

    Examples
    --------
    >>> quick_command("log.csv", Session((Bout("cat cow", 30),), 5, 4), new_stretch=True)
    "stretchlog log log.csv --new-stretch --pain 5 'cat cow:30' --end-pain 4"
    """
    parts = ["stretchlog", "log", str(log_path)]
    if new_stretch:
        parts.append("--new-stretch")
    if session.pain_before is not None:
        parts += ["--pain", format_number(session.pain_before)]
    parts += [format_bout(b) for b in session.bouts]
    if session.pain_after is not None:
        parts += ["--end-pain", format_number(session.pain_after)]
    if session.date is not None:
        parts += ["--date", str(session.date)]
    if session.time:
        parts += ["--time", session.time]
    return " ".join(shlex.quote(p) for p in parts)
