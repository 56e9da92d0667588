"""The log contract as pandera schemas: the one definition of columns, types and ranges.

Two schemas:

* :data:`INPUT` checks the typed cells of a log file (after each text cell has been
  parsed to its type). Every column's ``metadata`` carries what the reader needs:
  whether the column is required, how its text is parsed (``kind``) and the plain
  words used when a value is wrong (``expected``).
* :data:`BOUTS` checks the clean frame :func:`stretchlog.logfile.read_log` returns:
  the input columns plus session, bout order, canonical stretch and segment.

Everything else in the package (reader, writer, appender, simulator tests) takes
its column names, order and ranges from here.
"""

from __future__ import annotations

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
    "INPUT",
    "BOUTS",
    "column_meta",
]

SIDES: tuple[str, ...] = ("left", "right", "both")
PAIN_MIN, PAIN_MAX = 0, 10
HOLD_MAX_S = 3600

_PAIN = f"a number from {PAIN_MIN} to {PAIN_MAX}"


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
        required=True,
        nullable=False,
        kind="date",
        expected="a date written YYYY-MM-DD, e.g. 2026-11-01",
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
        pa.Check.str_length(min_value=1, error="the name of a stretch"),
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
        pa.Check.ge(1, error="a whole number >= 1 (empty means 1)"),
        required=False,
        nullable=False,
        kind="whole",
        expected="a whole number >= 1 (empty means 1)",
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
    "notes": _col(str, required=False, kind="text", expected="any text", meaning="anything, kept verbatim"),
    "seq": _col(
        "Int64",
        pa.Check.ge(0, error="a whole number >= 0 giving the order of bouts in a session"),
        required=False,
        kind="whole",
        expected="a whole number giving the order of bouts in a session (or empty)",
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

#: The clean frame returned by :func:`stretchlog.logfile.read_log`.
BOUTS = pa.DataFrameSchema({**_DERIVED, **_OUT}, strict=False, name="bouts")
