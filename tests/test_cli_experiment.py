"""``stretchlog plan``, ``stretchlog experiment`` and the plan in ``stretchlog log`` (issue 20)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import sys

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import ROOT, SAMPLE
from stretchlog.cli.app import app
from stretchlog.experiment import plan_path, read_plan

runner = CliRunner()

EXPERIMENT_LOG = ROOT / "data" / "sample" / "experiment-log.csv"
EXPERIMENT_PLAN = ROOT / "data" / "sample" / "experiment-log.plan.csv"
TODAY = dt.date.today()

KINDS = {
    "compare": ("reclining hip", "pigeon"),
    "dose": ("reclining hip:30x2", "reclining hip:60x3"),
    "order": ("reclining hip", "pigeon"),
}
# the stretch that shows each option of a compare plan of KINDS["compare"]
COMPARE_STRETCH = {"A": "reclining hip:60x2", "B": "pigeon:45x2"}


def run(*args: str, width: int = 80):
    """``stretchlog ARGS`` in a terminal ``width`` columns wide (stdout and stderr together)."""
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": str(width)})


def assert_fits(output: str, width: int = 80) -> None:
    wide = [line for line in output.splitlines() if len(line) > width]
    assert wide == [], "\n".join(wide)
    assert "Traceback" not in output


@pytest.fixture
def log(tmp_path):
    """A copy of the main sample log (no plan beside it)."""
    path = tmp_path / "log.csv"
    shutil.copy(SAMPLE, path)
    return path


@pytest.fixture
def experiment_log(tmp_path):
    """A copy of the sample experiment log and its plan."""
    path = tmp_path / "exp.csv"
    shutil.copy(EXPERIMENT_LOG, path)
    shutil.copy(EXPERIMENT_PLAN, plan_path(path))
    return path


def make_plan(log, *extra: str, kind: str = "compare"):
    return run("plan", log, f"--{kind}", *KINDS[kind], *extra)


# --------------------------------------------------------------------------- stretchlog plan


@pytest.mark.parametrize("kind", list(KINDS))
def test_plan_is_written_beside_the_log_for_each_kind(log, kind):
    result = make_plan(log, "--seed", "7", kind=kind)
    assert result.exit_code == 0, result.output
    target = plan_path(log)
    assert target == log.with_name("log.plan.csv") and target.is_file()
    plan = read_plan(target)
    assert plan.kind == kind and plan.seed == 7
    assert plan.start > TODAY  # default start: tomorrow (or the first usual weekday after)
    out = " ".join(result.output.split())
    # answer first (after the log's one-line warning pointer): the question, then the
    # file, the length and the design, then what it can find and the first days
    before, _, rest = out.partition("Your self-experiment: ")
    assert before in ("", f"1 warning about this log (kept, worth a look); 'stretchlog validate {log}' lists it. ")
    assert rest.startswith(plan.question)
    order = [f"Written to {plan_path(log)}.", f"Length: {plan.weeks} weeks, {plan.n_days} planned days",
             "Design (pairs)", "Option A:", "What it can find:", "80% chance", "The first days"]
    places = [rest.find(x) for x in order]
    order.append(plan.schedule["do"].iloc[0])
    places.append(rest.find(order[-1], places[-1]))
    assert -1 not in places and places == sorted(places), list(zip(order, places))
    assert f"stretchlog log {log}" in out and "stretchlog experiment" in out
    assert_fits(result.output)


def test_plan_options_weeks_days_design_and_start(log):
    start = TODAY + dt.timedelta(days=3)
    result = make_plan(log, "--weeks", "4", "--days", "mon,wed,fri,sat", "--design", "free", "--max-run", "2",
                       "--start", start.isoformat(), "--seed", "3")
    assert result.exit_code == 0, result.output
    plan = read_plan(plan_path(log))
    assert plan.design == "free" and plan.max_run == 2 and plan.weeks <= 4
    assert plan.start >= start
    assert set(plan.schedule["date"].dt.day_of_week) <= {0, 2, 4, 5}
    runs = (plan.schedule["option"] != plan.schedule["option"].shift()).cumsum().value_counts()
    assert runs.max() <= 2


def test_plan_json(log):
    result = make_plan(log, "--seed", "5", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["format"] == "stretchlog.plan/1" and doc["written"].endswith("log.plan.csv")
    assert doc["kind"] == "compare" and doc["options"]["A"] == "Reclining hip stretch"
    assert len(doc["schedule"]) == doc["planned_days"] and doc["preview"]


def test_a_harmful_stretch_is_refused(log):
    result = run("plan", log, "--compare", "side bend", "pigeon")
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "No plan made: --compare 'side bend': expected" in out
    assert "makes it worse" in out and "Nothing was written." in out
    assert not plan_path(log).exists()
    assert_fits(result.output)
    as_json = run("plan", log, "--compare", "side bend", "pigeon", "--format", "json")
    assert as_json.exit_code == 1
    doc = json.loads(as_json.stdout)
    assert doc["written"] is None and doc["problems"][0]["column"] == "--compare"
    assert doc["problems"][0]["value"] == "side bend"


def test_an_unknown_name_is_refused_with_suggestions(log):
    result = run("plan", log, "--compare", "pigon", "xyzzy")
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "--compare 'pigon'" in out and "did you mean 'Pigeon pose'?" in out
    assert "--compare 'xyzzy'" in out
    assert "column '--compare'" not in out
    assert not plan_path(log).exists()
    assert_fits(result.output)


@pytest.mark.parametrize(
    "args",
    [("--compare", "pigeon", "pigeon pose"), ("--dose", "pigeon:30x2", "pigeon pose:30 x 2")],
    ids=["compare", "dose"],
)
def test_equal_options_are_refused(log, args):
    result = run("plan", log, *args)
    assert result.exit_code == 1
    assert "two different options" in " ".join(result.output.split())
    assert not plan_path(log).exists()


def test_too_few_days_are_refused(log):
    result = make_plan(log, "--weeks", "1", "--days", "mon,thu")
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "No plan made: --weeks '1': expected" in out and "4 planned days (got 2)" in out
    assert "column 'weeks'" not in out
    assert not plan_path(log).exists()


@pytest.mark.parametrize(
    "args",
    [
        (),  # no question
        ("--compare", "a", "b", "--order", "a", "b"),  # two questions
        ("--compare", "a", "b", "--design", "zigzag"),
        ("--compare", "a", "b", "--max-run", "2"),  # only for --design free
        ("--compare", "a", "b", "--days", "mon,someday"),
        ("--compare", "a", "b", "--start", "next week"),
        ("--compare", "a", "b", "--format", "xml"),
    ],
)
def test_bad_usage_exits_2(log, args):
    result = run("plan", log, *args)
    assert result.exit_code == 2, result.output
    assert not plan_path(log).exists()
    assert_fits(result.output)


def test_an_existing_plan_is_kept_without_replace(log):
    assert make_plan(log, "--seed", "1").exit_code == 0
    before = plan_path(log).read_bytes()
    again = run("plan", log, "--compare", "reclining hip", "seated hip", "--seed", "2")
    assert again.exit_code == 1
    out = " ".join(again.output.split())
    assert "a plan already sits beside this log" in out and "log.plan.csv" in out
    assert "--replace" in out and "stretchlog experiment" in out
    assert plan_path(log).read_bytes() == before
    assert_fits(again.output)
    replaced = run("plan", log, "--compare", "reclining hip", "seated hip", "--seed", "2", "--replace")
    assert replaced.exit_code == 0 and "Replaced the plan in" in replaced.output
    assert read_plan(plan_path(log)).b.stretch_id == "seated-hip-stretch"


def test_dry_run_writes_nothing(log):
    result = make_plan(log, "--dry-run")
    assert result.exit_code == 0
    assert "Dry run: nothing written" in result.output and "The first days" in result.output
    assert not plan_path(log).exists()
    assert sorted(p.name for p in log.parent.iterdir()) == ["log.csv"]


def test_the_same_seed_draws_the_same_file(tmp_path):
    start = (TODAY + dt.timedelta(days=2)).isoformat()
    files = []
    for name in ("one", "two", "three"):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(SAMPLE, folder / "log.csv")
        seed = "11" if name != "three" else "12"
        assert make_plan(folder / "log.csv", "--seed", seed, "--start", start).exit_code == 0
        files.append(plan_path(folder / "log.csv").read_bytes())
    assert files[0] == files[1]
    assert files[0] != files[2]


# --------------------------------------------------------------------------- stretchlog experiment


@pytest.fixture(scope="module")
def sample_result():
    from stretchlog.analysis import analyse

    return analyse(EXPERIMENT_LOG).experiment


def test_experiment_on_the_sample_answers_first(experiment_log, sample_result):
    result = run("experiment", experiment_log)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert " ".join(lines[0].split()) == " ".join(sample_result.headline.split()[: len(lines[0].split())])
    assert lines[0].startswith("Reclining hip stretch gives you more relief than Seated hip stretch")
    out = " ".join(result.output.split())
    assert "Difference +0.9 points a session, A minus B (95% interval +0.3 to +1.5)" in out
    assert "As done +1.1 points" in out
    assert "Chance better >99% that option A, Reclining hip stretch, is the better one" in out
    assert "Adherence 38 of 48 days as planned (79%); 1 swapped" in out
    assert "Carry-over:" in out and "Period:" in out and "p = 0.006" in out
    assert "stretchlog routine uses Reclining hip stretch (option A)" in out
    assert lines[-1] == "Advice from your own records, not a diagnosis."
    assert_fits(result.output)


def test_experiment_json(experiment_log, sample_result):
    result = run("experiment", experiment_log, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["format"] == "stretchlog.experiment/1"
    assert doc["headline"] == sample_result.headline and doc["winner"] == "A"
    assert doc["counts"]["planned"] == 48 and len(doc["days"]) == 48
    assert doc["days"][0]["date"] == "2026-10-05"


def test_experiment_markdown_has_the_cent_style_sections(experiment_log):
    from stretchlog.report.trial import SECTIONS

    result = run("experiment", experiment_log, "--format", "md")
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("# Self-experiment (N-of-1 trial): Which gives you more relief")
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == list(SECTIONS)
    for needle in ("seed 20261005", "Mon 5 Oct 2026", "Sat 28 Nov 2026", "| Missed (no session logged) | 9 |",
                   "| Swapped (the other option done) | 1 |", "randomisation test", "| p-value",
                   "0.006", "95% interval +0.3 to +1.5", "Not blinded", "not a diagnosis"):
        assert needle in md, needle


def test_experiment_markdown_function_directly(sample_result):
    from stretchlog.report.trial import experiment_markdown

    md = experiment_markdown(sample_result, made=dt.date(2026, 12, 1))
    assert "on Tue 1 Dec 2026" in md and md.endswith("\n")
    assert "The routine would use Reclining hip stretch (option A)." in md


def _pdf_pages(path) -> int:
    counts = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", path.read_bytes())
    return int(counts[0]) if counts else -1


def test_experiment_pdf_is_one_page(experiment_log, tmp_path):
    out = tmp_path / "summary.pdf"
    result = run("experiment", experiment_log, "--format", "pdf", "--out", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and _pdf_pages(out) == 1
    assert "summary.pdf" in result.output


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_pdf_text_fits_the_page(sample_result, paper):
    from stretchlog.report.trial import PAPER, draw_trial_page

    fig = draw_trial_page(sample_result, paper=paper)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    w, h = fig.bbox.width, fig.bbox.height
    for t in fig.texts:
        box = t.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= w and box.y0 >= 0 and box.y1 <= h, t.get_text()
    bottom = float(fig.get_gid().split(":")[1])
    assert bottom <= PAPER[paper][1] - 0.5


def test_experiment_without_a_plan_says_how_to_make_one(log):
    result = run("experiment", log)
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "No self-experiment planned beside this log" in out
    assert f"stretchlog plan {log} --compare A B" in out
    assert_fits(result.output)


def test_experiment_with_a_plan_file_given(experiment_log, tmp_path):
    other = tmp_path / "elsewhere.csv"
    plan_path(experiment_log).rename(other)
    assert run("experiment", experiment_log).exit_code == 1
    result = run("experiment", experiment_log, "--plan", other)
    assert result.exit_code == 0 and result.output.startswith("Reclining hip stretch gives")
    missing = run("experiment", experiment_log, "--plan", tmp_path / "nope.csv")
    assert missing.exit_code == 1 and "No such plan file" in missing.output


def test_a_broken_plan_names_row_column_value_and_expected(experiment_log):
    path = plan_path(experiment_log)
    lines = path.read_text().splitlines(keepends=True)
    row = 5  # as a spreadsheet shows it: the header is row 1
    lines[row - 1] = lines[row - 1].replace(",A,", ",C,", 1).replace(",B,", ",C,", 1)
    path.write_text("".join(lines))
    result = run("experiment", experiment_log)
    assert result.exit_code == 1
    out = result.output
    assert "not a valid plan file" in out and "the header is row 1" in out
    assert re.search(rf"│\s+{row} │ option\s+│ 'C'\s+│ A or B", out), out
    assert_fits(out)


@pytest.mark.parametrize("content", [b"", b"\x00\xff\xfe garbage", b"just,some\n1,2\n"],
                         ids=["empty", "binary", "other-csv"])
def test_an_unreadable_plan_file_is_one_clear_error(experiment_log, content):
    plan_path(experiment_log).write_bytes(content)
    result = run("experiment", experiment_log)
    assert result.exit_code == 1
    assert "plan file" in result.output and "Traceback" not in result.output
    assert_fits(result.output)


def test_an_interim_look_is_labelled(sample_result):
    """A running plan (the sample looked at mid-way): its figures say interim, its interval is wider."""
    from stretchlog.analysis import analyse
    from stretchlog.cli.experiment import print_experiment

    r = analyse(EXPERIMENT_LOG, today=dt.date(2026, 11, 10)).experiment
    assert r.status == "running"
    buf = io.StringIO()
    print_experiment(Console(file=buf, width=80, color_system=None), r, EXPERIMENT_LOG)
    text = buf.getvalue()
    out = " ".join(text.split())
    assert text.splitlines()[0].startswith("So far (interim look")
    if r.interim and r.difference == r.difference:
        assert "So far (interim)" in out and "wider for an early look)" in out
    assert "Plan day" in out or "No planned session today" in out
    assert_fits(text)


# --------------------------------------------------------------------------- stretchlog log with a plan


@pytest.fixture
def planned_log(log):
    """The sample log with a compare plan that started a week ago, every day of the week."""
    start = TODAY - dt.timedelta(days=7)
    result = make_plan(log, "--start", start.isoformat(), "--weeks", "2",
                       "--days", "mon,tue,wed,thu,fri,sat,sun", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert "the plan starts before today" in " ".join(result.output.split())
    return log, read_plan(plan_path(log))


def test_log_prints_the_days_option_and_what_the_plan_records(planned_log):
    log, plan = planned_log
    day = plan.schedule["date"].iloc[0].date()
    option = plan.schedule["option"].iloc[0]
    result = run("log", log, "--date", day.isoformat(), "--pain", "6", COMPARE_STRETCH[option], "--end-pain", "3")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    today_line = f"Plan day 1 of {plan.n_days} ({day:%a} {day.day} {day:%b}): option {option} -"
    assert out.startswith(today_line)
    assert out.index(today_line) < out.index("Logged 1 bout")
    assert out.endswith(f"Plan day 1: option {option} done as planned.")
    assert_fits(result.output)


def test_log_on_a_swapped_day_and_on_a_day_with_neither(planned_log):
    log, plan = planned_log
    s = plan.schedule
    day, option = s["date"].iloc[1].date(), s["option"].iloc[1]
    other = "B" if option == "A" else "A"
    result = run("log", log, "--date", day.isoformat(), "--pain", "6", COMPARE_STRETCH[other], "--end-pain", "3")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert f"Plan day 2: planned {option}, the log shows option {other} (a swapped day" in out
    day3 = s["date"].iloc[2].date()
    neither = run("log", log, "--date", day3.isoformat(), "--pain", "6", "hamstring:30x2", "--end-pain", "4")
    assert neither.exit_code == 0
    assert "the log shows neither option" in " ".join(neither.output.split())
    assert_fits(result.output + neither.output)


def test_log_dry_run_shows_the_option_but_records_nothing(planned_log):
    log, plan = planned_log
    day = plan.schedule["date"].iloc[0].date()
    before = log.read_bytes()
    result = run("log", log, "--date", day.isoformat(), "--pain", "6", "pigeon:30x2", "--end-pain", "3",
                 "--dry-run")
    assert result.exit_code == 0
    assert "Plan day 1 of" in result.output and "done as planned" not in result.output
    assert log.read_bytes() == before


def test_a_broken_plan_never_blocks_logging(planned_log):
    log, plan = planned_log
    path = plan_path(log)
    lines = path.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace(",compare,", ",swap,", 1)  # row 3, column kind
    path.write_text("".join(lines))
    day = plan.schedule["date"].iloc[0].date()
    result = run("log", log, "--date", day.isoformat(), "--pain", "6", "pigeon:30x2", "--end-pain", "3")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Note: the plan beside this log (log.plan.csv) cannot be read: row 3, column 'kind'" in out
    assert "Logging goes on without it." in out and "Logged 1 bout" in out
    assert_fits(result.output)


def test_interactive_log_prints_the_option_before_the_first_question(planned_log, monkeypatch, capsys):
    """The step-by-step form: the plan's line comes before the first question, its record after."""
    import stretchlog.entry.interactive as interactive
    from stretchlog.cli import log as cli_log

    log, plan = planned_log
    day = plan.schedule["date"].iloc[0].date()
    option = plan.schedule["option"].iloc[0]
    seen: list[str] = []
    answers = ["n", COMPARE_STRETCH[option], ""]  # not the last session; one bout; done

    def ask(message, *, completer=None):
        seen.append(capsys.readouterr().out)
        return answers.pop(0)

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(interactive, "prompt_toolkit_ask", lambda: ask)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setenv("COLUMNS", "80")
    cli_log.log(log=log, bouts=None, pain=6.0, end_pain=3.0, date=day.isoformat(), time=None, repeat=False,
                dry_run=False, yes=True, no_backup=True, new_stretch=False, catalog=None)
    before_first = " ".join(seen[0].split())
    assert before_first.startswith(f"Plan day 1 of {plan.n_days}")
    after = " ".join(capsys.readouterr().out.split())
    assert after.endswith(f"Plan day 1: option {option} done as planned.")
    assert answers == []
