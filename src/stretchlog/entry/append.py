"""Adding sessions to a log: checked against the contract and the file, then written atomically.

:func:`append_session` is what ``stretchlog log`` calls, and what a notebook can
call. What it guarantees:

* **It never writes to a log that is already invalid.** It says why, and how to
  fix it (``stretchlog validate LOG`` lists every problem).
* **It never writes a log that would not read back valid.** The new rows are built
  as text in the existing file's own style (its column order, extra columns left
  empty, its line ends, its byte-order mark, a missing final newline added first),
  and the whole would-be file is read with the real reader
  (:func:`stretchlog.log.reader.load_log`) *before* anything is written. A session at
  the same date and time as one already in the log would merge into it: that is
  refused, with the rows it would merge into. The existing rows must read back
  exactly as before.
* **The write is atomic.** A lock (``.<log name>.lock``, next to the log; it stays
  there, harmless) keeps concurrent writers in turn; the log is read, checked and
  replaced while the lock is held. The new content goes to a temporary file in the
  same folder, is flushed and fsynced, renamed over the log (``os.replace``), and
  the folder is fsynced. A process killed at any moment leaves either the old file
  or the new one, never a mix. Permissions (and, where allowed, the owner) of the
  log are kept.
* **A backup of the previous version is kept** in ``.stretchlog-backups/`` next to
  the log, as ``<log name>.<YYYYmmdd-HHMMSS-ffffff>.bak`` (a byte-for-byte copy);
  the newest :data:`KEEP_BACKUPS` per log are kept, older ones are deleted.
* **Errors are plain.** A read-only log, a missing folder, a full disk, a held
  lock: :class:`AppendError` says what happened and that nothing was changed.

:func:`stretchlog.entry.widesheet.import_wide` turns a spreadsheet kept as "one row per
session" into contract rows, which :func:`append_sessions` adds in one atomic write.
"""

from __future__ import annotations

import csv
import datetime as _dt
import errno
import io
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence, Union

import pandas as pd
from filelock import FileLock, Timeout

from stretchlog.log import schema
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.log.errors import LogError, Problem
from stretchlog.log.reader import LoadedLog, load_log
from stretchlog.entry.quicklog import Bout, QuickFormError, Session, format_number, parse_bout, parse_side

__all__ = [
    "AppendError",
    "AppendResult",
    "append_session",
    "append_sessions",
    "last_session",
    "read_existing",
    "BACKUP_DIR",
    "KEEP_BACKUPS",
]

#: Folder (next to the log) holding backups of previous versions.
BACKUP_DIR = ".stretchlog-backups"
#: How many backups are kept per log.
KEEP_BACKUPS = 10
#: Seconds to wait for another writer before giving up.
LOCK_TIMEOUT_S = 15.0

_BOM = b"\xef\xbb\xbf"
_NEW_HEADER = ",".join(schema.CONTRACT_COLUMNS)

BoutLike = Union[Bout, str, Mapping]
SessionInput = Union[Session, Sequence[BoutLike], pd.DataFrame]


class AppendError(Exception):
    """Nothing was written, and this says why in plain words.

    Attributes
    ----------
    kind : str
        ``"invalid-log"`` (the existing file breaks the contract),
        ``"invalid-session"`` (the new rows would), ``"duplicate-session"``,
        ``"read-only"``, ``"missing-folder"``, ``"missing-log"``, ``"disk-full"``, ``"locked"``,
        ``"changed"`` (the file changed while we worked) or ``"io"``.
    problems : tuple of Problem
        The reader's problems, where there are any (rows as a spreadsheet shows them).
    """

    def __init__(self, message: str, *, kind: str, problems: Iterable[Problem] = ()):
        super().__init__(message)
        self.kind = kind
        self.problems = tuple(problems)


