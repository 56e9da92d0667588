"""The segment regression behind :mod:`stretchlog.effects.relief` (internal; no public API).

One row per segment (a stretch of a session between two pain readings)::

    relief = sum over its bouts of effect[stretch]          (count columns)
           + b1 * first + b2 * first * (start - centre)     (regression to the mean)
           + b3 * summed 0-based bout position               (order / warm-up)
           + b4 * rest                                       (pain drift in a pause)
           + error

``first`` marks the segment that opens its session: its start reading is the one
that drove the session's choices, so it (and only it) carries the adjustment;
later start readings are outcomes of earlier bouts and are not adjusted for.

Errors. Consecutive segments of a session share a reading, so with a reading error
of variance ``a`` and a bout's own variability ``b`` the errors of a session are
MA(1): ``var = 2a + n_bouts * b``, ``cov(next) = -a``. ``a`` and ``b`` are estimated
by moments from OLS residuals (``a`` floored at the scale's test-retest error,
0.5 points), every session's tridiagonal block is whitened (a vectorised Cholesky
recursion over segment positions, never an n x n matrix), and the whitened
regression is fitted by least squares with ``statsmodels``' cluster-robust
sandwich, clustered by session (:mod:`stretchlog.model._ols`).

The floor. Pain cannot go below 0, so a segment that ends at 0 shows *at least*
the relief seen. In the per-stretch relief fit, segments of :data:`CENSOR_MIN_BOUTS`
or more bouts that end at 0 are read that way: an EM fit for a left-censored normal
outcome (Tobit) replaces each with its expected relief given that it is at least what
was seen, under the segment's error variance, until the estimates settle; half of
each estimate's move from the exact reading is added to its standard error (the
imputation rests on the model's tail, and a rarely done stretch in sessions that
reached 0 would otherwise gain rank from it). Read as
exact, a long session that reached 0 made the order term look smaller (0.061 against
a true 0.1 with stretches chosen by pain in a fixed order) and the stretches done last
took the difference as relief of their own (calibration study in BENCHMARKS.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from stretchlog.model._ols import least_squares

__all__: list[str] = []  # internal module

#: Smallest reading-error SD assumed (NRS test-retest SEM ~0.5 points).
READING_SD_FLOOR = 0.5
FIRST, FIRST_START, POSITION, REST = "first", "first_x_start", "position", "rest"
_TOL = 1e-9


@dataclass(frozen=True)
class Design:
    """Segment-level design (unwhitened), sorted by session then segment."""

    y: np.ndarray
    X: np.ndarray  # unit counts
    units: tuple[str, ...]
    Z: np.ndarray  # nuisance columns
    nuisance: tuple[str, ...]
    n_bouts: np.ndarray
    session: np.ndarray  # 0-based codes, contiguous
    kpos: np.ndarray  # 0-based position of the segment in its session
    segs: pd.DataFrame = field(repr=False)
    centre: float = float("nan")
    n_at_floor: int = 0  # segments left out because they started at 0 pain
    censored: np.ndarray | None = None  # segments ending at 0 pain: relief at least y

    @property
    def A(self) -> np.ndarray:
        return np.hstack([self.X, self.Z])

    @property
    def columns(self) -> tuple[str, ...]:
        return self.units + self.nuisance


def count_matrix(
    rows: np.ndarray, labels: np.ndarray, index: np.ndarray
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Counts of each label per row key, rows in ``index`` order, labels sorted.

    A numpy ``bincount`` (``pd.crosstab`` is ~50x slower on a long log).
    """
    codes, uniques = pd.factorize(pd.Series(labels).astype("str"), sort=True)
    r = pd.Index(index).get_indexer(rows)
    k = len(uniques)
    ok = r >= 0
    flat = np.bincount(r[ok] * k + codes[ok], minlength=len(index) * k)
    return flat.reshape(len(index), k).astype(float), tuple(str(u) for u in uniques)


