"""Building a :class:`~stretchlog.routine.types.Routine` (internal; the rules are in
:mod:`stretchlog.routine.types`'s docstring).

Why one module of this size: it is one job, the routine's rules applied in order
(what is known of each stretch, what is left out, the experiments, what fills the
time, second rounds, the notes), all on one working record (``_Stretch``); split,
the rules could no longer be read top to bottom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from stretchlog.analysis import Analysis, analyse
from stretchlog.effects.verdicts import relief_verdicts
from stretchlog.log.catalog import Catalog
from stretchlog.model.thresholds import FELT_RELIEF, MCID_POINTS, MCID_SHARE
from stretchlog.routine import plan
from stretchlog.routine.inputs import RoutineEffects, RoutineTrends, effect_inputs, trend_inputs
from stretchlog.routine.types import LeftOut, Routine, RoutineItem
from stretchlog.words import plural, points

__all__ = ["routine", "build_routine"]

#: Fewer sessions than this: a new user, who gets the starting point.
MIN_SESSIONS = 5
#: Noise of one measured bout (reading error twice plus the bout's own), for "teaches most".
BOUT_NOISE_SD = 0.8
_NAN = float("nan")
_KNOWN = ("strong", "some")


@dataclass
class _Stretch:
    """Everything known about one stretch (a working record while building)."""

    sid: str
    name: str
    order: int
    dose: plan.Dose
    effect: float = _NAN
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


def _finite(v: Any, default: float = _NAN) -> float:
    """``v`` as a finite float, else ``default`` (a table cell may be missing or NA)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return default
    return f if math.isfinite(f) else default


def _stretches(bouts: pd.DataFrame, eff: RoutineEffects, catalog: Catalog) -> dict[str, _Stretch]:
    doses = plan.usual_doses(bouts, catalog)
    out: dict[str, _Stretch] = {}
    table = eff.table
    names = dict(zip(table.get("stretch", []), table.get("name", [])))
    for sid, dose in doses.items():
        name = catalog.get(sid).name if sid in catalog else str(names.get(sid, sid.removeprefix("custom:")))
        order = catalog.get(sid).order if sid in catalog else 9999
        out[sid] = _Stretch(sid, name, order, dose)
    for row in table.to_dict("records"):
        s = out.get(str(row["stretch"]))
        if s is None:
            continue
        s.effect, s.ci_low, s.ci_high = (_finite(row.get(c)) for c in ("effect", "ci_low", "ci_high"))
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
                f"(95% interval {s.ci_low:+.1f} to {s.ci_high:+.1f}), {base}")
    return text + (f"; {s.side_note}" if s.side_note else "")


def _item(s: _Stretch, role: str, reason: str, *, side: str | None = None, rnd: int = 1) -> RoutineItem:
    one_side = side in ("left", "right")
    seconds = plan.item_seconds(s.dose.hold_s, s.dose.reps, 1) if one_side else s.seconds
    return RoutineItem(
        position=0, stretch=s.sid, name=s.name, role=role,
        side=side or ("each side" if s.dose.sided else "both"),
        hold_s=s.dose.hold_s, reps=s.dose.reps, seconds=seconds, dose_from=s.dose.source,
        effect=s.effect, ci_low=s.ci_low, ci_high=s.ci_high, p_helps=s.p_helps,
        n_bouts=s.n_bouts, n_sessions=s.n_sessions, evidence=s.evidence, reason=reason,
        rate_pain=role in ("experiment", "starting point"), round=rnd, verdict=s.verdict,
    )


