"""The least data a figure needs, shared by every layer that prints one.

One definition of the lines in docs/method.md ("What each figure needs"), so the
effects, the trends, the summary and the charts say the same numbers.
"""

from __future__ import annotations

__all__ = ["MIN_SESSIONS_FOR_FIGURE", "MAX_HALF_WIDTH", "MIN_RATE_DAYS"]

#: A relief figure needs the stretch (or side) in this many sessions with pain rated around it ...
MIN_SESSIONS_FOR_FIGURE = 3
#: ... and a 95% interval no wider than this either side of the estimate (points).
#: Wider, and the range covers most of what a stretch could do: no figure to carry.
MAX_HALF_WIDTH = 3.0
#: A sessions-a-week rate needs a log at least this many days long.
MIN_RATE_DAYS = 14
