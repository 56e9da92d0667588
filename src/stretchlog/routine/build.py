"""Building a :class:`~stretchlog.routine.types.Routine` (internal; the rules are in
:mod:`stretchlog.routine.types`'s docstring).

Why one module of this size: it is one job, the routine's rules applied in order
(what is known of each stretch, what is left out, the experiments, what fills the
time, second rounds, the notes), all on one working record (``_Stretch``); split,
the rules could no longer be read top to bottom.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from stretchlog.analysis import Analysis, analyse
from stretchlog.effects.verdicts import relief_verdicts
from stretchlog.log.catalog import Catalog
from stretchlog.model.thresholds import FELT_RELIEF, MCID_POINTS, MCID_SHARE
from stretchlog.routine import plan
from stretchlog.routine.inputs import (
    RoutineEffects,
    RoutineExperiment,
    RoutineTrends,
    effect_inputs,
    experiment_input,
    trend_inputs,
)
from stretchlog.routine.text import duration
from stretchlog.routine.types import LeftOut, Routine, RoutineItem
from stretchlog.words import plural, points, signed

__all__ = ["routine", "build_routine", "default_seed"]

#: Fewer sessions than this: a new user, who gets the starting point.
MIN_SESSIONS = 5
#: Noise of one measured bout (reading error twice plus the bout's own), for "teaches most".
BOUT_NOISE_SD = 0.8
_NAN = float("nan")
_KNOWN = ("strong", "some")
#: One-sided 90% normal quantile: the cautious figure of a hand-made table without one.
_Z90 = 1.2815515655446004
#: Budgets (minutes) a left-out stretch is looked up in: "in the 15-minute routine".
LONGER_BUDGETS = (5, 10, 15, 20, 25, 30, 45, 60)
#: A full routine always holds this many of the best stretches (what works first), at a
#: shorter dose if that is what it takes, before relief per minute fills the rest.
ANCHORS = 2
_ANCHOR_BONUS = 1000.0
#: What the default seed is made from (:func:`default_seed`).
_SEED_COLUMNS = ("date", "time", "stretch_id", "side", "hold_s", "reps", "pain_before", "pain_after",
                 "tightness")


@dataclass
class _Stretch:
    """Everything known about one stretch (a working record while building)."""

    sid: str
    name: str
    order: int
    dose: plan.Dose
    logged: plan.Logged | None = None
    options: tuple[plan.Dose, ...] = ()
    effect: float = _NAN
    cautious: float = _NAN
    ci_low: float = _NAN
    ci_high: float = _NAN
    p_helps: float = _NAN
    n_bouts: int = 0
    n_sessions: int = 0
    evidence: str = "never tried"
    verdict: str = ""
    harmful: bool = False
    bouts_per_use: float = 1.0
    side_note: str = ""
    why_unknown: str = ""

    @property
    def sides(self) -> int:
        return 2 if self.dose.sided else 1

    @property
    def seconds(self) -> int:
        return plan.item_seconds(self.dose.hold_s, self.dose.reps, self.sides)

    @property
    def known(self) -> bool:
        return math.isfinite(self.effect)

    @property
    def sd(self) -> float:
        return plan.posterior_sd(self.ci_low, self.ci_high) if self.known else plan.PRIOR_SD

    @property
    def proven(self) -> bool:
        """Relief the log is sure of: the effects' verdict "helps" or "may help"."""
        return self.known and self.verdict in ("helps", "may help")

    def value(self, dose: plan.Dose) -> float:
        """Conservative relief of one item at ``dose``: the cautious figure (relief per bout
        it gives at least, with 90% probability) plus the dose's gain, per side done."""
        low = self.cautious if math.isfinite(self.cautious) else self.effect - _Z90 * self.sd
        return max(0.0, low + dose.gain) * self.sides

    def seconds_at(self, dose: plan.Dose) -> int:
        return plan.item_seconds(dose.hold_s, dose.reps, self.sides)

    @property
    def doses(self) -> tuple[plan.Dose, ...]:
        """The doses the routine may choose from (:func:`plan.dose_options`)."""
        return self.options or (self.dose,)

    @property
    def thrifty(self) -> plan.Dose:
        """The dose with the most conservative relief per minute (the best value first)."""
        return max(self.doses, key=lambda d: (self.value(d) / self.seconds_at(d), -self.seconds_at(d)))


