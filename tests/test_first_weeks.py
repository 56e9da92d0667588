"""A first week gets true sentences: what the log shows, and what it still needs.

The log of issue 15, item 4: two sessions starting at pain 6 and 5, the reclining hip
stretch on both sides in both, the hamstring stretch in the first and knees to chest
in the second. Each sentence that was false of it is pinned here to its corrected
form, on every surface that printed it.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from stretchlog.cli.app import app

HEADER = "date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes\n"

#: Pain rated at the start and end of each session only.
START_END = HEADER + (
    "2026-11-01,21:30,reclining hip stretch,left,60,3,6,,7,\n"
    "2026-11-01,21:30,reclining hip stretch,right,60,3,,,6,\n"
    "2026-11-01,21:30,hamstring stretch,both,10,9,,4,5,\n"
    "2026-11-02,21:30,reclining hip stretch,left,60,3,5,,6,\n"
    "2026-11-02,21:30,reclining hip stretch,right,60,3,,,6,\n"
    "2026-11-02,21:30,knees to chest,both,30,4,,3,,\n"
)
#: The same sessions with pain rated around every bout.
PER_BOUT = HEADER + (
    "2026-11-01,21:30,reclining hip stretch,left,60,3,6,5,7,\n"
    "2026-11-01,21:30,reclining hip stretch,right,60,3,,4,6,\n"
    "2026-11-01,21:30,hamstring stretch,both,10,9,,3,5,\n"
    "2026-11-02,21:30,reclining hip stretch,left,60,3,5,4,6,\n"
    "2026-11-02,21:30,reclining hip stretch,right,60,3,,4,6,\n"
    "2026-11-02,21:30,knees to chest,both,30,4,,3,,\n"
)

runner = CliRunner()


def run(*args: str, stdout: bool = False) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result.stdout if stdout else result.output


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(params=[START_END, PER_BOUT], ids=["start-end", "per-bout"])
def log(request, write) -> str:
    return str(write(request.param))


def test_effects_says_what_is_missing_instead_of_a_number(log):
    out = one_line(run("effects", log))
    # was: "Every session started at the same pain" (they started at 6 and 5)
    assert "started at the same pain" not in out
    # was: "Reclining hip stretch 0.7, likely range -4.8 to 6.3, chance it helps 83%"
    rows = json.loads(run("effects", log, "-f", "json", stdout=True))["effects"]
    assert all(r["effect"] is None and r["ci_low"] is None for r in rows)
    assert "Only 2 sessions with some pain to relieve so far: a stretch needs 3 sessions with pain rated before and after it" in out
    assert "session(s)" not in out


def test_start_end_log_names_the_missing_adjustment_truthfully(write):
    out = one_line(run("effects", str(write(START_END))))
    assert (
        "With 2 sessions, the log cannot yet tell how much a high first reading eases by itself "
        "(regression to the mean)" in out
    )


def test_per_bout_log_says_how_many_more_sessions_each_stretch_needs(write):
    out = one_line(run("effects", str(write(PER_BOUT))))
    assert "No figure yet - what each stretch still needs:" in out
    assert (
        "Reclining hip stretch: in 2 sessions so far; a relief figure needs it in at least 3 sessions "
        "with pain rated before and after it: 1 more session." in out
    )
    assert "Sessions that mattered: 2 of 2 sessions lowered your pain" in out


def test_by_side_has_no_interval_wider_than_the_scale(log):
    # was: "-19.1 to 20.6" on a 0-10 scale
    rows = json.loads(run("effects", log, "--by-side", "-f", "json", stdout=True))["effects"]
    for r in rows:
        if r["ci_low"] is not None:
            assert r["ci_high"] - r["ci_low"] <= 6.0
    assert not re.search(r"-\d{2}\.\d to \d{2}\.\d", run("effects", log, "--by-side"))


def test_routine_does_not_call_logged_stretches_new(log):
    out = one_line(run("routine", log, "--seed", "1"))
    # was: "Every stretch here is new to your log" (two of them are in both sessions)
    assert "new to your log" not in out
    # was: "Learned from 2 sessions" above "not yet learned from you"
    assert "Learned from" not in out and "Your log so far: 2 sessions, 2026-11-01 to 2026-11-02." in out
    assert "Your log cannot rank these stretches yet: rate your pain just before and just after each." in out
    assert (
        "Not yet learned from you (2 sessions logged; it learns from 5 sessions on (3 more to go)), "
        "so this is the guides' default sequence: a starting point." in out
    )


def test_flare_says_it_had_nothing_to_go_on(log):
    out = one_line(run("routine", log, "--flare", "--seed", "1"))
    # was: exactly the default routine, with no word about flare mode
    assert (
        "Flare mode lists only stretches that have clearly eased your pain, and your log has none yet. "
        "Not yet learned from you" in out
    )
    plan = json.loads(run("routine", log, "--flare", "--seed", "1", "--format", "json", stdout=True))
    assert plan["why_mode"].startswith("Flare mode lists only stretches")


def test_report_sentences_are_true_of_a_two_session_log(log, tmp_path):
    out = tmp_path / "r.html"
    run("report", log, "--out", str(out), "--seed", "1")
    page = one_line(re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8")))
    # was: "First four weeks (None to None) against the last four (None to None)"
    assert "None" not in page
    assert (
        "First four weeks against the last four: not enough data yet (the log covers 2 days; comparing "
        "the first four weeks with the last four needs at least 56 days: 54 more days of logging)." in page
    )
    # was: "Sessions 1 ... (1 days, 7.0 a week)"
    assert "2 from 2026-11-01 to 2026-11-02 (2 days)" in page and "a week)" not in page
    assert "2 sessions so far; a weekly rate needs a log of at least 2 weeks" in page
    assert "day(s)" not in page and "1 days" not in page
    # was: "No one-sided stretches logged on both sides yet" (one was, twice)
    assert "No one-sided stretches logged on both sides" not in page


def test_trends_say_how_much_more_logging_a_trend_needs(log):
    out = one_line(run("trends", log))
    assert (
        "Trend: not enough data: sessions on 2 days, 1 day apart; a trend needs at least 6 days spread "
        "over 3 weeks: 4 more days, the last at least 20 days after the latest." in out
    )
    assert "1 days" not in out


def test_a_header_only_report_links_only_to_what_it_has(write, tmp_path):
    out = tmp_path / "r.html"
    run("report", str(write(HEADER)), "--out", str(out))
    page = out.read_text(encoding="utf-8")
    anchors = re.findall(r'href="#([^"]+)"', page)
    assert anchors and all(f'<section id="{a}"' in page for a in anchors)
    assert "#relief" not in page and "#trends" not in page