def _experiment_reason(s: _Stretch, chance: float, n: int) -> str:
    if s.evidence == "never tried":
        why = "never in your log yet"
    elif s.evidence == "cannot separate":
        why = "its relief cannot be told apart from another stretch's yet"
    elif s.evidence in _KNOWN:
        why = (f"no clear effect yet after {plural(s.n_bouts, 'bout')} (95% interval "
               f"{s.ci_low:+.1f} to {s.ci_high:+.1f} points per bout)")
    else:
        why = f"too little data so far ({plural(s.n_bouts, 'bout')})"
    how = (f"picked by Thompson sampling among {n} candidates ({chance:.0%} chance)" if n > 1
           else "the only candidate")
    return f"experiment: {why}; {how}; rate your pain just before and just after it"


def _experiments(pools: list[list[_Stretch]], slots: int, cap_s: float, mu: float,
                 rng: np.random.Generator) -> list[tuple[_Stretch, float, int]]:
    """Fill the slots by Thompson sampling, from the first pool while it has candidates that fit."""
    out: list[tuple[_Stretch, float, int]] = []
    used = 0.0
    for cands in pools:
        if len(out) >= slots or not cands:
            continue
        mean = np.array([c.effect if c.known else mu for c in cands])
        sd = np.array([max(c.sd, 1e-6) for c in cands])
        secs = np.array([c.seconds for c in cands], float)
        picks, chances, among = plan.thompson_pick(mean, sd, secs, slots - len(out), cap_s - used, rng)
        out += list(zip([cands[i] for i in picks], chances, among))
        used += sum(secs[i] for i in picks)
    return out


def _teach_order(items: list[tuple[_Stretch, float, int]]) -> tuple[str, ...]:
    scored = [(plan.info_per_minute(s.sd, s.sides, s.seconds, BOUT_NOISE_SD), s.sid) for s, _, _ in items]
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


def build(an: Analysis, *, minutes: float, flare: bool, seed: int | None) -> Routine:
    """The routine of an analysis: its relief and trend inputs, read once from it."""
    empty = len(an.bouts) == 0
    eff = RoutineEffects(pd.DataFrame({"stretch": []})) if empty else effect_inputs(an)
    tr = RoutineTrends() if empty else trend_inputs(an)
    return build_from(an.bouts, eff, tr, catalog=an.catalog, today=an.today, minutes=minutes, flare=flare,
                      seed=seed)


