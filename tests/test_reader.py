"""The log reader: the contract's example, conventions, and every kind of bad input."""

from __future__ import annotations

import io
import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import HEADER
from stretchlog.log.errors import LogError, StretchlogWarning
from stretchlog.log.reader import load_log, read_log
from stretchlog.log.schema import BOUTS


def problems_of(source) -> list:
    with pytest.raises(LogError) as info:
        load_log(source)
    return list(info.value.problems)


def one_problem(source):
    found = problems_of(source)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def bout_rows(*rows: str) -> str:
    return HEADER + "\n" + "\n".join(rows) + "\n"


GOOD = "2026-11-01,21:30,pigeon,left,45,2,6,5,7,"


# ---------------------------------------------------------------- the contract example


def test_contract_example_reads_into_typed_frame(write, example_text):
    bouts = read_log(write(example_text))
    BOUTS.validate(bouts)
    assert bouts["session_id"].tolist() == [1, 1, 1, 1, 2]
    assert bouts["bout"].tolist() == [1, 2, 3, 4, 1]
    assert bouts["stretch_id"].tolist() == [
        "reclining-hip-stretch",
        "reclining-hip-stretch",
        "standing-hamstring-stretch",
        "psoas-stretch-kneeling",
        "double-knees-to-chest",
    ]
    # "The third and fourth bouts of 2026-11-01 form one segment (relief 4 -> 3)."
    assert bouts["segment_id"].tolist() == [1, 2, 3, 3, 4]
    assert bouts["row"].tolist() == [2, 3, 4, 5, 6]
    assert str(bouts["date"].dtype) == "datetime64[ns]"
    assert bouts["notes"].iloc[2] == "flexed quads"
    assert pd.isna(bouts["notes"].iloc[0])


def test_defaults_side_both_reps_one(write):
    bouts = read_log(write("date,stretch,hold_s,pain_before,pain_after\n2026-11-01,pigeon,45,5,3\n"))
    assert bouts.loc[0, "side"] == "both"
    assert bouts.loc[0, "reps"] == 1
    assert pd.isna(bouts.loc[0, "time"])


def test_columns_in_any_order_and_case(write):
    text = "Pain_After,hold_s,STRETCH,Date,pain before\n3,45,Pigeon,2026-11-01,5\n"
    bouts = read_log(write(text))
    assert bouts.loc[0, ["pain_before", "pain_after", "hold_s"]].tolist() == [5.0, 3.0, 45.0]


def test_stretch_names_fold_case_spaces_hyphens_underscores(write):
    text = bout_rows(
        "2026-11-01,,Reclining-Hip_Stretch,left,60,,6,",
        "2026-11-01,,RECLININGHIPSTRETCH,right,60,,,4",
    )
    bouts = read_log(write(text))
    assert set(bouts["stretch_id"]) == {"reclining-hip-stretch"}
    assert bouts["stretch"].tolist() == ["Reclining-Hip_Stretch", "RECLININGHIPSTRETCH"]


def test_time_variants_read_as_hh_mm(write):
    text = bout_rows(
        "2026-11-01,7:15,pigeon,,45,,6,5,,",
        "2026-11-02,07:15:42,pigeon,,45,,6,5,,",
    )
    assert read_log(write(text))["time"].tolist() == ["07:15", "07:15"]


def test_empty_time_bouts_of_a_date_form_one_session(write):
    text = bout_rows(
        "2026-11-01,,pigeon,,45,,6,,,",
        "2026-11-01,21:00,pigeon,,45,,6,4,,",
        "2026-11-01,,knees to chest,,30,,,3,,",
    )
    bouts = read_log(write(text))
    assert bouts["session_id"].nunique() == 2
    untimed = bouts[bouts["time"].isna()]
    assert untimed["session_id"].nunique() == 1 and len(untimed) == 2
    assert untimed["bout"].tolist() == [1, 2]


