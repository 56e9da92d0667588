"""The cohort's charts and HTML page: answer first, flagged people first, every stretch,
escaped, self-contained, readable at a phone's width, and still a page when nothing reads."""

from __future__ import annotations

import html
import re
from datetime import date

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from conftest import headless_chrome
from stretchlog.cohort import run_cohort
from stretchlog.plots import plot_cohort_pain, plot_cohort_stretches
from stretchlog.report.cohort import cohort_page, write_cohort_page
from stretchlog.testing.cohort import simulate_cohort

TODAY = date(2026, 3, 1)
BROKEN = ("broken.csv", b"date,stretch,hold_s\n2026-13-01,pigeon,30\n")
HOSTILE = ("<script>alert(1)</script>.csv", b"date,stretch,hold_s\n2026-13-01,pigeon,30\n")


@pytest.fixture(scope="module")
def cohort():
    sim = simulate_cohort(8, days=60, seed=3)
    logs = [(f, log.csv_text().encode()) for f, log in zip(sim.files, sim.logs)]
    return run_cohort(logs + [BROKEN, HOSTILE], jobs=1, today=TODAY)


@pytest.fixture(scope="module")
def page(cohort) -> str:
    return cohort_page(cohort)


@pytest.fixture(scope="module")
def unreadable():
    return run_cohort([BROKEN], jobs=1, today=TODAY)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _text(html: str) -> str:
    """The page's words without tags (entities kept)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ------------------------------------------------------------------ the page


def test_page_is_complete_and_answers_first(cohort, page):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    ids = re.findall(r'<section id="([a-z]+)"', page)
    assert ids == ["answer", "flags", "stretches", "people", "pain", "unread", "method"]
    assert cohort.headline().split(";")[0] in page
    assert "not a diagnosis" in page.lower()
    assert "made on this machine" in page.lower()


def test_broken_files_are_named_with_their_problems(cohort, page):
    unread = page[page.index('<section id="unread"'):page.index('<section id="method"')]
    assert "broken.csv" in unread
    problem = cohort.problems.loc[cohort.problems["file"] == "broken.csv", "problem"].iloc[0]
    assert "2026-13-01" in problem and _text(unread).count("2026-13-01") >= 1


def test_flagged_people_come_first_with_advice(cohort, page):
    flagged = list(cohort.flags["file"].drop_duplicates())
    assert flagged, "the simulated cohort should hold someone with a safety flag"
    people = page[page.index('<section id="people"'):page.index('<section id="pain"')]
    order = re.findall(r'class=first>([^<]+)</td>', people)
    assert order[: len(flagged)] == list(cohort.people["file"][: len(flagged)])
    assert set(order[: len(flagged)]) == set(flagged)
    needs = page[page.index('<section id="flags"'):page.index('<section id="stretches"')]
    first_advice = cohort.flags["advice"].iloc[0]
    assert _text(needs).find(flagged[0]) >= 0
    assert first_advice.split(".")[0].replace("'", "&#x27;") in needs


def test_every_stretch_appears(cohort, page):
    assert len(cohort.stretches) >= 3
    helps = page[page.index('<section id="stretches"'):page.index('<section id="people"')]
    for name in cohort.stretches["name"]:
        assert f">{name}</td>" in helps.replace("&#x27;", "'")


def test_page_is_self_contained_and_escaped(page):
    assert not re.search(r'(src|srcset|href)="(https?:)?//', page)
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.csv" in page
    images = re.findall(r'(?:src|srcset)="([^"]+)"', page)
    assert len(images) == 3 and all(s.startswith("data:image/png;base64,") for s in images)


def test_write_is_atomic_and_leaves_no_temp_file(cohort, page, tmp_path):
    out = write_cohort_page(cohort, tmp_path / "cohort.html")
    assert out.read_text(encoding="utf-8") == page
    assert [p.name for p in tmp_path.iterdir()] == ["cohort.html"]


def test_nothing_readable_still_renders(unreadable):
    page = cohort_page(unreadable)
    text = _text(page)
    assert "broken.csv" in text and "0 logs analysed" in text
    assert html.escape(unreadable.prior_note) in page  # why there is no cohort summary
    assert "<img" not in page  # no empty charts, words instead


# ------------------------------------------------------------------ the charts


def test_forest_has_a_row_per_stretch(cohort):
    ax = plot_cohort_stretches(cohort)
    assert isinstance(ax, Axes)
    names = [t.get_text() for t in ax.texts]
    assert [n for n in names if n in set(cohort.stretches["name"])] == list(cohort.stretches["name"])
    assert ax.get_title(loc="left") == "Which stretches help most people?"


def test_pain_panels_flagged_first_and_capped(cohort):
    axes = plot_cohort_pain(cohort)
    ok = cohort.people[cohort.people["status"] == "ok"]
    assert isinstance(axes, np.ndarray) and len(axes) == len(ok)
    assert all(isinstance(a, Axes) for a in axes)
    assert [a.get_title(loc="left").split("\n")[0] for a in axes] == list(ok["file"])
    assert all(a.get_ylim() == (-0.4, 10.4) for a in axes)
    few = plot_cohort_pain(cohort, max_people=3)
    assert len(few) == 3
    texts = " ".join(t.get_text() for t in few[0].figure.findobj(match=lambda o: hasattr(o, "get_text")))
    assert f"Showing the first 3 of {len(ok)} (flagged first)" in texts.replace("\n", " ")


def test_pain_panels_fill_given_axes_and_pick_files(cohort):
    files = list(cohort.people["file"][cohort.people["status"] == "ok"])[-2:]
    axes = plot_cohort_pain(cohort, files=files, axes=Figure().subplots(1, 3))
    assert len(axes) == 2 and [a.get_title(loc="left").split("\n")[0] for a in axes] == files


def test_charts_of_an_empty_cohort_say_why(unreadable):
    ax = plot_cohort_stretches(unreadable, ax=Figure().add_subplot())
    assert any("No logs could be read" in t.get_text().replace("\n", " ") for t in ax.texts)
    axes = plot_cohort_pain(unreadable)
    assert len(axes) == 1
    assert any("No log could be read" in t.get_text().replace("\n", " ") for t in axes[0].texts)


# ------------------------------------------------------------------ real browser


@pytest.mark.browser
def test_page_fits_a_phone_without_sideways_scrolling(page, tmp_path):
    path = tmp_path / "cohort.html"
    path.write_text(page, encoding="utf-8")
    driver = headless_chrome("390,844")
    try:
        for width, mobile in ((390, True), (1200, False)):
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": 844, "deviceScaleFactor": 2 if mobile else 1,
                "mobile": mobile})
            driver.get(path.resolve().as_uri())
            sizes = driver.execute_script(
                "return [document.documentElement.scrollWidth, document.body.scrollWidth, "
                "window.innerWidth]")
            assert max(sizes[:2]) <= sizes[2], (width, sizes)
            assert driver.execute_script(
                "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0 "
                "&& i.getBoundingClientRect().right <= window.innerWidth + 0.5)")
            assert driver.execute_script("return document.querySelectorAll('script').length") == 0
            driver.save_screenshot(str(tmp_path / f"cohort-{width}.png"))
    finally:
        driver.quit()
