"""The quick form: parsing, formatting, errors, and round trips (through the real reader too)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchlog.entry.append import append_session
from stretchlog.log.catalog import load_catalog
from stretchlog.log.reader import load_log
from stretchlog.entry.quicklog import Bout, QuickFormError, Session, format_bout, format_number, parse_bout, parse_bouts

# ---------------------------------------------------------------- parsing


def test_the_issue_example():
    assert parse_bout("reclining hip:60x3:left:t7:p5") == Bout(
        "reclining hip", 60.0, 3, "left", tightness=7.0, pain_after=5.0
    )
    assert parse_bout("hamstring:10x9") == Bout("hamstring", 10.0, 9)


@pytest.mark.parametrize(
    "text",
    [
        "reclining hip:60x3:left:t7:p5",
        "reclining hip:p5:t7:left:60x3",
        "reclining hip : LEFT : 60 x 3 : T7 : P5",
        "reclining hip:l:60sx3:t 7:p 5",
        "reclining hip:60:x3:left:t7:p5",
        "reclining hip:60*3:left:t7:p>5",
        "reclining hip:60x3:left:t7:p5:",
    ],
)
def test_fields_in_any_order_and_spelling(text):
    assert parse_bout(text) == Bout("reclining hip", 60.0, 3, "left", tightness=7.0, pain_after=5.0)


@pytest.mark.parametrize(
    "token, field, value",
    [
        ("45", "hold_s", 45.0),
        ("45s", "hold_s", 45.0),
        ("7.5", "hold_s", 7.5),
        ("r", "side", "right"),
        ("B", "side", "both"),
        ("t6.5", "tightness", 6.5),
        ("t0", "tightness", 0.0),
        ("p0", "pain_after", 0.0),
        ("p10", "pain_after", 10.0),
    ],
)
def test_each_shape(token, field, value):
    bout = parse_bout(f"pigeon:{token}" if field == "hold_s" else f"pigeon:30:{token}")
    assert getattr(bout, field) == value


def test_pain_before_and_after():
    b = parse_bout("psoas 1:45x2:p6>4")
    assert (b.pain_before, b.pain_after) == (6.0, 4.0)
    b = parse_bout("psoas 1:45x2:p6>")
    assert (b.pain_before, b.pain_after) == (6.0, None)


def test_note_after_hash_may_hold_colons_and_hashes():
    b = parse_bout("hamstring:10x9 # flexed quads: better #2")
    assert b.notes == "flexed quads: better #2"
    assert b.hold_s == 10 and b.reps == 9


def test_defaults():
    b = parse_bout("knees to chest:30")
    assert (b.reps, b.side, b.tightness, b.pain_before, b.pain_after, b.notes) == (1, "both", None, None, None, None)


@pytest.mark.parametrize(
    "text, words",
    [
        ("pigeon:60y3", ["hold '60y3' in 'pigeon:60y3'", "60x3", "45, 90s, 1m or 1:30"]),
        ("pigeon:z3:left", ["'z3'", "left, right, both", "t7", "p5"]),
        ("pigeon:30:up", ["'up'", "a side"]),
        ("pigeon:30:45", ["'45'", "second time", "'30'"]),
        ("pigeon:30:left:r", ["'r'", "second time", "'left'"]),
        ("pigeon:30:t11", ["'t11'", "tightness", "0 to 10"]),
        ("pigeon:30:p12", ["'p12'", "pain"]),
        ("pigeon:0", ["'0'", "hold", "> 0"]),
        ("pigeon:4000", ["'4000'", "<= 3600"]),
        ("pigeon:30x0", ["'30x0'", "reps", ">= 1"]),
        ("pigeon:left", ["a hold in seconds is needed", "pigeon:30"]),
        (":60x3", ["stretch name comes first"]),
        ("60x3:left", ["'60x3' looks like a field", "name comes first"]),
        ("pigeon:30\nhamstring:10", ["one line"]),
    ],
)
def test_errors_name_the_token_and_what_was_expected(text, words):
    with pytest.raises(QuickFormError) as info:
        parse_bout(text)
    for w in words:
        assert w in str(info.value), str(info.value)


def test_parse_bouts_reports_every_bad_bout():
    with pytest.raises(QuickFormError) as info:
        parse_bouts(["pigeon:30", "hamstring", "psoas:30:q"])
    msg = str(info.value)
    assert "bout 2" in msg and "bout 3" in msg and "bout 1" not in msg


# ---------------------------------------------------------------- formatting


def test_format_examples():
    assert format_bout(Bout("reclining hip", 60, 3, "left", tightness=7, pain_after=5)) == "reclining hip:60x3:left:t7:p5"
    assert format_bout(Bout("hamstring", 10.0, 9)) == "hamstring:10x9"
    assert format_bout(Bout("psoas 1", 45, 2, "left", 8, 6, 3, "front")) == "psoas 1:45x2:left:t8:p6>3 # front"
    assert format_bout(Bout("psoas 1", 45, 2, "left", 8, 6, 3, "front"), readings=False) == "psoas 1:45x2:left"
    assert format_bout(Bout("x", 7.25, 1, pain_before=4.5)) == "x:7.25:p4.5>"


def test_format_number_never_uses_exponents():
    assert format_number(1e-05) == "0.00001"
    assert format_number(2.0) == "2"


@pytest.mark.parametrize("name", ["a:b", "a#b", "", "  "])
def test_names_the_quick_form_cannot_hold(name):
    with pytest.raises(QuickFormError):
        format_bout(Bout(name, 30))


def test_session_pain_goes_on_first_and_last_bout_and_conflicts_are_errors():
    s = Session((Bout("a", 30), Bout("b", 30)), pain_before=6, pain_after=3)
    first, last = s.resolved_bouts()
    assert first.pain_before == 6 and last.pain_after == 3
    with pytest.raises(QuickFormError, match="given twice"):
        Session((Bout("a", 30, pain_before=5),), pain_before=6).resolved_bouts()
    with pytest.raises(QuickFormError, match="given twice"):
        Session((Bout("a", 30, pain_after=4),), pain_after=3).resolved_bouts()


# ---------------------------------------------------------------- properties

_CATALOG = load_catalog()
_NAMES = sorted({s.name for s in _CATALOG} | {a for s in _CATALOG for a in s.aliases})
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "Zs"),
    include_characters="-'(),.&/\"é",
    exclude_characters="\x85\xa0\u1680\u2028\u2029",
)


def _free_name_ok(name: str) -> bool:
    from stretchlog.entry.quicklog import _looks_like_field

    return bool(name) and not _looks_like_field(name)


free_names = st.text(_ALPHABET, min_size=1, max_size=24).map(str.strip).filter(_free_name_ok)
names = st.sampled_from(_NAMES) | free_names
readings = st.none() | st.integers(0, 10).map(float) | st.integers(0, 20).map(lambda x: x / 2)
holds = st.integers(1, 3600).map(float) | st.integers(1, 36000).map(lambda x: x / 10)
notes = st.none() | st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters="\x85\xa0\u1680\u2028\u2029"),
    min_size=1,
    max_size=30,
).map(str.strip).filter(bool)

bouts = st.builds(
    Bout,
    stretch=names,
    hold_s=holds,
    reps=st.integers(1, 30),
    side=st.sampled_from(["left", "right", "both"]),
    tightness=readings,
    pain_before=readings,
    pain_after=readings,
    notes=notes,
)


@given(bouts)
def test_format_then_parse_is_the_identity(bout):
    assert parse_bout(format_bout(bout)) == bout


@given(bouts)
def test_parse_then_format_is_stable(bout):
    text = format_bout(bout)
    assert format_bout(parse_bout(text)) == text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(bouts, min_size=1, max_size=4), st.integers(0, 10), st.integers(0, 10))
def test_quick_form_through_append_and_the_reader_gives_the_same_bouts(session_bouts, start, end):
    texts = [format_bout(b) for b in session_bouts]
    parsed = parse_bouts(texts)
    first, last = parsed[0], parsed[-1]
    session = Session(
        parsed,
        pain_before=None if first.pain_before is not None else float(start),
        pain_after=None if last.pain_after is not None else float(end),
        date="2026-11-01",
        time="21:30",
    )
    expected = session.resolved_bouts()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "log.csv"
        append_session(log, session, catalog=_CATALOG)
        back = load_log(log, catalog=_CATALOG).bouts.sort_values("bout")
    assert len(back) == len(expected)
    for b, (_, r) in zip(expected, back.iterrows()):
        assert r["stretch"] == b.stretch
        assert r["side"] == b.side
        assert r["hold_s"] == b.hold_s and r["reps"] == b.reps
        for col in ("tightness", "pain_before", "pain_after"):
            v = getattr(b, col)
            assert (v is None and r[col] != r[col]) or r[col] == v, col
        assert (b.notes is None and r["notes"] != r["notes"]) or r["notes"] == b.notes
