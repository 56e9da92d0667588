"""Issue 19, a logger that guards the log: unknown names refused in one line, holds as
minutes, warnings about stretches that make the pain worse, and words for each surface."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import time

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from conftest import CONTRACT_EXAMPLE, SAMPLE
from stretchlog.cli import log as cli_log
from stretchlog.entry.append import AppendError, append_session
from stretchlog.entry.completion import History, history_of
from stretchlog.entry.interactive import run_interactive
from stretchlog.entry.names import is_known, suggest, unknown_name_message
from stretchlog.entry.quicklog import (
    QuickFormError,
    format_number,
    parse_bout,
    parse_hold,
    split_new_marker,
)
from stretchlog.log.catalog import load_catalog
from stretchlog.log.reader import load_log

CATALOG = load_catalog()
NOW = dt.datetime(2026, 11, 20, 8, 0)


# ---------------------------------------------------------------- holds


@pytest.mark.parametrize(
    "text, seconds",
    [("45", 45), ("45s", 45), ("45 sec", 45), ("7.5", 7.5), ("90s", 90), ("1m", 60), ("1 min", 60),
     ("1.5m", 90), ("1:30", 90), ("1m30s", 90), ("1m30", 90), ("1M 30S", 90), ("0:45", 45), ("2:05", 125)],
)
def test_holds_in_seconds_minutes_or_both(text, seconds):
    assert parse_hold(text) == seconds


@pytest.mark.parametrize("text", ["1x", "2h", "1:75", "1m75s", "abc", "", "1::30", "1.5m30s", "-5", "1m-30s"])
def test_other_holds_are_refused_with_what_a_hold_looks_like(text):
    with pytest.raises(ValueError, match="expected seconds such as 45, 90s, 1m or 1:30"):
        parse_hold(text)


def _seconds_texts():
    whole = st.integers(min_value=0, max_value=3600)
    return st.one_of(
        whole.map(lambda s: (str(s), s)),
        whole.map(lambda s: (f"{s}s", s)),
        st.integers(0, 60).map(lambda m: (f"{m}m", 60 * m)),
        st.tuples(st.integers(0, 59), st.integers(0, 59)).map(lambda t: (f"{t[0]}:{t[1]:02d}", 60 * t[0] + t[1])),
        st.tuples(st.integers(0, 59), st.integers(0, 59)).map(lambda t: (f"{t[0]}m{t[1]}s", 60 * t[0] + t[1])),
        st.tuples(st.integers(0, 59), st.integers(0, 59)).map(lambda t: (f"{t[0]} min {t[1]:02d}", 60 * t[0] + t[1])),
        st.integers(1, 36000).map(lambda d: (format_number(d / 10), d / 10)),
    )


@given(_seconds_texts())
def test_every_accepted_hold_reads_as_the_right_seconds(case):
    text, seconds = case
    assert parse_hold(text) == seconds
    assert parse_hold(text.upper()) == seconds


@given(st.tuples(st.integers(0, 9), st.integers(0, 59), st.integers(1, 9)))
def test_minutes_and_seconds_work_in_the_quick_form_too(t):
    m, s, reps = t
    if 60 * m + s == 0:
        return
    expected = float(60 * m + s)
    assert parse_bout(f"pigeon:{m}:{s:02d}").hold_s == expected
    assert parse_bout(f"pigeon:{m}:{s:02d}x{reps}:left").reps == reps
    assert parse_bout(f"pigeon:l:{m}m{s}s x {reps}").hold_s == expected
    assert parse_bout(f"pigeon:{m}m{s}s").hold_s == expected


@given(st.text(alphabet="0123456789.:mshx ", max_size=8))
def test_hold_parsing_never_crashes(text):
    try:
        value = parse_hold(text)
    except ValueError as exc:
        assert "expected seconds" in str(exc)
    else:
        assert value >= 0


def test_a_bad_hold_in_the_quick_form_names_the_hold_and_the_bout():
    with pytest.raises(QuickFormError) as info:
        parse_bout("pigeon:1x")
    assert str(info.value).startswith("hold '1x' in 'pigeon:1x': expected seconds such as 45, 90s, 1m or 1:30")


def test_two_numbers_are_still_a_hold_given_twice_unless_they_read_as_minutes():
    with pytest.raises(QuickFormError, match="second time"):
        parse_bout("pigeon:30:45")  # not thirty minutes
    assert parse_bout("pigeon:1:30:p4").pain_after == 4


def test_a_name_that_starts_with_a_number_is_still_a_name():
    assert parse_bout("90 90 hip stretch:1m").stretch == "90 90 hip stretch"


# ---------------------------------------------------------------- custom: and names


def test_custom_prefix_marks_a_new_stretch_and_is_not_written():
    assert split_new_marker("custom:cat cow:30x3") == ("cat cow:30x3", True)
    assert split_new_marker("Custom: cat cow:30") == ("cat cow:30", True)
    assert split_new_marker("custom:45") == ("custom:45", False)  # a stretch named "custom"
    assert parse_bout("custom:cat cow:30x3").stretch == "cat cow"
    assert parse_bout("custom:45").stretch == "custom"


def test_known_names_are_the_catalogs_and_the_logs():
    history = history_of(load_log(io.StringIO(CONTRACT_EXAMPLE.replace("knees to chest", "cat cow"))).bouts,
                         CATALOG)
    assert is_known("Reclining Hip", CATALOG, history)
    assert is_known("cat-cow", CATALOG, history)
    assert not is_known("cat cow", CATALOG, History(last_use={}))
    assert not is_known("psoas", CATALOG, history)


def test_suggestions_prefer_what_the_person_logs():
    strap = History(names=("psoas stretch 2",), last_use={})
    kneel = History(names=("psoas stretch 1",), last_use={})
    assert suggest("psoas", CATALOG, kneel)[0].name == "Psoas stretch 1 (kneeling)"
    assert suggest("psoas", CATALOG, strap)[0].name == "Psoas stretch 2 (strap)"
    assert suggest("psoas", CATALOG, kneel)[0].spelling == "psoas stretch 1"
    assert suggest("zumba twist", CATALOG, kneel) == []


def test_the_refusal_message_says_what_to_type():
    msg = unknown_name_message("recliningg hip", CATALOG, text="recliningg hip:60x3:left")
    assert "not in the catalog or your log; did you mean 'Reclining hip stretch'?" in msg
    assert "'reclining hip:60x3:left'" in msg and "--new-stretch" in msg
    assert "custom:recliningg hip:60x3:left" in msg
    far = unknown_name_message("zumba twist", CATALOG, text="zumba twist:30")
    assert "no stretch there has a close name" in far and "--new-stretch" in far


# ---------------------------------------------------------------- the one-line command


@pytest.fixture
def app():
    a = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
    a.command("log")(cli_log.log)
    a.command("import")(cli_log.import_sheet)  # two commands: "log" is a command name, not LOG
    return a


@pytest.fixture
def sample(tmp_path):
    log = tmp_path / "log.csv"
    shutil.copy(SAMPLE, log)
    return log


def run(app, *args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_typo_is_refused_with_the_suggestion_and_nothing_is_written(app, sample):
    before = sample.read_bytes()
    r = run(app, "log", sample, "--pain", 6, "recliningg hip:60x3:left", "--end-pain", 5)
    out = _flat(r.output)
    assert r.exit_code == 2, r.output
    assert "not in the catalog or your log; did you mean 'Reclining hip stretch'?" in out
    assert "Nothing was written" in out and "Traceback" not in out
    assert sample.read_bytes() == before
    assert not (sample.parent / ".stretchlog-backups").exists()


def test_the_suggestion_is_the_stretch_this_person_does(app, sample):
    r = run(app, "log", sample, "--pain", 6, "psoas:45x2", "--end-pain", 5)
    out = _flat(r.output)
    assert r.exit_code == 2
    assert "did you mean 'Psoas stretch 1 (kneeling)'" in out
    assert "Write it as 'psoas stretch 1:45x2'" in out or "Write it as 'psoas 1:45x2'" in out


def test_a_name_close_to_nothing_is_refused_too(app, sample):
    before = sample.read_bytes()
    r = run(app, "log", sample, "--pain", 6, "zumba twist:30", "--end-pain", 5)
    assert r.exit_code == 2 and "--new-stretch" in r.output
    assert sample.read_bytes() == before


@pytest.mark.parametrize("how", [["--new-stretch", "recliningg hip:60x3:left"], ["custom:recliningg hip:60x3:left"]])
def test_a_new_stretch_said_on_purpose_is_logged(app, sample, how):
    r = run(app, "log", sample, "--pain", 6, *how, "--end-pain", 5, "--date", "2026-10-01", "--time", "08:00")
    assert r.exit_code == 0, r.output
    assert sample.read_text().splitlines()[-1] == "2026-10-01,08:00,recliningg hip,left,60,3,6,5,,"


def test_names_in_the_log_are_known_even_when_the_catalog_lacks_them(app, sample):
    r = run(app, "log", sample, "-n", "--pain", 6, "doorway chest stretch:30", "--end-pain", 5)
    assert r.exit_code == 0, r.output


def test_every_unknown_name_is_listed_at_once(app, tmp_path):
    r = run(app, "log", tmp_path / "log.csv", "--pain", 6, "hamstrung:30", "pigeon:30", "zumba:30", "--end-pain", 5)
    out = _flat(r.output)
    assert r.exit_code == 2 and "bout 1: 'hamstrung'" in out and "bout 3: 'zumba'" in out
    assert not (tmp_path / "log.csv").exists()


def test_holds_as_minutes_on_the_command_line(app, tmp_path):
    log = tmp_path / "log.csv"
    r = run(app, "log", log, "--pain", 6, "pigeon:1m:l", "pigeon:1:30:r", "hamstring:90s", "--end-pain", 5,
            "--date", "2026-11-01", "--time", "07:00")
    assert r.exit_code == 0, r.output
    assert [line.split(",")[4] for line in log.read_text().splitlines()[1:]] == ["60", "90", "90"]


def test_missing_pain_names_the_command_line_options_not_python(app, tmp_path):
    r = run(app, "log", tmp_path / "log.csv", "pigeon:30")
    out = _flat(r.output)
    assert r.exit_code == 1 and "--pain N" in out and "--end-pain N" in out
    assert "Python" not in out and "pain_before" not in out


def test_missing_pain_from_python_names_the_keyword(tmp_path):
    with pytest.raises(AppendError) as info:
        append_session(tmp_path / "log.csv", ["pigeon:30"], pain_after=3, now=NOW)
    assert "pain_before=N" in str(info.value) and "--pain" not in str(info.value)
    assert "in Python" not in str(info.value)


def test_help_mentions_new_stretch_and_minutes(app):
    r = run(app, "log", "--help")
    out = _flat(r.output)
    assert "--new-stretch" in out and "1m30s" in out and "custom:" in out


# ---------------------------------------------------------------- the step-by-step logger


class Script:
    def __init__(self, answers):
        self.answers = list(answers)
        self.prompts: list[str] = []

    def __call__(self, message, *, completer=None):
        self.prompts.append(message)
        if not self.answers:
            raise AssertionError(f"no answer left for {message!r}; asked so far: {self.prompts}")
        return self.answers.pop(0)


LAST = CONTRACT_EXAMPLE + "2026-11-03,07:15,side bend,left,25,3,6,5,,\n2026-11-03,07:15,pigeon,left,30,2,,4,,\n"


def drive(log, answers, **kw):
    ask = Script(answers)
    out = io.StringIO()
    kw.setdefault("now", NOW)
    result = run_interactive(log, ask=ask, console=Console(file=out, width=80), catalog=CATALOG, **kw)
    return result, ask, " ".join(out.getvalue().split())


def test_the_offer_and_the_pick_warn_about_a_stretch_that_makes_pain_worse(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(LAST)
    answers = ["y", "6", "", "", "", "-", "", "4", "y"]
    console = io.StringIO()
    seen_at_first_prompt = []

    def ask(message, *, completer=None):
        if not seen_at_first_prompt:
            seen_at_first_prompt.append(console.getvalue())
        return answers.pop(0)

    run_interactive(log, ask=ask, console=Console(file=console, width=80), catalog=CATALOG, now=NOW,
                    harmful={"side-bend"}, dry_run=True)
    before_offer = " ".join(seen_at_first_prompt[0].split())
    assert "Careful: your own log shows that Side bend tends to make your pain worse" in before_offer
    out = " ".join(console.getvalue().split())
    assert out.count("Side bend tends to make your pain worse") == 2  # offered, then picked
    assert "advice, not a diagnosis" in out


def test_no_warning_without_harmful_stretches(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(LAST)
    _, _, out = drive(log, ["y", "6", "", "", "", "-", "", "4", "y"], harmful=set(), dry_run=True)
    assert "Careful" not in out


def test_a_stretch_typed_by_name_or_in_the_quick_form_warns_too(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(LAST)
    _, _, out = drive(log, ["n", "6", "side bends", "", "", "", "", "", "", "5"], harmful={"side-bend"},
                      dry_run=True)
    assert "Careful: your own log shows that Side bend" in out
    _, _, out = drive(log, ["n", "6", "side bend:30:p5", ""], harmful={"side-bend"}, dry_run=True)
    assert "Careful: your own log shows that Side bend" in out


def test_pain_going_up_is_said_gently(tmp_path):
    log = tmp_path / "log.csv"
    answers = ["4", "pigeon:30:l:p6", "pigeon:30:r:p5", "hamstring:30", "", "7"]
    _, _, out = drive(log, answers, dry_run=True)
    assert "Your pain went up after Pigeon pose (from 4 to 6)" in out
    assert "Your pain went up after Standing hamstring stretch (from 5 to 7)" in out
    assert out.count("pain went up") == 2 and "advice, not a diagnosis" in out


def test_holds_as_minutes_at_the_prompt(tmp_path):
    log = tmp_path / "log.csv"
    answers = ["5", "pigeon", "", "1m", "1", "", "", "pigeon", "", "1:30", "", "", "", "hamstring", "", "1x",
               "90s", "", "", "", "", "3"]
    result, ask, out = drive(log, answers, dry_run=True)
    assert "'1x' is not a hold: give seconds such as 45, 90s, 1m or 1:30" in out
    assert [float(h) for h in result.bouts["hold_s"]] == [60.0, 90.0, 90.0]


def test_an_unknown_quick_form_name_at_the_prompt_gets_a_suggestion(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(CONTRACT_EXAMPLE)
    _, ask, _ = drive(log, ["n", "5", "psoas:45x2", "n", "custom:cat cow:30", "", "3"], dry_run=True)
    assert any("Did you mean 'psoas stretch 1'?" in p for p in ask.prompts)
    assert not any("'cat cow' is not in the catalog" in p for p in ask.prompts)  # said on purpose


@pytest.mark.parametrize("harmful", [lambda bouts: 1 / 0, lambda bouts: None, lambda bouts: 42])
def test_a_failing_analysis_only_skips_the_warning(tmp_path, harmful):
    log = tmp_path / "log.csv"
    log.write_text(LAST)
    result, _, out = drive(log, ["y", "6", "", "", "", "-", "", "4", "y"], harmful=harmful, dry_run=True)
    assert result is not None and "Careful" not in out


def test_a_slow_analysis_does_not_hold_the_logger_up_for_long(tmp_path, monkeypatch):
    import stretchlog.entry.interactive as inter

    monkeypatch.setattr(inter, "HARMFUL_WAIT_S", 0.2)
    log = tmp_path / "log.csv"
    log.write_text(LAST)
    t0 = time.perf_counter()
    result, _, out = drive(log, ["y", "6", "", "", "", "-", "", "4", "y"],
                           harmful=lambda bouts: time.sleep(3) or {"side-bend"}, dry_run=True)
    assert time.perf_counter() - t0 < 2.5 and result is not None


def test_the_cli_finds_the_harmful_stretches_from_the_analysis():
    bouts = load_log(SAMPLE, catalog=CATALOG).bouts
    from stretchlog.analysis import analyse

    eff = analyse(bouts, catalog=CATALOG).effects
    expected = set(eff.loc[eff["verdict"].eq("makes it worse") | eff["harmful"], "stretch"])
    assert cli_log.harmful_stretches(bouts, CATALOG) == expected
    assert cli_log.harmful_stretches(None, CATALOG) == frozenset()


def test_a_short_log_needs_no_analysis_at_all(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_analysis(name, *a, **k):
        if name == "stretchlog.analysis":
            raise AssertionError("the analysis was loaded for a log too short to tell")
        return real(name, *a, **k)

    bouts = load_log(io.StringIO(CONTRACT_EXAMPLE), catalog=CATALOG).bouts
    monkeypatch.setattr(builtins, "__import__", no_analysis)
    assert cli_log.harmful_stretches(bouts, CATALOG) == frozenset()