def _finite(v: Any, default: float = _NAN) -> float:
    """``v`` as a finite float, else ``default`` (a table cell may be missing or NA)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return default
    return f if math.isfinite(f) else default


def _stretches(bouts: pd.DataFrame, eff: RoutineEffects, catalog: Catalog) -> dict[str, _Stretch]:
    logged = plan.logged_doses(bouts, catalog)
    dose_rows = {str(r["stretch"]): r for r in eff.dose.to_dict("records")} if len(eff.dose) else {}
    out: dict[str, _Stretch] = {}
    table = eff.table
    names = dict(zip(table.get("stretch", []), table.get("name", [])))
    for sid, lg in logged.items():
        name = catalog.get(sid).name if sid in catalog else str(names.get(sid, sid.removeprefix("custom:")))
        order = catalog.get(sid).order if sid in catalog else 9999
        row = dose_rows.get(sid, {})
        slope = (_finite(row.get("slope")), _finite(row.get("ci_low")), _finite(row.get("ci_high")))
        opts = tuple(plan.dose_options(catalog, sid, lg, str(row.get("verdict", "") or ""), slope,
                                       _finite(row.get("dose_high_s"))))
        out[sid] = _Stretch(sid, name, order, opts[0], lg, opts)
    for row in table.to_dict("records"):
        s = out.get(str(row["stretch"]))
        if s is None:
            continue
        s.effect, s.ci_low, s.ci_high = (_finite(row.get(c)) for c in ("effect", "ci_low", "ci_high"))
        s.cautious = _finite(row.get("cautious"))
        s.p_helps = _finite(row.get("p_helps"))
        s.n_bouts, s.n_sessions = int(_finite(row.get("n_bouts"), 0)), int(_finite(row.get("n_sessions"), 0))
        ev = str(row.get("evidence", ""))
        s.evidence = next((k for k in ("strong", "some", "cannot separate") if ev.startswith(k)), "too little data")
        # the effects' verdict; a hand-made table without one gets it by the same rule
        s.verdict = str(row.get("verdict", "") or "") or str(relief_verdicts([s.effect], [s.ci_low], [s.ci_high])[0])
        s.harmful = bool(row.get("harmful", False)) or (s.known and s.ci_high < 0)
        s.bouts_per_use = max(1.0, _finite(row.get("bouts_per_use"), float(s.sides)))
        s.why_unknown = str(row.get("reason", "") or "")
    for row in eff.sides.to_dict("records"):
        s = out.get(str(row.get("stretch")))
        if s is not None and bool(row.get("imbalance", False)) and row.get("better_side") in ("left", "right"):
            s.side_note = (f"your {row['better_side']} side eases more ({_finite(row.get('left')):.1f} left vs "
                           f"{_finite(row.get('right')):.1f} right)")
    return out


def _never_tried(catalog: Catalog, tried: dict[str, _Stretch]) -> dict[str, _Stretch]:
    out = {}
    for sid in plan.sequence_candidates(catalog):
        if sid not in tried:
            s = catalog.get(sid)
            out[sid] = _Stretch(sid, s.name, s.order, plan.catalog_dose(catalog, sid))
    return out


def _relief_text(s: _Stretch) -> str:
    ev = {"strong": "strong evidence", "some": "some evidence"}.get(s.evidence, "too little data")
    base = f"{plural(s.n_bouts, 'bout')}, {ev}"
    if s.verdict == "helps":
        text = f"helps: eases pain by about {points(s.effect)} per bout (at least {s.ci_low:.1f}), {base}"
    elif s.verdict == "may help":
        text = (f"may help: eases pain by about {points(s.effect)} per bout, surely some "
                f"(at least {s.ci_low:.1f}) but maybe less than the {FELT_RELIEF:g} you would feel, {base}")
    else:
        text = (f"may ease pain by about {points(s.effect)} per bout, but could be none "
                f"(95% interval {signed(s.ci_low)} to {signed(s.ci_high)}), {base}")
    return text + (f"; {s.side_note}" if s.side_note else "")


def _item(s: _Stretch, role: str, reason: str, *, side: str | None = None, rnd: int = 1,
          dose: plan.Dose | None = None) -> RoutineItem:
    d = dose or s.dose
    one_side = side in ("left", "right")
    seconds = plan.item_seconds(d.hold_s, d.reps, 1 if one_side else s.sides)
    return RoutineItem(
        position=0, stretch=s.sid, name=s.name, role=role,
        side=side or ("each side" if d.sided else "both"),
        hold_s=d.hold_s, reps=d.reps, seconds=seconds, dose_from=d.source,
        effect=s.effect, ci_low=s.ci_low, ci_high=s.ci_high, p_helps=s.p_helps,
        n_bouts=s.n_bouts, n_sessions=s.n_sessions, evidence=s.evidence, reason=reason,
        rate_pain=role in ("experiment", "starting point"), round=rnd, verdict=s.verdict,
        dose_why=d.why, gain=d.shift,
    )


def _experiment_reason(s: _Stretch, chance: float, n: int) -> str:
    if s.evidence == "never tried":
        why = "your log has no data on it"
    elif s.evidence == "cannot separate":
        why = "its relief cannot be told apart from another stretch's yet"
    elif s.evidence in _KNOWN:
        why = (f"no clear effect yet after {plural(s.n_bouts, 'bout')} (95% interval "
               f"{signed(s.ci_low)} to {signed(s.ci_high)} points per bout)")
    else:
        why = f"too little data so far ({plural(s.n_bouts, 'bout')})"
    how = (f"picked today from {n} that fit, the more promising ones more often ({chance:.0%} chance)"
           if n > 1 else "the only one that fits the time for trying")
    return f"to try: {why}; {how}; rate your pain just before and just after it"


#: A short try still holds the stretch at least this long in all (per side).
TRIAL_S = 20


def _trial(s: _Stretch, catalog: Catalog) -> plan.Dose:
    """A short try: the stretch's dose at the guides' fewest reps, but at least
    :data:`TRIAL_S` seconds of holding (ten 2-second moves stay ten)."""
    (_, _), (r0, _) = plan.guide_range(catalog, s.sid)
    reps = min(s.dose.reps, max(r0, math.ceil(TRIAL_S / max(s.dose.hold_s, 1))))
    if reps >= s.dose.reps:
        return s.dose
    return replace(s.dose, reps=reps, gain=0.0, shift=0.0, why="a short try")


def _experiments(pools: list[list[_Stretch]], slots: int, cap_s: float, mu: float,
                 rng: np.random.Generator, catalog: Catalog) -> list[tuple[_Stretch, float, int, plan.Dose]]:
    """Fill the slots by Thompson sampling (with an exploration floor), from the first pool
    while it has candidates that fit, each at a short trial dose."""
    out: list[tuple[_Stretch, float, int, plan.Dose]] = []
    used = 0.0
    for cands in pools:
        if len(out) >= slots or not cands:
            continue
        doses = [_trial(c, catalog) for c in cands]
        mean = np.array([c.effect if c.known else mu for c in cands])
        sd = np.array([max(c.sd, 1e-6) for c in cands])
        secs = np.array([c.seconds_at(d) for c, d in zip(cands, doses)], float)
        picks, chances, among = plan.thompson_pick(mean, sd, secs, slots - len(out), cap_s - used, rng)
        out += [(cands[i], p, n, doses[i]) for i, p, n in zip(picks, chances, among)]
        used += sum(secs[i] for i in picks)
    return out


def _teach_order(items: list[tuple[_Stretch, plan.Dose]]) -> tuple[str, ...]:
    scored = [(plan.info_per_minute(s.sd, s.sides, s.seconds_at(d), BOUT_NOISE_SD), s.sid) for s, d in items]
    return tuple(sid for _, sid in sorted(scored, key=lambda t: -t[0]))


def _needs(trends: RoutineTrends) -> dict[str, tuple[set[str], str]]:
    """Stretch id -> (the sides on the needs-more-work list, the reason of its first row)."""
    out: dict[str, tuple[set[str], str]] = {}
    nm = trends.needs_more_work
    if len(nm) and "stretch_id" in nm.columns:
        for row in nm.to_dict("records"):
            sid = row.get("stretch_id")
            if not (isinstance(sid, str) and sid):
                continue
            side = row.get("side") if row.get("side") in ("left", "right") else "both"
            sides, reason = out.get(sid, (set(), str(row.get("reason", "") or "needs more work")))
            out[sid] = (sides | {side}, reason)
    return out


def default_seed(bouts: pd.DataFrame, today: date) -> int:
    """The routine's seed when none is given: from the log's content and the date.

    The same log on the same day gives the same routine on every surface (terminal,
    report, card, notebook); another day, or a new session in the log, may rotate the
    experiments. A number from 0 to 999999.

    Examples
    --------
    >>> b = pd.DataFrame({"date": ["2026-01-01"], "stretch_id": ["pigeon-pose"], "hold_s": [30]})
    >>> default_seed(b, date(2026, 1, 2)) == default_seed(b.copy(), date(2026, 1, 2))
    True
    >>> default_seed(b, date(2026, 1, 2)) == default_seed(b, date(2026, 1, 3))
    False
    """
    h = hashlib.sha256(today.isoformat().encode())
    cols = [c for c in _SEED_COLUMNS if c in bouts.columns]
    if len(bouts) and cols:
        text = bouts[cols].astype("str").fillna("")
        h.update(pd.util.hash_pandas_object(text, index=False).to_numpy().tobytes())
    return int.from_bytes(h.digest()[:8], "big") % 1_000_000


def build(an: Analysis, *, minutes: float, flare: bool, seed: int | None) -> Routine:
    """The routine of an analysis: its relief and trend inputs, read once from it."""
    empty = len(an.bouts) == 0
    eff = RoutineEffects(pd.DataFrame({"stretch": []})) if empty else effect_inputs(an)
    tr = RoutineTrends() if empty else trend_inputs(an)
    ex = None if empty else experiment_input(an)
    r = build_from(an.bouts, eff, tr, catalog=an.catalog, today=an.today, minutes=minutes, flare=flare,
                   seed=seed, experiment=ex)
    if an.prior is not None and not empty:  # every surface of the routine says what its figures lean on
        r = replace(r, notes=r.notes + ("About the relief behind this routine: " + an.prior.describe(),))
    return r


def build_from(bouts: pd.DataFrame, eff: RoutineEffects, tr: RoutineTrends, *, catalog: Catalog, today: date,
               minutes: float, flare: bool, seed: int | None, look_ahead: bool = True,
               experiment: RoutineExperiment | None = None) -> Routine:
    """The routine's rules on typed inputs (the builder itself; tests give it hand-made inputs).

    ``seed`` None: :func:`default_seed` of the log and ``today``. ``look_ahead``: name
    the longer routine a stretch left out for time would be in (builds those too).
    ``experiment``: what a self-experiment decided (:func:`_apply_experiment`).
    """
    cat = catalog
    empty = len(bouts) == 0
    budget = minutes * 60.0
    if seed is None:
        seed = default_seed(bouts, today)
    rng = np.random.default_rng(seed)
    if empty:
        tried: dict[str, _Stretch] = {}
        n_sessions, n_bouts, first, last = 0, 0, None, None
    else:
        tried = _stretches(bouts, eff, cat)
        n_sessions, n_bouts = int(bouts["session_id"].nunique()), len(bouts)
        first, last = pd.Timestamp(bouts["date"].min()).date(), pd.Timestamp(bouts["date"].max()).date()

    prefer, ex_notes = _apply_experiment(experiment, tried, cat)
    left_out: list[LeftOut] = []
    flagged = {f.stretch: f.message for f in tr.safety if f.stretch}
    excluded: set[str] = set()
    for s in sorted(tried.values(), key=lambda s: s.order):
        if s.sid in flagged:
            left_out.append(LeftOut(s.sid, s.name, f"safety flag: {flagged[s.sid]}"))
        elif s.harmful:
            left_out.append(LeftOut(s.sid, s.name, f"makes your pain worse: about {points(s.effect)} more per bout "
                                    f"(95% interval {signed(s.ci_low)} to {signed(s.ci_high)}, {plural(s.n_bouts, 'bout')}); "
                                    "never stretch into pain"))
        else:
            continue
        excluded.add(s.sid)
    usable = [s for s in tried.values() if s.sid not in excluded]
    # the effects' verdicts decide (one answer): "helps" is what works, "may help" is sure
    # relief that may be too small to feel; "too small to feel" never earns a place
    proven = [s for s in usable if s.proven]
    dropped = set()
    for s in usable:
        if s.known and s.verdict == "too small to feel":
            left_out.append(LeftOut(s.sid, s.name, f"its relief is too small to feel (about {signed(s.effect)} points "
                                    f"per bout, 95% interval {signed(s.ci_low)} to {signed(s.ci_high)}; one you "
                                    f"would feel is {FELT_RELIEF:g} or more)"))
        elif s.known and s.effect <= 0 and s.evidence in _KNOWN and s.verdict == "no clear effect":
            left_out.append(LeftOut(s.sid, s.name, f"no sign it eases your pain (about {signed(s.effect)} points "
                                    f"per bout, 95% interval {signed(s.ci_low)} to {signed(s.ci_high)})"))
        else:
            continue
        dropped.add(s.sid)
    for s in usable:
        # tried enough to know it does little: not tried again (its best guess is under
        # the relief a person would feel, and its interval may reach harm)
        if (s.sid not in dropped and not s.proven and s.known and s.evidence in _KNOWN
                and s.verdict == "no clear effect" and s.effect < FELT_RELIEF):
            left_out.append(LeftOut(s.sid, s.name, f"no clear effect after {plural(s.n_bouts, 'bout')} "
                                    f"(about {signed(s.effect)} points per bout, 95% interval {signed(s.ci_low)} to "
                                    f"{signed(s.ci_high)}): likely too little to feel, so not tried again for now"))
            dropped.add(s.sid)
    unknown = [s for s in usable if not s.proven and s.sid not in dropped]
    newcomer = empty or n_sessions < MIN_SESSIONS or not any(s.evidence in _KNOWN for s in usable)
    mode = "starting point" if newcomer or not proven else ("flare" if flare else "full")
    known_effects = [s.effect for s in tried.values() if s.known]
    mu = float(np.mean(known_effects)) if known_effects else 0.0
    never = {k: v for k, v in _never_tried(cat, tried).items() if k not in excluded}
    n_strong = sum(1 for s in proven if s.evidence == "strong")
    explore = plan.exploration(n_strong, minutes)
    notes: list[str] = []

    chosen: list[RoutineItem] = []
    used = 0.0
    exps: list[tuple[_Stretch, float, int, plan.Dose]] = []

    def add(item: RoutineItem) -> bool:
        nonlocal used
        if used + item.seconds <= budget + 1e-9:
            chosen.append(item)
            used += item.seconds
            return True
        return False

    def add_experiments(cap_s: float) -> None:
        nonlocal exps
        exps = _experiments([unknown, list(never.values())], explore.slots, cap_s, mu, rng, cat)
        for s, p, n, d in exps:
            add(_item(s, "experiment", _experiment_reason(s, p, n), dose=d))

    if mode == "flare":
        _flare(_preferred(proven, prefer), cat, budget, add, lambda: budget - used, left_out)
    elif mode == "full":
        cap = explore.share * budget
        has_candidates = bool(explore.slots and (unknown or never))
        if explore.reserved and has_candidates:
            add_experiments(cap)
            room = budget * (1.0 - explore.share)
        else:
            room = budget
        for s, d in _fill(proven, room, cat, prefer):
            add(_item(s, _role(s), _relief_text(s), dose=d))
        if not explore.reserved and has_candidates:
            add_experiments(min(cap, budget - used))
        _extra_rounds(chosen, tried, tr, add)
        in_routine = {i.stretch for i in chosen if i.round == 1}

        @lru_cache(maxsize=None)
        def longer(m: float) -> Routine:
            """The full routine of ``m`` minutes (built once, for both notes below)."""
            return build_from(bouts, eff, tr, catalog=cat, today=today, minutes=m, flare=False, seed=seed,
                              look_ahead=False, experiment=experiment)

        ahead = [(m, longer) for m in LONGER_BUDGETS if m > minutes] if look_ahead else []
        left_out += _left_for_time([s for s in proven if s.sid not in in_routine], ahead)
        notes += _learning_note(explore, exps, has_candidates, n_strong, budget, ahead)
    else:
        seq = plan.starting_sequence(cat, budget, excluded)
        pool = {**never, **{s.sid: s for s in usable}}
        for sid in seq:
            s = pool[sid]
            add(_item(s, "starting point", "from the guides' default sequence: a starting point"
                      + (f"; so far {_relief_text(s)}" if s.known and s.evidence in _KNOWN else ""),
                      dose=plan.catalog_dose(cat, sid, "the guides' dose")))
        pools = [[s for s in pool if s.sid not in seq] for pool in (unknown, list(never.values()))]
        start = plan.exploration(0, minutes)
        exps = _experiments(pools, start.slots, min(budget / 3, budget - used), mu, rng, cat)
        for s, p, n, d in exps:
            add(_item(s, "experiment", _experiment_reason(s, p, n), dose=d))
        exps = [(pool[sid], 0.0, 0, plan.catalog_dose(cat, sid)) for sid in seq] + exps
        notes.append("Rate your pain just before and just after each stretch: the routine will then be built "
                     "from your own results.")
        if not empty and not newcomer:
            notes.append("No stretch in your log has eased your pain clearly enough yet to build on.")

    items = _ordered(chosen, mode, cat, experiment)
    _check(items, budget)
    if mode != "starting point":
        notes = ex_notes + notes
    expected = _expected(items, tried) if mode != "starting point" else (_NAN, _NAN, _NAN)
    relief_line = "".join(_expected_relief(expected, bouts if not empty else None))
    cut = [i.name for i in items if i.dose_from == "shortened" and i.round == 1]
    if relief_line and cut:
        relief_line = relief_line[:-1] + f"; not counting {', '.join(cut)}, shortened to fit."
    elif cut and mode != "starting point":
        relief_line = (f"Your log has no relief figure for this routine as it stands: {', '.join(cut)} "
                       f"{'is' if len(cut) == 1 else 'are'} shortened below any hold you have logged, to fit "
                       f"{minutes:g} minutes.")
    notes += _group_notes(eff)
    if last is not None and (today - last).days > 90:
        notes.append(f"Your log ends on {last:%Y-%m-%d}: the routine reflects how things were then.")
    rot_names = _rotation(items, cat, rng)
    safety = list({f.message: f for f in tr.safety}.values())
    rotation = ("Now and then (say one session in four) change the order within each body area, so the stretch "
                "done first does not get the credit for pain that would have eased anyway; rate your pain "
                "after each stretch on those days.")
    return Routine(
        mode=mode, minutes=minutes, items=items, left_out=tuple(left_out),
        safety=tuple(f.message for f in safety), safety_stretches=tuple(f.stretch for f in safety),
        safety_stretch_names=tuple(tried[f.stretch].name if f.stretch in tried else f.stretch for f in safety),
        first_date=first, last_date=last, n_sessions=n_sessions, n_bouts=n_bouts,
        experiment_order=_teach_order([(e[0], e[3]) for e in exps]), rotation=rotation,
        rotation_order=rot_names, notes=tuple(notes), why_mode=_why_mode(mode, flare, empty, n_sessions),
        made_on=today, seed=seed, expected_relief=expected[0], expected_low=expected[1],
        expected_high=expected[2], relief_line=relief_line,
    )


def _role(s: _Stretch) -> str:
    return "works" if s.verdict == "helps" else "may help"


def _first(proven: list[_Stretch]) -> list[_Stretch]:
    """What works first: "helps" before "may help", each by its cautious relief, best first
    (the order of the flare list and of the effects' ranking)."""
    return sorted(proven, key=lambda s: (s.verdict != "helps", -s.value(s.dose) / s.sides, s.order))


def _preferred(proven: list[_Stretch], prefer: str | None) -> list[_Stretch]:
    """What works first, with a self-experiment's winner moved to the front."""
    ranked = _first(proven)
    return sorted(ranked, key=lambda s: s.sid != prefer) if prefer else ranked


def _apply_experiment(ex: RoutineExperiment | None, tried: dict[str, _Stretch],
                      cat: Catalog) -> tuple[str | None, list[str]]:
    """Carry a self-experiment's answer into the routine; returns the stretch to prefer and notes.

    A fair comparison outranks what the log happened to show: a ``compare`` winner is
    one of the stretches always in the routine (when the log shows it helps), ranked
    before the other; a ``dose`` winner (or the shorter dose, when the two did the same)
    is the dose used for that stretch; an ``order`` winner puts its first stretch
    before its second whenever both are in the routine.
    """
    if ex is None:
        return None, []
    when = "your self-experiment" if ex.final else "your self-experiment so far (a decisive interim look)"
    if ex.kind == "dose" and ex.use in tried and ex.hold_s and ex.reps:
        s = tried[ex.use]
        d = plan.Dose(int(ex.hold_s), int(ex.reps), s.dose.sided, "your self-experiment",
                      why=f"the dose {when} chose")
        s.dose, s.options = d, (d,)
        return None, [f"From {when}: {ex.line} The routine uses {s.name} at {ex.hold_s} s x {ex.reps}."]
    if ex.kind == "compare" and ex.use in tried:
        s = tried[ex.use]
        tail = (f" The routine keeps {s.name} ahead of {tried[ex.other].name if ex.other in tried else 'the other'}"
                " whenever your log shows it helps.")
        return ex.use, [f"From {when}: {ex.line}{tail}"]
    if ex.kind == "order":
        first = tried[ex.use].name if ex.use in tried else ex.use
        second = tried[ex.other].name if ex.other in tried else ex.other
        return None, [f"From {when}: {ex.line} When both are in the routine, {first} comes before {second}."]
    return None, []


def _fill(proven: list[_Stretch], room_s: float, cat: Catalog,
          prefer: str | None = None) -> list[tuple[_Stretch, plan.Dose]]:
    """The proven stretches and doses giving the most conservative relief within ``room_s``,
    always with the best :data:`ANCHORS` of what works first (at a shorter dose if need be);
    a self-experiment's winner (``prefer``) is one of them."""
    anchors = {s.sid for s in _preferred(proven, prefer)[:ANCHORS]}

    def solve(shorten: set[str]) -> list[tuple[_Stretch, plan.Dose]]:
        opts, values = [], []
        for s in proven:
            # shortest first, so a tie in relief goes to the dose that takes less time
            o = sorted(s.doses, key=s.seconds_at)
            v = [s.value(d) + (_ANCHOR_BONUS if s.sid in anchors else 0.0) for d in o]
            if s.sid in shorten:
                # shorter than anything logged: the log has no figure for it, so it is
                # reckoned pro rata of the time held (the least shortening wins) and taken
                # only when the anchors fit no other way
                extra = plan.shorter_doses(o[0], cat, s.sid)
                full = o[0].hold_s * o[0].reps
                v = v + [_ANCHOR_BONUS + s.value(o[0]) * d.hold_s * d.reps / full for d in extra]
                o = o + extra
            opts.append(o)
            values.append(v)
        secs = [[s.seconds_at(d) for d in o] for s, o in zip(proven, opts)]
        picked = plan.choice_knapsack(values, secs, room_s)
        return [(proven[g], opts[g][k]) for g, k in picked.items()]

    chosen = solve(set())
    # the anchors are shortened below their logged doses only when they fit no other way
    return solve(anchors) if anchors - {s.sid for s, _ in chosen} else chosen


def _flare(proven: list[_Stretch], cat: Catalog, budget: float, add, left, left_out: list[LeftOut]) -> None:
    """What works first: "helps" before "may help", each by its cautious relief, best first;
    a stretch that does not fit gets a shorter dose before it is left out."""
    for s in _first(proven):
        # the strongest dose first, then the others, then shorter and shorter versions
        ranked = sorted(s.doses, key=lambda d: (-round(s.value(d), 9), s.seconds_at(d)))
        doses = ranked + plan.shorter_doses(min(s.doses, key=s.seconds_at), cat, s.sid)
        if any(add(_item(s, _role(s), _relief_text(s), dose=d)) for d in doses):
            continue
        short = doses[-1]
        left_out.append(LeftOut(s.sid, s.name, f"left out for time: even at {short.hold_s} s x {short.reps} it "
                                f"takes {duration(s.seconds_at(short))}, {duration(max(left(), 0))} was left; "
                                f"{_relief_text(s)}"))


def _left_for_time(missing: list[_Stretch], ahead) -> list[LeftOut]:
    """Why each proven stretch not in the routine is missing, and the shortest longer
    routine it is in (``ahead``: (minutes, builder) pairs, shortest first)."""
    out = []
    for s in sorted(missing, key=lambda s: -s.value(s.thrifty)):
        where = next((f"; in the {m:g}-minute routine" for m, build in ahead
                      if any(i.stretch == s.sid and i.round == 1 and i.role != "experiment"
                             for i in build(m).items)), "")
        d = s.thrifty
        out.append(LeftOut(s.sid, s.name, f"left out for time: {duration(s.seconds_at(d))} at "
                           f"{d.hold_s} s x {d.reps}{where}; {_relief_text(s)}"))
    return out


def _learning_note(explore: plan.Exploration, exps, has_candidates: bool, n_strong: int, budget: float,
                   ahead) -> list[str]:
    """One sentence on how much of the time goes to trying stretches, and why."""
    if not has_candidates or not explore.slots:
        return []
    if exps:
        spent = sum(e[0].seconds_at(e[3]) for e in exps)
        if explore.reserved:
            why = (f"your log knows {plural(n_strong, 'stretch', 'stretches')} that work with strong evidence, "
                   "so learning is worth a share of the time")
        else:
            why = (f"{plural(n_strong, 'stretch', 'stretches')} already work with strong evidence, so trying "
                   "stretches only uses time they leave over")
        what = "one stretch" if len(exps) == 1 else plural(len(exps), "stretch", "stretches")
        return [f"Trying {what}: {duration(spent)} of {duration(budget)} ({spent / budget:.0%}; at most "
                f"{explore.share:.0%}): {why}."]
    where = next((f"; the {m:g}-minute routine has room for one" for m, build in ahead if build(m).experiments),
                 "")
    return [f"No stretch to try today: {plural(n_strong, 'stretch', 'stretches')} in your log work with strong "
            f"evidence, and the time is better spent on them{where}."]


def _why_mode(mode: str, flare: bool, empty: bool, n_sessions: int) -> str:
    """Why this routine is the one shown, in one sentence (empty for a learned full routine)."""
    if mode == "flare":
        return "The stretches that have eased your pain most surely, best first."
    if mode == "full":
        return ""
    if empty:
        why = "There is no log yet, so this is the guides' default sequence: a starting point."
    else:
        more = MIN_SESSIONS - n_sessions
        need = (f"it learns from {MIN_SESSIONS} sessions on ({more} more to go)" if more > 0
                else "none of your stretches has a clear enough figure yet")
        why = (f"Not yet learned from you ({plural(n_sessions, 'session')} logged; "
               f"{need}), so this is the guides' default sequence: a starting point.")
    if flare:
        why = ("Flare mode lists only stretches that have clearly eased your pain, and your log has none "
               "yet. " + why)
    return why


def _extra_rounds(chosen: list[RoutineItem], tried: dict[str, _Stretch], tr: RoutineTrends, add) -> None:
    """Second rounds: the needs-more-work stretches (on the listed side only when just one
    side of a one-sided stretch is listed), then the tighter side of an imbalance."""
    needs = _needs(tr)
    done = {(i.stretch, i.side) for i in chosen if i.round == 2}
    main = [i for i in chosen if i.role in ("works", "may help")]

    def same_dose(item: RoutineItem) -> plan.Dose:
        """A second round repeats the first round's dose."""
        d = tried[item.stretch].dose
        return replace(d, hold_s=item.hold_s, reps=item.reps, source=item.dose_from, why=item.dose_why,
                       shift=item.gain, gain=0.0)

    first_round = {i.stretch: i for i in main}
    for item in main:
        s = tried[item.stretch]
        if s.sid not in needs:
            continue
        sides, reason = needs[s.sid]
        side = next(iter(sides)) if s.dose.sided and len(sides) == 1 and sides <= {"left", "right"} else None
        where = f" ({side} side)" if side else ""
        key = (s.sid, side or item.side)
        if key not in done and add(_item(s, "extra round", f"second round{where}: {reason}; the guides say "
                                         "to repeat the stretches that were hard", side=side, rnd=2,
                                         dose=same_dose(item))):
            done.add(key)
    for imb in tr.imbalances:
        s = tried.get(imb.stretch)
        if s is None or not s.dose.sided or (s.sid, imb.side) in done:
            continue
        if s.sid in first_round:
            msg = imb.message or f"your {imb.side} side is tighter"
            if add(_item(s, "weaker side", f"extra round on the {imb.side} side only: {msg}", side=imb.side,
                         rnd=2, dose=same_dose(first_round[s.sid]))):
                done.add((s.sid, imb.side))


def _ordered(chosen: list[RoutineItem], mode: str, cat: Catalog,
             ex: RoutineExperiment | None = None) -> tuple[RoutineItem, ...]:
    order = {s.id: s.order for s in cat}
    if mode == "flare":
        seq = list(chosen)
    else:
        seq = sorted(chosen, key=lambda i: (i.round, order.get(i.stretch, 9999), i.name))
    if ex is not None and ex.kind == "order":
        # the self-experiment's order: its first stretch just before its second (first round)
        at = {i.stretch: k for k, i in enumerate(seq) if i.round == 1}
        if ex.use in at and ex.other in at and at[ex.use] > at[ex.other]:
            item = seq.pop(at[ex.use])
            seq.insert(at[ex.other], item)
    return tuple(replace(i, position=k) for k, i in enumerate(seq, start=1))


def _check(items: tuple[RoutineItem, ...], budget: float) -> None:
    total = sum(i.seconds for i in items)
    if total > budget + 1e-9:  # pragma: no cover - a bug, not a user error
        raise RuntimeError(f"routine takes {total} s, over the budget of {budget:g} s")


def _expected(items: tuple[RoutineItem, ...], tried: dict[str, _Stretch]) -> tuple[float, float, float]:
    """Relief expected from the main pass of the stretches with an estimate: the sum over
    its bouts (one per side done) of relief per bout plus the dose's gain, with a rough 95%
    interval treating the estimates as independent. Items shortened below any dose in the
    log are not counted (the log has no figure for them). NaN when no item counts."""
    mean = var = 0.0
    n = 0
    for i in items:
        s = tried.get(i.stretch)
        if s is None or not s.known or i.role == "experiment" or i.round != 1 or i.dose_from == "shortened":
            continue
        k = 1.0 if i.side in ("left", "right") else float(s.sides)
        mean += k * (s.effect + i.gain)  # the item's gain is the dose's shift at the estimate
        var += (k * s.sd) ** 2
        n += 1
    if n == 0:
        return (_NAN, _NAN, _NAN)
    half = plan.Z95 * math.sqrt(var)
    return (mean, mean - half, mean + half)


def _expected_relief(expected: tuple[float, float, float], bouts: pd.DataFrame | None) -> list[str]:
    mean, lo, hi = expected
    if not math.isfinite(mean):
        return []
    start = _usual_start(bouts)
    target = MCID_POINTS if start is None else min(MCID_POINTS, MCID_SHARE * start)
    share = "" if start is None else f" or 30% of your usual starting pain of {start:.0f} ({MCID_SHARE * start:.1f})"
    verdict = ("likely a change you will notice" if lo >= target else
               "it may take more than this routine for a change you notice" if hi < target else
               "possibly a change you will notice")
    return [f"Done in full, it should ease your pain by about {mean:.1f} points (roughly {lo:.1f} to {hi:.1f}; "
            f"the stretches with estimates, first rounds only): {verdict} (people notice 2 points{share})."]


def _usual_start(bouts: pd.DataFrame | None) -> float | None:
    if bouts is None or bouts.empty:
        return None
    first = bouts.loc[bouts["bout"].eq(1), "pain_before"].dropna()
    return float(first.median()) if len(first) else None


def _group_notes(eff: RoutineEffects) -> list[str]:
    g = eff.groups
    if not len(g) or "advice" not in g.columns:
        return []
    return [f"{row.get('names', '')}: cannot be told apart yet. {row['advice']}" for row in g.to_dict("records")]


def _rotation(items: tuple[RoutineItem, ...], cat: Catalog, rng: np.random.Generator) -> tuple[str, ...]:
    """The main pass shuffled within each body area (areas keep the guides' order)."""
    region = {s.id: s.region for s in cat}
    main = [i for i in items if i.round == 1]
    blocks: dict[str, list[str]] = {}
    for i in main:
        blocks.setdefault(region.get(i.stretch, "other"), []).append(i.name)
    out: list[str] = []
    for names in blocks.values():
        names = list(dict.fromkeys(names))
        out += [names[j] for j in rng.permutation(len(names))]
    return tuple(out)

def routine(
    log: Any,
    *,
    minutes: float = 10,
    flare: bool = False,
    seed: int | None = None,
    catalog: Catalog | None = None,
    today: date | None = None,
) -> Routine:
    """The personal priority routine for a log (rules in :mod:`stretchlog.routine.types`).

    Parameters
    ----------
    log : Analysis, or anything :func:`stretchlog.analysis.analyse` reads
        The log's analysis (best: the one the other surfaces read, so they show the
        same figures), a log file, the bouts frame, or None for a person with no log.
    minutes : float
        Time budget in minutes (> 0); the routine never takes longer.
    flare : bool
        "What works first": the helping stretches best first, no experiments.
    seed : int, optional
        Seed for the experiment choice and the rotation order (same seed, same routine).
        None (the default): :func:`default_seed` of the log and the day, so every surface
        shows the same routine today.
    catalog : Catalog, optional
        Only when ``log`` is not an Analysis (an Analysis has its catalog).
    today : date, optional
        Only when ``log`` is not an Analysis: the date printed as "made on".

    Returns
    -------
    Routine
        Kept on the analysis: asking again with the same options gives the same object.

    Examples
    --------
    >>> r = routine(None, minutes=10, seed=1, today=date(2026, 1, 1))
    >>> r.mode, r.items[0].name, r.total_seconds <= 600
    ('starting point', 'Reclining hip stretch', True)
    """
    if not minutes > 0:
        raise ValueError(f"minutes must be a number above 0, got {minutes!r}")
    an = log if isinstance(log, Analysis) else analyse(log, catalog=catalog, today=today)
    if seed is None:
        seed = an.memo(("routine seed",), lambda: default_seed(an.bouts, an.today))
    key = ("routine", float(minutes), bool(flare), seed)
    return an.memo(key, lambda: build(an, minutes=float(minutes), flare=flare, seed=seed))


#: The name the top-level package exports (``stretchlog.routine`` is the subpackage).
build_routine = routine
