"""The HTML report: complete, self-contained, escaped, and rendering in a real browser."""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import HEADER, SAMPLE, headless_chrome
from stretchlog.cli.app import app
from stretchlog.log.errors import StretchlogWarning
from stretchlog.analysis import analyse
from stretchlog.report.html import REPORT_STEPS, build_report, write_report

HOSTILE = f"""{HEADER}
2026-11-01,21:30,<script>alert('x')</script>,,45,2,6,5,7,"<img src=x onerror=alert(1)> & more"
2026-11-01,21:30,pigeon,left,45,2,,4,6,</p><h1>not a heading</h1>
2026-11-03,21:30,pigeon,right,45,2,5,4,6,
"""


@pytest.fixture(scope="module")
def sample_page() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        page, parts = build_report(analyse(SAMPLE, today=date(2026, 11, 22)), seed=1)
    assert parts["n_charts"] >= 6
    return page


def test_report_has_every_section_in_order(sample_page):
    ids = re.findall(r'<section id="([a-z]+)"', sample_page)
    assert ids == ["summary", "overview", "relief", "trends", "habits", "routine", "method"]
    # the summary holds the safety line (flags first, when there are any)
    summary = sample_page[sample_page.index('<section id="summary"'):sample_page.index('<section id="overview"')]
    assert 'id="safety"' in summary


def test_report_is_self_contained(sample_page):
    # no link, script or stylesheet from anywhere: images are data URIs
    assert not re.search(r'(src|href)="(https?:)?//', sample_page)
    assert "<script" not in sample_page.lower()
    images = re.findall(r'<img src="([^"]+)"', sample_page)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)


def test_report_names_version_input_and_dates(sample_page):
    from stretchlog import __version__

    assert f"stretchlog {__version__}" in sample_page
    assert "stretch-log.csv" in sample_page
    assert "2026-05-06 to 2026-09-29" in sample_page
    assert "not a diagnosis" in sample_page


def test_names_and_notes_from_the_log_are_escaped(write):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        page, _ = build_report(analyse(write(HOSTILE)), seed=1)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<h1>not a heading</h1>" not in page


def test_empty_log_still_gives_a_page(write):
    page, parts = build_report(analyse(write(HEADER + "\n")), seed=1)
    assert "no bouts yet" in page and parts["n_charts"] >= 1


def test_progress_reports_every_step(tmp_path):
    seen: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        result = write_report(SAMPLE, tmp_path / "r.html", seed=1, card=tmp_path / "card.pdf", progress=seen.append)
    assert seen == list(REPORT_STEPS)
    assert result.path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert result.card.read_bytes().startswith(b"%PDF")
    assert (result.path.stat().st_mode & 0o777) != 0o600


def test_cli_report_writes_report_and_card(tmp_path):
    out, card = tmp_path / "report.html", tmp_path / "card.pdf"
    res = CliRunner().invoke(
        app, ["report", str(SAMPLE), "--out", str(out), "--card", str(card), "--seed", "3"], env={"COLUMNS": "120"}
    )
    assert res.exit_code == 0, res.output
    assert "Report:" in res.output and "Routine card:" in res.output
    assert out.exists() and card.exists()


def test_cli_report_bad_log_writes_nothing(tmp_path, write):
    out = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["report", str(write("date,stretch\n")), "--out", str(out)], env={"COLUMNS": "120"})
    assert res.exit_code == 1 and not out.exists()


def test_cli_report_missing_folder(tmp_path):
    res = CliRunner().invoke(app, ["report", str(SAMPLE), "--out", str(tmp_path / "no" / "r.html")], env={"COLUMNS": "200"})
    assert res.exit_code == 1 and "does not exist" in res.output


# ------------------------------------------------------------------ real browser

@pytest.fixture(scope="module")
def browser():
    driver = headless_chrome("1100,1400", console_log=True)
    yield driver
    driver.quit()


@pytest.mark.browser
def test_report_renders_in_chromium_with_every_image_and_no_console_errors(browser, tmp_path, write):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        sample = write_report(SAMPLE, tmp_path / "sample.html", seed=1).path
        hostile = write_report(write(HOSTILE, "hostile.csv"), tmp_path / "hostile.html", seed=1).path
    for page in (sample, hostile):
        browser.get(Path(page).resolve().as_uri())
        assert browser.title.startswith("stretchlog report")
        n_images = browser.execute_script("return document.images.length")
        loaded = browser.execute_script(
            "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
        )
        assert n_images >= 1 and loaded
        # the hostile note must not have become markup or run anything
        assert browser.execute_script("return document.querySelectorAll('main h1, body script').length") == 0
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
        browser.save_screenshot(str(tmp_path / f"{Path(page).stem}.png"))
    assert (tmp_path / "sample.png").stat().st_size > 10_000
