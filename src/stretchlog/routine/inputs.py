"""What the routine takes from the effects and the trends (internal adapters).

:func:`effect_inputs` and :func:`trend_inputs` read them from an
:class:`~stretchlog.analysis.Analysis` (computed there once, shared with every other
surface). Statsmodels stays inside the effects and trends modules; this one only
reads their tidy frames and flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from stretchlog.analysis import Analysis

__all__ = [
    "RoutineEffects",
    "RoutineTrends",
    "RoutineExperiment",
    "Imbalance",
    "SafetyNote",
    "effect_inputs",
    "trend_inputs",
    "experiment_input",
]


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
    ``advice``); ``dose``: whether longer holds help, per stretch (``stretch``,
    ``verdict``, ``ci_low`` of the slope per doubling, ``dose_high_s``), from
    :func:`stretchlog.effects.dose.dose_response`.
    """

    table: pd.DataFrame = field(repr=False)
    sides: pd.DataFrame = field(repr=False, default_factory=lambda: _empty(["stretch"]))
    groups: pd.DataFrame = field(repr=False, default_factory=lambda: _empty(["names", "advice"]))
    dose: pd.DataFrame = field(
        repr=False, default_factory=lambda: _empty(["stretch", "verdict", "ci_low", "dose_high_s"]))


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


def effect_inputs(an: Analysis) -> RoutineEffects:
    """Relief per stretch, left vs right (the analysis' one answer), inseparable groups, dose."""
    return RoutineEffects(an.effects, an.side_relief, an.relief.groups, an.dose)


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
    """Imbalances from :func:`stretchlog.trends.sides.side_asymmetry` (the tighter side needs work)."""
    if not isinstance(sides, pd.DataFrame) or sides.empty or "imbalance" not in sides.columns:
        return ()
    out = []
    for row in sides.loc[sides["imbalance"].astype(bool)].to_dict("records"):
        d = float(row.get("tight_diff", float("nan")))
        if d == d and d != 0:
            out.append(Imbalance(str(row["stretch_id"]), "left" if d > 0 else "right", str(row.get("finding", ""))))
    return tuple(out)


def trend_inputs(an: Analysis) -> RoutineTrends:
    """Needs-more-work list, imbalances and safety flags, from the analysis' trends."""
    return RoutineTrends(an.needs_more_work, _imbalances(an.sides), _safety(an.safety))


@dataclass(frozen=True)
class RoutineExperiment:
    """What a self-experiment decided, as the routine uses it.

    ``kind``: ``compare`` (``use`` gave more relief than ``other``), ``dose`` (use
    ``hold_s`` x ``reps`` for ``use``), ``order`` (``use`` before ``other``); ``line``:
    the experiment's answer in one sentence; ``final``: the plan has ended (else a
    decisive interim result).
    """

    kind: str
    use: str
    other: str
    line: str
    hold_s: int | None = None
    reps: int | None = None
    final: bool = True


def experiment_input(an: Analysis) -> RoutineExperiment | None:
    """The plan beside the log, when its answer picks an option (else None).

    A plan file that cannot be read leaves the routine as it is (``stretchlog
    experiment`` names the problem); the routine never fails on it.
    """
    from stretchlog.experiment import PlanError

    try:
        result = an.experiment
    except (PlanError, OSError, ValueError):
        return None
    if result is None or result.winner is None:
        return None
    w = result.winner
    plan = result.plan
    other = plan.b if w.label == "A" else plan.a
    if plan.kind == "order":
        return RoutineExperiment("order", w.stretch_id, w.then_id or "", result.headline,
                                 final=result.status == "finished")
    if plan.kind == "dose":
        return RoutineExperiment("dose", w.stretch_id, w.stretch_id, result.headline, w.hold_s, w.reps,
                                 final=result.status == "finished")
    return RoutineExperiment("compare", w.stretch_id, other.stretch_id, result.headline,
                             final=result.status == "finished")
