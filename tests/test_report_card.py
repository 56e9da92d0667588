"""The printable routine card: one page at every budget, nothing cut off or running into
the next column (measured with the renderer), a how-to per stretch and a pain grid."""

from __future__ import annotations

import warnings
from datetime import date

import pytest

from conftest import SAMPLE
from stretchlog.analysis import analyse
from stretchlog.log.errors import StretchlogWarning
from stretchlog.report.card import PAPER, SAVE_DPI, draw_card, save_card, short_howto
from stretchlog.routine.build import routine

TODAY = date(2026, 11, 22)
BUDGETS = (5, 10, 20, 45)


@pytest.fixture(scope="module")
def sample():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        an = analyse(SAMPLE, today=TODAY)
        return an, {m: routine(an, minutes=m, seed=1) for m in BUDGETS}


def _drawn(r, catalog, dpi=SAVE_DPI, paper="A5"):
    fig = draw_card(r, catalog=catalog, dpi=dpi, paper=paper)
    fig.canvas.draw()
    return fig, fig.canvas.get_renderer()


def _texts(fig):
    return [t for t in fig.axes[0].texts if t.get_text()]


@pytest.mark.parametrize("minutes", BUDGETS)
def test_card_is_one_page_with_nothing_off_the_page_or_into_the_next_column(sample, minutes, tmp_path):
    an, rts = sample
    r = rts[minutes]
    pdf = save_card(r, tmp_path / "card.pdf", catalog=an.catalog).read_bytes()
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
    for dpi in (SAVE_DPI, 300):  # what is measured is what is printed, at any resolution
        fig, renderer = _drawn(r, an.catalog, dpi=dpi)
        w, h = fig.bbox.width, fig.bbox.height
        for t in _texts(fig):
            box = t.get_window_extent(renderer)
            assert box.x0 >= 0 and box.x1 <= w and box.y0 >= 0 and box.y1 <= h, t.get_text()
            gid = t.get_gid() or ""
            if gid.startswith("limit:"):
                limit = float(gid.split(":")[1]) * dpi
                assert box.x1 <= limit + 0.01 * dpi, (t.get_text(), box.x1 / dpi, limit / dpi)


@pytest.mark.parametrize("minutes", BUDGETS)
def test_card_shows_every_stretch_whole_with_how_to_side_dose_and_a_pain_grid(sample, minutes):
    an, rts = sample
    r = rts[minutes]
    fig, _ = _drawn(r, an.catalog)
    words = " ".join(" ".join(t.get_text().split()) for t in _texts(fig))
    assert "..." not in " ".join(t.get_text() for t in _texts(fig) if t.get_fontweight() == "bold"
                                 and t.get_fontsize() >= 8.5 and "more:" not in t.get_text())
    assert "and more" not in words and " more: print it on A4" not in words  # every stretch is on it
    for i in r.items:
        assert i.name in words, i.name  # names wrap, never cut
        assert f"{i.hold_s} s x {i.reps}" in words
        how = an.catalog.get(i.stretch).instructions if not i.stretch.startswith("custom:") else ""
        if i.round == 1 and how:
            first_words = " ".join(how.split()[:3])
            assert first_words in words, (i.name, first_words)
    assert all(day in words for day in ("Mon", "Tue", "Sun")) and "Before" in words and "After" in words
    assert "not a diagnosis" in words


def _largest_gap(fig, renderer) -> float:
    """The tallest horizontal band of the page with nothing in it, as a share of the page."""
    ax = fig.axes[0]
    spans = []
    for a in list(ax.texts) + list(ax.patches) + list(ax.lines):
        box = a.get_window_extent(renderer)
        spans.append((box.y0, box.y1))
    spans.sort()
    h = fig.bbox.height
    margin = 0.35 / PAPER["A5"][1] * h
    gap, top = 0.0, h - margin
    for y0, y1 in sorted(spans, key=lambda s: -s[1]):
        if y1 < top:
            gap = max(gap, top - y1)
        top = min(top, y0)
    return max(gap, top - margin) / h


@pytest.mark.parametrize("minutes", BUDGETS)
def test_card_fills_its_page(sample, minutes):
    an, rts = sample
    fig, renderer = _drawn(rts[minutes], an.catalog)
    assert _largest_gap(fig, renderer) < 0.08


def test_card_without_a_catalog_uses_the_built_in_instructions(sample):
    an, rts = sample
    fig, _ = _drawn(rts[10], None)
    words = " ".join(" ".join(t.get_text().split()) for t in _texts(fig))
    assert "Lie on your back" in words


def test_card_on_a4_and_a_very_long_routine_still_fits(sample, tmp_path):
    an, _ = sample
    r = routine(an, minutes=90, seed=1)
    for paper in ("A5", "A4"):
        fig, renderer = _drawn(r, an.catalog, paper=paper)
        for t in _texts(fig):
            box = t.get_window_extent(renderer)
            assert box.x1 <= fig.bbox.width and box.y0 >= 0, t.get_text()


def test_short_howto_keeps_whole_clauses():
    text = ("Kneel on one knee with the other foot flat in front and a chair or table beside you for balance, "
            "and with your trunk upright push your hips forward as far as is comfortable. Then lift both arms.")
    assert short_howto(text, 500).startswith("Kneel on one knee") and "Then lift both arms." in short_howto(text, 500)
    cut = short_howto(text, 100)
    assert cut == "Kneel on one knee with the other foot flat in front and a chair or table beside you for balance."
    assert len(short_howto(text, 40)) <= 40
