"""Issue 20: the self-experiment's charts and its section of the HTML report.

- experiment_calendar, experiment_result, plan_power: each returns the Axes it drew on
  (the given one, or one new figure), touches no global state, says what it shows in
  words (title, axis labels, a legend), and reads at a phone's width;
- the calendar's title is the adherence in words and every planned day is a cell;
- the result chart names the options in words and labels a running plan's interval
  "interim";
- the report has a "Your self-experiment" section right after the summary (and the
  headline in the summary) when a plan sits beside the log, and nothing else changes;
  without a plan, no section. At a phone's width the page does not scroll sideways.
"""

from __future__ import annotations

import re
import shutil
import warnings
from datetime import date
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from conftest import ROOT, SAMPLE, headless_chrome
from stretchlog import analyse, plots
from stretchlog.experiment import noise_from_log, preview
from stretchlog.experiment.power import WORTH_KNOWING
from stretchlog.experiment.result import option_label
from stretchlog.plots.experiment import short_answer
from stretchlog.plots.style import MIN_FONT_PT
from stretchlog.report.html import build_report, write_report
from stretchlog.report.sections import esc

EXPERIMENT = ROOT / "data" / "sample" / "experiment-log.csv"
PLAN = ROOT / "data" / "sample" / "experiment-log.plan.csv"
#: A day in the middle of the sample's plan (5 Oct to 28 Nov 2026): 24 of 48 days passed.
MIDWAY = date(2026, 11, 2)


def _copy(folder: Path, *, before: date | None = None, plan: bool | str = True) -> Path:
    """The experiment sample in ``folder`` as ``log.csv`` (rows before ``before`` only),
    with the sample's plan beside it (or ``plan`` as the plan file's text, or none)."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "log.csv"
    if before is None:
        shutil.copy(EXPERIMENT, log)
    else:
        rows = pd.read_csv(EXPERIMENT, dtype=str, keep_default_na=False)
        rows[pd.to_datetime(rows["date"]) < pd.Timestamp(before)].to_csv(log, index=False)
    if isinstance(plan, str):
        (folder / "log.plan.csv").write_text(plan, encoding="utf-8")
    elif plan:
        shutil.copy(PLAN, folder / "log.plan.csv")
    return log


@pytest.fixture(scope="module")
def finished():
    return analyse(EXPERIMENT).experiment


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """The sample's plan looked at midway: the log stops the day before."""
    log = _copy(tmp_path_factory.mktemp("running"), before=MIDWAY)
    an = analyse(log, today=MIDWAY)
    result = an.experiment_for(an.plan)
    assert result.status == "running" and result.interim
    return result


@pytest.fixture(scope="module")
def power():
    return preview(noise_from_log(analyse(SAMPLE).sessions), weeks=range(2, 13), draws=300)


@pytest.fixture
def clean_pyplot():
    plt.close("all")
    yield
    plt.close("all")


CHARTS = {
    "experiment_calendar": lambda r, p, **kw: plots.experiment_calendar(r, **kw),
    "experiment_result": lambda r, p, **kw: plots.experiment_result(r, **kw),
    "plan_power": lambda r, p, **kw: plots.plan_power(p, weeks=8, **kw),
}


