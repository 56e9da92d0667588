"""Never corrupt, never lose: SIGKILL at random points of an append, and concurrent writers.

The kill trials run in a separate driver process (a clean interpreter with
stretchlog imported once) that forks one writer per trial: the writer appends
sessions in a loop (3 bouts each, the first tagged with its number) and reports
each one it finished on a pipe. The first trials kill it (SIGKILL, from inside)
at each critical point of the first append (:data:`KILL_POINTS`: before and after
each fsync and rename); the others kill it after a random delay spanning a few
appends (scaled to the measured speed of an append on this machine), half of them
with fsync and rename slowed a little so more kills land inside the write window. Every trial must leave
a log that reads back valid, that starts with exactly the bytes it had before,
and whose new sessions are whole (all 3 bouts or none), numbered without gaps,
with every reported session present.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
KILL_TRIALS = 40
WRITERS = 4
SESSIONS_PER_WRITER = 6
DAY0 = dt.date(2025, 1, 1)
NOW = dt.datetime(2026, 11, 20, 12, 0)
SEED_LOG = """date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes\r
2024-12-31,21:30,reclining hip stretch,left,60,3,6,5,7,\r
2024-12-31,21:30,hamstring stretch,both,10,9,,3,6,"flexed, quads"\r
"""


def when(i: int) -> tuple[str, str]:
    """A distinct session date and time for session number ``i``."""
    day = DAY0 + dt.timedelta(days=i // 1440)
    return day.isoformat(), f"{(i % 1440) // 60:02d}:{i % 60:02d}"


def bouts_for(i: int) -> list[str]:
    return [f"reclining hip:60x3:left:t7 # s{i}", "hamstring:10x9:p4", "psoas 1:45x2:r"]


def _session_numbers(log: Path, catalog) -> tuple[list[int], list[str]]:
    """The tagged sessions in the log, and every problem with their wholeness."""
    from stretchlog.log.reader import load_log

    bouts = load_log(log, catalog=catalog).bouts
    problems = []
    numbers = []
    for _, s in bouts.groupby("session_id"):
        tags = s["notes"].dropna()
        tag = [t for t in tags if t.startswith("s")]
        if not tag:
            continue  # the seed session
        i = int(tag[0][1:])
        numbers.append(i)
        if len(s) != 3 or s["stretch"].tolist() != ["reclining hip", "hamstring", "psoas 1"]:
            problems.append(f"session s{i} is not whole: {s['stretch'].tolist()}")
        if (s["date"].iloc[0].date().isoformat(), s["time"].iloc[0]) != when(i):
            problems.append(f"session s{i} has the wrong date/time")
    return sorted(numbers), problems


# --------------------------------------------------------------------------- the driver process


#: Deterministic kill points inside the first append: (function, n-th call, before/after the call).
#: One append calls os.fsync 4 times (new version, backup, backup folder, log folder) and
#: os.replace twice (backup, then the log itself).
KILL_POINTS = [
    ("fsync", 1, "before"),    # the new version is written but not yet synced
    ("fsync", 1, "after"),
    ("fsync", 2, "before"),    # while the backup is written
    ("replace", 1, "before"),
    ("replace", 1, "after"),   # backup in place, log not yet replaced
    ("fsync", 3, "after"),
    ("replace", 2, "before"),  # just before the log is renamed into place
    ("replace", 2, "after"),   # renamed, folder not yet synced
    ("fsync", 4, "after"),     # everything done, not yet reported
]


def _die_at(func: str, nth: int, when_: str) -> None:
    """Patch os.fsync or os.replace to SIGKILL this process at its n-th call."""
    real = getattr(os, func)
    calls = {"n": 0}

    def wrapper(*args):
        calls["n"] += 1
        if calls["n"] == nth and when_ == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        out = real(*args)
        if calls["n"] == nth and when_ == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return out

    setattr(os, func, wrapper)


def _writer(log: Path, start: int, wfd: int, slow: bool, via_cli: bool, point=None) -> None:
    """Runs in the forked child: append sessions forever, reporting each one done."""
    from stretchlog.entry.append import append_session
    from stretchlog.log.catalog import load_catalog

    if point is not None:
        _die_at(*point)
    if slow:
        real_fsync, real_replace = os.fsync, os.replace

        def slow_fsync(fd):
            time.sleep(0.004)
            return real_fsync(fd)

        def slow_replace(a, b):
            time.sleep(0.004)
            return real_replace(a, b)

        os.fsync, os.replace = slow_fsync, slow_replace
    catalog = load_catalog()
    app = _tiny_app() if via_cli else None
    if via_cli:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    i = start
    while True:
        day, at = when(i)
        if via_cli:
            app(["log", str(log), "--pain", "6", *bouts_for(i), "--end-pain", "3", "--date", day, "--time", at],
                standalone_mode=False)
        else:
            append_session(log, bouts_for(i), pain_before=6, pain_after=3, date=day, time=at, catalog=catalog,
                           now=NOW)
        os.write(wfd, f"{i}\n".encode())
        i += 1


def _tiny_app():
    import typer

    from stretchlog.cli import log as cli_log

    app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
    app.command("log")(cli_log.log)
    app.command("import")(cli_log.import_sheet)
    return app


def _warm_up(folder: Path, catalog) -> float:
    """Import and warm up everything a writer uses; returns the median seconds of one append."""
    import stretchlog.cli.app  # noqa: F401 - the CLI trials import it lazily otherwise
    import stretchlog.entry.interactive  # noqa: F401
    from stretchlog.entry.append import append_session

    scratch = folder / "warm-up"
    scratch.mkdir()
    log = scratch / "log.csv"
    log.write_bytes(SEED_LOG.encode())
    times = []
    for i in range(5):
        day, at = when(10_000 + i)
        t0 = time.perf_counter()
        append_session(log, bouts_for(i), pain_before=6, pain_after=3, date=day, time=at, catalog=catalog, now=NOW)
        times.append(time.perf_counter() - t0)
    return sorted(times)[2]


def _read_reports(rfd: int) -> list[int]:
    data = b""
    while chunk := os.read(rfd, 65536):
        data += chunk
    return [int(x) for x in data.split()]


def kill_trials(folder: str, trials: int, seed: int) -> dict:
    """Driver: ``trials`` forked writers killed at random; returns stats and every failure found."""
    from stretchlog.log.catalog import load_catalog

    rng = random.Random(seed)
    catalog = load_catalog()
    pace = _warm_up(Path(folder), catalog)
    log = Path(folder) / "log.csv"
    log.write_bytes(SEED_LOG.encode())
    failures: list[str] = []
    stats = {"trials": 0, "sessions": 0, "temp_left": 0, "done_but_unreported": 0, "killed_before_first": 0,
             "append_ms": round(pace * 1000)}
    next_i = 0
    for trial in range(trials):
        point = KILL_POINTS[trial] if trial < len(KILL_POINTS) else None
        slow = point is None and trial % 2 == 1
        via_cli = point is None and trial % 8 == 7
        before = log.read_bytes()
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer
            code = 0
            try:
                os.close(rfd)
                _writer(log, next_i, wfd, slow, via_cli, point)
            except BaseException:
                code = 3
            finally:
                os._exit(code)
        os.close(wfd)
        if point is None:
            # a random moment within the first few appends
            time.sleep(rng.uniform(0, 4 * pace) * (3 if slow else 1) * (2 if via_cli else 1))
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        reported = _read_reports(rfd)
        os.close(rfd)
        stats["trials"] += 1
        where = f"trial {trial} ({point or ('slow' if slow else 'plain')}{', cli' if via_cli else ''})"
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            failures.append(f"{where}: the writer ended by itself (status {status})")
            continue
        temp_left = any(n.endswith(".tmp") for n in os.listdir(folder))
        stats["temp_left"] += int(temp_left)
        after = log.read_bytes()
        if not after.startswith(before):
            failures.append(f"{where}: the existing bytes changed")
        try:
            numbers, problems = _session_numbers(log, catalog)
        except Exception as exc:  # noqa: BLE001 - any failure to read is a failure of the test
            failures.append(f"{where}: the log does not read back valid: {exc}")
            break
        failures += [f"{where}: {p}" for p in problems]
        new = [n for n in numbers if n >= next_i]
        expected_min = (max(reported) + 1) if reported else next_i
        if new != list(range(next_i, next_i + len(new))):
            failures.append(f"{where}: sessions missing or doubled: {new}")
        if next_i + len(new) < expected_min:
            failures.append(f"{where}: a reported session is missing (reported {reported}, found {new})")
        if len(new) > len(reported) + 1:
            failures.append(f"{where}: more sessions than could have been written: {new} vs {reported}")
        if point is not None:
            landed = point[0] == "fsync" and point[1] == 4 or point == ("replace", 2, "after")
            if reported or len(new) != int(landed):
                failures.append(f"{where}: expected {int(landed)} new session, found {new} (reported {reported})")
            if not landed and point[0:2] != ("fsync", 4) and not temp_left:
                failures.append(f"{where}: the kill should have left the temporary file of the new version")
        stats["done_but_unreported"] += int(len(new) == len(reported) + 1)
        stats["killed_before_first"] += int(not new)
        stats["sessions"] += len(new)
        next_i += len(new)
    # the next append cleans what killed writers left, and the backups are whole logs
    from stretchlog.entry.append import BACKUP_DIR, append_session
    from stretchlog.log.reader import load_log

    day, at = when(next_i)
    append_session(log, bouts_for(next_i), pain_before=6, pain_after=3, date=day, time=at, catalog=catalog, now=NOW)
    left = [n for n in os.listdir(folder) if n.endswith(".tmp")]
    left += [n for n in os.listdir(Path(folder) / BACKUP_DIR) if n.endswith(".tmp")]
    if left:
        failures.append(f"temporary files left after a clean append: {left}")
    for backup in (Path(folder) / BACKUP_DIR).glob("*.bak"):
        try:
            load_log(backup, catalog=catalog)
        except Exception as exc:  # noqa: BLE001
            failures.append(f"backup {backup.name} is not a valid log: {exc}")
    return {"stats": stats, "failures": failures}


def concurrent_writers(folder: str, writers: int, per_writer: int) -> dict:
    """Driver: ``writers`` forked processes append ``per_writer`` sessions each, all released at once."""
    from stretchlog.entry.append import append_session
    from stretchlog.log.catalog import load_catalog
    from stretchlog.log.reader import load_log

    catalog = load_catalog()
    log = Path(folder) / "log.csv"
    log.write_bytes(SEED_LOG.encode())
    go_r, go_w = os.pipe()
    pids = []
    for w in range(writers):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.close(go_w)
                os.read(go_r, 1)  # wait for the start signal
                for k in range(per_writer):
                    i = w * 1000 + k
                    day, at = when(i)
                    append_session(log, bouts_for(i), pain_before=6, pain_after=3, date=day, time=at,
                                   catalog=catalog, now=NOW)
            except BaseException:
                code = 3
            finally:
                os._exit(code)
        pids.append(pid)
    os.close(go_r)
    os.write(go_w, b"g" * writers)
    os.close(go_w)
    codes = [os.waitpid(pid, 0)[1] for pid in pids]
    failures = [f"writer {w} failed (status {c})" for w, c in enumerate(codes) if c != 0]
    numbers, problems = _session_numbers(log, catalog)
    failures += problems
    want = sorted(w * 1000 + k for w in range(writers) for k in range(per_writer))
    if numbers != want:
        failures.append(f"sessions lost or doubled: {numbers}")
    bouts = load_log(log, catalog=catalog).bouts
    for _, s in bouts.groupby("session_id"):  # no interleaving: each session's rows are consecutive
        rows = sorted(s["row"])
        if rows != list(range(rows[0], rows[0] + len(rows))):
            failures.append(f"session {s['session'].iloc[0]} is interleaved: rows {rows}")
    return {"failures": failures, "sessions": len(numbers)}


def _run_driver(func: str, *args, timeout: float = 120) -> dict:
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(HERE)!r})
        import test_append_crash as t
        print("RESULT" + json.dumps(t.{func}(*json.loads(sys.argv[1]))))
        """
    )
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONWARNINGS": "error"}
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True,
                          timeout=timeout, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")][-1]
    return json.loads(line[len("RESULT"):])


