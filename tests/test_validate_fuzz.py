"""Fuzzing ``stretchlog validate`` with awkward and hostile files.

Whatever the bytes, ``validate`` must answer in words: exit 0 for a valid log, or
exit 1 with every problem named by row (as a spreadsheet shows it, header = row 1),
column, value and what was expected, or one line naming what is wrong with the
file as a whole. Never a traceback, never a hang, never a change to the file, and
a value it accepts is read as written (never dropped or bent in silence).

The command runs in-process (typer's CliRunner) on files under ``tmp_path``. The
"default" Hypothesis profile (``conftest.py``) keeps this to a few tens of seconds;
``STRETCHLOG_DEEP_TESTS=1`` runs the "deep" profile. Every failure the fuzzer found
is an ``@example`` below (and a named case at the end), so it stays fixed.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import itertools
import math
import re
import signal
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import CONTRACT_EXAMPLE, HEADER
from stretchlog.log import schema
from stretchlog.cli.app import app
from stretchlog.log.errors import LogError
from stretchlog.log.reader import load_log

runner = CliRunner()

#: The contract's example, plus a note that needs quoting (a comma, a quote, a line break).
BASE: list[list[str]] = [list(r) for r in csv.reader(io.StringIO(CONTRACT_EXAMPLE))]
BASE[3][9] = 'flexed quads, "gently"\nthen rest'
COLUMNS = BASE[0]
#: Seconds one validate may take before the guard stops it as a hang.
HANG_GUARD_S = 60

_FILES = itertools.count()
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@contextlib.contextmanager
def no_hang(seconds: float = HANG_GUARD_S):
    """Stop the block with TimeoutError if it runs longer than ``seconds`` (a hang)."""

    def stop(signum, frame):
        raise TimeoutError(f"validate ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_file(folder: Path, data: bytes) -> Path:
    path = folder / f"fuzz-{next(_FILES)}.csv"
    path.write_bytes(data)
    return path


def validate(path: Path):
    """Run ``stretchlog validate`` in-process and check what must hold for any input.

    Returns the CLI result and what the library made of the file: a LoadedLog, or
    the LogError.
    """
    before = path.read_bytes()
    with no_hang():
        result = runner.invoke(app, ["validate", str(path)], catch_exceptions=False, env={"COLUMNS": "200"})
        try:
            outcome = load_log(path)
        except LogError as exc:
            outcome = exc
    assert path.read_bytes() == before, "validate changed the file"
    out = " ".join(result.output.split())  # as read, whatever the terminal's wrapping
    assert "Traceback" not in out
    if isinstance(outcome, LogError):
        assert result.exit_code == 1, out
        assert "Nothing was changed" in out
        check_problems(outcome, before, out)
    else:
        assert result.exit_code == 0, out
        assert "is a valid stretch log" in out
    return result, outcome


def check_problems(error: LogError, data: bytes, out: str) -> None:
    """Every problem says where it is and what was expected, in rows that exist."""
    assert error.problems, "a LogError with no problem in it"
    lines = data.count(b"\n") + data.count(b"\r") + 1
    for p in error.problems:
        assert p.kind == "error"
        if p.column is not None:  # a name a person can read in a table
            assert 0 < len(p.column) <= schema.COLUMN_NAME_MAX_CHARS and p.column.isprintable(), p
        assert isinstance(p.expected, str) and p.expected.strip(), p
        if p.row is None:
            assert p.column is None, p  # a problem with the whole file
            continue
        assert 1 <= p.row <= lines, (p, lines)
        if p.row >= 2 and p.column is None:
            # about a whole row: its cells, its quotes or its bytes
            assert re.search(r"cells|quote|UTF-8", p.expected), p
    first = error.problems[0]
    if first.row is None:
        assert "is not a valid stretch log: expected" in out
    else:
        assert re.search(rf"\b{first.row}\b", out), out
        if first.column and first.column.isascii() and first.column.isprintable():
            assert first.column in out, out


# ------------------------------------------------------------------ making files


def quote(cell: str, style: str) -> str:
    """One cell as CSV text: 'minimal' (as needed), 'all' (QUOTE_ALL), 'r' (R's write.csv
    with na = "": text quoted, numbers and empty cells not), 'raw' (never: hostile)."""
    needs = any(ch in cell for ch in ',"\r\n')
    numeric = re.fullmatch(r"[+-]?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?", cell) is not None
    if style == "raw" or (style == "minimal" and not needs) or (style == "r" and (numeric or cell == "")):
        return cell
    return '"' + cell.replace('"', '""') + '"'


def serialize(rows: list[list[str]], style: str, ends: list[str], final: bool) -> str:
    lines = [",".join(quote(c, style) for c in row) for row in rows]
    text = ""
    for i, line in enumerate(lines):
        text += line
        if i < len(lines) - 1 or final:
            text += ends[i % len(ends)]
    return text


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252")


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


EXTREME_CELLS = [
    # dates at and beyond the bounds, and beyond what pandas can hold
    "0001-01-01", "1677-09-21", "1899-12-31", "1900-01-01", "2099-12-31", "2100-01-01", "2199-12-31",
    "2262-04-12", "9999-12-31", "2026-02-30", "2026-13-01", "+2026-11-01", "12026-11-01",
    # times
    "00:00", "23:59", "24:00", "99:99", "21:30:60", "-1:30", "7:15 AM", "21.30", "2130",
    # numbers a person does not mean, and what other programs write for "missing"
    "1e400", "-1e400", "1e-400", "1e308", "inf", "-inf", "Infinity", "nan", "NaN", "NA", "N/A",
    "#N/A", "null", "None", "-", "-0", "+0", "-0.0", "0x10", "0b1", "1_000", "1e3", "1000",
    "1001", "3600", "3600.000001", "0.0000001", "9" * 50, "0" * 500 + "5", "1" + "0" * 400,
    ".5", "5.", "+5", " 5 ", "\t5", "\u00a05", "٣", "６", "⑤", "五", "1,5", "7/10", "45s",
    # text: quotes, control characters, very long, invisible
    '"', '""', 'a"b', '"a"b', "\x00", "a\x00b", "\x1b[31mred", "\x7f", "\r", "\n", "\r\n",
    "x" * 101, "x" * 2001, "é" * 2001, "\ufeff", "\u202e", "=1+1", "L", "both ", " LEFT",
]

hostile_cell = st.one_of(
    st.sampled_from(EXTREME_CELLS),
    st.text(max_size=20),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.floats().map(repr),
    st.floats().map(lambda f: f"{f:.17e}"),
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)
    ),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 99), st.integers(0, 99)),
    st.integers(0, 6000).map(lambda n: "x" * n),
)
line_ends = st.one_of(
    st.sampled_from([["\n"], ["\n"], ["\r\n"], ["\r"]]),
    st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=2, max_size=6),
)


@st.composite
def hostile_files(draw) -> bytes:
    """A log with hostile cells, rows of the wrong shape, any dialect, encoding and bytes."""
    rows = [list(r) for r in BASE]
    for _ in range(draw(st.integers(0, 3))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = draw(hostile_cell)
    shape = draw(st.sampled_from(["same", "extra cell", "missing cell", "extra column", "missing column"]))
    r = draw(st.integers(0, len(rows) - 1))
    if shape == "extra cell":
        rows[r].insert(draw(st.integers(0, len(rows[r]))), draw(hostile_cell))
    elif shape == "missing cell":
        del rows[r][draw(st.integers(0, len(rows[r]) - 1))]
    elif shape in ("extra column", "missing column"):
        c = draw(st.integers(0, len(COLUMNS) - 1))
        name = draw(st.one_of(st.sampled_from(["mood", "", "row", "date", "Notes", "seq"]), st.text(max_size=8)))
        for row in rows:
            if shape == "extra column":
                row.insert(c, name if row is rows[0] else draw(st.sampled_from(["", "1", "x", '"'])))
            elif c < len(row):
                del row[c]
    style = draw(st.sampled_from(["minimal", "all", "r", "raw"]))
    text = serialize(rows, style, draw(line_ends), draw(st.booleans()))
    # mostly UTF-8 and undamaged, so that most files get as far as their cells
    data = encode(text, draw(st.sampled_from(("utf-8",) * 4 + ENCODINGS)))
    damage = draw(st.sampled_from(["none"] * 6 + ["nul", "truncate", "junk", "binary", "empty"]))
    if damage == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    elif damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "junk":
        data += draw(st.binary(min_size=1, max_size=200))
    elif damage == "binary":
        data = draw(st.binary(max_size=300))
    elif damage == "empty":
        data = draw(st.sampled_from([b"", b"\n", b"\r\n", b" ", b"\xef\xbb\xbf", b"\xff\xfe", b",,,\n"]))
    return data


def _row(**cells: str) -> str:
    good = dict(zip(COLUMNS, "2026-11-01,21:30,pigeon,left,45,2,6,5,7,".split(",")))
    good.update(cells)
    return ",".join(good[c] for c in COLUMNS)


def _bytes(*rows: str, end: str = "\n") -> bytes:
    return (end.join(rows) + end).encode("utf-8")


# ------------------------------------------------------------------ the properties


@FUZZ
@given(data=hostile_files())
# failures the fuzzer found, kept fixed:
@example(data=_bytes(HEADER, "0001-01-01,21:30,pigeon,left,45,2,6,5,7,"))  # OutOfBoundsDatetime
@example(data=_bytes(HEADER, "2026-11-01,21:30,pigeon,left,45," + "9" * 50 + ",6,5,7,"))  # int cast crash
@example(data=_bytes(HEADER, "2026-11-01,21:30,pigeon,left,45,1e400,6,5,7,"))  # int cast crash
@example(data=_bytes(HEADER, "x,2026-11-01,21:30,pigeon,left,45,2,6,5,7,"))  # first row shifted into an index
@example(data=_bytes(HEADER, "2026-11-01,21:30,pigeon,left,45,2,6,5,7,x,y"))  # cells blamed on wrong columns
@example(data=_bytes(HEADER, '2026-11-01,21:30,pigeon,left,45,2,6,5,7,"unclosed'))  # tokenizer error, no row
@example(data=_bytes('"date\nx",stretch,hold_s', "2026-11-01,pigeon,45,6"))  # header record over two lines
@example(data=_bytes('"' + HEADER, _row()))  # a quote never closed in the header: the file as a column name
@example(data=_bytes(HEADER + ',"mood', _row() + ",x"))  # the same in the last column's name
@example(data=_bytes("date,stretch,hold_s,pain_before,pain_after", "2026-11-01,pigeon,45,6,5" + "\x01"))  # control
@example(data=_bytes(HEADER, _row(), _row(notes='"two\nlines"'), _row(time="07:00")) + b"\x80")  # row of a bad byte
@example(data=_bytes(HEADER, _row(notes='"a'), _row(time="07:00"), _row(notes='b"')))  # rows swallowed by a note
@example(  # fully quoted, with a BOM: was "names none of the log's columns"
    data=b"\xef\xbb\xbf"
    + _bytes(",".join(f'"{c}"' for c in COLUMNS), '"2026-11-01","","pigeon","","45","","6","5","",""')
)
def test_validate_answers_every_file_in_words(tmp_path, data):
    validate(write_file(tmp_path, data))


@functools.cache
def _reference_bouts() -> pd.DataFrame:
    return load_log(io.BytesIO(serialize(BASE, "minimal", ["\n"], True).encode())).bouts


@FUZZ
@given(
    style=st.sampled_from(["minimal", "all", "r"]),
    ends=st.one_of(
        st.sampled_from([["\n"], ["\r\n"]]),
        st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=2, max_size=5).filter(lambda e: "\n" in e),
    ),
    final=st.booleans(),
    bom=st.booleans(),
)
def test_the_same_log_in_any_csv_dialect_reads_the_same(tmp_path, style, ends, final, bom):
    """Quoting, line ends and a byte-order mark are CSV syntax, not content."""
    reference = _reference_bouts()
    data = (b"\xef\xbb\xbf" if bom else b"") + serialize(BASE, style, ends, final).encode("utf-8")
    _, loaded = validate(write_file(tmp_path, data))
    assert not isinstance(loaded, LogError), loaded
    pd.testing.assert_frame_equal(loaded.bouts, reference)


#: Columns whose cell decides nothing about sessions: a problem with it is on its own row.
_VALUE_COLUMNS = ("side", "hold_s", "reps", "pain_before", "pain_after", "tightness", "notes")


def _expected_value(column: str, cell: str):
    """What a cell that the reader accepts must be read as (Python's own reading)."""
    v = cell.strip()
    if column in ("hold_s", "pain_before", "pain_after", "tightness"):
        return math.nan if v == "" else float(v)
    if column == "reps":
        return 1 if v == "" else int(float(v))
    if column == "side":
        return v.lower() or "both"
    if column == "date":
        return pd.Timestamp(date.fromisoformat(v))
    if column == "time":
        if v == "":
            return math.nan
        h, m = v.split(":")[:2]
        return f"{int(h):02d}:{m}"
    if column == "stretch":
        return v
    return math.nan if cell == "" else cell  # notes: verbatim


@FUZZ
@given(row=st.integers(1, len(BASE) - 1), column=st.sampled_from(COLUMNS), cell=hostile_cell)
@example(row=1, column="tightness", cell="٣")  # read as empty, in silence
@example(row=1, column="pain_before", cell="６")  # read as empty, blamed on the pain chain
@example(row=1, column="pain_before", cell="-0")
@example(row=3, column="notes", cell="NA")
def test_a_cell_is_read_as_written_or_reported_on_its_row(tmp_path, row, column, cell):
    rows = [list(r) for r in BASE]
    rows[row][COLUMNS.index(column)] = cell
    _, loaded = validate(write_file(tmp_path, serialize(rows, "minimal", ["\n"], True).encode("utf-8")))
    sheet_row = row + 1
    if isinstance(loaded, LogError):
        if column in _VALUE_COLUMNS:
            assert any(p.row in (sheet_row, None) for p in loaded.problems), loaded
        return
    bout = loaded.bouts.set_index("row").loc[sheet_row]
    want, got = _expected_value(column, cell), bout[column]
    if isinstance(want, float) and math.isnan(want):
        assert pd.isna(got), (cell, got)
    else:
        assert got == want, (cell, got, want)
    if column in ("hold_s", "reps"):
        assert 0 < got <= (schema.HOLD_MAX_S if column == "hold_s" else schema.REPS_MAX)
    if column == "date":
        assert pd.Timestamp(schema.DATE_MIN) <= got <= pd.Timestamp(schema.DATE_MAX)


# ------------------------------------------------------------------ named cases, by category


NAMED: dict[str, tuple[bytes, int | None, str | None, str]] = {
    # name: (file, row, column, a phrase of the expected text); row None = the whole file
    "date year 0001": (_bytes(HEADER, _row(date="0001-01-01")), 2, "date", "from 1900-01-01 to 2099-12-31"),
    "date before 1900": (_bytes(HEADER, _row(date="1899-12-31")), 2, "date", "from 1900-01-01"),
    "date after 2099": (_bytes(HEADER, _row(date="2100-01-01")), 2, "date", "to 2099-12-31"),
    "date year 9999": (_bytes(HEADER, _row(date="9999-12-31")), 2, "date", "to 2099-12-31"),
    "date five-digit year": (_bytes(HEADER, _row(date="12026-11-01")), 2, "date", "YYYY-MM-DD"),
    "time 24:00": (_bytes(HEADER, _row(time="24:00")), 2, "time", "24-hour time"),
    "time 99:99": (_bytes(HEADER, _row(time="99:99")), 2, "time", "24-hour time"),
    "reps fifty 9s": (_bytes(HEADER, _row(reps="9" * 50)), 2, "reps", f"from 1 to {schema.REPS_MAX}"),
    "reps 1e400": (_bytes(HEADER, _row(reps="1e400")), 2, "reps", f"from 1 to {schema.REPS_MAX}"),
    "reps over the maximum": (_bytes(HEADER, _row(reps="1001")), 2, "reps", f"from 1 to {schema.REPS_MAX}"),
    "hold 1e400": (_bytes(HEADER, _row(hold_s="1e400")), 2, "hold_s", "<= 3600"),
    "hold -0": (_bytes(HEADER, _row(hold_s="-0")), 2, "hold_s", "> 0"),
    "hold inf": (_bytes(HEADER, _row(hold_s="inf")), 2, "hold_s", "plain decimal digits"),
    "hold hex": (_bytes(HEADER, _row(hold_s="0x10")), 2, "hold_s", "plain decimal digits"),
    "hold huge digit string": (_bytes(HEADER, _row(hold_s="1" + "0" * 400)), 2, "hold_s", "<= 3600"),
    "pain nan": (_bytes(HEADER, _row(pain_before="nan")), 2, "pain_before", "leave the cell empty"),
    "pain 1e308": (_bytes(HEADER, _row(pain_after="1e308")), 2, "pain_after", "from 0 to 10"),
    "pain in Arabic digits": (_bytes(HEADER, _row(tightness="٣")), 2, "tightness", "digits 0-9"),
    "pain in full-width digits": (_bytes(HEADER, _row(pain_before="６")), 2, "pain_before", "digits 0-9"),
    "pain NA from R": (_bytes(HEADER, _row(pain_after="NA")), 2, "pain_after", 'na = ""'),
    "stretch NA from R": (_bytes(HEADER, _row(stretch="NA")), 2, "stretch", 'na = ""'),
    "seq 1e20": (_bytes(HEADER + ",seq", _row() + ",1e20"), 2, "seq", f"from 0 to {schema.SEQ_MAX}"),
    "stretch name too long": (_bytes(HEADER, _row(stretch="x" * 101)), 2, "stretch", "at most 100 characters"),
    "notes too long": (_bytes(HEADER, _row(notes="x" * 2001)), 2, "notes", "at most 2000 characters"),
    "own column too long": (_bytes(HEADER + ",mood", _row() + "," + "x" * 2001), 2, "mood", "at most 2000"),
    "column name too long": (_bytes(HEADER + "," + "m" * 101, _row() + ",x"), 1, "column 11", "at most 100"),
    "too many columns": (
        _bytes(HEADER + "".join(f",c{i}" for i in range(100)), _row()), 1, None, "at most 100 columns"
    ),
    "NUL byte at the start": (b"\x00" + _bytes(HEADER, _row()), None, None, "binary file"),
    "NUL byte in a cell after 64 KiB": (
        _bytes(HEADER, *[_row(notes="n" * 100)] * 700, _row(notes="a\x00b")),
        702,
        "notes",
        "U+0000",
    ),
    "escape character in a name": (_bytes(HEADER, _row(stretch="\x1b[31mpigeon")), 2, "stretch", "U+001B"),
    "stray quote never closed": (
        _bytes(HEADER, _row(), _row(notes='"oops'), _row(time="07:00")), 3, "notes", "never closed"
    ),
    "stray quote joining rows": (
        _bytes(HEADER, _row(notes='"a'), *[_row()] * 3, _row(notes='b"')),
        2,
        "notes",
        "double quote",
    ),
    "extra cell in the first row": (_bytes(HEADER, "x," + _row()), 2, None, "11"),
    "extra cell in a later row": (_bytes(HEADER, _row(), _row(time="07:00") + ",x"), 3, None, "double quotes"),
    "missing required column": (
        _bytes(HEADER.replace(",hold_s", ""), _row().replace(",45", "", 1)), 1, "hold_s", "required"
    ),
    "unnamed column with values (R row names)": (
        _bytes('"",' + HEADER, "1," + _row(), "2," + _row(time="07:00")),
        1,
        "column 1",
        "row.names = FALSE",
    ),
    "UTF-16 file": (_bytes(HEADER, _row()).decode().encode("utf-16"), None, None, "UTF-16"),
    "UTF-16 without a BOM": (_bytes(HEADER, _row()).decode().encode("utf-16-le"), None, None, "UTF-16"),
    "a bad byte after a note over two lines": (
        _bytes(HEADER, _row(), _row(time="07:00", notes='"two\nlines"'), _row(time="08:00")) + b"\x80",
        5,
        None,
        "not UTF-8",
    ),
    "Windows-1252 text": (_bytes(HEADER, _row(notes="café")).decode().encode("cp1252"), 2, None, "Windows-1252"),
    "old Mac line ends (CR only)": (_bytes(HEADER, _row(), end="\r"), None, None, "CR only"),
    "empty file": (b"", None, None, "empty"),
    "only a byte-order mark": (b"\xef\xbb\xbf", None, None, "empty"),
    "blank lines only": (b"\n\n\r\n", None, None, "empty"),
    "binary junk": (bytes(range(256)) * 4, None, None, "binary"),
    "a zip file": (b"PK\x03\x04" + bytes(100), None, None, "workbook"),
    "not a header": (_bytes(_row(), _row()), 1, None, "header row"),
}


@pytest.mark.parametrize("name", list(NAMED))
def test_named_bad_input(tmp_path, name):
    data, row, column, phrase = NAMED[name]
    _, outcome = validate(write_file(tmp_path, data))
    assert isinstance(outcome, LogError), f"{name}: accepted"
    hits = [p for p in outcome.problems if p.row == row and p.column == column]
    assert hits, f"{name}: {[str(p) for p in outcome.problems]}"
    assert any(phrase in p.expected for p in hits), f"{name}: {[str(p) for p in hits]}"


VALID: dict[str, bytes] = {
    "header only": _bytes(HEADER),
    "header only, no final line end": HEADER.encode(),
    "UTF-8 byte-order mark": b"\xef\xbb\xbf" + _bytes(HEADER, _row()),
    "CRLF line ends": _bytes(HEADER, _row(), end="\r\n"),
    "mixed line ends": (
        HEADER + "\r\n" + _row() + "\n" + _row(time="07:00") + "\r" + _row(time="08:00") + "\n"
    ).encode(),
    "fully quoted": _bytes(",".join(f'"{c}"' for c in COLUMNS), ",".join(f'"{c}"' for c in _row().split(","))),
    "bounds inclusive": _bytes(
        HEADER,
        _row(date="1900-01-01", hold_s="3600", reps=str(schema.REPS_MAX), pain_before="0", pain_after="10"),
        _row(date="2099-12-31", hold_s="0.5", reps="1", pain_before="10", pain_after="0", tightness="0"),
    ),
    "pain -0 is 0": _bytes(HEADER, _row(pain_before="-0")),
    "longest names and notes": _bytes(
        HEADER, _row(stretch="s" * schema.STRETCH_MAX_CHARS, notes="n" * schema.CELL_MAX_CHARS)
    ),
    "a note that is NA is kept, with a warning": _bytes(HEADER, _row(notes="NA")),
    "a note over three lines": _bytes(HEADER, _row(notes='"one\ntwo\r\nthree"')),
}


@pytest.mark.parametrize("name", list(VALID))
def test_named_valid_input(tmp_path, name):
    result, outcome = validate(write_file(tmp_path, VALID[name]))
    assert not isinstance(outcome, LogError), f"{name}: {outcome}"
    assert result.exit_code == 0


def test_a_note_that_is_NA_is_kept_with_a_warning(tmp_path):
    _, loaded = validate(write_file(tmp_path, VALID["a note that is NA is kept, with a warning"]))
    assert loaded.bouts.loc[0, "notes"] == "NA"
    assert any(w.column == "notes" and 'na = ""' in w.expected for w in loaded.warnings)


def test_file_problems_are_one_line_not_an_empty_table(tmp_path):
    result, _ = validate(write_file(tmp_path, b""))
    assert "┃ Row" not in result.output and "Row " not in result.output
    assert len(result.output.strip().splitlines()) <= 3  # one sentence, wrapped at most twice
