"""Seeded simulator of stretch logs with a known truth (for tests and benchmarks).

:func:`simulate_log` writes a log exactly as a person would keep it (the CSV
contract's columns, typed stretch names, gaps and all) from a generative model
whose parameters are returned alongside it in :class:`SimTruth`. The estimators
of stretchlog are tested by checking that they recover that truth.
:func:`simulate_bouts` makes logs of a given size (tens of thousands to millions
of rows) for benchmarks.

The generative model, in plain words
------------------------------------
Time. The log runs for ``days`` days. Each day has a few time slots (a morning
window 06:30-08:30 and an evening window 20:00-22:30; very busy benchmark logs
get extra slots); each slot holds a session with a fixed probability, so there
are ``sessions_per_week`` sessions a week on average. Some sessions (only the
first of a day) have no time written.

Pain between sessions. A day's true pain level is ``baseline + pain_slope * t/30
+ u_t``, where ``t`` is days since the start and ``u`` is an AR(1) series across
days (``phi`` ~0.7, stationary SD ``day_sd``): bad days come in runs. A session
starts at that level plus a little session noise, minus the *lasting* effect of
the bouts of the previous session (``lasting[s]`` per bout of stretch ``s``;
only the previous session counts, it does not accumulate), clipped to 0..10.

Readings. Every pain reading is ``clip(round(true + N(0, reading_sd)), 0, 10)``:
a noisy whole number. A reading written twice (a ``pain_before`` that restates
the previous bout's ``pain_after``) is the same reading, so the two cells agree.

What the person decides (confounding by indication). At the session start the
person reads their pain once (this is the first bout's ``pain_before``) and
decides from that *noisy reading*: a higher reading means more stretches
(``items_mean + items_per_point * (reading - baseline)`` plus noise) and a
higher chance of starting with the favourite stretch. Since the reading is
noisy, sessions chosen by a high reading regress to the mean on their own.
Which stretches are done is a weighted draw without replacement from the
usual repertoire (the keys of ``effects``); the favourite is always included
when it is put first.

Order. The chosen stretches are done in the person's usual order (the order
of ``effects``) with a little jitter; in a share of sessions (``shuffle_prob``)
the order is shuffled completely, which makes the position effect estimable.

Bouts. A stretch done on both sides gives two bouts (left then right, or
right then left); sided stretches are done one side only now and then. Each
bout lowers the true pain by ``effect`` of its stretch (its side's effect for a
sided stretch) ``+ position_effect * position`` (0-based bout position in the
session: later bouts let go more easily) ``+ dose_effect * log2(dose / usual
dose)`` ``+ N(0, bout_sd)``. True pain is floored at 0 and capped at 10 after
every bout, so relief is censored in sessions that reach 0.

What gets written (logging styles). ``per_bout``: ``pain_before`` on the first
bout and ``pain_after`` on every bout (later bouts' ``pain_before`` mostly
empty, sometimes restating the previous ``pain_after``). ``start_end``: only the
first ``pain_before`` and the last ``pain_after``. ``mixed``: each session is
per-bout, start/end-only or a partial chain (after-readings on some bouts
only). The first bout always has ``pain_before`` and the last ``pain_after``.

Rare and inseparable stretches. ``rare`` stretches are never in the usual draw:
each is done in exactly ``rare_sessions`` randomly chosen sessions. With
``inseparable=True`` a pair of stretches is always done together, one right
after the other, with no reading between them: only their sum is estimable.
With ``imbalance=True`` one sided stretch works better on the left than on the
right by ``imbalance_size`` (``effects`` holds the mean of its two sides).

Tightness. Each bout's tightness (0..10) is a level for its (stretch, side)
``+ slope * t/30`` ``+`` a shared "stiff day" AR(1) component ``+`` noise,
rounded and clipped; some stretches loosen over time, some tighten, most are
flat; about 10% of bouts leave tightness empty. By default the pain and
tightness trends are set as a total change over the whole log (``pain_change``
and the built-in table), so long logs stay on the 0..10 scale.

Doses and notes. ``hold_s`` and ``reps`` vary around the stretch's usual
dose; a few bouts carry a note (one with a comma, one with quotes).

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed and
options give the identical frame. The whole simulation is vectorised over
sessions and bouts (no Python loop per session), so a million rows take a few
seconds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Literal

import numpy as np
import pandas as pd

from stretchlog.log.schema import CONTRACT_COLUMNS

__all__ = [
    "COLUMNS",
    "DEFAULT_EFFECTS",
    "DEFAULT_INSEPARABLE",
    "DEFAULT_RARE",
    "DEFAULT_STRETCHES",
    "SimTruth",
    "SimulatedLog",
    "StretchSpec",
    "simulate_bouts",
    "simulate_log",
]

#: The contract's columns, in the contract's order (the schema is their one definition).
COLUMNS: tuple[str, ...] = CONTRACT_COLUMNS

Style = Literal["per_bout", "start_end", "mixed"]
NameStyle = Literal["typed", "varied", "id"]


@dataclass(frozen=True)
class StretchSpec:
    """What the simulator needs to know about one stretch.

    Attributes
    ----------
    name : str
        The name the person types in the log.
    sided : bool
        Done one side at a time (a left and a right bout).
    hold_s, reps : int
        The usual seconds per hold and number of holds.
    variants : tuple of str
        Other spellings the person sometimes types (``name_style="varied"``);
        they must match the same catalog entry.
    """

    name: str
    sided: bool
    hold_s: int = 30
    reps: int = 1
    variants: tuple[str, ...] = ()


#: Built-in stretch table: catalog id -> typed name, sidedness, usual dose.
DEFAULT_STRETCHES: dict[str, StretchSpec] = {
    "reclining-hip-stretch": StretchSpec("reclining hip stretch", True, 60, 3, ("reclining hip",)),
    "seated-hip-stretch": StretchSpec("seated hip stretch", True, 30, 3),
    "standing-hamstring-stretch": StretchSpec(
        "hamstring stretch", False, 10, 9, ("standing hamstring",)
    ),
    "tfl-it-band-stretch": StretchSpec("IT band stretch", True, 30, 3, ("TFL stretch",)),
    "psoas-stretch-kneeling": StretchSpec("psoas stretch 1", True, 45, 2, ("psoas 1",)),
    "psoas-stretch-strap": StretchSpec("psoas stretch 2", True, 45, 2, ("psoas 2",)),
    "quadratus-lumborum-stretch": StretchSpec("QL stretch", True, 30, 3, ("quadratus lumborum",)),
    "passive-low-back-stretch": StretchSpec(
        "passive low back stretch", False, 60, 2, ("passive lower back stretch",)
    ),
    "single-knee-to-chest": StretchSpec("knee to chest", True, 30, 3, ("single knee to chest",)),
    "double-knees-to-chest": StretchSpec("knees to chest", False, 30, 4, ("double knee to chest",)),
    "spinal-twist": StretchSpec("spinal twist", True, 30, 3),
    "pigeon-pose": StretchSpec("pigeon", True, 45, 2),
    "side-bend": StretchSpec("side bend", True, 20, 3),
    "kneeling-quad-stretch": StretchSpec("quad stretch", True, 30, 3),
    "seated-figure-four": StretchSpec("figure four", True, 30, 3, ("ankle over knee",)),
    "supine-towel-hamstring-stretch": StretchSpec("towel hamstring stretch", True, 30, 3),
    "kneeling-hip-flexor-stretch": StretchSpec("hip flexor stretch", True, 30, 3),
    "adductor-stretch": StretchSpec("groin stretch", False, 30, 3),
    "erector-spinae-stretch": StretchSpec("erector spinae stretch", False, 30, 3),
    "lower-trunk-rotation": StretchSpec("lower trunk rotation", False, 5, 10),
}

#: Default usual repertoire, in the person's usual order: id -> true relief per bout
#: (NRS points at bout position 0; positive = less pain). One clearly best (the
#: favourite), several modest, one doing nothing, one harmful.
DEFAULT_EFFECTS: dict[str, float] = {
    "standing-hamstring-stretch": 0.25,
    "psoas-stretch-kneeling": 0.45,
    "double-knees-to-chest": 0.35,
    "reclining-hip-stretch": 0.9,
    "quadratus-lumborum-stretch": 0.4,
    "spinal-twist": 0.2,
    "seated-hip-stretch": 0.3,
    "tfl-it-band-stretch": 0.0,
    "side-bend": -0.5,
    "passive-low-back-stretch": 0.55,
}

#: Default rarely tried stretches: id -> true relief per bout.
DEFAULT_RARE: dict[str, float] = {"pigeon-pose": 0.6, "seated-figure-four": 0.3}

#: The pair used by ``inseparable=True``: id -> true relief per bout.
DEFAULT_INSEPARABLE: dict[str, float] = {
    "lower-trunk-rotation": 0.3,
    "erector-spinae-stretch": 0.15,
}

# tightness: id -> (level, total change over the log); missing ids: (5, 0)
_TIGHTNESS: dict[str, tuple[float, float]] = {
    "standing-hamstring-stretch": (7.0, -1.5),
    "psoas-stretch-kneeling": (7.0, -2.0),
    "double-knees-to-chest": (4.0, 0.0),
    "reclining-hip-stretch": (6.0, -1.0),
    "quadratus-lumborum-stretch": (5.0, 1.5),
    "spinal-twist": (4.0, 0.0),
    "seated-hip-stretch": (5.0, 0.0),
    "tfl-it-band-stretch": (6.0, 1.0),
    "side-bend": (3.0, 0.0),
    "passive-low-back-stretch": (3.0, 0.0),
    "pigeon-pose": (6.0, 0.0),
    "seated-figure-four": (5.0, 0.0),
    "lower-trunk-rotation": (3.0, 0.0),
    "erector-spinae-stretch": (4.0, 0.0),
}

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

# session time windows in minutes after midnight: morning, evening, then extra
# slots for very busy (benchmark) logs; disjoint so sessions never merge
_WINDOWS: tuple[tuple[int, int], ...] = (
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


@dataclass(frozen=True)
class SimTruth:
    """The true parameters a simulated log was drawn from.

    Attributes
    ----------
    effects : dict of str to float
        True immediate relief per bout (NRS points, positive = less pain) at bout
        position 0, by stretch id. For a sided stretch: the mean of its sides.
    side_effects : dict of (str, str) to float
        ``(stretch_id, side)`` -> relief per bout, for sided stretches (left and
        right differ for the imbalanced stretch).
    position_effect : float
        Extra relief per 0-based bout position in the session.
    lasting : dict of str to float
        Effect of one bout on the next session's true starting pain (positive = lower).
    tightness_slope : dict of (str, str) to float
        ``(stretch_id, side)`` -> true tightness change per 30 days (side is
        ``"left"``/``"right"`` for sided stretches, ``"both"`` otherwise).
    pain_slope : float
        True change of the baseline pain per 30 days.
    reading_sd, bout_sd : float
        SD of a reading's error and of a bout's own relief.
    inseparable : tuple of (str, str)
        Pairs always done together with no reading between them.
    baseline : float
        The baseline pain level at the start of the log.
    rare : tuple of str
        Ids of the rarely tried stretches.
    favourite : str
        Id of the stretch put first more often when the first reading is high.
    names : dict of str to str
        Stretch id -> the name typed in the log.
    dose_effect : float
        Extra relief per doubling of hold_s x reps over the usual dose.
    """

    effects: dict[str, float]
    side_effects: dict[tuple[str, str], float]
    position_effect: float
    lasting: dict[str, float]
    tightness_slope: dict[tuple[str, str], float]
    pain_slope: float
    reading_sd: float
    bout_sd: float
    inseparable: tuple[tuple[str, str], ...] = ()
    baseline: float = 6.0
    rare: tuple[str, ...] = ()
    favourite: str = ""
    names: dict[str, str] = field(default_factory=dict)
    dose_effect: float = 0.0


def _format_number(s: pd.Series) -> pd.Series:
    """Whole numbers without '.0', empty cells empty."""
    if not pd.api.types.is_float_dtype(s.dtype):
        return s
    v = s.to_numpy(dtype=float)
    finite = ~np.isnan(v)
    if np.all(v[finite] == np.floor(v[finite])):
        return s.astype("Int64")
    out = np.full(len(v), "", dtype=object)
    whole = finite & (v == np.floor(np.where(finite, v, 0.0)))
    out[whole] = v[whole].astype(np.int64).astype(str)
    frac = finite & ~whole
    out[frac] = [repr(float(x)) for x in v[frac]]
    return pd.Series(out, index=s.index, dtype="str")


@dataclass(frozen=True)
class SimulatedLog:
    """A simulated log and the truth it was drawn from.

    Attributes
    ----------
    frame : DataFrame
        The contract's columns in the contract's order, one row per bout, in
        session and bout order. Text columns (``date``, ``time``, ``stretch``,
        ``side``, ``notes``) are ``str`` with ``""`` for empty cells; numbers are
        float with NaN for empty cells (``hold_s`` is int).
    truth : SimTruth
        The parameters the log was drawn from.

    Examples
    --------
    >>> import io
    >>> log = simulate_log(days=14, seed=1)
    >>> buf = io.StringIO()
    >>> log.to_csv(buf)
    >>> buf.getvalue().splitlines()[0]
    'date,time,stretch,side,hold_s,reps,pain_before,pain_after,tightness,notes'
    """

    frame: pd.DataFrame = field(repr=False)
    truth: SimTruth

    def csv_text(self) -> str:
        """The log as contract CSV text (LF line ends, whole numbers without '.0')."""
        return self._formatted().to_csv(index=False, lineterminator="\n")

    def to_csv(self, path_or_buffer: str | Any | IO[str]) -> None:
        """Write the log as a contract CSV file (UTF-8, LF line ends, no index).

        Parameters
        ----------
        path_or_buffer : path or text buffer
            Where to write.
        """
        self._formatted().to_csv(path_or_buffer, index=False, lineterminator="\n", encoding="utf-8")

    def _formatted(self) -> pd.DataFrame:
        return pd.DataFrame({c: _format_number(self.frame[c]) for c in COLUMNS})


# --------------------------------------------------------------------------- design


@dataclass(frozen=True)
class _Design:
    ids: tuple[str, ...]  # every stretch in the log
    names: dict[str, tuple[str, ...]]  # id -> (typed name, variants...)
    sided: np.ndarray  # per stretch
    hold: np.ndarray
    reps: np.ndarray
    eff_side: np.ndarray  # (n_stretch, 3): left, right, both
    lasting: np.ndarray
    tight_level: np.ndarray  # (n_stretch, 3)
    tight_change: np.ndarray  # (n_stretch, 3): total change over the log, or per-30-days slopes
    tight_is_slope: bool
    # items (selection units): stretch index of first and second bout
    item_first: np.ndarray
    item_second: np.ndarray
    item_pair: np.ndarray
    item_weight: np.ndarray
    item_rank: np.ndarray
    item_rare_count: np.ndarray  # -1 for usual items
    favourite_item: int
    regular: tuple[str, ...]
    rare: tuple[str, ...]
    pair: tuple[str, ...]
    effects: dict[str, float]
    side_effects: dict[tuple[str, str], float]
    opts: dict[str, Any]


def _table(stretches: Any) -> dict[str, StretchSpec]:
    if stretches is None:
        return dict(DEFAULT_STRETCHES)
    out: dict[str, StretchSpec] = {}
    if isinstance(stretches, pd.DataFrame):
        for rec in stretches.to_dict("records"):
            sid = str(rec["id"])
            out[sid] = StretchSpec(
                str(rec.get("name", sid)),
                bool(rec["sided"]),
                int(rec.get("hold_s", 30)),
                int(rec.get("reps", 1)),
            )
        return out
    if isinstance(stretches, Mapping):
        for sid, spec in stretches.items():
            if isinstance(spec, StretchSpec):
                out[str(sid)] = spec
            else:
                out[str(sid)] = StretchSpec(
                    str(spec.get("name", sid)),
                    bool(spec["sided"]),
                    int(spec.get("hold_s", 30)),
                    int(spec.get("reps", 1)),
                    tuple(spec.get("variants", ())),
                )
        return out
    for s in stretches:  # catalog Stretch objects or anything alike
        out[str(s.id)] = StretchSpec(str(s.name), bool(s.sided), int(s.hold_s), int(s.reps))
    return out


def _design(
    *,
    stretches: Any,
    effects: Mapping[str, float] | None,
    rare: Mapping[str, float] | None,
    rare_sessions: int | Iterable[int],
    inseparable: bool,
    imbalance: bool | str,
    imbalance_size: float,
    favourite: str | None,
    weights: Mapping[str, float] | None,
    lasting: Mapping[str, float] | float,
    tightness_slopes: Mapping[Any, float] | None,
    opts: dict[str, Any],
) -> _Design:
    table = _table(stretches)
    eff = dict(DEFAULT_EFFECTS if effects is None else effects)
    rar = dict(DEFAULT_RARE if rare is None else rare)
    pair = dict(DEFAULT_INSEPARABLE) if inseparable else {}
    if not eff:
        raise ValueError("effects must name at least one stretch")
    ids = tuple(dict.fromkeys([*eff, *rar, *pair]))
    if len(ids) != len(eff) + len(rar) + len(pair):
        raise ValueError("a stretch is listed twice among effects, rare and the inseparable pair")
    unknown = [s for s in ids if s not in table]
    if unknown:
        raise ValueError(f"stretch ids not in the stretch table: {', '.join(unknown)}")
    all_eff = {**eff, **rar, **pair}
    n = len(ids)
    sided = np.array([table[s].sided for s in ids], dtype=bool)
    for s in pair:
        if table[s].sided:
            raise ValueError(f"the inseparable pair must be two-sided ('both') stretches, not {s}")
    base = np.array([float(all_eff[s]) for s in ids])
    eff_side = np.repeat(base[:, None], 3, axis=1)
    imb_id = None
    if imbalance:
        if isinstance(imbalance, str):
            imb_id = imbalance
        else:
            cands = [s for s in eff if table[s].sided and s != favourite and eff[s] > 0]
            imb_id = (
                "psoas-stretch-kneeling"
                if "psoas-stretch-kneeling" in cands
                else (cands or [None])[0]
            )
        if imb_id not in ids or not table[imb_id].sided:
            raise ValueError("imbalance needs a sided stretch in the log")
        i = ids.index(imb_id)
        eff_side[i, 0] += imbalance_size / 2
        eff_side[i, 1] -= imbalance_size / 2
    side_effects = {}
    for i, s in enumerate(ids):
        if sided[i]:
            side_effects[(s, "left")] = float(eff_side[i, 0])
            side_effects[(s, "right")] = float(eff_side[i, 1])
    if isinstance(lasting, Mapping):
        last = np.array([float(lasting.get(s, 0.0)) for s in ids])
    else:
        last = float(lasting) * base
    level = np.array([_TIGHTNESS.get(s, (5.0, 0.0))[0] for s in ids])
    tight_level = np.repeat(level[:, None], 3, axis=1)
    if imb_id is not None:
        tight_level[ids.index(imb_id), 0] += 1.5  # the side that works better is also tighter
    if tightness_slopes is None:
        change = np.array([_TIGHTNESS.get(s, (5.0, 0.0))[1] for s in ids])
        tight_change = np.repeat(change[:, None], 3, axis=1)
        is_slope = False
    else:
        tight_change = np.zeros((n, 3))
        for key, v in tightness_slopes.items():
            if isinstance(key, tuple):
                sid, side = key
                cols = [("left", "right", "both").index(side)]
            else:
                sid, cols = key, [0, 1, 2]
            if sid in ids:
                tight_change[ids.index(sid), cols] = float(v)
        is_slope = True

    fav = favourite if favourite is not None else max(eff, key=lambda s: eff[s])
    if fav not in eff:
        raise ValueError(f"the favourite {fav!r} must be one of the usual stretches (effects)")
    w = dict(weights or {})
    # items: usual stretches, then rare ones, then the pair as one item
    first, second, is_pair, weight, rank, rcount = [], [], [], [], [], []
    if isinstance(rare_sessions, int):
        counts = [rare_sessions] * len(rar)
    else:
        counts = list(rare_sessions)
        if len(counts) < len(rar):
            counts += [counts[-1] if counts else 3] * (len(rar) - len(counts))
    for r, s in enumerate(eff):
        first.append(ids.index(s))
        second.append(ids.index(s))
        is_pair.append(False)
        weight.append(float(w.get(s, 2.0 if s == fav else 1.0)))
        rank.append(float(r))
        rcount.append(-1)
    for j, s in enumerate(rar):
        first.append(ids.index(s))
        second.append(ids.index(s))
        is_pair.append(False)
        weight.append(0.0)
        rank.append(len(eff) / 2 + 0.25)  # fitted in mid-routine
        rcount.append(int(counts[j]))
    if pair:
        a, b = list(pair)
        first.append(ids.index(a))
        second.append(ids.index(b))
        is_pair.append(True)
        weight.append(float(w.get(a, 1.0)))
        rank.append(len(eff) - 0.5)  # near the end of the routine
        rcount.append(-1)
    names = {}
    for s in ids:
        spec = table[s]
        auto = (
            spec.name,
            spec.name[:1].upper() + spec.name[1:],
            spec.name.title(),
            spec.name.lower(),
        )
        names[s] = tuple(dict.fromkeys([*auto[:1], *spec.variants, *auto[1:]]))
    return _Design(
        ids=ids,
        names=names,
        sided=sided,
        hold=np.array([table[s].hold_s for s in ids], dtype=float),
        reps=np.array([table[s].reps for s in ids], dtype=float),
        eff_side=eff_side,
        lasting=last,
        tight_level=tight_level,
        tight_change=tight_change,
        tight_is_slope=is_slope,
        item_first=np.array(first),
        item_second=np.array(second),
        item_pair=np.array(is_pair, dtype=bool),
        item_weight=np.array(weight),
        item_rank=np.array(rank),
        item_rare_count=np.array(rcount),
        favourite_item=list(eff).index(fav),
        regular=tuple(eff),
        rare=tuple(rar),
        pair=tuple(pair),
        effects={s: float(base[i]) for i, s in enumerate(ids)},
        side_effects=side_effects,
        opts=opts,
    )


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


def _generate(d: _Design, days: int, seed: int, max_bouts: int | None = None) -> SimulatedLog:
    o = d.opts
    rng = np.random.default_rng(seed)
    if days < 1:
        raise ValueError("days must be at least 1")

    # ---- sessions: day slots
    spd = float(o["sessions_per_week"]) / 7.0
    if spd <= 0:
        raise ValueError("sessions_per_week must be positive")
    n_slots = 2 if spd <= 1.6 else min(len(_WINDOWS), math.ceil(spd / 0.8))
    p_slot = min(1.0, spd / n_slots)
    windows = np.array(sorted(_WINDOWS[:n_slots]))
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


# --------------------------------------------------------------------------- public API


def _options(**kw: Any) -> dict[str, Any]:
    kw.setdefault("end", None)
    if kw["style"] not in ("per_bout", "start_end", "mixed"):
        raise ValueError(f"style must be 'per_bout', 'start_end' or 'mixed', not {kw['style']!r}")
    if kw["name_style"] not in ("typed", "varied", "id"):
        raise ValueError(f"name_style must be 'typed', 'varied' or 'id', not {kw['name_style']!r}")
    fa, _ = kw["favourite_first"]
    if not 0.0 < fa < 1.0:
        raise ValueError("favourite_first[0] must be a probability strictly between 0 and 1")
    return kw


def simulate_log(
    *,
    days: int = 120,
    seed: int = 0,
    sessions_per_week: float = 4.5,
    style: Style = "mixed",
    effects: Mapping[str, float] | None = None,
    rare: Mapping[str, float] | None = None,
    rare_sessions: int | Iterable[int] = (3, 5),
    inseparable: bool = False,
    imbalance: bool | str = False,
    imbalance_size: float = 0.5,
    stretches: Any = None,
    favourite: str | None = None,
    weights: Mapping[str, float] | None = None,
    lasting: Mapping[str, float] | float = 0.1,
    position_effect: float = 0.05,
    dose_effect: float = 0.0,
    baseline: float = 6.0,
    pain_slope: float | None = None,
    pain_change: float = -1.0,
    phi: float = 0.7,
    day_sd: float = 0.9,
    session_sd: float = 0.4,
    reading_sd: float = 0.7,
    bout_sd: float = 0.3,
    tightness_slopes: Mapping[Any, float] | None = None,
    tightness_sd: float = 0.6,
    stiff_sd: float = 0.7,
    tightness_missing: float = 0.1,
    items_mean: float = 3.5,
    items_per_point: float = 0.6,
    favourite_first: tuple[float, float] = (0.25, 0.9),
    shuffle_prob: float = 0.3,
    order_jitter: float = 0.6,
    both_sides_prob: float = 0.85,
    mixed_weights: tuple[float, float, float] = (0.4, 0.25, 0.35),
    restate_prob: float = 0.15,
    empty_time_prob: float = 0.04,
    empty_side_prob: float = 0.2,
    notes_rate: float = 0.02,
    name_style: NameStyle = "typed",
    usual_name_prob: float = 0.8,
    start: str = "2026-01-05",
) -> SimulatedLog:
    """Simulate a personal stretch log from a known truth (see the module docstring).

    Parameters
    ----------
    days : int
        Length of the log in days.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed and options give the
        identical frame.
    sessions_per_week : float
        Average number of sessions a week (mornings and evenings).
    style : {"per_bout", "start_end", "mixed"}
        How pain is written: around every bout, only at the session's start and
        end, or a per-session mix of those and partial chains.
    effects : dict, optional
        The usual repertoire in the person's usual order: stretch id -> true relief
        per bout (default :data:`DEFAULT_EFFECTS`: one clearly best, several modest,
        one ~0, one harmful).
    rare : dict, optional
        Rarely tried stretches: id -> true relief per bout (default :data:`DEFAULT_RARE`).
    rare_sessions : int or sequence of int
        In how many sessions each rare stretch is done.
    inseparable : bool
        Add the pair :data:`DEFAULT_INSEPARABLE`, always done together with no
        reading between them.
    imbalance : bool or str
        Make one sided stretch (``True``: psoas stretch 1; or the id given) work
        better on the left than on the right by ``imbalance_size``.
    stretches : mapping, DataFrame or iterable, optional
        The stretch table (id -> :class:`StretchSpec`; or a frame/objects with
        ``id``, ``name``, ``sided``, ``hold_s``, ``reps`` such as a catalog).
        Default :data:`DEFAULT_STRETCHES`.
    favourite : str, optional
        The stretch put first more often when the first reading is high (default:
        the one with the largest effect).
    weights : dict, optional
        Relative chance of each usual stretch being chosen (default 1, favourite 2).
    lasting : dict or float
        Per-bout effect on the next session's starting pain, by id, or a fraction
        of each stretch's immediate effect.
    position_effect : float
        Extra relief per 0-based bout position.
    dose_effect : float
        Extra relief per doubling of hold_s x reps over the usual dose.
    baseline : float
        Pain level at the start of the log.
    pain_slope : float, optional
        Change of the baseline per 30 days; default ``pain_change`` spread over the log.
    pain_change : float
        Total change of the baseline over the log, used when ``pain_slope`` is None.
    phi, day_sd : float
        AR(1) coefficient and SD of the day-to-day pain (also used for stiff days).
    session_sd, reading_sd, bout_sd : float
        SDs of a session's start around its day's level, of a reading's error and
        of a bout's own relief.
    tightness_slopes : dict, optional
        True tightness change per 30 days by ``(id, side)`` or by id (all sides);
        default: the built-in changes spread over the log.
    tightness_sd, stiff_sd, tightness_missing : float
        Tightness noise SD, SD of the shared stiff-day AR(1), share of empty cells.
    items_mean, items_per_point : float
        Stretches per session at a first reading equal to ``baseline``, and extra
        stretches per point of first reading above it.
    favourite_first : (float, float)
        Chance of starting with the favourite at a reading equal to ``baseline``,
        and its log-odds increase per point of reading.
    shuffle_prob, order_jitter : float
        Share of sessions done in a random order; jitter of the usual order.
    both_sides_prob : float
        Chance a sided stretch is done on both sides.
    mixed_weights : (float, float, float)
        For ``style="mixed"``: shares of per-bout, start/end-only and partial sessions.
    restate_prob : float
        Chance a later bout restates the previous ``pain_after`` as its ``pain_before``.
    empty_time_prob, empty_side_prob, notes_rate : float
        Chance of an empty time (first session of a day), of an empty side on a
        two-sided stretch, and of a note on a bout.
    name_style : {"typed", "varied", "id"}
        Stretch names as the person types them, with occasional other spellings
        (case, aliases), or canonical ids.
    usual_name_prob : float
        For ``"varied"``: share of rows with the usual spelling.
    start : str
        ISO date of the first day.

    Returns
    -------
    SimulatedLog

    Examples
    --------
    >>> log = simulate_log(days=30, seed=3)
    >>> list(log.frame.columns) == list(COLUMNS)
    True
    >>> max(log.truth.effects, key=log.truth.effects.get)
    'reclining-hip-stretch'
    """
    return _run(dict(locals()))


def simulate_bouts(
    n_bouts: int,
    *,
    seed: int = 0,
    sessions_per_week: float | None = None,
    max_years: float = 40.0,
    end: str = "2026-06-30",
    **options: Any,
) -> SimulatedLog:
    """Simulate a log of about ``n_bouts`` rows (for benchmarks).

    Whole sessions are kept up to the one that reaches ``n_bouts``, so the log
    has between ``n_bouts`` and ``n_bouts`` plus one session's bouts. Uses the
    model of :func:`simulate_log`; the trends are spread over the whole log.

    Parameters
    ----------
    n_bouts : int
        Wanted number of rows (e.g. 40_000, 100_000, 1_000_000).
    seed : int
        Seed of the random generator.
    sessions_per_week : float, optional
        Default 14 (about two sessions a day: 40_000 rows span about ten
        years), raised so the log spans at most ``max_years`` (a million rows
        take about 7 sessions a day).
    max_years : float
        Longest span of the log when ``sessions_per_week`` is not given.
    end : str
        ISO date of the log's last day (its start follows from the size).
    **options
        Any keyword option of :func:`simulate_log` except ``days`` and ``start``.

    Returns
    -------
    SimulatedLog

    Examples
    --------
    >>> log = simulate_bouts(2_000, seed=1)
    >>> 2_000 <= len(log.frame) < 2_100
    True
    """
    if n_bouts < 1:
        raise ValueError("n_bouts must be at least 1")
    if "days" in options or "start" in options:
        raise TypeError(
            "simulate_bouts sets days and start from n_bouts; use simulate_log for those"
        )
    sig = dict(options)
    # expected bouts per session, to size the number of days
    eff = sig.get("effects") or DEFAULT_EFFECTS
    table = _table(sig.get("stretches"))
    both_p = sig.get("both_sides_prob", 0.85)
    per_item = float(
        np.mean([1 + both_p if table[s].sided else 1.0 for s in eff if s in table] or [1.0])
    )
    items = min(float(sig.get("items_mean", 3.5)), len(eff))
    per_session = max(1.0, items * per_item)
    sessions = n_bouts / per_session
    spw = sessions_per_week
    if spw is None:
        spw = max(14.0, 7.0 * sessions / (max_years * 365.25))
        spw = min(spw, 0.8 * len(_WINDOWS) * 7)
    days = math.ceil(sessions / (spw / 7.0) * 1.15) + 7
    unknown = set(options) - set(_KWDEFAULTS)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    for _ in range(8):
        kw = {
            **_KWDEFAULTS,
            **options,
            "days": days,
            "seed": seed,
            "sessions_per_week": spw,
            "end": end,
        }
        log = _run(kw, max_bouts=n_bouts)
        if len(log.frame) >= n_bouts:
            return log
        days = int(days * 1.5) + 7
    return log


_DESIGN_KEYS = (
    "effects",
    "rare",
    "rare_sessions",
    "inseparable",
    "imbalance",
    "imbalance_size",
    "stretches",
    "favourite",
    "weights",
    "lasting",
    "tightness_slopes",
)
_KWDEFAULTS: dict[str, Any] = {
    k: v
    for k, v in (simulate_log.__kwdefaults__ or {}).items()
    if k not in ("days", "seed", "start")
}


def _run(kw: dict[str, Any], max_bouts: int | None = None) -> SimulatedLog:
    kw = dict(kw)
    days, seed = int(kw.pop("days")), kw.pop("seed")
    dkw = {k: kw.pop(k) for k in _DESIGN_KEYS}
    kw["favourite_first"] = tuple(kw["favourite_first"])
    kw["mixed_weights"] = tuple(kw["mixed_weights"])
    d = _design(**dkw, opts=_options(**kw))
    return _generate(d, days, seed, max_bouts=max_bouts)