@dataclass(frozen=True)
class AppendResult:
    """What :func:`append_session` did (or, with ``dry_run``, would do).

    Attributes
    ----------
    path : Path
        The log written (symbolic links resolved).
    created : bool
        True when the log did not exist (or was empty) and was started with a header.
    first_row, last_row : int
        The new rows as a spreadsheet shows them (header = row 1).
    text : str
        The exact text appended (a header too when ``created``).
    bouts : DataFrame
        The new bouts as :func:`stretchlog.log.reader.read_log` reads them back.
    sessions : tuple of str
        The new sessions' labels (``"YYYY-MM-DD HH:MM"``).
    backup : Path or None
        Where the previous version was copied (None for a new log or a dry run).
    warnings : tuple of Problem
        Warnings about the new rows (e.g. a stretch the catalog lacks, kept as custom).
    dry_run : bool
        True when nothing was written.
    """

    path: Path
    created: bool
    first_row: int
    last_row: int
    text: str
    bouts: pd.DataFrame = field(repr=False)
    sessions: tuple[str, ...]
    backup: Path | None
    warnings: tuple[Problem, ...]
    dry_run: bool


# --------------------------------------------------------------------------- inputs


def _num_or_none(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip() == "":
            return None
        return float(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return float(value)


def _text_or_none(value) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value)
    return text if text.strip() else None


_BOUT_KEYS = ("stretch", "hold_s", "reps", "side", "tightness", "pain_before", "pain_after", "notes")


def _bout_from_mapping(m: Mapping, where: str) -> Bout:
    unknown = sorted(set(m) - set(_BOUT_KEYS) - {"date", "time", "seq"})
    if unknown:
        raise AppendError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; a bout has {', '.join(_BOUT_KEYS)}",
            kind="invalid-session",
        )
    try:
        stretch = _text_or_none(m.get("stretch"))
        hold = _num_or_none(m.get("hold_s"))
        if stretch is None or hold is None:
            raise ValueError("a bout needs at least 'stretch' and 'hold_s'")
        side_raw = _text_or_none(m.get("side"))
        reps = _num_or_none(m.get("reps"))
        return Bout(
            stretch=stretch.strip(),
            hold_s=hold,
            reps=1 if reps is None else (int(reps) if float(reps).is_integer() else reps),
            side="both" if side_raw is None else (parse_side(side_raw) or side_raw),
            tightness=_num_or_none(m.get("tightness")),
            pain_before=_num_or_none(m.get("pain_before")),
            pain_after=_num_or_none(m.get("pain_after")),
            notes=_text_or_none(m.get("notes")),
        )
    except (TypeError, ValueError) as exc:
        raise AppendError(f"{where}: {exc}", kind="invalid-session") from None


def _to_bout(item: BoutLike, i: int) -> Bout:
    where = f"bout {i}"
    if isinstance(item, Bout):
        return item
    if isinstance(item, str):
        try:
            return parse_bout(item)
        except QuickFormError as exc:
            raise AppendError(f"{where}: {exc}", kind="invalid-session") from None
    if isinstance(item, Mapping):
        return _bout_from_mapping(item, where)
    raise AppendError(
        f"{where}: expected a Bout, a quick-form string like 'hamstring:10x9' or a dict, got {type(item).__name__}",
        kind="invalid-session",
    )


def _sessions_from_frame(frame: pd.DataFrame) -> list[Session]:
    """Contract rows (one per bout) into sessions, in order of first appearance."""
    missing = [c for c in ("date", "stretch", "hold_s") if c not in frame.columns]
    if missing:
        raise AppendError(f"the rows need the column(s) {', '.join(missing)}", kind="invalid-session")
    df = frame.reset_index(drop=True)
    dates = df["date"].map(lambda d: _date_of(d, "date"))
    times = df["time"].map(lambda t: _time_of(t)) if "time" in df else pd.Series([None] * len(df))
    if "seq" in df:
        order = pd.to_numeric(df["seq"], errors="coerce")
        df = df.assign(_seq=order)
    keys = list(zip(dates, times))
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    out = []
    for (d, t), idx in groups.items():
        if "_seq" in df and df.loc[idx, "_seq"].notna().all():
            idx = sorted(idx, key=lambda j: df.at[j, "_seq"])
        bouts = tuple(_bout_from_mapping({k: df.at[j, k] for k in _BOUT_KEYS if k in df}, f"row {j + 1}") for j in idx)
        out.append(Session(bouts=bouts, date=d, time=t if t is not None else ""))
    return out