def test_seq_orders_bouts_within_a_session(write):
    text = (
        "date,stretch,hold_s,pain_before,pain_after,seq\n"
        "2026-11-01,knees to chest,30,,3,2\n"
        "2026-11-01,pigeon,45,6,,1\n"
    )
    bouts = read_log(write(text))
    assert bouts["stretch_id"].tolist() == ["pigeon-pose", "double-knees-to-chest"]
    assert bouts["row"].tolist() == [3, 2]


def test_crlf_bom_and_lf_read_the_same(write, example_text):
    plain = read_log(write(example_text, "a.csv"))
    crlf_bom = read_log(write(b"\xef\xbb\xbf" + example_text.replace("\n", "\r\n").encode(), "b.csv"))
    pd.testing.assert_frame_equal(plain, crlf_bom)


def test_no_final_newline(write, example_text):
    bouts = read_log(write(example_text.rstrip("\n")))
    assert len(bouts) == 5


def test_buffers_text_and_binary(example_text):
    a = read_log(io.StringIO(example_text))
    b = read_log(io.BytesIO(example_text.encode()))
    pd.testing.assert_frame_equal(a, b)


def test_quoted_notes_with_commas_and_quotes_kept_verbatim(write):
    text = bout_rows('2026-11-01,,pigeon,,45,,6,5,,"tight, then ""better"" "')
    assert read_log(write(text)).loc[0, "notes"] == 'tight, then "better" '


def test_utf8_names_and_notes(write):
    text = bout_rows("2026-11-01,,étirement du dos,,45,,6,5,,très bien ✓")
    with pytest.warns(StretchlogWarning):
        bouts = read_log(write(text))
    assert bouts.loc[0, "notes"] == "très bien ✓"
    assert bouts.loc[0, "custom"]


# ---------------------------------------------------------------- warnings


def test_unknown_stretch_kept_as_custom_with_warning(write):
    text = bout_rows(
        "2026-11-01,,doorway chest stretch,,30,,6,5,,",
        "2026-11-02,,Doorway-Chest Stretch,,30,,6,5,,",
    )
    log = load_log(write(text))
    assert log.bouts["stretch_id"].unique().tolist() == ["custom:doorwaycheststretch"]
    assert log.bouts["custom"].all()
    assert len(log.warnings) == 1
    w = log.warnings[0]
    assert (w.row, w.column, w.value) == (2, "stretch", "doorway chest stretch")
    assert "2 bouts" in w.expected
    with pytest.warns(StretchlogWarning, match="doorway chest stretch"):
        read_log(write(text, "again.csv"))


def test_misspelt_stretch_suggests_the_catalog_name(write):
    log = load_log(write(bout_rows("2026-11-01,,pigeon pos,,30,,6,5,,")))
    assert "Did you mean 'Pigeon pose'" in log.warnings[0].expected


def test_extra_column_kept_with_warning(write):
    text = "date,stretch,hold_s,pain_before,pain_after,mood\n2026-11-01,pigeon,45,5,3,good\n"
    log = load_log(write(text))
    assert log.bouts.loc[0, "mood"] == "good"
    assert [(w.row, w.column) for w in log.warnings] == [(1, "mood")]


def test_all_empty_row_skipped_with_warning(write):
    text = bout_rows(GOOD, ",,,,,,,,,", "2026-11-02,21:30,pigeon,left,45,2,6,5,7,")
    log = load_log(write(text))
    assert len(log.bouts) == 2
    assert log.bouts["row"].tolist() == [2, 4]
    assert [(w.row, w.column) for w in log.warnings] == [(3, None)]


def test_header_only_is_a_valid_empty_log(write):
    log = load_log(write(HEADER + "\n"))
    assert log.bouts.empty
    assert list(log.bouts.columns[:4]) == ["row", "session_id", "session", "date"]
    BOUTS.validate(log.bouts)


# ---------------------------------------------------------------- bad input, one test each


