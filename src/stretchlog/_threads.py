"""BLAS threads that fit the work: one per process for stretchlog's small fits.

stretchlog's regressions are small matrices (tens of columns); a multi-threaded
BLAS only spin-waits on them, and with several worker processes it oversubscribes
the cores. :func:`blas_threads` loads numpy's and scipy's BLAS libraries and limits
them with threadpoolctl (an environment variable would have to be set before the
process starts, which a user's shell or a Dask worker does not do).
"""

from __future__ import annotations

__all__ = ["blas_threads"]

_DONE: dict[int, bool] = {}


def blas_threads(n: int = 1) -> int:
    """Limit this process's BLAS libraries to ``n`` threads; returns ``n``.

    Loads numpy and scipy's linear algebra first (threadpoolctl can only limit
    libraries already loaded). Calling it again with the same ``n`` costs nothing.

    Examples
    --------
    >>> blas_threads(1)
    1
    """
    if _DONE.get(n):
        return n
    import numpy  # noqa: F401  (loads numpy's BLAS)
    import scipy.linalg  # noqa: F401  (and scipy's own)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n, user_api="blas")
    _DONE.clear()
    _DONE[n] = True
    return n