def _date_of(value, what: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise AppendError(
        f"{what} {text!r}: expected a date written YYYY-MM-DD, e.g. 2026-11-01", kind="invalid-session"
    )


def _time_of(value) -> str | None:
    """'HH:MM' for a time given as text or datetime.time; None for no time."""
    if value is None:
        return None
    if isinstance(value, _dt.time):
        return value.strftime("%H:%M")
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    if text == "":
        return None
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if m and int(m[1]) <= 23 and int(m[2]) <= 59 and int(m[3] or 0) <= 59:
        return f"{int(m[1]):02d}:{m[2]}"
    raise AppendError(
        f"time {text!r}: expected a 24-hour time HH:MM, e.g. 21:30 (7:15 PM is 19:15)", kind="invalid-session"
    )


def _coerce_sessions(
    data: SessionInput | Iterable[Session],
    *,
    many: bool,
    pain_before=None,
    pain_after=None,
    date=None,
    time=None,
) -> list[Session]:
    keywords = any(v is not None for v in (pain_before, pain_after, date, time))
    if isinstance(data, pd.DataFrame):
        if keywords:
            raise TypeError("with a DataFrame of rows, give pain, date and time in its columns, not as keywords")
        sessions = _sessions_from_frame(data)
    elif isinstance(data, Session):
        if keywords:
            raise TypeError("with a Session, give pain, date and time in the Session, not as keywords")
        sessions = [data]
    elif isinstance(data, (str, bytes)):
        raise TypeError("give a list of bouts (e.g. ['hamstring:10x9']), not a single string")
    else:
        items = list(data)
        if many and items and all(isinstance(s, Session) for s in items):
            if keywords:
                raise TypeError("with Sessions, give pain, date and time in each Session")
            sessions = items
        else:
            bouts = tuple(_to_bout(b, i) for i, b in enumerate(items, start=1))
            sessions = [Session(bouts, pain_before, pain_after, date, time)]
    if not sessions or any(not s.bouts for s in sessions):
        raise AppendError("a session needs at least one stretch bout", kind="invalid-session")
    return sessions


# --------------------------------------------------------------------------- building rows


@dataclass(frozen=True)
class _Style:
    bom: bool
    line_end: str
    columns: tuple[str, ...]  # normalised header names, in file order
    needs_newline: bool
    created: bool


def _norm_header(name: str) -> str:
    # the same folding as the reader's header (logfile._norm_header)
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _style_of(raw: bytes) -> _Style:
    bom = raw.startswith(_BOM)
    body = raw[3:] if bom else raw
    if not body.strip():
        return _Style(bom, "\n", schema.CONTRACT_COLUMNS, False, True)
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
    return _Style(bom, line_end, tuple(_norm_header(h) for h in written), not text.endswith(("\n", "\r")), False)


def _when(session: Session, now: _dt.datetime) -> tuple[_dt.date, str]:
    if session.date is None:
        day = now.date()
        time = _time_of(session.time) if session.time is not None else now.strftime("%H:%M")
    else:
        day = _date_of(session.date, "date")
        time = _time_of(session.time)
    if day > now.date():
        raise AppendError(
            f"the date {day.isoformat()} is in the future (today is {now.date().isoformat()}): "
            "give the day the session took place",
            kind="invalid-session",
        )
    return day, time or ""


def _cells(bout: Bout, day: _dt.date, time: str, seq: int) -> dict[str, str]:
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


def _precheck(session: Session, bouts: tuple[Bout, ...], label: str) -> None:
    """Friendly words for the commonest mistakes (the reader still judges everything)."""
    if bouts[0].pain_before is None:
        raise AppendError(
            f"session {label}: the pain at the start is missing. Give the pain just before the first "
            "stretch (0-10): --pain N on the command line, pain_before=N in Python",
            kind="invalid-session",
        )
    if bouts[-1].pain_after is None:
        raise AppendError(
            f"session {label}: the pain at the end is missing. Give the pain just after the last "
            "stretch (0-10): --end-pain N (or pN on the last stretch) on the command line, "
            "pain_after=N in Python",
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


def _rows_text(rows: list[dict[str, str]], style: _Style) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=style.line_end, quoting=csv.QUOTE_MINIMAL)
    if style.created:
        writer.writerow(style.columns)
    for cells in rows:
        writer.writerow([cells.get(col, "") for col in style.columns])
    return buf.getvalue()


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class _Plan:
    path: Path
    raw: bytes
    new: bytes
    text: str
    style: _Style
    first_row: int
    last_row: int
    bouts: pd.DataFrame
    labels: tuple[str, ...]
    warnings: tuple[Problem, ...]
    stat: os.stat_result | None


def _check_existing(raw: bytes, name: str, catalog: Catalog) -> LoadedLog:
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
    """The log as :func:`append_session` will see it: None when it is missing or empty.

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
    if _style_of(raw).created:
        return None
    return _check_existing(raw, str(path), catalog)


def _buffer(data: bytes, name: str) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def _fmt_rows(rows: list[int]) -> str:
    rows = sorted(rows)
    if len(rows) == 1:
        return f"row {rows[0]}"
    if rows[-1] - rows[0] + 1 == len(rows):
        return f"rows {rows[0]}-{rows[-1]}"
    return "rows " + ", ".join(map(str, rows[:8])) + (" ..." if len(rows) > 8 else "")


def _plan(path: Path, sessions: list[Session], *, catalog: Catalog, now: _dt.datetime, create: bool) -> _Plan:
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
    style = _style_of(raw)
    old = None if style.created else _check_existing(raw, name, catalog)

    # the new rows
    rows: list[dict[str, str]] = []
    labels: list[str] = []
    owners: list[tuple[int, int, Bout]] = []  # (session no., bout no., bout) per new row
    seen: dict[tuple[_dt.date, str], str] = {}
    for s_no, session in enumerate(sessions, start=1):
        day, time = _when(session, now)
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
        _precheck(session, bouts, label)
        key = (day, time)
        if key in seen:
            raise AppendError(
                f"two of the new sessions are both on {_when_words(day, time)}: they would be read as one "
                "session. Give each its own time.",
                kind="duplicate-session",
            )
        seen[key] = label
        if old is not None and len(old.bouts):
            b = old.bouts
            same = b["date"].eq(pd.Timestamp(day)) & (b["time"].eq(time) if time else b["time"].isna())
            if same.any():
                raise AppendError(
                    f"the log already has a session on {_when_words(day, time)} "
                    f"({_fmt_rows(b.loc[same, 'row'].tolist())}); the new bouts would be merged into it. "
                    + ("Give the new session another time (--time HH:MM), "
                       if time else "Give the new session a time (--time HH:MM), ")
                    + "or edit the log yourself if you meant to add to that session.",
                    kind="duplicate-session",
                )
        labels.append(label)
        for b_no, bout in enumerate(bouts, start=1):
            cells = _cells(bout, day, time, b_no)
            _check_columns(cells, style, name, f"session {label}, bout {b_no} ({bout.stretch})")
            rows.append(cells)
            owners.append((s_no, b_no, bout))

    text = _rows_text(rows, style)
    if style.created:
        prefix = _BOM if style.bom else b""
        new = prefix + text.encode("utf-8")
        old_lines = 1
        first_row = 2
    else:
        sep = style.line_end if style.needs_newline else ""
        text = sep + text
        new = raw + text.encode("utf-8")
        old_lines = _count_rows(raw)
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
            f"{name}: the new bouts would not read back as {len(sessions)} session(s) of their own (they would "
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
    return _Plan(
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


_DEFAULT_CELLS = {"side": ("", "both"), "reps": ("", "1"), "seq": None}


def _check_columns(cells: dict[str, str], style: _Style, name: str, where: str) -> None:
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


def _when_words(day: _dt.date, time: str) -> str:
    return f"{day.isoformat()} at {time}" if time else f"{day.isoformat()} with no time"


def _count_rows(raw: bytes) -> int:
    """Rows as a spreadsheet numbers them (header = 1) in a valid file's bytes."""
    body = raw[3:] if raw.startswith(_BOM) else raw
    text = body.decode("utf-8")
    n = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    return n


# --------------------------------------------------------------------------- writing


def _os_error(exc: OSError, what: str, path: Path) -> AppendError:
    unchanged = f"nothing was written and {path} is unchanged"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return AppendError(
            f"the disk is full (no space left on the device while {what}): {unchanged}. "
            "Free some space and log the session again.",
            kind="disk-full",
        )
    if exc.errno == errno.EROFS:
        return AppendError(f"the disk holding {path} is read-only: {unchanged}.", kind="read-only")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return AppendError(
            f"permission denied while {what} ({exc.filename or path.parent}): {unchanged}. "
            "stretchlog needs to write in the log's folder (it writes a new copy and renames it into place).",
            kind="read-only",
        )
    return AppendError(f"could not write while {what} ({exc.strerror or exc}): {unchanged}.", kind="io")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:  # pragma: no cover - os.write raises instead
            raise OSError(errno.EIO, "write returned 0")
        view = view[n:]


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _temp_copy(folder: Path, prefix: str, data: bytes, mode: int, owner: tuple[int, int] | None) -> str:
    """Write ``data`` to a new temporary file in ``folder``, fsynced; returns its path."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        _write_all(fd, data)
        os.fchmod(fd, mode)
        if owner is not None:
            try:
                os.fchown(fd, *owner)
            except OSError:
                pass
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink_quietly(tmp)
        raise
    os.close(fd)
    return tmp


def _unlink_quietly(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - some systems cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _clean_stale(folder: Path, prefix: str) -> None:
    """Remove temporary files left by a writer that was killed (we hold the lock)."""
    try:
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                _unlink_quietly(entry.path)
    except OSError:
        pass


def _backup(plan: _Plan, mode: int, now: _dt.datetime) -> Path:
    folder = plan.path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    _clean_stale(folder, f".{plan.path.name}.")
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{plan.path.name}.{stamp}.bak"
    k = 1
    while target.exists():
        target = folder / f"{plan.path.name}.{stamp}-{k}.bak"
        k += 1
    tmp = _temp_copy(folder, f".{plan.path.name}.", plan.raw, mode, None)
    try:
        os.replace(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(folder)
    return target


def _prune_backups(path: Path) -> None:
    folder = path.parent / BACKUP_DIR
    try:
        mine = sorted(
            (e for e in os.scandir(folder) if e.name.startswith(path.name + ".") and e.name.endswith(".bak")),
            key=lambda e: e.name,
        )
    except OSError:
        return
    for entry in mine[:-KEEP_BACKUPS] if len(mine) > KEEP_BACKUPS else []:
        _unlink_quietly(entry.path)


def _is_read_only(st: os.stat_result, path: Path) -> bool:
    return not (st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(path, os.W_OK)


def _commit(plan: _Plan, *, backup: bool, now: _dt.datetime) -> Path | None:
    path = plan.path
    folder = path.parent
    st = plan.stat
    mode = stat.S_IMODE(st.st_mode) if st is not None else _new_file_mode()
    owner = (st.st_uid, st.st_gid) if st is not None else None
    tmp = None
    where = "writing the new version"
    try:
        tmp = _temp_copy(folder, f".{path.name}.", plan.new, mode, owner)
        saved = None
        if backup and st is not None and plan.raw.strip():
            where = "writing the backup"
            saved = _backup(plan, mode, now)
        # the file must still be what we read (a writer that ignores our lock, e.g. an editor)
        where = "replacing the log"
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        unchanged = (current is None and st is None) or (
            current is not None and st is not None
            and (current.st_ino, current.st_size, current.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)
        )
        if not unchanged:
            _unlink_quietly(tmp)
            raise AppendError(
                f"{path} changed while the session was being added (another program saved it): nothing was "
                "written. Log the session again.",
                kind="changed",
            )
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(folder)
    except OSError as exc:
        if tmp is not None:
            _unlink_quietly(tmp)
        raise _os_error(exc, where, path) from None
    except BaseException:
        if tmp is not None:
            _unlink_quietly(tmp)
        raise
    if saved is not None:
        _prune_backups(path)
    return saved


# --------------------------------------------------------------------------- public API


def append_sessions(
    log_path: str | os.PathLike,
    sessions: Iterable[Session] | pd.DataFrame,
    *,
    backup: bool = True,
    create: bool = True,
    dry_run: bool = False,
    catalog: Catalog | None = None,
    now: _dt.datetime | None = None,
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> AppendResult:
    """Add several sessions to a log in one atomic write (see :func:`append_session`).

    ``sessions`` is a list of :class:`~stretchlog.entry.quicklog.Session` or a DataFrame
    of contract rows (one per bout; bouts with the same date and time are one
    session), such as :func:`import_wide` returns.
    """
    return _append(
        log_path, _coerce_sessions(sessions, many=True), backup=backup, create=create, dry_run=dry_run,
        catalog=catalog, now=now, lock_timeout=lock_timeout,
    )


def append_session(
    log_path: str | os.PathLike,
    bouts_or_session: SessionInput,
    *,
    pain_before: float | None = None,
    pain_after: float | None = None,
    date: _dt.date | str | None = None,
    time: str | None = None,
    backup: bool = True,
    create: bool = True,
    dry_run: bool = False,
    catalog: Catalog | None = None,
    now: _dt.datetime | None = None,
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> AppendResult:
    """Add one session to a log, checked first and written atomically.

    Parameters
    ----------
    log_path : path
        The log (CSV). A missing or empty file is started with the contract's
        header (its folder must exist) unless ``create=False``.
    bouts_or_session : Session, list, or DataFrame
        The bouts in the order done: :class:`~stretchlog.entry.quicklog.Bout` objects,
        quick-form strings (``"reclining hip:60x3:left:t7:p5"``) or dicts with the
        contract's column names; or a whole :class:`~stretchlog.entry.quicklog.Session`;
        or a DataFrame of contract rows for one session.
    pain_before, pain_after : float, optional
        Pain (0-10) just before the first bout and just after the last one (else
        give them on those bouts). Both are required by the contract.
    date : date or 'YYYY-MM-DD', optional
        The day of the session (default today; not in the future).
    time : 'HH:MM', optional
        When the session started (default: now when ``date`` is not given, else empty).
    backup : bool
        Copy the previous version into ``.stretchlog-backups/`` first (default True).
    create : bool
        Start a new log when there is none (default True).
    dry_run : bool
        Check everything and return what would be written, writing nothing.
    catalog : Catalog, optional
        The stretch catalog (default: the built-in one).
    now : datetime, optional
        The current local time (for tests).
    lock_timeout : float
        Seconds to wait for another writer.

    Returns
    -------
    AppendResult

    Raises
    ------
    AppendError
        Nothing was written: the log is invalid, the session is (or would merge into
        an existing one), the file is read-only, the folder missing, the disk full...

    Examples
    --------
    >>> import tempfile, pathlib
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> r = append_session(log, ["reclining hip:60x3:left:t7:p5", "hamstring:10x9"],
    ...                    pain_before=6, pain_after=3, date="2026-11-01", time="21:30")
    >>> print(log.read_text(), end="")
    date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes
    2026-11-01,21:30,reclining hip,left,60,3,6,5,7,
    2026-11-01,21:30,hamstring,both,10,9,,3,,
    >>> r.first_row, r.last_row, r.created
    (2, 3, True)
    """
    sessions = _coerce_sessions(
        bouts_or_session, many=False, pain_before=pain_before, pain_after=pain_after, date=date, time=time
    )
    return _append(
        log_path, sessions, backup=backup, create=create, dry_run=dry_run, catalog=catalog, now=now,
        lock_timeout=lock_timeout,
    )


def _append(log_path, sessions, *, backup, create, dry_run, catalog, now, lock_timeout) -> AppendResult:
    catalog = catalog if catalog is not None else load_catalog()
    now = now if now is not None else _dt.datetime.now()
    given = Path(log_path)
    path = Path(os.path.realpath(given))
    folder = path.parent
    if not folder.is_dir():
        raise AppendError(
            f"the folder {given.parent} does not exist: nothing was written. Create it first, or give the "
            "path of an existing log.",
            kind="missing-folder",
        )
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _os_error(exc, "looking at the log", path) from None
    if st is not None and stat.S_ISREG(st.st_mode) and _is_read_only(st, path):
        raise AppendError(
            f"{given} is read-only, so nothing was written to it. If you mean to add to it, make it "
            f"writable first (chmod u+w '{given}').",
            kind="read-only",
        )

    def result(plan: _Plan, saved: Path | None) -> AppendResult:
        return AppendResult(
            path=path, created=plan.style.created, first_row=plan.first_row, last_row=plan.last_row,
            text=plan.text, bouts=plan.bouts, sessions=plan.labels, backup=saved, warnings=plan.warnings,
            dry_run=dry_run,
        )

    if dry_run:
        return result(_plan(path, sessions, catalog=catalog, now=now, create=create), None)

    lock = FileLock(str(folder / f".{path.name}.lock"), timeout=lock_timeout)
    try:
        lock.acquire()
    except Timeout:
        raise AppendError(
            f"another program (probably another 'stretchlog log') has been writing to {given} for "
            f"{lock_timeout:g} s: nothing was written. Try again in a moment.",
            kind="locked",
        ) from None
    except OSError as exc:
        raise _os_error(exc, "creating the lock file", path) from None
    try:
        _clean_stale(folder, f".{path.name}.")
        plan = _plan(path, sessions, catalog=catalog, now=now, create=create)
        if plan.stat is not None and _is_read_only(plan.stat, path):
            raise AppendError(f"{given} is read-only, so nothing was written to it.", kind="read-only")
        saved = _commit(plan, backup=backup, now=now)
    finally:
        lock.release()
    return result(plan, saved)


def last_session(bouts: pd.DataFrame) -> Session | None:
    """The latest session of a read log as a :class:`~stretchlog.entry.quicklog.Session` (None if empty).

    ``bouts`` is a frame as :func:`stretchlog.log.reader.read_log` returns it. The
    bouts keep their readings; use ``Bout.without_readings`` for a template.
    """
    if bouts is None or len(bouts) == 0:
        return None
    last_id = bouts["session_id"].max()
    rows = bouts.loc[bouts["session_id"].eq(last_id)].sort_values("bout")
    out = []
    for r in rows.itertuples(index=False):
        out.append(
            Bout(
                stretch=str(r.stretch),
                hold_s=float(r.hold_s),
                reps=int(r.reps),
                side=str(r.side),
                tightness=_num_or_none(r.tightness),
                pain_before=_num_or_none(r.pain_before),
                pain_after=_num_or_none(r.pain_after),
                notes=_text_or_none(r.notes),
            )
        )
    first = rows.iloc[0]
    return Session(
        bouts=tuple(out),
        date=first["date"].date(),
        time=None if pd.isna(first["time"]) else str(first["time"]),
    )