def build_design(
    bouts: pd.DataFrame,
    unit: pd.Series,
    segs: pd.DataFrame,
    extra: pd.DataFrame | None = None,
    *,
    censor: bool = False,
) -> Design:
    """The segment design for bouts labelled by ``unit`` (stretch id, or id|side).

    ``extra`` (bouts-aligned numeric columns) is summed per segment and appended
    to the nuisance columns (used for dose terms). ``segs`` is
    :func:`stretchlog.model.segments` of ``bouts``. ``censor``: read segments of
    :data:`CENSOR_MIN_BOUTS` or more bouts that end at 0 as "relief at least this"
    (the per-stretch relief fit; the contrasts of sides and doses keep the exact
    reading, whose standard errors the imputation would make too small).
    """
    segs = segs[segs["relief"].notna()].reset_index(drop=True)
    # A stretch done with the pain already at 0 cannot show relief (the scale has no room
    # below it): its segment says nothing about the stretch, only about the floor, and kept
    # in the fit it drags down the relief credited to late places in a session, which the
    # stretches usually done there then take back as too much relief of their own.
    at_floor = segs["start_pain"].to_numpy(float) <= 0
    segs = segs[~at_floor].reset_index(drop=True)
    sid = segs["segment_id"].to_numpy()
    X, units = count_matrix(bouts["segment_id"].to_numpy(), unit.to_numpy(), sid)
    bout_seg = bouts["segment_id"]
    possum = (bouts["bout"] - 1).groupby(bout_seg).sum().reindex(sid, fill_value=0).to_numpy(float)
    is_bouts = segs["kind"].eq("bouts").to_numpy()
    first = (segs["first_session_segment"].to_numpy() & is_bouts).astype(float)
    start = segs["start_pain"].to_numpy(float)
    centre = float(start[first > 0].mean()) if first.any() else 0.0
    cols = {FIRST: first, FIRST_START: first * (start - centre), POSITION: possum}
    if (~is_bouts).any():
        cols[REST] = (~is_bouts).astype(float)
    if extra is not None and len(extra.columns):
        sums = extra.groupby(bout_seg).sum().reindex(sid, fill_value=0)
        for name in extra.columns:
            cols[name] = sums[name].to_numpy(float)
    session = pd.factorize(segs["session_id"])[0]
    kpos = segs.groupby("session_id", sort=False).cumcount().to_numpy()
    return Design(
        y=segs["relief"].to_numpy(float),
        X=X,
        units=units,
        Z=np.column_stack(list(cols.values())) if cols else np.zeros((len(segs), 0)),
        nuisance=tuple(cols),
        n_bouts=segs["n_bouts"].to_numpy(float),
        session=session,
        kpos=kpos,
        segs=segs,
        centre=centre,
        n_at_floor=int(at_floor.sum()),
        censored=_censored(segs) if censor else None,
    )


#: Segments ending at 0 with at least this many bouts are treated as censored (their
#: relief is at least what was seen: the scale had no room below 0). None: none are.
CENSOR_MIN_BOUTS: int | None = 2


def _censored(segs: pd.DataFrame) -> np.ndarray:
    if CENSOR_MIN_BOUTS is None:
        return np.zeros(len(segs), dtype=bool)
    return (
        segs["kind"].eq("bouts").to_numpy()
        & (segs["end_pain"].to_numpy(float) <= 0)
        & (segs["relief"].to_numpy(float) > 0)
        & (segs["n_bouts"].to_numpy(float) >= CENSOR_MIN_BOUTS)
    )


def _scaled_gram(A: np.ndarray) -> np.ndarray:
    """``S'S`` for ``S``, the columns of ``A`` scaled to unit length (zero columns kept)."""
    norms = np.sqrt((A * A).sum(axis=0))
    scaled = A / np.where(norms > 0, norms, 1.0)
    return scaled.T @ scaled


def _is_zero(w: np.ndarray) -> np.ndarray:
    """Which eigenvalues of a scaled cross-product count as 0 (the rank tolerance)."""
    return w <= _TOL * max(float(w.max()), 1.0)


def null_projection(A: np.ndarray) -> np.ndarray:
    """Projection onto the null space of ``A`` (columns scaled to unit length).

    ``P[j, j] > 0`` means coefficient j is not estimable; ``P[j, k] != 0`` links
    columns that are confounded with each other. Basis-free, so groups are unique.
    """
    if A.shape[1] == 0:
        return np.zeros((0, 0))
    w, v = np.linalg.eigh(_scaled_gram(A))
    null = v[:, _is_zero(w)]
    P = null @ null.T
    P[np.abs(P) < 1e-7] = 0.0
    return P


def full_rank_columns(A: np.ndarray, candidates: list[int]) -> list[int]:
    """Column indices to keep: drop columns from ``candidates`` until ``A`` has full rank.

    The kept columns span the same space, so every estimable coefficient keeps its
    estimate. Ranks are read from the eigenvalues of the (column-scaled) cross-product
    matrix, with the tolerance :func:`null_projection` uses: the matrix is computed
    once, so each trial costs a small p x p decomposition instead of an SVD of all
    segments.
    """
    keep = list(range(A.shape[1]))
    if not keep:
        return keep
    gram = _scaled_gram(A)

    def rank(cols: list[int]) -> int:
        if not cols:
            return 0
        return int((~_is_zero(np.linalg.eigvalsh(gram[np.ix_(cols, cols)]))).sum())

    target = rank(keep)
    for j in candidates:
        if len(keep) == target:
            break
        trial = [c for c in keep if c != j]
        if rank(trial) == target:
            keep = trial
    return keep


