"""The report in a real browser: the answer on the first screen, no sideways scrolling at a
phone's or a laptop's width, sharp charts, and a printed length a clinician will read."""

from __future__ import annotations

import base64
import warnings
from pathlib import Path

import pytest

from conftest import SAMPLE, headless_chrome
from stretchlog.log.errors import StretchlogWarning
from stretchlog.report.html import write_report

#: Printed pages of the sample's report, on Letter and on A4.
MAX_PRINTED_PAGES = 6
PAPERS = {"Letter": (8.5, 11.0), "A4": (8.27, 11.69)}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    driver = headless_chrome("1280,900")
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        return write_report(SAMPLE, out / "report.html", seed=1, card=out / "card.pdf").path


def _open(browser, page: Path, width: int, height: int, *, mobile: bool) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 3 if mobile else 1, "mobile": mobile})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    browser.get(page.resolve().as_uri())


@pytest.mark.parametrize("width,height,mobile", [(390, 844, True), (1280, 900, False)])
def test_page_fits_the_window_and_opens_on_the_answer(browser, sample_report, tmp_path, width, height, mobile):
    _open(browser, sample_report, width, height, mobile=mobile)
    try:
        sizes = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
        assert max(sizes[:2]) <= sizes[2], sizes  # no sideways scrolling of the page
        first = browser.execute_script("""
            const s = document.getElementById('summary').getBoundingClientRect();
            const step = document.querySelector('#summary ol.steps li').getBoundingClientRect();
            return [s.top, step.bottom, window.innerHeight];""")
        assert first[0] < 0.3 * first[2] and first[1] < first[2], first  # today's routine starts on screen
        # wide tables scroll inside their own box; charts stay in the page and are drawn at 2x
        assert browser.execute_script(
            "return Array.from(document.querySelectorAll('main table')).every(t => t.parentElement.classList.contains('scroll'))")
        assert browser.execute_script("""
            return Array.from(document.images).every(i => i.getBoundingClientRect().right <= window.innerWidth + 0.5
                && i.naturalWidth >= 1.9 * i.width)""")
        # label and value of "log at a glance" side by side or stacked, never one word a line
        assert browser.execute_script(
            "return Array.from(document.querySelectorAll('#overview dl.kv dd')).every(d => d.clientWidth >= 200)")
    finally:
        browser.save_screenshot(str(tmp_path / f"report-{width}.png"))


def test_printed_report_is_short_and_has_no_duplicates(browser, sample_report):
    # printed as the browser prints it, from a fresh tab: a phone's emulated screen stays
    # with the tab it was set on and would change the print layout
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    try:
        _print_checks(browser, sample_report)
    finally:
        browser.close()
        browser.switch_to.window(first)


def _print_checks(browser, sample_report: Path) -> None:
    browser.get(sample_report.resolve().as_uri())
    for name, (w, h) in PAPERS.items():
        pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": w, "paperHeight": h, "printBackground": False})["data"])
        pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        assert 1 <= pages <= MAX_PRINTED_PAGES, (name, pages)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.execute_script("""
            const vis = el => el && getComputedStyle(el).display !== 'none';
            return {card: vis(document.querySelector('figure.card')), nav: vis(document.querySelector('nav')),
                    rows: Array.from(document.querySelectorAll('tr')).every(r => getComputedStyle(r).breakInside === 'avoid')};""")
        assert shown == {"card": False, "nav": False, "rows": True}
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    # the card was written with the report: the page names it and does not say how to make one
    text = sample_report.read_text(encoding="utf-8")
    assert "--format pdf" not in text and "card.pdf" in text
