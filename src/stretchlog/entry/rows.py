"""The new rows of a log, as text in the existing file's own style.

The rows an append adds follow the file they join: its column order (columns it
lacks are refused, not dropped; extra columns are left empty), its line ends, its
byte-order mark, and a final newline added first where the last line has none.
:func:`~stretchlog.entry.append.append_session` then reads the whole would-be
file back (:mod:`stretchlog.entry.plan`) before anything is written.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import dataclass

from stretchlog.entry.errors import AppendError
from stretchlog.entry.inputs import date_of, time_of
from stretchlog.entry.quicklog import Bout, Session, format_number
from stretchlog.log import schema
from stretchlog.log.header import norm_header

__all__ = [
    "BOM",
    "FileStyle",
    "style_of",
    "day_and_time",
    "bout_cells",
    "precheck",
    "rows_text",
    "check_columns",
    "when_words",
    "count_rows",
]

#: The UTF-8 byte-order mark some spreadsheets write first.
BOM = b"\xef\xbb\xbf"
_NEW_HEADER = ",".join(schema.CONTRACT_COLUMNS)


@dataclass(frozen=True)
class FileStyle:
    """How a log file is written, for new rows to match it.

    Attributes
    ----------
    bom : bool
        The file starts with a UTF-8 byte-order mark.
    line_end : str
        Its line ends (``"\\n"``, ``"\\r\\n"`` or ``"\\r"``).
    columns : tuple of str
        Its header's names, normalised as the reader does, in file order.
    needs_newline : bool
        Its last line has no line end: one is written before the new rows.
    created : bool
        The file is missing or empty: it is started with the contract's header.
    """

    bom: bool
    line_end: str
    columns: tuple[str, ...]  # normalised header names, in file order
    needs_newline: bool
    created: bool


def style_of(raw: bytes) -> FileStyle:
    """The :class:`FileStyle` of a log file's bytes (the contract's, for an empty file)."""
    bom = raw.startswith(BOM)
    body = raw[3:] if bom else raw
    if not body.strip():
        return FileStyle(bom, "\n", schema.CONTRACT_COLUMNS, False, True)
    text = body.decode("utf-8")
    crlf, lf = text.find("\r\n"), text.find("\n")
    cr = text.find("\r")
    if lf == -1 and cr == -1:
        line_end = "\n"
    elif crlf != -1 and crlf + 1 == lf:
        line_end = "\r\n"
    elif lf != -1 and (cr == -1 or lf < cr):
        line_end = "\n"
    else:
        line_end = "\r"
    first = re.split(r"\r\n|\n|\r", text, maxsplit=1)[0]
    written = next(csv.reader([first]), [])
    return FileStyle(bom, line_end, tuple(norm_header(h) for h in written), not text.endswith(("\n", "\r")), False)


def day_and_time(session: Session, now: _dt.datetime) -> tuple[_dt.date, str]:
    """The session's day and 'HH:MM' time ('' for none): today and now when no date is given.

    Raises
    ------
    AppendError
        For a day in the future, or a date or time that cannot be read.
    """
    if session.date is None:
        day = now.date()
        time = time_of(session.time) if session.time is not None else now.strftime("%H:%M")
    else:
        day = date_of(session.date, "date")
        time = time_of(session.time)
    if day > now.date():
        raise AppendError(
            f"the date {day.isoformat()} is in the future (today is {now.date().isoformat()}): "
            "give the day the session took place",
            kind="invalid-session",
        )
    return day, time or ""


def bout_cells(bout: Bout, day: _dt.date, time: str, seq: int) -> dict[str, str]:
    """One bout's cells as text, by column name (``seq`` is its place in the session)."""
    def n(v):
        return "" if v is None else format_number(v)

    return {
        "date": day.isoformat(),
        "time": time,
        "stretch": bout.stretch.strip(),
        "side": bout.side or "both",
        "hold_s": n(bout.hold_s),
        "reps": n(bout.reps),
        "pain_before": n(bout.pain_before),
        "pain_after": n(bout.pain_after),
        "tightness": n(bout.tightness),
        "notes": bout.notes or "",
        "seq": str(seq),
    }


def precheck(session: Session, bouts: tuple[Bout, ...], label: str) -> None:
    """Friendly words for the commonest mistakes (the reader still judges everything).

    The words name the keywords of :func:`~stretchlog.entry.append.append_session`:
    the command line checks the start and end pain itself first, naming its own
    options (``--pain``, ``--end-pain``), so these are only read from Python.
    """
    if bouts[0].pain_before is None:
        raise AppendError(
            f"session {label}: the pain at the start is missing. Give the pain just before the first "
            "stretch (0-10): pain_before=N, or on the first bout",
            kind="invalid-session",
        )
    if bouts[-1].pain_after is None:
        raise AppendError(
            f"session {label}: the pain at the end is missing. Give the pain just after the last "
            "stretch (0-10): pain_after=N, or on the last bout",
            kind="invalid-session",
        )
    for i, b in enumerate(bouts, start=1):
        if not b.stretch or not b.stretch.strip():
            raise AppendError(f"session {label}, bout {i}: the stretch name is empty", kind="invalid-session")
        if b.notes and ("\n" in b.notes or "\r" in b.notes):
            raise AppendError(
                f"session {label}, bout {i}: a note must be one line (it has a line break)",
                kind="invalid-session",
            )


def rows_text(rows: list[dict[str, str]], style: FileStyle) -> str:
    """The CSV text of ``rows`` in the file's column order and line ends (with a header for a new file)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=style.line_end, quoting=csv.QUOTE_MINIMAL)
    if style.created:
        writer.writerow(style.columns)
    for cells in rows:
        writer.writerow([cells.get(col, "") for col in style.columns])
    return buf.getvalue()


_DEFAULT_CELLS = {"side": ("", "both"), "reps": ("", "1"), "seq": None}


def check_columns(cells: dict[str, str], style: FileStyle, name: str, where: str) -> None:
    """A value for a column the log lacks cannot be written: refuse rather than drop it."""
    for col, value in cells.items():
        if col in style.columns or col == "seq" or value == "":
            continue
        if col in ("side", "reps") and value in _DEFAULT_CELLS[col]:
            continue
        raise AppendError(
            f"{where}: {name} has no '{col}' column, so its {col} ({value}) cannot be recorded. Add a "
            f"'{col}' column to the log's header (an empty column is fine), or leave the {col} out.",
            kind="invalid-session",
        )


def when_words(day: _dt.date, time: str) -> str:
    """A session's day and time in words, for messages."""
    return f"{day.isoformat()} at {time}" if time else f"{day.isoformat()} with no time"


def count_rows(raw: bytes) -> int:
    """Rows as a spreadsheet numbers them (header = 1) in a valid file's bytes."""
    body = raw[3:] if raw.startswith(BOM) else raw
    text = body.decode("utf-8")
    n = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    return n
