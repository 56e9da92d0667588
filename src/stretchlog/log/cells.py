"""Text cells to typed columns, with a hint for every cell that cannot be read.

Step 3 of the reader (:mod:`stretchlog.log.reader`): each text cell is parsed to
its column's type, with hints for the usual spreadsheet conventions
(``22/11/2026``, ``7/10``, ``6,5``, ``7:15 AM``, ``L``, R's ``NA``). Control
characters, overlong cells and cells that swallowed rows (a stray double quote)
are reported in any column, the text columns (notes, your own columns) included.

Each parser takes a column's *distinct* values (a log repeats the same dates,
names and numbers over and over) and returns the typed values and a mask of the
bad ones; ``_parse_column`` spreads them back over the rows. Parsing the distinct
values only keeps a million-row log fast without per-row Python work.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from stretchlog.log import schema
from stretchlog.log.errors import Problem
from stretchlog.log.problems import Collector

__all__ = ["CELL_CONTROL", "NOT_CONTROL_BYTES", "quote_hint", "parse_columns", "check_text_columns"]

# ASCII digits only: Python's \d also matches other scripts' digits ('٣', '６'), which
# pandas cannot read as numbers; they would come back empty instead of as a problem.
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_IS_NUMBER = re.compile(rf"^{_NUMBER}$")
#: Control characters a cell may not hold (tab, CR and LF are text; DEL is not).
CELL_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Every byte but those (deleting these from a file's bytes leaves its control characters).
NOT_CONTROL_BYTES = bytes(b for b in range(256) if not CELL_CONTROL.match(chr(b)))
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


def quote_hint(value: str) -> str:
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
    raw: pd.Series, rows: np.ndarray, column: str, parse, hint, problems: Collector, control: bool = True
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
        return expected + quote_hint(value)

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
    return base + quote_hint(value)


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
    return base + (_missing_hint(value) or quote_hint(value))


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
    return expected + (_missing_hint(value) or quote_hint(value))


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
    return _STRETCH + quote_hint(value)


def _stretches(text: pd.Series):
    t = text.str.strip()
    bad = t.eq("") | t.eq("NA") | t.str.len().gt(schema.STRETCH_MAX_CHARS) | t.str.contains(r"[\r\n]", regex=True)
    return t.where(~bad).astype("str"), bad.to_numpy()


def _cell_hint(value: str) -> str:
    """What a cell that :func:`_bad_cells` found should have been."""
    found = CELL_CONTROL.search(value)
    if found:
        return (
            f"text without control characters, but this cell has U+{ord(found.group()):04X} at character "
            f"{found.start() + 1}: the file looks damaged; retype the cell or export the file again"
        )
    return f"a cell of at most {schema.CELL_MAX_CHARS} characters, but this one has {len(value)}" + quote_hint(value)


def _bad_cells(uniques: pd.Series, control: bool) -> np.ndarray:
    """Distinct cells no column may hold: control characters (a damaged file), or too long."""
    bad = uniques.str.len().gt(schema.CELL_MAX_CHARS).to_numpy()
    if control:
        bad = bad | uniques.str.contains(CELL_CONTROL.pattern, regex=True).to_numpy()
    return bad


def _swallowed_rows(cell: str, width: int) -> int:
    """Lines after the first of a multi-line cell that split into a whole row of cells."""
    if width < 2:
        return 0
    lines = re.split(r"\r\n|\r|\n", cell)[1:]
    return sum(1 for line in lines if line.count(",") >= width - 1)


def check_text_columns(
    raw: pd.DataFrame,
    rows: np.ndarray,
    columns: dict[str, str],
    control: bool,
    problems: Collector,
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


def parse_columns(
    raw: pd.DataFrame, rows: np.ndarray, problems: Collector, control: bool
) -> pd.DataFrame:
    """The contract's columns of ``raw`` parsed to their types; bad cells go to ``problems``.

    Parameters
    ----------
    raw : DataFrame
        The data cells as text, one column per (normalised) header name.
    rows : ndarray
        Each row's number as a spreadsheet shows it.
    problems : Collector
        Where unreadable cells are reported, with a hint each.
    control : bool
        Whether the file holds control characters at all (else they are not looked for).

    Returns
    -------
    DataFrame
        ``row``, then the contract's columns (missing optional ones filled with
        their defaults), ``seq`` when the file has it; a bad cell is missing.
    """
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
    return typed
