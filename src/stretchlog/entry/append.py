"""Adding sessions to a log: checked against the contract and the file, then written atomically.

:func:`append_session` is what ``stretchlog log`` calls, and what a notebook can
call. What it guarantees:

* **It never writes to a log that is already invalid.** It says why, and how to
  fix it (``stretchlog validate LOG`` lists every problem).
* **It never writes a log that would not read back valid.** The new rows are built
  as text in the existing file's own style (its column order, extra columns left
  empty, its line ends, its byte-order mark, a missing final newline added first),
  and the whole would-be file is read with the real reader
  (:func:`stretchlog.log.reader.load_log`) *before* anything is written. A session at
  the same date and time as one already in the log would merge into it: that is
  refused, with the rows it would merge into. The existing rows must read back
  exactly as before.
* **The write is atomic.** A lock (``.<log name>.lock``, next to the log; it stays
  there, harmless) keeps concurrent writers in turn; the log is read, checked and
  replaced while the lock is held. The new content goes to a temporary file in the
  same folder, is flushed and fsynced, renamed over the log (``os.replace``), and
  the folder is fsynced. A process killed at any moment leaves either the old file
  or the new one, never a mix. Permissions (and, where allowed, the owner) of the
  log are kept.
* **A backup of the previous version is kept** in ``.stretchlog-backups/`` next to
  the log, as ``<log name>.<YYYYmmdd-HHMMSS-ffffff>.bak`` (a byte-for-byte copy);
  the newest :data:`KEEP_BACKUPS` per log are kept, older ones are deleted.
* **Errors are plain.** A read-only log, a missing folder, a full disk, a held
  lock: :class:`AppendError` says what happened and that nothing was changed.

:func:`stretchlog.entry.widesheet.import_wide` turns a spreadsheet kept as "one row per
session" into contract rows, which :func:`append_sessions` adds in one atomic write.

The parts live in their own modules: what may be given as a session
(:mod:`stretchlog.entry.inputs`), the new rows in the file's style
(:mod:`stretchlog.entry.rows`), the check of the would-be file
(:mod:`stretchlog.entry.plan`), the atomic write and the backups
(:mod:`stretchlog.entry.atomic`), and :class:`AppendError`
(:mod:`stretchlog.entry.errors`). This module holds the lock and the public API.
"""

from __future__ import annotations

import datetime as _dt
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd
from filelock import FileLock, Timeout

from stretchlog.entry.atomic import BACKUP_DIR, clean_stale, commit, is_read_only, os_error
from stretchlog.entry.errors import AppendError
from stretchlog.entry.inputs import SessionInput, coerce_sessions, num_or_none, text_or_none
from stretchlog.entry.plan import Plan, plan_append, read_existing
from stretchlog.entry.quicklog import Bout, Session
from stretchlog.log.catalog import Catalog, load_catalog
from stretchlog.log.errors import Problem

__all__ = [
    "AppendError",
    "AppendResult",
    "append_session",
    "append_sessions",
    "last_session",
    "read_existing",
    "BACKUP_DIR",
    "KEEP_BACKUPS",
]

#: How many backups are kept per log (read at each append).
KEEP_BACKUPS = 10
#: Seconds to wait for another writer before giving up.
LOCK_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class AppendResult:
    """What :func:`append_session` did (or, with ``dry_run``, would do).

    Attributes
    ----------
    path : Path
        The log written (symbolic links resolved).
    created : bool
        True when the log did not exist (or was empty) and was started with a header.
    first_row, last_row : int
        The new rows as a spreadsheet shows them (header = row 1).
    text : str
        The exact text appended (a header too when ``created``).
    bouts : DataFrame
        The new bouts as :func:`stretchlog.log.reader.read_log` reads them back.
    sessions : tuple of str
        The new sessions' labels (``"YYYY-MM-DD HH:MM"``).
    backup : Path or None
        Where the previous version was copied (None for a new log or a dry run).
    warnings : tuple of Problem
        Warnings about the new rows (e.g. a stretch the catalog lacks, kept as custom).
    dry_run : bool
        True when nothing was written.
    """

    path: Path
    created: bool
    first_row: int
    last_row: int
    text: str
    bouts: pd.DataFrame = field(repr=False)
    sessions: tuple[str, ...]
    backup: Path | None
    warnings: tuple[Problem, ...]
    dry_run: bool


