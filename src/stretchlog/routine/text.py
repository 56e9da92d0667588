"""Text renderings of a :class:`~stretchlog.routine.types.Routine`: Markdown and a JSON-ready dict.

Every rendering starts with the safety flags, when there are any. The terminal
table is drawn by :mod:`stretchlog.cli.routine` and the printable card by
:mod:`stretchlog.report.card`.
"""

from __future__ import annotations

import math

from stretchlog.words import plural
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from stretchlog.routine.types import Routine, RoutineItem

__all__ = ["DISCLAIMER", "to_markdown", "to_dict", "duration", "marks_legend", "learning_line", "made_line", "why",
           "short_reason", "short_dose",
           "ROLE_MARK", "ROLE_LABEL"]

#: A text mark per role, so no meaning rests on colour.
ROLE_MARK = {"works": "", "may help": "?", "extra round": "+", "weaker side": "+",
             "experiment": "TRY", "starting point": ""}
ROLE_LABEL = {"works": "works for you", "may help": "may help", "extra round": "second round",
              "weaker side": "weaker side", "experiment": "experiment", "starting point": "starting point"}


DISCLAIMER = (
    "Advice from your own log, not a diagnosis. Stretch gently and never into pain; "
    "see a professional if pain is severe, spreads, or lasts."
)


def duration(seconds: float) -> str:
    """``"9 min 40 s"``, ``"45 s"``, ``"6 min"``."""
    seconds = int(round(seconds))
    m, s = divmod(seconds, 60)
    if m and s:
        return f"{m} min {s} s"
    return f"{m} min" if m else f"{s} s"


def marks_legend(r: "Routine") -> list[tuple[str, str]]:
    """The marks used in this routine, with their meaning."""
    meaning = {"TRY": "experiment", "+": "second round", "?": "may help (not sure yet)"}
    used = {ROLE_MARK[i.role] for i in r.items}
    return [(m, t) for m, t in meaning.items() if m in used]


def learning_line(r: "Routine") -> str:
    """One sentence on the experiments (empty when there are none)."""
    names = ", ".join(i.name for i in r.experiments)
    if not names:
        return ""
    if r.mode == "starting point":
        new = all(i.n_bouts == 0 for i in r.items)
        start = ("Every stretch here is new to your log" if new
                 else "Your log cannot rank these stretches yet")
        return (f"{start}: rate your pain just before and just after each. "
                f"If you rate only some, these teach the most per minute, first: {names}.")
    if len(r.experiments) == 1:
        return f"Experiment: {names}. Rate your pain just before and just after it."
    return (f"Experiments, the one that teaches most per minute first: {names}. "
            "Rate your pain just before and just after each.")


def made_line(r: "Routine") -> str:
    """When it was made and the seed of its experiments: ``"Made 2026-12-05 (seed 1234)."``

    The same log on the same day gives the same seed and the same routine everywhere;
    ``--seed`` gives it back on another day.
    """
    seed = "" if r.seed is None else f" (seed {r.seed})"
    return f"Made {r.made_on:%Y-%m-%d}{seed}."


def why(i: "RoutineItem") -> str:
    """An item's reason followed by its dose's reason (a few words)."""
    if not i.dose_why:
        return i.reason
    return f"{i.reason}. Dose: {i.dose_why}"


def short_dose(i: "RoutineItem") -> str:
    """The dose's reason in a few words (the card, the terminal table).

    Examples
    --------
    >>> from stretchlog.routine.types import RoutineItem
    >>> i = RoutineItem(1, "pigeon-pose", "Pigeon pose", "works", "each side", 20, 2, 105, "your log", 0.5, 0.2,
    ...                 0.8, 0.99, 40, 20, "strong", "", dose_why="shorter than your usual 30 s x 3: ...")
    >>> short_dose(i)
    'shorter than usual (longer holds added nothing clear)'
    """
    why = i.dose_why
    if i.dose_from == "shortened":
        return "shortened to fit"
    if why.startswith("shorter"):
        return ("shorter than usual (longer holds did worse)" if "did worse" in why
                else "shorter than usual (longer holds added nothing clear)")
    if why.startswith("longer"):
        return "longer than usual (longer holds eased more)"
    if why == "a short try":
        return "a short try"
    if i.dose_from == "the guides":
        return "the guides' dose"
    return "your usual dose"


