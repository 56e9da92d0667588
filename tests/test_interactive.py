"""The interactive flow, driven by a scripted ``ask`` (and once by a real prompt_toolkit session)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from prompt_toolkit.document import Document
from rich.console import Console

from conftest import CONTRACT_EXAMPLE, HEADER
from stretchlog.entry.append import AppendError
from stretchlog.log.catalog import load_catalog
from stretchlog.entry.interactive import (
    History,
    StretchCompleter,
    _candidates,
    history_of,
    prompt_toolkit_ask,
    quick_command,
    run_interactive,
)
from stretchlog.log.reader import load_log
from stretchlog.entry.quicklog import Bout, Session

NOW = dt.datetime(2026, 11, 20, 8, 0)
CATALOG = load_catalog()


class Script:
    """An ``ask`` that answers from a list and records the prompts (Ctrl-C/Ctrl-D as exceptions)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.completers = []

    def __call__(self, message, *, completer=None):
        self.prompts.append(message)
        self.completers.append(completer)
        if not self.answers:
            raise AssertionError(f"no answer left for {message!r}; asked so far: {self.prompts}")
        a = self.answers.pop(0)
        if isinstance(a, type) and issubclass(a, BaseException):
            raise a()
        return a


def drive(log, answers, **kw):
    ask = Script(answers)
    out = io.StringIO()
    kw.setdefault("now", NOW)
    result = run_interactive(log, ask=ask, console=Console(file=out, width=150), catalog=CATALOG, **kw)
    return result, ask, out.getvalue()


# one whole session on a new log: defaults from the catalog, side alternates, quick form, typo guard
NEW_SESSION = [
    "6",                  # pain now
    "reclining hip", "", "", "", "7", "5",   # side [left], hold [60], reps [3] from the catalog
    "reclining hip", "", "", "", "", "4",    # side now suggested [right]
    "hamstrung", "n",     # a typo: not kept
    "hamstring:10x9:t5",  # the quick form at the prompt
    "",                   # done
    "3",                  # end pain
    "y",                  # confirm
]


def test_a_whole_session_on_a_new_log(tmp_path):
    log = tmp_path / "log.csv"
    result, ask, out = drive(log, NEW_SESSION)
    assert result is not None and result.created
    assert log.read_text() == (
        HEADER + "\n"
        "2026-11-20,08:00,reclining hip,left,60,3,6,5,7,\n"
        "2026-11-20,08:00,reclining hip,right,60,3,,4,,\n"
        "2026-11-20,08:00,hamstring,both,10,9,,3,5,\n"
    )
    assert "Side (left/right/both) [left]: " in ask.prompts
    assert "Side (left/right/both) [right]: " in ask.prompts
    assert "Hold, seconds [60]: " in ask.prompts and "Reps [3]: " in ask.prompts
    assert any("Did you mean 'hamstring'?" in p for p in ask.prompts)
    assert "Standing hamstring stretch" in out  # the table shows the catalog match
    assert isinstance(ask.completers[1], StretchCompleter)


@pytest.mark.parametrize("stop", [KeyboardInterrupt, EOFError])
@pytest.mark.parametrize("at", range(len(NEW_SESSION) + 1))
def test_ctrl_c_or_ctrl_d_at_any_prompt_writes_nothing(tmp_path, stop, at):
    log = tmp_path / "log.csv"
    log.write_text(CONTRACT_EXAMPLE)
    answers = (["n"] + NEW_SESSION)[:at] + [stop]  # "n": do not start from the last session
    result, ask, out = drive(log, answers, now=dt.datetime(2026, 11, 20, 8, 0))
    assert result is None and "nothing was written" in out
    assert log.read_text() == CONTRACT_EXAMPLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]


def test_declining_to_confirm_writes_nothing(tmp_path):
    log = tmp_path / "log.csv"
    result, _, out = drive(log, NEW_SESSION[:-1] + ["n"])
    assert result is None and "Nothing was written" in out and not log.exists()


