"""The personal priority routine: what works first, a full routine in a time budget,
and experiments to keep learning.

The guides end with: remember what worked best for you, so you can do that first
next time pain occurs, and repeat the stretches that were hard. :func:`routine`
turns the relief estimates (:mod:`stretchlog.effects.relief`) and the tightness trends
(:mod:`stretchlog.trends.tightness`) into that list. Every figure it prints comes from
those estimates; nothing is made up where the log has no answer.

The rules, in plain words
-------------------------
**Which stretches count as helping.** A stretch *works* when the low end of its
95% interval of relief per bout is above 0 (the interval is the pooled one of
:func:`stretchlog.effects.relief.relief_effects`, so a stretch tried twice on a good day
cannot look sure). A stretch *may help* when its estimate is above 0 but the
interval still reaches 0. A stretch whose whole interval is below 0 is
*harmful* and is always left out, with the reason; so is a stretch named in a
safety flag of the trends. A stretch with an estimate at or below 0 is left out
as "no sign it eases your pain".

**Holds, reps and sides.** Each stretch you have logged uses *your usual dose*:
the median hold (rounded to 5 s above 10 s) and the median number of reps of your
bouts of it. Stretches you have not logged use the guides' suggestion from the
catalog. A one-sided stretch is done on each side.

**Time.** An item takes hold x reps (x 2 for a one-sided stretch done on both
sides) plus an allowance of 15 s to get into position and 10 s more to change
sides (:data:`~stretchlog.routine.plan.SETUP_S`,
:data:`~stretchlog.routine.plan.SWITCH_S`). The total never exceeds the budget.

**What works first (``flare=True``).** For when pain flares now: the stretches
that work, best first by the low end of their interval (the conservative figure),
then those that may help; each added in that order if it still fits the budget.
Each line says why, with figures ("eases pain by about 0.9 points per bout, 112
bouts, strong evidence"). No experiments in a flare.

**Full routine (default).** Time is filled in this order:

1. *Experiment slots* (keep learning) are reserved first: 2 slots with a budget of
   10 minutes or more, 1 from 4 minutes, none below; together at most a third of
   the budget.
2. *Stretches that work*, chosen to give the most conservative relief (low end
   of the interval x the bouts you usually do of it) in the time left: an exact
   0/1 knapsack over time in 5-second steps, so a long stretch with little relief
   per minute gives way to shorter, surer ones.
3. *Extra rounds*: a stretch on the trends' "needs more work" list (among the
   tightest now, or getting tighter) gets a second round, and a one-sided stretch
   with an imbalance gets an extra round on its tighter (weaker) side, if it fits.
4. *Stretches that may help*, by estimated relief per minute, while they fit.

The items run in the guides' body order (hips first, lower back last; stretches
not in the catalog after those), then the second rounds in the same order: the
guides say to go back to the hard ones once the other muscles have let go.

**Keep learning.** The experiment slots are filled first from the stretches you
have tried with too little data, or whose relief cannot be told apart from
another's; slots (and time) left over go to the never-tried stretches of the
guides' low-back sequence (the catalog's stretches for the hips, thighs and lower
back). Each slot is filled by Thompson sampling with an exploration floor: every
candidate's relief is drawn from a normal approximation to its estimate (mean =
the estimate, SD = the 95% interval's width / 3.92; with no estimate, your average
relief across stretches with SD 0.5 points), its chance of having the highest draw
is estimated from 4000 draws, and with K candidates each keeps at least
``min(0.1, 0.5 / K)`` chance (``f + (1 - K f) P``). The slot is drawn with those
chances from a generator seeded by ``seed``, so the same seed gives the same
routine; only candidates that still fit in the experiments' third of the budget
take part. Experiments are marked, ask for a pain reading just before and just
after them, and are listed with the one that teaches most per minute first (the
drop in the log of the estimate's SD per minute, if rated around each bout). A
rotation tip asks to change the order now and then (within each body area, with a
shuffled order to try), so the stretch done first does not get the credit for
pain that would have eased anyway.

**New users.** With no log, fewer than 5 sessions, or no stretch yet with
strong or some evidence (or none that helps), the routine is the guides' default
sequence, labelled as a starting point: the hips, thighs and lower-back
stretches of the catalog take turns (the next in the guides' order that still
fits) until the budget is full, at the guides' holds and reps. Every stretch in
it is new, so each asks for a reading before and after, and they are listed with
the ones that teach the most per minute first; experiment slots fill what time
is left.

**Safety first.** A safety flag from the trends heads every output (advice from
your own records, not a diagnosis).

**Is it enough?** For a full or flare routine the notes add the relief expected
from the whole routine (the sum of its bouts' estimates, with a rough interval
that treats the estimates as independent) beside the change people notice on the
0-10 scale: 2 points or 30% of the usual starting pain (Farrar et al. 2001).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from stretchlog.routine.text import DISCLAIMER, to_dict, to_markdown
from stretchlog.words import plural

__all__ = ["RoutineItem", "LeftOut", "Routine", "DISCLAIMER"]



@dataclass(frozen=True)
class RoutineItem:
    """One line of a routine.

    Attributes
    ----------
    position : int
        1-based place in the routine.
    stretch, name : str
        Catalog id (or ``custom:...``) and display name.
    role : str
        ``"works"``, ``"may help"``, ``"extra round"``, ``"weaker side"``,
        ``"experiment"`` or ``"starting point"``.
    side : str
        ``"each side"``, ``"both"`` (a two-sided stretch), ``"left"`` or ``"right"``.
    hold_s, reps : int
        Seconds per hold and holds (per side).
    seconds : int
        Time of the item, with the switch-over allowance.
    dose_from : str
        ``"your usual"`` (median of your bouts) or ``"the guides"`` (catalog).
    effect, ci_low, ci_high, p_helps : float
        The relief estimate per bout (NaN where there is none).
    n_bouts, n_sessions : int
        How often it is in the log.
    evidence : str
        The effects' evidence label, or ``"never tried"``.
    verdict : str
        The effects' verdict (``"helps"``, ``"may help"``, ...; ``""`` if never tried),
        the same word ``stretchlog effects`` shows.
    reason : str
        One line, with figures.
    rate_pain : bool
        Rate pain just before and just after it (experiments, starting point).
    round : int
        1 for the main pass, 2 for the second round.
    """

    position: int
    stretch: str
    name: str
    role: str
    side: str
    hold_s: int
    reps: int
    seconds: int
    dose_from: str
    effect: float
    ci_low: float
    ci_high: float
    p_helps: float
    n_bouts: int
    n_sessions: int
    evidence: str
    reason: str
    rate_pain: bool = False
    round: int = 1
    verdict: str = ""

    @property
    def dose(self) -> str:
        """Hold and reps in words, e.g. ``"30 s x 3, each side"``."""
        where = {"each side": ", each side", "left": ", left only", "right": ", right only"}.get(self.side, "")
        return f"{self.hold_s} s x {self.reps}{where}"


@dataclass(frozen=True)
class LeftOut:
    """A stretch left out of the routine, and why."""

    stretch: str
    name: str
    reason: str


@dataclass(frozen=True)
class Routine:
    """A personal routine (see :func:`routine`).

    Attributes
    ----------
    mode : str
        ``"full"``, ``"flare"`` or ``"starting point"``.
    minutes : float
        The time budget.
    items : tuple of RoutineItem
        In the order to do them.
    left_out : tuple of LeftOut
    safety : tuple of str
        Safety flags from the trends (advice, not a diagnosis); first in every output.
    safety_stretches, safety_stretch_names : tuple of str
        Per flag in ``safety``: the id and name of the stretch it is about ("" for
        flags about the whole log).
    first_date, last_date : date or None
        The range of the log the routine was learned from.
    n_sessions, n_bouts : int
    experiment_order : tuple of str
        Stretch ids of the experiments, the one that teaches most per minute first.
    rotation : str
        The tip on rotating the order.
    rotation_order : tuple of str
        A shuffled order (names) to use now and then.
    notes : tuple of str
    why_mode : str
        One sentence on why this is the routine shown (why a starting point, or that
        flare mode had nothing to go on); shown right under the title everywhere.
    made_on : date
    seed : int or None
    """

    mode: str
    minutes: float
    items: tuple[RoutineItem, ...]
    left_out: tuple[LeftOut, ...] = ()
    safety: tuple[str, ...] = ()
    safety_stretches: tuple[str, ...] = ()
    safety_stretch_names: tuple[str, ...] = ()
    first_date: date | None = None
    last_date: date | None = None
    n_sessions: int = 0
    n_bouts: int = 0
    experiment_order: tuple[str, ...] = ()
    rotation: str = ""
    rotation_order: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    why_mode: str = ""
    made_on: date = field(default_factory=date.today)
    seed: int | None = None

    @property
    def total_seconds(self) -> int:
        return int(sum(i.seconds for i in self.items))

    @property
    def experiments(self) -> tuple[RoutineItem, ...]:
        """The items that are experiments, the one that teaches most per minute first.

        For a starting point every stretch is new, so all its items count.
        """
        exp = [i for i in self.items if i.stretch in self.experiment_order and i.round == 1]
        rank = {s: k for k, s in enumerate(self.experiment_order)}
        return tuple(sorted(exp, key=lambda i: rank.get(i.stretch, len(rank))))

    @property
    def learned_from(self) -> str:
        """The log range in words."""
        if self.first_date is None:
            return "no log yet"
        return f"{plural(self.n_sessions, 'session')}, {self.first_date:%Y-%m-%d} to {self.last_date:%Y-%m-%d}"

    @property
    def source_line(self) -> str:
        """Where the routine comes from, in words (no final period): learned from the log,
        or, for a starting point, the log so far (it was not learned from it)."""
        if self.first_date is None:
            return "From the guides (no log yet)"
        if self.mode == "starting point":
            return f"Your log so far: {self.learned_from}"
        return f"Learned from {self.learned_from}"

    @property
    def title(self) -> str:
        what = {"flare": "What works first", "full": "Your routine",
                "starting point": "A starting point"}[self.mode]
        return f"{what} ({self.minutes:g} min)"

    def to_frame(self) -> pd.DataFrame:
        """One row per item, in order (the :class:`RoutineItem` fields plus ``dose``)."""
        cols = [f for f in RoutineItem.__dataclass_fields__]
        rows = [{**asdict(i), "dose": i.dose} for i in self.items]
        frame = pd.DataFrame(rows, columns=cols + ["dose"])
        for c in ("position", "hold_s", "reps", "seconds", "n_bouts", "n_sessions", "round"):
            frame[c] = frame[c].astype("int64")
        for c in ("effect", "ci_low", "ci_high", "p_helps"):
            frame[c] = frame[c].astype("float64")
        frame["rate_pain"] = frame["rate_pain"].astype(bool)
        return frame

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN as None, dates as ISO text)."""
        return to_dict(self)

    def to_json(self, *, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_markdown(self) -> str:
        return to_markdown(self)
