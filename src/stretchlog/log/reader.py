"""Reading log files: :func:`load_log` and :func:`read_log`, the reader's steps in order.

:func:`load_log` turns a CSV file in the contract's format into a clean, typed
frame of bouts (with session, bout order, canonical stretch and segment), or
raises :class:`~stretchlog.log.errors.LogError` listing every problem at once, each
with the row as a spreadsheet shows it (header = row 1), the column, the value and
what was expected. Kept-but-suspicious input (unknown stretch names, extra columns,
empty rows) comes back as warnings.

How a file is read, in order, failing fast where the rest cannot be read (each step
has its own module; this one opens the file and runs them):

1. bytes (:mod:`stretchlog.log.decode`): empty, binary, a spreadsheet workbook,
   UTF-16 or not UTF-8 -> one clear problem (only the first 64 KiB is looked at
   for binary input);
2. header (:mod:`stretchlog.log.header`): semicolon- or tab-separated files,
   duplicated and missing columns; the rows are then split into text cells
   (:mod:`stretchlog.log.records`);
3. cells (:mod:`stretchlog.log.cells`): each text cell parsed to its type, with
   hints for the usual spreadsheet conventions (``22/11/2026``, ``7/10``, ``6,5``,
   ``7:15 AM``, ``L``, R's ``NA``); control characters, overlong cells and cells
   that swallowed rows (a stray double quote) are reported in any column;
4. ranges and allowed values (:mod:`stretchlog.log.bouts`): the pandera schema
   :data:`stretchlog.log.schema.INPUT`, whose bounds (dates 1900-2099, reps up to
   1000, ...) are docs/log-format.md's;
5. sessions and pain chains: :mod:`stretchlog.log.chains`.

Problems are gathered by :mod:`stretchlog.log.problems`. Writing a frame back as a
log is :mod:`stretchlog.log.writer`'s job; :func:`write_log`, :func:`to_csv_text`
and :data:`MAX_PROBLEMS` are also importable from here.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Union

import pandas as pd

from stretchlog.log import chains
from stretchlog.log.bouts import finish_bouts, schema_problems, stretch_ids
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.log.cells import NOT_CONTROL_BYTES, check_text_columns, parse_columns
from stretchlog.log.decode import HEAD_BYTES, check_head, decode_text, file_problem
from stretchlog.log.errors import LogError, Problem, StretchlogWarning
from stretchlog.log.header import (
    KNOWN_COLUMNS,
    RESERVED_COLUMNS,
    check_header_line,
    column_label,
    read_header,
)
from stretchlog.log.problems import MAX_PROBLEMS, Collector
from stretchlog.log.records import drop_empty_rows, drop_unnamed_columns, read_cells
from stretchlog.log.writer import to_csv_text, write_log

__all__ = ["LoadedLog", "load_log", "read_log", "write_log", "to_csv_text", "MAX_PROBLEMS"]

Source = Union[str, os.PathLike, IO[str], IO[bytes]]


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


def _read_source(source: Source) -> tuple[bytes, str]:
    """The bytes of ``source`` and its name, after the fast checks of its first bytes.

    The file is opened here, with this module's ``open`` (a test makes it refuse,
    to check the message for an unreadable file).
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(source)
        try:
            with open(path, "rb") as fh:
                head = fh.read(HEAD_BYTES)
                check_head(head, name)
                check_header_line(head, name)
                return head + fh.read(), name
        except FileNotFoundError:
            raise file_problem("a log file, but there is no such file (check the name and the folder)", name) from None
        except IsADirectoryError:
            raise file_problem("a log file, but this is a folder", name) from None
        except PermissionError:
            raise file_problem("a file you may read, but permission to read it is denied", name) from None
        except OSError as exc:
            raise file_problem(f"a readable file, but it cannot be read ({exc.strerror or exc})", name) from None
    name = getattr(source, "name", "<buffer>")
    data = source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    check_head(data[:HEAD_BYTES], str(name))
    check_header_line(data[:HEAD_BYTES], str(name))
    return data, str(name)


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
    text = decode_text(data, name)
    # control characters are looked for in the whole file first (one pass in C; in
    # UTF-8 they are single bytes), so a good file pays almost nothing for the check
    control = bool(data.translate(None, NOT_CONTROL_BYTES))
    del data
    problems = Collector()
    warns: list[Problem] = []
    names, written = read_header(text, name, problems, warns)

    raw, rows_all = read_cells(text, name, written, problems)
    raw.columns = [n if n else f"_unnamed_{i}" for i, n in enumerate(names)]
    raw, rows = drop_empty_rows(raw, rows_all, warns)
    raw = drop_unnamed_columns(raw, problems)
    # one column per name: duplicates were reported, keep the first
    raw = raw.loc[:, ~raw.columns.duplicated()]
    del text
    shown = dict(reversed([(n, column_label(w, i)) for i, (n, w) in enumerate(zip(names, written), start=1)]))
    text_columns = {c: c if c in KNOWN_COLUMNS else shown.get(c, c) for c in raw.columns if c == "notes" or c not in KNOWN_COLUMNS}
    check_text_columns(raw, rows, text_columns, control, problems, warns, len(written))

    typed = parse_columns(raw, rows, problems, control)
    extras = [c for c in raw.columns if c not in KNOWN_COLUMNS]

    if len(typed):
        schema_problems(typed, raw, problems)

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
    catalog_ids, is_custom = stretch_ids(ordered["stretch"], catalog, ordered["row"].to_numpy(), warns)
    ordered["stretch_id"] = catalog_ids.astype("str")
    ordered["custom"] = is_custom.to_numpy()
    extra_values = raw.loc[ordered["row"].to_numpy()] if len(ordered) else raw
    for c in extras:
        ordered["extra_" + c if c in RESERVED_COLUMNS else c] = extra_values[c].astype("str").to_numpy()
    bouts = chains.assign_segments(ordered) if len(ordered) else ordered.assign(segment_id=pd.Series(dtype="int64"))
    bouts = finish_bouts(bouts, extras)
    return LoadedLog(bouts=bouts, warnings=tuple(warns), source=name)


_COLUMN_RANK = {c: i for i, c in enumerate(KNOWN_COLUMNS)}


def _sorted(problems: list[Problem]) -> list[Problem]:
    """``problems`` by row, then by the column's place in the format (whole-file ones first)."""
    return sorted(problems, key=lambda p: (p.row or 0, _COLUMN_RANK.get(p.column or "", -1)))


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
