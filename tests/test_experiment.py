"""Randomised self-experiments (issue 20): schedules, plans and their file, set-up, days, answer.

Unit tests of :mod:`stretchlog.experiment` on small hand-made plans and logs; the
seeded studies with a known truth (coverage, false positives, interim looks) are in
``test_experiment_simulation.py``.
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from stretchlog.experiment import (
    Noise,
    Option,
    Plan,
    PlanError,
    analyse_experiment,
    default_plan_seed,
    draw_schedule,
    make_plan,
    noise_from_log,
    plan_days,
    preview,
    propose_plan,
    read_plan,
    resolve_options,
    today_line,
    write_plan,
)
from stretchlog.experiment.design import draw_many, plan_frame
from stretchlog.experiment.result import randomisation_interval
from stretchlog.log.catalog import custom_id, load_catalog
from stretchlog.log.reader import load_log
from stretchlog.model.tables import LogTables
from stretchlog.testing.experiment import simulate_experiment

START = date(2026, 12, 7)  # a Monday
HEADER = "date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes"
PIGEON = Option("A", "pigeon-pose", "Pigeon pose")
SIDE = Option("B", "side-bend", "Side bend")
SHORT = Option("A", "pigeon-pose", "Pigeon pose", 30, 2)
LONG = Option("B", "pigeon-pose", "Pigeon pose", 60, 3)
FIRST = Option("A", "pigeon-pose", "Pigeon pose", then_id="side-bend", then_name="Side bend")
SECOND = Option("B", "side-bend", "Side bend", then_id="pigeon-pose", then_name="Pigeon pose")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _tables(text: str):
    t = LogTables(load_log(io.StringIO(text)).bouts)
    return t.bouts, t.sessions


def _plan(kind="compare", design="pairs", weeks=2, seed=1, **kw) -> Plan:
    a, b = {"compare": (PIGEON, SIDE), "dose": (SHORT, LONG), "order": (FIRST, SECOND)}[kind]
    return make_plan(kind, a, b, start=START, weeks=weeks, design=design, seed=seed, **kw)


def _runs(z: np.ndarray) -> int:
    """Longest run of one value along each row, the maximum over rows."""
    longest = 0
    for row in np.atleast_2d(z):
        cut = np.flatnonzero(np.diff(row) != 0)
        bounds = np.concatenate([[-1], cut, [len(row) - 1]])
        longest = max(longest, int(np.diff(bounds).max()))
    return longest


# --------------------------------------------------------------------------- schedules


@pytest.mark.parametrize("days", [8, 14, 15])
def test_pairs_each_consecutive_pair_holds_one_of_each(days):
    z = draw_many("pairs", pd.date_range("2026-12-07", periods=days), 400, np.random.default_rng(1))
    even = days - days % 2
    assert z.shape == (400, days)
    assert (z[:, 0:even:2] + z[:, 1:even:2] == 1).all()
    # both orders of a pair occur, about equally often
    assert 0.4 < z[:, 0].mean() < 0.6
    if days % 2:  # the lone last day is a fair coin
        assert 0.4 < z[:, -1].mean() < 0.6
    else:
        assert (z.sum(axis=1) == days // 2).all()


def test_weeks_each_week_one_option_and_each_pair_of_weeks_both():
    dates = pd.date_range("2026-12-07", periods=6 * 7)
    z = draw_many("weeks", dates, 300, np.random.default_rng(2))
    week = np.arange(len(dates)) // 7
    for w in range(6):
        block = z[:, week == w]
        assert (block == block[:, :1]).all(), f"week {w + 1} mixes options"
    first = z[:, week % 2 == 0][:, ::7]  # weeks 1, 3, 5
    second = z[:, week % 2 == 1][:, ::7]  # weeks 2, 4, 6
    assert (first + second == 1).all()
    assert (z.sum(axis=1) == 21).all()  # balanced: three weeks of each
    assert 0.4 < first.mean() < 0.6


def test_weeks_with_planned_weekdays_and_an_odd_number_of_weeks():
    mwf = [START + timedelta(days=d) for d in range(5 * 7) if d % 7 in (0, 2, 4)]  # Mon, Wed, Fri
    s = draw_schedule("weeks", pd.to_datetime(mwf), seed=4)
    assert s["week"].tolist() == [w for w in range(1, 6) for _ in range(3)]
    by_week = s.groupby("week")["option"].agg(lambda o: "".join(sorted(set(o))))
    assert all(len(o) == 1 for o in by_week), "a week mixes options"
    assert set(by_week.loc[[1, 2]]) == {"A", "B"} and set(by_week.loc[[3, 4]]) == {"A", "B"}
    assert s["block"].tolist() == [1] * 6 + [2] * 6 + [3] * 3


@pytest.mark.parametrize("max_run", [1, 2, 3, 5])
def test_free_never_runs_longer_than_its_cap(max_run):
    dates = pd.date_range("2026-12-07", periods=40)
    z = draw_many("free", dates, 300, np.random.default_rng(3), max_run=max_run)
    assert _runs(z) == max_run  # the cap is reached but never passed
    assert 0.45 < z.mean() < 0.55  # a fair coin: balanced on average
    if max_run == 1:
        assert (np.diff(z, axis=1) != 0).all()


def test_free_plan_respects_its_cap_and_writes_it_in_the_file(tmp_path):
    p = _plan(design="free", weeks=6, seed=11, max_run=2)
    assert _runs((p.schedule["option"] == "A").to_numpy(int)) <= 2
    assert p.design_words() == "a coin for each day, never more than 2 days in a row of one option"
    back = read_plan(write_plan(p, tmp_path / "log.plan.csv"))
    assert back.max_run == 2 and back.design == "free"
    assert _runs(back.redraw(200, np.random.default_rng(0))) <= 2


@pytest.mark.parametrize("design", ["pairs", "weeks", "free"])
def test_same_seed_same_schedule_other_seeds_differ(design):
    dates = pd.date_range("2026-12-07", periods=28)
    one = draw_schedule(design, dates, seed=42)
    assert one.equals(draw_schedule(design, dates, seed=42))
    others = {tuple(draw_schedule(design, dates, seed=s)["option"]) for s in range(8)}
    assert len(others) >= 3
    assert list(one.columns) == ["date", "week", "block", "option"]


@pytest.mark.parametrize("design", ["pairs", "weeks", "free"])
def test_redraw_follows_the_plan_design(design):
    p = _plan(design=design, weeks=4, seed=5)
    z = p.redraw(200, np.random.default_rng(9))
    assert z.shape == (200, 28) and set(np.unique(z)) == {0, 1}
    if design == "pairs":
        assert (z[:, 0::2] + z[:, 1::2] == 1).all()
    elif design == "weeks":
        week = p.schedule["week"].to_numpy()
        assert all((z[:, week == w] == z[:, week == w][:, :1]).all() for w in np.unique(week))
    else:
        assert _runs(z) <= p.max_run


def test_draw_many_refuses_an_unknown_design():
    with pytest.raises(ValueError, match="expected one of pairs, weeks, free"):
        draw_many("zigzag", pd.date_range("2026-12-07", periods=6), 2, np.random.default_rng(0))


# --------------------------------------------------------------------------- make_plan


def test_make_plan_draws_a_balanced_schedule_with_what_to_do():
    p = _plan(weeks=2, seed=5)
    assert (p.n_days, p.weeks, p.start, p.end) == (14, 2, START, START + timedelta(days=13))
    assert p.schedule["option"].value_counts().to_dict() == {"A": 7, "B": 7}
    a_rows = p.schedule[p.schedule["option"] == "A"]
    assert set(a_rows["do"]) == {"Pigeon pose (not Side bend)"}
    assert p.question == "Which gives you more relief: Pigeon pose or Side bend?"
    d = _plan("dose", weeks=2)
    assert set(d.schedule["do"]) == {"Pigeon pose: hold 30 s, 2 times", "Pigeon pose: hold 60 s, 3 times"}
    o = _plan("order", weeks=2)
    assert set(o.schedule["do"]) == {
        "Pigeon pose first, then Side bend",
        "Side bend first, then Pigeon pose",
    }


@pytest.mark.parametrize(
    ("kwargs", "column"),
    [
        ({"b": Option("B", "pigeon-pose", "Pigeon pose")}, "options"),
        ({"weeks": 1, "weekdays": (0, 2, 4)}, "weeks"),
        ({"weeks": 0}, "weeks"),
        ({"design": "zigzag"}, "design"),
        ({"kind": "taste"}, "kind"),
        ({"max_run": 0}, "max_run"),
    ],
)
def test_make_plan_refuses(kwargs, column):
    args = {"kind": "compare", "a": PIGEON, "b": SIDE, "start": START, "weeks": 2} | kwargs
    with pytest.raises(PlanError) as info:
        make_plan(**args)
    assert [p.column for p in info.value.problems] == [column]
    assert info.value.problems[0].expected


def test_make_plan_refuses_equal_doses_but_accepts_different_ones():
    with pytest.raises(PlanError, match="two different options"):
        make_plan("dose", SHORT, dataclasses.replace(SHORT, label="B"), start=START, weeks=2)
    assert make_plan("dose", SHORT, LONG, start=START, weeks=2).n_days == 14


def test_fewer_than_four_days_names_the_count():
    with pytest.raises(PlanError, match=r"at least 4 planned days \(got 3\)"):
        make_plan("compare", PIGEON, SIDE, start=START, weeks=1, weekdays=(0, 2, 4))


# --------------------------------------------------------------------------- the plan file


@pytest.mark.parametrize(
    ("kind", "design"), [("compare", "pairs"), ("dose", "weeks"), ("order", "free")]
)
def test_read_plan_round_trips_write_plan(tmp_path, kind, design):
    p = _plan(kind, design=design, weeks=4, seed=7, **({"max_run": 2} if design == "free" else {}))
    path = write_plan(p, tmp_path / "my-log.plan.csv")
    back = read_plan(path)
    assert (back.kind, back.design, back.seed, back.max_run) == (p.kind, p.design, p.seed, p.max_run)
    assert (back.a, back.b) == (p.a, p.b)
    assert back.source.endswith("my-log.plan.csv")
    cols = ["week", "block", "option", "do"]
    assert back.schedule[cols].equals(p.schedule[cols])
    assert (pd.to_datetime(back.schedule["date"]) == pd.to_datetime(p.schedule["date"])).all()
    # a plan read back redraws exactly as the one written
    assert (back.redraw(50, np.random.default_rng(1)) == p.redraw(50, np.random.default_rng(1))).all()


def test_write_plan_does_not_overwrite_unless_told(tmp_path):
    path = write_plan(_plan(seed=1), tmp_path / "log.plan.csv")
    with pytest.raises(FileExistsError):
        write_plan(_plan(seed=2), path)
    write_plan(_plan(seed=2), path, replace=True)
    assert read_plan(path).seed == 2
    assert [f.name for f in tmp_path.iterdir()] == ["log.plan.csv"]  # no temporary file left


def _broken(edit) -> str:
    """The plan file of a two-week dose plan, with ``edit(frame)`` applied to its rows."""
    frame = plan_frame(_plan("dose", weeks=2, seed=3)).astype(str)
    frame = edit(frame)
    return frame.to_csv(index=False, lineterminator="\n")


def _problems(text: str):
    with pytest.raises(PlanError) as info:
        read_plan(io.StringIO(text))
    return info.value


def _set(row: int, column: str, value: str):
    """Set a cell by its row as a spreadsheet shows it (header = row 1)."""

    def edit(frame):
        frame.loc[row - 2, column] = value
        return frame

    return edit


def test_read_plan_names_a_bad_date_by_row_column_and_value():
    err = _problems(_broken(_set(4, "date", "2026-12-32")))
    assert [(p.row, p.column, p.value) for p in err.problems] == [(4, "date", "2026-12-32")]
    assert "row 4, column 'date': got '2026-12-32', expected a date as YYYY-MM-DD" in str(err)


def test_read_plan_refuses_dates_out_of_order():
    frame_text = _broken(_set(5, "date", "2026-12-07"))
    err = _problems(frame_text)
    assert (5, "date", "2026-12-07") in [(p.row, p.column, p.value) for p in err.problems]


def test_read_plan_refuses_option_c():
    err = _problems(_broken(_set(3, "option", "C")))
    assert [(p.row, p.column, p.value) for p in err.problems] == [(3, "option", "C")]
    assert "expected A or B" in str(err)


def test_read_plan_refuses_a_kind_changed_mid_file():
    err = _problems(_broken(_set(9, "kind", "compare")))
    found = [(p.row, p.column, p.value) for p in err.problems]
    assert (9, "kind", "compare") in found
    assert "'dose', as on row 2 (one plan per file)" in str(err)


def test_read_plan_refuses_an_option_whose_stretch_changes_between_rows():
    frame = plan_frame(_plan("dose", weeks=2, seed=3)).astype(str)
    rows_a = [i + 2 for i in np.flatnonzero(frame["option"].to_numpy() == "A")]
    first, later = rows_a[0], rows_a[2]
    err = _problems(_broken(_set(later, "stretch_id", "side-bend")))
    assert [(p.row, p.column, p.value) for p in err.problems] == [(later, "stretch_id", "side-bend")]
    assert f"'pigeon-pose', as on row {first} (option A is the same every day)" in str(err)
    # a dose that changes between rows of one option, too
    err = _problems(_broken(_set(later, "hold_s", "45")))
    assert [(p.row, p.column, p.value) for p in err.problems] == [(later, "hold_s", "45")]


def test_read_plan_names_a_missing_column_on_the_header_row():
    text = _broken(lambda f: f.drop(columns=["seed"]))
    err = _problems(text)
    assert [(p.row, p.column) for p in err.problems] == [(1, "seed")]
    assert "row 1, column 'seed'" in str(err)


def test_read_plan_lists_every_problem_at_once_in_row_order():
    def edit(frame):
        _set(6, "option", "C")(frame)
        _set(3, "date", "tomorrow")(frame)
        return _set(8, "seed", "x")(frame)

    err = _problems(_broken(edit))
    rows = [p.row for p in err.problems]
    assert rows == sorted(rows) and {3, 6, 8} <= set(rows)


def test_read_plan_of_a_missing_file():
    with pytest.raises(FileNotFoundError):
        read_plan("/nonexistent/log.plan.csv")


# --------------------------------------------------------------------------- set-up


def test_resolve_options_finds_catalog_names(catalog):
    a, b = resolve_options("compare", ("pigeon", "side bend"), catalog, {})
    assert (a.label, a.stretch_id, b.label, b.stretch_id) == ("A", "pigeon-pose", "B", "side-bend")
    a, b = resolve_options("dose", ("pigeon:30x2", "Pigeon pose: 60s x 3"), catalog, {})
    assert (a.hold_s, a.reps, b.hold_s, b.reps) == (30, 2, 60, 3)
    a, b = resolve_options("order", ("pigeon", "side bend"), catalog, {})
    assert (a.stretch_id, a.then_id) == ("pigeon-pose", "side-bend")
    assert (b.stretch_id, b.then_id) == ("side-bend", "pigeon-pose")


def test_resolve_options_refuses_a_stretch_the_log_shows_is_harmful(catalog):
    with pytest.raises(PlanError) as info:
        resolve_options("compare", ("pigeon", "side bend"), catalog, {}, harmful={"pigeon-pose"})
    (p,) = info.value.problems
    assert p.column == "--compare" and p.value == "pigeon" and "makes it worse" in p.expected


def test_resolve_options_refuses_an_unknown_stretch_with_a_suggestion(catalog):
    with pytest.raises(PlanError) as info:
        resolve_options("compare", ("pigeon poze", "side bend"), catalog, {})
    (p,) = info.value.problems
    assert p.value == "pigeon poze" and "did you mean 'Pigeon pose'?" in p.expected
    with pytest.raises(PlanError, match="a stretch in the catalog or in your log"):
        resolve_options("compare", ("xyzzy plugh", "side bend"), catalog, {})


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        ("compare", ("pigeon", "Pigeon pose"), "two different options"),
        ("order", ("side bend", "side bend"), "two different options"),
        ("dose", ("pigeon:30x2", "pigeon : 30 x 2"), "two different options"),
        ("dose", ("pigeon:30x2", "side bend:30x2"), "two doses of the same stretch"),
        ("dose", ("pigeon:30", "pigeon:30x2"), "hold seconds x reps"),
        ("compare", ("pigeon",), "exactly two options"),
        ("taste", ("pigeon", "side bend"), "one of compare, dose, order"),
    ],
)
def test_resolve_options_refuses(catalog, kind, values, message):
    with pytest.raises(PlanError, match=message):
        resolve_options(kind, values, catalog, {})


def test_resolve_options_knows_the_persons_own_stretches(catalog):
    own = {custom_id("my wall thing"): "My wall thing"}
    a, b = resolve_options("compare", ("My Wall Thing", "pigeon"), catalog, own)
    assert (a.stretch_id, a.name) == (custom_id("my wall thing"), "My wall thing")
    with pytest.raises(PlanError, match="did you mean 'My wall thing'"):
        resolve_options("compare", ("my wall thin", "pigeon"), catalog, own)


def _sessions(days: list[date], seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = rng.integers(4, 8, len(days)).astype(float)
    relief = np.clip(np.round(0.3 * start + rng.normal(0, 1, len(days))), 0, None)
    return pd.DataFrame(
        {"date": pd.to_datetime(days), "start_pain": start, "end_pain": start - relief, "relief": relief}
    )


def test_propose_plan_refuses_too_few_days_for_a_person_who_rarely_logs(catalog):
    # about one session a week over two months: two usual weekdays, half of them logged
    days = [date(2026, 10, 5) + timedelta(days=7 * w + (0 if w % 2 else 3)) for w in range(9)]
    sessions = _sessions(days)
    with pytest.raises(PlanError) as info:
        propose_plan("compare", ("pigeon", "side bend"), catalog=catalog, sessions=sessions, names={},
                     today=date(2026, 12, 5), weeks=2)
    (p,) = info.value.problems
    assert p.column == "--weeks" and p.value == "2"
    assert "at least 8 logged days" in p.expected and "plan at least" in p.expected


def test_propose_plan_draws_the_same_plan_for_the_same_day_and_options(catalog):
    days = [date(2026, 10, 1) + timedelta(days=i) for i in range(50)]
    sessions = _sessions(days, seed=1)
    kw = {"catalog": catalog, "sessions": sessions, "names": {}, "weeks": 4}
    one = propose_plan("compare", ("pigeon", "side bend"), today=date(2026, 12, 5), **kw)
    two = propose_plan("compare", ("pigeon", "side bend"), today=date(2026, 12, 5), **kw)
    seed = default_plan_seed(date(2026, 12, 5), "compare", ("pigeon", "side bend"))
    assert one.plan.seed == two.plan.seed == seed
    assert one.plan.schedule.equals(two.plan.schedule)
    assert one.plan.start == date(2026, 12, 6) and one.plan.weeks == 4
    other = propose_plan("compare", ("pigeon", "side bend"), today=date(2026, 12, 6), **kw)
    assert other.plan.seed != one.plan.seed
    assert one.preview is not None and one.sentences()
    assert default_plan_seed(date(2026, 12, 5), "compare", ("side bend", "pigeon")) != one.plan.seed


def test_propose_plan_without_a_preview_says_why(catalog):
    empty = pd.DataFrame(columns=["date", "start_pain", "end_pain", "relief"])
    prop = propose_plan("compare", ("pigeon", "side bend"), catalog=catalog, sessions=empty, names={},
                        today=date(2026, 12, 5))
    assert prop.preview is None and prop.plan.weeks == 4
    assert prop.sentences()[0].startswith("No preview: your log has 0 sessions")


def test_propose_plan_refuses_a_bad_design(catalog):
    empty = pd.DataFrame(columns=["date", "start_pain", "end_pain", "relief"])
    with pytest.raises(PlanError, match="one of pairs, weeks, free"):
        propose_plan("compare", ("pigeon", "side bend"), catalog=catalog, sessions=empty, names={},
                     today=date(2026, 12, 5), design="zigzag")


# --------------------------------------------------------------------------- noise and preview


def test_noise_from_log_needs_eight_rated_days():
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(7)]
    assert noise_from_log(_sessions(days)) is None
    # many sessions, but on fewer than eight days: still None
    twice = _sessions(days + days)
    assert noise_from_log(twice) is None
    unrated = _sessions([date(2026, 11, 1) + timedelta(days=i) for i in range(20)])
    unrated.loc[7:, "end_pain"] = np.nan
    assert noise_from_log(unrated) is None
    assert noise_from_log(_sessions(days + [date(2026, 11, 9)])) is not None


def test_preview_detectable_difference_falls_with_weeks():
    n = Noise(1.0, 0.3, True, 40, (0, 2, 4, 5), 0.9, 4.0)
    p = preview(n, weeks=[3, 6, 12], draws=400)
    det = p.table.set_index("weeks")["detectable"]
    assert det[3] > det[6] > det[12] > 0
    # roughly as 1/sqrt(days): four times the days, about half the difference
    assert 0.35 < det[12] / det[3] < 0.7
    assert p.detectable(6) == det[6]
    assert p.sentences(6)[0].startswith("With 6 weeks of sessions on Mon, Wed, Fri and Sat")


def test_preview_never_promises_a_plan_whose_coin_cannot_reach_five_percent():
    """Too few blocks (pairs of days or of weeks): no difference, however large, is ever shown."""
    n = Noise(0.4, 0.3, True, 40, (0, 2, 4, 5), 0.9, 4.0)
    p = preview(n, design="weeks", weeks=range(2, 13), draws=400)
    det = p.table.set_index("weeks")["detectable"]
    # 2^5 = 32 schedules or fewer (10 weeks or less): the smallest p-value is 2/32 > 5%
    assert det.loc[:10].isna().all() and det.loc[11:].notna().all()
    assert p.weeks >= 11
    assert "cannot show a difference of any size" in p.sentences(4)[0]
    assert "plan at least 11 weeks" in p.sentences(4)[0]


# --------------------------------------------------------------------------- planned days


def _log(rows: list[tuple]) -> str:
    """Log rows: (day offset from START, stretch, hold, reps, before, after) - one session a day."""
    lines = [HEADER]
    for off, stretch, hold, reps, before, after in rows:
        lines.append(f"{START + timedelta(days=off)},19:00,{stretch},,{hold},{reps},{before},{after},,")
    return "\n".join(lines) + "\n"


def test_plan_days_classifies_a_compare_plan():
    p = _plan(weeks=1, seed=3)
    bouts, sessions = _tables(_log([
        (0, "pigeon pose", 30, 2, 6, 5),
        (0, "knees to chest", 30, 2, "", 4),
        (1, "side bend", 30, 2, 6, 5),
        (2, "pigeon pose", 30, 2, 7, 6),
        (2, "side bend", 30, 2, "", 5),
        (3, "knees to chest", 30, 2, 5, 4),
        (4, "side bend", 30, 2, 5, 3),
    ]))
    days = plan_days(p, bouts, sessions, today=START + timedelta(days=6))
    assert days["done"].tolist() == ["A", "B", "both", "neither", "B", "missed", "to come"]
    assert days["followed"].tolist() == [d == o for d, o in zip(days["done"], days["option"])]
    assert days["relief"].iloc[:5].tolist() == [2.0, 1.0, 2.0, 1.0, 2.0]
    assert days["start_pain"].iloc[:5].tolist() == [6.0, 6.0, 7.0, 5.0, 5.0]
    assert days["n_sessions"].tolist() == [1, 1, 1, 1, 1, 0, 0]
    assert days["relief"].iloc[5:].isna().all()
    # the same day is missed once it has passed
    later = plan_days(p, bouts, sessions, today=START + timedelta(days=7))
    assert later["done"].iloc[-1] == "missed"


def test_plan_days_reads_a_dose_by_the_nearer_dose():
    p = _plan("dose", weeks=1, seed=3)  # 30 s x 2 against 60 s x 3
    bouts, sessions = _tables(_log([
        (0, "pigeon pose", 30, 2, 6, 5),
        (1, "pigeon pose", 60, 3, 6, 4),
        (2, "pigeon pose", 35, 2, 6, 5),  # near 30 x 2
        (3, "pigeon pose", 52, 2, 6, 5),  # on a log scale about as near to either
        (4, "side bend", 30, 2, 6, 5),  # not the plan's stretch
    ]))
    days = plan_days(p, bouts, sessions, today=START + timedelta(days=7))
    assert days["done"].tolist()[:5] == ["A", "B", "A", "unclear", "neither"]


def test_plan_days_reads_an_order_by_which_came_first():
    p = _plan("order", weeks=1, seed=3)
    bouts, sessions = _tables(_log([
        (0, "pigeon pose", 30, 2, 6, 5),
        (0, "side bend", 30, 2, "", 4),
        (1, "side bend", 30, 2, 6, 5),
        (1, "pigeon pose", 30, 2, "", 4),
        (2, "pigeon pose", 30, 2, 6, 5),  # only one of the two
    ]))
    days = plan_days(p, bouts, sessions, today=START + timedelta(days=7))
    assert days["done"].tolist()[:3] == ["A", "B", "neither"]


def test_today_line_before_during_and_after():
    p = _plan(weeks=2, seed=1)
    assert today_line(p, START - timedelta(days=3)) == "Your self-experiment starts on Mon 7 Dec."
    line = today_line(p, START + timedelta(days=1))
    assert line.startswith("Plan day 2 of 14 (Tue 8 Dec): option ")
    assert p.schedule["do"].iloc[1] in line
    assert today_line(p, START + timedelta(days=20)).startswith("Your self-experiment ended on Sun 20 Dec")
    mwf = make_plan("compare", PIGEON, SIDE, start=START, weeks=2, weekdays=(0, 2, 4), seed=1)
    between = today_line(mwf, START + timedelta(days=1))
    assert between.startswith("No planned session today; next: Wed 9 Dec, option ")
    assert between.endswith("(5 planned days left).")


# --------------------------------------------------------------------------- the answer


def _simulated(p: Plan, difference: float, *, seed: int = 1, miss: float = 0.0, **kw):
    sim = simulate_experiment(p, difference, seed=seed, miss=miss, history_days=0, **kw)
    return _tables(sim.csv)


def test_not_started_and_too_few_days_say_so_in_words():
    p = _plan(weeks=2, seed=2)
    bouts, sessions = _simulated(p, 1.0)
    r = analyse_experiment(p, bouts.iloc[:0], sessions.iloc[:0], today=START, draws=200)
    assert (r.status, r.verdict, r.winner) == ("not started", "not started", None)
    assert r.headline.startswith("Your self-experiment starts on Mon 7 Dec")
    # two days in: one day of each option at most
    first = pd.to_datetime(sessions["date"]) < pd.Timestamp(START + timedelta(days=2))
    first_b = pd.to_datetime(bouts["date"]) < pd.Timestamp(START + timedelta(days=2))
    r = analyse_experiment(p, bouts[first_b], sessions[first], today=START + timedelta(days=2), draws=200)
    assert r.verdict == "not enough data" and r.status == "running" and r.winner is None
    assert "No answer yet: the plan has 1 day with option A and 1 day with option B" in r.headline
    assert "so 2 more days with option A and 2 more days with option B" in r.headline
    assert np.isnan(r.difference) and np.isnan(r.ci_low)


def test_a_finished_plan_gives_a_winner_in_a_sentence():
    p = _plan(weeks=4, seed=4)
    bouts, sessions = _simulated(p, 2.0, seed=4)
    r = analyse_experiment(p, bouts, sessions, today=p.end + timedelta(days=1), draws=500)
    assert r.status == "finished" and not r.interim and r.level == 0.95
    assert r.ci_low <= r.difference <= r.ci_high and r.ci_low > 0
    assert r.verdict == "A better" and r.winner == p.a
    assert r.headline.startswith("Pigeon pose gives you more relief than Side bend: about")
    assert r.p_value < 0.05 and r.prob_a_better > 0.95
    assert r.counts["planned"] == 28 and r.counts["rated_a"] + r.counts["rated_b"] == 28
    assert any(n.startswith("Fair by the coin: in 500 re-draws") for n in r.notes)


def test_interim_look_is_labelled_and_wider():
    p = _plan(weeks=4, seed=4)
    bouts, sessions = _simulated(p, 0.5, seed=6)
    today = START + timedelta(days=20)
    keep_s = pd.to_datetime(sessions["date"]) < pd.Timestamp(today)
    keep_b = pd.to_datetime(bouts["date"]) < pd.Timestamp(today)
    r = analyse_experiment(p, bouts[keep_b], sessions[keep_s], today=today, draws=500)
    assert r.status == "running" and r.interim and r.level > 0.99
    assert r.headline.startswith("So far (interim look, 20 of 28 planned days passed): ")
    assert any(n.startswith("Interim: the interval is a 99.") for n in r.notes)


def test_to_dict_is_plain_json():
    p = _plan(weeks=4, seed=4)
    bouts, sessions = _simulated(p, 1.0, seed=2, miss=0.2)
    seen = []
    for offset in (-1, 3, 20, 28):  # not started, too few days, interim, finished
        today = START + timedelta(days=offset)
        keep_s = pd.to_datetime(sessions["date"]) < pd.Timestamp(today)
        keep_b = pd.to_datetime(bouts["date"]) < pd.Timestamp(today)
        r = analyse_experiment(p, bouts[keep_b], sessions[keep_s], today=today, draws=200)
        d = r.to_dict()
        back = json.loads(json.dumps(d, allow_nan=False))
        assert back["status"] == r.status and back["verdict"] == r.verdict
        assert back["options"] == {"A": "Pigeon pose", "B": "Side bend"}
        assert isinstance(back["headline"], str) and back["headline"]
        assert isinstance(back["notes"], list) and isinstance(back["counts"]["planned"], int)
        seen.append((r.status, r.verdict == "not enough data", r.interim))
    assert seen[0][0] == "not started" and seen[1][1] and seen[2][2] and seen[3][0] == "finished"


def test_a_design_with_too_few_blocks_gives_an_unbounded_interval_not_a_winner():
    """Eight weeks by weeks: four pairs of weeks, 16 schedules, so the smallest p-value is
    2/16 and no difference, however large, can reach 5%.

    (The search grid's edges used to be reported as the interval, and that grid was
    narrow: 'A better' at p = 0.12.)
    """
    p = _plan(design="weeks", weeks=8, seed=0)
    bouts, sessions = _simulated(p, 1.0, seed=10_000, miss=0.1)
    r = analyse_experiment(p, bouts, sessions, today=p.end + timedelta(days=1), draws=500)
    assert r.p_value > 0.1
    assert (r.ci_low, r.ci_high) == (-np.inf, np.inf)
    assert r.verdict == "not sure yet" and r.winner is None
    assert "cannot rule out any difference at the 95% level" in r.headline
    assert np.isnan(r.prob_a_better)
    d = r.to_dict()
    assert (d["ci_low"], d["ci_high"]) == (None, None)
    json.dumps(d, allow_nan=False)


def test_randomisation_interval_holds_zero_when_the_test_does_not_reject_it():
    """Rounded readings tie exactly at a shift of 0: the p-value and the interval must agree."""
    rng = np.random.default_rng(0)
    for _ in range(300):
        z = np.tile([1, 0], 8)
        rng.shuffle(z)
        y = np.round(rng.normal(2 + 0.8 * z, 0.8))
        draws = np.array([rng.permutation(z) for _ in range(300)])
        est, p, lo, hi, _ = randomisation_interval(y, z, draws)
        assert lo <= est <= hi
        assert (lo > 0 or hi < 0) == (p <= 0.05), (p, lo, hi)


def test_missing_days_that_leave_only_second_days_of_pairs_give_no_carry_over_fit():
    """Every rated day the second of its pair: today's option is always the other of
    yesterday's, and a carry-over regression cannot be fitted (it used to warn and
    report a meaningless figure)."""
    p = _plan(weeks=4, seed=8)
    bouts, sessions = _simulated(p, 1.0, seed=3)
    second = {START + timedelta(days=d) for d in range(1, 28, 2)}
    keep_s = pd.to_datetime(sessions["date"]).dt.date.isin(second)
    keep_b = pd.to_datetime(bouts["date"]).dt.date.isin(second)
    r = analyse_experiment(p, bouts[keep_b], sessions[keep_s], today=p.end + timedelta(days=1), draws=300)
    assert r.counts["rated_a"] == r.counts["rated_b"] == 7
    assert np.isnan(r.carryover)
    assert np.isfinite(r.difference) and not any(n.startswith("Carry-over") for n in r.notes)


def test_identical_reliefs_under_one_option_do_not_warn():
    """A zero-variance option: statsmodels' standard error of another term rounds below 0."""
    p = _plan(weeks=1, seed=1)
    sched = p.schedule.copy()
    sched["option"] = list("ABABABA")
    p = dataclasses.replace(p, schedule=sched)
    relief = {0: 2, 1: 2, 2: 1, 3: 2, 4: 2, 5: 2, 6: 2}
    start = [8, 6, 7, 6, 7, 7, 8]
    rows = []
    for d in range(7):
        rows.append((d, "pigeon pose" if sched["option"].iloc[d] == "A" else "side bend", 30, 2,
                     start[d], start[d] - relief[d]))
    bouts, sessions = _tables(_log(rows))
    r = analyse_experiment(p, bouts, sessions, today=START + timedelta(days=7), draws=300)
    assert np.isfinite(r.done_difference) and np.isfinite(r.done_low)


