"""Claims tested together: which of a log's per-stretch tests stand out once every
stretch has been tested, and the level each kind of claim is tested at.

Beside relief itself, stretchlog makes four kinds of claim about a log: relief that
lasts to the next session, longer holds doing more, one side easing more than the
other, and one side being tighter. Each kind is tested over every stretch with
Benjamini-Hochberg, at a quarter of 5% (Bonferroni over the kinds), so a log with
none of these effects gets any such claim at most about 5% of the time. The effects
and the trends both read this one rule. statsmodels stays inside.
"""

from __future__ import annotations

import numpy as np

__all__ = ["stand_out", "claim_alpha", "CLAIM_FAMILIES"]

#: The kinds of claim tested together: lasting relief, dose, side relief, side tightness.
CLAIM_FAMILIES = 4


def claim_alpha(alpha: float = 0.05) -> float:
    """The level each kind of claim is tested at: ``alpha`` shared over the kinds.

    >>> round(claim_alpha(0.05), 4)
    0.0125
    """
    return alpha / CLAIM_FAMILIES


def stand_out(p: np.ndarray, alpha: float) -> np.ndarray:
    """Benjamini-Hochberg: which of these p-values stand out after testing them all
    (NaN p-values are not tested and never stand out).

    >>> stand_out(np.array([0.001, 0.04, 0.5, np.nan]), 0.05).tolist()
    [True, False, False, False]
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p, dtype=float)
    out = np.zeros(len(p), dtype=bool)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], alpha=alpha, method="fdr_bh")[0]
    return out
