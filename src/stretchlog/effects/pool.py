"""Partial pooling of per-stretch estimates (internal; used by :mod:`stretchlog.effects.relief`).

Model: the regression's estimates ``b ~ N(beta, V)`` (V: their covariance, with
correlations), each stretch's true effect ``beta_j ~ N(mu, tau^2)`` around the
person's own average ``mu``. ``mu`` gets a flat prior and is integrated out
exactly; ``tau`` (how much stretches differ) gets a half-Cauchy(0, 0.5 points)
prior and is integrated out on a grid. So the intervals carry the uncertainty in
``mu`` and ``tau`` instead of pretending they are known (plug-in empirical Bayes
intervals are too narrow). Everything is closed form given ``tau``: one
eigendecomposition of V serves the whole grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__: list[str] = []

TAU_SCALE = 0.5  # half-Cauchy scale, NRS points per bout
TAU_MAX = 4.0
_GRID = 161


@dataclass(frozen=True)
class Pooled:
    mean: np.ndarray
    cov: np.ndarray
    mu: float  # posterior mean of the person's average effect
    tau: float  # posterior mean of the between-stretch SD


def pool(b: np.ndarray, V: np.ndarray) -> Pooled:
    """Posterior mean and covariance of ``beta`` (mixture over tau, moment-matched)."""
    p = len(b)
    if p == 0:
        return Pooled(np.zeros(0), np.zeros((0, 0)), float("nan"), float("nan"))
    if p == 1:
        return Pooled(b.copy(), V.copy(), float(b[0]), float("nan"))
    V = (V + V.T) / 2
    lam, Q = np.linalg.eigh(V)
    lam = np.clip(lam, 1e-12, None)
    bt, ot = Q.T @ b, Q.T @ np.ones(p)
    t = TAU_MAX * np.linspace(0.0, 1.0, _GRID) ** 2  # denser near 0
    t2 = t[:, None] ** 2
    inv = 1.0 / (lam[None, :] + t2)  # (grid, p) eigenvalues of Sigma^-1
    s11 = (ot * ot * inv).sum(axis=1)
    s1b = (ot * bt * inv).sum(axis=1)
    mu = s1b / s11
    rt = bt[None, :] - mu[:, None] * ot[None, :]
    quad = (rt * rt * inv).sum(axis=1)
    ll = -0.5 * np.log(lam[None, :] + t2).sum(axis=1) - 0.5 * np.log(s11) - 0.5 * quad
    prior = 1.0 / (1.0 + (t / TAU_SCALE) ** 2)
    dt = np.gradient(t)
    logw = ll + np.log(prior) + np.log(dt)
    w = np.exp(logw - logw.max())
    w /= w.sum()
    # posterior given tau (mu integrated out)
    means = mu[:, None] + t2 * ((rt * inv) @ Q.T)  # (grid, p)
    g = 1.0 - t2 * ((ot * inv) @ Q.T)  # (grid, p): 1 - tau^2 Sigma^-1 1
    shrink = t2 * lam[None, :] * inv  # eigenvalues of tau^2 I - tau^4 Sigma^-1
    mean = w @ means
    cov = (Q * (w @ shrink)) @ Q.T
    cov += np.einsum("k,ki,kj->ij", w / s11, g, g)
    cov += np.einsum("k,ki,kj->ij", w, means, means) - np.outer(mean, mean)
    cov = (cov + cov.T) / 2
    return Pooled(mean, cov, float(w @ mu), float(w @ t))
