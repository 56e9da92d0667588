"""Every command's terminal output at 80 columns, the default of most terminals (issue 19).

Nothing wider than the terminal, ids never split, names wrapped at whole words, the
warning pointer once, short legends with a way to the full one, and plain words.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conftest import SAMPLE
from stretchlog.cli.app import app
from stretchlog.log.catalog import load_catalog

runner = CliRunner()

COMMANDS = [
    ("effects", str(SAMPLE)),
    ("effects", "--explain", str(SAMPLE)),
    ("effects", "--by-side", str(SAMPLE)),
    ("trends", str(SAMPLE)),
    ("trends", "--explain", str(SAMPLE)),
    ("validate", str(SAMPLE)),
    ("catalog",),
    ("catalog", "--details"),
]


def show(*args: str, width: int = 80) -> str:
    """What a person sees for ``stretchlog ARGS`` in a terminal ``width`` columns wide."""
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def outputs() -> dict[tuple[str, ...], str]:
    return {args: show(*args) for args in COMMANDS}


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_line_is_wider_than_80_columns(outputs, args):
    wide = [line for line in outputs[args].splitlines() if len(line) > 80]
    assert wide == [], "\n".join(wide)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_colour_codes_when_the_output_is_not_a_terminal(outputs, args):
    assert "\x1b[" not in outputs[args]


@pytest.mark.parametrize("args", [("catalog",), ("catalog", "--details")], ids=" ".join)
def test_catalog_ids_are_never_split(outputs, args):
    words = set(outputs[args].split())
    missing = [s.id for s in load_catalog() if s.id not in words]
    assert missing == []


@pytest.fixture(scope="module")
def names() -> list[str]:
    """The names of the stretches in the sample log, as the tables show them."""
    from stretchlog.analysis import Analysis
    from stretchlog.log.reader import load_log

    return list(Analysis(load_log(SAMPLE)).relief.effects["name"])


@pytest.mark.parametrize("args", COMMANDS[:5], ids=" ".join)
def test_stretch_names_wrap_at_whole_words(outputs, names, args):
    """Each word of each name is printed whole (a name may wrap, a word may not)."""
    out = outputs[args]
    words = set(re.findall(r"[\w-]+", out))
    for name in names:
        assert set(re.findall(r"[\w-]+", name)) <= words, name
    assert "..." not in out and "\u2026" not in out  # nothing cut short


def test_catalog_details_is_a_list_not_a_squeezed_table(outputs):
    out = outputs[("catalog", "--details")]
    n = len(load_catalog())
    assert len(out.splitlines()) < 12 * n  # was 1,369 lines: one word a line
    assert "\u2503" not in out and "\u2502" not in out  # no table borders
    assert "Lie with a firm foam roller under your back" in out.replace("\n  ", " ")


@pytest.mark.parametrize("args", [("effects", str(SAMPLE)), ("trends", str(SAMPLE))], ids=" ".join)
def test_the_warning_pointer_is_shown_once(outputs, args):
    assert outputs[args].count("warning about this log") == 1


def test_effects_has_short_headers_and_a_short_legend(outputs):
    out = outputs[("effects", str(SAMPLE))]
    header = next(line for line in out.splitlines() if "Stretch" in line and "Verdict" in line)
    for word in ("Relief", "Likely range", "Feel it", "Sessions"):
        assert word in header
    assert "stretchlog effects --explain" in out.replace("\n", " ")
    assert "regression to the mean" not in out
    full = outputs[("effects", "--explain", str(SAMPLE))]
    assert "makes it worse" in full and "docs/method.md" in full
    assert len(full.splitlines()) > len(out.splitlines())


def test_effects_headers_do_not_wrap_on_a_wide_terminal():
    out = show("effects", str(SAMPLE), width=200)
    header = [line for line in out.splitlines() if "Verdict" in line]
    assert len(header) == 1 and "Feel it" in header[0] and "Sessions" in header[0]


def test_trends_shows_no_interval_for_rows_with_too_little_data(outputs):
    rows = [line for line in outputs[("trends", str(SAMPLE))].splitlines() if "not enough data" in line]
    assert rows, "the sample has stretches rated on too few days"
    for line in rows:
        assert not re.search(r"\d \(", line) and " to " not in line, line
        assert "needs" in line and "more day" in line, line


def test_trends_says_falling_with_a_positive_size(outputs):
    out = " ".join(outputs[("trends", str(SAMPLE))].split())
    m = re.search(r"falling by about ([\d.]+) points a month \(95% interval ([\d.]+) to ([\d.]+) points a month\)", out)
    assert m, out
    size, lo, hi = map(float, m.groups())
    assert 0 <= lo <= size <= hi
    assert "fell from" not in out or re.search(r"fell from [\d.]+ to [\d.]+, by [\d.]+ points \(\d+%; 95% interval [\d.]+ to [\d.]+ points\)", out)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_counts_are_plain_words(outputs, args):
    out = " ".join(outputs[args].split())
    assert not re.search(r"\b1 (days|bouts|sessions|problems|warnings|stretches)\b", out)
    assert "(s)" not in out


def test_a_broken_log_is_listed_within_80_columns():
    from conftest import BROKEN

    result = runner.invoke(app, ["validate", str(BROKEN)], catch_exceptions=False, env={"COLUMNS": "80"})
    assert result.exit_code == 1
    assert max(map(len, result.output.splitlines())) <= 80
    assert "problems" in result.output


def test_each_muscle_group_has_one_name():
    groups = {s.muscle_group for s in load_catalog()}
    assert "buttock muscles (glutes and hip rotators)" in groups
    assert "glutes and hip rotators" not in groups
    assert "deep buttock muscles (hip rotators)" not in groups


def test_wide_terminals_get_the_full_catalog_table():
    out = show("catalog", width=120)
    assert "Targets" in out and max(map(len, out.splitlines())) <= 120
    assert "Targets" not in show("catalog")
