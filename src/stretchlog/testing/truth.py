"""What a simulation gives back: the log as a person would keep it, and the truth it was drawn from.

:class:`SimulatedLog` holds the log (the contract's :data:`COLUMNS`, one row per
bout) and writes it as contract CSV; :class:`SimTruth` holds the true parameters
the estimators of stretchlog are tested against. Both are importable from
:mod:`stretchlog.testing.simulate` too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
import pandas as pd

from stretchlog.log.schema import CONTRACT_COLUMNS

__all__ = ["COLUMNS", "SimTruth", "SimulatedLog"]

#: The contract's columns, in the contract's order (the schema is their one definition).
COLUMNS: tuple[str, ...] = CONTRACT_COLUMNS


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
    >>> from stretchlog.testing.simulate import simulate_log
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
        """The frame with whole numbers written without '.0'."""
        return pd.DataFrame({c: _format_number(self.frame[c]) for c in COLUMNS})