def test_repeat_the_last_session_suggests_what_was_done_not_what_was_felt(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(CONTRACT_EXAMPLE + "2026-11-03,07:15,reclining hip,left,60,3,6,5,7,\n"
                   "2026-11-03,07:15,psoas 1,right,45,2,,3,8,note\n")
    answers = [
        "y",            # start from the last session
        "5",            # pain now
        "", "6", "",    # stretch 1 = the suggestion (side, hold, reps as done); tightness 6, pain skipped
        "-",            # skip psoas 1
        "pigeon", "", "30", "", "", "",  # a new one; hold typed (no history, catalog default would be shown)
        "",             # done
        "2",            # end pain
        "",             # confirm (default yes)
    ]
    result, ask, out = drive(log, answers)
    assert result is not None
    lines = log.read_text().splitlines()[-2:]
    assert lines == ["2026-11-20,08:00,reclining hip,left,60,3,5,,6,", "2026-11-20,08:00,pigeon,left,30,3,,2,,"]
    assert "reclining hip:60x3:left, psoas 1:45x2:right" in out
    assert any(p.startswith("Stretch 1 [reclining hip:60x3:left]") for p in ask.prompts)
    assert any(p.startswith("Stretch 2 [psoas 1:45x2:right]") for p in ask.prompts)
    # readings are never suggested
    assert "Tightness (0 = free, 10 = could barely do it) (Enter skips): " in ask.prompts
    assert "Pain after this stretch (0-10) (Enter skips): " in ask.prompts


def test_suggestions_come_from_the_users_last_use(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(CONTRACT_EXAMPLE)
    answers = ["n", "4", "Hamstring Stretch", "", "", "", "", "", "", "3", "y"]
    result, ask, _ = drive(log, answers)
    assert "Hold, seconds [10]: " in ask.prompts and "Reps [9]: " in ask.prompts
    assert log.read_text().splitlines()[-1] == "2026-11-20,08:00,Hamstring Stretch,both,10,9,4,3,,"


def test_bad_answers_are_asked_again(tmp_path):
    log = tmp_path / "log.csv"
    answers = ["six", "6,5", "11", "6.5", "", "pigeon", "up", "l", "0", "4000", "30", "2.5", "2", "t", "", "",
               "pigeon:30:zz", "pigeon:30:r:p3", "", "maybe", "y"]
    result, ask, out = drive(log, answers)
    assert result is not None
    assert "'six' is not a number" in out and "use a decimal point" in out and "from 0 to 10" in out
    assert "'up' is not a side" in out and "more than 0 and at most 3600" in out and "whole number" in out
    assert "token 'zz'" in out and "Please answer y or n" in out and "Type the name of the first stretch" in out
    assert log.read_text().splitlines()[1:] == ["2026-11-20,08:00,pigeon,left,30,2,6.5,,,",
                                                "2026-11-20,08:00,pigeon,right,30,1,,3,,"]


def test_given_pain_is_not_asked_and_no_stretch_means_nothing(tmp_path):
    log = tmp_path / "log.csv"
    result, ask, out = drive(log, ["."], pain=5)
    assert result is None and "No stretches entered" in out and not log.exists()
    assert not any("Pain now" in p for p in ask.prompts)


def test_dry_run_shows_the_lines(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(CONTRACT_EXAMPLE)
    result, _, out = drive(log, ["n", "pigeon:30:p3", ""], pain=5, dry_run=True)
    assert result.dry_run and "2026-11-20,08:00,pigeon,both,30,1,5,3,," in out
    assert log.read_text() == CONTRACT_EXAMPLE


def test_an_invalid_log_stops_before_any_question(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(CONTRACT_EXAMPLE.replace(",60,3,6,5,7,", ",0,3,6,5,7,"))
    with pytest.raises(AppendError) as info:
        drive(log, [])
    assert info.value.kind == "invalid-log" and "stretchlog validate" in str(info.value)


def test_a_session_that_cannot_be_saved_gives_the_command_to_log_it_later(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(CONTRACT_EXAMPLE)
    with pytest.raises(AppendError) as info:
        drive(log, ["n", "pigeon:30:p3", ""], pain=5, date="2026-11-02", time="07:15")
    msg = str(info.value)
    assert info.value.kind == "duplicate-session" and "not saved" in msg
    assert "stretchlog log" in msg and "--pain 5 pigeon:30:p3 --date 2026-11-02 --time 07:15" in msg
    assert log.read_text() == CONTRACT_EXAMPLE


def test_quick_command_quotes_for_the_shell():
    s = Session((Bout("reclining hip", 60, 3, "left", pain_after=5),), pain_before=6, date=dt.date(2026, 11, 1))
    assert quick_command("my log.csv", s) == (
        "stretchlog log 'my log.csv' --pain 6 'reclining hip:60x3:left:p5' --date 2026-11-01")


# ---------------------------------------------------------------- completion


def test_history_is_most_used_first():
    text = CONTRACT_EXAMPLE + "2026-11-03,07:15,knees to chest,both,30,4,5,4,,\n2026-11-04,07:15,knees to chest,both,30,4,5,4,,\n"
    bouts = load_log(io.StringIO(text)).bouts
    h = history_of(bouts, CATALOG)
    assert h.names[0] == "knees to chest" and h.names[1] == "reclining hip stretch"
    assert set(h.names) == {"knees to chest", "reclining hip stretch", "hamstring stretch", "psoas stretch 1"}
    assert h.last.date == dt.date(2026, 11, 4)


def test_a_sided_stretch_suggests_the_side_the_user_opened_with_last_time():
    text = CONTRACT_EXAMPLE + (
        "2026-11-05,07:15,pigeon,right,45,2,5,4,,\n2026-11-05,07:15,pigeon,left,45,2,,4,,\n"
        "2026-11-06,07:15,pigeon,left,40,3,5,4,,\n2026-11-06,07:15,pigeon,right,40,3,,4,,\n"
    )
    h = history_of(load_log(io.StringIO(text)).bouts, CATALOG)
    opened = h.bout_for("pigeon", CATALOG)
    assert (opened.side, opened.hold_s, opened.reps) == ("left", 40.0, 3)  # not the last row's "right"


def test_completion_order_and_matching():
    cands = _candidates(History(names=("psoas stretch 1", "my bed twist")), CATALOG)
    assert [c for c, _ in cands[:2]] == ["psoas stretch 1", "my bed twist"]
    c = StretchCompleter(cands)
    assert c.matches("psoas")[0] == "psoas stretch 1"
    assert "Psoas stretch 2 (strap)" in c.matches("psoas")
    assert c.matches("twist")[0] == "my bed twist"  # inside the name, the user's own first
    assert c.matches("HAM-STR")[:2] == ["hamstring stretch", "hamstring"]  # prefix matches first
    ptk = c.for_prompt_toolkit()
    got = [x.text for x in ptk.get_completions(Document("recl"), None)]
    assert got[0] == "Reclining hip stretch"
    assert list(ptk.get_completions(Document("pigeon:30"), None)) == []


def test_the_real_prompt_session_reads_answers_and_stops_on_ctrl_c(tmp_path):
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    log = tmp_path / "log.csv"
    with create_pipe_input() as inp:
        ask = prompt_toolkit_ask(input=inp, output=DummyOutput())
        inp.send_text("6\r")
        assert ask("Pain: ") == "6"
        inp.send_text("\x03")
        out = io.StringIO()
        result = run_interactive(log, ask=ask, console=Console(file=out), catalog=CATALOG, now=NOW)
    assert result is None and not log.exists() and "nothing was written" in out.getvalue()
