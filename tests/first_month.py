"""Hypothesis strategies for *valid* logs in the shapes a real first month takes.

Shared by the whole-product property test and anyone who wants a realistic small
log: 0 to 30 sessions (0 = a header-only file), 1 to 8 stretches (catalog names in
several spellings and custom ones), ties, constant or missing pain, constant or
missing tightness, extreme holds, per-bout, start/end-only and mixed pain styles,
both sides, blank times and several sessions a day.

Every log drawn here must be accepted by the reader; the test asserts that first, so
a strategy that drifts out of the contract fails loudly instead of testing nothing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import strategies as st

HEADER = ["date", "time", "stretch", "side", "hold_s", "reps", "pain_before", "pain_after", "tightness", "notes"]

#: Names as people type them: catalog stretches (one-sided and not, in other
#: spellings) and custom ones (one needs CSV quoting).
NAMES = [
    "reclining hip stretch",
    "Reclining-Hip-Stretch",
    "pigeon pose",
    "seated hip stretch",
    "hamstring stretch",
    "psoas stretch 1",
    "knees to chest",
    "QL stretch",
    "TFL stretch",
    "side bend",
    "cat cow",
    "my own twist",
    "Cat, cow",
]

NOTES = ["", "", "", "felt good", "<script>alert(1)</script>", 'said "ouch", stopped', "é ü 中文", "a\nb"]

PAIN_STYLES = ("per_bout", "start_end", "mixed", "constant", "rests")
TIGHTNESS_STYLES = ("none", "constant", "random", "sparse")


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


@st.composite
def first_month_logs(draw, max_sessions: int = 30) -> str:
    """A valid log as CSV text (header included)."""
    n_sessions = draw(st.integers(0, max_sessions))
    pool = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8, unique=True))
    pain_style = draw(st.sampled_from(PAIN_STYLES))
    tight_style = draw(st.sampled_from(TIGHTNESS_STYLES))
    const_pain = float(draw(st.integers(0, 10)))
    const_tight = float(draw(st.integers(0, 10)))
    start = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
    both_sides = draw(st.booleans())
    pain = st.one_of(st.integers(0, 10).map(float), st.sampled_from([0.5, 2.5, 9.5]))
    holds = st.one_of(st.sampled_from([30.0, 60.0, 30.0, 45.0]), st.sampled_from([0.5, 1.0, 3600.0, 600.0]))

    rows: list[dict[str, str]] = []
    day = 0
    keys: set[tuple[str, str]] = set()
    for _ in range(n_sessions):
        day += draw(st.sampled_from([0, 1, 1, 1, 2, 3, 7]))  # several a day, daily, gaps
        date = (start + dt.timedelta(days=day)).isoformat()
        blank_time = draw(st.booleans())
        time = "" if blank_time else f"{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from([0, 15, 30, 45])):02d}"
        if (date, time) in keys:
            continue  # the same date and time would merge into one session: fine, but skip
        keys.add((date, time))
        n_bouts = draw(st.integers(1, 6))
        bouts: list[dict[str, str | float | None]] = []
        for _b in range(n_bouts):
            name = draw(st.sampled_from(pool))
            sides = ["left", "right"] if both_sides and draw(st.booleans()) else [draw(st.sampled_from(["left", "right", "both", ""]))]
            hold = draw(holds)
            reps = draw(st.one_of(st.none(), st.integers(1, 5), st.just(20)))
            for side in sides:
                bouts.append({"stretch": name, "side": side, "hold_s": hold, "reps": reps})
        # pain chain
        n = len(bouts)
        before: list[float | None] = [None] * n
        after: list[float | None] = [None] * n
        if pain_style == "constant":
            before[0], after[-1] = const_pain, const_pain
            for i in range(n):
                if draw(st.booleans()):
                    after[i] = const_pain
        elif pain_style == "start_end":
            before[0], after[-1] = draw(pain), draw(pain)
        elif pain_style == "per_bout":
            level = draw(pain)
            for i in range(n):
                before[i] = level
                level = draw(pain)
                after[i] = level
        elif pain_style == "rests":  # before differs from the previous after: rest segments
            for i in range(n):
                before[i] = draw(pain)
                after[i] = draw(pain)
        else:  # mixed
            before[0], after[-1] = draw(pain), draw(pain)
            for i in range(n):
                if draw(st.booleans()):
                    after[i] = draw(pain)
        for i, b in enumerate(bouts):
            if tight_style == "none":
                tight = None
            elif tight_style == "constant":
                tight = const_tight
            elif tight_style == "sparse":
                tight = draw(st.one_of(st.none(), st.none(), st.integers(0, 10).map(float)))
            else:
                tight = draw(st.integers(0, 10).map(float))
            rows.append(
                {
                    "date": date,
                    "time": time,
                    "stretch": str(b["stretch"]),
                    "side": str(b["side"]),
                    "hold_s": _fmt(b["hold_s"]),  # type: ignore[arg-type]
                    "reps": "" if b["reps"] is None else str(b["reps"]),
                    "pain_before": _fmt(before[i]),
                    "pain_after": _fmt(after[i]),
                    "tightness": _fmt(tight),
                    "notes": draw(st.sampled_from(NOTES)),
                }
            )
    frame = pd.DataFrame(rows, columns=HEADER)
    return frame.to_csv(index=False, lineterminator="\n")