def test_starting_pain_that_tells_the_options_apart_is_not_adjusted_for():
    """Every A day started at 6 and every B day at 7: adjusting for the starting pain would
    leave nothing to compare (it used to give no figure and an empty headline, and the
    as-done regression warned of a rank-deficient design)."""
    p = _plan(weeks=2, seed=2)
    rows = []
    for d, option in enumerate(p.schedule["option"]):
        start = 6 if option == "A" else 7
        stretch = "pigeon pose" if option == "A" else "side bend"
        rows.append((d, stretch, 30, 2, start, start - 1 - (d % 3 == 0)))
    bouts, sessions = _tables(_log(rows))
    r = analyse_experiment(p, bouts, sessions, today=p.end + timedelta(days=1), draws=300)
    assert np.isfinite(r.difference) and r.ci_low <= r.difference <= r.ci_high
    assert np.isfinite(r.done_difference)
    assert r.headline and r.verdict != "not enough data"


@pytest.mark.parametrize(
    ("kw", "drawn", "need"),
    [
        ({"design": "weeks"}, "28 planned days by weeks can be drawn only 4 ways", "plan at least 11 weeks"),
        ({"design": "weeks", "weeks": 10}, "can be drawn only 32 ways", "plan at least 11 weeks"),
        ({"weeks": 3, "weekdays": (0, 2, 4)}, "9 planned days by pairs can be drawn only 32 ways",
         "plan at least 4 weeks, or more days a week with --days"),
    ],
)
def test_propose_plan_refuses_a_plan_whose_coin_could_never_answer(catalog, kw, drawn, need):
    """Fewer than 40 possible schedules: the smallest p-value is above 5% (it used to be
    drawn anyway, and its answer could only ever be 'not sure yet')."""
    empty = pd.DataFrame(columns=["date", "start_pain", "end_pain", "relief"])
    with pytest.raises(PlanError) as info:
        propose_plan("compare", ("pigeon", "side bend"), catalog=catalog, sessions=empty, names={},
                     today=date(2026, 12, 5), **kw)
    (p,) = info.value.problems
    assert p.column == "--weeks" and drawn in p.expected and need in p.expected
    ok = propose_plan("compare", ("pigeon", "side bend"), catalog=catalog, sessions=empty, names={},
                      today=date(2026, 12, 5), **(kw | {"weeks": int(need.split()[3])}))
    assert ok.plan.n_days >= 12
