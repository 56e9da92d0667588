"""Property tests: for any valid log, the pain-chain arithmetic holds and the frame round-trips."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchlog.log.errors import StretchlogWarning
from stretchlog.log.reader import load_log, to_csv_text
from stretchlog.log.schema import BOUTS, CONTRACT_COLUMNS
from stretchlog.model.segments import segments
from stretchlog.model.sessions import sessions

NAMES = [
    "reclining hip stretch",
    "Pigeon",
    "hamstring stretch",
    "psoas stretch 1",
    "knees to chest",
    "QL stretch",
    "my own twist",  # custom
    "Cat, cow",  # custom, needs quoting
]
pain = st.one_of(st.integers(0, 10).map(float), st.sampled_from([0.5, 2.5, 6.5, 9.5]))
maybe_pain = st.one_of(st.none(), pain)
notes = st.one_of(st.just(""), st.text(alphabet='abc ,"é\n', min_size=1, max_size=12).filter(lambda s: s.strip() != ""))


@st.composite
def bout(draw):
    return {
        "stretch": draw(st.sampled_from(NAMES)),
        "side": draw(st.sampled_from(["left", "right", "both", ""])),
        "hold_s": draw(st.one_of(st.integers(1, 3600).map(float), st.sampled_from([0.5, 12.5]))),
        "reps": draw(st.one_of(st.none(), st.integers(1, 20))),
        "pain_before": draw(maybe_pain),
        "pain_after": draw(maybe_pain),
        "tightness": draw(maybe_pain),
        "notes": draw(notes),
    }


@st.composite
def session(draw):
    bouts = draw(st.lists(bout(), min_size=1, max_size=6))
    bouts[0]["pain_before"] = draw(pain)
    bouts[-1]["pain_after"] = draw(pain)
    return bouts


keys = st.tuples(
    st.dates(min_value=pd.Timestamp("2024-01-01").date(), max_value=pd.Timestamp("2027-12-31").date()),
    st.one_of(st.none(), st.times().map(lambda t: t.strftime("%H:%M"))),
)


@st.composite
def log_text(draw):
    """A valid log as CSV text; sessions in random file order, bouts in order."""
    ks = draw(st.lists(keys, min_size=1, max_size=6, unique=True))
    rows = []
    for (day, time) in ks:
        for b in draw(session()):
            rows.append({"date": day.isoformat(), "time": time or "", **b})
    order = draw(st.permutations(range(len(ks))))
    # keep each session's bouts in order but shuffle whole sessions around
    by_session, i = [], 0
    for (day, time) in ks:
        n = sum(1 for r in rows if r["date"] == day.isoformat() and r["time"] == (time or ""))
        by_session.append(rows[i : i + n])
        i += n
    rows = [r for k in order for r in by_session[k]]
    frame = pd.DataFrame(rows, columns=list(CONTRACT_COLUMNS))
    line_end = draw(st.sampled_from(["\n", "\r\n"]))
    return frame.to_csv(index=False, lineterminator=line_end, float_format="%g")


def read(text: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StretchlogWarning)
        return load_log(io.StringIO(text)).bouts


COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(log_text())
def test_segment_reliefs_sum_to_session_start_minus_end(text):
    bouts = read(text)
    seg = segments(bouts)
    ses = sessions(bouts).set_index("session_id")
    total = seg.groupby("session_id")["relief"].sum()
    np.testing.assert_allclose(total.to_numpy(), ses.loc[total.index, "relief"].to_numpy(), atol=1e-9)


@COMMON
@given(log_text())
def test_every_bout_in_exactly_one_segment(text):
    bouts = read(text)
    seg = segments(bouts)
    assert bouts["segment_id"].notna().all()
    bout_segs = seg[seg["kind"] == "bouts"]
    # each bout segment's count equals the bouts pointing at it, and none is left over
    counts = bouts["segment_id"].value_counts().sort_index()
    assert counts.index.tolist() == bout_segs["segment_id"].tolist()
    assert counts.tolist() == bout_segs["n_bouts"].tolist()
    assert seg["n_bouts"].sum() == len(bouts)
    # a segment never crosses sessions
    assert bouts.groupby("segment_id")["session_id"].nunique().eq(1).all()
    # segment readings are on the pain scale
    assert seg["start_pain"].between(0, 10).all() and seg["end_pain"].between(0, 10).all()


@COMMON
@given(log_text())
def test_write_then_read_gives_the_same_frame(text):
    first = read(text)
    BOUTS.validate(first)
    again = read(to_csv_text(first))
    pd.testing.assert_frame_equal(first.drop(columns="row"), again.drop(columns="row"))


@COMMON
@given(log_text())
def test_a_per_bout_log_has_one_bout_per_segment(text):
    bouts = read(text)
    bouts = bouts.assign(pain_after=bouts["pain_after"].fillna(5.0))
    again = read(to_csv_text(bouts))
    seg = segments(again)
    assert seg.loc[seg["kind"] == "bouts", "n_bouts"].eq(1).all()


@COMMON
@given(log_text())
def test_sessions_are_the_distinct_date_time_pairs_in_time_order(text):
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    bouts = read(text)
    assert bouts["session_id"].nunique() == len(raw[["date", "time"]].drop_duplicates())
    firsts = bouts.groupby("session_id")["date"].first()
    assert firsts.is_monotonic_increasing
