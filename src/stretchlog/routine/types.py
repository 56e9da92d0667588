"""The personal priority routine: what works first, a full routine in a time budget,
and experiments to keep learning.

The guides end with: remember what worked best for you, so you can do that first
next time pain occurs, and repeat the stretches that were hard. :func:`routine`
turns the relief estimates (:mod:`stretchlog.effects.relief`) and the tightness trends
(:mod:`stretchlog.trends.tightness`) into that list. Every figure it prints comes from
those estimates; nothing is made up where the log has no answer.

The rules, in plain words
-------------------------
**Which stretches count as helping.** The effects' verdicts decide (one answer
everywhere): a stretch *helps* when its relief is surely one a person would feel,
*may help* when it is surely above 0 but maybe too small to feel. A stretch whose
relief is "too small to feel", or with no sign of relief, is left out with its
figures; a stretch that makes pain worse, or is named in a safety flag of the trends,
is always left out, with the reason.

**Holds, reps and sides: the dose the log supports.** For each stretch you have
logged the routine may choose among (:func:`~stretchlog.routine.plan.dose_options`):

* your *usual* dose: the median hold (rounded to 5 s above 10 s) and reps of your bouts;
* a *shorter* one, when the dose analysis (:func:`stretchlog.effects.dose.dose_response`)
  could compare your holds and its interval for "more relief per doubling" does not lie
  wholly above 0: your own short holds and fewest reps (10th percentiles), never below
  the guides' minimum (10 s, 2 reps; less only where the guides' own dose is less). It
  is worth your usual relief plus the estimated dose slope times the doublings given up;
  the reason says "longer holds added no clear relief in your log" (or "did worse");
* a *longer* one, only where the dose analysis says longer clearly helps ("more
  helps"): the long end of what you have logged (90th percentile of hold x reps at your
  usual reps), worth the low end of the slope times the doublings added.

Too little variety of holds to compare: your usual dose, and the reason says so.
Stretches not in your log use the guides' dose (the catalog). Nothing is ever set
below the guides' minimum or beyond the range you have logged, except a stretch
*shortened to fit* (below): it is marked, and its relief is not counted, as the log
has no figure for it. A one-sided stretch is done on each side.

**Time.** An item takes hold x reps (x 2 for a one-sided stretch done on both
sides) plus an allowance of 15 s to get into position and 10 s more to change
sides (:data:`~stretchlog.routine.plan.SETUP_S`,
:data:`~stretchlog.routine.plan.SWITCH_S`). The total never exceeds the budget.

**What works first (``flare=True``).** For when pain flares now: the stretches
that help ("helps") by their cautious relief (the relief per bout they give at least,
with 90% probability: the effects' ranking), then those that may help, the same way,
so a "may help" never comes before a "helps". Each goes in at its strongest dose; one
that does not fit gets a shorter dose (one rep fewer at a time down to the guides'
fewest, then shorter holds down to the guides' shortest) before it is left out, and
then it is named with the time it needed. Each line says why, with figures. No
experiments in a flare.

**Full routine (default): relief per minute decides.**

1. *The two best* of what works first are always in (at a shorter dose if that is
   what it takes to fit).
2. *The rest of the time* goes to the stretches and doses that give the most cautious
   relief (the cautious figure plus the dose's gain, per side done) in the time: an
   exact multiple-choice knapsack over time in 5-second steps, at most one dose per
   stretch, so luck cannot buy a slot and a long stretch with little relief per minute
   gives way to shorter, surer ones. A stretch "too small to feel" never earns a place.
3. *Extra rounds*: a stretch on the trends' "needs more work" list (among the
   tightest now, or getting tighter) gets a second round, and a one-sided stretch
   with an imbalance gets an extra round on its tighter (weaker) side, if it fits.

Every stretch that helps or may help and is not in the routine is listed under
"left out for time", with its time and the shortest routine (5, 10, 15, 20, 25, 30,
45 or 60 minutes) it is in, found by building that routine.

The items run in the guides' body order (hips first, lower back last; stretches
not in the catalog after those), then the second rounds in the same order: the
guides say to go back to the hard ones once the other muscles have let go.

**Keep learning, without paying for it every day.** While fewer than two stretches
work with strong evidence, learning is worth most: up to two stretches to try (one
under 10 minutes, none under 4) get a third of the budget, set aside first. From two
on, one stretch to try, only in time the proven stretches leave over and at most
``0.6 / n`` of the budget with ``n`` of them (30% with two, 15% with four): the more
the log knows, the less a routine pays for learning; when nothing is left over the
notes say so and name the longer routine that has room
(:func:`~stretchlog.routine.plan.exploration`). The candidates are first the stretches
you have tried with too little data, no clear effect, or relief that cannot be told
apart from another's; then the never-tried stretches of the guides' low-back sequence.
A stretch to try is done short (the guides' fewest reps, at least 20 s of holding).
It is picked by chance, the promising ones more often: each candidate's relief is drawn
from a normal approximation to its estimate (with no estimate, your average relief with
SD 0.5 points), its chance of having the highest draw is estimated from 4000 draws
(Thompson sampling), and with K candidates each keeps at least ``min(0.1, 0.5 / K)``.

**The same routine for the same log and day.** The draws use a seed; without
``seed`` it comes from the log's content and the date (:func:`default_seed`), so the
terminal, the report, the card and the notebooks show the same routine today, and
tomorrow's may try something else. Every output names its seed; ``seed`` gives that
routine back on any day. A rotation tip asks to change the order now and then
(within each body area, with a shuffled order to try), so the stretch done first does
not get the credit for pain that would have eased anyway.

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

**Is it enough?** Under the title of a full or flare routine: the relief expected
from the whole routine (the sum of its bouts' estimates at the doses chosen, with a
rough interval that treats the estimates as independent) beside the change people
notice on the 0-10 scale: 2 points or 30% of the usual starting pain (Farrar et al.
2001).
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
        ``"your log"`` (chosen from what your log shows about dose), ``"your usual"``
        (median of your bouts) or ``"the guides"`` (catalog).
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
    dose_why : str
        Why this hold and these reps, in a few words.
    gain : float
        Extra relief per bout expected from this dose over the usual one (conservative;
        0 unless the log shows longer holds help).
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
    dose_why: str = ""
    gain: float = 0.0

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
        The seed the experiments and rotation were drawn with (by default from the log
        and the day); every output names it.
    expected_relief, expected_low, expected_high : float
        Relief expected from the main pass of the stretches with an estimate, in points,
        with a rough 95% interval (NaN for a starting point).
    relief_line : str
        That expectation in one sentence, beside the change people notice (empty when
        there is none); shown under the title on every surface.
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
    expected_relief: float = float("nan")
    expected_low: float = float("nan")
    expected_high: float = float("nan")
    relief_line: str = ""

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
