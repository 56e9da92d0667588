"""Importing a spreadsheet kept as "one row per session" (``stretchlog import``).

Many people start a log in a spreadsheet with one row per session and lists in
cells (``stretches: pigeon; hamstring``, ``holds: 60x3; 30``). :func:`import_wide`
turns such a sheet into the contract's rows, one per bout, checks them with the
real reader, and reports every problem with the sheet's own row numbers; the CLI
then adds them with :func:`stretchlog.entry.append.append_sessions`, in one atomic write.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from pathlib import Path

import pandas as pd

from stretchlog.log import schema
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.log.errors import LogError, Problem, StretchlogWarning
from stretchlog.log.reader import load_log
from stretchlog.entry.quicklog import parse_side

__all__ = ["import_wide", "header_kind"]

_WIDE_ALIASES = {
    "date": ("date", "day"),
    "time": ("time", "start", "start_time", "session_time"),
    "stretch": ("stretches", "stretch", "exercises", "exercise"),
    "hold_s": ("holds", "hold", "hold_s", "holds_s", "hold_seconds", "seconds", "secs", "duration", "durations"),
    "reps": ("reps", "rep", "repetitions", "sets"),
    "side": ("sides", "side"),
    "tightness": ("tightness", "tight"),
    "pain_before": ("pain_before", "pain_pre", "pre_pain", "pre", "pain_start", "start_pain", "before", "pain_in"),
    "pain_after": ("pain_after", "pain_post", "post_pain", "post", "pain_end", "end_pain", "after", "pain_out"),
    "notes": ("notes", "note", "comments", "comment"),
}
_WIDE_REQUIRED = ("date", "stretch", "hold_s", "pain_before", "pain_after")
_LIST_SPLIT = re.compile(r"\s*[;|]\s*")
_HOLD_ITEM = re.compile(r"^(?P<hold>\d+(?:\.\d+)?)\s*(?:s|sec|secs)?(?:\s*[x*×]\s*(?P<reps>\d+))?$", re.I)


def _wide_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def _split_list(cell: str) -> list[str]:
    cell = cell.strip()
    if not cell:
        return []
    items = _LIST_SPLIT.split(cell) if _LIST_SPLIT.search(cell) else [s.strip() for s in cell.split(",")]
    while items and items[-1] == "":
        items.pop()
    return items


def import_wide(
    sheet: str | os.PathLike,
    *,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Read a "one row per session" sheet into contract rows, one per bout.

    The sheet is CSV with a header. Per session (row): ``date`` (YYYY-MM-DD),
    optional ``time`` (HH:MM), ``stretches`` (a list), ``holds`` (a list of
    seconds, one per stretch, or one for all; ``60x3`` also gives reps), optional
    ``reps``, ``sides`` and ``tightness`` lists, ``pain_before`` and ``pain_after``
    (one number each: before the first stretch and after the last), optional
    ``notes`` (put on the first bout). Lists are separated by ``;`` or ``|`` (or by
    commas when there is neither). Column names are matched loosely (``pre``,
    ``pain pre``, ``post``, ``seconds``, ``exercises`` ... work); other columns are
    ignored with a warning.

    Returns
    -------
    DataFrame
        The contract's columns (``date``, ``time``, ``stretch``, ``side``, ``hold_s``,
        ``reps``, ``pain_before``, ``pain_after``, ``tightness``, ``notes``) plus
        ``sheet_row`` (the session's row in the sheet, header = 1), one row per bout,
        checked by the log reader. Pass it to :func:`append_sessions`.

    Raises
    ------
    LogError
        Every bad row at once: sheet row, column (and list item), value, expected.

    Warns
    -----
    StretchlogWarning
        For columns that are ignored.
    """
    catalog = catalog if catalog is not None else load_catalog()
    name = str(sheet)
    try:
        raw = Path(sheet).read_bytes()
    except FileNotFoundError:
        raise LogError(
            [Problem(None, None, None, "a one-row-per-session sheet, but there is no such file")], name
        ) from None
    except IsADirectoryError:
        raise LogError([Problem(None, None, None, "a one-row-per-session sheet, but this is a folder")], name) from None
    except OSError as exc:
        raise LogError([Problem(None, None, None, f"a readable file ({exc.strerror or exc})")], name) from None
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise LogError(
            [Problem(None, None, None, "CSV text, but this is a spreadsheet workbook: in your spreadsheet choose "
                     "File > Save as (or Download) > 'CSV UTF-8 (comma-delimited)'")],
            name,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LogError(
            [Problem(None, None, None, "UTF-8 text: save the sheet as 'CSV UTF-8 (comma-delimited)'")], name
        ) from None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise LogError(
            [Problem(None, None, None, f"readable CSV ({exc}): a double quote that is never closed joins rows into "
                     'one cell; remove the stray quote, or write it twice ("") inside a quoted cell')],
            name,
        ) from None
    if not records or not any(c.strip() for c in records[0]):
        raise LogError([Problem(1, None, None, "a header row naming the columns (the sheet is empty)")], name)
    header = records[0]
    lookup = {alias: col for col, aliases in _WIDE_ALIASES.items() for alias in aliases}
    where: dict[str, int] = {}
    shown: dict[str, str] = {}
    problems: list[Problem] = []
    ignored = []
    for i, h in enumerate(header):
        col = lookup.get(_wide_key(h))
        if col is None:
            if h.strip():
                ignored.append(h)
            continue
        if col in where:
            problems.append(Problem(1, h, h, f"one column for {col}, but '{shown[col]}' is one too"))
            continue
        where[col], shown[col] = i, h
    missing = [c for c in _WIDE_REQUIRED if c not in where]
    if missing:
        if len(header) == 1 and ";" in header[0]:
            expected = ("comma-separated values, but this sheet looks semicolon-separated: export it with commas "
                        "as separators ('CSV UTF-8 (comma-delimited)')")
            raise LogError([Problem(1, None, None, expected)], name)
        for c in missing:
            problems.append(
                Problem(1, None, None, f"a column for {c} (any of: {', '.join(_WIDE_ALIASES[c])})")
            )
        raise LogError(problems, name)
    if problems:
        raise LogError(problems, name)
    if ignored:
        warnings.warn(
            f"{name}: column(s) {', '.join(repr(h) for h in ignored)} are not part of a session and were ignored",
            StretchlogWarning,
            stacklevel=2,
        )

    out_rows: list[dict] = []
    origin: list[tuple[int, int]] = []  # (sheet row, item no.) per contract row
    sessions_at: dict[tuple[str, str], int] = {}

    def cell(rec, col):
        i = where.get(col)
        return rec[i].strip() if i is not None and i < len(rec) else ""

    for row_no, rec in enumerate(records[1:], start=2):
        if not any(c.strip() for c in rec):
            continue
        bad = False

        def problem(col, value, expected, item=None):
            nonlocal bad
            bad = True
            label = shown.get(col, col) + (f" (item {item})" if item is not None else "")
            problems.append(Problem(row_no, label, value, expected))

        if len(rec) > len(header):
            problem("stretch", None, f"{len(header)} cells as in the header, but this row has {len(rec)}: "
                    "a cell with commas needs double quotes around it")
            continue
        stretches = _split_list(cell(rec, "stretch"))
        if not stretches:
            problem("stretch", cell(rec, "stretch"), "a list of the stretches done, e.g. 'reclining hip; hamstring'")
            continue
        for k, s in enumerate(stretches, start=1):
            if not s:
                problem("stretch", "", "a stretch name (two separators in a row)", k)
        n = len(stretches)

        def listed(col, *, broadcast: bool):
            items = _split_list(cell(rec, col))
            if not items:
                return [None] * n
            if len(items) == 1 and broadcast:
                return items * n
            if len(items) != n:
                problem(col, cell(rec, col), f"one value per stretch ({n} stretches, {len(items)} values)"
                        + (", or one value for all" if broadcast else ""))
                return [None] * n
            return items

        holds = listed("hold_s", broadcast=True)
        reps_l = listed("reps", broadcast=True)
        sides = listed("side", broadcast=True)
        tights = listed("tightness", broadcast=False)
        hold_v, reps_v, side_v = [], [], []
        for k in range(n):
            h, r, s = holds[k], reps_l[k], sides[k]
            if h is None:
                if not _split_list(cell(rec, "hold_s")) and k == 0:
                    problem("hold_s", "", "the hold in seconds, one per stretch or one for all; it is required")
                hold_v.append("")
                reps_v.append(r or "")
            else:
                m = _HOLD_ITEM.match(h)
                if not m:
                    problem("hold_s", h, "a number of seconds, e.g. 60 (or 60x3 for 3 reps)", k + 1)
                    hold_v.append("")
                    reps_v.append(r or "")
                else:
                    hold_v.append(m["hold"])
                    if m["reps"] and r is not None and r != m["reps"]:
                        problem("reps", r, f"the reps once: the hold '{h}' gives {m['reps']} already", k + 1)
                    reps_v.append(m["reps"] or r or "")
            side = "" if s is None else (parse_side(s) or s)
            side_v.append(side)
        date_txt, time_txt = cell(rec, "date"), cell(rec, "time")
        key = (date_txt, time_txt)
        if key in sessions_at and date_txt:
            when = f"{date_txt} at {time_txt}" if time_txt else f"{date_txt} with no time"
            problem("time" if "time" in where else "date", time_txt or date_txt,
                    f"one session per row, but row {sessions_at[key]} is also on {when}: the two would be read as "
                    "one session; give each a time")
        sessions_at.setdefault(key, row_no)
        if bad:
            continue
        for k in range(n):
            out_rows.append(
                {
                    "date": date_txt,
                    "time": time_txt,
                    "stretch": stretches[k],
                    "side": side_v[k],
                    "hold_s": hold_v[k],
                    "reps": reps_v[k],
                    "pain_before": cell(rec, "pain_before") if k == 0 else "",
                    "pain_after": cell(rec, "pain_after") if k == n - 1 else "",
                    "tightness": tights[k] or "",
                    "notes": cell(rec, "notes") if k == 0 else "",
                }
            )
            origin.append((row_no, k + 1))

    # the reader judges every value; its rows map back to the sheet's
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(schema.CONTRACT_COLUMNS)
    for r in out_rows:
        writer.writerow([r[c] for c in schema.CONTRACT_COLUMNS])
    loaded = None
    if out_rows:
        try:
            loaded = load_log(_named_bytes(buf.getvalue().encode("utf-8"), name), catalog=catalog)
        except LogError as exc:
            per_session = {"date", "time", "pain_before", "pain_after", "notes"}
            for p in exc.problems:
                if p.row is None or p.row < 2 or p.row - 2 >= len(origin):
                    problems.append(p)
                    continue
                sheet_row, item = origin[p.row - 2]
                col = p.column or ""
                label = shown.get(col, col)
                if col and col not in per_session and len(_split_list(cell(records[sheet_row - 1], col))) > 1:
                    label += f" (item {item})"
                problems.append(Problem(sheet_row, label or None, p.value, p.expected))
    if problems:
        unique = list(dict.fromkeys(problems))
        raise LogError(sorted(unique, key=lambda p: (p.row or 0)), name)
    if loaded is None:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in (*schema.CONTRACT_COLUMNS, "sheet_row")})
    b = loaded.bouts.sort_values("row").reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "date": b["date"],
            "time": b["time"],
            "stretch": b["stretch"],
            "side": b["side"].astype("str"),
            "hold_s": b["hold_s"],
            "reps": b["reps"],
            "pain_before": b["pain_before"],
            "pain_after": b["pain_after"],
            "tightness": b["tightness"],
            "notes": b["notes"],
            "sheet_row": [origin[r - 2][0] for r in b["row"]],
        }
    )
    return frame


