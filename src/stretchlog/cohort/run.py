"""Run the per-log work over many logs: in this process, in local processes, or on Dask.

Every engine runs the same function, :func:`stretchlog.cohort.person.person_result`,
on the same inputs (each log's file name and bytes, and one ``today``), so the
results do not depend on the engine:

- ``jobs=1``: a plain loop in this process (no start-up cost; what tests and small
  clinics need).
- ``jobs=N`` (default: the cores this process may use): the standard library's
  :class:`concurrent.futures.ProcessPoolExecutor`. Workers start from a fork server
  that has already imported stretchlog, so each starts in milliseconds, not seconds.
- ``scheduler="tcp://host:8786"``: Dask's distributed scheduler (optional
  dependency ``stretchlog[dask]``), for a study larger than one machine. The logs'
  bytes go to the cluster's workers, so use a cluster you control.

Every worker limits its BLAS to one thread (:func:`stretchlog._threads.blas_threads`),
so N workers use N cores, not N times the cores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date
from pathlib import Path

from stretchlog._threads import blas_threads
from stretchlog.cohort.person import LogInput, PersonResult, person_result

__all__ = ["available_cores", "collect_logs", "engine_name", "local_workers", "run_logs", "read_inputs",
           "SchedulerError"]

#: Called after each log: (logs done, logs in all, the file just done).
Progress = Callable[[int, int, str], None]


class SchedulerError(RuntimeError):
    """The Dask path cannot run: Dask is not installed, or the scheduler cannot be reached."""


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def collect_logs(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The log files named by ``paths``: files as given, folders' ``*.csv`` files
    (not their ``.plan.csv`` files), sorted by name within each folder.

    Raises
    ------
    FileNotFoundError
        For a path that does not exist (its name in the message).
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.glob("*.csv") if f.is_file() and not f.name.endswith(".plan.csv")))
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return out


def read_inputs(paths: Sequence[Path]) -> list[LogInput]:
    """Each log's file name and bytes (a file that cannot be read gives empty bytes,
    which the reader reports as an empty file under that name)."""
    out: list[LogInput] = []
    for p in paths:
        try:
            out.append((p.name, p.read_bytes()))
        except OSError:
            out.append((p.name, b""))
    return out


def local_workers(jobs: int | None, n_logs: int) -> int:
    """Worker processes for ``n_logs`` logs: ``jobs`` (default every core), never more
    than there are logs; 1 means a loop in this process."""
    return min(available_cores() if jobs is None else max(1, int(jobs)), max(1, n_logs))


def engine_name(jobs: int | None, n_logs: int, scheduler=None) -> str:
    """Where the per-log work runs, in words ("this process", "2 local processes", "Dask at ...")."""
    if scheduler is not None:
        address = getattr(getattr(scheduler, "scheduler", None), "address", None) or scheduler
        return f"Dask at {address}"
    w = local_workers(jobs, n_logs)
    return "this process" if w == 1 else f"{w} local processes"


def _init_worker() -> None:
    blas_threads(1)


def run_logs(
    logs: Sequence[LogInput],
    today: date,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> list[PersonResult]:
    """Run :func:`person_result` on every log; results in the order of ``logs``.

    Parameters
    ----------
    logs : sequence of (str, bytes)
        File names and contents.
    today : date
        The day "today" refers to, the same for every log.
    jobs : int, optional
        Local worker processes (default: every core this process may use; 1: no
        processes, a loop here). Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``), or a
        ``distributed.Client`` already made.
    progress : callable, optional
        Called as ``progress(done, total, file)`` after each log, in this process.

    Raises
    ------
    SchedulerError
        When ``scheduler`` is given but Dask is missing or the scheduler is unreachable.
    """
    n = len(logs)
    results: list[PersonResult | None] = [None] * n
    if n == 0:
        return []

    def done(i: int, r: PersonResult, k: int) -> None:
        results[i] = r
        if progress is not None:
            progress(k, n, r.file)

    if scheduler is not None:
        _run_dask(logs, today, scheduler, done)
    else:
        workers = local_workers(jobs, n)
        if workers == 1:
            blas_threads(1)
            for i, log in enumerate(logs):
                done(i, person_result(log, today), i + 1)
        else:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["stretchlog.cohort.person"])
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker) as ex:
                futs = {ex.submit(person_result, log, today): i for i, log in enumerate(logs)}
                for k, fut in enumerate(as_completed(futs), 1):
                    done(futs[fut], fut.result(), k)
    return [r for r in results if r is not None]


def _run_dask(logs: Sequence[LogInput], today: date, scheduler, done) -> None:
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise SchedulerError(
            "the Dask path needs Dask's distributed scheduler: pip install 'stretchlog[dask]'"
        ) from None
    own = not isinstance(scheduler, Client)
    if own:
        _probe(str(scheduler))
    try:
        client = Client(scheduler, timeout="10s") if own else scheduler
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        # the logs go to the workers as data (scatter), not inside the task graph: a
        # thousand year-long logs are ~56 MB, which Dask warns about and sends slowly
        data = client.scatter(list(logs))
        futs = client.map(person_result, data, today=today, pure=False)
        index = {f.key: i for i, f in enumerate(futs)}
        for k, fut in enumerate(dask_completed(futs), 1):
            done(index[fut.key], fut.result(), k)
    finally:
        if own:
            client.close()


def _probe(address: str) -> None:
    """Fail at once, not after Dask's 10 s time-out, when nothing listens at a
    ``tcp://host:port`` address (other address kinds are left to Dask)."""
    import socket
    from urllib.parse import urlsplit

    if not address.startswith("tcp://"):
        return
    try:
        parts = urlsplit(address)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise SchedulerError(f"{address} is not a scheduler address") from None
    if not host or port is None:
        raise SchedulerError(f"{address} has no port (a Dask scheduler listens on one, usually 8786)")
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: "
                             f"{exc.strerror or 'no answer within 5 s'}") from None