def build_from(bouts: pd.DataFrame, eff: RoutineEffects, tr: RoutineTrends, *, catalog: Catalog, today: date,
               minutes: float, flare: bool, seed: int | None) -> Routine:
    """The routine's rules on typed inputs (the builder itself; tests give it hand-made inputs)."""
    cat = catalog
    empty = len(bouts) == 0
    budget = minutes * 60.0
    rng = np.random.default_rng(seed)
    if empty:
        tried: dict[str, _Stretch] = {}
        n_sessions, n_bouts, first, last = 0, 0, None, None
    else:
        tried = _stretches(bouts, eff, cat)
        n_sessions, n_bouts = int(bouts["session_id"].nunique()), len(bouts)
        first, last = pd.Timestamp(bouts["date"].min()).date(), pd.Timestamp(bouts["date"].max()).date()

    left_out: list[LeftOut] = []
    flagged = {f.stretch: f.message for f in tr.safety if f.stretch}
    excluded: set[str] = set()
    for s in sorted(tried.values(), key=lambda s: s.order):
        if s.sid in flagged:
            left_out.append(LeftOut(s.sid, s.name, f"safety flag: {flagged[s.sid]}"))
        elif s.harmful:
            left_out.append(LeftOut(s.sid, s.name, f"makes your pain worse: about {points(s.effect)} more per bout "
                                    f"(95% interval {s.ci_low:+.1f} to {s.ci_high:+.1f}, {s.n_bouts} bouts); "
                                    "never stretch into pain"))
        else:
            continue
        excluded.add(s.sid)
    usable = [s for s in tried.values() if s.sid not in excluded]
    # the effects' verdicts decide (one answer): "helps" is what works, "may help" is sure
    # relief that may be too small to feel; "too small to feel" never earns a place
    works = [s for s in usable if s.known and s.verdict == "helps"]
    maybe = [s for s in usable if s.known and s.verdict == "may help"]
    dropped = set()
    for s in usable:
        if s.known and s.verdict == "too small to feel":
            left_out.append(LeftOut(s.sid, s.name, f"its relief is too small to feel (about {s.effect:+.1f} points "
                                    f"per bout, 95% interval {s.ci_low:+.1f} to {s.ci_high:+.1f}; one you "
                                    f"would feel is {FELT_RELIEF:g} or more)"))
        elif s.known and s.effect <= 0 and s.evidence in _KNOWN and s.verdict == "no clear effect":
            left_out.append(LeftOut(s.sid, s.name, f"no sign it eases your pain (about {s.effect:+.1f} points "
                                    f"per bout, 95% interval {s.ci_low:+.1f} to {s.ci_high:+.1f})"))
        else:
            continue
        dropped.add(s.sid)
    unknown = [s for s in usable if s not in works and s not in maybe and s.sid not in dropped]
    newcomer = empty or n_sessions < MIN_SESSIONS or not any(s.evidence in _KNOWN for s in usable)
    mode = "starting point" if newcomer or not (works or maybe) else ("flare" if flare else "full")
    known_effects = [s.effect for s in tried.values() if s.known]
    mu = float(np.mean(known_effects)) if known_effects else 0.0
    never = {k: v for k, v in _never_tried(cat, tried).items() if k not in excluded}
    slots = 2 if minutes >= 10 else (1 if minutes >= 4 else 0)
    notes: list[str] = []

    chosen: list[RoutineItem] = []
    used = 0.0
    exps: list[tuple[_Stretch, float, int]] = []

    def add(item: RoutineItem) -> bool:
        nonlocal used
        if used + item.seconds <= budget + 1e-9:
            chosen.append(item)
            used += item.seconds
            return True
        return False

    if mode == "flare":
        for s in sorted(works, key=lambda s: -s.ci_low) + sorted(maybe, key=lambda s: -s.ci_low):
            add(_item(s, "works" if s.verdict == "helps" else "may help", _relief_text(s)))
        notes.append("Flare mode lists only what has eased your pain; the experiments are in the full routine.")
    elif mode == "full":
        exps = _experiments([unknown, list(never.values())], slots, budget / 3, mu, rng)
        for s, p, n in exps:
            add(_item(s, "experiment", _experiment_reason(s, p, n)))
        values = np.array([s.ci_low * s.bouts_per_use for s in works])
        for i in plan.knapsack(values, np.array([s.seconds for s in works]), budget - used):
            add(_item(works[i], "works", _relief_text(works[i])))
        _extra_rounds(chosen, tried, tr, add)
        for s in sorted(maybe, key=lambda s: -s.effect * s.bouts_per_use / s.seconds):
            add(_item(s, "may help", _relief_text(s)))
        _extra_rounds(chosen, tried, tr, add)
    else:
        seq = plan.starting_sequence(cat, budget, excluded)
        pool = {**never, **{s.sid: s for s in usable}}
        for sid in seq:
            s = pool[sid]
            add(_item(s, "starting point", "from the guides' default sequence: a starting point"
                      + (f"; so far {_relief_text(s)}" if s.known and s.evidence in _KNOWN else "")))
        pools = [[s for s in pool if s.sid not in seq] for pool in (unknown, list(never.values()))]
        exps = _experiments(pools, slots, min(budget / 3, budget - used), mu, rng)
        for s, p, n in exps:
            add(_item(s, "experiment", _experiment_reason(s, p, n)))
        exps = [(pool[sid], 0.0, 0) for sid in seq] + exps
        notes.append("Rate your pain just before and just after each stretch: the routine will then be built "
                     "from your own results.")
        if not empty and not newcomer:
            notes.append("No stretch in your log has eased your pain clearly enough yet to build on.")

    items = _ordered(chosen, mode, cat)
    _check(items, budget)
    notes += _expected_relief(items, tried, bouts if not empty else None) if mode != "starting point" else []
    notes += _group_notes(eff)
    if any(i.dose_from == "your usual" for i in items):
        notes.append("Holds and reps are your usual ones (the median of your bouts of each stretch); "
                     "stretches you have not logged use the guides' suggestion.")
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
        experiment_order=_teach_order(exps), rotation=rotation, rotation_order=rot_names,
        notes=tuple(notes), why_mode=_why_mode(mode, flare, empty, n_sessions), made_on=today, seed=seed,
    )


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
    for item in main:
        s = tried[item.stretch]
        if s.sid not in needs:
            continue
        sides, reason = needs[s.sid]
        side = next(iter(sides)) if s.dose.sided and len(sides) == 1 and sides <= {"left", "right"} else None
        where = f" ({side} side)" if side else ""
        key = (s.sid, side or item.side)
        if key not in done and add(_item(s, "extra round", f"second round{where}: {reason}; the guides say "
                                         "to repeat the stretches that were hard", side=side, rnd=2)):
            done.add(key)
    for imb in tr.imbalances:
        s = tried.get(imb.stretch)
        if s is None or not s.dose.sided or (s.sid, imb.side) in done:
            continue
        if any(i.stretch == s.sid for i in main):
            msg = imb.message or f"your {imb.side} side is tighter"
            if add(_item(s, "weaker side", f"extra round on the {imb.side} side only: {msg}", side=imb.side,
                         rnd=2)):
                done.add((s.sid, imb.side))


