"""The simulated person: the options of ``simulate_log`` as arrays per stretch and per item.

:func:`make_design` checks the options that describe the person (repertoire,
effects, rare stretches, the inseparable pair, the imbalanced side, the
favourite, weights, lasting effects, tightness trends) and lays them out as the
arrays the vectorised generator (:mod:`stretchlog.testing.generate`) indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from stretchlog.testing.stretches import (
    DEFAULT_EFFECTS,
    DEFAULT_INSEPARABLE,
    DEFAULT_RARE,
    DEFAULT_TIGHTNESS,
    stretch_table,
)

__all__ = ["Design", "make_design"]


@dataclass(frozen=True)
class Design:
    """Everything about the person that does not change from session to session, as arrays.

    Per stretch (in ``ids`` order): names, sidedness, usual dose, true relief by
    side (left, right, both), lasting effect, tightness level and trend. Per
    selection item (a usual stretch, a rare one, or the inseparable pair as one
    item): the stretches of its first and second bout, its weight in the usual
    draw, its place in the usual order, and for rare items the number of sessions
    they are done in. ``opts`` holds the remaining options of ``simulate_log``.
    """

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


def make_design(
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
) -> Design:
    """The :class:`Design` of ``simulate_log``'s options (see its parameters).

    Raises
    ------
    ValueError
        For effects naming no stretch or one twice, stretch ids not in the table, a
        sided stretch in the inseparable pair, an imbalance with no sided stretch, or
        a favourite that is not among the usual stretches.
    """
    table = stretch_table(stretches)
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
    level = np.array([DEFAULT_TIGHTNESS.get(s, (5.0, 0.0))[0] for s in ids])
    tight_level = np.repeat(level[:, None], 3, axis=1)
    if imb_id is not None:
        tight_level[ids.index(imb_id), 0] += 1.5  # the side that works better is also tighter
    if tightness_slopes is None:
        change = np.array([DEFAULT_TIGHTNESS.get(s, (5.0, 0.0))[1] for s in ids])
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
    return Design(
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
