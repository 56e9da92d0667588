"""Segments: the stretches between two pain readings, and the relief across them.

A segment runs from a pain reading to the next one within a session (the rules
are in :mod:`stretchlog.log.chains`). Its relief, start pain minus end pain in points
of the 0-10 scale (positive = less pain), is the joint effect of the bouts in it:
one bout when the person rated pain around every stretch, all of a session's
bouts when they rated it only at the start and the end. A *rest* segment holds no
bouts: the pain changed between two readings with no stretch in between.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stretchlog.log._runs import join_runs, run_starts
from stretchlog.log.chains import segment_readings

__all__ = ["segments", "segment_table", "segment_bout_counts"]

_COLUMNS = [
    "segment_id",
    "session_id",
    "session",
    "date",
    "kind",
    "position",
    "n_bouts",
    "start_pain",
    "end_pain",
    "relief",
    "first_session_segment",
    "stretches",
    "first_row",
    "last_row",
]


def segments(bouts: pd.DataFrame) -> pd.DataFrame:
    """One row per segment of a log, in time order.

    Parameters
    ----------
    bouts : DataFrame
        As returned by :func:`stretchlog.read_log`.

    Returns
    -------
    DataFrame
        Columns: ``segment_id``; ``session_id``, ``session``, ``date``; ``kind``
        (``"bouts"`` or ``"rest"``); ``position`` (0-based position in the session of
        its first bout; for a rest segment, of the bout after it); ``n_bouts``;
        ``start_pain``, ``end_pain`` and ``relief`` (start minus end, positive = less
        pain); ``first_session_segment`` (True for the segment that opens its
        session); ``stretches`` (the stretch ids in order, joined by ``" + "``,
        sided ones with their side); ``first_row``, ``last_row`` (spreadsheet rows).

    Examples
    --------
    >>> import io
    >>> from stretchlog import read_log
    >>> bouts = read_log(io.StringIO(
    ...     "date,stretch,side,hold_s,pain_before,pain_after\\n"
    ...     "2026-11-01,pigeon,left,45,6,5\\n"
    ...     "2026-11-01,pigeon,right,45,,\\n"
    ...     "2026-11-01,knees to chest,,30,,3\\n"))
    >>> print(segments(bouts)[["n_bouts", "start_pain", "end_pain", "relief"]].to_string(index=False))
     n_bouts  start_pain  end_pain  relief
           1         6.0       5.0     1.0
           2         5.0       3.0     2.0
    """
    if bouts.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in _COLUMNS})
    reads = segment_readings(bouts)
    label = bouts["stretch_id"].astype("str")
    sided = bouts["side"].astype("str").ne("both")
    label = label.where(~sided, label + " (" + bouts["side"].astype("str") + ")")
    # bouts come sorted by session and bout: each segment is one run of rows
    ids = bouts["segment_id"].to_numpy()
    starts = run_starts(ids)
    ends = np.append(starts[1:], len(ids))
    firsts = bouts.iloc[starts]
    rows = bouts["row"].to_numpy()
    seg = pd.DataFrame(
        {
            "segment_id": ids[starts],
            "session_id": firsts["session_id"].to_numpy(),
            "session": firsts["session"].array,
            "date": firsts["date"].to_numpy(),
            "position": firsts["bout"].to_numpy() - 1,
            "n_bouts": ends - starts,
            "start_pain": reads["open_pain"].to_numpy()[starts],
            "end_pain": reads["close_pain"].to_numpy()[ends - 1],
            "first_row": np.minimum.reduceat(rows, starts),
            "last_row": np.maximum.reduceat(rows, starts),
            "stretches": join_runs(label.to_numpy(), ids, " + "),
            "kind": "bouts",
        }
    )

    has_rest = reads["rest_from"].notna().to_numpy()
    if has_rest.any():
        at = bouts.loc[has_rest]
        rest = pd.DataFrame(
            {
                "segment_id": at["segment_id"].to_numpy() - 1,
                "session_id": at["session_id"].to_numpy(),
                "session": at["session"].to_numpy(),
                "date": at["date"].to_numpy(),
                "position": (at["bout"] - 1).to_numpy(),
                "n_bouts": 0,
                "start_pain": reads.loc[has_rest, "rest_from"].to_numpy(),
                "end_pain": reads.loc[has_rest, "rest_to"].to_numpy(),
                "first_row": at["row"].to_numpy(),
                "last_row": at["row"].to_numpy(),
                "stretches": "",
                "kind": "rest",
            }
        )
        seg = pd.concat([seg, rest], ignore_index=True).sort_values("segment_id", kind="stable")
    seg["relief"] = seg["start_pain"] - seg["end_pain"]
    seg["first_session_segment"] = seg["session_id"].ne(seg["session_id"].shift(1))
    for c in ("segment_id", "session_id", "position", "n_bouts", "first_row", "last_row"):
        seg[c] = seg[c].astype("int64")
    seg["session"] = seg["session"].astype("str")
    seg["stretches"] = seg["stretches"].astype("str")
    seg["kind"] = seg["kind"].astype("str")
    return seg[_COLUMNS].reset_index(drop=True)


def _dtype(col: str) -> str:
    if col in ("start_pain", "end_pain", "relief"):
        return "float64"
    if col == "date":
        return "datetime64[ns]"
    if col in ("session", "kind", "stretches"):
        return "str"
    if col == "first_session_segment":
        return "bool"
    return "int64"


def segment_bout_counts(bouts: pd.DataFrame, by: str = "stretch_id") -> pd.DataFrame:
    """A segments-by-stretches table of bout counts (the regression design).

    Rows are ``segment_id`` values of the bout segments, columns the values of
    ``by`` (``stretch_id`` by default), cells the number of bouts of that stretch
    in the segment (left and right count as two bouts).
    """
    counts = pd.crosstab(bouts["segment_id"], bouts[by])
    counts.columns = counts.columns.astype("str")
    return counts.astype(np.int64)


#: The same function under the name the package exports (``stretchlog.segment_table``).
segment_table = segments