def short_reason(i: "RoutineItem") -> str:
    """An item's reason in a few words, with its figure (the card, the terminal table)."""
    if i.role == "works":
        ev = f", {i.evidence} evidence" if i.evidence in ("strong", "some") else ""
        return f"helps: ~{i.effect:.1f} points/bout ({plural(i.n_bouts, 'bout')}{ev})"
    if i.role == "may help":
        return f"may help: ~{i.effect:.1f} points/bout, maybe too little to feel"
    if i.role == "experiment":
        return "experiment: rate pain before and after"
    if i.role == "extra round":
        return "second round: this one is tight"
    if i.role == "weaker side":
        return f"extra round for the tighter {i.side} side"
    return "from the guides: rate pain before and after"


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, float):
        return round(v, 3)
    return v


def to_dict(r: "Routine") -> dict[str, Any]:
    from stretchlog import __version__

    items = []
    for i in r.items:
        d = {k: _clean(getattr(i, k)) for k in i.__dataclass_fields__}
        d["dose"] = i.dose
        items.append(d)
    return {
        "safety": list(r.safety),  # safety first, in every output
        "format": "stretchlog.routine/3",
        "stretchlog": __version__,
        "mode": r.mode,
        "title": r.title,
        "why_mode": r.why_mode,
        "minutes": r.minutes,
        "total_seconds": r.total_seconds,
        "learned_from": {
            "first_date": r.first_date.isoformat() if r.first_date else None,
            "last_date": r.last_date.isoformat() if r.last_date else None,
            "sessions": r.n_sessions,
            "bouts": r.n_bouts,
        },
        "made_on": r.made_on.isoformat(),
        "seed": r.seed,
        "expected_relief": {"points": _clean(r.expected_relief), "low": _clean(r.expected_low),
                            "high": _clean(r.expected_high), "text": r.relief_line},
        "items": items,
        "experiments": [i.stretch for i in r.experiments],
        "left_out": [{"stretch": x.stretch, "name": x.name, "reason": x.reason} for x in r.left_out],
        "rotation": {"tip": r.rotation, "order": list(r.rotation_order)},
        "notes": list(r.notes),
        "disclaimer": _disclaimer(),
    }


def _disclaimer() -> str:
    return DISCLAIMER


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(r: "Routine") -> str:
    out: list[str] = []
    for msg in r.safety:
        out.append(f"> **Safety first:** {_md(msg)} (Advice from your own records, not a diagnosis.)")
        out.append(">")
    if r.safety:
        out[-1] = ""
    out.append(f"# {r.title}")
    out.append("")
    out.append(f"{r.source_line}. Takes about {duration(r.total_seconds)}. {made_line(r)}")
    out.append("")
    if r.relief_line:
        out.append(f"**{_md(r.relief_line)}**")
        out.append("")
    if r.why_mode:
        out.append(f"**{_md(r.why_mode)}**" + (" Hips first, lower back last." if r.mode == "starting point" else ""))
        out.append("")
    if r.items:
        out.append("| # | Stretch | Side | Hold x reps | Time | Why |")
        out.append("|---|---|---|---|---|---|")
        for i in r.items:
            mark = ROLE_MARK[i.role]
            name = f"{_md(i.name)}" + (f" **[{mark}]**" if mark else "")
            out.append(f"| {i.position} | {name} | {i.side} | {i.hold_s} s x {i.reps} | {duration(i.seconds)} "
                       f"| {_md(why(i))} |")
        legend = marks_legend(r)
        if legend:
            out.append("")
            out.append("Marks: " + ", ".join(f"**[{m}]** {t}" for m, t in legend) + ".")
    else:
        out.append("Nothing fits in this time budget; try a few more minutes.")
    out.append("")
    if r.experiments:
        out.append("## Keep learning")
        out.append("")
        out.append(_md(learning_line(r)))
        out.append("")
    if r.left_out:
        out.append("## Left out")
        out.append("")
        out += [f"- **{_md(x.name)}**: {_md(x.reason)}" for x in r.left_out]
        out.append("")
    if r.mode != "flare" and r.rotation:
        out.append("## Rotate the order")
        out.append("")
        tail = f" Next time, try: {', '.join(_md(n) for n in r.rotation_order)}." if len(r.rotation_order) > 1 else ""
        out.append(_md(r.rotation) + tail)
        out.append("")
    if r.notes:
        out.append("## Notes")
        out.append("")
        out += [f"- {_md(n)}" for n in r.notes]
        out.append("")
    out.append(f"_{_disclaimer()}_")
    return "\n".join(out) + "\n"
