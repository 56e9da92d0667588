"""Tables of the relief report: per-stretch counts, cannot-separate groups, sides, notes.

Internal helpers of :func:`stretchlog.effects.relief.relief_report` (no public API).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st

from stretchlog.effects._inference import claim_alpha, stand_out
from stretchlog.effects.model import FIRST, FIRST_START, MIN_CHAINED_SESSIONS, POSITION, REST
from stretchlog.model.thresholds import FELT_RELIEF, MIN_SESSIONS_FOR_FIGURE
from stretchlog.words import joined, plural

__all__: list[str] = []  # internal module

GROUP_COLUMNS = [
    "group",
    "stretches",
    "names",
    "reason",
    "advice",
    "together",
    "together_low",
    "together_high",
    "together_pattern",
]
SIDE_COLUMNS = [
    "stretch",
    "name",
    "left",
    "right",
    "difference",
    "ci_low",
    "ci_high",
    "imbalance",
    "better_side",
]
MODEL_COLUMNS = ["term", "estimate", "ci_low", "ci_high", "meaning"]

_MEANING = {
    FIRST: "change in the opening segment at an average starting pain, beyond its bouts",
    FIRST_START: "extra apparent relief in the opening segment per point of starting pain above average "
    "(regression to the mean)",
    POSITION: "extra relief per bout for each earlier bout in the session (order / warm-up)",
    REST: "change in pain during a pause between bouts (no stretch)",
}


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})


def unit_stats(bouts: pd.DataFrame, unit: pd.Series, segs: pd.DataFrame) -> pd.DataFrame:
    work = pd.DataFrame(
        {
            "unit": unit.to_numpy(),
            "session": bouts["session_id"].to_numpy(),
            "segment": bouts["segment_id"].to_numpy(),
        }
    )
    nb = segs.set_index("segment_id")["n_bouts"]
    work["single"] = work["segment"].map(nb).eq(1).to_numpy()
    g = work.groupby("unit")
    per_session = work.groupby(["unit", "session"]).size().groupby("unit").median()
    return pd.DataFrame(
        {
            "n_bouts": g.size(),
            "n_sessions": g["session"].nunique(),
            "n_segments": g["segment"].nunique(),
            "n_single": g["single"].sum(),
            "bouts_per_use": per_session,
        }
    )


def _label(units: tuple[str, ...], names: dict[str, str]) -> list[str]:
    out = []
    for u in units:
        sid, _, sd = u.partition("|")
        out.append(names.get(sid, sid) + (f" ({sd})" if sd and sd != "both" else ""))
    return out


def groups_table(an, names: dict[str, str], f, tq: float) -> pd.DataFrame:
    """One row per cannot-separate group: reason, advice, and their joint relief if measurable."""
    rows = []
    d = an.design
    for g, (units, baseline) in enumerate(an.groups, start=1):
        shown = _label(units, names)
        together = lo = hi = np.nan
        pattern = ""
        one = len(units) == 1
        it, its = ("it", "its") if one else ("them", "their")
        if baseline:
            reason = (
                ("" if one else "Between them, ")
                + f"{joined(shown)} {'is' if one else 'are'} in the "
                "opening part of every session (up to the first pain reading after the start), so "
                f"{its} relief cannot be told apart from the change in pain that comes with just "
                "starting a session (settling down, a high first reading easing by itself)"
            )
            advice = (
                f"To measure {it} on {its} own: now and then do {'it' if one else 'one of them'} after "
                "another stretch and rate your pain just before and just after it, or leave "
                f"{'it' if one else 'one of them'} out of some sessions."
            )
        else:
            cols = [d.units.index(u) for u in units]
            sub = d.X[:, cols]
            same = np.linalg.matrix_rank(sub) == 1
            reason = (
                f"{joined(shown)} are always done in the same part of a session with no pain "
                "reading between them: only their combined relief can be measured"
                if same
                else f"{joined(shown)} are always done in combinations with each other, with no pain "
                "reading between them, that cannot be untangled"
            )
            advice = (
                f"Rate your pain between {joined(shown)} now and then, or sometimes leave one "
                "of them out."
            )
            present = sub.sum(axis=1) > 0
            if present.any():
                pats, counts = np.unique(sub[present], axis=0, return_counts=True)
                c = pats[np.argmax(counts)]
                full = np.zeros(len(an.columns))
                for u, v in zip(units, c):
                    full[an.columns.index(u)] = v
                if np.abs(an.P @ full).max() < 1e-6:  # estimable
                    w = np.array([c[units.index(u)] if u in units else 0.0 for u in f.columns])
                    together = float(w @ f.coef)
                    se = float(np.sqrt(w @ f.cov @ w))
                    lo, hi = together - tq * se, together + tq * se
                    pattern = " + ".join(f"{int(v)} x {s}" for v, s in zip(c, shown) if v)
        rows.append(
            {
                "group": g,
                "units": units,
                "stretches": " + ".join(units),
                "names": " + ".join(shown),
                "reason": reason,
                "advice": advice,
                "together": together,
                "together_low": lo,
                "together_high": hi,
                "together_pattern": pattern,
            }
        )
    if not rows:
        out = empty(GROUP_COLUMNS)
        out["units"] = pd.Series(dtype=object)
        return out
    return pd.DataFrame(rows)


def side_table(
    frame: pd.DataFrame, mean: np.ndarray, cov: np.ndarray, est: list[str], tq: float,
    df: float = np.inf, alpha: float = 0.05,
) -> pd.DataFrame:
    """Left minus right per sided stretch, from the joint estimates ``mean``, ``cov`` over ``est``.

    The relief report passes each side's own estimates (before pooling): pooling pulls
    both sides toward the person's average stretch, which shrinks a real difference
    and hid a 1-point imbalance in a quarter of simulated year-long logs.

    A side is called better (``imbalance``) only when the difference stands out after
    testing every sided stretch together (Benjamini-Hochberg at a quarter of ``alpha``,
    :func:`~stretchlog.model.claims.claim_alpha`: with a dozen stretches, one
    lucky one in twenty would otherwise show up) **and** is at
    least :data:`~stretchlog.model.thresholds.FELT_RELIEF` points a bout, a difference
    a person would feel.
    """
    rows = []
    pvals: list[float] = []
    pos = {u: i for i, u in enumerate(est)}
    for sid, grp in frame.groupby("stretch", sort=False):
        sides = dict(zip(grp["side"], grp.index))
        if not {"left", "right"} <= set(sides):
            continue
        ul, ur = f"{sid}|left", f"{sid}|right"
        name = frame.at[sides["left"], "name"].rsplit(" (", 1)[0]
        if ul not in pos or ur not in pos:
            rows.append(
                {
                    "stretch": sid,
                    "name": name,
                    "left": np.nan,
                    "right": np.nan,
                    "difference": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "imbalance": False,
                    "better_side": "",
                }
            )
            continue
        if frame.loc[[sides["left"], sides["right"]], "effect"].isna().any():
            # a side whose own figure is below the bar: no difference to carry either
            rows.append({"stretch": sid, "name": name, "left": np.nan, "right": np.nan,
                         "difference": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                         "imbalance": False, "better_side": ""})
            continue
        i, j = pos[ul], pos[ur]
        diff = float(mean[i] - mean[j])
        se = float(np.sqrt(max(cov[i, i] + cov[j, j] - 2 * cov[i, j], 0.0)))
        lo, hi = diff - tq * se, diff + tq * se
        pvals.append(2 * float(st.t.sf(abs(diff) / se, df)) if se > 0 else (0.0 if diff else 1.0))
        rows.append(
            {
                "stretch": sid,
                "name": name,
                "left": float(mean[i]),
                "right": float(mean[j]),
                "difference": diff,
                "ci_low": lo,
                "ci_high": hi,
                "imbalance": False,  # decided below, over every sided stretch together
                "better_side": "",
            }
        )
    if not rows:
        return empty(SIDE_COLUMNS)
    out = pd.DataFrame(rows, columns=SIDE_COLUMNS)
    tested = out["difference"].notna().to_numpy()
    clear = np.zeros(len(out), dtype=bool)
    clear[tested] = stand_out(np.asarray(pvals), claim_alpha(alpha))
    clear &= out["difference"].abs().to_numpy(float) >= FELT_RELIEF
    out["imbalance"] = clear
    out["better_side"] = np.where(clear, np.where(out["difference"] > 0, "left", "right"), "")
    return out


def model_table(an, tq) -> pd.DataFrame:
    f = an.fit
    rows = []
    for term in (FIRST, FIRST_START, POSITION, REST):
        if term in f.columns:
            i = f.columns.index(term)
            ok = an.P[an.columns.index(term), an.columns.index(term)] == 0
            e, se = (f.coef[i], np.sqrt(f.cov[i, i])) if ok else (np.nan, np.nan)
            rows.append(
                {
                    "term": term,
                    "estimate": e,
                    "ci_low": e - tq * se,
                    "ci_high": e + tq * se,
                    "meaning": _MEANING[term],
                }
            )
    return pd.DataFrame(rows, columns=MODEL_COLUMNS) if rows else empty(MODEL_COLUMNS)


def fit_notes(an, bouts) -> tuple[str, ...]:
    notes = []
    if POSITION in an.dropped:
        notes.append(
            "The log cannot yet tell a stretch's own relief from the effect of its place in the "
            "session (the order has not varied enough), so each stretch's relief includes whatever "
            "its usual place adds. Changing the order now and then fixes this."
        )
    if FIRST in an.dropped:
        notes.append(
            "Pain was rated between stretches in fewer than "
            f"{MIN_CHAINED_SESSIONS} sessions, so the tool assumes pain does not drift by itself "
            "over a session (apart from regression to the mean, which it adjusts for). Rating pain "
            "between stretches now and then lets it check."
        )
    segs = an.design.segs
    if FIRST_START in an.dropped:
        starts = segs.groupby("session_id", sort=False)["start_pain"].first().to_numpy(float)
        if len(starts) and np.ptp(starts) == 0:
            notes.append(
                f"Every session started at the same pain ({starts[0]:g}), so there is no "
                "regression to the mean to adjust for."
            )
        else:
            n = an.fit.n_sessions
            notes.append(
                f"With {plural(n, 'session')}, the log cannot yet tell how much a high "
                "first reading eases by itself (regression to the mean), so part of the relief credited "
                "to each session's first stretches may be just that; sessions that start at different "
                "pain levels let it adjust for this."
            )
    ends0 = float((segs["end_pain"] == 0).mean()) if len(segs) else 0.0
    if ends0 >= 0.1:
        notes.append(
            f"{ends0:.0%} of the stretches between two readings ended at 0 pain: relief cannot go "
            "below 0, so effects are understated (most for strong stretches)."
        )
    floor = an.design.n_at_floor
    if floor and not len(segs):
        notes.append(
            "Every stretch was done with the pain at 0: there was no pain to relieve, so no "
            "stretch can show relief."
        )
    elif floor:
        notes.append(
            f"{plural(floor, 'stretch', 'stretches')} between two readings started with the pain "
            "already at 0: with nothing to relieve they cannot show relief, so they are left out "
            "of the relief figures."
        )
    if len(segs) and float(np.abs(segs["relief"]).max()) == 0:
        notes.append("Pain never changed across a stretch: every estimate is 0 relief.")
    if an.fit.n_sessions < 5:
        n = an.fit.n_sessions
        notes.append(
            f"Only {plural(n, 'session')} with some pain to relieve so far: a stretch needs "
            f"{MIN_SESSIONS_FOR_FIGURE} sessions with pain rated before and after it before it gets "
            "a figure, and the "
            "figures settle after about 10; keep logging."
        )
    return tuple(notes)
