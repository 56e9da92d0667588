"""``stretchlog cohort`` and the shared ``--prior`` option (issue 21).

One small simulated cohort (8 people, 60 days each) and one broken file, analysed
once in this process as the reference every command's output is checked against.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from stretchlog.cli.app import app
from stretchlog.cli.cohort import TABLES
from stretchlog.cohort import run_cohort
from stretchlog.effects.prior import read_prior
from stretchlog.testing.cohort import simulate_cohort
from stretchlog.trends.safety import DISCLAIMER

runner = CliRunner()

TODAY = dt.date(2026, 6, 1)
BROKEN_ROWS = 7  # the broken file's problems: more than the table lists per file
BROKEN = "date,stretch,hold_s\n" + "".join(f"2026-13-{d:02d},pigeon,30\n" for d in range(1, BROKEN_ROWS + 1))


def run(*args, width: int = 80):
    """``stretchlog ARGS`` in a terminal ``width`` columns wide."""
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": str(width)})


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_fits(output: str, width: int = 80) -> None:
    wide = [line for line in output.splitlines() if len(line) > width]
    assert wide == [], "\n".join(wide)
    assert "Traceback" not in output


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder of 8 simulated logs, one broken log and a plan file (which is not a log)."""
    path = tmp_path_factory.mktemp("cohort")
    simulate_cohort(8, days=60, seed=3).write(path)
    (path / "broken.csv").write_text(BROKEN, encoding="utf-8")
    (path / "person-001.plan.csv").write_text("not,a,log\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ref(folder):
    """The cohort as the library builds it (in this process)."""
    return run_cohort([folder], today=TODAY, jobs=1)


@pytest.fixture(scope="module")
def table_out(folder):
    result = run("cohort", folder, "--jobs", "1", "--today", TODAY)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def prior_file(folder, tmp_path_factory):
    path = tmp_path_factory.mktemp("prior") / "cohort.json"
    result = run("cohort", folder, "--jobs", "1", "--today", TODAY, "--format", "json", "--export-prior", path)
    assert result.exit_code == 0, result.output
    return path


# --------------------------------------------------------------------------- the table


def test_reference_cohort_has_what_the_tests_need(ref):
    """The simulated cohort has flagged people, a prior and one broken file."""
    assert len(ref.ok) == 8 and [r.file for r in ref.failed] == ["broken.csv"]
    assert (ref.people["n_flags"] > 0).any() and ref.prior is not None
    assert "person-001.plan.csv" not in set(ref.people["file"])


def test_table_answers_first_and_names_the_broken_file(table_out, ref):
    out = flat(table_out)
    assert out.startswith(flat(ref.headline()))
    order = ["Needs a look first", "People (8; flagged people first)", "Best stretches",
             "What helps most people", "What these numbers mean", "Could not be read", "broken.csv"]
    places = [out.find(x) for x in order]
    assert -1 not in places and places == sorted(places), list(zip(order, places))
    # the broken file: its first problems, the count of the rest and how to see them all
    tail = out[out.find("Could not be read"):]
    assert f"broken.csv: {BROKEN_ROWS} problems" in tail
    assert "row 2, column 'date': got '2026-13-01'" in tail
    assert f"and {BROKEN_ROWS - 3} more problems" in tail and "stretchlog validate" in tail
    # every readable log is still listed, every stretch of the cohort summary too
    for f in ref.people.loc[ref.people["status"].eq("ok"), "file"]:
        assert f in out
    for name in ref.stretches["name"]:
        assert name in out
    assert out.count(flat(DISCLAIMER)) == 1
    assert_fits(table_out)


def test_flagged_people_come_first_with_message_and_advice(table_out, ref):
    out = flat(table_out)
    flagged = list(ref.people.loc[ref.people["n_flags"] > 0, "file"])
    others = list(ref.people.loc[ref.people["n_flags"].eq(0) & ref.people["status"].eq("ok"), "file"])
    assert flagged and others
    look = out[out.find("Needs a look first"):out.find("People (")]
    for rec in ref.flags.itertuples(index=False):
        assert rec.file in look and flat(rec.message) in look and flat(rec.advice) in look
    assert not any(f in look for f in others)
    people = out[out.find("People ("):out.find("What helps most people")]
    assert max(people.find(f) for f in flagged) < min(people.find(f) for f in others)
    assert people.count("flagged") == len(flagged) + 1  # each flagged person, and the title


def test_no_flag_says_so_and_claims_nothing_else(tmp_path):
    sim = simulate_cohort(2, days=30, seed=11)
    sim.write(tmp_path)
    c = run_cohort([tmp_path], today=TODAY, jobs=1)
    result = run("cohort", tmp_path, "--jobs", "1", "--today", TODAY)
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    if c.flags.empty:
        assert "Needs a look first: no one." in out and "flagged" not in out
    assert c.prior is None and flat(c.prior_note) in out  # 2 people: no cohort summary
    assert "Could not be read" not in out and "What these numbers mean" not in out
    assert_fits(result.output)


# --------------------------------------------------------------------------- csv and json


def _agree(parsed: pd.DataFrame, frame: pd.DataFrame) -> None:
    assert list(parsed.columns) == list(frame.columns) and len(parsed) == len(frame)
    for col in frame.columns:
        a, b = parsed[col], frame[col]
        if pd.api.types.is_numeric_dtype(b) and b.dtype != bool:
            assert np.allclose(a.to_numpy(float), b.to_numpy(float), equal_nan=True, rtol=1e-12), col
        else:
            assert a.fillna("").astype(str).tolist() == b.fillna("").astype(str).tolist(), col


@pytest.mark.parametrize("table", TABLES)
def test_csv_tables_agree_with_the_library(folder, ref, table):
    result = run("cohort", folder, "--jobs", "1", "--today", TODAY, "--format", "csv", "--table", table)
    assert result.exit_code == 0, result.output
    _agree(pd.read_csv(io.StringIO(result.stdout), keep_default_na=True), getattr(ref, table))
    assert "broken.csv" in result.stderr  # named on stderr, never in the csv unless asked


def test_json_agrees_with_the_library(folder, ref):
    result = run("cohort", folder, "--jobs", "1", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["format"] == "stretchlog.cohort/1"
    assert doc == json.loads(json.dumps(ref.to_dict()))


# --------------------------------------------------------------------------- the prior


def test_export_prior_writes_a_summary_read_prior_reads(prior_file, ref):
    prior = read_prior(prior_file)
    assert [s.stretch for s in prior.stretches] == [s.stretch for s in ref.prior.stretches]
    assert np.allclose([s.mean for s in prior.stretches], [s.mean for s in ref.prior.stretches])
    assert prior.n_people == ref.prior.n_people


def test_effects_with_the_prior_gives_the_cohort_s_numbers(folder, prior_file, ref):
    log = folder / "person-002.csv"
    result = run("effects", log, "--prior", prior_file, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["prior"]["source"] == prior_file.name and doc["prior"]["n_people"] == ref.prior.n_people
    mine = pd.DataFrame(doc["effects"]).set_index("stretch")
    theirs = ref.effects[ref.effects["file"].eq(log.name)].set_index("stretch")
    assert len(theirs) and set(theirs.index) <= set(mine.index)
    for col in ("effect", "ci_low", "ci_high"):
        assert np.allclose(mine.loc[theirs.index, col].to_numpy(float), theirs[col].to_numpy(float),
                           rtol=0, atol=1e-8), col  # JSON keeps 10 decimals
    assert (mine.loc[theirs.index, "verdict"] == theirs["verdict"]).all()
    # the table says the figures lean on the cohort
    table = run("effects", log, "--prior", prior_file)
    assert table.exit_code == 0 and f"people's logs show ({prior_file.name})" in flat(table.output)
    assert_fits(table.output)


def test_routine_and_report_take_the_prior(folder, prior_file, tmp_path):
    log = folder / "person-003.csv"
    routine = run("routine", log, "--prior", prior_file)
    assert routine.exit_code == 0, routine.output
    assert f"people's logs show ({prior_file.name})" in flat(routine.output)
    assert_fits(routine.output)
    as_json = run("routine", log, "--prior", prior_file, "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)


@pytest.mark.parametrize("command", ["effects", "routine", "report"])
def test_a_bad_prior_file_is_refused_naming_the_field(folder, prior_file, tmp_path, command):
    doc = json.loads(prior_file.read_text(encoding="utf-8"))
    doc["stretches"][0]["spread"] = "wide"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    args = ("--out", tmp_path / "r.html") if command == "report" else ()
    result = run(command, folder / "person-001.csv", "--prior", bad, *args)
    assert result.exit_code == 1
    out = flat(result.output)
    assert "bad.json is not a usable cohort summary" in out
    assert "field 'stretches[0].spread': got 'wide', expected a number" in out
    assert not (tmp_path / "r.html").exists()
    assert_fits(result.output)


def test_a_prior_that_is_not_a_cohort_summary(folder, tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"format": "stretchlog.effects/2"}', encoding="utf-8")
    result = run("effects", folder / "person-001.csv", "--prior", other, "--format", "json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "field 'format': got 'stretchlog.effects/2'" in flat(result.stderr)
    missing = run("effects", folder / "person-001.csv", "--prior", tmp_path / "nope.json")
    assert missing.exit_code == 1 and "nope.json" in missing.output


def test_no_prior_to_export_exits_1_and_writes_nothing(tmp_path):
    simulate_cohort(2, days=30, seed=11).write(tmp_path / "logs")
    target = tmp_path / "cohort.json"
    result = run("cohort", tmp_path / "logs", "--jobs", "1", "--today", TODAY, "--export-prior", target)
    assert result.exit_code == 1
    assert "No cohort summary written: No stretch has a relief figure from at least 5 people" in flat(
        result.output)
    assert not target.exists()


# --------------------------------------------------------------------------- bad input


def test_a_missing_path_is_named(folder, tmp_path):
    result = run("cohort", folder, tmp_path / "nowhere")
    assert result.exit_code == 1
    assert f"No such file or folder: {tmp_path / 'nowhere'}" in flat(result.output)
    assert "Traceback" not in result.output


def test_no_readable_log_exits_1_with_the_problems(tmp_path):
    (tmp_path / "broken.csv").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    result = run("cohort", tmp_path, "--jobs", "1")
    assert result.exit_code == 1
    out = flat(result.output)
    assert "No log could be read: 2 files with problems" in out
    assert "broken.csv: 7 problems" in out and "empty.csv: 1 problem" in out and "is empty" in out
    assert_fits(result.output)


def test_an_empty_folder_and_bad_options(tmp_path, folder):
    empty = run("cohort", tmp_path)
    assert empty.exit_code == 1 and "No logs found" in empty.output
    assert run("cohort", folder, "--format", "xml").exit_code == 2
    assert run("cohort", folder, "--format", "csv", "--table", "nobody").exit_code == 2
    assert run("cohort", folder, "--today", "soon").exit_code == 2
    assert run("cohort", folder, "--jobs", "0").exit_code == 2
    assert run("cohort", folder, "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1").exit_code == 2
    clash = run("cohort", folder, "--export-prior", folder / "person-001.csv")
    assert clash.exit_code == 2 and "must not be one of the logs" in clash.output


def test_two_logs_with_one_name_are_refused(tmp_path, folder):
    (tmp_path / "person-001.csv").write_text((folder / "person-001.csv").read_text())
    result = run("cohort", folder, tmp_path / "person-001.csv")
    assert result.exit_code == 1 and "Two logs share the name person-001.csv" in flat(result.output)


# --------------------------------------------------------------------------- engines


def _body(output: str) -> str:
    """The table without the line that names the engine."""
    return re.sub(r"analysed in [^.]*\.", "analysed in ENGINE.", flat(output))


def test_two_processes_give_the_same_table(folder, table_out):
    result = run("cohort", folder, "--jobs", "2", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "analysed in 2 local processes" in flat(result.output)
    assert _body(result.output) == _body(table_out)


def test_a_dask_cluster_gives_the_same_json(folder, ref):
    distributed = pytest.importorskip("distributed", reason="the Dask path needs stretchlog[dask]")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        result = run("cohort", folder, "--scheduler", cluster.scheduler_address, "--today", TODAY,
                     "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(ref.to_dict()))


def test_an_unreachable_scheduler_is_one_clear_paragraph(folder, tmp_path):
    target = tmp_path / "cohort.json"
    result = run("cohort", folder, "--scheduler", "tcp://127.0.0.1:1", "--export-prior", target)
    assert result.exit_code == 1
    out = flat(result.output)
    assert out.startswith("Could not run on the Dask cluster: cannot reach the Dask scheduler at "
                          "tcp://127.0.0.1:1")
    assert "leave out --scheduler" in out and "Nothing was written." in out
    assert not target.exists()
    assert_fits(result.output)


# --------------------------------------------------------------------------- the page


def test_out_writes_the_page(folder, tmp_path, ref):
    try:
        import stretchlog.report.cohort  # noqa: F401
    except ImportError:
        pytest.skip("stretchlog.report.cohort (the HTML page) is being written by another helper")
    page = tmp_path / "cohort.html"
    result = run("cohort", folder, "--jobs", "1", "--today", TODAY, "--out", page)
    assert result.exit_code == 0, result.output
    assert page.is_file() and f"Cohort page: {page}" in flat(result.output)
    out = flat(result.output)
    # the terminal keeps the answer: the headline and who needs a look first
    assert out.startswith(flat(ref.headline())) and "Needs a look first" in out
    assert "What helps most people" not in out
    assert_fits(result.output)
