"""Reading and writing log files: the only module that parses or writes a log's text.

:func:`load_log` turns a CSV file in the contract's format into a clean, typed
frame of bouts (with session, bout order, canonical stretch and segment), or
raises :class:`~stretchlog.log.errors.LogError` listing every problem at once, each
with the row as a spreadsheet shows it (header = row 1), the column, the value and
what was expected. Kept-but-suspicious input (unknown stretch names, extra columns,
empty rows) comes back as warnings.

How a file is read, in order, failing fast where the rest cannot be read:

1. bytes: empty, binary, a spreadsheet workbook, UTF-16 or not UTF-8 -> one clear
   problem (only the first 64 KiB is looked at for binary input);
2. header: semicolon- or tab-separated files, duplicated and missing columns;
3. cells: each text cell parsed to its type, with hints for the usual spreadsheet
   conventions (``22/11/2026``, ``7/10``, ``6,5``, ``7:15 AM``, ``L``, R's ``NA``);
   control characters, overlong cells and cells that swallowed rows (a stray
   double quote) are reported in any column;
4. ranges and allowed values: the pandera schema :data:`stretchlog.log.schema.INPUT`, whose
   bounds (dates 1900-2099, reps up to 1000, ...) are docs/log-format.md's;
5. sessions and pain chains: :mod:`stretchlog.log.chains`.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Union

import numpy as np
import pandas as pd
import pandera.pandas as pa

from stretchlog.log import chains

from stretchlog.log import schema
from stretchlog.log.catalog import Catalog, custom_id, load_catalog
from stretchlog.log.errors import LogError, Problem, StretchlogWarning

__all__ = ["LoadedLog", "load_log", "read_log", "write_log", "to_csv_text", "MAX_PROBLEMS"]

Source = Union[str, os.PathLike, IO[str], IO[bytes]]

#: At most this many problems are kept in a LogError (the rest are counted).
MAX_PROBLEMS = 1000
_HEAD_BYTES = 64 * 1024
_KNOWN = schema.CONTRACT_COLUMNS + schema.OPTIONAL_COLUMNS
_RESERVED = set(schema.DERIVED_COLUMNS)


@dataclass(frozen=True)
class LoadedLog:
    """A log file read and checked.

    Attributes
    ----------
    bouts : DataFrame
        One row per bout, sorted by session and bout order (see :func:`read_log`).
    warnings : tuple of Problem
        Input kept but worth a look: unknown stretch names (kept as custom
        stretches), extra columns (kept), empty rows (skipped).
    source : str
        The file name, or ``"<buffer>"``.
    """

    bouts: pd.DataFrame = field(repr=False)
    warnings: tuple[Problem, ...]
    source: str


class _Collector:
    """Problems found so far, capped at MAX_PROBLEMS (the rest only counted)."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self.seen: set[tuple[int | None, str | None]] = set()

    def add(self, problem: Problem) -> None:
        key = (problem.row, problem.column)
        if problem.row is not None and key in self.seen:
            return
        self.seen.add(key)
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(problem)
        else:
            self.more += 1

    def add_mask(self, raw: pd.Series, rows: np.ndarray, mask: np.ndarray, column: str, hint) -> None:
        """One problem per True in ``mask``; ``hint(value)`` says what was expected."""
        idx = np.flatnonzero(mask)
        room = max(0, MAX_PROBLEMS - len(self.items))
        for i in idx[:room]:
            value = raw.iat[i]
            self.add(Problem(int(rows[i]), column, value, hint(value)))
        self.more += max(0, len(idx) - room)

    def __bool__(self) -> bool:
        return bool(self.items) or self.more > 0


# --------------------------------------------------------------------------- bytes


def _read_source(source: Source) -> tuple[bytes, str]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(source)
        try:
            with open(path, "rb") as fh:
                head = fh.read(_HEAD_BYTES)
                _check_head(head, name)
                _check_header_line(head, name)
                return head + fh.read(), name
        except FileNotFoundError:
            raise _file_problem("a log file, but there is no such file (check the name and the folder)", name) from None
        except IsADirectoryError:
            raise _file_problem("a log file, but this is a folder", name) from None
        except PermissionError:
            raise _file_problem("a file you may read, but permission to read it is denied", name) from None
        except OSError as exc:
            raise _file_problem(f"a readable file, but it cannot be read ({exc.strerror or exc})", name) from None
    name = getattr(source, "name", "<buffer>")
    data = source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    _check_head(data[:_HEAD_BYTES], str(name))
    _check_header_line(data[:_HEAD_BYTES], str(name))
    return data, str(name)


def _file_problem(expected: str, name: str) -> LogError:
    return LogError([Problem(None, None, None, expected)], name)


_SIGNATURES = {
    b"PK\x03\x04": "an Excel or OpenDocument workbook (a zip file), not CSV text",
    b"\xd0\xcf\x11\xe0": "an old-style Excel workbook (.xls), not CSV text",
    b"%PDF": "a PDF document, not CSV text",
}
_EXPORT = "in your spreadsheet choose File > Save as (or Download) > 'CSV UTF-8 (comma-delimited)'"