def error_variances(d: Design, cols: list[int]) -> tuple[float, float]:
    """Moment estimates of the reading-error variance ``a`` and per-bout variance ``b``."""
    A = d.A[:, cols]
    n, p = A.shape
    floor = READING_SD_FLOOR**2
    if n <= p + 1:
        return floor, 0.0
    u = least_squares(A, d.y).resid * np.sqrt(n / (n - p))
    sq = u * u
    pair = d.session[1:] == d.session[:-1]
    prods = (u[1:] * u[:-1])[pair]
    nb = d.n_bouts
    if prods.size >= 10:
        a = max(-float(prods.mean()), 0.0)
        b = float(np.dot(nb, sq - 2 * a) / max(np.dot(nb, nb), 1e-12))
    else:
        M = np.column_stack([np.full(n, 2.0), nb])
        if np.linalg.matrix_rank(M) < 2:
            a, b = float(sq.mean()) / 2.0, 0.0
        else:
            (a, b), *_ = np.linalg.lstsq(M, sq, rcond=None)
    a = max(float(a), floor)
    b = max(float(b), 0.0)
    return a, b


def whiten(d: Design, M: np.ndarray, a: float, b: float) -> np.ndarray:
    """Whiten rows of ``M`` by the Cholesky factor of each session's MA(1) block."""
    diag = 2.0 * a + d.n_bouts * b
    out = np.empty_like(M, dtype=float)
    L = np.empty(len(diag))
    for k in range(int(d.kpos.max()) + 1 if len(d.kpos) else 0):
        rows = np.flatnonzero(d.kpos == k)
        if k == 0:
            L[rows] = np.sqrt(diag[rows])
            out[rows] = M[rows] / L[rows, None]
        else:
            off = -a / L[rows - 1]
            L[rows] = np.sqrt(diag[rows] - off * off)
            out[rows] = (M[rows] - off[:, None] * out[rows - 1]) / L[rows, None]
    return out


@dataclass(frozen=True)
class Fit:
    """Estimates of a whitened segment regression (kept columns only)."""

    columns: tuple[str, ...]
    coef: np.ndarray
    cov: np.ndarray  # model-based correlation, SEs max(model, cluster-robust)
    se_model: np.ndarray
    se_robust: np.ndarray
    df: int  # sessions - 1
    reading_sd: float
    bout_sd: float
    n_segments: int
    n_sessions: int


def _uncensor(d: Design, cols: list[int], a: float, b: float) -> np.ndarray:
    """Relief with each censored segment replaced by its expected value given that it
    is at least what was seen (EM for a left-censored normal outcome, a Tobit fit)."""
    from scipy import stats

    y = d.y.copy()
    cens = d.censored
    if cens is None or not cens.any() or len(cols) == 0:
        return y
    A = d.A[:, cols]
    Aw = whiten(d, A, a, b)  # whitening is linear: only the relief changes between rounds
    sd = np.sqrt(2.0 * a + d.n_bouts * b)[cens]
    low = d.y[cens]
    for _ in range(50):
        coef = least_squares(Aw, whiten(d, y[:, None], a, b)[:, 0]).coef
        mu = (A @ coef)[cens]
        z = (low - mu) / sd
        mills = np.exp(stats.norm.logpdf(z) - stats.norm.logsf(z))
        new = np.maximum(mu + sd * mills, low)
        done = np.max(np.abs(new - y[cens])) < 1e-4
        y[cens] = new
        if done:
            break
    return y