# --------------------------------------------------------------------------- the tests

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork and SIGKILL")


def test_sigkill_at_random_points_never_corrupts_the_log(tmp_path):
    out = _run_driver("kill_trials", str(tmp_path), KILL_TRIALS, 20261122)
    stats = out["stats"]
    print("kill trials:", stats)
    assert out["failures"] == []
    assert stats["trials"] == KILL_TRIALS
    # the deterministic points left temporary files; the random kills landed inside appends too
    assert stats["temp_left"] >= 7, stats
    assert stats["sessions"] >= 10, stats


def test_concurrent_writers_all_land_without_interleaving(tmp_path):
    out = _run_driver("concurrent_writers", str(tmp_path), WRITERS, SESSIONS_PER_WRITER)
    assert out["failures"] == []
    assert out["sessions"] == WRITERS * SESSIONS_PER_WRITER


def test_concurrent_log_commands_all_land(tmp_path):
    """Three real ``log`` command processes started together."""
    log = tmp_path / "log.csv"
    log.write_bytes(SEED_LOG.encode())
    script = tmp_path / "app.py"
    script.write_text(
        "import sys\nsys.path.insert(0, %r)\nimport test_append_crash as t\nt._tiny_app()()\n" % str(HERE)
    )
    procs = []
    for i in range(3):
        day, at = when(500 + i)
        procs.append(subprocess.Popen(
            [sys.executable, str(script), "log", str(log), "--pain", "6", *bouts_for(500 + i), "--end-pain", "3",
             "--date", day, "--time", at],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        ))
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    from stretchlog.log.catalog import load_catalog

    numbers, problems = _session_numbers(log, load_catalog())
    assert problems == [] and numbers == [500, 501, 502]