#: Control characters other than CR, LF and tab, and the replacement for undecodable bytes.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def _check_head(head: bytes, name: str) -> None:
    """Fail fast on input that cannot be a CSV log, looking at its first bytes only."""
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        raise _file_problem(
            "a CSV log with a header row (this file is empty); the header needs at least "
            + ", ".join(schema.REQUIRED_COLUMNS),
            name,
        )
    for sig, what in _SIGNATURES.items():
        if head.startswith(sig):
            raise _file_problem(f"CSV text, but this is {what}: {_EXPORT}", name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in head[:200] and head[1:200:2].count(0) > 50):
        raise _file_problem(f"UTF-8 text, but this file is UTF-16 encoded: {_EXPORT}", name)
    if b"\x00" in head:
        pos = head.index(b"\x00")
        raise _file_problem(f"CSV text, but this is a binary file (a zero byte at byte {pos + 1})", name)
    text = head.decode("utf-8", errors="replace")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 20):
        raise _file_problem("CSV text, but this looks like a binary file (mostly unreadable bytes)", name)


def _check_header_line(head: bytes, name: str) -> None:
    """Fail fast when the first line is not a header at all (no contract column in it).

    A file whose first line names some contract columns goes on to the full check,
    so that every problem (missing columns and bad cells alike) is reported at once.
    """
    if b"\r" in head and b"\n" not in head:
        raise _file_problem(
            "rows ending in LF or CRLF, but this file uses old Mac line ends (CR only): "
            + _EXPORT,
            name,
        )
    line = head.split(b"\n", 1)[0]
    if len(line) >= _HEAD_BYTES:
        raise _file_problem("a header row first (this file has no line break in its first 64 KiB)", name)
    text = line.decode("utf-8", errors="replace").lstrip("\ufeff")
    # quoting is CSV syntax, not content: '"date","stretch"' names the same columns
    cells = {_norm_header(c.strip().strip("\"")) for c in re.split(r"[,;\t]", text)}
    if not cells & set(_KNOWN):
        shown = text.strip()[:60]
        raise LogError(
            [
                Problem(
                    1,
                    None,
                    shown,
                    "a header row naming the columns, at least "
                    + ", ".join(schema.REQUIRED_COLUMNS)
                    + " (this first row names none of the log's columns)",
                )
            ],
            name,
        )


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = _row_at(raw, exc.start)
        byte = raw[exc.start]
        try:
            guess = bytes([byte]).decode("cp1252")
            legacy = f" (in Windows-1252/Latin-1 that byte is '{guess}')"
        except UnicodeDecodeError:
            legacy = ""
        raise LogError(
            [
                Problem(
                    row,
                    None,
                    None,
                    f"UTF-8 text, but byte 0x{byte:02X} at row {row} is not UTF-8{legacy}: the file "
                    f"looks like it was saved in a legacy encoding such as Windows-1252 or "
                    f"Latin-1. To fix it, {_EXPORT}",
                )
            ],
            name,
        ) from None


def _row_at(raw: bytes, pos: int) -> int:
    """The row (as a spreadsheet counts rows: quoted line breaks stay in their row) holding byte ``pos``."""
    prefix = raw[:pos].decode("utf-8", errors="replace")
    try:
        # a sentinel lands in the record that holds the byte, however the prefix ends
        return sum(1 for _ in csv.reader(io.StringIO(prefix + "x", newline="")))
    except csv.Error:
        return raw.count(b"\n", 0, pos) + 1


# --------------------------------------------------------------------------- header


def _norm_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _first_record(text: str, delimiter: str = ",") -> list[str]:
    """The first CSV record of ``text`` (the header), quotes and line ends read as CSV does."""
    head = text[: 2 * _HEAD_BYTES]  # the header line is shorter than 64 KiB (see _check_header_line)
    return next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])


def _column_label(written: str, position: int) -> str:
    """A column's name as messages show it: as written, or 'column N' when it cannot be shown."""
    ok = 0 < len(written) <= schema.COLUMN_NAME_MAX_CHARS and written.isprintable()
    return written if ok else f"column {position}"


