"""Checking the relief estimates against simulated logs with a known truth.

Used by ``tests/test_effects_calibration.py`` and ``benchmarks/effects_accuracy.py``:
:func:`calibration_runs` simulates many seeded logs (:func:`stretchlog.testing.simulate.simulate_log`),
fits :func:`stretchlog.effects.relief.relief_effects` and the spreadsheet answer
(:func:`naive_effects`) on each, and returns one row per log and stretch;
:func:`summarise_runs` turns that into the figures quoted in ``docs/method.md``.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["naive_effects", "calibration_runs", "summarise_runs"]


def naive_effects(bouts: pd.DataFrame, segs: pd.DataFrame | None = None) -> pd.Series:
    """What a spreadsheet user computes: the mean relief of the segments holding each stretch.

    A segment's relief is divided by the stretch's own number of bouts in it (so
    both sides of a one-sided stretch in one segment count as two bouts), which
    puts the figure on the per-bout scale; partners in the segment are ignored,
    so the stretch gets their relief too. No adjustment for regression to the mean
    or order. ``segs`` (from :func:`stretchlog.model.segments.segments`) saves recomputing them.

    Examples
    --------
    >>> import io, stretchlog
    >>> bouts = stretchlog.read_log(io.StringIO(
    ...     "date,stretch,pain_before,pain_after,hold_s\\n2026-01-01,pigeon,6,4,30\\n"
    ...     "2026-01-01,knees to chest,,3,30\\n2026-01-02,pigeon,5,3,30\\n"))
    >>> naive_effects(bouts).to_dict()
    {'double-knees-to-chest': 1.0, 'pigeon-pose': 2.0}
    """
    from stretchlog.effects.model import count_matrix
    from stretchlog.model.segments import segments

    segs = segments(bouts) if segs is None else segs
    segs = segs[segs["kind"].eq("bouts")]
    X, units = count_matrix(
        bouts["segment_id"].to_numpy(),
        bouts["stretch_id"].to_numpy(),
        segs["segment_id"].to_numpy(),
    )
    relief = segs["relief"].to_numpy(float)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        per = np.where(X > 0, relief / X, np.nan)
    return pd.Series(np.nanmean(per, axis=0), index=list(units))


def calibration_runs(
    styles: Iterable[str] = ("per_bout", "start_end", "mixed"),
    n_logs: int = 100,
    *,
    days: int = 120,
    first_seed: int = 0,
    **options,
) -> pd.DataFrame:
    """Simulate, fit and compare, over many seeded logs per logging style.

    Each log is written as contract CSV and read back with
    :func:`stretchlog.read_log`, exactly as a user's file would be. ``options``
    go to :func:`stretchlog.testing.simulate.simulate_log` (default: the inseparable pair
    included).

    Returns
    -------
    DataFrame
        One row per (style, seed, stretch): ``truth``, ``effect``, ``ci_low``,
        ``ci_high``, ``rank``, ``harmful``, ``raw_effect``, ``raw_se``, ``naive``,
        ``n_sessions``, ``rare``, ``inseparable`` (the stretch is in a reported
        cannot-separate group), ``in_pair`` (it is one of the simulated pair).
    """
    from stretchlog.effects.relief import relief_report
    from stretchlog.log.errors import StretchlogWarning
    from stretchlog.log.reader import read_log
    from stretchlog.testing.simulate import simulate_log

    options.setdefault("inseparable", True)
    frames = []
    for style in styles:
        for seed in range(first_seed, first_seed + n_logs):
            log = simulate_log(days=days, seed=seed, style=style, **options)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", StretchlogWarning)
                bouts = read_log(io.StringIO(log.csv_text()))
            rep = relief_report(bouts)
            eff = rep.effects.set_index("stretch")
            grouped = {u for g in rep.groups["stretches"] for u in str(g).split(" + ")}
            pair = {s for p in log.truth.inseparable for s in p}
            frame = pd.DataFrame(
                {
                    "style": style,
                    "seed": seed,
                    "stretch": eff.index,
                    "truth": [log.truth.effects.get(s, np.nan) for s in eff.index],
                    "effect": eff["effect"].to_numpy(),
                    "ci_low": eff["ci_low"].to_numpy(),
                    "ci_high": eff["ci_high"].to_numpy(),
                    "rank": eff["rank"].astype("float64").to_numpy(),
                    "harmful": eff["harmful"].to_numpy(),
                    "raw_effect": eff["raw_effect"].to_numpy(),
                    "raw_se": eff["raw_se"].to_numpy(),
                    "naive": naive_effects(bouts).reindex(eff.index).to_numpy(),
                    "n_sessions": eff["n_sessions"].to_numpy(),
                    "rare": [s in log.truth.rare for s in eff.index],
                    "inseparable": [s in grouped for s in eff.index],
                    "in_pair": [s in pair for s in eff.index],
                }
            )
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _spearman(a: pd.Series, b: pd.Series) -> float:
    ok = a.notna() & b.notna()
    if ok.sum() < 3:
        return np.nan
    return float(a[ok].rank().corr(b[ok].rank()))


def summarise_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Calibration figures per logging style (one row each).

    Columns: ``logs``; ``coverage`` (share of 95% intervals holding the truth);
    ``rho`` (Spearman of the estimates with the truth, mean over logs),
    ``rank_rho`` (of the ranking), ``naive_rho``; ``bias``/``rmse``, ``raw_rmse``
    (the regression before pooling) and ``naive_bias``/``naive_rmse`` (per bout,
    over estimable stretches);
    ``harmful_flagged`` (share of logs flagging the harmful stretch),
    ``false_harm`` (flags on stretches that do not harm, per log);
    ``rare_on_top``/``naive_rare_on_top`` (share of logs whose number one is a
    rarely tried stretch); ``inseparable_reported`` (share of logs reporting the
    simulated pair as cannot-separate).
    """
    rows = []
    for style, r in runs.groupby("style", sort=False):
        est = r[r["effect"].notna() & r["truth"].notna()]
        per_log = est.groupby("seed")
        err, nerr = est["effect"] - est["truth"], est["naive"] - est["truth"]
        harmful = r[r["truth"] < 0].groupby("seed")["harmful"].any()
        top = est[est["rank"] == 1]
        naive_top = est.loc[est.groupby("seed")["naive"].idxmax()]
        pair = r[r["in_pair"]]
        rows.append(
            {
                "style": style,
                "logs": r["seed"].nunique(),
                "coverage": float(
                    ((est["ci_low"] <= est["truth"]) & (est["truth"] <= est["ci_high"])).mean()
                ),
                "rho": float(per_log.apply(lambda g: _spearman(g["effect"], g["truth"])).mean()),
                "rank_rho": float(
                    per_log.apply(lambda g: _spearman(-g["rank"], g["truth"])).mean()
                ),
                "naive_rho": float(
                    per_log.apply(lambda g: _spearman(g["naive"], g["truth"])).mean()
                ),
                "bias": float(err.mean()),
                "rmse": float(np.sqrt((err**2).mean())),
                "raw_rmse": float(np.sqrt(((est["raw_effect"] - est["truth"]) ** 2).mean())),
                "naive_bias": float(nerr.mean()),
                "naive_rmse": float(np.sqrt((nerr**2).mean())),
                "harmful_flagged": float(harmful.mean()) if len(harmful) else np.nan,
                "false_harm": float(
                    (est["harmful"] & (est["truth"] >= 0)).sum() / r["seed"].nunique()
                ),
                "rare_on_top": float(top["rare"].mean()) if len(top) else np.nan,
                "naive_rare_on_top": float(naive_top["rare"].mean()) if len(naive_top) else np.nan,
                "inseparable_reported": float(pair.groupby("seed")["inseparable"].all().mean())
                if len(pair)
                else np.nan,
            }
        )
    return pd.DataFrame(rows)
