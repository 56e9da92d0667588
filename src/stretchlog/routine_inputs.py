"""What the routine takes from the effects and the trends (internal adapters).

:func:`effect_inputs` and :func:`trend_inputs` compute them from a log;
:func:`coerce_effects` and :func:`coerce_trends` accept precomputed results in
the shapes the effects and trends modules return. Statsmodels stays inside those
modules; this one only reads their tidy frames and flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from stretchlog.catalog import Catalog
from stretchlog.effects import relief_report
from stretchlog.effects_more import display_names
from stretchlog.safety import safety_flags
from stretchlog.segments import segments
from stretchlog.trends import needs_more_work, tightness_trends
from stretchlog.trends_sides import side_asymmetry

__all__ = ["RoutineEffects", "RoutineTrends", "Imbalance", "SafetyNote", "effect_inputs", "trend_inputs",
           "coerce_effects", "coerce_trends"]


def _empty(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})


@dataclass(frozen=True)
class RoutineEffects:
    """The relief estimates the routine uses.

    ``table``: one row per stretch (``stretch``, ``name``, ``effect``, ``ci_low``,
    ``ci_high``, ``p_helps``, ``harmful``, ``evidence``, ``n_bouts``, ``n_sessions``
    and, where known, ``bouts_per_use`` and ``reason``); ``sides``: left vs right
    per one-sided stretch (``stretch``, ``left``, ``right``, ``imbalance``,
    ``better_side``); ``groups``: stretches that cannot be told apart (``names``,
    ``advice``).
    """

    table: pd.DataFrame = field(repr=False)
    sides: pd.DataFrame = field(repr=False, default_factory=lambda: _empty(["stretch"]))
    groups: pd.DataFrame = field(repr=False, default_factory=lambda: _empty(["names", "advice"]))


@dataclass(frozen=True)
class Imbalance:
    """A one-sided stretch whose ``side`` needs more work, with the trends' message."""

    stretch: str
    side: str
    message: str


@dataclass(frozen=True)
class SafetyNote:
    """A safety flag's message, and the stretch it names (empty for the whole log)."""

    message: str
    stretch: str = ""


@dataclass(frozen=True)
class RoutineTrends:
    """The trend inputs: the needs-more-work rows (``stretch_id``, ``side``,
    ``tightness_now``, ``reason``), imbalances and safety notes."""

    needs_more_work: pd.DataFrame = field(
        repr=False, default_factory=lambda: _empty(["stretch_id", "side", "tightness_now", "reason"]))
    imbalances: tuple[Imbalance, ...] = ()
    safety: tuple[SafetyNote, ...] = ()


def coerce_effects(effects: Any) -> RoutineEffects:
    """A :class:`RoutineEffects` from a RoutineEffects, a ReliefReport or an effects frame."""
    if isinstance(effects, RoutineEffects):
        return effects
    if isinstance(effects, pd.DataFrame):
        table = effects
        if "side" in table.columns and table["side"].astype("str").isin(["left", "right"]).any():
            raise ValueError("effects: pass the one-row-per-stretch frame (relief_effects without by_side)")
        return RoutineEffects(table.reset_index(drop=True))
    if hasattr(effects, "effects"):
        sides = getattr(effects, "sides", None)
        groups = getattr(effects, "groups", None)
        return RoutineEffects(
            effects.effects.reset_index(drop=True),
            sides if isinstance(sides, pd.DataFrame) else _empty(["stretch"]),
            groups if isinstance(groups, pd.DataFrame) else _empty(["names", "advice"]),
        )
    raise TypeError(f"effects: expected a relief report or a DataFrame, got {type(effects).__name__}")


def effect_inputs(bouts: pd.DataFrame, catalog: Catalog, *, segs: pd.DataFrame | None = None) -> RoutineEffects:
    """Relief per stretch, and left vs right for one-sided stretches logged by side.

    ``segs`` is :func:`stretchlog.segments` of ``bouts``, if already computed.
    """
    segs = segs if segs is not None else segments(bouts)
    names = display_names(bouts, catalog)
    rep = relief_report(bouts, catalog=catalog, segs=segs, names=names)
    sides = _empty(["stretch"])
    if bouts["side"].astype("str").isin(["left", "right"]).any():
        sides = relief_report(bouts, by_side=True, catalog=catalog, segs=segs, names=names).sides
    return RoutineEffects(rep.effects, sides, rep.groups)


def _flag_stretch(flag: Any) -> str:
    for name in ("stretch_id", "stretch"):
        v = getattr(flag, name, None)
        if isinstance(v, str) and v:
            return v
    return ""


def _safety(flags: Any) -> tuple[SafetyNote, ...]:
    out = []
    for f in flags or ():
        if isinstance(f, SafetyNote):
            out.append(f)
            continue
        message = str(getattr(f, "message", f))
        advice = str(getattr(f, "advice", "") or "")
        out.append(SafetyNote(f"{message} {advice}".strip(), _flag_stretch(f)))
    return tuple(out)


def _imbalances(sides: Any) -> tuple[Imbalance, ...]:
    """Imbalances from :func:`stretchlog.trends_sides.side_asymmetry` (the tighter side needs work)."""
    if not isinstance(sides, pd.DataFrame) or sides.empty or "imbalance" not in sides.columns:
        return ()
    out = []
    for row in sides.loc[sides["imbalance"].astype(bool)].to_dict("records"):
        d = float(row.get("tight_diff", float("nan")))
        if d == d and d != 0:
            out.append(Imbalance(str(row["stretch_id"]), "left" if d > 0 else "right", str(row.get("finding", ""))))
    return tuple(out)


def coerce_trends(trends: Any) -> RoutineTrends:
    """A :class:`RoutineTrends` from one, or from a :class:`stretchlog.trends_report.TrendsReport`
    (``needs_more_work``, ``sides`` and ``flags``)."""
    if isinstance(trends, RoutineTrends):
        return trends
    needs = getattr(trends, "needs_more_work", None)
    if not isinstance(needs, pd.DataFrame):
        needs = RoutineTrends().needs_more_work
    return RoutineTrends(needs, _imbalances(getattr(trends, "sides", None)), _safety(getattr(trends, "flags", ())))


def trend_inputs(bouts: pd.DataFrame, catalog: Catalog, *, segs: pd.DataFrame | None = None) -> RoutineTrends:
    """Needs-more-work list, imbalances and safety flags, from the trends modules.

    ``segs`` is :func:`stretchlog.segments` of ``bouts``, if already computed.
    """
    segs = segs if segs is not None else segments(bouts)
    needs = needs_more_work(tightness_trends(bouts, by="stretch_side", catalog=catalog))
    sides = side_asymmetry(bouts, catalog=catalog, segs=segs)
    flags = safety_flags(bouts, segs=segs, catalog=catalog)
    return RoutineTrends(needs, _imbalances(sides), _safety(flags))