def append_sessions(
    log_path: str | os.PathLike,
    sessions: Iterable[Session] | pd.DataFrame,
    *,
    backup: bool = True,
    create: bool = True,
    dry_run: bool = False,
    catalog: Catalog | None = None,
    now: _dt.datetime | None = None,
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> AppendResult:
    """Add several sessions to a log in one atomic write (see :func:`append_session`).

    ``sessions`` is a list of :class:`~stretchlog.entry.quicklog.Session` or a DataFrame
    of contract rows (one per bout; bouts with the same date and time are one
    session), such as :func:`import_wide` returns.
    """
    return _append(
        log_path, coerce_sessions(sessions, many=True), backup=backup, create=create, dry_run=dry_run,
        catalog=catalog, now=now, lock_timeout=lock_timeout,
    )


def append_session(
    log_path: str | os.PathLike,
    bouts_or_session: SessionInput,
    *,
    pain_before: float | None = None,
    pain_after: float | None = None,
    date: _dt.date | str | None = None,
    time: str | None = None,
    backup: bool = True,
    create: bool = True,
    dry_run: bool = False,
    catalog: Catalog | None = None,
    now: _dt.datetime | None = None,
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> AppendResult:
    """Add one session to a log, checked first and written atomically.

    Parameters
    ----------
    log_path : path
        The log (CSV). A missing or empty file is started with the contract's
        header (its folder must exist) unless ``create=False``.
    bouts_or_session : Session, list, or DataFrame
        The bouts in the order done: :class:`~stretchlog.entry.quicklog.Bout` objects,
        quick-form strings (``"reclining hip:60x3:left:t7:p5"``) or dicts with the
        contract's column names; or a whole :class:`~stretchlog.entry.quicklog.Session`;
        or a DataFrame of contract rows for one session.
    pain_before, pain_after : float, optional
        Pain (0-10) just before the first bout and just after the last one (else
        give them on those bouts). Both are required by the contract.
    date : date or 'YYYY-MM-DD', optional
        The day of the session (default today; not in the future).
    time : 'HH:MM', optional
        When the session started (default: now when ``date`` is not given, else empty).
    backup : bool
        Copy the previous version into ``.stretchlog-backups/`` first (default True).
    create : bool
        Start a new log when there is none (default True).
    dry_run : bool
        Check everything and return what would be written, writing nothing.
    catalog : Catalog, optional
        The stretch catalog (default: the built-in one).
    now : datetime, optional
        The current local time (for tests).
    lock_timeout : float
        Seconds to wait for another writer.

    Returns
    -------
    AppendResult

    Raises
    ------
    AppendError
        Nothing was written: the log is invalid, the session is (or would merge into
        an existing one), the file is read-only, the folder missing, the disk full...

    Examples
    --------
    >>> import tempfile, pathlib
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> r = append_session(log, ["reclining hip:60x3:left:t7:p5", "hamstring:10x9"],
    ...                    pain_before=6, pain_after=3, date="2026-11-01", time="21:30")
    >>> print(log.read_text(), end="")
    date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes
    2026-11-01,21:30,reclining hip,left,60,3,6,5,7,
    2026-11-01,21:30,hamstring,both,10,9,,3,,
    >>> r.first_row, r.last_row, r.created
    (2, 3, True)
    """
    sessions = coerce_sessions(
        bouts_or_session, many=False, pain_before=pain_before, pain_after=pain_after, date=date, time=time
    )
    return _append(
        log_path, sessions, backup=backup, create=create, dry_run=dry_run, catalog=catalog, now=now,
        lock_timeout=lock_timeout,
    )


def _append(log_path, sessions, *, backup, create, dry_run, catalog, now, lock_timeout) -> AppendResult:
    """Check and write ``sessions`` while holding the log's lock (see :func:`append_session`)."""
    catalog = catalog if catalog is not None else load_catalog()
    now = now if now is not None else _dt.datetime.now()
    given = Path(log_path)
    path = Path(os.path.realpath(given))
    folder = path.parent
    if not folder.is_dir():
        raise AppendError(
            f"the folder {given.parent} does not exist: nothing was written. Create it first, or give the "
            "path of an existing log.",
            kind="missing-folder",
        )
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise os_error(exc, "looking at the log", path) from None
    if st is not None and stat.S_ISREG(st.st_mode) and is_read_only(st, path):
        raise AppendError(
            f"{given} is read-only, so nothing was written to it. If you mean to add to it, make it "
            f"writable first (chmod u+w '{given}').",
            kind="read-only",
        )

    def result(plan: Plan, saved: Path | None) -> AppendResult:
        return AppendResult(
            path=path, created=plan.style.created, first_row=plan.first_row, last_row=plan.last_row,
            text=plan.text, bouts=plan.bouts, sessions=plan.labels, backup=saved, warnings=plan.warnings,
            dry_run=dry_run,
        )

    if dry_run:
        return result(plan_append(path, sessions, catalog=catalog, now=now, create=create), None)

    lock = FileLock(str(folder / f".{path.name}.lock"), timeout=lock_timeout)
    try:
        lock.acquire()
    except Timeout:
        raise AppendError(
            f"another program (probably another 'stretchlog log') has been writing to {given} for "
            f"{lock_timeout:g} s: nothing was written. Try again in a moment.",
            kind="locked",
        ) from None
    except OSError as exc:
        raise os_error(exc, "creating the lock file", path) from None
    try:
        clean_stale(folder, f".{path.name}.")
        plan = plan_append(path, sessions, catalog=catalog, now=now, create=create)
        if plan.stat is not None and is_read_only(plan.stat, path):
            raise AppendError(f"{given} is read-only, so nothing was written to it.", kind="read-only")
        saved = commit(
            plan.path, plan.stat, plan.raw, plan.new, backup=backup, now=now, keep_backups=KEEP_BACKUPS
        )
    finally:
        lock.release()
    return result(plan, saved)


def last_session(bouts: pd.DataFrame) -> Session | None:
    """The latest session of a read log as a :class:`~stretchlog.entry.quicklog.Session` (None if empty).

    ``bouts`` is a frame as :func:`stretchlog.log.reader.read_log` returns it. The
    bouts keep their readings; use ``Bout.without_readings`` for a template.
    """
    if bouts is None or len(bouts) == 0:
        return None
    last_id = bouts["session_id"].max()
    rows = bouts.loc[bouts["session_id"].eq(last_id)].sort_values("bout")
    out = []
    for r in rows.itertuples(index=False):
        out.append(
            Bout(
                stretch=str(r.stretch),
                hold_s=float(r.hold_s),
                reps=int(r.reps),
                side=str(r.side),
                tightness=num_or_none(r.tightness),
                pain_before=num_or_none(r.pain_before),
                pain_after=num_or_none(r.pain_after),
                notes=text_or_none(r.notes),
            )
        )
    first = rows.iloc[0]
    return Session(
        bouts=tuple(out),
        date=first["date"].date(),
        time=None if pd.isna(first["time"]) else str(first["time"]),
    )