def _header(text: str, name: str, problems: _Collector, warns: list[Problem]) -> tuple[list[str], list[str]]:
    """Parse the header row; returns (normalised names, names as written)."""
    try:
        written = _first_record(text)
    except csv.Error as exc:
        raise LogError([Problem(1, None, None, f"a readable header row ({exc})")], name) from None
    if len(written) > schema.COLUMNS_MAX:
        raise LogError(
            [
                Problem(
                    1,
                    None,
                    None,
                    f"a header of at most {schema.COLUMNS_MAX} columns, but this one has {len(written)}: "
                    "is the first row really the header?",
                )
            ],
            name,
        )
    names = [_norm_header(h) for h in written]
    if not set(schema.REQUIRED_COLUMNS) <= set(names):
        for sep, label in ((";", "semicolon"), ("\t", "tab")):
            try:
                alt = [_norm_header(h) for h in _first_record(text, sep)]
            except csv.Error:
                continue
            if set(schema.REQUIRED_COLUMNS) <= set(alt):
                raise LogError(
                    [
                        Problem(
                            1,
                            None,
                            None,
                            f"comma-separated values, but this file looks {label}-separated "
                            f"(its header splits on '{sep}'). Spreadsheets set to a European "
                            "locale do this; export with commas as separators and a decimal "
                            f"point in numbers: {_EXPORT}",
                        )
                    ],
                    name,
                )
    for pos, shown in enumerate(written, start=1):
        if len(shown) > schema.COLUMN_NAME_MAX_CHARS:
            problems.add(
                Problem(
                    1,
                    f"column {pos}",
                    shown,
                    f"a column name of at most {schema.COLUMN_NAME_MAX_CHARS} characters (this one has "
                    f"{len(shown)}){_quote_hint(shown)}",
                )
            )
        elif _CELL_CONTROL.search(shown) or "\n" in shown or "\r" in shown:
            problems.add(Problem(1, f"column {pos}", shown, "a column name on one line, without control characters"))
    seen: dict[str, int] = {}
    for pos, (norm, shown) in enumerate(zip(names, written), start=1):
        if norm in seen:
            problems.add(
                Problem(1, shown, shown, f"each column once, but '{shown}' is columns {seen[norm]} and {pos}")
            )
        elif norm:
            seen[norm] = pos
    for col in schema.REQUIRED_COLUMNS:
        if col not in seen:
            meaning = schema.column_meta(col)["meaning"]
            problems.add(Problem(1, col, None, f"a column named '{col}' ({meaning}); it is required"))
    for norm, shown in zip(names, written):
        if norm and norm not in _KNOWN and norm not in _RESERVED:
            warns.append(Problem(1, shown, None, "is not a column of the log format; it is kept as it is", "warning"))
        elif norm in _RESERVED:
            warns.append(
                Problem(1, shown, None, f"is a name stretchlog uses itself; the column is kept as 'extra_{norm}'", "warning")
            )
    return names, written


# --------------------------------------------------------------------------- cells
#
# Each parser takes a column's *distinct* values (a log repeats the same dates,
# names and numbers over and over) and returns the typed values and a mask of the
# bad ones; _parse_column spreads them back over the rows. Parsing the distinct
# values only keeps a million-row log fast without per-row Python work.

# ASCII digits only: Python's \d also matches other scripts' digits ('٣', '６'), which
# pandas cannot read as numbers; they would come back empty instead of as a problem.
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_IS_NUMBER = re.compile(rf"^{_NUMBER}$")
#: Control characters a cell may not hold (tab, CR and LF are text; DEL is not).
_CELL_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CELL_CONTROL.match(chr(b)))
#: Whole numbers above this are not exact as floats: reported, never rounded.
_EXACT_WHOLE = 2.0**53
#: What people and programs write for "no value"; the contract's is an empty cell.
_MISSING_MARKERS = {"na", "n/a", "nan", "null", "none", "#n/a", "-", "--", "?"}
_R_NA = 'write empty cells, not NA: in R use write.csv(..., na = "")'


def _missing_hint(value: str) -> str:
    """A fix for a value that stands for "missing" (R's NA, pandas' nan, Excel's #N/A), else ''."""
    v = value.strip()
    if v == "NA":
        return f"; {_R_NA}"
    if v.lower() == "#n/a":
        return "; #N/A is a spreadsheet formula error: fix the formula, or leave the cell empty"
    if v.lower() in _MISSING_MARKERS:
        return f"; leave the cell empty for a missing value, not '{v}'"
    return ""


def _quote_hint(value: str) -> str:
    """A note on a cell that holds line breaks or is very long: the mark of a stray double quote."""
    lines = value.count("\n") + value.count("\r") - value.count("\r\n")
    if lines or len(value) > schema.CELL_MAX_CHARS:
        joined = f" runs over {lines + 1} lines" if lines else f" has {len(value)} characters"
        return (
            f". This cell{joined}: a double quote opened in it (or before it) and closed much later "
            'joins rows into one cell; remove the stray quote, or write it twice ("") inside a quoted cell'
        )
    return ""


def _parse_column(
    raw: pd.Series, rows: np.ndarray, column: str, parse, hint, problems: _Collector, control: bool = True
) -> pd.Series:
    codes, uniques = pd.factorize(raw, sort=False)
    uniques = pd.Series(uniques, dtype="str")
    damaged = _bad_cells(uniques, control)
    if damaged.any():  # reported first: the one problem kept for the cell
        problems.add_mask(raw, rows, damaged[codes], column, _cell_hint)
    values_u, bad_u = parse(uniques)
    values = pd.Series(values_u.array.take(codes), index=raw.index)
    problems.add_mask(raw, rows, np.asarray(bad_u)[codes], column, hint)
    return values


