"""The simulated person's stretches: the stretch table, the usual repertoire and its true effects.

The defaults :func:`~stretchlog.testing.simulate.simulate_log` draws from (all
importable from :mod:`stretchlog.testing.simulate` too): the stretches with the
names the person types and their usual doses, the repertoire with each
stretch's true relief per bout (one clearly best, several modest, one doing
nothing, one harmful), the rarely tried stretches, the inseparable pair, and
each stretch's tightness level and trend.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "StretchSpec",
    "DEFAULT_STRETCHES",
    "DEFAULT_EFFECTS",
    "DEFAULT_RARE",
    "DEFAULT_INSEPARABLE",
    "DEFAULT_TIGHTNESS",
    "stretch_table",
]


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

#: Default tightness per stretch: id -> (level, total change over the log); missing ids: (5, 0).
DEFAULT_TIGHTNESS: dict[str, tuple[float, float]] = {
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


def stretch_table(stretches: Any) -> dict[str, StretchSpec]:
    """The stretch table as id -> :class:`StretchSpec`, from any of the forms ``simulate_log`` takes.

    Parameters
    ----------
    stretches : mapping, DataFrame, iterable or None
        None (:data:`DEFAULT_STRETCHES`); id -> StretchSpec or dict; a frame with
        ``id``, ``name``, ``sided``, ``hold_s``, ``reps`` columns; or objects with
        those attributes (such as a catalog's stretches).

    Examples
    --------
    >>> stretch_table({"pigeon-pose": {"name": "pigeon", "sided": True}})["pigeon-pose"].hold_s
    30
    """
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
