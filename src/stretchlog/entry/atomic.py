"""Replacing a log atomically, keeping backups of its previous versions.

The new content goes to a temporary file in the log's folder, is flushed and
fsynced, checked against a change made meanwhile (by a program that ignores the
lock), renamed over the log (``os.replace``), and the folder is fsynced: a
process killed at any moment leaves either the old file or the new one, never a
mix. Permissions (and, where allowed, the owner) of the log are kept. The previous
version is first copied, the same way, into :data:`BACKUP_DIR` next to the log as
``<log name>.<YYYYmmdd-HHMMSS-ffffff>.bak``; the newest ones are kept (how many:
:data:`stretchlog.entry.append.KEEP_BACKUPS`). Temporary files a killed writer
left are removed by the next one. Every failure is an
:class:`~stretchlog.entry.errors.AppendError` saying that nothing was written.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import stat
import tempfile
from pathlib import Path

from stretchlog.entry.errors import AppendError

__all__ = ["BACKUP_DIR", "commit", "clean_stale", "is_read_only", "os_error"]

#: Folder (next to the log) holding backups of previous versions.
BACKUP_DIR = ".stretchlog-backups"


def os_error(exc: OSError, what: str, path: Path) -> AppendError:
    """The AppendError for an OSError met while ``what``: disk full, read-only, permission denied, or other."""
    unchanged = f"nothing was written and {path} is unchanged"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return AppendError(
            f"the disk is full (no space left on the device while {what}): {unchanged}. "
            "Free some space and log the session again.",
            kind="disk-full",
        )
    if exc.errno == errno.EROFS:
        return AppendError(f"the disk holding {path} is read-only: {unchanged}.", kind="read-only")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return AppendError(
            f"permission denied while {what} ({exc.filename or path.parent}): {unchanged}. "
            "stretchlog needs to write in the log's folder (it writes a new copy and renames it into place).",
            kind="read-only",
        )
    return AppendError(f"could not write while {what} ({exc.strerror or exc}): {unchanged}.", kind="io")


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (os.write may write less)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:  # pragma: no cover - os.write raises instead
            raise OSError(errno.EIO, "write returned 0")
        view = view[n:]


def _new_file_mode() -> int:
    """The permissions a new file gets under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _temp_copy(folder: Path, prefix: str, data: bytes, mode: int, owner: tuple[int, int] | None) -> str:
    """Write ``data`` to a new temporary file in ``folder``, fsynced; returns its path."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        _write_all(fd, data)
        os.fchmod(fd, mode)
        if owner is not None:
            try:
                os.fchown(fd, *owner)
            except OSError:
                pass
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink_quietly(tmp)
        raise
    os.close(fd)
    return tmp


def _unlink_quietly(path) -> None:
    """Delete ``path`` if it can be deleted."""
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk (a rename is durable only then), where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - some systems cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def clean_stale(folder: Path, prefix: str) -> None:
    """Remove temporary files left by a writer that was killed (we hold the lock)."""
    try:
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                _unlink_quietly(entry.path)
    except OSError:
        pass


def _backup(path: Path, old: bytes, mode: int, now: _dt.datetime) -> Path:
    """Copy ``old`` (the log's previous bytes) into the backup folder, atomically; returns the copy's path."""
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    clean_stale(folder, f".{path.name}.")
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.name}.{stamp}.bak"
    k = 1
    while target.exists():
        target = folder / f"{path.name}.{stamp}-{k}.bak"
        k += 1
    tmp = _temp_copy(folder, f".{path.name}.", old, mode, None)
    try:
        os.replace(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(folder)
    return target


def _prune_backups(path: Path, keep: int) -> None:
    """Delete all but the newest ``keep`` backups of the log at ``path``."""
    folder = path.parent / BACKUP_DIR
    try:
        mine = sorted(
            (e for e in os.scandir(folder) if e.name.startswith(path.name + ".") and e.name.endswith(".bak")),
            key=lambda e: e.name,
        )
    except OSError:
        return
    for entry in mine[:-keep] if len(mine) > keep else []:
        _unlink_quietly(entry.path)


def is_read_only(st: os.stat_result, path: Path) -> bool:
    """True when the file (status ``st``) has no write permission, or this process may not write it."""
    return not (st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(path, os.W_OK)


def commit(
    path: Path,
    st: os.stat_result | None,
    old: bytes,
    new: bytes,
    *,
    backup: bool,
    now: _dt.datetime,
    keep_backups: int,
) -> Path | None:
    """Replace the log at ``path`` by ``new``, atomically, keeping a backup of ``old``.

    Parameters
    ----------
    path : Path
        The log (symbolic links resolved); its folder must exist.
    st : os.stat_result or None
        The log's status when ``old`` was read (None: there was no log). If the file
        changed since, nothing is written.
    old, new : bytes
        The log's bytes as read, and as they are to be.
    backup : bool
        Copy ``old`` into :data:`BACKUP_DIR` first (not for a missing or blank log).
    now : datetime
        The time stamped on the backup's name.
    keep_backups : int
        How many backups of the log to keep (older ones are deleted).

    Returns
    -------
    Path or None
        The backup made, if any.

    Raises
    ------
    AppendError
        Nothing was written: the file changed meanwhile, the disk is full or
        read-only, permission was denied ...
    """
    folder = path.parent
    mode = stat.S_IMODE(st.st_mode) if st is not None else _new_file_mode()
    owner = (st.st_uid, st.st_gid) if st is not None else None
    tmp = None
    where = "writing the new version"
    try:
        tmp = _temp_copy(folder, f".{path.name}.", new, mode, owner)
        saved = None
        if backup and st is not None and old.strip():
            where = "writing the backup"
            saved = _backup(path, old, mode, now)
        # the file must still be what we read (a writer that ignores our lock, e.g. an editor)
        where = "replacing the log"
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        unchanged = (current is None and st is None) or (
            current is not None and st is not None
            and (current.st_ino, current.st_size, current.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)
        )
        if not unchanged:
            _unlink_quietly(tmp)
            raise AppendError(
                f"{path} changed while the session was being added (another program saved it): nothing was "
                "written. Log the session again.",
                kind="changed",
            )
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(folder)
    except OSError as exc:
        if tmp is not None:
            _unlink_quietly(tmp)
        raise os_error(exc, where, path) from None
    except BaseException:
        if tmp is not None:
            _unlink_quietly(tmp)
        raise
    if saved is not None:
        _prune_backups(path, keep_backups)
    return saved
