"""Drawing a simulated log from a design: sessions, choices, bouts, readings, what gets written.

The generative model of :mod:`stretchlog.testing.simulate` (its docstring says it
in plain words), vectorised over sessions and bouts with no Python loop per
session, so a million rows take a few seconds. Every draw comes from one
``numpy.random.default_rng(seed)``, in a fixed order: changing the order of the
draws changes every simulated log, and the tests' expectations with them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from stretchlog.testing.design import Design
from stretchlog.testing.truth import SimTruth, SimulatedLog

__all__ = ["WINDOWS", "generate"]

# the notes a few bouts carry; the first two (a comma, double quotes) are always used
_NOTES_COMMA = "stiff this morning, better after"
_NOTES_QUOTE = 'physio said "go gentler"'
_NOTES = (
    "flexed quads",
    "felt great afterwards",
    "after a long drive",
    "slept badly",
    "tight after sitting all day",
    "on the floor, not the bed",
    "knee complained a bit",
    "rushed",
    "after the gym",
    "held the last rep longer",
    _NOTES_COMMA,
    _NOTES_QUOTE,
)

#: Session time windows in minutes after midnight: morning, evening, then extra
#: slots for very busy (benchmark) logs; disjoint so sessions never merge.
WINDOWS: tuple[tuple[int, int], ...] = (
    (390, 510),  # 06:30-08:30
    (1200, 1350),  # 20:00-22:30
    (720, 810),
    (1050, 1140),
    (555, 660),
    (900, 1005),
    (1365, 1435),
    (315, 380),
    (825, 885),
    (1015, 1045),
    (670, 715),
    (1145, 1195),
)
_TIMES = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)] + [""], dtype=object)
_SIDES = np.array(["left", "right", "both", ""], dtype=object)


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    """A stationary AR(1) series of length n with marginal SD ``sd``."""
    x = float(rng.standard_normal() * sd)
    e = (rng.standard_normal(n) * sd * math.sqrt(max(1.0 - phi * phi, 0.0))).tolist()
    out = [0.0] * n
    for i in range(n):
        if i:
            x = phi * x + e[i]
        out[i] = x
    return np.array(out, dtype=float)


def generate(d: Design, days: int, seed: int, max_bouts: int | None = None) -> SimulatedLog:
    """Draw a log of ``days`` days from the design ``d`` (see :mod:`stretchlog.testing.simulate`).

    Parameters
    ----------
    d : Design
        The person, with the remaining options in ``d.opts``.
    days : int
        Length of the log in days.
    seed : int
        Seed of ``numpy.random.default_rng``: the same seed and design give the identical frame.
    max_bouts : int, optional
        Keep whole sessions only up to the one that reaches this many bouts (for benchmarks).

    Returns
    -------
    SimulatedLog

    Raises
    ------
    ValueError
        For fewer than one day, a non-positive ``sessions_per_week``, or a log with no session.
    """
    o = d.opts
    rng = np.random.default_rng(seed)
    if days < 1:
        raise ValueError("days must be at least 1")

    # ---- sessions: day slots
    spd = float(o["sessions_per_week"]) / 7.0
    if spd <= 0:
        raise ValueError("sessions_per_week must be positive")
    n_slots = 2 if spd <= 1.6 else min(len(WINDOWS), math.ceil(spd / 0.8))
    p_slot = min(1.0, spd / n_slots)
    windows = np.array(sorted(WINDOWS[:n_slots]))
    active = rng.random((days, n_slots)) < p_slot
    day_idx, slot_idx = np.nonzero(active)
    S = len(day_idx)
    if S == 0:
        raise ValueError("the simulated log has no sessions: use more days or sessions_per_week")
    lo, hi = windows[slot_idx, 0], windows[slot_idx, 1]
    minute = lo + np.floor(rng.random(S) * (hi - lo + 1)).astype(np.int64)
    round5 = rng.random(S) < 0.6
    minute = np.where(
        round5, np.minimum((minute // 5) * 5 + 5 * ((minute % 5) >= 3), hi - hi % 5), minute
    )
    first_of_day = np.r_[True, day_idx[1:] != day_idx[:-1]]
    no_time = first_of_day & (rng.random(S) < o["empty_time_prob"])
    minute = np.where(no_time, 1440, minute)

    # ---- latent pain
    t = np.arange(days, dtype=float)
    pain_slope = o["pain_slope"] if o["pain_slope"] is not None else o["pain_change"] * 30.0 / days
    latent = o["baseline"] + pain_slope * t / 30.0 + _ar1(rng, days, o["phi"], o["day_sd"])
    start_base = latent[day_idx] + rng.normal(0.0, o["session_sd"], S)
    stiff = _ar1(rng, days, o["phi"], o["stiff_sd"])

    # ---- per (session, item) draws
    K = len(d.item_first)
    w = d.item_weight
    u = 1.0 - rng.random((S, K))  # (0, 1]
    keys = np.where(w > 0, np.log(u) / np.where(w > 0, w, 1.0), -np.inf)
    for i in np.flatnonzero(d.item_rare_count >= 0):
        m = min(int(d.item_rare_count[i]), S)
        keys[rng.choice(S, size=m, replace=False), i] = 1e6
    n_forced = (keys >= 1e6).sum(axis=1)
    n_avail = np.isfinite(keys).sum(axis=1)
    item_sided = d.sided[d.item_first] & ~d.item_pair
    nb = np.ones((S, K), dtype=np.int64)
    nb[:, d.item_pair] = 2
    both = rng.random((S, K)) < o["both_sides_prob"]
    nb = np.where(item_sided[None, :] & both, 2, nb)
    item_last = np.where(
        d.item_pair,
        (d.lasting[d.item_first] + d.lasting[d.item_second]) / 2,
        d.lasting[d.item_first],
    )
    val = item_last[None, :] * nb
    f = d.favourite_item
    keys_f = keys.copy()
    keys_f[:, f] = 1e9

    def _cum(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(-k, axis=1, kind="stable")
        cum = np.zeros((S, K + 1))
        np.cumsum(np.take_along_axis(val, order, axis=1), axis=1, out=cum[:, 1:])
        return order, cum

    ord_a, cum_a = _cum(keys)
    ord_f, cum_f = _cum(keys_f)

    # ---- decisions from the first reading; the lasting carry-over makes them
    # sequential, solved exactly by iterating to the fixed point (each pass fixes
    # at least one more session; in practice a handful of passes)
    e0 = rng.normal(0.0, o["reading_sd"], S)
    u_fav = rng.random(S)
    z_n = rng.standard_normal(S)
    rows = np.arange(S)
    carry = np.zeros(S)
    fa, fb = o["favourite_first"]
    logit0 = math.log(fa / (1 - fa))
    for _passes in range(S + 1):
        carry_in = np.r_[0.0, carry[:-1]]
        start = np.clip(start_base - carry_in, 0.0, 10.0)
        r0 = np.clip(np.rint(start + e0), 0.0, 10.0)
        x = r0 - o["baseline"]
        fav = u_fav < 1.0 / (1.0 + np.exp(-(logit0 + fb * x)))
        n_items = np.rint(o["items_mean"] + o["items_per_point"] * x + z_n).astype(np.int64)
        n_items = np.clip(n_items, np.maximum(1, n_forced + fav), n_avail)
        new = np.where(fav, cum_f[rows, n_items], cum_a[rows, n_items])
        if np.array_equal(new, carry):
            break
        carry = new

    # ---- which items, in which order
    ord_sel = np.where(fav[:, None], ord_f, ord_a)
    rank = np.empty((S, K), dtype=np.int64)
    np.put_along_axis(rank, ord_sel, np.broadcast_to(np.arange(K), (S, K)).copy(), axis=1)
    selected = rank < n_items[:, None]
    shuffle = rng.random(S) < o["shuffle_prob"]
    okey = np.where(
        shuffle[:, None],
        rng.random((S, K)) * K,
        d.item_rank[None, :] + o["order_jitter"] * rng.standard_normal((S, K)),
    )
    okey[fav, f] = -np.inf
    okey = np.where(selected, okey, np.inf)
    order = np.argsort(okey, axis=1, kind="stable")
    take = np.arange(K)[None, :] < n_items[:, None]
    items_e = order[take]
    sess_e = np.repeat(rows, n_items)
    nb_e = nb[sess_e, items_e]
    bps = np.bincount(sess_e, weights=nb_e, minlength=S).astype(np.int64)

    # ---- benchmark size: keep whole sessions up to max_bouts
    if max_bouts is not None:
        cum = np.cumsum(bps)
        S = int(min(np.searchsorted(cum, max_bouts) + 1, len(bps)))
        keep_e = sess_e < S
        items_e, sess_e, nb_e = items_e[keep_e], sess_e[keep_e], nb_e[keep_e]
        bps, day_idx, minute, start, r0, e0 = (
            bps[:S],
            day_idx[:S],
            minute[:S],
            start[:S],
            r0[:S],
            e0[:S],
        )
        rows = rows[:S]
    days_used = int(day_idx[-1]) + 1

    # ---- bouts
    E = len(items_e)
    B = int(bps.sum())
    entry = np.repeat(np.arange(E), nb_e)
    sub = np.arange(B) - np.repeat(np.cumsum(nb_e) - nb_e, nb_e)
    sess_b = sess_e[entry]
    item_b = items_e[entry]
    stretch_b = np.where(sub == 0, d.item_first[item_b], d.item_second[item_b])
    pos_b = np.arange(B) - np.repeat(np.cumsum(bps) - bps, bps)
    u_side = rng.random(E)
    left_first = np.where(nb_e == 2, u_side < 0.8, u_side < 0.5)
    is_left = left_first[entry] ^ (sub == 1)
    sided_b = d.sided[stretch_b]
    empty_side = rng.random(B) < o["empty_side_prob"]
    side_code = np.where(sided_b, np.where(is_left, 0, 1), np.where(empty_side, 3, 2))
    side_col = np.minimum(side_code, 2)

    mult = np.exp(rng.normal(0.0, 0.2, E))
    reps_delta = rng.choice(np.array([-1, 0, 0, 0, 1]), size=E)
    hold_def = d.hold[stretch_b]
    step = np.where(hold_def >= 20, 5.0, 1.0)
    hold_b = np.clip(np.rint(hold_def * mult[entry] / step) * step, step, 3600).astype(np.int64)
    reps_def = d.reps[stretch_b]
    reps_b = np.maximum(1.0, reps_def + reps_delta[entry])

    relief = (
        d.eff_side[stretch_b, side_col]
        + o["position_effect"] * pos_b
        + o["dose_effect"] * np.log2((hold_b * reps_b) / (hold_def * reps_def))
        + rng.normal(0.0, o["bout_sd"], B)
    )
    J = int(bps.max())
    R = np.zeros((S, J))
    R[sess_b, pos_b] = relief
    P = np.empty((S, J + 1))
    P[:, 0] = start
    for j in range(J):
        P[:, j + 1] = np.where(j < bps, np.clip(P[:, j] - R[:, j], 0.0, 10.0), P[:, j])
    noise = rng.normal(0.0, o["reading_sd"], (S, J + 1))
    noise[:, 0] = e0
    reading = np.clip(np.rint(P + noise), 0.0, 10.0)

    # ---- which readings get written
    style = o["style"]
    if style == "per_bout":
        sstyle = np.zeros(S, dtype=np.int64)
    elif style == "start_end":
        sstyle = np.ones(S, dtype=np.int64)
    else:
        wts = np.asarray(o["mixed_weights"], dtype=float)
        sstyle = rng.choice(3, size=S, p=wts / wts.sum())
    q = rng.uniform(0.25, 0.75, S)
    b_idx = np.arange(J + 1)[None, :]
    interior = (
        rng.random((S, J + 1)) < np.where(sstyle == 0, 1.0, np.where(sstyle == 1, 0.0, q))[:, None]
    )
    F = (b_idx == 0) | (b_idx == bps[:, None]) | ((b_idx < bps[:, None]) & interior)
    pair_second = (sub == 1) & d.item_pair[item_b]
    F[sess_b[pair_second], pos_b[pair_second]] = False
    restate = (rng.random(B) < o["restate_prob"]) & (sstyle[sess_b] != 1)
    has_before = (pos_b == 0) | (F[sess_b, pos_b] & restate)
    pain_before = np.where(has_before, reading[sess_b, pos_b], np.nan)
    pain_after = np.where(F[sess_b, pos_b + 1], reading[sess_b, pos_b + 1], np.nan)

    # ---- tightness
    t_b = day_idx[sess_b].astype(float)
    if d.tight_is_slope:
        tslope = d.tight_change
    else:
        tslope = d.tight_change * 30.0 / days
    tight = (
        d.tight_level[stretch_b, side_col]
        + tslope[stretch_b, side_col] * t_b / 30.0
        + stiff[day_idx[sess_b]]
        + rng.normal(0.0, o["tightness_sd"], B)
    )
    tight = np.clip(np.rint(tight), 0.0, 10.0)
    tight[rng.random(B) < o["tightness_missing"]] = np.nan

    # ---- reps written empty now and then when 1; notes
    reps_col = np.where((reps_b == 1) & (rng.random(B) < 0.5), np.nan, reps_b)
    notes = np.full(B, "", dtype=object)
    n_notes = min(B, max(min(2, B), int(rng.binomial(B, o["notes_rate"]))))
    at = rng.choice(B, size=n_notes, replace=False)
    texts = np.array(_NOTES, dtype=object)[rng.integers(0, len(_NOTES), n_notes)]
    texts[: min(2, n_notes)] = [_NOTES_COMMA, _NOTES_QUOTE][: min(2, n_notes)]
    notes[at] = texts

    # ---- names as typed
    ns = o["name_style"]
    if ns == "id":
        name_tab = np.array(d.ids, dtype=object)
        name_b = name_tab[stretch_b]
    else:
        flat, offs, counts = [], [], []
        for s in d.ids:
            offs.append(len(flat))
            variants = d.names[s] if ns == "varied" else d.names[s][:1]
            flat.extend(variants)
            counts.append(len(variants))
        flat_a = np.array(flat, dtype=object)
        offs_a, counts_a = np.array(offs), np.array(counts)
        uv = rng.random(B)
        k = np.where(
            uv < o["usual_name_prob"],
            0,
            1 + np.floor(rng.random(B) * np.maximum(counts_a[stretch_b] - 1, 1)).astype(np.int64),
        )
        k = np.minimum(k, counts_a[stretch_b] - 1)
        name_b = flat_a[offs_a[stretch_b] + k]

    if o.get("end") is not None:  # simulate_bouts: the log ends on `end`
        start_day = np.datetime64(o["end"], "D") - np.timedelta64(days_used - 1, "D")
    else:
        start_day = np.datetime64(o["start"], "D")
    day_str = np.datetime_as_string(start_day + np.arange(days_used), unit="D").astype(object)
    frame = pd.DataFrame(
        {
            "date": pd.array(day_str[day_idx[sess_b]], dtype="str"),
            "time": pd.array(_TIMES[minute[sess_b]], dtype="str"),
            "stretch": pd.array(name_b, dtype="str"),
            "side": pd.array(_SIDES[side_code], dtype="str"),
            "hold_s": hold_b,
            "reps": reps_col,
            "pain_before": pain_before,
            "pain_after": pain_after,
            "tightness": tight,
            "notes": pd.array(notes, dtype="str"),
        }
    )

    ids = d.ids
    tight_truth = {}
    for i, s in enumerate(ids):
        cols = ((0, "left"), (1, "right")) if d.sided[i] else ((2, "both"),)
        for c, side in cols:
            tight_truth[(s, side)] = float(tslope[i, c])
    truth = SimTruth(
        effects=dict(d.effects),
        side_effects=dict(d.side_effects),
        position_effect=float(o["position_effect"]),
        lasting={s: float(d.lasting[i]) for i, s in enumerate(ids)},
        tightness_slope=tight_truth,
        pain_slope=float(pain_slope),
        reading_sd=float(o["reading_sd"]),
        bout_sd=float(o["bout_sd"]),
        inseparable=(tuple(d.pair),) if d.pair else (),
        baseline=float(o["baseline"]),
        rare=d.rare,
        favourite=d.regular[d.favourite_item],
        names={s: d.names[s][0] if ns != "id" else s for s in ids},
        dose_effect=float(o["dose_effect"]),
    )
    return SimulatedLog(frame=frame, truth=truth)