def fit(d: Design, cols: list[int], a: float | None = None, b: float | None = None) -> Fit:
    """Whitened OLS with session-clustered errors on the kept columns ``cols``."""
    if a is None or b is None:
        a, b = error_variances(d, cols)
    A = d.A[:, cols]
    y = _uncensor(d, cols, a, b)
    W = whiten(d, np.column_stack([y, d.y, A]), a, b)
    yw, yw_exact, Aw = W[:, 0], W[:, 1], W[:, 2:]
    n, p = Aw.shape
    G = int(d.session.max()) + 1 if n else 0
    names = tuple(d.columns[c] for c in cols)
    if p == 0:
        z = np.zeros(0)
        return Fit(names, z, np.zeros((0, 0)), z, z, max(G - 1, 1), np.sqrt(a), np.sqrt(b), n, G)
    ls = least_squares(Aw, yw)
    scale = ls.scale if ls.df_resid >= 5 else 1.0
    cov_model = ls.xtx_inv * max(scale, 1.0)
    se_model = np.sqrt(np.clip(np.diag(cov_model), 0, None))
    se_rob = np.zeros(p)
    if G >= 2 and ls.df_resid >= 1:
        se_rob = np.sqrt(np.clip(np.diag(ls.cov_cluster(d.session)), 0, None))
    se = np.maximum(se_model, se_rob)
    if not np.array_equal(y, d.y):
        # the censored reading rests on the model's tail; where it moves an estimate a
        # lot (a rarely done stretch in sessions that reached 0), half that move is
        # added as uncertainty, so imputed relief cannot buy a stretch a top rank
        shift = ls.coef - least_squares(Aw, yw_exact).coef
        se = np.sqrt(se**2 + (shift / 2.0) ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov_model / np.outer(se_model, se_model)
    corr = np.nan_to_num(corr)
    np.fill_diagonal(corr, 1.0)
    cov = corr * np.outer(se, se)
    return Fit(
        columns=names,
        coef=ls.coef,
        cov=cov,
        se_model=se_model,
        se_robust=se_rob,
        df=max(G - 1, 1),
        reading_sd=float(np.sqrt(a)),
        bout_sd=float(np.sqrt(b)),
        n_segments=n,
        n_sessions=G,
    )


@dataclass(frozen=True)
class Analysis:
    """A design fitted with the aliasing policy applied."""

    design: Design
    fit: Fit
    estimable: tuple[str, ...]  # units with an estimate
    groups: tuple[tuple[tuple[str, ...], bool], ...]  # (units, tied to the session baseline)
    dropped: tuple[str, ...]  # nuisance terms left out (not estimable)
    P: np.ndarray = field(repr=False)  # null projection over `columns`
    columns: tuple[str, ...] = ()


#: The first-segment term is fitted only when at least this many sessions hold two
#: or more bout segments (pain rated between stretches): only there can a session's
#: own change in pain be told apart from its stretches without leaning on the
#: number of bouts alone.
MIN_CHAINED_SESSIONS = 5


def analyse(d: Design, droppable: tuple[str, ...] = (FIRST_START, POSITION)) -> Analysis:
    """Drop nuisance terms the log cannot estimate, find non-estimable units, fit.

    Estimability is always judged *with* the first-segment term: a stretch done in
    every session rated only at its start and end cannot be told apart from the
    change in pain a session brings anyway, and is reported as such. The term is
    fitted when sessions with readings between stretches identify it
    (:data:`MIN_CHAINED_SESSIONS`); otherwise it is assumed to be 0.
    """
    A = d.A
    cols = list(range(A.shape[1]))
    names = d.columns
    dropped: list[str] = []
    while True:
        P = null_projection(A[:, cols])
        bad = [c for i, c in enumerate(cols) if names[c] in droppable and P[i, i] > 0]
        if not bad:
            break
        # drop the nuisance term that comes first in `droppable`
        worst = min(bad, key=lambda c: droppable.index(names[c]))
        dropped.append(names[worst])
        cols.remove(worst)
    k = len(d.units)
    diag = np.diag(P)
    nonest = [i for i, c in enumerate(cols) if c < k and diag[i] > 0]
    first_i = next((i for i, c in enumerate(cols) if names[c] == FIRST), None)
    # groups: connected components of the aliasing graph over non-estimable columns
    members = set(nonest) | ({first_i} if first_i is not None and diag[first_i] > 0 else set())
    groups = []
    seen: set[int] = set()
    for i in nonest:
        if i in seen:
            continue
        comp, stack = set(), [i]
        while stack:
            j = stack.pop()
            if j in comp:
                continue
            comp.add(j)
            stack.extend(m for m in members if m not in comp and P[j, m] != 0)
        seen |= comp
        units = tuple(sorted(names[cols[m]] for m in comp if cols[m] < k))
        groups.append((units, first_i in comp))
    fit_cols = list(cols)
    if first_i is not None:
        bout_segs = d.n_bouts > 0
        per_session = np.bincount(d.session[bout_segs], minlength=int(d.session.max()) + 1)
        if int((per_session >= 2).sum()) < MIN_CHAINED_SESSIONS:
            fit_cols.remove(cols[first_i])
            dropped.append(FIRST)
    cand = [cols[i] for i in nonest]
    cand.sort(key=lambda c: -d.X[:, c].sum())  # keep the most used of a group
    keep_local = full_rank_columns(A[:, fit_cols], [fit_cols.index(c) for c in cand])
    kept = [fit_cols[i] for i in keep_local]
    f = fit(d, kept)
    estimable = tuple(names[cols[i]] for i in range(len(cols)) if cols[i] < k and i not in nonest)
    return Analysis(
        d, f, estimable, tuple(groups), tuple(dropped), P, tuple(names[c] for c in cols)
    )
