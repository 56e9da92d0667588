"""What lasting relief, dose and meaningful sessions share: the claims rule of
:mod:`stretchlog.model.claims` and the t quantile of an interval."""

from __future__ import annotations

from scipy import stats

from stretchlog.model.claims import CLAIM_FAMILIES, claim_alpha, stand_out

__all__ = ["stand_out", "t_quantile", "claim_alpha", "CLAIM_FAMILIES"]


def t_quantile(alpha: float, df: float) -> float:
    """The Student-t quantile of a two-sided ``1 - alpha`` interval (at least 1 degree of freedom)."""
    return float(stats.t.ppf(1 - alpha / 2, max(df, 1)))
