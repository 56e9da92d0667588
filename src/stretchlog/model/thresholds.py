"""The least data a figure needs, and the smallest change that matters, shared by
every layer that prints one.

One definition of the lines in docs/method.md ("What each figure needs", "Relief
you would feel"), so the effects, the trends, the routine, the summary and the
charts say the same numbers.
"""

from __future__ import annotations

__all__ = [
    "MIN_SESSIONS_FOR_FIGURE",
    "MAX_HALF_WIDTH",
    "MIN_RATE_DAYS",
    "MCID_POINTS",
    "MCID_SHARE",
    "BOUTS_PER_ROUTINE",
    "FELT_RELIEF",
]

#: A relief figure needs the stretch (or side) in this many sessions with pain rated around it ...
MIN_SESSIONS_FOR_FIGURE = 3
#: ... and a 95% interval no wider than this either side of the estimate (points).
#: Wider, and the range covers most of what a stretch could do: no figure to carry.
MAX_HALF_WIDTH = 3.0
#: A sessions-a-week rate needs a log at least this many days long.
MIN_RATE_DAYS = 14

#: The change in pain on the 0-10 scale a person notices as real (Farrar et al.,
#: Pain 2001): about 2 points, or 30% of where the pain started.
MCID_POINTS = 2.0
MCID_SHARE = 0.30
#: Bouts in a full routine (ten minutes or so; the sample's median session has 5).
BOUTS_PER_ROUTINE = 10
#: The smallest relief per bout that matters: a bout's fair share of a change a person
#: notices when a full routine is made of such bouts (2 points / 10 bouts = 0.2).
#: A stretch that surely gives less cannot carry its place in a routine, however
#: sure the log is about it.
FELT_RELIEF = MCID_POINTS / BOUTS_PER_ROUTINE
