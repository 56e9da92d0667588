"""Checking an append before anything is written: the would-be file read back with the real reader.

An append never writes to a log that is already invalid, and never writes a log
that would not read back valid: :func:`plan_append` reads the existing file
(:func:`stretchlog.log.reader.load_log`), builds the new rows in its style
(:mod:`stretchlog.entry.rows`), reads the whole would-be file back, and refuses
sessions that would merge into existing ones or change how existing rows read.
Its :class:`Plan` is what :mod:`stretchlog.entry.atomic` then writes.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from stretchlog.entry.errors import AppendError
from stretchlog.entry.quicklog import Bout, QuickFormError, Session
from stretchlog.words import plural
from stretchlog.entry.rows import (
    BOM,
    FileStyle,
    bout_cells,
    check_columns,
    count_rows,
    day_and_time,
    precheck,
    rows_text,
    style_of,
    when_words,
)
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.log.errors import LogError, Problem
from stretchlog.log.reader import LoadedLog, load_log

__all__ = ["Plan", "plan_append", "check_existing", "read_existing"]


@dataclass(frozen=True)
class Plan:
    """An append checked and ready to write.

    Attributes
    ----------
    path : Path
        The log (symbolic links resolved).
    raw, new : bytes
        The file as read, and as it will be written.
    text : str
        The text appended (a header too for a new log).
    style : FileStyle
        How the file is written.
    first_row, last_row : int
        The new rows as a spreadsheet shows them.
    bouts : DataFrame
        The new bouts as the reader reads them back.
    labels : tuple of str
        The new sessions' labels.
    warnings : tuple of Problem
        The reader's warnings about the new rows.
    stat : os.stat_result or None
        The log's status when read (None for a missing log), to notice a change before replacing it.
    """

    path: Path
    raw: bytes
    new: bytes
    text: str
    style: FileStyle
    first_row: int
    last_row: int
    bouts: pd.DataFrame
    labels: tuple[str, ...]
    warnings: tuple[Problem, ...]
    stat: os.stat_result | None


def check_existing(raw: bytes, name: str, catalog: Catalog) -> LoadedLog:
    """The existing log read by the reader, or an AppendError (``kind="invalid-log"``) saying why not."""
    try:
        return load_log(_buffer(raw, name), catalog=catalog)
    except LogError as exc:
        n = len(exc.problems) + exc.more
        raise AppendError(
            f"{name} is not a valid stretch log ({n} problem{'s' if n != 1 else ''}), so nothing was "
            f"added to it. Run 'stretchlog validate {name}' to see every problem with its row, "
            "fix them (in a spreadsheet or a text editor), then log the session again.",
            kind="invalid-log",
            problems=exc.problems,
        ) from None
    except Exception as exc:  # noqa: BLE001 - a reader crash must not become a traceback or a write
        raise AppendError(
            f"{name} could not be read as a stretch log ({type(exc).__name__}: {exc}), so nothing was added "
            f"to it. Run 'stretchlog validate {name}' and check the file's format.",
            kind="invalid-log",
        ) from None


def read_existing(log_path: str | os.PathLike, *, catalog: Catalog | None = None) -> LoadedLog | None:
    """The log as :func:`~stretchlog.entry.append.append_session` sees it: None when missing or empty.

    Raises
    ------
    AppendError
        ``kind="invalid-log"`` when the log breaks the contract (with its problems),
        so a caller can stop before asking for a session that could not be saved.
    """
    catalog = catalog if catalog is not None else load_catalog()
    path = Path(log_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise AppendError(f"{path} is a folder, not a log file", kind="io") from None
    except OSError as exc:
        raise AppendError(f"{path} cannot be read ({exc.strerror})", kind="io") from None
    if style_of(raw).created:
        return None
    return check_existing(raw, str(path), catalog)


def _buffer(data: bytes, name: str) -> io.BytesIO:
    """``data`` as a binary buffer named ``name`` (for the reader's messages)."""
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def _fmt_rows(rows: list[int]) -> str:
    """Row numbers in words: 'row 5', 'rows 5-7', 'rows 2, 9, 12'."""
    rows = sorted(rows)
    if len(rows) == 1:
        return f"row {rows[0]}"
    if rows[-1] - rows[0] + 1 == len(rows):
        return f"rows {rows[0]}-{rows[-1]}"
    return "rows " + ", ".join(map(str, rows[:8])) + (" ..." if len(rows) > 8 else "")


def plan_append(
    path: Path, sessions: list[Session], *, catalog: Catalog, now: _dt.datetime, create: bool
) -> Plan:
    """Check an append of ``sessions`` to the log at ``path`` without writing anything.

    The existing log must be valid; the new rows are built in its style, and the
    whole would-be file is read back with the real reader: the new rows must read
    as sessions of their own, and the existing rows exactly as before.

    Raises
    ------
    AppendError
        Whenever the append must not happen, saying why.
    """
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise AppendError(f"{name} is not a regular file (a folder or a device?): nothing was written", kind="io")
    if st is None:
        if not create:
            raise AppendError(f"there is no log at {name}: nothing was written", kind="missing-log")
        raw = b""
    else:
        try:
            raw = path.read_bytes()
        except PermissionError:
            raise AppendError(f"{name} cannot be read (permission denied): nothing was written", kind="read-only") from None
    style = style_of(raw)
    old = None if style.created else check_existing(raw, name, catalog)

    # the new rows
    rows: list[dict[str, str]] = []
    labels: list[str] = []
    owners: list[tuple[int, int, Bout]] = []  # (session no., bout no., bout) per new row
    seen: dict[tuple[_dt.date, str], str] = {}
    for s_no, session in enumerate(sessions, start=1):
        day, time = day_and_time(session, now)
        if time and "time" not in style.columns:
            if session.time is not None:  # given on purpose: do not drop it silently
                raise AppendError(
                    f"{name} has no 'time' column, so the time {time} cannot be recorded: leave the time out "
                    "(all bouts of a day are then one session) or add a 'time' column to the log's header",
                    kind="invalid-session",
                )
            time = ""
        label = f"{day.isoformat()} {time}".strip()
        try:
            bouts = session.resolved_bouts()
        except QuickFormError as exc:
            raise AppendError(f"session {label}: {exc}", kind="invalid-session") from None
        precheck(session, bouts, label)
        key = (day, time)
        if key in seen:
            raise AppendError(
                f"two of the new sessions are both on {when_words(day, time)}: they would be read as one "
                "session. Give each its own time.",
                kind="duplicate-session",
            )
        seen[key] = label
        if old is not None and len(old.bouts):
            b = old.bouts
            same = b["date"].eq(pd.Timestamp(day)) & (b["time"].eq(time) if time else b["time"].isna())
            if same.any():
                raise AppendError(
                    f"the log already has a session on {when_words(day, time)} "
                    f"({_fmt_rows(b.loc[same, 'row'].tolist())}); the new bouts would be merged into it. "
                    + ("Give the new session another time (--time HH:MM), "
                       if time else "Give the new session a time (--time HH:MM), ")
                    + "or edit the log yourself if you meant to add to that session.",
                    kind="duplicate-session",
                )
        labels.append(label)
        for b_no, bout in enumerate(bouts, start=1):
            cells = bout_cells(bout, day, time, b_no)
            check_columns(cells, style, name, f"session {label}, bout {b_no} ({bout.stretch})")
            rows.append(cells)
            owners.append((s_no, b_no, bout))

    text = rows_text(rows, style)
    if style.created:
        prefix = BOM if style.bom else b""
        new = prefix + text.encode("utf-8")
        old_lines = 1
        first_row = 2
    else:
        sep = style.line_end if style.needs_newline else ""
        text = sep + text
        new = raw + text.encode("utf-8")
        old_lines = count_rows(raw)
        first_row = old_lines + 1
    last_row = first_row + len(rows) - 1

    try:
        after = load_log(_buffer(new, name), catalog=catalog)
    except LogError as exc:
        lines = []
        for p in exc.problems:
            if p.row is not None and first_row <= p.row <= last_row:
                s_no, b_no, bout = owners[p.row - first_row]
                where = f"session {labels[s_no - 1]}, bout {b_no} ({bout.stretch})"
                col = f", {p.column}" if p.column else ""
                shown = "" if p.value is None else (f": got {p.value!r}" if p.value != "" else ": empty")
                lines.append(f"  - {where}{col}{shown}, expected {p.expected}")
            else:
                lines.append(f"  - {p}")
        raise AppendError(
            f"the new session would not read back valid, so nothing was written to {name}:\n" + "\n".join(lines),
            kind="invalid-session",
            problems=exc.problems,
        ) from None
    except Exception as exc:  # noqa: BLE001 - a reader crash: refuse rather than write
        raise AppendError(
            f"the log with the new session could not be read back ({type(exc).__name__}: {exc}), so nothing "
            f"was written to {name}",
            kind="invalid-session",
        ) from None

    new_mask = after.bouts["row"].between(first_row, last_row)
    new_ids = after.bouts.loc[new_mask, "session_id"].unique()
    mixed = after.bouts["session_id"].isin(new_ids) & ~new_mask
    if mixed.any() or len(new_ids) != len(sessions):
        raise AppendError(
            f"{name}: the new bouts would not read back as {plural(len(sessions), 'session')} of their own (they would "
            f"merge with {_fmt_rows(after.bouts.loc[mixed, 'row'].tolist()) or 'each other'}); nothing was written. "
            "Give the session its own date and time.",
            kind="duplicate-session",
        )
    n_old = 0 if old is None else len(old.bouts)
    if int(new_mask.sum()) != len(rows) or len(after.bouts) != n_old + len(rows):
        raise AppendError(  # pragma: no cover - a guard: the file's text would be misread
            f"{name}: the new rows would not read back as {len(rows)} bouts (the file's last line may hold an "
            "unclosed quote); nothing was written. Run 'stretchlog validate' and check the end of the file.",
            kind="invalid-log",
        )
    if old is not None and n_old:
        cols = ["row", "date", "time", "stretch", "side", "hold_s", "reps", "pain_before", "pain_after", "tightness", "notes"]
        before_rows = old.bouts[cols].sort_values("row").reset_index(drop=True)
        after_rows = after.bouts.loc[~new_mask, cols].sort_values("row").reset_index(drop=True)
        if not before_rows.equals(after_rows):  # pragma: no cover - a guard, see above
            raise AppendError(
                f"{name}: appending would change how existing rows read; nothing was written. "
                "Run 'stretchlog validate' and check the end of the file.",
                kind="invalid-log",
            )
    warns = tuple(w for w in after.warnings if w.row is not None and first_row <= w.row <= last_row)
    return Plan(
        path=path,
        raw=raw,
        new=new,
        text=text,
        style=style,
        first_row=first_row,
        last_row=last_row,
        bouts=after.bouts.loc[new_mask].reset_index(drop=True),
        labels=tuple(labels),
        warnings=warns,
        stat=st,
    )