@pytest.mark.parametrize(
    "row, column, value, words",
    [
        ("22/11/2026,21:30,pigeon,left,45,2,6,5,7,", "date", "22/11/2026", "YYYY-MM-DD"),
        ("2026-13-01,21:30,pigeon,left,45,2,6,5,7,", "date", "2026-13-01", "not a real calendar date"),
        ("2026-11-01,21:30,pigeon,left,45,2,11,5,7,", "pain_before", "11", "from 0 to 10"),
        ("2026-11-01,21:30,pigeon,left,45,2,-1,5,7,", "pain_before", "-1", "from 0 to 10"),
        ("2026-11-01,21:30,pigeon,left,45,2,7/10,5,7,", "pain_before", "7/10", "just the number (7)"),
        ("2026-11-01,21:30,pigeon,left,45,2,seven,5,7,", "pain_before", "seven", "in digits"),
        ("2026-11-01,21:30,pigeon,left,0,2,6,5,7,", "hold_s", "0", "> 0"),
        ("2026-11-01,21:30,pigeon,left,-30,2,6,5,7,", "hold_s", "-30", "> 0"),
        ("2026-11-01,21:30,pigeon,left,long,2,6,5,7,", "hold_s", "long", "in digits"),
        ("2026-11-01,21:30,pigeon,left,45,2.5,6,5,7,", "reps", "2.5", "whole number"),
        ("2026-11-01,21:30,pigeon,L,45,2,6,5,7,", "side", "L", "did you mean 'left'"),
        ("2026-11-01,21:30,pigeon,left,45,2,6,5,12,", "tightness", "12", "from 0 to 10"),
        ("2026-11-01,7:15 AM,pigeon,left,45,2,6,5,7,", "time", "7:15 AM", "without AM/PM"),
        ("2026-11-01,21:30,pigeon,left,45,2,\"6,5\",5,7,", "pain_before", "6,5", "decimal point (6.5)"),
        ("2026-11-01,21:30,pigeon,left,nan,2,6,5,7,", "hold_s", "nan", "seconds"),
        ("2026-11-01,21:30,,left,45,2,6,5,7,", "stretch", "", "required"),
        ("2026-11-01,21:30,pigeon,left,7200,2,6,5,7,", "hold_s", "7200", "<= 3600"),
    ],
)
def test_bad_cell_names_row_column_value_and_expectation(write, row, column, value, words):
    p = one_problem(write(bout_rows(GOOD, row)))
    assert (p.row, p.column, p.value) == (3, column, value)
    assert words in p.expected
    assert f"row 3, column '{column}'" in str(p)


def test_first_bout_without_pain_before(write):
    p = one_problem(write(bout_rows("2026-11-01,21:30,pigeon,left,45,2,,5,7,")))
    assert (p.row, p.column, p.value) == (2, "pain_before", "")
    assert "first bout" in p.expected and "2026-11-01 21:30" in p.expected


def test_last_bout_without_pain_after(write):
    text = bout_rows("2026-11-01,21:30,pigeon,left,45,2,6,5,7,", "2026-11-01,21:30,pigeon,right,45,2,,,7,")
    p = one_problem(write(text))
    assert (p.row, p.column) == (3, "pain_after")
    assert "last bout" in p.expected


def test_missing_required_column(write):
    found = problems_of(write("date,stretch,pain_before,pain_after\n2026-11-01,pigeon,5,3\n"))
    assert [(p.row, p.column) for p in found] == [(1, "hold_s")]
    assert "required" in found[0].expected


def test_duplicated_column(write):
    found = problems_of(write("date,stretch,hold_s,hold_s,pain_before,pain_after\n2026-11-01,pigeon,45,45,5,3\n"))
    assert len(found) == 1 and found[0].row == 1 and "columns 3 and 4" in found[0].expected


def test_every_problem_reported_at_once(write):
    text = bout_rows(
        "22/11/2026,21:30,pigeon,L,0,2.5,11,5,7,",
        "2026-11-02,21:30,pigeon,left,45,2,seven,5,7,",
    )
    found = problems_of(write(text))
    assert [(p.row, p.column) for p in found] == [
        (2, "date"),
        (2, "side"),
        (2, "hold_s"),
        (2, "reps"),
        (2, "pain_before"),
        (3, "pain_before"),
    ]


def test_empty_file(write):
    p = one_problem(write(b""))
    assert p.row is None and "empty" in p.expected