def _texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _legend_words(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None, "a legend in words"
    return [t.get_text() for t in legend.get_texts()]


# --------------------------------------------------------------------------- every chart


@pytest.mark.parametrize("chart", list(CHARTS))
@pytest.mark.parametrize("state", ["finished", "running"])
def test_draws_on_the_given_axes_without_global_state(chart, state, finished, running, power,
                                                      clean_pyplot, tmp_path):
    result = finished if state == "finished" else running
    rc_before = dict(matplotlib.rcParams)
    fig = Figure(figsize=(8, 6), layout="constrained")  # not known to pyplot
    ax = fig.add_subplot()
    out = CHARTS[chart](result, power, ax=ax)
    assert out is ax
    assert plt.get_fignums() == [], "a chart given an Axes must not make a figure"
    assert dict(matplotlib.rcParams) == rc_before
    assert ax.get_title(loc="left").strip(), "the title says what the chart shows"
    assert ax.get_xlabel().strip() or chart == "experiment_calendar"
    assert ax.get_ylabel().strip() or [t for t in ax.get_yticklabels() if t.get_text()]
    assert all(w.strip() for w in _legend_words(ax))
    fig.savefig(tmp_path / "chart.png", dpi=80)
    assert (tmp_path / "chart.png").stat().st_size > 5_000


@pytest.mark.parametrize("chart", list(CHARTS))
def test_without_axes_makes_one_new_figure(chart, finished, power, clean_pyplot):
    ax = CHARTS[chart](finished, power)
    assert isinstance(ax, Axes)
    assert plt.get_fignums() == [ax.figure.number]
    w, h = ax.figure.get_size_inches()
    assert 4 <= w <= 12 and 3 <= h <= 16


@pytest.mark.parametrize("chart", list(CHARTS))
@pytest.mark.parametrize("width", [4.0, 8.0])
def test_text_is_readable_at_a_phone_width_and_fits(chart, width, running, power, clean_pyplot):
    """No text under 9 pt, and a narrow figure still lays out (a collapsed layout warns,
    and warnings are errors here)."""
    fig = plt.figure(figsize=(width, 6.5), layout="constrained")
    ax = CHARTS[chart](running, power, ax=fig.add_subplot())
    fig.draw_without_rendering()
    small = [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_FONT_PT]
    assert not small, small
    renderer = fig._get_renderer()
    box = ax.get_window_extent(renderer)
    assert box.width > 0.25 * fig.bbox.width and box.height > 0.2 * fig.bbox.height
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.x0 >= -1 and legend.x1 <= fig.bbox.width + 1, "the legend stays in the figure"


# --------------------------------------------------------------------------- calendar


def test_calendar_title_is_the_adherence_in_words(finished):
    ax = plots.experiment_calendar(finished, ax=Figure().add_subplot())
    c = finished.counts
    assert ax.get_title(loc="left") == f"{c['followed']} of {c['past']} planned days done as planned"
    assert ax.get_title(loc="left") == "38 of 48 planned days done as planned"  # the sample


def test_calendar_has_a_cell_per_planned_day_with_its_letter_and_mark(finished):
    ax = plots.experiment_calendar(finished, ax=Figure().add_subplot())
    texts = [t.get_text() for t in ax.texts]
    days = finished.days
    assert texts.count("A") == (days["option"] == "A").sum()
    assert texts.count("B") == (days["option"] == "B").sum()
    assert texts.count("\u2713") == finished.counts["followed"]  # ticks: done as planned
    assert texts.count("\u2717") == finished.counts["missed"]  # crosses: missed
    assert sum(t.startswith("\u2192") for t in texts) == finished.counts["swapped"]
    words = " ".join(_legend_words(ax))
    for said in ("done as planned", "swapped", "missed"):
        assert said in words
    subtitle = " ".join(_texts(ax))
    assert option_label(finished.plan, finished.plan.a) in subtitle.replace("\n", " ")


def test_calendar_of_a_running_plan_shows_days_to_come_and_today(running):
    ax = plots.experiment_calendar(running, ax=Figure().add_subplot())
    assert "24 to come" in " ".join(ax.get_title(loc="left").split())
    words = " ".join(_legend_words(ax))
    assert "still to come" in words and "today" in words


# --------------------------------------------------------------------------- result


def test_result_names_the_options_in_words_and_gives_the_answer(finished):
    ax = plots.experiment_result(finished, ax=Figure(figsize=(8, 5)).add_subplot())
    rows = " ".join(t.get_text() for t in ax.get_yticklabels()).replace("\n", " ")
    for opt in (finished.plan.a, finished.plan.b):
        assert option_label(finished.plan, opt) in rows
    assert ax.get_title(loc="left") == short_answer(finished)
    assert ax.get_title(loc="left") == "Reclining hip stretch gives you more relief"
    assert not any("interim" in t for t in _texts(ax)), "a finished plan is not interim"
    words = " ".join(_legend_words(ax))
    assert "95% interval" in words and "too small to feel" in words
    # one mark per rated day
    marks = [ln for ln in ax.lines if len(ln.get_xdata()) == 1 and ln.get_marker() in ("o", "s")]
    assert len(marks) == finished.days["relief"].notna().sum()


def test_result_of_a_running_plan_says_interim(running):
    for width in (8.0, 4.0):  # beside the rows, or under their names on a narrow figure
        ax = plots.experiment_result(running, ax=Figure(figsize=(width, 6)).add_subplot())
        texts = " ".join(_texts(ax))
        assert "interim" in texts
        assert ax.get_title(loc="left").startswith("So far")
        assert f"{100 * running.level:.1f}%" in texts  # the wider level is said


def test_result_before_the_plan_starts_says_so(tmp_path):
    log = _copy(tmp_path, before=date(2026, 10, 1))
    result = analyse(log, today=date(2026, 10, 1)).experiment
    assert result.status == "not started"
    ax = plots.experiment_result(result, ax=Figure().add_subplot())
    assert "not started" in ax.get_title(loc="left")
    assert any("starts on" in t for t in _texts(ax))
    cal = plots.experiment_calendar(result, ax=Figure().add_subplot())
    assert cal.get_title(loc="left").startswith("Your plan starts on")


# --------------------------------------------------------------------------- power


def test_plan_power_marks_the_chosen_length_and_the_worth_knowing_line(power):
    ax = plots.plan_power(power, weeks=8, ax=Figure().add_subplot())
    assert ax.get_xlabel() == "length of the plan (weeks)"
    assert "difference" in ax.get_ylabel()
    texts = " ".join(_texts(ax))
    assert "your plan: 8 weeks" in texts and f"{power.detectable(8):.1f} points" in texts
    assert "worth knowing" in texts
    flat = [ln for ln in ax.lines if len(set(np.atleast_1d(ln.get_ydata()))) == 1
            and ln.get_linestyle() == "--"]
    assert any(np.isclose(ln.get_ydata()[0], WORTH_KNOWING) for ln in flat)
    line = max(ax.lines, key=lambda ln: len(ln.get_xdata()))
    # lengths too short for the randomisation test to reach 5% have no figure to draw
    finite = power.table[np.isfinite(power.table["detectable"])]
    assert list(line.get_xdata()) == list(finite["weeks"])
    # default: the preview's suggestion
    ax = plots.plan_power(power, ax=Figure().add_subplot())
    assert f"your plan: {power.weeks} weeks" in " ".join(_texts(ax))


# --------------------------------------------------------------------------- report


def _build(log: Path, today: date | None = None) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_report(analyse(log, today=today), seed=1)[0]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """The same log with its plan beside it and without, on the same day."""
    base = tmp_path_factory.mktemp("pages")
    today = date(2026, 12, 5)
    return {"plan": _build(_copy(base / "with"), today),
            "none": _build(_copy(base / "without", plan=False), today)}


def test_report_has_the_experiment_section_right_after_the_summary(pages, finished):
    page = pages["plan"]
    sections = re.findall(r'<section id="([a-z]+)"', page)
    assert sections[:3] == ["summary", "experiment", "overview"]
    body = page.split('<section id="experiment">', 1)[1].split("</section>", 1)[0]
    assert "<h2>Your self-experiment</h2>" in body
    # answer first: the headline, then the two charts, the notes, the plan
    where = [body.index(esc(finished.headline)), body.index("<img"), body.index("<ul>"),
             body.index(esc(finished.plan.question))]
    assert where == sorted(where)
    assert body.count("<img") == 2
    for note in finished.notes:
        assert esc(note) in body
    assert esc(finished.plan.design_words()[1:]) in body and "Mon 5 Oct 2026 to Sat 28 Nov 2026" in body
    # the summary says it in one line, linked to the section; the nav links it too
    summary = page.split('<section id="summary">', 1)[1].split("</section>", 1)[0]
    assert esc(finished.headline) in summary and 'href="#experiment"' in summary
    assert '<a href="#experiment">' in page.split("<main>", 1)[0]


def test_report_without_a_plan_has_no_experiment_section_and_is_otherwise_the_same(pages):
    none = pages["none"]
    assert 'id="experiment"' not in none and "self-experiment" not in none.lower()
    plan = pages["plan"]
    plan = re.sub(r'<section id="experiment">.*?</section>', "", plan, flags=re.S)
    plan = re.sub(r"<h3>Your self-experiment</h3>.*?</p>", "", plan, flags=re.S)
    plan = plan.replace('<a href="#experiment">Experiment</a>', "")
    # the routine's own section names a winner of the experiment (the routine's feature)
    routine = re.compile(r'<section id="routine">.*?</section>', flags=re.S)
    assert routine.sub("", plan) == routine.sub("", none), \
        "a plan adds its section and summary line, and changes nothing else"


def test_report_of_a_running_plan_says_interim(tmp_path, running):
    page = _build(_copy(tmp_path, before=MIDWAY), MIDWAY)
    body = page.split('<section id="experiment">', 1)[1].split("</section>", 1)[0]
    assert esc(running.headline) in body and "interim" in body.lower()
    assert "running" in body


def test_report_with_a_broken_plan_file_says_what_is_wrong(tmp_path):
    text = PLAN.read_text(encoding="utf-8").replace("2026-10-07", "2026-13-07", 1)
    page = _build(_copy(tmp_path, plan=text), date(2026, 12, 5))
    body = page.split('<section id="experiment">', 1)[1].split("</section>", 1)[0]
    assert "cannot be read" in body and "2026-13-07" in body
    assert '<section id="overview">' in page, "the rest of the report still shows"


@pytest.mark.browser
def test_report_with_a_plan_fits_a_phone(tmp_path):
    out = write_report(EXPERIMENT, tmp_path / "report.html", seed=1).path
    browser = headless_chrome("390,844")
    try:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
        browser.get(out.resolve().as_uri())
        sizes = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
        assert max(sizes[:2]) <= sizes[2], sizes  # no sideways scrolling
        fits = browser.execute_script("""
            const s = document.getElementById('experiment');
            return Array.from(s.querySelectorAll('img, dl, ul, p')).every(
                e => e.getBoundingClientRect().right <= window.innerWidth + 0.5)
                && Array.from(s.querySelectorAll('img')).every(i => i.naturalWidth >= 1.9 * i.width);""")
        assert fits
    finally:
        browser.save_screenshot(str(tmp_path / "report-390.png"))
        browser.quit()
