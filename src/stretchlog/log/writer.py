"""Writing a bouts frame back as contract CSV text or a new log file.

The inverse of the reader (:mod:`stretchlog.log.reader`): reading the text back
gives the same frame (apart from ``row``). For adding sessions to an existing log,
use :mod:`stretchlog.entry.append`, which checks the new rows against the file and
writes atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from stretchlog.log.bouts import BOUT_COLUMNS
from stretchlog.log.header import RESERVED_COLUMNS

__all__ = ["to_csv_text", "write_log"]


def _fmt_number(values: pd.Series) -> pd.Series:
    """Numbers as the log writes them: whole ones without '.0', empty cells empty."""
    v = values.astype("float64")
    whole = v.notna() & (v == np.round(v))
    out = pd.Series("", index=values.index, dtype="str")
    out[whole] = v[whole].astype("int64").astype("str")
    frac = v.notna() & ~whole
    out[frac] = v[frac].map(repr)
    return out


def to_csv_text(bouts: pd.DataFrame, *, line_end: str = "\n") -> str:
    """The contract CSV text of a bouts frame (as :func:`~stretchlog.log.reader.read_log` returns it).

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
    extra = [c for c in bouts.columns if c not in BOUT_COLUMNS]
    for c in extra:
        target = c[len("extra_"):] if c.startswith("extra_") and c[len("extra_"):] in RESERVED_COLUMNS else c
        cols[target] = bouts[c].fillna("").astype("str")
    frame = pd.DataFrame(cols)
    return frame.to_csv(index=False, lineterminator=line_end)


def write_log(bouts: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a bouts frame to a new contract CSV file (UTF-8, LF line ends).

    For adding sessions to an existing log, use :mod:`stretchlog.entry.append`, which
    checks the new rows against the file and writes atomically.
    """
    Path(path).write_text(to_csv_text(bouts), encoding="utf-8", newline="")
