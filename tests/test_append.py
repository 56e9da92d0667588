"""Appending sessions: style kept, checks before writing, atomic write, backups, clear errors; import."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
import warnings

import pandas as pd
import pytest
import typer
from filelock import FileLock
from typer.testing import CliRunner

import stretchlog.entry.append as append_mod
import stretchlog.entry.atomic as atomic_mod
from conftest import CONTRACT_EXAMPLE, HEADER
from stretchlog.cli import log as cli_log
from stretchlog.entry.append import AppendError, append_session, append_sessions, last_session
from stretchlog.entry.widesheet import import_wide
from stretchlog.log.errors import LogError, StretchlogWarning
from stretchlog.log.reader import load_log
from stretchlog.entry.quicklog import Bout, Session

NOW = dt.datetime(2026, 11, 20, 8, 30)
TWO = ["reclining hip:60x3:left:t7:p5", "hamstring:10x9"]


def add(log, bouts=TWO, **kw):
    kw.setdefault("pain_before", 6)
    kw.setdefault("pain_after", 3)
    kw.setdefault("date", "2026-11-03")
    kw.setdefault("time", "07:00")
    kw.setdefault("now", NOW)
    return append_session(log, bouts, **kw)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------- new and plain logs


def test_new_log_gets_the_contract_header(tmp_path):
    log = tmp_path / "log.csv"
    r = add(log)
    assert log.read_text() == (
        HEADER + "\n2026-11-03,07:00,reclining hip,left,60,3,6,5,7,\n2026-11-03,07:00,hamstring,both,10,9,,3,,\n"
    )
    assert r.created and (r.first_row, r.last_row) == (2, 3) and r.backup is None
    assert r.sessions == ("2026-11-03 07:00",)
    assert stat.S_IMODE(log.stat().st_mode) == 0o666 & ~_umask()


def _umask():
    m = os.umask(0)
    os.umask(m)
    return m


def test_an_empty_file_is_started_like_a_new_log(write):
    log = write("")
    assert add(log).created
    assert load_log(log).bouts.shape[0] == 2


def test_appends_to_the_contract_example_and_keeps_its_bytes(write):
    log = write(CONTRACT_EXAMPLE)
    before = log.read_bytes()
    r = add(log)
    after = log.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == r.text
    assert (r.first_row, r.last_row) == (7, 8)
    bouts = load_log(log).bouts
    assert len(bouts) == 7 and bouts["session_id"].max() == 3
    assert list(r.bouts["row"]) == [7, 8]


def test_default_date_and_time_are_now(write):
    log = write(CONTRACT_EXAMPLE)
    r = append_session(log, TWO, pain_before=6, pain_after=3, now=NOW)
    assert r.sessions == ("2026-11-20 08:30",)
    r = append_session(log, TWO, pain_before=6, pain_after=3, date="2026-11-04", now=NOW)
    assert r.sessions == ("2026-11-04",)  # a date without a time leaves the time empty


# ---------------------------------------------------------------- the file's style


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("final_newline", [True, False])
def test_style_is_kept(write, line_end, bom, final_newline):
    text = CONTRACT_EXAMPLE.replace("\n", line_end)
    if not final_newline:
        text = text.rstrip("\r\n")
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    log = write(raw)
    add(log)
    new = log.read_bytes()
    assert new.startswith(raw)
    added = new[len(raw):].decode()
    if not final_newline:
        assert added.startswith(line_end)
    body = new.decode("utf-8-sig")
    assert body.count("\n") == body.count(line_end) if line_end == "\n" else body.count("\n") == body.count("\r\n")
    assert new.startswith(b"\xef\xbb\xbf") == bom and new.count(b"\xef\xbb\xbf") == (1 if bom else 0)
    assert len(load_log(log).bouts) == 7


def test_columns_in_another_order_extra_columns_and_seq(write):
    header = "Notes,seq,Stretch,Date,hold_s,mood,pain_after,pain_before,Side,time,reps,tightness"
    log = write(f"{header}\nok,1,pigeon,2026-11-01,45,calm,3,5,left,21:30,2,\n")
    add(log, ["pigeon:45x2:right # now, \"the other\" side", "hamstring:10"])
    lines = log.read_text().splitlines()
    assert lines[2] == '"now, ""the other"" side",1,pigeon,2026-11-03,45,,,6,right,07:00,2,'
    assert lines[3] == ",2,hamstring,2026-11-03,10,,3,,both,07:00,1,"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        bouts = load_log(log).bouts
    assert bouts.loc[bouts["row"].eq(3), "notes"].item() == 'now, "the other" side'


def test_a_value_for_a_column_the_log_lacks_is_refused_not_dropped(write):
    log = write("date,time,stretch,hold_s,pain_before,pain_after\n2026-11-01,21:30,pigeon,45,5,3\n")
    before = log.read_bytes()
    with pytest.raises(AppendError, match="no 'side' column") as info:
        add(log)
    assert info.value.kind == "invalid-session"
    assert log.read_bytes() == before
    with pytest.raises(AppendError, match="no .tightness. column"):
        add(log, ["pigeon:45:t5", "hamstring:10"])
    add(log, ["pigeon:45", "hamstring:10"])  # side both and reps 1 need no column
    assert len(load_log(log).bouts) == 3


def test_a_log_without_a_time_column(write):
    log = write("date,stretch,hold_s,pain_before,pain_after\n2026-11-01,pigeon,45,5,3\n")
    append_session(log, ["pigeon:45"], pain_before=5, pain_after=4, now=NOW)  # the default time is dropped
    assert log.read_text().splitlines()[-1] == "2026-11-20,pigeon,45,5,4"
    with pytest.raises(AppendError, match="no 'time' column"):
        add(log, ["pigeon:45"])
    with pytest.raises(AppendError, match="already has a session on 2026-11-01 with no time"):
        append_session(log, ["pigeon:45"], pain_before=5, pain_after=4, date="2026-11-01", now=NOW)


# ---------------------------------------------------------------- checks before writing


def test_an_invalid_log_is_not_written_to(write):
    bad = CONTRACT_EXAMPLE.replace("2026-11-02,07:15,knees to chest,both,30,4,5,4", "2026-11-02,07:15,knees,both,0,4,5,4")
    log = write(bad)
    with pytest.raises(AppendError) as info:
        add(log)
    e = info.value
    assert e.kind == "invalid-log" and e.problems
    assert "stretchlog validate" in str(e) and "not a valid stretch log" in str(e)
    assert e.problems[0].row == 6 and e.problems[0].column == "hold_s"
    assert log.read_text() == bad
    assert not (log.parent / append_mod.BACKUP_DIR).exists()


def test_same_date_and_time_as_an_existing_session_is_refused(write):
    log = write(CONTRACT_EXAMPLE)
    with pytest.raises(AppendError) as info:
        add(log, date="2026-11-01", time="21:30")
    assert info.value.kind == "duplicate-session"
    assert "2026-11-01 at 21:30 (rows 2-5)" in str(info.value) and "--time" in str(info.value)
    assert log.read_text() == CONTRACT_EXAMPLE


def test_two_new_sessions_at_the_same_time_are_refused(tmp_path):
    s = Session(tuple(Bout("pigeon", 30, pain_before=5, pain_after=4) for _ in range(1)), date="2026-11-01", time="08:00")
    with pytest.raises(AppendError, match="two of the new sessions"):
        append_sessions(tmp_path / "log.csv", [s, s], now=NOW)
    assert not (tmp_path / "log.csv").exists()


@pytest.mark.parametrize(
    "kw, words",
    [
        ({"pain_before": None}, "pain at the start is missing"),
        ({"pain_after": None}, "pain at the end is missing"),
        ({"date": "2026-12-24"}, "in the future"),
        ({"date": "1/11/2026"}, "YYYY-MM-DD"),
        ({"time": "7:15 PM"}, "24-hour"),
        ({"pain_before": 12}, "pain_before: got '12', expected a number from 0 to 10"),
        ({"bouts": ["pigeon:30:p5>4"], "pain_before": 6}, "given twice"),
        ({"bouts": []}, "at least one"),
        ({"bouts": ["pigeon"]}, "a hold in seconds is needed"),
        ({"bouts": [{"stretch": "pigeon"}]}, "at least 'stretch' and 'hold_s'"),
        ({"bouts": [{"stretch": "pigeon", "hold_s": 30, "colour": "red"}]}, "unknown key"),
        ({"bouts": [{"stretch": "pigeon", "hold_s": 30, "reps": 2.5}]}, "reps: got '2.5'"),
        ({"bouts": [Bout("pigeon", 30, side="up")]}, "side: got 'up'"),
        ({"bouts": [Bout("pigeon", 30, notes="two\nlines")]}, "one line"),
        ({"bouts": [42]}, "got int"),
    ],
)
def test_bad_sessions_are_refused_and_nothing_is_written(write, kw, words):
    log = write(CONTRACT_EXAMPLE)
    with pytest.raises(AppendError) as info:
        add(log, **kw)
    assert words in str(info.value)
    assert info.value.kind == "invalid-session"
    assert log.read_text() == CONTRACT_EXAMPLE


def test_an_invalid_session_names_the_bout(write):
    log = write(CONTRACT_EXAMPLE)
    with pytest.raises(AppendError) as info:
        add(log, [{"stretch": "hamstring", "hold_s": 0}, Bout("pigeon", 30, tightness=11)])
    msg = str(info.value)
    assert "bout 1 (hamstring), hold_s: got '0'" in msg
    assert "bout 2 (pigeon), tightness: got '11'" in msg
    assert {p.row for p in info.value.problems} == {7, 8}


def test_a_single_string_is_a_type_error(tmp_path):
    with pytest.raises(TypeError, match="list of bouts"):
        append_session(tmp_path / "log.csv", "hamstring:10")


def test_dry_run_writes_nothing(write):
    log = write(CONTRACT_EXAMPLE)
    r = add(log, dry_run=True)
    assert r.dry_run and r.text.count("\n") == 2 and r.backup is None
    assert log.read_text() == CONTRACT_EXAMPLE
    assert sorted(p.name for p in log.parent.iterdir()) == ["log.csv"]


# ---------------------------------------------------------------- inputs


def test_session_dicts_bouts_and_frames(tmp_path):
    log = tmp_path / "log.csv"
    s = Session((Bout("pigeon", 45, 2, "left", pain_before=5), Bout("pigeon", 45, 2, "right", pain_after=3)),
                date=dt.date(2026, 11, 1), time="21:30")
    append_session(log, s, now=NOW)
    append_session(log, [{"stretch": "hamstring", "hold_s": "10", "reps": 9, "side": "B", "pain_before": 6,
                          "pain_after": 4.5, "notes": float("nan")}], date="2026-11-02", time="7:05", now=NOW)
    frame = pd.DataFrame({"date": ["2026-11-03", "2026-11-03"], "time": ["08:00", "08:00"],
                          "stretch": ["pigeon", "psoas 1"], "hold_s": [30, 45],
                          "pain_before": [4, None], "pain_after": [None, 2]})
    append_session(log, frame, now=NOW)
    bouts = load_log(log).bouts
    assert bouts["session"].unique().tolist() == ["2026-11-01 21:30", "2026-11-02 07:05", "2026-11-03 08:00"]
    assert bouts["side"].astype(str).tolist() == ["left", "right", "both", "both", "both"]
    with pytest.raises(TypeError):
        append_session(log, s, pain_before=3)
    with pytest.raises(TypeError):
        append_session(log, frame, date="2026-11-05")


def test_last_session_for_repeat(write):
    log = write(CONTRACT_EXAMPLE)
    last = last_session(load_log(log).bouts)
    assert last.date == dt.date(2026, 11, 2) and last.time == "07:15"
    assert last.bouts == (Bout("knees to chest", 30.0, 4, "both", None, 5.0, 4.0),)
    assert last_session(load_log(log).bouts.iloc[:0]) is None


# ---------------------------------------------------------------- writing: backups, permissions, links


def test_backup_of_the_previous_version_and_rotation(write, monkeypatch):
    monkeypatch.setattr(append_mod, "KEEP_BACKUPS", 2)
    log = write(CONTRACT_EXAMPLE)
    versions = [log.read_bytes()]
    backups = []
    for i in range(4):
        r = add(log, time=f"08:0{i}", now=NOW + dt.timedelta(seconds=i))
        backups.append(r.backup)
        versions.append(log.read_bytes())
    folder = log.parent / append_mod.BACKUP_DIR
    kept = sorted(folder.iterdir())
    assert kept == backups[-2:]
    assert [p.read_bytes() for p in kept] == versions[2:4]
    assert leftovers(folder) == [] and leftovers(log.parent) == []


def test_no_backup_when_asked(write):
    log = write(CONTRACT_EXAMPLE)
    assert add(log, backup=False).backup is None
    assert not (log.parent / append_mod.BACKUP_DIR).exists()


def test_permissions_are_kept(write):
    log = write(CONTRACT_EXAMPLE)
    os.chmod(log, 0o640)
    add(log)
    assert stat.S_IMODE(log.stat().st_mode) == 0o640


def test_a_symlinked_log_is_written_through(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text(CONTRACT_EXAMPLE)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    add(link)
    assert link.is_symlink() and len(load_log(real).bouts) == 7


# ---------------------------------------------------------------- clear errors, file unchanged


def test_read_only_file(write):
    log = write(CONTRACT_EXAMPLE)
    os.chmod(log, 0o444)
    for dry in (False, True):
        with pytest.raises(AppendError) as info:
            add(log, dry_run=dry)
        assert info.value.kind == "read-only" and "chmod u+w" in str(info.value)
    assert log.read_text() == CONTRACT_EXAMPLE


def test_missing_folder(tmp_path):
    with pytest.raises(AppendError) as info:
        add(tmp_path / "no" / "such" / "log.csv")
    assert info.value.kind == "missing-folder" and "does not exist" in str(info.value)
    assert not (tmp_path / "no").exists()


def test_missing_log_when_not_creating(tmp_path):
    with pytest.raises(AppendError) as info:
        add(tmp_path / "log.csv", create=False)
    assert info.value.kind == "missing-log"


@pytest.mark.parametrize("failing_write", [1, 2], ids=["new version", "backup"])
def test_full_disk_leaves_the_file_byte_identical(write, monkeypatch, failing_write):
    log = write(CONTRACT_EXAMPLE.replace("\n", "\r\n"))
    before = log.read_bytes()
    real_write = os.write
    calls = {"n": 0}

    def full(fd, data):
        calls["n"] += 1
        if calls["n"] >= failing_write:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(AppendError) as info:
        add(log)
    monkeypatch.undo()
    assert info.value.kind == "disk-full" and "disk is full" in str(info.value) and "unchanged" in str(info.value)
    assert log.read_bytes() == before
    assert leftovers(log.parent) == []
    folder = log.parent / append_mod.BACKUP_DIR
    assert not folder.exists() or (leftovers(folder) == [] and not list(folder.glob("*.bak")))


def test_full_disk_on_fsync_too(write, monkeypatch):
    log = write(CONTRACT_EXAMPLE)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(AppendError, match="disk is full"):
        add(log)
    monkeypatch.undo()
    assert log.read_text() == CONTRACT_EXAMPLE and leftovers(log.parent) == []


def test_a_folder_we_cannot_write_in(write, monkeypatch):
    log = write(CONTRACT_EXAMPLE)

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(log.parent))

    monkeypatch.setattr(atomic_mod.tempfile, "mkstemp", denied)
    with pytest.raises(AppendError) as info:
        add(log)
    assert info.value.kind == "read-only" and "permission denied" in str(info.value)
    assert log.read_text() == CONTRACT_EXAMPLE


def test_a_log_changed_by_another_program_meanwhile_is_not_overwritten(write, monkeypatch):
    log = write(CONTRACT_EXAMPLE)
    real = atomic_mod._temp_copy
    other = CONTRACT_EXAMPLE + "2026-11-05,09:00,pigeon,both,30,1,5,4,,\n"

    def meanwhile(*a, **k):
        log.write_text(other)
        return real(*a, **k)

    monkeypatch.setattr(atomic_mod, "_temp_copy", meanwhile)
    with pytest.raises(AppendError) as info:
        add(log, backup=False)
    assert info.value.kind == "changed"
    assert log.read_text() == other and leftovers(log.parent) == []


def test_a_held_lock_gives_a_clear_error(write):
    log = write(CONTRACT_EXAMPLE)
    with FileLock(str(log.parent / ".log.csv.lock")):
        with pytest.raises(AppendError) as info:
            add(log, lock_timeout=0.2)
    assert info.value.kind == "locked" and "another program" in str(info.value)
    assert log.read_text() == CONTRACT_EXAMPLE


def test_stale_temp_files_of_a_killed_writer_are_cleaned(write):
    log = write(CONTRACT_EXAMPLE)
    (log.parent / ".log.csv.abc123.tmp").write_text("half a file")
    add(log)
    assert leftovers(log.parent) == []


# ---------------------------------------------------------------- import of a wide sheet

WIDE = """date,time,stretches,holds,pain pre,pain post,sides,tightness,notes
2026-10-01,21:00,reclining hip; hamstring; psoas 1,60;10;45,6,3,left;both;right,7;5;8,good day
2026-10-02,,pigeon | knees to chest,30x2,5,4,,,
2026-10-03,07:30,"hamstring, pigeon",20,4,4,,,
"""


def test_import_wide(write):
    sheet = write(WIDE, "sheet.csv")
    rows = import_wide(sheet)
    assert rows["sheet_row"].tolist() == [2, 2, 2, 3, 3, 4, 4]
    assert rows["stretch"].tolist() == ["reclining hip", "hamstring", "psoas 1", "pigeon", "knees to chest",
                                        "hamstring", "pigeon"]
    assert rows["hold_s"].tolist() == [60, 10, 45, 30, 30, 20, 20]
    assert rows["reps"].tolist() == [1, 1, 1, 2, 2, 1, 1]
    assert rows["side"].tolist() == ["left", "both", "right", "both", "both", "both", "both"]
    assert rows["pain_before"].fillna(-1).tolist() == [6, -1, -1, 5, -1, 4, -1]
    assert rows["pain_after"].fillna(-1).tolist() == [-1, -1, 3, -1, 4, -1, 4]
    assert rows["notes"].fillna("").tolist() == ["good day", "", "", "", "", "", ""]
    log = write(CONTRACT_EXAMPLE)
    r = append_sessions(log, rows, now=NOW)
    assert r.sessions == ("2026-10-01 21:00", "2026-10-02", "2026-10-03 07:30")
    bouts = load_log(log).bouts
    assert len(bouts) == 12 and bouts["session_id"].max() == 5


def test_import_reports_every_bad_row(write):
    sheet = write(
        "date,stretches,holds,reps,pre,post\n"
        "2026-10-01,a;b;c,60;10,,6,3\n"          # 3 stretches, 2 holds
        "1/10/2026,pigeon,30,,5,4\n"              # bad date
        "2026-10-03,pigeon;hamstring,30;0,,5,14\n"  # hold 0 (item 2), pain 14
        "2026-10-04,pigeon,30x2,3,5,4\n"          # reps twice
        "2026-10-05,pigeon,30,,,4\n"              # no start pain
        ",,,,,\n"                                  # empty: skipped
        "2026-10-05,hamstring,30,,5,4\n",          # same date, no time, as row 6
        "sheet.csv",
    )
    with pytest.raises(LogError) as info:
        import_wide(sheet)
    found = {(p.row, p.column) for p in info.value.problems}
    assert (2, "holds") in found
    assert (3, "date") in found
    assert (4, "holds (item 2)") in found and (4, "post") in found
    assert (5, "reps (item 1)") in found
    assert (6, "pre") in found
    assert (8, "date") in found
    assert all(p.row != 7 for p in info.value.problems)


def test_import_header_problems(write):
    with pytest.raises(LogError, match="semicolon-separated"):
        import_wide(write("date;stretches;holds;pre;post\n2026-10-01;a;60;5;4\n", "s.csv"))
    with pytest.raises(LogError) as info:
        import_wide(write("date,stretches\n2026-10-01,a\n", "s.csv"))
    assert {p.expected.split(" (")[0] for p in info.value.problems} == {
        "a column for hold_s", "a column for pain_before", "a column for pain_after"}
    with pytest.raises(LogError, match="no such file"):
        import_wide(write("", "s.csv").parent / "missing.csv")


def test_import_warns_about_ignored_columns(write):
    sheet = write("date,stretches,holds,pre,post,weather\n2026-10-01,pigeon,30,5,4,sunny\n", "s.csv")
    with pytest.warns(StretchlogWarning, match="'weather'"):
        rows = import_wide(sheet)
    assert len(rows) == 1


def test_import_into_a_log_that_has_the_session_already(write):
    log = write(CONTRACT_EXAMPLE)
    sheet = write("date,time,stretches,holds,pre,post\n2026-11-01,21:30,pigeon,30,5,4\n", "s.csv")
    with pytest.raises(AppendError, match="already has a session on 2026-11-01 at 21:30"):
        append_sessions(log, import_wide(sheet), now=NOW)
    assert log.read_text() == CONTRACT_EXAMPLE


# ---------------------------------------------------------------- the commands


@pytest.fixture
def app():
    a = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
    a.command("log")(cli_log.log)
    a.command("import")(cli_log.import_sheet)
    return a


def run(app, *args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_cli_quick_form(app, tmp_path):
    log = tmp_path / "log.csv"
    r = run(app, "log", log, "--pain", 6, "reclining hip:60x3:left:t7:p5", "hamstring:10x9", "--end-pain", 3,
            "--date", "2026-11-01", "--time", "21:30")
    assert r.exit_code == 0, r.output
    assert "Started a new log" in r.output and "Logged 2 bouts" in r.output and "rows 2-3" in r.output
    assert "Reclining hip stretch" in r.output  # the catalog match is shown
    assert log.read_text().splitlines()[1] == "2026-11-01,21:30,reclining hip,left,60,3,6,5,7,"
    r = run(app, "log", log, "--pain", 5, "--repeat", "--end-pain", 2, "--date", "2026-11-02", "--time", "7:00")
    assert r.exit_code == 0, r.output
    assert "previous version is saved" in r.output
    assert log.read_text().splitlines()[3:] == ["2026-11-02,07:00,reclining hip,left,60,3,5,,,",
                                                "2026-11-02,07:00,hamstring,both,10,9,,2,,"]


def test_cli_dry_run(app, write):
    log = write(CONTRACT_EXAMPLE)
    r = run(app, "log", log, "-p", 6, "pigeon:30", "-e", 3, "--date", "yesterday", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "nothing was written" in r.output and ",pigeon,both,30,1,6,3,," in r.output
    assert log.read_text() == CONTRACT_EXAMPLE


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["pigeon:30:q"], 2, "token 'q'"),
        (["--date", "1/11/2026", "pigeon:30"], 2, "YYYY-MM-DD"),
        (["--time", "25:00", "pigeon:30"], 2, "HH:MM"),
        (["--pain", "11", "pigeon:30"], 2, "0 to 10"),
        (["--repeat", "pigeon:30"], 2, "not both"),
        (["pigeon:30"], 1, "pain at the start is missing"),
        (["-p", "5", "-e", "4", "--date", "2026-11-01", "--time", "21:30", "pigeon:30"], 1, "already has a session"),
    ],
)
def test_cli_errors(app, write, args, code, words):
    log = write(CONTRACT_EXAMPLE)
    r = run(app, "log", log, *args)
    assert r.exit_code == code, r.output
    assert words in r.output
    assert "Traceback" not in r.output
    assert log.read_text() == CONTRACT_EXAMPLE


def test_cli_invalid_log_shows_its_problems(app, write):
    log = write(CONTRACT_EXAMPLE.replace(",60,3,6,5,7,", ",sixty,3,6,5,7,"))
    r = run(app, "log", log, "-p", 6, "pigeon:30", "-e", 3)
    assert r.exit_code == 1 and "sixty" in r.output and "stretchlog validate" in r.output


def test_cli_read_only_and_missing_folder(app, write, tmp_path):
    log = write(CONTRACT_EXAMPLE)
    os.chmod(log, 0o444)
    r = run(app, "log", log, "-p", 6, "pigeon:30", "-e", 3)
    assert r.exit_code == 1 and "read-only" in r.output and "Traceback" not in r.output
    r = run(app, "log", tmp_path / "nope" / "log.csv", "-p", 6, "pigeon:30", "-e", 3)
    assert r.exit_code == 1 and "does not exist" in r.output


def test_cli_without_a_terminal_explains_the_quick_form(app, tmp_path):
    r = run(app, "log", tmp_path / "log.csv")
    assert r.exit_code == 2
    assert "not one" in r.output and "--pain 6" in r.output and "60x3" in r.output
    assert not (tmp_path / "log.csv").exists()


def test_cli_import(app, write):
    sheet = write(WIDE, "sheet.csv")
    log = write(CONTRACT_EXAMPLE)
    r = run(app, "import", sheet, log, "--dry-run")
    assert r.exit_code == 0, r.output
    assert log.read_text() == CONTRACT_EXAMPLE
    r = run(app, "import", sheet, log)
    assert r.exit_code == 0, r.output
    assert "Read 3 sessions (7 bouts)" in r.output and "rows 7-13" in r.output
    assert len(load_log(log).bouts) == 12
    bad = write("date,stretches,holds,pre,post\n2026-10-01,a;b,1;2;3,5,4\n", "bad.csv")
    r = run(app, "import", bad, log)
    assert r.exit_code == 1 and "one value per stretch" in r.output
