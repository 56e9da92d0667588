"""What a relief estimate means for a person: the verdict words, judged against the
smallest relief a person would feel, not against zero alone.

With enough logging, tiny biases (the 0-10 scale's floor, rounding, a little drift)
become "certain", so "is the relief above zero?" stops being the useful question.
The useful one is "would I feel it?". A bout's relief matters when it is at least
:data:`~stretchlog.model.thresholds.FELT_RELIEF` points (its share of the 2-point
change people notice, in a routine of ten bouts). The verdict compares the whole
95% interval with that line, a region-of-practical-equivalence rule:

========================  ===========================================================
verdict                   the 95% interval ...
========================  ===========================================================
``helps``                 lies wholly above the felt line: relief you would feel
``may help``              lies above zero but reaches below the felt line
``too small to feel``     lies wholly between minus and plus the felt line
``no clear effect``       crosses zero and reaches past the felt line
``slightly worse``        lies below zero, and the best guess is a worsening too small to feel
                          (but the interval reaches a worsening you would feel)
``makes it worse``        lies below zero, and the best guess is a worsening you would feel
========================  ===========================================================

Rows without an estimate get ``not enough data`` or ``cannot separate``. The order
of :data:`VERDICTS` is the ranking's first key: a stretch that surely helps a little
is never ranked above one that helps enough to feel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from stretchlog.model.thresholds import FELT_RELIEF

__all__ = ["VERDICTS", "MEANING", "relief_verdicts", "chance_felt", "verdict_order", "ranks"]

#: Verdicts best first (the ranking's first key), then the two without an estimate.
VERDICTS: tuple[str, ...] = (
    "helps",
    "may help",
    "no clear effect",
    "too small to feel",
    "slightly worse",
    "makes it worse",
    "not enough data",
    "cannot separate",
)

#: Each verdict in plain words (legends, the report's key, ``--help``).
MEANING: dict[str, str] = {
    "helps": f"relief you would feel: surely at least {FELT_RELIEF:g} points a bout",
    "may help": f"surely some relief, but maybe less than the {FELT_RELIEF:g} points a bout you would feel",
    "no clear effect": "the log cannot yet say whether it helps, does nothing or makes pain worse",
    "too small to feel": f"whatever it does is less than {FELT_RELIEF:g} points a bout either way",
    "slightly worse": "surely no relief: the pain goes up after it, likely by too little to feel",
    "makes it worse": "the pain goes up after it, by enough to feel",
    "not enough data": "too few sessions with it to give a figure",
    "cannot separate": "always done together with another stretch: the log cannot tell them apart",
}


def relief_verdicts(
    effect: np.ndarray, ci_low: np.ndarray, ci_high: np.ndarray, felt: float = FELT_RELIEF
) -> np.ndarray:
    """The verdict of each estimate (see the module docstring), ``""`` where there is none.

    Parameters
    ----------
    effect, ci_low, ci_high : array-like
        Relief per bout (points, positive = less pain) and its 95% interval.
    felt : float
        The smallest relief per bout that matters.

    Returns
    -------
    ndarray of str

    Examples
    --------
    >>> relief_verdicts([0.9, 0.3, 0.05, 0.3, -0.1, -0.4, float("nan")],
    ...                 [0.6, 0.1, -0.02, -0.2, -0.3, -0.7, float("nan")],
    ...                 [1.2, 0.5, 0.08, 0.8, -0.02, -0.1, float("nan")]).tolist()
    ['helps', 'may help', 'too small to feel', 'no clear effect', 'slightly worse', 'makes it worse', '']
    """
    m, lo, hi = (np.asarray(x, dtype=float) for x in (effect, ci_low, ci_high))
    out = np.full(m.shape, "", dtype=object)
    ok = np.isfinite(m) & np.isfinite(lo) & np.isfinite(hi)
    out[ok] = "no clear effect"
    out[ok & (hi < 0)] = "slightly worse"
    out[ok & (hi < 0) & (m <= -felt)] = "makes it worse"
    out[ok & (lo > 0)] = "may help"
    out[ok & (lo > -felt) & (hi < felt)] = "too small to feel"
    out[ok & (lo >= felt)] = "helps"
    return out


def chance_felt(effect, sd, df: float, felt: float = FELT_RELIEF) -> np.ndarray:
    """The chance the true relief per bout is at least ``felt``: relief a person would notice.

    A Student-t approximation of the estimate's distribution with ``df`` degrees of
    freedom; NaN where there is no estimate.

    Examples
    --------
    >>> chance_felt([0.2, 0.9, 0.05], [0.1, 0.1, 0.01], 30).round(2).tolist()
    [0.5, 1.0, 0.0]
    """
    m, s = np.asarray(effect, dtype=float), np.asarray(sd, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = stats.t.cdf((m - felt) / s, max(df, 1))
    return np.where(s > 0, p, np.where(np.isfinite(m), (m >= felt).astype(float), np.nan))


def verdict_order(verdicts) -> np.ndarray:
    """Position of each verdict in :data:`VERDICTS` (unknown words last): the ranking's first key.

    Examples
    --------
    >>> verdict_order(["may help", "helps", "makes it worse"]).tolist()
    [1, 0, 5]
    """
    pos = {v: i for i, v in enumerate(VERDICTS)}
    return np.array([pos.get(str(v), len(VERDICTS)) for v in verdicts], dtype=int)


def ranks(frame: pd.DataFrame) -> pd.Series:
    """Rank 1 = best: by verdict (:data:`VERDICTS` order), then by the cautious figure
    (the relief a stretch gives at least, with 90% probability), then by the estimate.
    Rows without an estimate get no rank.

    Examples
    --------
    >>> f = pd.DataFrame({"verdict": ["too small to feel", "may help", "helps"],
    ...                   "cautious": [0.04, 0.1, 0.5], "effect": [0.05, 0.4, 0.8]})
    >>> ranks(f).tolist()
    [3, 2, 1]
    """
    order = frame.assign(_v=verdict_order(frame["verdict"])).sort_values(
        ["_v", "cautious", "effect"], ascending=[True, False, False], na_position="last", kind="stable"
    )
    rank = pd.Series(np.arange(1, len(order) + 1), index=order.index).where(order["effect"].notna())
    return rank.reindex(frame.index).astype("Int64")