def _number_hint(column: str):
    expected = schema.column_meta(column)["expected"]

    def hint(value: str) -> str:
        v = value.strip()
        if _IS_NUMBER.match(v):
            return expected  # a number, but not a whole one, or too large to be one
        if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?\s*/\s*10", v):
            return f"{expected}: write just the number ({v.split('/')[0].strip()}), not a fraction"
        if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", v):
            return f"{expected}, with a decimal point ({v.replace(',', '.')}), not a decimal comma"
        if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?\s*(?:s|sec|secs|seconds|x|%)", v, flags=re.I):
            return f"{expected}: a bare number with no unit"
        missing = _missing_hint(v)
        if missing:
            return expected + missing
        if re.fullmatch(r"[+-]?(?:inf|infinity)", v, flags=re.I) or re.fullmatch(r"[+-]?0[xX][0-9a-fA-F]+", v):
            return f"{expected}, written as plain decimal digits"
        if re.search(r"\d", v) and not re.search(r"[0-9]", v):
            return f"{expected}, written with the digits 0-9"
        if re.search(r"[A-Za-z]", v):
            return f"{expected}, written in digits"
        return expected + _quote_hint(value)

    return hint


def _numbers(whole: bool):
    def parse(text: pd.Series):
        t = text.str.strip()
        empty = t.eq("")
        ok = t.str.fullmatch(_IS_NUMBER.pattern) & ~empty
        values = pd.to_numeric(t.where(ok), errors="coerce").astype("float64")
        values = values + 0.0  # -0 is 0
        # a number pandas cannot read is a problem, never an empty cell
        ok = ok & values.notna()
        bad = ~ok & ~empty
        if whole:
            # fractions, and numbers too large to be exact whole numbers (1e400, fifty 9s):
            # the hint states the column's range
            frac = values.notna() & ((values.abs() > _EXACT_WHOLE) | (values != np.floor(values.fillna(0))))
            bad = bad | frac
            return values.where(~frac).round().astype("Int64"), bad.to_numpy()
        return values, bad.to_numpy()

    return parse


_DATE_RANGE = f"a date from {schema.DATE_MIN} to {schema.DATE_MAX}"


def _date_hint(value: str) -> str:
    v = value.strip()
    base = schema.column_meta("date")["expected"]
    if v == "":
        return f"{base}; the date is required"
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v) and not schema.DATE_MIN <= v <= schema.DATE_MAX:
        return f"{_DATE_RANGE}, written YYYY-MM-DD"
    if re.fullmatch(r"[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{2,4}", v):
        return (
            f"{base}: this looks like a spreadsheet's local date format (day/month/year or "
            "month/day/year), which is ambiguous; format the column as YYYY-MM-DD before exporting"
        )
    if re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", v):
        return f"{base}: this is not a real calendar date"
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ].*", v):
        return f"{base}: the date alone, with the time (if any) in the 'time' column"
    missing = _missing_hint(v)
    if missing:
        return f"{base}; the date is required{missing}"
    return base + _quote_hint(value)


