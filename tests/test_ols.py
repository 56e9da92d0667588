"""stretchlog's least squares gives statsmodels' OLS figures (issue 8).

The analyses fit by :func:`stretchlog.model._ols.least_squares` (one QR) and take robust
covariances from statsmodels' sandwich estimators, so that a command need not
import statsmodels' formula machinery. These tests hold every figure to what
``statsmodels`` OLS gives on the same data.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as hs

from stretchlog.model._ols import least_squares


def design(seed: int, n: int = 120, p: int = 5):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.poisson(1.0, (n, p - 1)).astype(float)])
    groups = np.repeat(np.arange(n // 4), 4)
    y = X @ rng.normal(size=p) + rng.normal(size=n) + 0.5 * rng.normal(size=n // 4)[groups]
    return X, y, groups


@pytest.mark.parametrize("seed", range(5))
def test_coefficients_and_model_covariance_match_statsmodels(seed):
    X, y, _ = design(seed)
    ours, ref = least_squares(X, y), sm.OLS(y, X).fit()
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.cov_model(), ref.cov_params(), rtol=1e-10, atol=1e-12)
    assert ours.df_resid == ref.df_resid
    np.testing.assert_allclose(ours.scale, ref.scale, rtol=1e-10)


@pytest.mark.parametrize("seed", range(5))
def test_robust_covariances_match_statsmodels(seed):
    X, y, groups = design(seed)
    ours, model = least_squares(X, y), sm.OLS(y, X)
    cluster = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": 3, "use_correction": True}, use_t=True)
    hc3 = model.fit(cov_type="HC3", use_t=True)
    np.testing.assert_allclose(ours.cov_cluster(groups), cluster.cov_params(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.cov_hac(3), hac.cov_params(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.cov_hc3(), hc3.cov_params(), rtol=1e-10, atol=1e-12)


def test_rank_deficient_design_falls_back_to_the_pseudo_inverse():
    X, y, _ = design(1)
    X = np.column_stack([X, X[:, 1] + X[:, 2]])  # an aliased column
    ours = least_squares(X, y)
    with pytest.warns(Warning):  # statsmodels warns about the rank
        ref = sm.OLS(y, X).fit()
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.xtx_inv, ref.normalized_cov_params, rtol=1e-8, atol=1e-10)


def test_fewer_rows_than_columns_still_returns_a_fit():
    X = np.array([[1.0, 2.0, 3.0], [1.0, 0.0, 1.0]])
    ours = least_squares(X, np.array([1.0, 2.0]))
    np.testing.assert_allclose(X @ ours.coef, [1.0, 2.0])
    assert ours.df_resid == -1 and np.isnan(ours.scale)


@settings(max_examples=40, deadline=None)
@given(
    seed=hs.integers(0, 2**31 - 1),
    n=hs.integers(8, 60),
    p=hs.integers(1, 6),
    scale=hs.sampled_from([1e-3, 1.0, 1e3]),
)
def test_any_full_rank_design_solves_the_normal_equations(seed, n, p, scale):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * scale
    y = rng.normal(size=n)
    ours = least_squares(X, y)
    # residuals orthogonal to every column, relative to the sizes involved
    assert np.all(np.abs(X.T @ ours.resid) <= 1e-8 * (np.abs(X).T @ np.abs(y) + 1))
    np.testing.assert_allclose(ours.xtx_inv @ (X.T @ X), np.eye(p), atol=1e-6)
