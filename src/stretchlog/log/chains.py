"""Sessions, bout order and pain chains for a frame of typed bouts (no I/O).

The contract's rules, as implemented here (all vectorised: no loop over sessions):

* **Sessions.** Bouts with the same ``date`` and ``time`` form one session; on a
  date, all bouts with an empty ``time`` form one session. Sessions are numbered
  1, 2, ... in time order (a session with no time sorts after the timed ones of
  its day).
* **Bout order.** Within a session bouts are in ``seq`` order where the column
  is given, else file order.
* **Pain chain.** The first bout of a session must have ``pain_before`` and the
  last must have ``pain_after``. Between them:

  - a reading closes the segment before it and opens the next one: a bout's
    ``pain_after`` ends its segment; a later bout's ``pain_before`` ends the
    previous bout's segment too when that bout has no ``pain_after`` (it is the
    pain just after it) and starts a segment at this bout;
  - an empty ``pain_before`` takes the previous bout's ``pain_after``;
  - where a bout has neither, it joins the previous bout's segment;
  - where both a bout's ``pain_before`` and the previous ``pain_after`` are given
    and differ, the change between them happened with no stretch: it becomes a
    *rest* segment that holds no bouts.

So the reliefs of a session's segments (bouts and rest) always add up to its start
pain minus its end pain, and every bout lies in exactly one segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stretchlog.log._runs import run_starts
from stretchlog.log.errors import Problem

__all__ = ["order_bouts", "chain_problems", "assign_segments", "segment_readings"]


def _session_label(date: pd.Series, time: pd.Series) -> pd.Series:
    label = date.dt.strftime("%Y-%m-%d")
    has_time = time.notna()
    return label.where(~has_time, label + " " + time.fillna(""))


def order_bouts(typed: pd.DataFrame) -> pd.DataFrame:
    """Sort bouts into sessions and number them.

    Parameters
    ----------
    typed : DataFrame
        Typed bouts with at least ``row``, ``date`` and ``time`` (and ``seq`` if the
        file had it).

    Returns
    -------
    DataFrame
        The same rows, sorted by session and bout order, with ``session_id``
        (1-based, time order), ``session`` (a ``"YYYY-MM-DD HH:MM"`` label) and
        ``bout`` (1-based position in the session) added.

    Examples
    --------
    >>> df = pd.DataFrame({"row": [2, 3, 4], "date": pd.to_datetime(["2026-11-02", "2026-11-01", "2026-11-01"]),
    ...                    "time": ["07:15", "21:30", "21:30"]})
    >>> order_bouts(df)[["row", "session_id", "bout"]].to_numpy().tolist()
    [[3, 1, 1], [4, 1, 2], [2, 2, 1]]
    """
    out = typed.copy()
    if out.empty:
        out["session_id"] = pd.Series(dtype="int64")
        out["bout"] = pd.Series(dtype="int64")
        out["session"] = pd.Series(dtype="str")
        return out.reset_index(drop=True)
    keys = ["date", "_time_key"]
    out["_time_key"] = out["time"].fillna("99:99")
    order_cols = keys + (["_seq"] if "seq" in out else []) + ["row"]
    if "seq" in out:
        out["_seq"] = out["seq"].astype("Float64").fillna(np.inf).astype("float64")
    out = out.sort_values(order_cols, kind="stable")
    out["session_id"] = out.groupby(keys, sort=False).ngroup().astype("int64") + 1
    out["bout"] = out.groupby("session_id", sort=False).cumcount().astype("int64") + 1
    # label each session once (formatting dates row by row is the slow part)
    ids = out["session_id"].to_numpy()
    starts = run_starts(ids)
    labels = _session_label(out["date"].iloc[starts], out["time"].iloc[starts]).to_numpy()
    out["session"] = pd.Series(labels[ids - 1], index=out.index, dtype="str")
    return out.drop(columns=[c for c in ("_time_key", "_seq") if c in out]).reset_index(drop=True)


def chain_problems(bouts: pd.DataFrame, *, limit: int = 1000) -> tuple[list[Problem], int]:
    """Problems with the pain chains and bout order of sorted bouts.

    Returns the problems (at most ``limit``) and how many more there were.
    """
    problems: list[Problem] = []
    more = 0
    first = bouts["bout"].eq(1)
    last = bouts["session_id"].ne(bouts["session_id"].shift(-1))

    def add(mask: pd.Series, column: str, expected) -> None:
        nonlocal more
        idx = np.flatnonzero(mask.to_numpy())
        room = max(0, limit - len(problems))
        for i in idx[:room]:
            r = bouts.iloc[i]
            problems.append(Problem(int(r["row"]), column, "", expected(r) if callable(expected) else expected))
        more += max(0, len(idx) - room)

    add(
        first & bouts["pain_before"].isna(),
        "pain_before",
        lambda r: f"the pain before the first bout of session {r['session']} "
        "(every session's chain of readings starts with it)",
    )
    add(
        last & bouts["pain_after"].isna(),
        "pain_after",
        lambda r: f"the pain after the last bout of session {r['session']} "
        "(every session's chain of readings ends with it)",
    )
    if "seq" in bouts:
        seq = bouts["seq"]
        given = seq.notna().groupby(bouts["session_id"]).transform("any")
        add(
            given & seq.isna(),
            "seq",
            lambda r: f"a seq number: other bouts of session {r['session']} have one, so all need one",
        )
        dup = seq.notna() & bouts.duplicated(["session_id", "seq"], keep=False)
        add(
            dup,
            "seq",
            lambda r: f"a seq number used once in session {r['session']} "
            f"(seq {int(r['seq'])} appears more than once)",
        )
    return problems, more


def _neighbours(bouts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    g = bouts.groupby("session_id", sort=False)
    return g["pain_after"].shift(1), g["pain_before"].shift(-1)


def assign_segments(bouts: pd.DataFrame) -> pd.DataFrame:
    """Add ``segment_id`` (1-based, numbered through the whole log) to sorted bouts.

    Rest segments (see the module notes) take the number just before the bout they
    precede, so ids of bouts' segments may skip a number where a rest segment lies.

    Examples
    --------
    The contract's example session: bouts 3 and 4 share a segment.

    >>> df = pd.DataFrame({"session_id": [1, 1, 1, 1], "bout": [1, 2, 3, 4],
    ...                    "pain_before": [6, None, None, None], "pain_after": [5, 4, None, 3]})
    >>> assign_segments(df)["segment_id"].tolist()
    [1, 2, 3, 3]
    """
    prev_after, _ = _neighbours(bouts)
    first = bouts["bout"].eq(1)
    before = bouts["pain_before"]
    starts = first | before.notna() | prev_after.notna()
    rest = ~first & before.notna() & prev_after.notna() & before.ne(prev_after)
    step = starts.astype("int64") + rest.astype("int64")
    out = bouts.copy()
    out["segment_id"] = step.cumsum().astype("int64")
    return out


def segment_readings(bouts: pd.DataFrame) -> pd.DataFrame:
    """Per bout: the pain that opens its segment and the pain that closes it.

    Returns a frame aligned with ``bouts`` with ``open_pain`` (set on the first bout
    of each segment), ``close_pain`` (set on the last bout of each segment) and
    ``rest_before`` (the pain change with no bout just before this bout, if any,
    as ``(pain_after of previous bout, pain_before of this bout)``).
    """
    prev_after, next_before = _neighbours(bouts)
    before, after = bouts["pain_before"], bouts["pain_after"]
    seg = bouts["segment_id"]
    is_open = seg.ne(seg.shift(1))
    is_close = seg.ne(seg.shift(-1))
    open_pain = before.fillna(prev_after).where(is_open)
    close_pain = after.fillna(next_before).where(is_close)
    first = bouts["bout"].eq(1)
    rest = ~first & before.notna() & prev_after.notna() & before.ne(prev_after)
    return pd.DataFrame(
        {
            "open_pain": open_pain,
            "close_pain": close_pain,
            "rest_from": prev_after.where(rest),
            "rest_to": before.where(rest),
        },
        index=bouts.index,
    )
