"""What lasting relief, dose and meaningful sessions share: which of the per-stretch
tests stand out once every stretch has been tested, and the t quantile of an interval.
statsmodels stays inside."""

from __future__ import annotations

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

__all__ = ["stand_out", "t_quantile", "claim_alpha", "CLAIM_FAMILIES"]

#: The kinds of claim the effects page makes beside relief: relief that lasts to the
#: next session, longer holds doing more, and one side easing more than the other.
CLAIM_FAMILIES = 3


def claim_alpha(alpha: float) -> float:
    """The level each kind of claim is tested at: a share of ``alpha`` (Bonferroni over
    the kinds, Benjamini-Hochberg within each), so that a log with no such effects gets
    any lasting, dose or side claim at most ``alpha`` of the time.

    >>> round(claim_alpha(0.05), 4)
    0.0167
    """
    return alpha / CLAIM_FAMILIES


def stand_out(p: np.ndarray, alpha: float) -> np.ndarray:
    """Benjamini-Hochberg: which of these p-values stand out after testing them all."""
    p = np.asarray(p, dtype=float)
    out = np.zeros(len(p), dtype=bool)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], alpha=alpha, method="fdr_bh")[0]
    return out


def t_quantile(alpha: float, df: float) -> float:
    """The Student-t quantile of a two-sided ``1 - alpha`` interval (at least 1 degree of freedom)."""
    return float(stats.t.ppf(1 - alpha / 2, max(df, 1)))
