"""Least squares with robust standard errors (internal; no public API).

The fits of stretchlog are small linear regressions with robust errors: clustered
by session (relief effects), HAC over consecutive sessions (lasting relief), HC3
(time of day). ``statsmodels`` OLS would do each, but importing
``statsmodels.regression.linear_model`` loads its formula machinery too (patsy,
formulaic: about 0.6 s a command on these machines), and its fit forms both a
pseudo-inverse and ``Q``, several times the cost of the fit itself on a long log
(issue 8). So the coefficients come from one Householder QR here, and the robust
covariances from statsmodels' own sandwich estimators
(:mod:`statsmodels.stats.sandwich_covariance`), fed the scores and the inverse
cross-product exactly as its results classes feed them. The tests compare every
figure with ``statsmodels`` OLS to 1e-10.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_triangular
from statsmodels.stats import sandwich_covariance as sw

__all__: list[str] = []  # internal module

_TOL = 1e-9


@dataclass(frozen=True)
class LeastSquares:
    """A least-squares fit of ``y`` on the columns of ``X``.

    Attributes
    ----------
    coef : ndarray
        The coefficients.
    xtx_inv : ndarray
        ``(X'X)^-1``, the coefficients' covariance before scaling (statsmodels'
        ``normalized_cov_params``).
    resid : ndarray
        ``y - X @ coef``.
    X : ndarray
        The design, kept for the robust covariances.
    """

    coef: np.ndarray
    xtx_inv: np.ndarray
    resid: np.ndarray
    X: np.ndarray

    @property
    def df_resid(self) -> int:
        """Observations minus coefficients."""
        return self.X.shape[0] - self.X.shape[1]

    @property
    def scale(self) -> float:
        """Residual variance, ``RSS / df_resid`` (nan without residual degrees of freedom)."""
        return float(self.resid @ self.resid) / self.df_resid if self.df_resid > 0 else float("nan")

    def cov_model(self) -> np.ndarray:
        """The classical covariance, ``scale * (X'X)^-1``."""
        return self.xtx_inv * self.scale

    def cov_cluster(self, groups: np.ndarray) -> np.ndarray:
        """Cluster-robust (CRV1, with statsmodels' small-sample correction)."""
        scores = self.X * self.resid[:, None]
        return sw.cov_cluster((scores, self.xtx_inv), np.asarray(groups, dtype=np.int64))

    def cov_hac(self, maxlags: int) -> np.ndarray:
        """Newey-West (Bartlett kernel) over row order, with the n / (n - p) correction."""
        scores = self.X * self.resid[:, None]
        return sw.cov_hac_simple((scores, self.xtx_inv), nlags=maxlags, use_correction=True)

    def cov_hc3(self) -> np.ndarray:
        """HC3: each squared residual inflated by its leverage, ``1 / (1 - h)^2``."""
        leverage = np.einsum("ij,jk,ik->i", self.X, self.xtx_inv, self.X)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = self.X * (self.resid / (1.0 - leverage))[:, None]
        return sw.cov_white_simple((scores, self.xtx_inv), use_correction=False)


def least_squares(X: np.ndarray, y: np.ndarray) -> LeastSquares:
    """Least squares of ``y`` on the columns of ``X`` by a Householder QR of ``[X | y]``.

    Only the triangular factor is formed: its last column holds ``Q'y``, so the
    coefficients need one triangular solve, never the ``n x p`` matrix ``Q`` nor
    the SVD of a pseudo-inverse. The columns should have full rank (the callers
    drop aliased ones first); a rank-deficient or too-short design falls back to
    the SVD-based ``lstsq`` and a pseudo-inverse, as statsmodels' default does.

    Examples
    --------
    >>> X = np.column_stack([np.ones(4), np.arange(4.0)])
    >>> least_squares(X, 1.0 + 2.0 * np.arange(4.0)).coef.round(6)
    array([1., 2.])
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    if n > p and p > 0:
        R = np.linalg.qr(np.column_stack([X, y]), mode="r")
        d = np.abs(np.diag(R[:p, :p]))
        if d.min() > _TOL * max(float(d.max()), 1.0):
            Rp = R[:p, :p]
            coef = solve_triangular(Rp, R[:p, p])
            Rinv = solve_triangular(Rp, np.eye(p))
            return LeastSquares(coef, Rinv @ Rinv.T, y - X @ coef, X)
    coef = np.linalg.lstsq(X, y, rcond=None)[0] if p else np.zeros(0)
    xtx_inv = np.linalg.pinv(X.T @ X) if p else np.zeros((0, 0))
    return LeastSquares(coef, xtx_inv, y - X @ coef, X)
