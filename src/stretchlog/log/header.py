"""The header row: the columns a log names, checked and normalised.

Step 2 of the reader (:mod:`stretchlog.log.reader`): a first line naming none of
the log's columns fails fast; then semicolon- or tab-separated files, overlong or
damaged names, duplicated and missing columns are reported, and columns the format
does not know are kept with a warning. Names are matched case-insensitively, with
spaces and hyphens read as underscores (``Pain Before`` is ``pain_before``).
"""

from __future__ import annotations

import csv
import io
import re

from stretchlog.log import schema
from stretchlog.log.cells import CELL_CONTROL, quote_hint
from stretchlog.log.decode import EXPORT, HEAD_BYTES, file_problem
from stretchlog.log.errors import LogError, Problem
from stretchlog.log.problems import Collector

__all__ = [
    "KNOWN_COLUMNS",
    "RESERVED_COLUMNS",
    "norm_header",
    "column_label",
    "check_header_line",
    "read_header",
]

#: The columns of the format: the contract's, then the optional ones.
KNOWN_COLUMNS = schema.CONTRACT_COLUMNS + schema.OPTIONAL_COLUMNS
#: Names the reader gives columns itself; a file's column of that name is kept as ``extra_<name>``.
RESERVED_COLUMNS = set(schema.DERIVED_COLUMNS)


def check_header_line(head: bytes, name: str) -> None:
    """Fail fast when the first line is not a header at all (no contract column in it).

    A file whose first line names some contract columns goes on to the full check,
    so that every problem (missing columns and bad cells alike) is reported at once.
    """
    if b"\r" in head and b"\n" not in head:
        raise file_problem(
            "rows ending in LF or CRLF, but this file uses old Mac line ends (CR only): "
            + EXPORT,
            name,
        )
    line = head.split(b"\n", 1)[0]
    if len(line) >= HEAD_BYTES:
        raise file_problem("a header row first (this file has no line break in its first 64 KiB)", name)
    text = line.decode("utf-8", errors="replace").lstrip("\ufeff")
    # quoting is CSV syntax, not content: '"date","stretch"' names the same columns
    cells = {norm_header(c.strip().strip("\"")) for c in re.split(r"[,;\t]", text)}
    if not cells & set(KNOWN_COLUMNS):
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


def norm_header(name: str) -> str:
    """A column name as the reader matches it: lower case, spaces and hyphens as ``_``.

    Examples
    --------
    >>> norm_header(" Pain Before ")
    'pain_before'
    """
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _first_record(text: str, delimiter: str = ",") -> list[str]:
    """The first CSV record of ``text`` (the header), quotes and line ends read as CSV does."""
    head = text[: 2 * HEAD_BYTES]  # the header line is shorter than 64 KiB (see check_header_line)
    return next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])


def column_label(written: str, position: int) -> str:
    """A column's name as messages show it: as written, or 'column N' when it cannot be shown."""
    ok = 0 < len(written) <= schema.COLUMN_NAME_MAX_CHARS and written.isprintable()
    return written if ok else f"column {position}"


def read_header(
    text: str, name: str, problems: Collector, warns: list[Problem]
) -> tuple[list[str], list[str]]:
    """Parse the header row; returns (normalised names, names as written).

    Problems that stop the reading (too many columns, a file separated by
    semicolons or tabs) raise at once; the others go to ``problems``, and unknown
    or reserved column names to ``warns``.

    Raises
    ------
    LogError
        When the header cannot be read, or the file is not comma-separated.
    """
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
    names = [norm_header(h) for h in written]
    if not set(schema.REQUIRED_COLUMNS) <= set(names):
        for sep, label in ((";", "semicolon"), ("\t", "tab")):
            try:
                alt = [norm_header(h) for h in _first_record(text, sep)]
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
                            f"point in numbers: {EXPORT}",
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
                    f"{len(shown)}){quote_hint(shown)}",
                )
            )
        elif CELL_CONTROL.search(shown) or "\n" in shown or "\r" in shown:
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
        if norm and norm not in KNOWN_COLUMNS and norm not in RESERVED_COLUMNS:
            warns.append(Problem(1, shown, None, "is not a column of the log format; it is kept as it is", "warning"))
        elif norm in RESERVED_COLUMNS:
            warns.append(
                Problem(1, shown, None, f"is a name stretchlog uses itself; the column is kept as 'extra_{norm}'", "warning")
            )
    return names, written
