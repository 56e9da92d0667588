"""The log contract as pandera schemas: the one definition of columns, types and ranges.

Two schemas:

* :data:`INPUT` checks the typed cells of a log file (after each text cell has been
  parsed to its type). Every column's ``metadata`` carries what the reader needs:
  whether the column is required, how its text is parsed (``kind``) and the plain
  words used when a value is wrong (``expected``).
* :data:`BOUTS` checks the clean frame :func:`stretchlog.log.reader.read_log` returns:
  the input columns plus session, bout order, canonical stretch and segment.

Everything else in the package (reader, writer, appender, simulator tests) takes
its column names, order and ranges from here.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

__all__ = [
    "CONTRACT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "DERIVED_COLUMNS",
    "SIDES",
    "PAIN_MIN",
    "PAIN_MAX",
    "HOLD_MAX_S",
    "REPS_MAX",
    "SEQ_MAX",
    "DATE_MIN",
    "DATE_MAX",
    "STRETCH_MAX_CHARS",
    "CELL_MAX_CHARS",
    "COLUMN_NAME_MAX_CHARS",
    "COLUMNS_MAX",
    "INPUT",
    "BOUTS",
    "column_meta",
]

SIDES: tuple[str, ...] = ("left", "right", "both")

# ----------------------------------------------------------------- what a log can hold
#
# The bounds of every value a person's log can hold. Anything outside them is a
# problem the reader reports with its row and column (never a crash, never a value
# quietly changed); docs/log-format.md says the same in words, with the reasons.

#: Pain and tightness: the 11-point numeric rating scale.
PAIN_MIN, PAIN_MAX = 0, 10
#: One hold lasts more than 0 s and at most an hour.
HOLD_MAX_S = 3600
#: Holds in one bout. 1000 holds of even one second is a quarter of an hour of one
#: stretch; a larger number is a typo or a value from another column.
REPS_MAX = 1000
#: ``seq`` may number the bouts of a session or every row of the log; a billion
#: stays exact in every spreadsheet and program (spreadsheets keep 15 digits).
SEQ_MAX = 10**9
#: The first day of a spreadsheet's calendar (earlier dates are not dates to Excel or
#: LibreOffice, only text) to the last day of this century: far beyond any log kept
#: today, and two dates of a log are never further apart than the 292 years pandas
#: can measure (its time spans count nanoseconds). Future dates are not refused: a
#: clock or a time zone can put today's session on tomorrow.
DATE_MIN, DATE_MAX = "1900-01-01", "2099-12-31"
#: A stretch's name is a few words (the catalog's longest name or alias has 34
#: characters); a longer one is a note typed in the wrong column.
STRETCH_MAX_CHARS = 100
#: Any other cell, notes included: a page of text. A longer cell is almost always a
#: double quote that was opened and not closed, joining the rows after it into one cell.
CELL_MAX_CHARS = 2000
#: A column's name in the header.
COLUMN_NAME_MAX_CHARS = 100
#: Columns in the header: the contract's 11 and room for many of your own.
COLUMNS_MAX = 100

_PAIN = f"a number from {PAIN_MIN} to {PAIN_MAX}"
_DATE = "a date written YYYY-MM-DD, e.g. 2026-11-01"
_DATE_RANGE = f"a date from {DATE_MIN} to {DATE_MAX}"
_REPS = f"a whole number from 1 to {REPS_MAX}"
_SEQ = f"a whole number from 0 to {SEQ_MAX}"


def _col(dtype, *checks, required: bool, kind: str, expected: str, nullable: bool = True, meaning: str = ""):
    return pa.Column(
        dtype,
        checks=list(checks),
        nullable=nullable,
        required=required,
        metadata={"required": required, "kind": kind, "expected": expected, "meaning": meaning},
    )


_INPUT_COLUMNS = {
    "date": _col(
        "datetime64[ns]",
        pa.Check.in_range(pd.Timestamp(DATE_MIN), pd.Timestamp(DATE_MAX), error=_DATE_RANGE),
        required=True,
        nullable=False,
        kind="date",
        expected=_DATE,
        meaning="the day of the session",
    ),
    "time": _col(
        str,
        pa.Check.str_matches(r"^([01]\d|2[0-3]):[0-5]\d$", error="a 24-hour time HH:MM, e.g. 21:30"),
        required=False,
        kind="time",
        expected="a 24-hour time HH:MM, e.g. 21:30 (or empty)",
        meaning="when the session started; same date and time = one session",
    ),
    "stretch": _col(
        str,
        pa.Check.str_length(
            min_value=1,
            max_value=STRETCH_MAX_CHARS,
            error=f"the name of a stretch, at most {STRETCH_MAX_CHARS} characters",
        ),
        required=True,
        nullable=False,
        kind="text",
        expected="the name of a stretch",
        meaning="the stretch, matched to the catalog by id, name or alias",
    ),
    "side": _col(
        str,
        pa.Check.isin(SIDES, error="left, right or both (empty means both)"),
        required=False,
        nullable=False,
        kind="side",
        expected="left, right or both (empty means both)",
        meaning="which side was stretched",
    ),
    "hold_s": _col(
        float,
        pa.Check.gt(0, error=f"a number of seconds > 0 and <= {HOLD_MAX_S}"),
        pa.Check.le(HOLD_MAX_S, error=f"a number of seconds > 0 and <= {HOLD_MAX_S}"),
        required=True,
        nullable=False,
        kind="number",
        expected=f"a number of seconds > 0 and <= {HOLD_MAX_S}",
        meaning="seconds of one hold",
    ),
    "reps": _col(
        "Int64",
        pa.Check.in_range(1, REPS_MAX, error=f"{_REPS} (empty means 1)"),
        required=False,
        nullable=False,
        kind="whole",
        expected=f"{_REPS} (empty means 1)",
        meaning="how many holds",
    ),
    "pain_before": _col(
        float,
        pa.Check.in_range(PAIN_MIN, PAIN_MAX, error=_PAIN),
        required=False,
        kind="number",
        expected=f"{_PAIN} (or empty)",
        meaning="pain just before this bout, 0 = none, 10 = worst imaginable",
    ),
    "pain_after": _col(
        float,
        pa.Check.in_range(PAIN_MIN, PAIN_MAX, error=_PAIN),
        required=False,
        kind="number",
        expected=f"{_PAIN} (or empty)",
        meaning="pain just after this bout",
    ),
    "tightness": _col(
        float,
        pa.Check.in_range(PAIN_MIN, PAIN_MAX, error=_PAIN),
        required=False,
        kind="number",
        expected=f"{_PAIN} (or empty)",
        meaning="how tight the stretch felt, 0 = free, 10 = could barely do it",
    ),
    "notes": _col(
        str,
        pa.Check.str_length(max_value=CELL_MAX_CHARS, error=f"any text of at most {CELL_MAX_CHARS} characters"),
        required=False,
        kind="text",
        expected=f"any text of at most {CELL_MAX_CHARS} characters",
        meaning="anything, kept verbatim",
    ),
    "seq": _col(
        "Int64",
        pa.Check.in_range(0, SEQ_MAX, error=f"{_SEQ} giving the order of bouts in a session"),
        required=False,
        kind="whole",
        expected=f"{_SEQ} giving the order of bouts in a session (or empty)",
        meaning="order of the bouts within a session (else file order)",
    ),
}

#: The contract's columns, in the order the writer uses.
CONTRACT_COLUMNS: tuple[str, ...] = (
    "date",
    "time",
    "stretch",
    "side",
    "hold_s",
    "reps",
    "pain_before",
    "pain_after",
    "tightness",
    "notes",
)
#: Columns the contract knows beyond :data:`CONTRACT_COLUMNS`.
OPTIONAL_COLUMNS: tuple[str, ...] = ("seq",)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    name for name, col in _INPUT_COLUMNS.items() if col.metadata["required"]
)

#: Typed cells of a log file; checks ranges and allowed values.
INPUT = pa.DataFrameSchema(_INPUT_COLUMNS, strict=False, name="log file")


def column_meta(name: str) -> dict:
    """The contract metadata of one column (required, kind, expected, meaning).

    Examples
    --------
    >>> column_meta("hold_s")["expected"]
    'a number of seconds > 0 and <= 3600'
    """
    return _INPUT_COLUMNS[name].metadata


_DERIVED = {
    "row": pa.Column("int64", pa.Check.ge(2), unique=True, metadata={"meaning": "spreadsheet row (header = 1)"}),
    "session_id": pa.Column("int64", pa.Check.ge(1), metadata={"meaning": "1, 2, ... in time order"}),
    "session": pa.Column(str, metadata={"meaning": "session label: date and time"}),
    "bout": pa.Column("int64", pa.Check.ge(1), metadata={"meaning": "order of the bout in its session, 1 = first"}),
    "stretch_id": pa.Column(str, metadata={"meaning": "canonical catalog id, or custom:<name>"}),
    "custom": pa.Column(bool, metadata={"meaning": "True when the catalog lacks the stretch"}),
    "segment_id": pa.Column("int64", pa.Check.ge(1), metadata={"meaning": "the pain segment holding the bout"}),
}
#: Columns :func:`read_log` adds to the contract's.
DERIVED_COLUMNS: tuple[str, ...] = tuple(_DERIVED)


def _required_copy(col: pa.Column, dtype=None, checks=None, nullable=None) -> pa.Column:
    return pa.Column(
        dtype if dtype is not None else col.dtype,
        checks=list(col.checks) if checks is None else checks,
        nullable=col.nullable if nullable is None else nullable,
        required=True,
        metadata=col.metadata,
    )


_OUT = {name: _required_copy(col) for name, col in _INPUT_COLUMNS.items() if name != "seq"}
_OUT["time"] = _required_copy(_INPUT_COLUMNS["time"], checks=[])  # HH:MM text or missing
_OUT["side"] = _required_copy(_INPUT_COLUMNS["side"], dtype="category", checks=[pa.Check.isin(SIDES)])
_OUT["reps"] = _required_copy(_INPUT_COLUMNS["reps"], dtype="int64")

#: The clean frame returned by :func:`stretchlog.log.reader.read_log`.
BOUTS = pa.DataFrameSchema({**_DERIVED, **_OUT}, strict=False, name="bouts")