def _ordered(chosen: list[RoutineItem], mode: str, cat: Catalog) -> tuple[RoutineItem, ...]:
    order = {s.id: s.order for s in cat}
    if mode == "flare":
        seq = chosen
    else:
        seq = sorted(chosen, key=lambda i: (i.round, order.get(i.stretch, 9999), i.name))
    return tuple(replace(i, position=k) for k, i in enumerate(seq, start=1))


def _check(items: tuple[RoutineItem, ...], budget: float) -> None:
    total = sum(i.seconds for i in items)
    if total > budget + 1e-9:  # pragma: no cover - a bug, not a user error
        raise RuntimeError(f"routine takes {total} s, over the budget of {budget:g} s")


def _expected_relief(items: tuple[RoutineItem, ...], tried: dict[str, _Stretch],
                     bouts: pd.DataFrame | None) -> list[str]:
    mean = var = 0.0
    for i in items:
        s = tried.get(i.stretch)
        if s is None or not s.known or i.role == "experiment" or i.round != 1:
            continue
        k = 1.0 if i.side in ("left", "right") else s.bouts_per_use
        mean += k * s.effect
        var += (k * s.sd) ** 2
    if mean == 0.0 and var == 0.0:
        return []
    lo, hi = mean - plan.Z95 * math.sqrt(var), mean + plan.Z95 * math.sqrt(var)
    start = _usual_start(bouts)
    target = MCID_POINTS if start is None else min(MCID_POINTS, MCID_SHARE * start)
    share = "" if start is None else f" or 30% of your usual starting pain of {start:.0f} ({MCID_SHARE * start:.1f})"
    verdict = ("likely a change you will notice" if lo >= target else
               "it may take more than this routine for a change you notice" if hi < target else
               "possibly a change you will notice")
    return [f"Done in full, the stretches with estimates should ease your pain by about {mean:.1f} points "
            f"(roughly {lo:.1f} to {hi:.1f}, treating the estimates as independent; second rounds and "
            f"experiments not counted); a change people notice is 2 points{share}: {verdict}."]


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
    key = ("routine", float(minutes), bool(flare), seed)
    return an.memo(key, lambda: build(an, minutes=float(minutes), flare=flare, seed=seed))


#: The name the top-level package exports (``stretchlog.routine`` is the subpackage).
build_routine = routine