def _dates(text: pd.Series):
    t = text.str.strip()
    # the bounds first: pandas' dates end in 2262 and a year 0001 would not fit
    ok = t.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}") & t.ge(schema.DATE_MIN) & t.le(schema.DATE_MAX)
    parsed = pd.to_datetime(t.where(ok), format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    return parsed, parsed.isna().to_numpy()


def _time_hint(value: str) -> str:
    base = schema.column_meta("time")["expected"]
    if re.search(r"[ap]\.?m\.?$", value.strip(), flags=re.I):
        return f"{base}: 24-hour time without AM/PM (7:15 PM is 19:15)"
    return base + (_missing_hint(value) or _quote_hint(value))


def _times(text: pd.Series):
    t = text.str.strip()
    m = t.str.extract(r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$")
    hh = pd.to_numeric(m[0], errors="coerce")
    mm = pd.to_numeric(m[1], errors="coerce")
    ss = pd.to_numeric(m[2], errors="coerce").fillna(0)
    ok = m[0].notna() & hh.le(23) & mm.le(59) & ss.le(59)
    out = (m[0].str.zfill(2) + ":" + m[1]).where(ok).astype("str")
    return out, (~ok & t.ne("")).to_numpy()


_SIDE_HINTS = {
    "l": "left", "r": "right", "b": "both", "lt": "left", "rt": "right", "bilateral": "both",
    "left side": "left", "right side": "right", "both sides": "both", "lr": "both", "l/r": "both",
}


def _side_hint(value: str) -> str:
    expected = schema.column_meta("side")["expected"]
    suggestion = _SIDE_HINTS.get(value.strip().lower())
    if suggestion:
        return f"{expected}: did you mean '{suggestion}'?"
    return expected + (_missing_hint(value) or _quote_hint(value))


def _sides(text: pd.Series):
    t = text.str.strip().str.lower()
    t = t.where(t.ne(""), "both")
    ok = t.isin(schema.SIDES)
    return t.where(ok).astype("str"), (~ok).to_numpy()


_STRETCH = f"the name of a stretch, on one line, at most {schema.STRETCH_MAX_CHARS} characters"


def _stretch_hint(value: str) -> str:
    v = value.strip()
    if v == "":
        return "the name of a stretch; it is required"
    if v == "NA":
        return f"the name of a stretch; it is required: {_R_NA}"
    return _STRETCH + _quote_hint(value)


def _stretches(text: pd.Series):
    t = text.str.strip()
    bad = t.eq("") | t.eq("NA") | t.str.len().gt(schema.STRETCH_MAX_CHARS) | t.str.contains(r"[\r\n]", regex=True)
    return t.where(~bad).astype("str"), bad.to_numpy()


def _cell_hint(value: str) -> str:
    """What a cell that :func:`_bad_cells` found should have been."""
    found = _CELL_CONTROL.search(value)
    if found:
        return (
            f"text without control characters, but this cell has U+{ord(found.group()):04X} at character "
            f"{found.start() + 1}: the file looks damaged; retype the cell or export the file again"
        )
    return f"a cell of at most {schema.CELL_MAX_CHARS} characters, but this one has {len(value)}" + _quote_hint(value)


def _bad_cells(uniques: pd.Series, control: bool) -> np.ndarray:
    """Distinct cells no column may hold: control characters (a damaged file), or too long."""
    bad = uniques.str.len().gt(schema.CELL_MAX_CHARS).to_numpy()
    if control:
        bad = bad | uniques.str.contains(_CELL_CONTROL.pattern, regex=True).to_numpy()
    return bad


def _swallowed_rows(cell: str, width: int) -> int:
    """Lines after the first of a multi-line cell that split into a whole row of cells."""
    if width < 2:
        return 0
    lines = re.split(r"\r\n|\r|\n", cell)[1:]
    return sum(1 for line in lines if line.count(",") >= width - 1)


def _text_columns(
    raw: pd.DataFrame,
    rows: np.ndarray,
    columns: dict[str, str],
    control: bool,
    problems: _Collector,
    warns: list[Problem],
    width: int,
) -> None:
    """Check the columns kept as text (notes, your own columns), whose cells may span lines.

    Reported: :func:`_bad_cells`, and a cell holding lines that split into a whole row
    of the file's ``width`` cells (a stray quote swallowed them). Notes that are
    exactly 'NA' are kept as text, with one warning: R writes NA for "no note"
    unless told otherwise.
    """
    for column, label in columns.items():
        codes, uniques = pd.factorize(raw[column], sort=False)
        u = pd.Series(uniques, dtype="str")
        bad = _bad_cells(u, control)
        if bad.any():
            problems.add_mask(raw[column], rows, bad[codes], label, _cell_hint)
        multiline = np.flatnonzero(u.str.contains("[\r\n]", regex=True).to_numpy())
        swallowed = np.zeros(len(u), bool)
        for i in multiline:
            swallowed[i] = _swallowed_rows(u.iat[i], width) > 0
        if swallowed.any():
            problems.add_mask(
                raw[column],
                rows,
                swallowed[codes],
                label,
                lambda v: (
                    f"text, but this cell holds {_swallowed_rows(v, width)} line(s) that look like rows of the "
                    "log: a double quote opened in it (or before it) and closed much later joins rows into one "
                    'cell; remove the stray quote, or write it twice ("") inside a quoted cell'
                ),
            )
        if column == "notes" and u.eq("NA").any():
            na = codes == int(np.flatnonzero(u.eq("NA").to_numpy())[0])
            n = int(na.sum())
            warns.append(
                Problem(
                    int(rows[na][0]),
                    "notes",
                    "NA",
                    f"is kept as the text 'NA' ({n} row{'s' if n != 1 else ''}). If it means 'no note' "
                    f"(R writes NA for a missing value), {_R_NA}",
                    "warning",
                )
            )


# --------------------------------------------------------------------------- schema


def _schema_problems(typed: pd.DataFrame, raw: pd.DataFrame, problems: _Collector) -> None:
    try:
        schema.INPUT.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for rec in cases.itertuples(index=False):
            col = rec.column
            if col is None or rec.index is None or pd.isna(rec.index):
                continue
            row = int(rec.index)
            value = raw.at[row, col] if col in raw.columns else str(rec.failure_case)
            check = str(rec.check)
            if check in ("not_nullable",) or check.startswith(("dtype(", "coerce_dtype(")):
                expected = schema.column_meta(col)["expected"]
                if value.strip() == "":
                    expected += "; it is required"
            else:
                expected = check
            problems.add(Problem(row, col, value, expected))


# --------------------------------------------------------------------------- main


def _stretch_ids(names: pd.Series, catalog: Catalog, rows, warns: list[Problem]) -> tuple[pd.Series, pd.Series]:
    uniq = pd.unique(names.dropna())
    mapping: dict[str, str] = {}
    custom: dict[str, bool] = {}
    choices = {}
    for s in catalog:
        for label in (s.name, *s.aliases):
            choices[label.lower()] = s.name
    for name in uniq:
        hit = catalog.match(name)
        if hit is not None:
            mapping[name] = hit.id
            custom[name] = False
            continue
        mapping[name] = custom_id(name)
        custom[name] = True
    ids = names.map(mapping)
    is_custom = names.map(custom).fillna(False).astype(bool)
    if is_custom.any():
        counts = ids[is_custom].value_counts()
        first_rows = pd.Series(rows, index=names.index)[is_custom].groupby(ids[is_custom]).min()
        for cid, first_row in first_rows.sort_values().items():
            typed = names[ids.eq(cid)].iloc[0]
            close = difflib.get_close_matches(typed.lower(), list(choices), n=1, cutoff=0.75)
            hint = f" Did you mean '{choices[close[0]]}'?" if close else ""
            warns.append(
                Problem(
                    int(first_row),
                    "stretch",
                    typed,
                    f"is not in the catalog; kept as your own stretch '{cid}' "
                    f"({int(counts[cid])} bout{'s' if counts[cid] != 1 else ''}).{hint} "
                    "See 'stretchlog catalog' for names, or add it to your own catalog file.",
                    "warning",
                )
            )
    return ids, is_custom


def load_log(source: Source, *, catalog: Catalog | None = None) -> LoadedLog:
    """Read a log file and check it against the contract, keeping the warnings.

    Parameters
    ----------
    source : path or file-like
        A CSV file in the contract's format (see the README), or an open text or
        binary buffer.
    catalog : Catalog, optional
        The stretch catalog to match names against (default: the built-in one).

    Returns
    -------
    LoadedLog
        The clean bouts and the warnings.

    Raises
    ------
    LogError
        If the file breaks the contract; ``problems`` lists every problem found.

    Examples
    --------
    >>> import io
    >>> text = '''date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes
    ... 2026-11-01,21:30,reclining hip stretch,left,60,3,6,5,7,
    ... 2026-11-01,21:30,reclining hip stretch,right,60,3,,4,5,
    ... 2026-11-01,21:30,hamstring stretch,both,10,9,,,6,flexed quads
    ... 2026-11-01,21:30,psoas stretch 1,left,45,2,,3,8,
    ... 2026-11-02,07:15,knees to chest,both,30,4,5,4,,
    ... '''
    >>> log = load_log(io.StringIO(text))
    >>> log.bouts[["session_id", "bout", "stretch_id", "segment_id"]].to_numpy().tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[1, 1, 'reclining-hip-stretch', 1], [1, 2, 'reclining-hip-stretch', 2],
     [1, 3, 'standing-hamstring-stretch', 3], [1, 4, 'psoas-stretch-kneeling', 3],
     [2, 1, 'double-knees-to-chest', 4]]
    >>> log.warnings
    ()
    """
    catalog = catalog if catalog is not None else load_catalog()
    data, name = _read_source(source)
    text = _decode(data, name)
    # control characters are looked for in the whole file first (one pass in C; in
    # UTF-8 they are single bytes), so a good file pays almost nothing for the check
    control = bool(data.translate(None, _NOT_CONTROL_BYTES))
    del data
    problems = _Collector()
    warns: list[Problem] = []
    names, written = _header(text, name, problems, warns)

    raw, rows_all = _read_cells(text, name, written, problems)
    raw.columns = [n if n else f"_unnamed_{i}" for i, n in enumerate(names)]
    raw, rows = _drop_empty_rows(raw, rows_all, warns)
    raw = _drop_unnamed_columns(raw, problems)
    # one column per name: duplicates were reported, keep the first
    raw = raw.loc[:, ~raw.columns.duplicated()]
    del text
    shown = dict(reversed([(n, _column_label(w, i)) for i, (n, w) in enumerate(zip(names, written), start=1)]))
    text_columns = {c: c if c in _KNOWN else shown.get(c, c) for c in raw.columns if c == "notes" or c not in _KNOWN}
    _text_columns(raw, rows, text_columns, control, problems, warns, len(written))

    typed = pd.DataFrame(index=raw.index)
    typed["row"] = rows

    def col(column: str, parse, hint, default):
        if column in raw:
            typed[column] = _parse_column(raw[column], rows, column, parse, hint, problems, control)
        elif default is not None:
            typed[column] = default

    col("date", _dates, _date_hint, None)
    col("time", _times, _time_hint, pd.Series(np.nan, index=raw.index, dtype="str"))
    col("stretch", _stretches, _stretch_hint, None)
    col("side", _sides, _side_hint, pd.Series("both", index=raw.index, dtype="str"))
    col("hold_s", _numbers(False), _number_hint("hold_s"), None)
    col("reps", _numbers(True), _number_hint("reps"), pd.Series(1, index=raw.index, dtype="Int64"))
    if "reps" in raw:
        typed["reps"] = typed["reps"].where(raw["reps"].str.strip().ne(""), 1).astype("Int64")
    for pain_col in ("pain_before", "pain_after", "tightness"):
        col(pain_col, _numbers(False), _number_hint(pain_col), pd.Series(np.nan, index=raw.index, dtype="float64"))
    col("seq", _numbers(True), _number_hint("seq"), None)
    typed["notes"] = raw["notes"].where(raw["notes"].ne("")).astype("str") if "notes" in raw else pd.Series(np.nan, index=raw.index, dtype="str")
    extras = [c for c in raw.columns if c not in _KNOWN]

    if len(typed):
        _schema_problems(typed, raw, problems)

    ordered = None
    if all(c in typed for c in ("date", "stretch", "hold_s")) and len(typed):
        bad_rows = {p.row for p in problems.items if p.column in ("date", "time", "seq")}
        ok_rows = typed["date"].notna() & ~typed["row"].isin(bad_rows)
        ordered = chains.order_bouts(typed.loc[ok_rows])
        chain_problems, chain_more = chains.chain_problems(ordered, limit=MAX_PROBLEMS)
        for p in chain_problems:
            problems.add(p)
        problems.more += chain_more
    if problems:
        raise LogError(_sorted(problems.items), name, more=problems.more)

    if ordered is None:  # a header with no rows: a valid, empty log
        ordered = chains.order_bouts(typed)
    catalog_ids, is_custom = _stretch_ids(ordered["stretch"], catalog, ordered["row"].to_numpy(), warns)
    ordered["stretch_id"] = catalog_ids.astype("str")
    ordered["custom"] = is_custom.to_numpy()
    extra_values = raw.loc[ordered["row"].to_numpy()] if len(ordered) else raw
    for c in extras:
        ordered["extra_" + c if c in _RESERVED else c] = extra_values[c].astype("str").to_numpy()
    bouts = chains.assign_segments(ordered) if len(ordered) else ordered.assign(segment_id=pd.Series(dtype="int64"))
    bouts = _finish(bouts, extras)
    return LoadedLog(bouts=bouts, warnings=tuple(warns), source=name)


_COLUMN_RANK = {c: i for i, c in enumerate(_KNOWN)}


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.row or 0, _COLUMN_RANK.get(p.column or "", -1)))


