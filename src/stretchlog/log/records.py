"""A log's text split into rows of text cells, numbered as a spreadsheet shows them.

Between the header (:mod:`stretchlog.log.header`) and the cells
(:mod:`stretchlog.log.cells`): every cell is read as text (``''`` for empty), rows
with more cells than the header are reported, a quote that is never closed is
found and placed, empty rows are skipped and columns without a name dropped.
"""

from __future__ import annotations

import csv
import io
import re
import warnings

import numpy as np
import pandas as pd

from stretchlog.log.errors import LogError, Problem
from stretchlog.log.header import column_label
from stretchlog.log.problems import Collector

__all__ = ["read_cells", "drop_empty_rows", "drop_unnamed_columns"]


def read_cells(
    text: str, name: str, written: list[str], problems: Collector
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
            column = column_label(written[len(last) - 1], len(last)) if row >= 2 else f"column {len(last)}"
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


def drop_empty_rows(raw: pd.DataFrame, rows: np.ndarray, warns: list[Problem]):
    """Skip rows whose cells are all empty (spreadsheets export them), with a warning each.

    Returns
    -------
    (DataFrame, ndarray)
        The rows kept, indexed by their row numbers, and those numbers.
    """
    empty = (raw == "").all(axis=1).to_numpy() if len(raw.columns) else np.ones(len(raw), bool)
    for r in rows[empty][:50]:
        warns.append(Problem(int(r), None, None, "this row is empty and was skipped", "warning"))
    if empty.sum() > 50:
        warns.append(Problem(None, None, None, f"... and {int(empty.sum()) - 50} more empty rows skipped", "warning"))
    kept = raw.loc[~empty]
    kept.index = rows[~empty]
    return kept, rows[~empty]


def drop_unnamed_columns(raw: pd.DataFrame, problems: Collector) -> pd.DataFrame:
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