def test_whitespace_only_file(write):
    assert "empty" in one_problem(write(b"\n\n  \n")).expected


def test_binary_file(write):
    p = one_problem(write(bytes(range(256)) * 100))
    assert "binary" in p.expected


def test_excel_workbook(write):
    assert "workbook" in one_problem(write(b"PK\x03\x04" + b"\x00" * 100)).expected


def test_utf16_file(write, example_text):
    assert "UTF-16" in one_problem(write(example_text.encode("utf-16"))).expected


def test_semicolon_separated_file(write):
    text = "date;stretch;hold_s;pain_before;pain_after\n2026-11-01;pigeon;45;5;3\n"
    p = one_problem(write(text))
    assert "semicolon-separated" in p.expected and p.row == 1


def test_tab_separated_file(write):
    text = "date\tstretch\thold_s\tpain_before\tpain_after\n2026-11-01\tpigeon\t45\t5\t3\n"
    assert "tab-separated" in one_problem(write(text)).expected


def test_latin1_file_is_named_never_mojibake(write):
    text = bout_rows(GOOD, "2026-11-02,21:30,pigeon,left,45,2,6,5,7,très bien")
    p = one_problem(write(text.encode("latin-1")))
    assert p.row == 3
    assert "Latin-1" in p.expected and "'è'" in p.expected


def test_row_with_too_many_cells(write):
    text = bout_rows(GOOD, "2026-11-02,21:30,pigeon,left,45,2,6,5,7,tight, then better", GOOD.replace("11-01", "11-03"))
    p = one_problem(write(text))
    assert p.row == 3 and "double quotes" in p.expected


def test_not_a_header(write):
    p = one_problem(write("2026-11-01,pigeon,45,5,3\n"))
    assert p.row == 1 and "header" in p.expected


def test_missing_file(tmp_path):
    p = one_problem(tmp_path / "nope.csv")
    assert "no such file" in p.expected


def test_fifty_megabytes_of_garbage_fail_fast_in_bounded_memory(tmp_path):
    rng = np.random.default_rng(0)
    binary = tmp_path / "garbage.bin"
    binary.write_bytes(rng.integers(0, 256, 50 * 2**20, dtype=np.uint8).tobytes())
    text = tmp_path / "garbage.txt"
    printable = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789 ,;.\n", dtype=np.uint8)
    text.write_bytes(rng.choice(printable, 50 * 2**20).tobytes())
    for path in (binary, text):
        tracemalloc.start()
        with pytest.raises(LogError):
            load_log(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 2 * 2**20, f"{path.name}: peak {peak / 2**20:.1f} MiB"


def test_garbage_rows_after_a_valid_header_are_capped_not_unbounded(write):
    text = HEADER + "\n" + "x,y,z,w,v,u,t,s,r,q\n" * 5000
    with pytest.raises(LogError) as info:
        load_log(write(text))
    err = info.value
    assert len(err.problems) == 1000 and err.more > 0
    assert "more problems" in str(err)


def test_library_never_prints(write, capsys, example_text):
    load_log(write(example_text))
    with pytest.raises(LogError):
        load_log(write(b""))
    assert capsys.readouterr() == ("", "")


def test_no_stray_warnings_on_a_clean_log(write, example_text):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_log(write(example_text))


def test_trailing_empty_unnamed_column_is_harmless(write):
    text = "date,stretch,hold_s,pain_before,pain_after,\n2026-11-01,pigeon,45,5,3,\n"
    assert len(read_log(write(text))) == 1


def test_unnamed_column_with_values_is_a_problem(write):
    text = "date,stretch,hold_s,pain_before,pain_after,\n2026-11-01,pigeon,45,5,3,oops\n"
    p = one_problem(write(text))
    assert (p.row, p.column) == (1, "column 6") and "no name" in p.expected


def test_loaded_log_names_its_source(write, example_text):
    path = write(example_text)
    assert load_log(path).source == str(path)


def test_old_mac_cr_line_ends(write, example_text):
    p = one_problem(write(example_text.replace("\n", "\r")))
    assert "CR only" in p.expected