def _drop_empty_rows(raw: pd.DataFrame, rows: np.ndarray, warns: list[Problem]):
    """Skip rows whose cells are all empty (spreadsheets export them), with a warning each."""
    empty = (raw == "").all(axis=1).to_numpy() if len(raw.columns) else np.ones(len(raw), bool)
    for r in rows[empty][:50]:
        warns.append(Problem(int(r), None, None, "this row is empty and was skipped", "warning"))
    if empty.sum() > 50:
        warns.append(Problem(None, None, None, f"... and {int(empty.sum()) - 50} more empty rows skipped", "warning"))
    kept = raw.loc[~empty]
    kept.index = rows[~empty]
    return kept, rows[~empty]


def _drop_unnamed_columns(raw: pd.DataFrame, problems: _Collector) -> pd.DataFrame:
    """Drop columns with no header name: an error if they hold values, else nothing is lost."""
    unnamed = [c for c in raw.columns if c.startswith("_unnamed_")]
    for c in unnamed:
        if raw[c].ne("").any():
            position = int(c.rsplit("_", 1)[-1]) + 1
            expected = "a column name in the header (this column has values but no name)"
            if position == 1 and raw[c].str.fullmatch(r"[0-9]+").all():
                expected += (
                    ": it numbers the rows 1, 2, 3 ... as R's write.csv does by default; "
                    "in R use write.csv(..., row.names = FALSE)"
                )
            problems.add(Problem(1, f"column {position}", "", expected))
    return raw.drop(columns=unnamed)


