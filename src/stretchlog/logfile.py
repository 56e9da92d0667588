"""Reading and writing log files: the only module that parses or writes a log's text.

:func:`load_log` turns a CSV file in the contract's format into a clean, typed
frame of bouts (with session, bout order, canonical stretch and segment), or
raises :class:`~stretchlog.errors.LogError` listing every problem at once, each
with the row as a spreadsheet shows it (header = row 1), the column, the value and
what was expected. Kept-but-suspicious input (unknown stretch names, extra columns,
empty rows) comes back as warnings.

How a file is read, in order, failing fast where the rest cannot be read:

1. bytes: empty, binary, a spreadsheet workbook, UTF-16 or not UTF-8 -> one clear
   problem (only the first 64 KiB is looked at for binary input);
2. header: semicolon- or tab-separated files, duplicated and missing columns;
3. cells: each text cell parsed to its type, with hints for the usual spreadsheet
   conventions (``22/11/2026``, ``7/10``, ``6,5``, ``7:15 AM``, ``L``);
4. ranges and allowed values: the pandera schema :data:`stretchlog.schema.INPUT`;
5. sessions and pain chains: :mod:`stretchlog.chains`.
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

from stretchlog import chains, schema
from stretchlog.catalog import Catalog, custom_id, load_catalog
from stretchlog.errors import LogError, Problem, StretchlogWarning

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
            raise LogError([Problem(None, None, None, f"a log file at {path} (there is no such file)")], name) from None
        except IsADirectoryError:
            raise LogError([Problem(None, None, None, f"a log file, but {path} is a folder")], name) from None
        except PermissionError:
            raise LogError([Problem(None, None, None, f"a readable file (permission denied for {path})")], name) from None
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
    if not head.strip():
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
    cells = {_norm_header(c) for c in re.split(r"[,;\t]", text)}
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
        row = raw.count(b"\n", 0, exc.start) + 1
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


# --------------------------------------------------------------------------- header


def _norm_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _header(text: str, name: str, problems: _Collector, warns: list[Problem]) -> tuple[list[str], list[str]]:
    """Parse the header row; returns (normalised names, names as written)."""
    first_line = text.split("\n", 1)[0].rstrip("\r")
    try:
        written = next(csv.reader([first_line]), [])
    except csv.Error as exc:
        raise LogError([Problem(1, None, None, f"a readable header row ({exc})")], name) from None
    names = [_norm_header(h) for h in written]
    if not set(schema.REQUIRED_COLUMNS) <= set(names):
        for sep, label in ((";", "semicolon"), ("\t", "tab")):
            alt = [_norm_header(h) for h in next(csv.reader([first_line], delimiter=sep), [])]
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

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_IS_NUMBER = re.compile(rf"^{_NUMBER}$")


def _parse_column(raw: pd.Series, rows: np.ndarray, column: str, parse, hint, problems: _Collector) -> pd.Series:
    codes, uniques = pd.factorize(raw, sort=False)
    values_u, bad_u = parse(pd.Series(uniques, dtype="str"))
    values = pd.Series(values_u.array.take(codes), index=raw.index)
    problems.add_mask(raw, rows, np.asarray(bad_u)[codes], column, hint)
    return values


def _number_hint(column: str):
    expected = schema.column_meta(column)["expected"]

    def hint(value: str) -> str:
        v = value.strip()
        if _IS_NUMBER.match(v):
            return expected  # a number, but not a whole one
        if re.fullmatch(r"\d+(?:\.\d+)?\s*/\s*10", v):
            return f"{expected}: write just the number ({v.split('/')[0].strip()}), not a fraction"
        if re.fullmatch(r"[+-]?\d+,\d+", v):
            return f"{expected}, with a decimal point ({v.replace(',', '.')}), not a decimal comma"
        if re.fullmatch(r"\d+(?:\.\d+)?\s*(?:s|sec|secs|seconds|x|%)", v, flags=re.I):
            return f"{expected}: a bare number with no unit"
        if re.search(r"[A-Za-z]", v):
            return f"{expected}, written in digits"
        return expected

    return hint


def _numbers(whole: bool):
    def parse(text: pd.Series):
        t = text.str.strip()
        empty = t.eq("")
        ok = t.str.fullmatch(_IS_NUMBER.pattern) & ~empty
        values = pd.to_numeric(t.where(ok), errors="coerce").astype("float64")
        bad = ~ok & ~empty
        if whole:
            frac = values.notna() & (values != np.floor(values.fillna(0)))
            bad = bad | frac
            return values.where(~frac).round().astype("Int64"), bad.to_numpy()
        return values, bad.to_numpy()

    return parse


def _date_hint(value: str) -> str:
    v = value.strip()
    base = schema.column_meta("date")["expected"]
    if v == "":
        return f"{base}; the date is required"
    if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}", v):
        return (
            f"{base}: this looks like a spreadsheet's local date format (day/month/year or "
            "month/day/year), which is ambiguous; format the column as YYYY-MM-DD before exporting"
        )
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", v):
        return f"{base}: this is not a real calendar date"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", v):
        return f"{base}: the date alone, with the time (if any) in the 'time' column"
    return base


def _dates(text: pd.Series):
    t = text.str.strip()
    ok = t.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    parsed = pd.to_datetime(t.where(ok), format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    return parsed, parsed.isna().to_numpy()


def _time_hint(value: str) -> str:
    base = schema.column_meta("time")["expected"]
    if re.search(r"[ap]\.?m\.?$", value.strip(), flags=re.I):
        return f"{base}: 24-hour time without AM/PM (7:15 PM is 19:15)"
    return base


def _times(text: pd.Series):
    t = text.str.strip()
    m = t.str.extract(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
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
    return f"{expected}: did you mean '{suggestion}'?" if suggestion else expected


def _sides(text: pd.Series):
    t = text.str.strip().str.lower()
    t = t.where(t.ne(""), "both")
    ok = t.isin(schema.SIDES)
    return t.where(ok).astype("str"), (~ok).to_numpy()


def _stretches(text: pd.Series):
    t = text.str.strip()
    return t.where(t.ne("")).astype("str"), t.eq("").to_numpy()


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
    del data
    problems = _Collector()
    warns: list[Problem] = []
    names, written = _header(text, name, problems, warns)

    raw, rows_all = _read_cells(text, name, len(names), problems)
    del text
    raw.columns = [n if n else f"_unnamed_{i}" for i, n in enumerate(names)]
    raw, rows = _drop_empty_rows(raw, rows_all, warns)
    raw = _drop_unnamed_columns(raw, problems)
    # one column per name: duplicates were reported, keep the first
    raw = raw.loc[:, ~raw.columns.duplicated()]

    typed = pd.DataFrame(index=raw.index)
    typed["row"] = rows

    def col(column: str, parse, hint, default):
        if column in raw:
            typed[column] = _parse_column(raw[column], rows, column, parse, hint, problems)
        elif default is not None:
            typed[column] = default

    col("date", _dates, _date_hint, None)
    col("time", _times, _time_hint, pd.Series(np.nan, index=raw.index, dtype="str"))
    col("stretch", _stretches, lambda v: "the name of a stretch; it is required", None)
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
            problems.add(
                Problem(1, f"column {position}", "", "a column name in the header (this column has values but no name)")
            )
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


def _read_cells(text: str, name: str, ncols: int, problems: _Collector) -> tuple[pd.DataFrame, np.ndarray]:
    """All data cells as text ('' for empty), one column per header cell, and each row's number."""
    cols = [f"c{i}" for i in range(max(ncols, 1))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            raw = pd.read_csv(
                io.StringIO(text),
                header=None,
                skiprows=1,
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
            raise LogError([Problem(None, None, None, f"readable CSV ({exc})")], name) from None
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
    rows = np.arange(len(raw), dtype="int64") + 2
    if bad_lines:
        skipped = np.sort(np.asarray(bad_lines))
        # shift each row past the skipped lines before it
        for s in skipped:
            rows = np.where(rows >= s, rows + 1, rows)
    return raw, rows


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

    For adding sessions to an existing log, use :mod:`stretchlog.append`, which
    checks the new rows against the file and writes atomically.
    """
    Path(path).write_text(to_csv_text(bouts), encoding="utf-8", newline="")
