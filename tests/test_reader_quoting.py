"""Quoting is CSV syntax, not content: a fully quoted or R-style export is the same log.

R's ``write.csv``, pandas' ``QUOTE_ALL`` and office suites' "quote all text cells"
put double quotes around every cell (the header's too). Such a file must read,
validate and report exactly as the unquoted file does. R also writes ``NA`` for a
missing value and numbers its rows unless told otherwise: those are reported with
the R option that fixes them.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import CONTRACT_EXAMPLE, SAMPLE
from stretchlog.cli.app import app
from stretchlog.log.errors import LogError
from stretchlog.log.reader import load_log

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="sample not generated yet")

runner = CliRunner()


def records(path=SAMPLE) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def quote_all(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return buf.getvalue()


_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?")


def r_style(rows: list[list[str]], *, na: str = "", row_names: bool = False) -> str:
    """As R's write.csv writes a data frame: text quoted, numbers bare, missing values as ``na``.

    (Every column R reads from the sample is text or numbers; a missing value is
    written bare, as R does, quoted never.)
    """
    lines = []
    for i, row in enumerate(rows):
        cells = []
        for cell in row:
            if i > 0 and cell == "":
                cells.append(na)
            elif i > 0 and _NUMBER.fullmatch(cell):
                cells.append(cell)
            else:
                cells.append('"' + cell.replace('"', '""') + '"')
        if row_names:
            cells.insert(0, '""' if i == 0 else f'"{i}"')
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def validate_output(path) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", str(path)], catch_exceptions=False, env={"COLUMNS": "200"})
    return result.exit_code, result.output.replace(str(path), "LOG")


def test_sample_quoted_all_reads_and_validates_the_same(tmp_path):
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(quote_all(records()), encoding="utf-8", newline="")
    assert quoted.read_text(encoding="utf-8").startswith('"date","time","stretch"')
    plain, fully = load_log(SAMPLE), load_log(quoted)
    pd.testing.assert_frame_equal(fully.bouts, plain.bouts)
    assert fully.warnings == plain.warnings
    assert validate_output(quoted) == validate_output(SAMPLE)
    assert validate_output(SAMPLE)[0] == 0


def test_quoted_header_with_crlf_and_bom(tmp_path):
    text = quote_all(list(csv.reader(io.StringIO(CONTRACT_EXAMPLE)))).replace("\n", "\r\n")
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    pd.testing.assert_frame_equal(load_log(path).bouts, load_log(io.StringIO(CONTRACT_EXAMPLE)).bouts)


def test_r_style_export_with_na_empty_reads_the_same(tmp_path):
    path = tmp_path / "from-r.csv"
    path.write_text(r_style(records()), encoding="utf-8", newline="")
    pd.testing.assert_frame_equal(load_log(path).bouts, load_log(SAMPLE).bouts)
    assert validate_output(path) == validate_output(SAMPLE)


def test_r_style_na_is_reported_with_the_r_fix(tmp_path):
    path = tmp_path / "from-r.csv"
    path.write_text(r_style(records(), na="NA"), encoding="utf-8", newline="")
    with pytest.raises(LogError) as info:
        load_log(path)
    problems = info.value.problems
    assert problems and all(p.row is not None and p.row >= 2 for p in problems)
    na_cells = [p for p in problems if p.value == "NA"]
    assert na_cells, [str(p) for p in problems[:5]]
    assert all('write empty cells, not NA: in R use write.csv(..., na = "")' in p.expected for p in na_cells)
    # the first row's first NA, named by its row and column as a spreadsheet shows them
    first_na = next((i, row.index("")) for i, row in enumerate(records()[1:], start=2) if "" in row)
    column = records()[0][first_na[1]]
    assert any(p.row == first_na[0] and p.column == column for p in na_cells)
    code, out = validate_output(path)
    assert code == 1 and 'na = ""' in " ".join(out.split())


def test_r_row_names_are_reported_with_the_r_fix(tmp_path):
    path = tmp_path / "from-r.csv"
    path.write_text(r_style(records(), row_names=True), encoding="utf-8", newline="")
    with pytest.raises(LogError) as info:
        load_log(path)
    (p,) = info.value.problems
    assert (p.row, p.column) == (1, "column 1")
    assert "row.names = FALSE" in p.expected


def test_a_note_written_na_by_r_is_kept_with_a_warning(tmp_path):
    rows = list(csv.reader(io.StringIO(CONTRACT_EXAMPLE)))
    rows[1][9] = "NA"
    path = tmp_path / "notes.csv"
    path.write_text(quote_all(rows), encoding="utf-8", newline="")
    loaded = load_log(path)
    assert loaded.bouts.loc[0, "notes"] == "NA"
    (w,) = [w for w in loaded.warnings if w.column == "notes"]
    assert w.row == 2 and 'na = ""' in w.expected


@pytest.mark.slow
def test_report_of_the_quoted_sample_is_the_same(tmp_path):
    from stretchlog.analysis import analyse
    from stretchlog.report.html import build_report

    quoted = tmp_path / SAMPLE.name  # the same file name: the report prints it
    quoted.write_text(quote_all(records()), encoding="utf-8", newline="")
    pages = []
    for path in (SAMPLE, quoted):
        page, _ = build_report(analyse(path, today=date(2026, 10, 1)), seed=1)
        pages.append(page.replace(str(path), "LOG"))
    assert pages[0] == pages[1]