_ORDER = [
    "row",
    "session_id",
    "session",
    "date",
    "time",
    "bout",
    "stretch",
    "stretch_id",
    "custom",
    "side",
    "hold_s",
    "reps",
    "pain_before",
    "pain_after",
    "tightness",
    "notes",
    "segment_id",
]


def _finish(bouts: pd.DataFrame, extras: list[str]) -> pd.DataFrame:
    out = bouts.copy()
    out["side"] = pd.Categorical(out["side"].astype("str"), categories=list(schema.SIDES))
    out["reps"] = out["reps"].astype("int64")
    out["row"] = out["row"].astype("int64")
    out["custom"] = out["custom"].astype(bool)
    for col in ("time", "stretch", "stretch_id", "notes", "session"):
        out[col] = out[col].astype("str")
    extra_cols = [c for c in out.columns if c not in _ORDER and c != "seq"]
    return out[_ORDER + extra_cols].reset_index(drop=True)


def _read_cells(
    text: str, name: str, written: list[str], problems: _Collector
) -> tuple[pd.DataFrame, np.ndarray]:
    """All data cells as text ('' for empty), one column per header cell, and each row's number.

    The header is read again here, as the first of the rows: pandas then counts the
    columns from it (a first data row with a cell too many would otherwise become an
    index and shift every cell of the file one column), and rows are numbered as
    records, the way a spreadsheet shows them (a quoted line break stays in its row).
    """
    ncols = len(written)
    cols = [f"c{i}" for i in range(max(ncols, 1))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            raw = pd.read_csv(
                io.StringIO(text),
                header=None,
                names=cols,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                on_bad_lines="warn",
                engine="c",
            )
        except pd.errors.EmptyDataError:
            raw = pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
        except pd.errors.ParserError as exc:
            raise _parser_error(exc, text, written, name) from None
    if len(raw) == 0 or not isinstance(raw.index, pd.RangeIndex) or raw.iloc[0].tolist() != [
        *written,
        *[""] * (len(cols) - ncols),
    ]:
        raise LogError(
            [
                Problem(
                    1,
                    None,
                    None,
                    "a header row whose cells every CSV reader splits the same way; check the double "
                    "quotes in it (a quote opens and closes a whole cell: \"my column\")",
                )
            ],
            name,
        )
    bad_lines: list[int] = []
    for w in caught:
        for m in re.finditer(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)", str(w.message)):
            line, want, saw = (int(g) for g in m.groups())
            bad_lines.append(line)
            problems.add(
                Problem(
                    line,
                    None,
                    None,
                    f"{want} cells as in the header, but this row has {saw}: a note or name "
                    "with a comma needs double quotes around it",
                )
            )
    raw = raw.fillna("")
    rows = np.arange(len(raw), dtype="int64") + 1
    if bad_lines:
        skipped = np.sort(np.asarray(bad_lines))
        # shift each row past the skipped lines before it
        for s in skipped:
            rows = np.where(rows >= s, rows + 1, rows)
    return raw.iloc[1:].reset_index(drop=True), rows[1:]


def _parser_error(exc: Exception, text: str, written: list[str], name: str) -> LogError:
    """The reader's tokenizer gave up: say where, and why, in the user's terms."""
    found = re.search(r"EOF inside string starting at row (\d+)", str(exc))
    if not found:
        return LogError([Problem(None, None, None, f"readable CSV ({exc})")], name)
    row = int(found.group(1)) + 1
    column = None
    try:
        last: list[str] = []
        for n, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if n == row:
                last = record
        if last and len(last) <= len(written):
            column = _column_label(written[len(last) - 1], len(last)) if row >= 2 else f"column {len(last)}"
    except csv.Error:
        pass
    return LogError(
        [
            Problem(
                row,
                column,
                None,
                "a double quote that is closed in the same cell, but a quote opened here is never "
                "closed, so the rest of the file would be one cell: remove the stray quote, or write it "
                'twice ("") inside a quoted cell',
            )
        ],
        name,
    )


def read_log(source: Source, *, catalog: Catalog | None = None) -> pd.DataFrame:
    """Read a log file into a clean frame of bouts, warning about suspicious input.

    Parameters
    ----------
    source : path or file-like
        A CSV file in the contract's format.
    catalog : Catalog, optional
        The stretch catalog (default: the built-in one).

    Returns
    -------
    DataFrame
        One row per bout, sorted by session and bout order, with columns: ``row``
        (as a spreadsheet shows it), ``session_id``, ``session``, ``date``, ``time``,
        ``bout`` (1 = first in its session), ``stretch`` (as typed), ``stretch_id``
        (canonical), ``custom``, ``side``, ``hold_s``, ``reps``, ``pain_before``,
        ``pain_after``, ``tightness``, ``notes``, ``segment_id``, then any extra columns.

    Raises
    ------
    LogError
        With every problem in the file.

    Warns
    -----
    StretchlogWarning
        Once per warning of :func:`load_log` (unknown stretch, extra column, empty row).

    Examples
    --------
    >>> import io
    >>> bouts = read_log(io.StringIO("date,stretch,hold_s,pain_before,pain_after\\n2026-11-01,pigeon,45,5,3\\n"))
    >>> print(bouts[["stretch_id", "side", "reps", "segment_id"]].to_string(index=False))
     stretch_id side  reps  segment_id
    pigeon-pose both     1           1
    """
    log = load_log(source, catalog=catalog)
    for w in log.warnings:
        warnings.warn(f"{log.source}: {w}", StretchlogWarning, stacklevel=2)
    return log.bouts


def _fmt_number(values: pd.Series) -> pd.Series:
    v = values.astype("float64")
    whole = v.notna() & (v == np.round(v))
    out = pd.Series("", index=values.index, dtype="str")
    out[whole] = v[whole].astype("int64").astype("str")
    frac = v.notna() & ~whole
    out[frac] = v[frac].map(repr)
    return out


def to_csv_text(bouts: pd.DataFrame, *, line_end: str = "\n") -> str:
    """The contract CSV text of a bouts frame (as :func:`read_log` returns it).

    Contract columns come first in the contract's order, then extra columns; bouts
    are written in session and bout order, so reading the text back gives the same
    frame (apart from ``row``).
    """
    cols = {}
    cols["date"] = bouts["date"].dt.strftime("%Y-%m-%d")
    cols["time"] = bouts["time"].fillna("")
    cols["stretch"] = bouts["stretch"]
    cols["side"] = bouts["side"].astype("str")
    for c in ("hold_s", "reps", "pain_before", "pain_after", "tightness"):
        cols[c] = _fmt_number(bouts[c])
    cols["notes"] = bouts["notes"].fillna("")
    extra = [c for c in bouts.columns if c not in _ORDER]
    for c in extra:
        target = c[len("extra_"):] if c.startswith("extra_") and c[len("extra_"):] in _RESERVED else c
        cols[target] = bouts[c].fillna("").astype("str")
    frame = pd.DataFrame(cols)
    return frame.to_csv(index=False, lineterminator=line_end)


def write_log(bouts: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a bouts frame to a new contract CSV file (UTF-8, LF line ends).

    For adding sessions to an existing log, use :mod:`stretchlog.entry.append`, which
    checks the new rows against the file and writes atomically.
    """
    Path(path).write_text(to_csv_text(bouts), encoding="utf-8", newline="")
