"""The command line as a user meets it: exit codes, what is printed, what is imported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import BROKEN, HEADER, SAMPLE
from stretchlog.cli.app import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200"})


def test_validate_good_log_exits_0_with_summary(write, example_text):
    result = run("validate", str(write(example_text)))
    assert result.exit_code == 0
    out = result.output
    assert "is a valid stretch log" in out
    assert "2 from 2026-11-01 to 2026-11-02" in out
    assert "5 (one row each), 4 different stretches" in out
    assert "per bout 1" in out and "mixed 1" in out


def test_validate_bad_log_exits_1_with_every_problem(write):
    text = HEADER + "\n22/11/2026,21:30,pigeon,L,0,2,6,5,7,\n2026-11-02,21:30,pigeon,left,45,2,seven,5,7,\n"
    result = run("validate", str(write(text)))
    assert result.exit_code == 1
    out = result.output
    assert "4 problems" in out
    for needle in ("22/11/2026", "'L'", "'0'", "'seven'", "date", "side", "hold_s", "pain_before"):
        assert needle in out
    assert "Traceback" not in out


def test_validate_missing_file_is_a_clear_error(tmp_path):
    result = run("validate", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_validate_prints_warnings(write):
    result = run("validate", str(write(HEADER + "\n2026-11-01,,doorway chest stretch,,30,,6,5,,\n")))
    assert result.exit_code == 0
    assert "Warnings (1)" in result.output and "custom" in result.output


def test_validate_empty_log(write):
    result = run("validate", str(write(HEADER + "\n")))
    assert result.exit_code == 0 and "no bouts yet" in result.output


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample not generated yet")
def test_validate_sample_and_broken_sample():
    assert run("validate", str(SAMPLE)).exit_code == 0
    broken = run("validate", str(BROKEN))
    assert broken.exit_code == 1 and "problems" in broken.output


def test_catalog_lists_and_filters_by_region():
    everything = run("catalog")
    assert everything.exit_code == 0 and "Reclining hip stretch" in everything.output
    hips = run("catalog", "--region", "hips")
    assert hips.exit_code == 0
    assert "Pigeon pose" in hips.output and "Double knees to chest" not in hips.output
    assert run("catalog", "--region", "elbows").exit_code == 2


def test_catalog_with_user_file(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[stretch]]\nid = "doorway-chest"\nname = "Doorway chest stretch"\nmuscle_group = "chest"\n'
        'region = "upper back"\nsided = false\nhold_s = 30\nreps = 2\norder = 550\n',
        encoding="utf-8",
    )
    result = run("catalog", "--catalog", str(extra), "--region", "upper back")
    assert result.exit_code == 0 and "Doorway chest stretch" in result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("stretchlog ")


def _imported_after(code: str) -> set[str]:
    probe = (
        "import sys, runpy\n"
        f"sys.argv = {code!r}.split()\n"
        "try:\n"
        "    runpy.run_module('stretchlog', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "import json; print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", ["stretchlog --help", "stretchlog catalog", "stretchlog effects --help"])
def test_fast_commands_do_not_import_heavy_libraries(argv):
    heavy = {"pandas", "numpy", "pandera", "statsmodels", "matplotlib", "scipy"}
    assert _imported_after(argv) & heavy == set()


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "stretchlog", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "validate" in out.stdout


def _collector_during(argv: list[str]) -> dict:
    """Run the CLI in a fresh process; was garbage collection frozen and running again?"""
    probe = (
        "import gc, json, runpy, sys\n"
        "seen = []\n"
        "gc.callbacks.append(lambda phase, info: seen.append(info['generation']) if phase == 'start' else None)\n"
        f"sys.argv = ['stretchlog'] + {argv!r}\n"
        "try:\n"
        "    runpy.run_module('stretchlog', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'collections': len(seen), 'enabled': gc.isenabled()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", str(SAMPLE)],
        ["effects", str(SAMPLE)],
        ["routine", str(SAMPLE), "--seed", "1", "--format", "md"],
        ["log", "LOG", "--pain", "5", "hamstring:30x2", "--end-pain", "3", "--dry-run"],
    ],
    ids=["validate", "effects", "routine", "log"],
)
def test_commands_collect_garbage_after_their_imports(argv, tmp_path):
    """main() holds the collector off while libraries load (issue 8); the work after
    must run with it on, or a long analysis would never free its reference cycles."""
    argv = [str(tmp_path / "log.csv") if a == "LOG" else a for a in argv]
    state = _collector_during(argv)
    assert state["frozen"] > 10_000  # the imported libraries' objects, out of the collector's view
    assert state["collections"] > 0  # and collection ran again during the command's own work
    assert state["enabled"]


def test_the_app_run_from_another_program_leaves_its_collector_alone():
    import gc

    before = gc.get_freeze_count()
    assert run("validate", str(SAMPLE)).exit_code == 0
    assert gc.get_freeze_count() == before and gc.isenabled()


def test_names_are_printed_as_typed_not_as_emoji_codes(write):
    text = HEADER + "\n2026-11-01,07:00,my :smile: twist,both,30,2,5,4,,\n"
    result = run("validate", str(write(text)))
    assert result.exit_code == 0
    assert "my :smile: twist" in result.output and "\U0001f604" not in result.output


# ---------------------------------------------------------------- file problems and import's arguments


def _flat(result) -> str:
    return " ".join(result.output.split())  # as read, whatever the terminal's wrapping


def _one_sentence(result) -> None:
    """A problem with the whole file is one plain sentence, not an empty Row/Column/Value table."""
    assert "Row" not in result.output and "┃" not in result.output, result.output
    assert "Nothing was changed" in _flat(result) or "Nothing was written" in _flat(result)


def test_validate_missing_file_folder_and_unreadable_file_are_one_line(tmp_path, write, monkeypatch):
    missing = run("validate", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "there is no such file" in _flat(missing)
    _one_sentence(missing)
    folder = run("validate", str(tmp_path))
    assert folder.exit_code == 1 and "this is a folder" in _flat(folder)
    _one_sentence(folder)
    empty = run("validate", str(write(b"")))
    assert empty.exit_code == 1 and "empty" in _flat(empty)
    _one_sentence(empty)

    # unreadable: chmod 000 does not stop root, so the reader's open() is made to refuse
    import stretchlog.log.reader as logfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(logfile, "open", refuse, raising=False)
    locked = run("validate", str(write(HEADER + "\n")))
    assert locked.exit_code == 1 and "permission to read it is denied" in _flat(locked)
    _one_sentence(locked)


SHEET = "date,time,stretches,holds,pain pre,pain post\n2026-10-01,21:00,pigeon; hamstring,60;10,6,3\n"


def test_import_with_a_missing_sheet_says_how_to_call_it(tmp_path, write):
    log = write(HEADER + "\n", "log.csv")
    before = log.read_bytes()
    result = run("import", str(tmp_path / "my-sheet.csv"), str(log))
    assert result.exit_code == 1
    out = _flat(result)
    assert f"No such file: {tmp_path / 'my-sheet.csv'}" in out
    usage = "Usage: stretchlog import SHEET LOG (the one-row-per-session spreadsheet first, then the log to add to)"
    assert usage in out
    _one_sentence(result)
    assert log.read_bytes() == before


def test_import_with_a_folder_for_the_sheet(tmp_path):
    result = run("import", str(tmp_path), str(tmp_path / "log.csv"))
    assert result.exit_code == 1 and "is a folder, not a sheet" in _flat(result)
    _one_sentence(result)
    assert not (tmp_path / "log.csv").exists()


def test_import_with_its_arguments_swapped_shows_the_right_order(tmp_path, write, example_text):
    log = write(example_text, "log.csv")
    sheet = write(SHEET, "sheet.csv")
    before = (log.read_bytes(), sheet.read_bytes())
    result = run("import", str(log), str(sheet))
    assert result.exit_code == 2
    out = _flat(result)
    assert "The arguments look swapped" in out
    assert f"stretchlog import {sheet} {log}" in out
    assert "Row" not in result.output
    assert (log.read_bytes(), sheet.read_bytes()) == before
    assert not (tmp_path / ".stretchlog-backups").exists()
    # and the right order works
    assert run("import", str(sheet), str(log), "--dry-run").exit_code == 0


def test_import_of_a_log_as_a_sheet_says_what_it_is_not_a_problem_per_bout(tmp_path, write, example_text):
    log = write(example_text, "log.csv")
    result = run("import", str(log), str(tmp_path / "new.csv"))
    assert result.exit_code == 1
    out = _flat(result)
    assert "is a stretch log (one row per bout), not a sheet with one row per session" in out
    assert "Usage: stretchlog import SHEET LOG" in out
    assert "Row" not in result.output
    assert not (tmp_path / "new.csv").exists()


def test_a_bad_sheet_is_called_a_sheet_not_a_log(write, tmp_path):
    sheet = write("date,stretches\n2026-10-01,pigeon\n", "sheet.csv")
    result = run("import", str(sheet), str(tmp_path / "log.csv"))
    assert result.exit_code == 1
    out = _flat(result)
    assert "is not a valid one-row-per-session sheet: 3 problems" in out
    assert "stretch log" not in out
    assert "a column for hold_s" in out
