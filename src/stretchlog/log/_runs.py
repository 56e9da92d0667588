"""Small helpers for frames sorted into runs of equal keys (sessions, segments)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["run_starts", "run_ids", "run_nunique", "join_runs"]


def run_starts(keys: np.ndarray) -> np.ndarray:
    """Positions where a new run of equal ``keys`` begins (keys must be sorted into runs).

    Examples
    --------
    >>> run_starts(np.array([1, 1, 2, 3, 3])).tolist()
    [0, 2, 3]
    """
    keys = np.asarray(keys)
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])


def run_ids(starts: np.ndarray, n: int) -> np.ndarray:
    """The run number (0, 1, ...) of each of ``n`` positions, from the runs' ``starts``.

    Examples
    --------
    >>> run_ids(np.array([0, 2, 3]), 5).tolist()
    [0, 0, 1, 2, 2]
    """
    return np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n)))


def run_nunique(values, starts: np.ndarray) -> np.ndarray:
    """Distinct non-missing ``values`` within each run (the runs begin at ``starts``).

    Examples
    --------
    >>> run_nunique(np.array(["a", "b", "a", "c", "c"], dtype=object), np.array([0, 3])).tolist()
    [2, 1]
    """
    codes, uniques = pd.factorize(np.asarray(values), use_na_sentinel=True)
    run = run_ids(starts, len(codes))
    keep = codes >= 0
    width = len(uniques) + 1
    # distinct (run, value) pairs by sorting (np.unique hashes, several times slower here)
    pairs = np.sort(run[keep].astype(np.int64) * width + codes[keep])
    first = np.r_[True, pairs[1:] != pairs[:-1]] if len(pairs) else np.zeros(0, dtype=bool)
    return np.bincount(pairs[first] // width, minlength=len(starts))


def join_runs(labels, keys, sep: str) -> list[str]:
    """Join the labels of each run of equal ``keys`` with ``sep``, one string per run.

    A plain list walk: far faster than ``groupby(...).agg(sep.join)``, which pays
    pandas' per-group overhead.

    Examples
    --------
    >>> join_runs(["a", "b", "c"], [7, 7, 9], " + ")
    ['a + b', 'c']
    """
    values = list(labels)
    starts = run_starts(np.asarray(keys)).tolist()
    ends = starts[1:] + [len(values)]
    return [values[a] if b - a == 1 else sep.join(values[a:b]) for a, b in zip(starts, ends)]
