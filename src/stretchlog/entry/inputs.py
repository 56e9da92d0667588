"""What a caller may give as a session, turned into ``Session`` objects for an append.

:func:`~stretchlog.entry.append.append_session` takes bouts as
:class:`~stretchlog.entry.quicklog.Bout` objects, quick-form strings
(``"hamstring:10x9"``) or dicts with the contract's column names, a whole
``Session``, or a DataFrame of contract rows; dates as ``date``, ``datetime`` or
``'YYYY-MM-DD'`` and times as ``'HH:MM'`` or ``datetime.time``. A bout, row, date
or time that cannot be read is refused with an
:class:`~stretchlog.entry.errors.AppendError` (``kind="invalid-session"``) naming it,
before the log is even read; keywords that clash with a Session or a frame are a
``TypeError``.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Iterable, Mapping, Sequence, Union

import pandas as pd

from stretchlog.entry.errors import AppendError
from stretchlog.entry.quicklog import Bout, QuickFormError, Session, parse_bout, parse_side

__all__ = [
    "BoutLike",
    "SessionInput",
    "coerce_sessions",
    "date_of",
    "time_of",
    "num_or_none",
    "text_or_none",
]

#: One bout as a caller may give it: a Bout, a quick-form string, or a dict of contract columns.
BoutLike = Union[Bout, str, Mapping]
#: One session as a caller may give it: a Session, a list of bouts, or a frame of contract rows.
SessionInput = Union[Session, Sequence[BoutLike], pd.DataFrame]


def num_or_none(value) -> float | None:
    """A number as float; None for None, NaN or blank text."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip() == "":
            return None
        return float(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return float(value)


def text_or_none(value) -> str | None:
    """A value as text; None for None, NaN or blank text."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value)
    return text if text.strip() else None


_BOUT_KEYS = ("stretch", "hold_s", "reps", "side", "tightness", "pain_before", "pain_after", "notes")


def _bout_from_mapping(m: Mapping, where: str) -> Bout:
    unknown = sorted(set(m) - set(_BOUT_KEYS) - {"date", "time", "seq"})
    if unknown:
        raise AppendError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; a bout has {', '.join(_BOUT_KEYS)}",
            kind="invalid-session",
        )
    try:
        stretch = text_or_none(m.get("stretch"))
        hold = num_or_none(m.get("hold_s"))
        if stretch is None or hold is None:
            raise ValueError("a bout needs at least 'stretch' and 'hold_s'")
        side_raw = text_or_none(m.get("side"))
        reps = num_or_none(m.get("reps"))
        return Bout(
            stretch=stretch.strip(),
            hold_s=hold,
            reps=1 if reps is None else (int(reps) if float(reps).is_integer() else reps),
            side="both" if side_raw is None else (parse_side(side_raw) or side_raw),
            tightness=num_or_none(m.get("tightness")),
            pain_before=num_or_none(m.get("pain_before")),
            pain_after=num_or_none(m.get("pain_after")),
            notes=text_or_none(m.get("notes")),
        )
    except (TypeError, ValueError) as exc:
        raise AppendError(f"{where}: {exc}", kind="invalid-session") from None


def _to_bout(item: BoutLike, i: int) -> Bout:
    where = f"bout {i}"
    if isinstance(item, Bout):
        return item
    if isinstance(item, str):
        try:
            return parse_bout(item)
        except QuickFormError as exc:
            raise AppendError(f"{where}: {exc}", kind="invalid-session") from None
    if isinstance(item, Mapping):
        return _bout_from_mapping(item, where)
    raise AppendError(
        f"{where}: expected a Bout, a quick-form string like 'hamstring:10x9' or a dict, got {type(item).__name__}",
        kind="invalid-session",
    )


def _sessions_from_frame(frame: pd.DataFrame) -> list[Session]:
    """Contract rows (one per bout) into sessions, in order of first appearance."""
    missing = [c for c in ("date", "stretch", "hold_s") if c not in frame.columns]
    if missing:
        raise AppendError(f"the rows need the column(s) {', '.join(missing)}", kind="invalid-session")
    df = frame.reset_index(drop=True)
    dates = df["date"].map(lambda d: date_of(d, "date"))
    times = df["time"].map(lambda t: time_of(t)) if "time" in df else pd.Series([None] * len(df))
    if "seq" in df:
        order = pd.to_numeric(df["seq"], errors="coerce")
        df = df.assign(_seq=order)
    keys = list(zip(dates, times))
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    out = []
    for (d, t), idx in groups.items():
        if "_seq" in df and df.loc[idx, "_seq"].notna().all():
            idx = sorted(idx, key=lambda j: df.at[j, "_seq"])
        bouts = tuple(_bout_from_mapping({k: df.at[j, k] for k in _BOUT_KEYS if k in df}, f"row {j + 1}") for j in idx)
        out.append(Session(bouts=bouts, date=d, time=t if t is not None else ""))
    return out


def date_of(value, what: str) -> _dt.date:
    """A date given as date, datetime, Timestamp or 'YYYY-MM-DD' text (``what`` names it in errors).

    Examples
    --------
    >>> date_of("2026-11-01", "date")
    datetime.date(2026, 11, 1)
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise AppendError(
        f"{what} {text!r}: expected a date written YYYY-MM-DD, e.g. 2026-11-01", kind="invalid-session"
    )


def time_of(value) -> str | None:
    """'HH:MM' for a time given as text or datetime.time; None for no time."""
    if value is None:
        return None
    if isinstance(value, _dt.time):
        return value.strftime("%H:%M")
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    if text == "":
        return None
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if m and int(m[1]) <= 23 and int(m[2]) <= 59 and int(m[3] or 0) <= 59:
        return f"{int(m[1]):02d}:{m[2]}"
    raise AppendError(
        f"time {text!r}: expected a 24-hour time HH:MM, e.g. 21:30 (7:15 PM is 19:15)", kind="invalid-session"
    )


def coerce_sessions(
    data: SessionInput | Iterable[Session],
    *,
    many: bool,
    pain_before=None,
    pain_after=None,
    date=None,
    time=None,
) -> list[Session]:
    """The sessions in ``data``: one (``many=False``, keywords allowed) or several (``many=True``).

    Raises
    ------
    TypeError
        For pain, date or time keywords given alongside a Session or a frame, or a single string.
    AppendError
        For a bout or row that cannot be read, or a session with no bout.
    """
    keywords = any(v is not None for v in (pain_before, pain_after, date, time))
    if isinstance(data, pd.DataFrame):
        if keywords:
            raise TypeError("with a DataFrame of rows, give pain, date and time in its columns, not as keywords")
        sessions = _sessions_from_frame(data)
    elif isinstance(data, Session):
        if keywords:
            raise TypeError("with a Session, give pain, date and time in the Session, not as keywords")
        sessions = [data]
    elif isinstance(data, (str, bytes)):
        raise TypeError("give a list of bouts (e.g. ['hamstring:10x9']), not a single string")
    else:
        items = list(data)
        if many and items and all(isinstance(s, Session) for s in items):
            if keywords:
                raise TypeError("with Sessions, give pain, date and time in each Session")
            sessions = items
        else:
            bouts = tuple(_to_bout(b, i) for i, b in enumerate(items, start=1))
            sessions = [Session(bouts, pain_before, pain_after, date, time)]
    if not sessions or any(not s.bouts for s in sessions):
        raise AppendError("a session needs at least one stretch bout", kind="invalid-session")
    return sessions