def header_kind(path: str | os.PathLike) -> str | None:
    """What the first row of a file says it is: ``"log"``, ``"sheet"`` or None.

    ``"log"``: the header names the stretch log's own columns (``date``, ``stretch``,
    ``hold_s``: one row per bout). ``"sheet"``: it is not a log's, and names every
    column a one-row-per-session sheet needs. None: a missing or unreadable file, or
    neither. Only the first 64 KiB are read; used to tell a user who swapped the
    arguments of ``stretchlog import`` what to run instead.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "log.csv").write_text("date,time,stretch,hold_s,pain_before,pain_after\\n")
    48
    >>> (folder / "sheet.csv").write_text("date,stretches,holds,pre,post\\n")
    30
    >>> header_kind(folder / "log.csv"), header_kind(folder / "sheet.csv"), header_kind(folder / "none.csv")
    ('log', 'sheet', None)
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        return None
    try:
        first = next(csv.reader(io.StringIO(head.decode("utf-8-sig", errors="replace"), newline="")), [])
    except csv.Error:
        return None
    log_names = {re.sub(r"[\s\-]+", "_", h.strip().lower()) for h in first}
    if set(schema.REQUIRED_COLUMNS) <= log_names:
        return "log"
    lookup = {alias: col for col, aliases in _WIDE_ALIASES.items() for alias in aliases}
    if set(_WIDE_REQUIRED) <= {lookup.get(_wide_key(h)) for h in first}:
        return "sheet"
    return None


def _named_bytes(data: bytes, name: str) -> io.BytesIO:
    """Bytes the reader can read, with ``name`` for its messages."""
    buf = io.BytesIO(data)
    buf.name = name
    return buf
